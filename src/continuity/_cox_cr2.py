"""CR2 cluster-robust variance with Satterthwaite degrees of freedom for :func:`continuity.cox`.

With Breslow's handling of ties, the Cox partial likelihood is the profile of a Poisson
likelihood over the (row, event time) pairs of the risk sets, with one free log hazard jump per
event time of each stratum (Whitehead 1980; Laird and Olivier 1981). That Poisson model is a
generalised linear model, for which the bias-reduced linearisation of Bell and McCaffrey (2002)
is defined: each cluster's residuals are rescaled by the inverse square root of its block of
``I - H`` before the sandwich is formed, and each coefficient's t statistic gets the
Satterthwaite degrees of freedom of Pustejovsky and Tipton (2018). This module computes both on
that expanded form, exactly as R's ``clubSandwich::vcovCR(type = "CR2")`` and
``coef_test(test = "Satterthwaite")`` do for the Poisson ``glm`` (inverse-variance working
model); on the same form CR0 equals the Lin-Wei robust variance of ``coxph``. Without tied
event times Efron's likelihood is Breslow's, so the correction applies to it too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from continuity._cox_design import _Design, _Evaluation

#: The largest expanded design (rows times columns) built in memory.
MAX_CELLS = 30_000_000


class CR2(NamedTuple):
    """The CR2 variance of the coefficients and each one's Satterthwaite degrees of freedom."""

    var: np.ndarray
    df: np.ndarray


class _Expanded(NamedTuple):
    rows: np.ndarray  # used-row index of each (row, event time) pair
    x: np.ndarray  # (pairs, p + T): covariates then one indicator per event time
    mu: np.ndarray  # fitted Poisson means r_i dLambda_k
    resid: np.ndarray  # y - mu


def expanded_size(design: _Design) -> int:
    """Rows times columns of the expanded Poisson design."""
    return int(np.sum(design.hi - design.lo)) * (design.p + design.n_times)


def _expand(design: _Design, state: _Evaluation) -> _Expanded:
    length = design.hi - design.lo
    rows = np.repeat(np.arange(design.n), length)
    start = np.repeat(np.cumsum(length) - length, length)
    time = design.lo[rows] + (np.arange(rows.size) - start)
    x = np.zeros((rows.size, design.p + design.n_times))
    x[:, : design.p] = design.x[rows]
    x[np.arange(rows.size), design.p + time] = 1.0
    s0 = design._risk_sums(state.r)
    jump = design.deaths / s0  # Breslow's baseline hazard increments
    mu = state.r[rows] * jump[time]
    y = np.zeros(rows.size)
    is_event = np.zeros(design.n, bool)
    is_event[design.ev] = True
    y[is_event[rows] & (time == design.hi[rows] - 1)] = 1.0
    return _Expanded(rows, x, mu, y - mu)


def _inverse_sqrt(g: np.ndarray) -> np.ndarray:
    """``g^(-1/2)`` of a symmetric matrix, eigenvalues below 1e-12 treated as 0 (clubSandwich)."""
    values, vectors = np.linalg.eigh(g)
    keep = values > 1e-12
    powered = np.zeros_like(values)
    powered[keep] = values[keep] ** -0.5
    return (vectors * powered) @ vectors.T


def cr2(design: _Design, state: _Evaluation, cluster: np.ndarray) -> CR2:
    """CR2 variance and Satterthwaite degrees of freedom of the first ``p`` coefficients.

    ``cluster`` holds one code per used row of the design.
    """
    e = _expand(design, state)
    mu, x = e.mu, e.x
    m = np.linalg.inv((x * mu[:, None]).T @ x)  # (X' W X)^-1 on the Poisson scale
    m = (m + m.T) / 2
    chol_m = np.linalg.cholesky(m)
    groups = cluster[e.rows]
    order = np.argsort(groups, kind="stable")
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    p = design.p
    meat = np.zeros((x.shape[1], x.shape[1]))
    g_rows, h_rows = [], []
    for idx in np.split(order, bounds):
        xj, muj = x[idx], mu[idx]
        d = np.sqrt(muj)
        u = xj * muj[:, None]  # clubSandwich's model matrix of a glm: dmu/deta times X
        ih = np.eye(idx.size) - u @ m @ xj.T  # I - H_jj (U' W = X')
        g = d[:, None] * (ih * muj[None, :]) * d[None, :]
        adjust = d[:, None] * _inverse_sqrt((g + g.T) / 2) * d[None, :]
        est = xj.T @ adjust  # E_j = X_j' W_j A_j, with X_j' W_j = x_j' here
        component = est @ e.resid[idx]
        meat += np.outer(component, component)
        me = m[:p] @ est  # the rows of M E_j for the coefficients
        g_rows.append(me * d[None, :])
        h_rows.append(me @ u @ chol_m)
    var = (m @ meat @ m)[:p, :p]
    return CR2((var + var.T) / 2, _satterthwaite(g_rows, h_rows, p))


def _satterthwaite(g_rows: list[np.ndarray], h_rows: list[np.ndarray], p: int) -> np.ndarray:
    """Degrees of freedom ``tr(P)^2 / sum(P^2)`` of each coefficient (Pustejovsky-Tipton)."""
    df = np.empty(p)
    for c in range(p):
        h = np.stack([hj[c] for hj in h_rows])  # (clusters, columns)
        big_p = -(h @ h.T)
        big_p[np.diag_indices_from(big_p)] += np.array([np.sum(gj[c] ** 2) for gj in g_rows])
        df[c] = np.trace(big_p) ** 2 / np.sum(big_p**2)
    return df
