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
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from continuity._options import check_conf_level, check_flag
from continuity._ties import merge_near_ties
from continuity.errors import ValidationError

__all__ = [
    "kaplan_meier",
    "logrank",
    "logrank_table",
    "median_survival",
    "rmst",
]

ConfType = Literal["log-log", "log", "plain"]
CONF_TYPES: tuple[str, ...] = ("log-log", "log", "plain")

#: Tolerance of R's median rule (``.Machine$double.eps^0.5`` in ``survival:::survmean``).
_MEDIAN_TOL = np.sqrt(np.finfo(float).eps)


# --------------------------------------------------------------------------------- validation


def _labels(index: pd.Index, mask: np.ndarray, k: int = 5) -> str:
    """The first ``k`` index labels where ``mask`` holds, as text, with an ellipsis if more."""
    where = np.flatnonzero(mask)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in index[where[:k]])
    return shown + (", ..." if where.size > k else "")


def _check_conf_type(conf_type: object, fn: str) -> str:
    if not isinstance(conf_type, str) or conf_type not in CONF_TYPES:
        raise ValidationError(
            [
                f"{fn}: conf_type must be one of {', '.join(map(repr, CONF_TYPES))}, "
                f"got {conf_type!r}"
            ]
        )
    return conf_type


def _column_name(value: object, what: str, fn: str, allow_none: bool = False) -> str | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        none = " or None" if allow_none else ""
        raise ValidationError([f"{fn}: {what}= must be a column name (str){none}, got {value!r}"])
    return value


def _by_names(by: object, fn: str, required: bool) -> list[str]:
    if by is None:
        if required:
            raise ValidationError(
                [
                    f"{fn}: by= is required: name the column(s) whose values "
                    "define the groups to compare, e.g. by='group'"
                ]
            )
        return []
    names = [by] if isinstance(by, str) else by
    if not isinstance(names, Sequence) or not all(isinstance(b, str) for b in names):
        raise ValidationError(
            [f"{fn}: by= must be a column name or a list of column names, got {by!r}"]
        )
    names = list(names)
    if len(set(names)) != len(names):
        raise ValidationError([f"{fn}: by= names a column twice: {names}"])
    return names


@dataclass(frozen=True)
class _Rows:
    """Validated input: times as float64, events as bool, a group code per row."""

    start: np.ndarray | None
    stop: np.ndarray
    event: np.ndarray
    codes: np.ndarray
    keys: pd.DataFrame  # one row per group, in code order (sorted as pandas groupby sorts)
    by: list[str]
    n_rows: int

    @property
    def n_groups(self) -> int:
        return len(self.keys)

    def groups(self):
        """Yield ``(code, start, stop, event)`` per group, all numpy arrays (start may be None)."""
        if self.n_groups == 1:
            yield 0, self.start, self.stop, self.event
            return
        order = np.argsort(self.codes, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(self.codes, minlength=self.n_groups))])
        start = None if self.start is None else self.start[order]
        stop, event = self.stop[order], self.event[order]
        for g in range(self.n_groups):
            lo, hi = bounds[g], bounds[g + 1]
            yield g, (None if start is None else start[lo:hi]), stop[lo:hi], event[lo:hi]


def _time_column(df: pd.DataFrame, col: str, what: str, fn: str, problems: list[str]):
    s = df[col]
    if pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
        hint = ""
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            hint = " (convert dates to days since an origin, e.g. (d - origin).dt.days)"
        problems.append(
            f"{fn}: column {col!r} ({what}) must be numeric, it has dtype {s.dtype}{hint}"
        )
        return None
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        problems.append(
            f"{fn}: column {col!r} ({what}) has {int(bad.sum())} missing or infinite "
            f"values (rows {_labels(df.index, bad)}); drop or fill those rows first"
        )
        return None
    return values


