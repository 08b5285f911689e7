"""The Nelson-Aalen estimator of the cumulative hazard, with its variance and intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import ndtri

from continuity._options import check_conf_level, check_literal
from continuity._risk import risk_tables
from continuity._rows import per_group, prepare_rows, with_keys

__all__ = ["HazardConfType", "nelson_aalen"]

#: The scale of the Nelson-Aalen interval: symmetric for log H, or for H itself.
HazardConfType = Literal["log", "plain"]


def _hazard_limits(estimate, std_error, conf_level, conf_type):
    z = ndtri(1.0 - (1.0 - conf_level) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            return np.maximum(estimate - z * std_error, 0.0), estimate + z * std_error
        h = np.where(estimate > 0, estimate, np.nan)
        spread = np.exp(z * std_error / h)
        return h / spread, h * spread


def nelson_aalen(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    conf_type: HazardConfType = "log",
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
    weights: str | None = None,
) -> pd.DataFrame:
    """Nelson-Aalen cumulative hazard with delayed entry, its standard error and intervals.

    Parameters
    ----------
    df, by, conf_level, start, stop, event, timefix, weights
        As in :func:`continuity.kaplan_meier`.
    conf_type : {"log", "plain"}, default "log"
        Scale of the pointwise normal interval: symmetric for log H (never below 0), or for H.

    Returns
    -------
    pandas.DataFrame
        One row per distinct exit time per group, sorted by group then time: the ``by``
        columns, then ``time``, ``n_at_risk``, ``n_events``, ``n_censored`` (as in
        :func:`continuity.kaplan_meier`), and

        - ``estimate``: the cumulative hazard H(time), expected events per unit at risk from
          the origin (R's ``survfit(...)$cumhaz``).
        - ``std_error``: its standard error, Aalen's :math:`\\sqrt{\\sum d_j / n_j^2}` (R's
          ``std.chaz``).
        - ``conf_low``, ``conf_high``: the interval at ``conf_level``; NaN on the "log" scale
          where H = 0 (before the first event).

    Raises
    ------
    continuity.ValidationError
        As :func:`continuity.kaplan_meier`.
    continuity.OptionError
        If ``conf_level`` or ``conf_type`` is out of its range.

    Notes
    -----
    :math:`\\hat H(t) = \\sum_{t_j \\le t} d_j / n_j` and :math:`\\widehat{\\operatorname{Var}}
    \\hat H(t) = \\sum_{t_j \\le t} d_j / n_j^2` (Aalen 1978; Klein and Moeschberger,
    *Survival Analysis*, 2nd ed., 2003, sec. 4.2), with :math:`n_j` the rows (or weights) at risk,
    ``t_start < t_j <= t_stop``. The same as R's ``survfit`` (``ctype = 1``, its default).

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity import nelson_aalen
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 2, 4], "event": [1, 1, 0, 1]})
    >>> nelson_aalen(rows, start=None)[["time", "n_at_risk", "n_events", "estimate"]].round(4)
       time  n_at_risk  n_events  estimate
    0   1.0          4         1    0.2500
    1   2.0          3         1    0.5833
    2   4.0          1         1    1.5833
    """
    fn = "nelson_aalen"
    conf_level = check_conf_level(conf_level, fn)
    check_literal(conf_type, HazardConfType, "conf_type", fn)
    rows = prepare_rows(df, by, start, stop, event, fn, timefix=timefix, weights=weights)
    tab = risk_tables(rows)
    n, d = np.asarray(tab.at_risk, dtype=float), np.asarray(tab.events, dtype=float)
    increment, variance = d / n, d / (n * n)  # n > 0 at every exit time
    for sl in per_group(tab.code, rows.n_groups):
        np.cumsum(increment[sl], out=increment[sl])
        np.cumsum(variance[sl], out=variance[sl])
    std_error = np.sqrt(variance)
    low, high = _hazard_limits(increment, std_error, conf_level, conf_type)
    return with_keys(
        rows,
        tab.code,
        {
            "time": tab.time,
            "n_at_risk": tab.at_risk,
            "n_events": tab.events,
            "n_censored": tab.exits - tab.events,
            "estimate": increment,
            "std_error": std_error,
            "conf_low": low,
            "conf_high": high,
        },
    )
