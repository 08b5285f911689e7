"""Generalised linear models with fixed effects and cluster-robust variance, on numpy/scipy.

Private: :func:`continuity.event_study` and :func:`continuity.discrete_hazard` fit through it.
It fits R's ``glm(y ~ x + factor(a) + factor(b) + offset(o), family = ...)`` by iteratively
reweighted least squares, with the fixed effects as sparse indicator columns, and returns the
coefficients of ``x`` with the variance of ``sandwich::vcovCL(fit, cluster = ~ g)``:

    V = c (Z'WZ)^-1 (sum_g s_g s_g') (Z'WZ)^-1,   s_g = sum_{i in g} z_i w_i (y_i - mu_i) / mu'_i

with ``c = G / (G - 1)`` (``type = "HC0"``, vcovCL's default for a glm) or ``c = G / (G - 1)
(n - 1) / (n - p)`` (``type = "HC1"``, its default for an lm). Columns aliased with earlier ones
are dropped in order, as R's ``glm`` sets them to NA, so covariates are kept before fixed effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from scipy.special import expit

from continuity.errors import ConvergenceWarning, ValidationError

__all__ = ["GlmFit", "fit_glm"]

_EPS = 1e-10


@dataclass(frozen=True)
class _Family:
    name: str
    inverse: object        # eta -> mu
    derivative: object     # eta -> dmu/deta
    variance: object       # mu -> V(mu)
    deviance: object       # (y, mu) -> unit deviances
    start: object          # y -> starting mu


def _poisson_dev(y, mu):
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(y > 0, y * np.log(y / mu), 0.0)
    return 2.0 * (t - (y - mu))


def _binomial_dev(y, mu):
    mu = np.clip(mu, _EPS, 1 - _EPS)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y > 0, y * np.log(y / mu), 0.0)
        b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return 2.0 * (a + b)


def _cloglog_mu(eta):
    return np.clip(-np.expm1(-np.exp(np.minimum(eta, 700))), _EPS, 1 - _EPS)


def _cloglog_dmu(eta):
    eta = np.minimum(eta, 700)
    return np.maximum(np.exp(eta - np.exp(eta)), _EPS)


FAMILIES = {
    "poisson": _Family("poisson", lambda e: np.exp(np.minimum(e, 700)),
                       lambda e: np.exp(np.minimum(e, 700)), lambda m: m, _poisson_dev,
                       lambda y: y + 0.1),
    "logit": _Family("logit", lambda e: np.clip(expit(e), _EPS, 1 - _EPS),
                     lambda e: np.maximum(expit(e) * (1 - expit(e)), _EPS),
                     lambda m: m * (1 - m), _binomial_dev, lambda y: (y + 0.5) / 2),
    "cloglog": _Family("cloglog", _cloglog_mu, _cloglog_dmu, lambda m: m * (1 - m),
                       _binomial_dev, lambda y: (y + 0.5) / 2),
    "gaussian": _Family("gaussian", lambda e: e, np.ones_like, np.ones_like,
                        lambda y, mu: (y - mu) ** 2, lambda y: y),
}

_LINKS = {"poisson": np.log, "logit": lambda m: np.log(m / (1 - m)),
          "cloglog": lambda m: np.log(-np.log1p(-m)), "gaussian": lambda m: m}


@dataclass(frozen=True)
class GlmFit:
    """The covariates' coefficients of a fit and their cluster-robust variance."""

    coef: np.ndarray
    vcov: np.ndarray
    n: int
    n_clusters: int
    n_params: int
    deviance: float
    iterations: int
    converged: bool


def _design(x: np.ndarray, fixed: list[np.ndarray]) -> tuple[np.ndarray, sp.csr_matrix]:
    """``R = [x, FE_2 (less its first level), ...]`` dense, and the absorbed ``FE_1``.

    The first fixed effect (or the intercept, without any) is absorbed: the normal equations
    are solved for ``R`` demeaned within its levels (the Frisch-Waugh-Lovell partition of the
    same equations, so the estimates and their variance are those of the full design).
    """
    n = x.shape[0]
    first = fixed[0] if fixed else np.zeros(n, dtype=np.int64)
    n_levels = int(first.max()) + 1 if n else 0
    absorbed = sp.csr_matrix((np.ones(n), (np.arange(n), first)), shape=(n, n_levels))
    blocks = [x]
    for codes in fixed[1:]:
        levels = int(codes.max()) + 1 if n else 0
        blocks.append((codes[:, None] == np.arange(1, levels)[None, :]).astype(float))
    return np.hstack(blocks), absorbed


def _demean(r: np.ndarray, d: sp.csr_matrix, w: np.ndarray) -> np.ndarray:
    """``r`` less its ``w``-weighted mean within each level of ``d``."""
    wsum = np.asarray(d.T @ w).ravel()
    means = (d.T @ (r * w[:, None] if r.ndim == 2 else r * w))
    means = means / (wsum[:, None] if r.ndim == 2 else wsum)
    return r - d @ means