def _prepare(
    df: object,
    by: object,
    start: object,
    stop: object,
    event: object,
    fn: str,
    by_required: bool = False,
    timefix: object = True,
) -> _Rows:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError([f"{fn}: df must be a pandas DataFrame, got {type(df).__name__}"])
    timefix = check_flag(timefix, "timefix", fn)
    start_col = _column_name(start, "start", fn, allow_none=True)
    stop_col = _column_name(stop, "stop", fn)
    event_col = _column_name(event, "event", fn)
    by_cols = _by_names(by, fn, by_required)
    wanted = [("start", start_col), ("stop", stop_col), ("event", event_col)]
    wanted += [("by", b) for b in by_cols]
    missing = [(role, c) for role, c in wanted if c is not None and c not in df.columns]
    if missing:
        listed = ", ".join(f"{c!r} ({role}=)" for role, c in missing)
        have = ", ".join(map(repr, map(str, df.columns[:20]))) + (
            ", ..." if len(df.columns) > 20 else ""
        )
        raise ValidationError(
            [
                f"{fn}: column(s) {listed} not in the data; it has {have}. Pass the names of your "
                "columns, e.g. start='entry', stop='exit', event='ended'"
            ]
        )
    if len(df) == 0:
        raise ValidationError([f"{fn}: the data have no rows"])
    problems: list[str] = []
    stop_v = _time_column(df, stop_col, "exit time", fn, problems)
    start_v = None
    if start_col is not None:
        start_v = _time_column(df, start_col, "entry time", fn, problems)
    if start_v is not None and stop_v is not None:
        bad = stop_v <= start_v
        if bad.any():
            problems.append(
                f"{fn}: {int(bad.sum())} rows have {stop_col} <= {start_col} (rows "
                f"{_labels(df.index, bad)}); each row is the interval ({start_col}, {stop_col}] "
                "and must have positive length"
            )
    ev = df[event_col]
    if pd.api.types.is_bool_dtype(ev.dtype) and not ev.isna().any():
        event_v = ev.to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(ev.dtype) or pd.api.types.is_bool_dtype(ev.dtype):
        raw = ev.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~((raw == 0) | (raw == 1))
        if bad.any():
            shown = ", ".join(map(str, pd.unique(raw[bad])[:5]))
            problems.append(
                f"{fn}: column {event_col!r} (event) must be 0 or 1 (or bool); {int(bad.sum())} "
                f"rows are not (rows {_labels(df.index, bad)}; values {shown})"
            )
        event_v = raw == 1
    else:
        problems.append(
            f"{fn}: column {event_col!r} (event) must be 0/1 or bool, it has dtype {ev.dtype}"
        )
        event_v = None
    for b in by_cols:
        na = df[b].isna().to_numpy()
        if na.any():
            problems.append(
                f"{fn}: by column {b!r} has {int(na.sum())} missing values (rows "
                f"{_labels(df.index, na)}); fill or drop them, or give them a label"
            )
    if problems:
        raise ValidationError(problems)
    if timefix:
        start_v, stop_v = merge_near_ties(stop_v, start_v, where=fn, index=df.index)
    if by_cols:
        grouped = df[by_cols].groupby(by_cols, sort=True, observed=True, dropna=False)
        codes = grouped.ngroup().to_numpy(dtype=np.intp)
        keys = grouped.size().index.to_frame(index=False)
    else:
        codes = np.zeros(len(df), dtype=np.intp)
        keys = pd.DataFrame(index=pd.RangeIndex(1))
    return _Rows(start_v, stop_v, event_v, codes, keys, by_cols, len(df))


# --------------------------------------------------------------------------------- the KM core


