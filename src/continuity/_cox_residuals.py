"""Residuals of a fitted :func:`continuity.cox` model, as R's ``residuals.coxph``.

Per row: martingale :math:`M_i = \\delta_i - \\hat\\Lambda_i` (the event indicator minus the
expected count over the row's interval, with Efron's split of tied events), deviance
:math:`\\operatorname{sign}(M_i)\\sqrt{-2(M_i + \\delta_i\\log(\\delta_i - M_i))}`, score
:math:`L_i` (Lin and Wei) and dfbeta :math:`L_i V` (the approximate change of the coefficients
when the row is left out; :math:`V` the model-based variance). Collapsed by cluster, each is
summed over the cluster's rows first (deviance from the summed martingale and event count).
Per event: Schoenfeld :math:`x_i - \\bar x(t_i)` (with tied events, the mean of the Efron
means) and scaled Schoenfeld :math:`d\\,V r_i + \\hat\\beta` (Grambsch and Therneau 1994).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from continuity._cox_data import _CoxData
from continuity._cox_design import _Design, _Evaluation
from continuity.errors import OptionError

ResidualType = Literal["martingale", "deviance", "score", "dfbeta", "schoenfeld", "scaledsch"]


class _FitState(NamedTuple):
    """What a residual needs from a fit: kept on the result, not shown."""

    data: _CoxData
    design: _Design
    state: _Evaluation
    beta: np.ndarray
    naive: np.ndarray


def _martingale(fit: _FitState) -> np.ndarray:
    d, st = fit.design, fit.state
    expected = st.r * st.cum_haz
    expected[d.ev] -= st.r[d.ev] * st.haz_f[d.group]
    out = np.zeros(d.n_all)
    out[d.used] = -expected
    out += fit.data.event
    return out


def _deviance(martingale: np.ndarray, events: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(events > 0, events * np.log(np.maximum(events - martingale, 1e-300)),
                            0.0)
    return np.sign(martingale) * np.sqrt(np.maximum(-2 * (martingale + log_term), 0.0))


def _collapse(values: np.ndarray, data: _CoxData) -> np.ndarray:
    cluster, n = data.cluster, data.n_clusters  # callers check that the fit has a cluster
    if cluster is None or n is None:
        raise OptionError("CoxResult.residuals: collapse=True needs a fit with cluster=")
    if values.ndim == 1:
        return np.bincount(cluster, weights=values, minlength=n)
    return np.column_stack([_collapse(values[:, k], data) for k in range(values.shape[1])])


def _schoenfeld(fit: _FitState, scaled: bool) -> pd.DataFrame:
    d = fit.design
    mbar = d._by_time(fit.state.mean) / d.deaths[:, None]
    resid = d.x_ev - mbar[d.group]
    if scaled:
        resid = d.ev.size * resid @ fit.naive + fit.beta
    rows = d.used[d.ev]
    frame = pd.DataFrame(resid, columns=fit.data.names)
    frame.insert(0, "time", fit.data.stop[rows])
    frame.insert(0, "row", fit.data.index[rows] if fit.data.index is not None else rows)
    return frame


def residuals(fit: _FitState, type: str, collapse: bool | None) -> pd.DataFrame:
    """The residuals of one type, per row (or per cluster), or per event for Schoenfeld's."""
    from continuity._options import check_literal

    check_literal(type, ResidualType, "type", "CoxResult.residuals")
    data = fit.data
    if type in ("schoenfeld", "scaledsch"):
        if collapse:
            raise OptionError(f"CoxResult.residuals: {type} residuals are per event; they do "
                              "not collapse by cluster")
        return _schoenfeld(fit, scaled=type == "scaledsch")
    if collapse and data.cluster is None:
        raise OptionError("CoxResult.residuals: collapse=True needs a fit with cluster=")
    by_cluster = data.cluster is not None if collapse is None else bool(collapse)
    index = data.cluster_labels if by_cluster else data.index
    if type in ("martingale", "deviance"):
        mart = _martingale(fit)
        events = data.event.astype(float)
        if by_cluster:
            mart, events = _collapse(mart, data), _collapse(events, data)
        value = mart if type == "martingale" else _deviance(mart, events)
        return pd.DataFrame({type: value}, index=index)
    score = fit.design.residuals(fit.state)
    if by_cluster:
        score = _collapse(score, data)
    if type == "dfbeta":
        score = score @ fit.naive
    return pd.DataFrame(score, index=index, columns=data.names)
