"""The proportional-hazards test of a fitted :func:`continuity.cox` model (R's ``cox.zph``).

Each covariate :math:`x_k` gets a companion :math:`x_k g(t)`, with :math:`g` a transform of time
centred at its mean over the events; the test of term :math:`k` is the score test, at
:math:`(\\hat\\beta, 0)`, that the companion's coefficient is 0, with all of :math:`\\beta` as
nuisance (survival 3.x; Grambsch and Therneau 1994 give the older one-step approximation). Its
score is :math:`U_k = \\sum_{\\text{events}} g(t_i)(x_{ik} - \\bar x_k(t_i))` and the information
of the augmented model has blocks :math:`\\sum_j V_j`, :math:`\\sum_j g_j V_j` and
:math:`\\sum_j g_j^2 V_j` over the event slots :math:`j` (Efron or Breslow), :math:`V_j` the
covariance of the covariates in the slot's risk set.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from continuity._cox_firth import moments
from continuity._cox_residuals import _FitState

ZphTransform = Literal["km", "identity", "rank", "log"]


def _km_transform(fit: _FitState, times: np.ndarray) -> np.ndarray:
    """``1 - S(t-)`` of the Kaplan-Meier curve of all rows (delayed entry, strata ignored)."""
    data = fit.data
    event_times = np.unique(data.stop[data.event])
    starts, stops = np.sort(data.start), np.sort(data.stop)
    # at risk at t: start < t <= stop
    n_risk = (np.searchsorted(starts, event_times, side="left")
              - np.searchsorted(stops, event_times, side="left"))
    deaths = np.bincount(np.searchsorted(event_times, data.stop[data.event]),
                         minlength=event_times.size)
    surv = np.cumprod(1.0 - deaths / n_risk)
    before = np.searchsorted(event_times, times, side="left")  # event times strictly before t
    return 1.0 - np.r_[1.0, surv][before]


def _transform(fit: _FitState, transform: str) -> np.ndarray:
    """g(t) for every row's stop time, then centred at its mean over the event rows."""
    times = fit.data.stop
    if transform == "km":
        g = _km_transform(fit, times)
    elif transform == "identity":
        g = times.astype(float)
    elif transform == "log":
        g = np.log(times)
    else:
        from scipy.stats import rankdata

        g = rankdata(times)
    return g - g[fit.data.event].mean()


def zph(fit: _FitState, transform: str) -> pd.DataFrame:
    """The per-term and global tests; one row per term and a final ``GLOBAL`` row."""
    d, st = fit.design, fit.state
    g_rows = _transform(fit, transform)
    g = g_rows[d.used[d.ev]]  # per event slot (the slot's own event row)
    m1, m2, _ = moments(d, st)
    cov = m2 - np.einsum("na,nb->nab", m1, m1)
    p = d.p
    info = np.zeros((2 * p, 2 * p))
    info[:p, :p] = cov.sum(axis=0)
    info[:p, p:] = info[p:, :p] = np.einsum("n,nab->ab", g, cov)
    info[p:, p:] = np.einsum("n,nab->ab", g**2, cov)
    score = (g[:, None] * (d.x_ev - m1)).sum(axis=0)
    rows = []
    for k in range(p):
        keep = np.r_[np.arange(p), p + k]
        u = np.r_[np.zeros(p), score[k]]
        rows.append((fit.data.names[k], float(u @ np.linalg.solve(info[np.ix_(keep, keep)], u)),
                     1))
    u = np.r_[np.zeros(p), score]
    rows.append(("GLOBAL", float(u @ np.linalg.solve(info, u)), p))
    table = pd.DataFrame(rows, columns=["term", "statistic", "df"])
    table["p_value"] = special.chdtrc(table["df"], table["statistic"])
    return table