def _risk_table(start, stop, event, times=None):
    """Counts at each distinct exit time (or at the given sorted ``times``).

    Returns ``times, n_at_risk, n_events, n_exits``; ``n_exits`` is the number of rows whose
    ``t_stop`` equals the time (events plus censorings).
    """
    n = stop.size
    stop_sorted = np.sort(stop)
    event_sorted = np.sort(stop[event])
    if times is None:
        first = np.flatnonzero(np.concatenate([[True], stop_sorted[1:] != stop_sorted[:-1]]))
        times = stop_sorted[first]
        exits = np.diff(np.append(first, n))
        left_of = first  # rows with t_stop < time
    else:
        left_of = np.searchsorted(stop_sorted, times, side="left")
        exits = np.searchsorted(stop_sorted, times, side="right") - left_of
    # event times are a subset of exit times: count those <= t, then those == t
    events = np.searchsorted(event_sorted, times, side="right") - np.searchsorted(
        event_sorted, times, side="left"
    )
    entered = n if start is None else np.searchsorted(np.sort(start), times, side="left")
    at_risk = entered - left_of  # start < t minus stop < t (stop < t implies start < t)
    return times, at_risk.astype(np.int64), events.astype(np.int64), exits.astype(np.int64)


def _confint(surv, se_log, conf_level, conf_type):
    """R's ``survfit`` confidence limits; ``se_log`` is the standard error of log S (Greenwood)."""
    z = stats.norm.ppf(1.0 - (1.0 - conf_level) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            half = z * se_log * surv
            lower = np.maximum(surv - half, 0.0)
            upper = np.minimum(surv + half, 1.0)
        elif conf_type == "log":
            s = np.where(surv == 0, np.nan, surv)
            lower = s * np.exp(-z * se_log)
            upper = np.minimum(s * np.exp(z * se_log), 1.0)
        else:  # log-log
            s = np.where((surv == 0) | (surv == 1), np.nan, surv)
            shift = z * se_log / np.log(s)
            loglog = np.log(-np.log(s))
            lower = np.exp(-np.exp(loglog - shift))
            upper = np.exp(-np.exp(loglog + shift))
    # R's pmax/pmin keep NaN: NaN comparisons above already propagate NaN.
    return lower, upper


def _per_group(code: np.ndarray, n_groups: int):
    bounds = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=n_groups))])
    return [slice(bounds[g], bounds[g + 1]) for g in range(n_groups)]


def _day_grid(rows: _Rows):
    """Risk tables of all groups on a grid of whole-number times, by counting (no sort).

    Used when every time is a whole number (days, the unit of continuity) and the grid of
    groups x (last time - first time + 1) is no larger than about twice the rows. Returns
    ``None`` otherwise, or ``(first, at_risk, events, exits)``: the first time of the grid and
    three ``(groups, grid)`` arrays of counts at each grid time.
    """
    stop, start = rows.stop, rows.start
    lo = stop.min() if start is None else min(start.min(), stop.min())
    width = stop.max() - lo + 1
    if rows.n_groups * width > 2 * rows.n_rows + 100_000:
        return None
    if not np.array_equal(stop, np.floor(stop)):
        return None
    if start is not None and not np.array_equal(start, np.floor(start)):
        return None
    width = int(width)
    size = rows.n_groups * width
    base = rows.codes * width
    key_stop = (stop - lo).astype(np.intp) + base
    exits = np.bincount(key_stop, minlength=size).reshape(rows.n_groups, width)
    events = np.bincount(key_stop[rows.event], minlength=size).reshape(rows.n_groups, width)
    left = np.cumsum(exits, axis=1) - exits  # rows with t_stop < t
    if start is None:
        entered = np.bincount(rows.codes, minlength=rows.n_groups)[:, None]
    else:
        key_start = (start - lo).astype(np.intp) + base
        entries = np.bincount(key_start, minlength=size).reshape(rows.n_groups, width)
        entered = np.cumsum(entries, axis=1) - entries  # rows with t_start < t
    return float(lo), (entered - left).astype(np.int64), events.astype(np.int64), exits


def _km_tables(rows: _Rows):
    """``code, times, n_at_risk, n_events, n_exits`` at each distinct exit time of each group."""
    grid = _day_grid(rows)
    if grid is not None:
        lo, at_risk, events, exits = grid
        code, col = np.nonzero(exits)
        return (
            code,
            lo + col,
            at_risk[code, col],
            events[code, col],
            exits[code, col].astype(np.int64),
        )
    parts = [(g, *_risk_table(s, t, e)) for g, s, t, e in rows.groups()]
    code = np.concatenate([np.full(p[1].size, p[0], dtype=np.intp) for p in parts])
    return (code, *(np.concatenate([p[i] for p in parts]) for i in range(1, 5)))


