"""Kaplan-Meier curves, medians, restricted mean survival time and the log-rank test.

Every function takes counting-process rows ``(t_start, t_stop, event)``, as
``survival::survSplit`` / ``tmerge`` produce and as :mod:`continuity` builds from leadership
transitions, and agrees with R's ``survival`` package (``survfit``, ``print.survfit``,
``survdiff``) to numerical precision; ``tests/parity/`` holds the R script and its results.

Conventions, the same as R's:

- A row is at risk at time ``t`` when ``t_start < t <= t_stop``. A row entering at ``t`` is not at
  risk of an event at ``t``; a row leaving at ``t`` is. Rows enter late (left truncation, delayed
  entry) simply by having ``t_start`` above the origin.
- ``event`` is 1 when the row ends with the event, 0 when it is censored at ``t_stop`` (which, for a
  subject split into several rows, includes the internal ends of its episodes: as ``survfit``
  without ``id=``, such an end is counted in ``n_censored``; it changes no estimate).
- ``start=None`` reads right-censored data: every row is at risk from the start of time.
- Times that differ only by floating-point noise (``2`` and ``sqrt(2)**2``) are one time, as in R
  (``timefix=TRUE``, ``aeqSurv``): the rule lives in :mod:`continuity._ties` and ``cox`` uses it
  too. ``timefix=False`` compares times exactly. Whole days (the unit of :mod:`continuity`) are
  never merged.

Everything is vectorised, with no Python loop over rows or distinct times. Whole-number times
(days) are counted on a grid of groups x days with ``np.bincount``; other times take one sort of
the exit times, one of the entry times and one of the event times per group, then binary
searches. Cumulative products and sums give the curve.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtri

from continuity._options import (
    Extend,
    SurvivalConfType,
    check_conf_level,
    check_literal,
    check_number,
)
from continuity._risk import risk_tables
from continuity._rows import (
    Rows,
    group_counts,
    per_group,
    prepare_rows,
    with_keys,
)
from continuity.compare import logrank, logrank_table
from continuity.proportions import clopper_pearson

__all__ = [
    "kaplan_meier",
    "logrank",
    "logrank_table",
    "median_survival",
    "rmst",
]

#: Tolerance of R's median rule (``.Machine$double.eps^0.5`` in ``survival:::survmean``).
_MEDIAN_TOL = np.sqrt(np.finfo(float).eps)


# --------------------------------------------------------------------------------- the KM


def _effective_n(surv, se_log, at_risk, code, n_groups):
    """Dorey and Korn's effective sample size S(1 - S) / Var S, with Greenwood's Var S.

    It is the number of rows while nobody has been censored or entered late. Where S = 1 it
    is the number at risk; where S = 0 the last value before (or the number at risk).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = (1.0 - surv) / (surv * se_log**2)
    n_eff = np.where(surv == 1, at_risk, n_eff)
    for sl in per_group(code, n_groups):
        part = n_eff[sl]
        known = np.isfinite(part)
        last = np.maximum.accumulate(np.where(known, np.arange(part.size), -1))
        filled = np.where(last >= 0, part[np.maximum(last, 0)], np.asarray(at_risk[sl], float))
        n_eff[sl] = np.where(known, part, filled)
    return n_eff


