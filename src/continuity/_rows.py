"""Checked input of the non-parametric estimators: counting-process rows as numpy arrays.

Every estimator of :mod:`continuity.survival`, :mod:`continuity.compare` and
:mod:`continuity.competing` reads its DataFrame through :func:`prepare_rows`, so a bad column
gets one wording everywhere: bad arguments raise :class:`~continuity.errors.OptionError` (through
:mod:`continuity._options`), bad data :class:`~continuity.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from continuity._options import check_flag
from continuity._ties import Chains, check_no_empty_interval, near_tie_chains
from continuity.errors import ContinuityTypeError, OptionError, ValidationError

__all__ = [
    "Rows",
    "by_names",
    "group_counts",
    "labels",
    "per_group",
    "prepare_rows",
    "with_keys",
]


def labels(index: pd.Index, mask: np.ndarray, k: int = 5) -> str:
    """The first ``k`` index labels where ``mask`` holds, as text, with an ellipsis if more."""
    where = np.flatnonzero(mask)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in index[where[:k]])
    return shown + (", ..." if where.size > k else "")


def _column_name(value: object, what: str, fn: str, allow_none: bool = False) -> str | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        none = " or None" if allow_none else ""
        raise OptionError(f"{fn}: {what}= must be a column name (str){none}, got {value!r}")
    return value


def by_names(by: object, fn: str, required: bool, what: str = "by") -> list[str]:
    if by is None:
        if required:
            raise OptionError(
                f"{fn}: by= is required: name the column(s) whose values "
                "define the groups to compare, e.g. by='group'"
            )
        return []
    names = [by] if isinstance(by, str) else by
    if not isinstance(names, Sequence) or not all(isinstance(b, str) for b in names):
        raise OptionError(
            f"{fn}: {what}= must be a column name or a list of column names, got {by!r}"
        )
    names = list(names)
    if len(set(names)) != len(names):
        raise OptionError(f"{fn}: {what}= names a column twice: {names}")
    return names


@dataclass(frozen=True)
class Rows:
    """Validated input: times as float64, events as bool, a group code per row."""

    start: np.ndarray | None
    stop: np.ndarray
    event: np.ndarray
    codes: np.ndarray
    keys: pd.DataFrame  # one row per group, in code order (sorted as pandas groupby sorts)
    by: list[str]
    n_rows: int
    timefix: bool = True  # merge near-tied times (R's timefix)
    weights: np.ndarray | None = None  # case weights, None when every row counts once
    cause: np.ndarray | None = None  # competing risks: the cause code of each event, -1 if none
    causes: tuple = ()  # competing risks: the cause labels, in code order
    where: str = ""  # the public function, for messages
    index: pd.Index | None = None  # the labels of the rows, for messages

    @cached_property
    def chains(self) -> Chains | None:
        """The chains of near-tied times of all rows (None without ties or with timefix off),
        found on first use; an interval that would shrink to length 0 is refused then."""
        if not self.timefix:
            return None
        chains = near_tie_chains(self.stop, self.start)
        check_no_empty_interval(chains, self.start, self.stop, where=self.where, index=self.index)
        return chains

    @property
    def n_groups(self) -> int:
        return len(self.keys)

    def groups(self):
        """Yield ``(code, start, stop, event, weights)`` per group, numpy arrays (start and
        weights may be None)."""
        if self.n_groups == 1:
            yield 0, self.start, self.stop, self.event, self.weights
            return
        if self.n_groups <= 8:  # a mask per group: cheaper than a sort of the codes
            for g in range(self.n_groups):
                m = self.codes == g
                yield g, *(None if a is None else a[m] for a in self._arrays())
            return
        order = np.argsort(self.codes, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(self.codes, minlength=self.n_groups))])
        arrays = [None if a is None else a[order] for a in self._arrays()]
        for g in range(self.n_groups):
            lo, hi = bounds[g], bounds[g + 1]
            yield g, *(None if a is None else a[lo:hi] for a in arrays)

    def _arrays(self):
        return self.start, self.stop, self.event, self.weights


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
            f"values (rows {labels(df.index, bad)}); drop or fill those rows first"
        )
        return None
    return values


def _check_columns(df: pd.DataFrame, wanted: list[tuple[str, str | None]], fn: str) -> None:
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


def _times(df, start_col, stop_col, fn, problems):
    stop_v = _time_column(df, stop_col, "exit time", fn, problems)
    start_v = None
    if start_col is not None:
        start_v = _time_column(df, start_col, "entry time", fn, problems)
    if start_v is not None and stop_v is not None:
        bad = stop_v <= start_v
        if bad.any():
            problems.append(
                f"{fn}: {int(bad.sum())} rows have {stop_col} <= {start_col} (rows "
                f"{labels(df.index, bad)}); each row is the interval ({start_col}, {stop_col}] "
                "and must have positive length"
            )
    return start_v, stop_v


def _event_flags(df, event_col, fn, problems):
    ev = df[event_col]
    if pd.api.types.is_bool_dtype(ev.dtype) and not ev.isna().any():
        return ev.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(ev.dtype) or pd.api.types.is_bool_dtype(ev.dtype):
        raw = ev.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~((raw == 0) | (raw == 1))
        if bad.any():
            shown = ", ".join(map(str, pd.unique(raw[bad])[:5]))
            problems.append(
                f"{fn}: column {event_col!r} (event) must be 0 or 1 (or bool); {int(bad.sum())} "
                f"rows are not (rows {labels(df.index, bad)}; values {shown})"
            )
        return raw == 1
    problems.append(
        f"{fn}: column {event_col!r} (event) must be 0/1 or bool, it has dtype {ev.dtype}"
    )
    return None


def _weight_values(df, col, fn, problems):
    if col is None:
        return None
    values = _time_column(df, col, "case weight", fn, problems)
    if values is not None:
        bad = ~(values > 0)
        if bad.any():
            problems.append(
                f"{fn}: column {col!r} (weights) has {int(bad.sum())} weights that are not "
                f"positive (rows {labels(df.index, bad)}); a case weight must be > 0 (drop rows "
                "that should not count)"
            )
            return None
    return values


def _missing_in(df, cols, what, fn, problems):
    for b in cols:
        na = df[b].isna().to_numpy()
        if na.any():
            problems.append(
                f"{fn}: {what} column {b!r} has {int(na.sum())} missing values (rows "
                f"{labels(df.index, na)}); fill or drop them, or give them a label"
            )


def _group_codes(df, by_cols):
    if not by_cols:
        return np.zeros(len(df), dtype=np.intp), pd.DataFrame(index=pd.RangeIndex(1))
    grouped = df[by_cols].groupby(by_cols, sort=True, observed=True, dropna=False)
    return grouped.ngroup().to_numpy(dtype=np.intp), grouped.size().index.to_frame(index=False)


def prepare_rows(
    df: object,
    by: object,
    start: object,
    stop: object,
    event: object,
    fn: str,
    by_required: bool = False,
    timefix: object = True,
    weights: object = None,
    event_reader=None,
) -> Rows:
    """Check the arguments, then the data (every problem at once), and return :class:`Rows`.

    ``event_reader(df, column, fn, problems)`` replaces the 0/1 reading of the event column
    (the competing-risks estimators read a column of causes); it returns the event flags and
    any extra fields of :class:`Rows` as a dict.
    """
    if not isinstance(df, pd.DataFrame):
        raise ContinuityTypeError(f"{fn}: df must be a pandas DataFrame, got {type(df).__name__}")
    timefix = check_flag(timefix, "timefix", fn)
    start_col = _column_name(start, "start", fn, allow_none=True)
    stop_col = _column_name(stop, "stop", fn)
    event_col = _column_name(event, "event", fn)
    weight_col = _column_name(weights, "weights", fn, allow_none=True)
    by_cols = by_names(by, fn, by_required)
    wanted = [("start", start_col), ("stop", stop_col), ("event", event_col),
              ("weights", weight_col)] + [("by", b) for b in by_cols]
    _check_columns(df, wanted, fn)
    problems: list[str] = []
    start_v, stop_v = _times(df, start_col, stop_col, fn, problems)
    extra: dict = {}
    if event_reader is None:
        event_v = _event_flags(df, event_col, fn, problems)
    else:
        event_v, extra = event_reader(df, event_col, fn, problems)
    weight_v = _weight_values(df, weight_col, fn, problems)
    _missing_in(df, by_cols, "by", fn, problems)
    if problems:
        raise ValidationError(problems)
    codes, keys = _group_codes(df, by_cols)
    return Rows(start_v, stop_v, event_v, codes, keys, by_cols, len(df), timefix=timefix,
                weights=weight_v, where=fn, index=df.index, **extra)


def group_counts(rows: Rows) -> tuple[np.ndarray, np.ndarray]:
    n = np.bincount(rows.codes, minlength=rows.n_groups).astype(np.int64)
    d = np.bincount(rows.codes, weights=rows.event, minlength=rows.n_groups).astype(np.int64)
    return n, d


def per_group(code: np.ndarray, n_groups: int):
    bounds = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=n_groups))])
    return [slice(bounds[g], bounds[g + 1]) for g in range(n_groups)]


def with_keys(rows: Rows, code: np.ndarray, columns: dict) -> pd.DataFrame:
    out = rows.keys.iloc[code].reset_index(drop=True) if rows.by else pd.DataFrame()
    # copy=False: the arrays are ours, and pandas need not consolidate them into one block
    body = pd.DataFrame(columns, index=pd.RangeIndex(code.size), copy=False)
    if not rows.by:
        return body
    return pd.concat([out, body], axis=1)