def _km_all(rows: _Rows):
    """Risk tables, the Kaplan-Meier estimate and Greenwood's sum (variance of log S)."""
    code, times, at_risk, events, exits = _km_tables(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = 1.0 - events / at_risk
        term = np.where(events > 0, events / (at_risk * (at_risk - events).astype(float)), 0.0)
    surv = np.empty_like(factor)
    greenwood = np.empty_like(term)  # +inf once the curve reaches 0
    for sl in _per_group(code, rows.n_groups):
        surv[sl] = np.cumprod(factor[sl])
        greenwood[sl] = np.cumsum(term[sl])
    return code, (times, at_risk, events, exits - events, surv, greenwood)


def _with_keys(rows: _Rows, code: np.ndarray, columns: dict) -> pd.DataFrame:
    out = rows.keys.iloc[code].reset_index(drop=True) if rows.by else pd.DataFrame()
    # copy=False: the arrays are ours, and pandas need not consolidate them into one block
    body = pd.DataFrame(columns, index=pd.RangeIndex(code.size), copy=False)
    if not rows.by:
        return body
    return pd.concat([out, body], axis=1)


def kaplan_meier(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    conf_type: ConfType = "log-log",
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
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
    conf_type : {"log-log", "log", "plain"}, default "log-log"
        Scale on which the normal interval is built, as R's ``survfit(conf.type=)``: "log-log"
        is symmetric for ``log(-log S)``, "log" for ``log S`` (upper limit capped at 1), "plain"
        for ``S`` itself (clipped to [0, 1]). Note that R's own default is "log".
    start, stop, event : str
        Names of the entry-time, exit-time and event (0/1 or bool) columns. ``start=None`` reads
        right-censored data: every row is at risk from the start of time.
    timefix : bool, default True
        Treat times that differ only by floating-point noise as one time, as R's ``survfit``
        (``timefix = TRUE``): distinct times closer than about 1.5e-8 (absolute, or relative to
        the mean time) are merged into the smallest of them. False compares times exactly.

    Returns
    -------
    pandas.DataFrame
        One row per distinct exit time (event or censoring) per group, sorted by group then time,
        as R's ``summary(survfit(...), censored=TRUE)``. Columns: the ``by`` columns, then

        - ``time``: the exit time, in the unit of the input (float).
        - ``n_at_risk``: rows with ``t_start < time <= t_stop``.
        - ``n_events``: rows ending with the event at ``time``.
        - ``n_censored``: rows ending without the event at ``time``.
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
    conf_type = _check_conf_type(conf_type, fn)
    rows = _prepare(df, by, start, stop, event, fn, timefix=timefix)
    code, (times, at_risk, events, censored, surv, greenwood) = _km_all(rows)
    with np.errstate(invalid="ignore"):
        se_log = np.sqrt(greenwood)
        std_error = np.where(surv == 0, np.nan, surv * se_log)
    lower, upper = _confint(surv, se_log, conf_level, conf_type)
    return _with_keys(
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


def _group_counts(rows: _Rows) -> tuple[np.ndarray, np.ndarray]:
    n = np.bincount(rows.codes, minlength=rows.n_groups).astype(np.int64)
    d = np.bincount(rows.codes, weights=rows.event, minlength=rows.n_groups).astype(np.int64)
    return n, d


def median_survival(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    conf_level: float = 0.95,
    conf_type: ConfType = "log-log",
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
    conf_type = _check_conf_type(conf_type, fn)
    rows = _prepare(df, by, start, stop, event, fn, timefix=timefix)
    code, (times, _, _, _, surv, greenwood) = _km_all(rows)
    with np.errstate(invalid="ignore"):
        lower, upper = _confint(surv, np.sqrt(greenwood), conf_level, conf_type)
    est, low, high = [], [], []
    for sl in _per_group(code, rows.n_groups):
        est.append(_first_below_half(times[sl], surv[sl]))
        low.append(_first_below_half(times[sl], lower[sl]))
        high.append(_first_below_half(times[sl], upper[sl]))
    n, d = _group_counts(rows)
    return _with_keys(
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
) -> pd.DataFrame:
    """Restricted mean survival time up to ``horizon``, with its standard error.

    Parameters
    ----------
    df, by, start, stop, event, timefix
        As in :func:`kaplan_meier`.
    horizon : float
        The upper limit of the integral, in the unit of the input times; positive and finite.
        It may lie beyond the last time (the curve is then extended flat) or before the first.
    conf_level : float, default 0.95
        Level of the normal confidence interval.

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

    Raises
    ------
    continuity.ValidationError
        As :func:`kaplan_meier`, and if ``horizon`` is not a positive finite number.

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
    """
    fn = "rmst"
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, (int, float, np.integer, np.floating))
        or not np.isfinite(horizon)
        or horizon <= 0
    ):
        raise ValidationError(
            [
                f"{fn}: horizon must be a positive finite number (in the unit of the times), "
                f"got {horizon!r}"
            ]
        )
    horizon = float(horizon)
    conf_level = check_conf_level(conf_level, fn)
    rows = _prepare(df, by, start, stop, event, fn, timefix=timefix)
    code, (times, at_risk, events, _, surv, _) = _km_all(rows)
    origin = min(0.0, float(times.min()))
    est, se = [], []
    for sl in _per_group(code, rows.n_groups):
        e, s = _rmst_group(times[sl], at_risk[sl], events[sl], surv[sl], horizon, origin)
        est.append(e)
        se.append(s)
    est_a, se_a = np.asarray(est), np.asarray(se)
    z = stats.norm.ppf(1.0 - (1.0 - conf_level) / 2.0)
    n, d = _group_counts(rows)
    return _with_keys(
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
        },
    )


# --------------------------------------------------------------------------------- log-rank


def _logrank_parts(rows: _Rows):
    if rows.n_groups < 2:
        raise ValidationError(
            [
                f"logrank: by={rows.by} has a single value in the data; the test compares at least "
                "two groups"
            ]
        )
    grid = _day_grid(rows)
    if grid is not None:
        _, at_risk, deaths, _ = grid
        any_event = deaths.sum(axis=0) > 0
        at_risk = at_risk[:, any_event].astype(float)
        deaths = deaths[:, any_event].astype(float)
    else:
        times = np.unique(rows.stop[rows.event])
        at_risk = np.zeros((rows.n_groups, times.size))
        deaths = np.zeros((rows.n_groups, times.size))
        for g, s, t, e in rows.groups():
            _, at_risk[g], deaths[g], _ = _risk_table(s, t, e, times=times)
    n = at_risk.sum(axis=0)
    d = deaths.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, d / n, 0.0)
        w = np.where(n > 1, d * (n - d) / (n * n * (n - 1.0)), 0.0)
    observed = deaths.sum(axis=1)
    expected = at_risk @ share
    weighted = at_risk * w
    variance = np.diag(weighted @ n) - weighted @ at_risk.T
    return observed, expected, variance