def _confint(surv, se_log, conf_level, conf_type, n_eff=None):
    """R's ``survfit`` confidence limits; ``se_log`` is the standard error of log S (Greenwood).

    ``conf_type="exact"`` needs ``n_eff``: Clopper-Pearson limits for ``S * n_eff`` survivors
    out of ``n_eff``.
    """
    if conf_type == "exact":
        return clopper_pearson(surv * n_eff, n_eff, conf_level)
    z = ndtri(1.0 - (1.0 - conf_level) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            half = z * se_log * surv
            lower = np.maximum(surv - half, 0.0)
            upper = np.minimum(surv + half, 1.0)
        elif conf_type == "log":
            s = np.where(surv == 0, np.nan, surv)
            lower = s * np.exp(-z * se_log)
            upper = np.minimum(s * np.exp(z * se_log), 1.0)
        else:  # log-log: exp(-exp(log(-log S) -/+ shift)) = exp(log S * exp(-/+ shift))
            log_s = np.log(surv)
            log_s[surv == 1] = np.nan  # and log 0 = -inf gives NaN below
            growth = np.multiply(se_log, z)
            np.divide(growth, log_s, out=growth)
            np.exp(growth, out=growth)  # exp(shift), shift = z * se_log / log S
            lower = np.divide(log_s, growth)
            np.exp(lower, out=lower)
            upper = np.multiply(log_s, growth, out=growth)
            np.exp(upper, out=upper)
            lower[surv == 0] = np.nan
            upper[surv == 0] = np.nan
    # R's pmax/pmin keep NaN: NaN comparisons above already propagate NaN.
    return lower, upper


def _limits(rows, code, surv, se_log, at_risk, conf_level, conf_type):
    n_eff = None
    if conf_type == "exact":
        n_eff = _effective_n(surv, se_log, at_risk, code, rows.n_groups)
    return _confint(surv, se_log, conf_level, conf_type, n_eff)


def _km_all(rows: Rows):
    """Risk tables, the Kaplan-Meier estimate and Greenwood's sum (variance of log S)."""
    tab = risk_tables(rows)
    code, at_risk, events = tab.code, tab.at_risk, tab.events
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = 1.0 - events / at_risk
        term = np.where(events > 0, events / (at_risk * (at_risk - events)), 0.0)
    surv = np.empty_like(factor)
    greenwood = np.empty_like(term)  # +inf once the curve reaches 0
    for sl in per_group(code, rows.n_groups):
        np.cumprod(factor[sl], out=surv[sl])
        np.cumsum(term[sl], out=greenwood[sl])
    return code, (tab.time, at_risk, events, tab.exits - events, surv, greenwood)


def kaplan_meier(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    conf_type: SurvivalConfType = "log-log",
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
    weights: str | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier survival curve with delayed entry and Greenwood confidence intervals.

    Parameters
    ----------
    df : pandas.DataFrame
        Counting-process rows: one row per interval ``(t_start, t_stop]`` at risk. Not modified.
    by : str or list of str, optional
        Column(s) whose distinct values define separate curves (sorted as ``groupby`` sorts).
    conf_level : float, default 0.95
        Level of the pointwise confidence interval, strictly between 0 and 1.
    conf_type : {"log-log", "log", "plain", "exact"}, default "log-log"
        Scale on which the normal interval is built, as R's ``survfit(conf.type=)``: "log-log"
        is symmetric for ``log(-log S)``, "log" for ``log S`` (upper limit capped at 1), "plain"
        for ``S`` itself (clipped to [0, 1]). Note that R's own default is "log". "exact" is
        for a handful of units: the Clopper-Pearson interval for ``S * n_eff`` survivors out
        of Dorey and Korn's effective sample size ``n_eff = S (1 - S) / Var S`` (see Notes).
    start, stop, event : str
        Names of the entry-time, exit-time and event (0/1 or bool) columns. ``start=None`` reads
        right-censored data: every row is at risk from the start of time.
    timefix : bool, default True
        Treat times that differ only by floating-point noise as one time, as R's ``survfit``
        (``timefix = TRUE``): distinct times closer than about 1.5e-8 (absolute, or relative to
        the mean time) are merged into the smallest of them. False compares times exactly.
    weights : str, optional
        Name of a column of positive case weights (sampling or inverse-probability weights),
        as R's ``survfit(weights=)``: every count becomes a sum of weights.

    Returns
    -------
    pandas.DataFrame
        One row per distinct exit time (event or censoring) per group, sorted by group then time,
        as R's ``summary(survfit(...), censored=TRUE)``. Columns: the ``by`` columns, then

        - ``time``: the exit time, in the unit of the input (float).
        - ``n_at_risk``: rows with ``t_start < time <= t_stop`` (their summed weights, a float,
          with ``weights``).
        - ``n_events``: rows ending with the event at ``time`` (or their weights).
        - ``n_censored``: rows ending without the event at ``time`` (or their weights).
        - ``estimate``: the Kaplan-Meier estimate S(time), a probability.
        - ``std_error``: the standard error of S(time) (Greenwood), the ``std.err`` that R's
          ``summary(survfit(...))`` reports. R's survfit *object* stores instead the standard
          error of the cumulative hazard -log S; it is ``std_error / estimate``. NaN once the
          curve has reached 0 (R: NA).
        - ``conf_low``, ``conf_high``: the pointwise interval at ``conf_level`` on the
          ``conf_type`` scale. NaN where that scale is undefined, as in R: where S = 0 for "log"
          and "log-log", and also where S = 1 for "log-log".

    Raises
    ------
    continuity.ValidationError
        If a column is missing or not numeric, a time is missing or infinite, a row has
        ``t_stop <= t_start``, ``event`` is not 0/1, a ``by`` column has missing values, or an
        option is out of its range.

    Notes
    -----
    With :math:`n_j` rows at risk and :math:`d_j` events at the distinct times :math:`t_j`,

    .. math::

        \\hat S(t) = \\prod_{t_j \\le t} (1 - d_j / n_j), \\qquad
        \\widehat{\\operatorname{Var}}(\\log \\hat S(t)) = \\sum_{t_j \\le t}
        \\frac{d_j}{n_j (n_j - d_j)} = \\sigma^2(t),

    ``std_error`` is :math:`\\hat S(t)\\,\\sigma(t)` (Greenwood's formula). With :math:`z` the
    normal quantile, the intervals are :math:`\\hat S \\pm z \\hat S \\sigma` ("plain"),
    :math:`\\hat S e^{\\pm z\\sigma}` ("log") and
    :math:`\\exp(-\\exp(\\log(-\\log \\hat S) \\mp z \\sigma / \\log \\hat S))` ("log-log").
    With ``conf_type="exact"``, while no row has been censored or entered late before
    :math:`t`, :math:`\\hat S(t)` is a binomial share of the :math:`n` rows and ``n_eff`` is
    :math:`n`: the interval is then exactly Clopper-Pearson's (R's ``binom.test``), and covers
    the truth at least ``conf_level`` of the time with one or two events, where the normal
    intervals do not (``validation/km_small_coverage.md``). After censoring it is Dorey and
    Korn's approximation (Statistics in Medicine 6, 1987, 679-687). Where S = 1 the number at
    risk stands for ``n_eff``; where S = 0, the last ``n_eff`` before.
    Delayed entry only changes the risk sets :math:`n_j` (Kalbfleisch and Prentice, *The
    Statistical Analysis of Failure Time Data*, 2nd ed., 2002, sec. 1.3 and 4.3; Therneau and
    Grambsch, *Modeling Survival Data*, 2000, sec. 2.2).

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import kaplan_meier
    >>> rows = pd.DataFrame({"t_start": [0, 0, 2, 0, 1], "t_stop": [3, 5, 6, 2, 4],
    ...                      "event": [1, 0, 1, 1, 1]})
    >>> km = kaplan_meier(rows)
    >>> km[["time", "n_at_risk", "n_events", "n_censored", "estimate"]]
       time  n_at_risk  n_events  n_censored  estimate
    0   2.0          4         1           0    0.7500
    1   3.0          4         1           0    0.5625
    2   4.0          3         1           0    0.3750
    3   5.0          2         0           1    0.3750
    4   6.0          1         1           0    0.0000
    """
    fn = "kaplan_meier"
    conf_level = check_conf_level(conf_level, fn)
    check_literal(conf_type, SurvivalConfType, "conf_type", fn)
    rows = prepare_rows(df, by, start, stop, event, fn, timefix=timefix, weights=weights)
    code, (times, at_risk, events, censored, surv, greenwood) = _km_all(rows)
    with np.errstate(invalid="ignore"):
        se_log = np.sqrt(greenwood)
        std_error = np.where(surv == 0, np.nan, surv * se_log)
    lower, upper = _limits(rows, code, surv, se_log, at_risk, conf_level, conf_type)
    return with_keys(
        rows,
        code,
        {
            "time": times,
            "n_at_risk": at_risk,
            "n_events": events,
            "n_censored": censored,
            "estimate": surv,
            "std_error": std_error,
            "conf_low": lower,
            "conf_high": upper,
        },
    )


# --------------------------------------------------------------------------------- medians


def _first_below_half(times: np.ndarray, y: np.ndarray) -> float:
    """R's median rule (``minmin`` in ``survival:::survmean``), for a curve or a limit.

    The first time the curve is at or below 0.5 (NaN values skipped); when it is 0.5 exactly
    (within 1.5e-8) the midpoint between that time and the next time the curve drops further,
    if it ever does.
    """
    keep = ~np.isnan(y) & (y < 0.5 + _MEDIAN_TOL)
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return np.nan
    i = idx[0]
    if abs(y[i] - 0.5) < _MEDIAN_TOL:
        later = idx[1:][y[idx[1:]] < y[i]]
        if later.size:
            return (times[i] + times[later[0]]) / 2.0
    return float(times[i])


def median_survival(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    conf_type: SurvivalConfType = "log-log",
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
) -> pd.DataFrame:
    """Median survival time and its confidence interval, per group, as R's ``print(survfit)``.

    Parameters
    ----------
    df, by, conf_level, conf_type, start, stop, event, timefix
        As in :func:`kaplan_meier`.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns: the ``by`` columns, then

        - ``estimate``: the median survival time, in the unit of the input times; NaN if the
          curve never falls to 0.5.
        - ``conf_low``, ``conf_high``: the same rule applied to the lower and the upper
          confidence limit of the curve (R's ``0.95LCL`` and ``0.95UCL``); NaN when that limit
          never falls to 0.5.
        - ``n``: the number of rows (R's ``records``; with several rows per subject it counts
          rows, not subjects).
        - ``n_events``: the number of events.

    Raises
    ------
    continuity.ValidationError
        As :func:`kaplan_meier`.

    Notes
    -----
    The median is the first time :math:`t_j` with :math:`\\hat S(t_j) \\le 0.5`. If
    :math:`\\hat S(t_j) = 0.5` exactly (to 1.5e-8) and the curve drops again later, at
    :math:`t_k`, the median is :math:`(t_j + t_k)/2` (R's rule, Therneau's ``survival`` package,
    ``print.survfit``); if it never drops again, it is :math:`t_j`. The confidence interval is
    that of Brookmeyer and Crowley (Biometrics 38, 1982, 29-41): the times at which the
    confidence limits of the curve cross 0.5, so it depends on ``conf_type``.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import median_survival
    >>> rows = pd.DataFrame({"t_start": 0, "t_stop": [1, 2, 3, 5], "event": [1, 1, 0, 1]})
    >>> median_survival(rows)[["estimate", "n", "n_events"]]
       estimate  n  n_events
    0       3.5  4         3
    """
    fn = "median_survival"
    conf_level = check_conf_level(conf_level, fn)
    check_literal(conf_type, SurvivalConfType, "conf_type", fn)
    rows = prepare_rows(df, by, start, stop, event, fn, timefix=timefix)
    code, (times, at_risk, _, _, surv, greenwood) = _km_all(rows)
    with np.errstate(invalid="ignore"):
        se_log = np.sqrt(greenwood)
    lower, upper = _limits(rows, code, surv, se_log, at_risk, conf_level, conf_type)
    est, low, high = [], [], []
    for sl in per_group(code, rows.n_groups):
        est.append(_first_below_half(times[sl], surv[sl]))
        low.append(_first_below_half(times[sl], lower[sl]))
        high.append(_first_below_half(times[sl], upper[sl]))
    n, d = group_counts(rows)
    return with_keys(
        rows,
        np.arange(rows.n_groups),
        {
            "estimate": np.asarray(est, dtype=float),
            "conf_low": np.asarray(low, dtype=float),
            "conf_high": np.asarray(high, dtype=float),
            "n": n,
            "n_events": d,
        },
    )


# --------------------------------------------------------------------------------- RMST


def _rmst_group(times, at_risk, events, surv, horizon, origin):
    keep = times <= horizon
    t = np.append(times[keep], horizon)
    s_before = np.concatenate([[1.0], surv[keep]])  # S on [t_{j-1}, t_j)
    with np.errstate(divide="ignore", invalid="ignore"):
        n, d = at_risk[keep], events[keep]
        hh = np.where(n - d == 0, 0.0, d / (n * (n - d).astype(float)))
    rect = np.diff(np.concatenate([[origin], t])) * s_before
    estimate = rect.sum() + origin
    # area under the curve from each time t_j (j over kept times) to the horizon
    after = np.cumsum(rect[::-1])[::-1][1:]
    variance = float(np.sum(after**2 * hh))
    return estimate, np.sqrt(variance)


def rmst(
    df: pd.DataFrame,
    horizon: float,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
    extend: Extend = "no",
) -> pd.DataFrame:
    """Restricted mean survival time up to ``horizon``, with its standard error.

    Parameters
    ----------
    df, by, start, stop, event, timefix
        As in :func:`kaplan_meier`.
    horizon : float
        The upper limit of the integral, in the unit of the input times; positive and finite.
    conf_level : float, default 0.95
        Level of the normal confidence interval.
    extend : {"no", "flat"}, default "no"
        What to do when ``horizon`` lies past a curve's last exit time while the curve is still
        above 0: nobody was followed that long, so the area up to ``horizon`` is not estimated
        (``"no"``: NaN, and ``beyond_follow_up`` says why), or the curve is carried flat to
        ``horizon`` (``"flat"``, R's ``rmean``), an assumption that nobody ends after the
        last follow-up. A curve that reached 0 needs no extension.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns: the ``by`` columns, then

        - ``horizon``: the horizon, as given.
        - ``estimate``: the area under the Kaplan-Meier curve from 0 to ``horizon``, in the unit
          of the input times (the expected time survived within the horizon).
        - ``std_error``: its standard error, in the same unit.
        - ``conf_low``, ``conf_high``: ``estimate -/+ z * std_error``.
        - ``n``: the number of rows (R's ``records``).
        - ``n_events``: the number of events of the group (all of them, as R's ``print``
          reports, not only those before the horizon).
        - ``last_time``: the group's last exit time (event or censoring).
        - ``beyond_follow_up``: True when ``horizon`` is past ``last_time`` with the curve
          still above 0 there: the estimate is NaN, or, with ``extend="flat"``, rests on the
          flat extension.

    Raises
    ------
    continuity.ValidationError
        As :func:`kaplan_meier`.
    continuity.OptionError
        If ``horizon`` is not a positive finite number, or ``extend`` not one of its values.

    Notes
    -----
    .. math::

        \\hat\\mu(\\tau) = \\int_0^\\tau \\hat S(t)\\,dt, \\qquad
        \\widehat{\\operatorname{Var}}\\,\\hat\\mu(\\tau) = \\sum_{t_j \\le \\tau}
        \\Big(\\int_{t_j}^{\\tau} \\hat S(t)\\,dt\\Big)^2 \\frac{d_j}{n_j (n_j - d_j)},

    where terms with :math:`n_j = d_j` are left out (Klein and Moeschberger, *Survival
    Analysis*, 2nd ed., 2003, sec. 4.5). This is R's ``print(survfit(...), rmean=horizon)``
    (``rmean`` and ``se(rmean)``). The integral starts at time 0 even when every row enters
    later, since the curve is 1 until the first event; R does the same for counting-process
    data (its ``start.time`` defaults to ``min(0, times)``), so no ``start.time`` is needed for
    the comparison. With negative times the integral starts at the earliest exit time and that
    time is added, as in R.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import rmst
    >>> rows = pd.DataFrame({"t_start": 0, "t_stop": [1, 2, 3, 5], "event": [1, 1, 0, 1]})
    >>> float(rmst(rows, horizon=4)["estimate"].iloc[0])  # 1 + 0.75 + 0.5 + 0.5
    2.75
    >>> rmst(rows.assign(event=[1, 1, 0, 0]), horizon=8)[["estimate", "last_time",
    ...                                                    "beyond_follow_up"]]
       estimate  last_time  beyond_follow_up
    0       NaN        5.0              True
    """
    fn = "rmst"
    horizon = check_number(
        horizon, "horizon", fn, minimum=0, exclusive=True, unit="the unit of the times"
    )
    conf_level = check_conf_level(conf_level, fn)
    check_literal(extend, Extend, "extend", fn)
    rows = prepare_rows(df, by, start, stop, event, fn, timefix=timefix)
    code, (times, at_risk, events, _, surv, _) = _km_all(rows)
    origin = min(0.0, float(times.min()))
    est, se, last, beyond = [], [], [], []
    for sl in per_group(code, rows.n_groups):
        e, s = _rmst_group(times[sl], at_risk[sl], events[sl], surv[sl], horizon, origin)
        last.append(times[sl][-1])
        beyond.append(bool(horizon > times[sl][-1] and surv[sl][-1] > 0))
        est.append(np.nan if beyond[-1] and extend == "no" else e)
        se.append(np.nan if beyond[-1] and extend == "no" else s)
    est_a, se_a = np.asarray(est), np.asarray(se)
    z = ndtri(1.0 - (1.0 - conf_level) / 2.0)
    n, d = group_counts(rows)
    return with_keys(
        rows,
        np.arange(rows.n_groups),
        {
            "horizon": np.full(rows.n_groups, horizon),
            "estimate": est_a,
            "std_error": se_a,
            "conf_low": est_a - z * se_a,
            "conf_high": est_a + z * se_a,
            "n": n,
            "n_events": d,
            "last_time": np.asarray(last, dtype=float),
            "beyond_follow_up": np.asarray(beyond, dtype=bool),
        },
    )
