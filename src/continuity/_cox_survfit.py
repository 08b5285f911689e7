"""Survival curves of a fitted :func:`continuity.cox` model for given covariates (R's
``survfit.coxph``).

For covariates :math:`x_0`, the cumulative hazard is :math:`\\hat\\Lambda(t; x_0) = \\sum_{t_k
\\le t} \\sum_j e^{(x_0-\\bar x)'\\hat\\beta} / D_{kj}`, summed over the event slots :math:`j`
of each event time (one slot per event with Efron's ties, as the fit's likelihood), and the
survival is :math:`\\exp(-\\hat\\Lambda)`. Its variance (Tsiatis 1981; Therneau and Grambsch
2000, sec. 10.2) is :math:`\\sum e^{2(x_0-\\bar x)'\\beta}/D_{kj}^2 + d(t)'Vd(t)`, with
:math:`d(t) = \\sum e^{(x_0-\\bar x)'\\beta}(x_0 - \\bar x_{kj})/D_{kj}` and :math:`V` the
model-based variance; the limits are ``exp(log S +- z se)`` (R's ``conf.type = "log"``),
the upper one at most 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from continuity._cox_residuals import _FitState
from continuity.errors import ContinuityTypeError, ValidationError


def _newdata(fit: _FitState, newdata: object) -> np.ndarray:
    names = fit.data.names
    if newdata is None:
        # R's fit$means: column means, but 0 for a covariate that only takes 0 and 1
        x = fit.data.x
        binary = np.all((x == 0) | (x == 1), axis=0)
        return np.where(binary, 0.0, x.mean(axis=0))[None, :]
    if not isinstance(newdata, pd.DataFrame):
        raise ContinuityTypeError("CoxResult.predict_survival: newdata must be a DataFrame with "
                                  f"the columns {names}, got {type(newdata).__name__}")
    missing = [c for c in names if c not in newdata.columns]
    if missing:
        raise ValidationError(f"CoxResult.predict_survival: newdata lacks the covariate "
                              f"column(s) {', '.join(map(repr, missing))}")
    try:
        x0 = newdata[names].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValidationError("CoxResult.predict_survival: newdata's covariates must be "
                              "numbers") from None
    if not np.all(np.isfinite(x0)):
        raise ValidationError("CoxResult.predict_survival: newdata has missing or infinite "
                              "covariate values")
    return x0


def _cumsum_by_stratum(values: np.ndarray, stratum: np.ndarray) -> np.ndarray:
    """Cumulative sums along event times, restarting at each stratum (times are in order)."""
    total = np.cumsum(values, axis=0)
    first = np.flatnonzero(np.r_[True, stratum[1:] != stratum[:-1]])
    owner = np.repeat(first, np.diff(np.r_[first, len(values)]))  # first time of own stratum
    before = np.zeros_like(total)
    has = owner > 0
    before[has] = total[owner[has] - 1]
    return total - before


def predict_survival(fit: _FitState, newdata: object, conf_level: float) -> pd.DataFrame:
    """One survival curve per row of ``newdata``, at the event times (of each stratum)."""
    d, st = fit.design, fit.state
    x0 = _newdata(fit, newdata) - d.center
    haz = d._by_time(st.inv)
    haz2 = d._by_time(st.inv**2)
    xhaz = d._by_time(st.mean * st.inv[:, None])
    stratum = d.time_stratum
    c_haz = _cumsum_by_stratum(haz, stratum)
    c_haz2 = _cumsum_by_stratum(haz2, stratum)
    c_xhaz = _cumsum_by_stratum(xhaz, stratum)
    n_risk = d._risk_sums(np.ones(d.n))
    crit = special.ndtri(0.5 + conf_level / 2)
    frames = []
    for curve, xc in enumerate(x0):
        risk = float(np.exp(xc @ fit.beta))
        cumhaz = risk * c_haz
        dvec = risk * (c_haz[:, None] * xc[None, :] - c_xhaz)
        var = risk**2 * c_haz2 + np.einsum("ka,ab,kb->k", dvec, fit.naive, dvec)
        se = np.sqrt(var)
        frames.append(pd.DataFrame({
            "curve": curve, "stratum": stratum, "time": d.time_value, "n_at_risk": n_risk,
            "n_events": d.deaths, "estimate": np.exp(-cumhaz), "cumhaz": cumhaz,
            "std_error": se, "conf_low": np.exp(-cumhaz - crit * se),
            "conf_high": np.minimum(np.exp(-cumhaz + crit * se), 1.0),
        }))
    return pd.concat(frames, ignore_index=True)