def logrank_table(
    df: pd.DataFrame,
    by: str | Sequence[str],
    *,
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
) -> pd.DataFrame:
    """Observed and expected events per group, the parts of the log-rank test.

    Parameters
    ----------
    df, start, stop, event, timefix
        As in :func:`kaplan_meier`.
    by : str or list of str
        Column(s) defining the groups. They may change over a subject's rows (a time-varying
        group, e.g. "signing leader still in office"): each row counts in its own group.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, then ``n`` (rows), ``observed`` (events),
        ``expected`` (events expected under equal hazards, :math:`\\sum_j d_j n_{gj}/n_j`) and
        ``variance`` (the diagonal of the hypergeometric covariance matrix of observed - expected),
        as R's ``survdiff`` ``obs``, ``exp`` and ``diag(var)``.

    Raises
    ------
    continuity.ValidationError
        As :func:`kaplan_meier`, and if ``by`` is missing or has a single value.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import logrank_table
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    >>> logrank_table(rows, by="arm", start=None)
      arm  n  observed  expected  variance
    0   a  2       2.0  1.333333  0.722222
    1   b  2       2.0  2.666667  0.722222
    """
    rows = _prepare(
        df, by, start, stop, event, "logrank_table", by_required=True, timefix=timefix
    )
    observed, expected, variance = _logrank_parts(rows)
    n, _ = _group_counts(rows)
    return _with_keys(
        rows,
        np.arange(rows.n_groups),
        {"n": n, "observed": observed, "expected": expected, "variance": np.diag(variance)},
    )