def _independent(gram: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Columns not aliased with earlier ones (a Cholesky in column order that skips them)."""
    p = gram.shape[0]
    chol = np.zeros((p, p))
    keep: list[int] = []
    for j in range(p):
        d = gram[j, j]
        v = np.empty(0)
        if keep:
            k = len(keep)
            v = scipy.linalg.solve_triangular(chol[:k, :k], gram[keep, j], lower=True)
            d = gram[j, j] - v @ v
        if gram[j, j] > 0 and d > tol * gram[j, j]:
            k = len(keep)
            chol[k, :k] = v
            chol[k, k] = np.sqrt(d)
            keep.append(j)
    return np.array(keep, dtype=np.int64)


def fit_glm(y: np.ndarray, x: np.ndarray, fixed: list[np.ndarray], cluster: np.ndarray, *,
            family: str, offset: np.ndarray | None = None, vcov_type: str = "HC0",
            names: list[str] | None = None, where: str = "glm",
            max_iter: int = 100, tol: float = 1e-13) -> GlmFit:
    """Fit by IRLS; return the coefficients of ``x`` and their ``vcovCL`` variance."""
    fam = FAMILIES[family]
    n, k = x.shape
    r, d = _design(x, fixed)
    tilde = _demean(r, d, np.ones(n))
    gram = tilde.T @ tilde
    # a covariate is estimable when it is not aliased with the fixed effects: checked with the
    # fixed effects first; the fit then keeps the covariates first, as R's glm does
    m = gram.shape[0]
    order = np.r_[k:m, 0:k]
    kept_last = set(order[_independent(gram[np.ix_(order, order)])].tolist())
    aliased = [j for j in range(k) if j not in kept_last]
    keep = _independent(gram)
    if aliased:
        shown = ", ".join(names[j] if names else str(j) for j in aliased)
        raise ValidationError([f"{where}: {shown} cannot be estimated: aliased with the fixed "
                               "effects or the other terms (no variation left once they are "
                               "held fixed); bin relative periods more widely, or drop the term"])
    r = r[:, keep]
    off = np.zeros(n) if offset is None else offset
    beta, mu, eta, it, converged = _irls(fam, y, r, d, off, max_iter, tol)
    dmu = fam.derivative(eta)
    w = dmu**2 / fam.variance(mu)
    tilde = _demean(r, d, w)
    a = tilde.T @ (tilde * w[:, None])
    # the covariates' rows of the inverse of the full Z'WZ act on each row as B r~_i
    rows = scipy.linalg.solve(a, np.eye(a.shape[0])[:, :k], assume_a="pos").T
    resid = (y - mu) * dmu / fam.variance(mu)
    u = (tilde @ rows.T) * resid[:, None]
    g_codes, g = _codes(cluster)
    s = np.zeros((g, k))
    np.add.at(s, g_codes, u)
    c = g / (g - 1) if g > 1 else np.nan
    p = r.shape[1] + d.shape[1]
    if vcov_type == "HC1":
        c *= (n - 1) / (n - p)
    vcov = c * (s.T @ s)
    dev = float(np.sum(fam.deviance(y, mu)))
    return GlmFit(beta[:k], vcov, n, g, p, dev, it, converged)


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    _, codes = np.unique(values, return_inverse=True)
    return codes.ravel(), int(codes.max()) + 1 if len(codes) else 0


def _irls(fam: _Family, y, r, d, off, max_iter: int, tol: float):
    mu = fam.start(y)
    eta = _LINKS[fam.name](mu)
    dev_old = np.inf
    beta = np.zeros(r.shape[1])
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        dmu = fam.derivative(eta)
        w = dmu**2 / fam.variance(mu)
        work = eta - off + (y - mu) / dmu
        tilde = _demean(r, d, w)
        new = scipy.linalg.solve(tilde.T @ (tilde * w[:, None]), tilde.T @ (w * work),
                                 assume_a="pos")
        for _ in range(30):  # step-halving when the deviance rises or is not finite
            eta_new = _linear_predictor(r, d, w, work, new) + off
            mu_new = fam.inverse(eta_new)
            dev = float(np.sum(fam.deviance(y, mu_new)))
            if np.isfinite(dev) and (dev <= dev_old * (1 + 1e-12) or it == 1):
                break
            new = (new + beta) / 2
        beta, eta, mu = new, eta_new, mu_new
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
    if not converged:
        import warnings

        warnings.warn(f"IRLS did not converge in {max_iter} iterations", ConvergenceWarning,
                      stacklevel=3)
    return beta, mu, eta, it, converged


def _linear_predictor(r, d, w, work, beta) -> np.ndarray:
    """``r beta`` plus the absorbed effects: the weighted mean of ``work - r beta`` by level."""
    fit = r @ beta
    return fit + (work - fit - _demean(work - fit, d, w))