def logrank(
    df: pd.DataFrame,
    by: str | Sequence[str],
    *,
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
) -> pd.DataFrame:
    """The k-group log-rank test of equal hazards, on right-censored or counting-process rows.

    Parameters
    ----------
    df, start, stop, event, timefix
        As in :func:`kaplan_meier`.
    by : str or list of str
        Column(s) defining the groups; they may vary over a subject's rows.

    Returns
    -------
    pandas.DataFrame
        One row, columns ``statistic`` (the chi-square statistic), ``df`` (its degrees of
        freedom: the number of groups with a positive expected count, minus 1), ``p_value``
        (upper tail of the chi-square distribution; NaN when df is 0), ``n`` (rows) and
        ``n_events``.

    Raises
    ------
    continuity.ValidationError
        As :func:`kaplan_meier`, and if ``by`` is missing or has a single value.

    Notes
    -----
    At each distinct event time :math:`t_j`, with :math:`n_j` rows at risk
    (``t_start < t_j <= t_stop``), :math:`d_j` events, and :math:`n_{gj}`, :math:`d_{gj}` in
    group :math:`g`, the observed minus expected counts :math:`U_g = \\sum_j (d_{gj} - d_j
    n_{gj}/n_j)` have the hypergeometric covariance

    .. math::

        V_{gh} = \\sum_j \\frac{d_j (n_j - d_j)}{n_j^2 (n_j - 1)}
        \\big(n_j n_{gj} \\delta_{gh} - n_{gj} n_{hj}\\big),

    and the statistic is :math:`U^\\top V^{-1} U` over the groups with positive expected count,
    less one (Mantel 1966; Peto and Peto 1972). On right-censored data it equals R's
    ``survdiff``. ``survdiff`` refuses counting-process data; there the same formula on the
    ``(t_start, t_stop]`` risk sets was checked against a direct computation in R and found to
    equal the score test of ``coxph(Surv(t_start, t_stop, event) ~ factor(group),
    ties = "exact")`` (the "breslow" and "efron" score tests differ when events are tied).

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import logrank
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    >>> logrank(rows, by="arm", start=None).round(4)
       statistic  df  p_value  n  n_events
    0     0.6154   1   0.4328  4         4
    """
    rows = _prepare(df, by, start, stop, event, "logrank", by_required=True, timefix=timefix)
    observed, expected, variance = _logrank_parts(rows)
    keep = np.flatnonzero(expected > 0)
    dof = max(keep.size - 1, 0)
    if dof == 0:
        statistic = 0.0
        p_value = np.nan
    else:
        u = (observed - expected)[keep][1:]
        v = variance[np.ix_(keep, keep)][1:, 1:]
        try:
            statistic = float(u @ np.linalg.solve(v, u))
        except np.linalg.LinAlgError:
            statistic = float(u @ np.linalg.pinv(v) @ u)
            dof = int(np.linalg.matrix_rank(v))
        p_value = float(stats.chi2.sf(statistic, dof)) if dof > 0 else np.nan
    return pd.DataFrame(
        {
            "statistic": [statistic],
            "df": [dof],
            "p_value": [p_value],
            "n": [rows.n_rows],
            "n_events": [int(rows.event.sum())],
        }
    )
