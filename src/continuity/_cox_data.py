"""The input phase of :func:`continuity.cox`: every check of the arguments and of the rows.

:meth:`_CoxData.from_frame` turns a DataFrame and the column names into plain arrays, or raises.
A bad *argument* (an unknown option, a name of the wrong kind) raises
:class:`~continuity.errors.OptionError` or :class:`~continuity.errors.ContinuityTypeError`
through :mod:`continuity._options`; bad *data* (a missing column, a missing or infinite value, a
row with ``stop <= start``, no events) raises :class:`~continuity.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from continuity._ties import merge_near_ties
from continuity.errors import ContinuityTypeError, OptionError, ValidationError


def _fail(message: str) -> ValidationError:
    return ValidationError(message)


def _row_labels(df: pd.DataFrame, mask: np.ndarray, k: int = 5) -> str:
    labels = [str(v) for v in df.index[mask][:k]]
    more = ", ..." if int(mask.sum()) > k else ""
    return ", ".join(labels) + more


def as_names(value: str | Sequence[str] | None, what: str, where: str = "cox") -> list[str]:
    """Column names as a list: one name, a sequence of names, or None (no names)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise ContinuityTypeError(
            f"{where}: {what} must be a column name or a list of column names, got {value!r}"
        ) from None
    if not all(isinstance(v, str) for v in names):
        raise ContinuityTypeError(f"{where}: {what} must be column names (strings), got {names!r}")
    return names


def _check_columns(df: pd.DataFrame, names: list[str], what: str) -> None:
    missing = [c for c in names if c not in df.columns]
    if missing:
        shown = ", ".join(map(str, list(df.columns)[:20]))
        raise _fail(
            f"cox: {what} column(s) {', '.join(map(repr, missing))} not in the data; "
            f"the columns are: {shown}"
        )


def _check_no_missing(df: pd.DataFrame, col: str, what: str) -> None:
    na = df[col].isna().to_numpy()
    if na.any():
        raise _fail(
            f"cox: {what} column {col!r} has {int(na.sum())} missing value(s) "
            f"(rows {_row_labels(df, na)}); drop or fill those rows first"
        )


def _numeric(df: pd.DataFrame, col: str, what: str) -> np.ndarray:
    s = df[col]
    if isinstance(s.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
    ):
        hint = (
            "; code it as 0/1 dummy columns (e.g. pandas.get_dummies(df[col], drop_first=True,"
            " dtype=float)) and pass those"
            if what == "covariate"
            else ""
        )
        if what in ("start", "stop") and pd.api.types.is_datetime64_any_dtype(s.dtype):
            hint = "; convert dates to numbers first, e.g. days since a fixed origin"
        raise _fail(f"cox: {what} column {col!r} has dtype {s.dtype}, not numeric or boolean{hint}")
    _check_no_missing(df, col, what)
    values = s.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise _fail(
            f"cox: {what} column {col!r} has {int(bad.sum())} infinite value(s) "
            f"(rows {_row_labels(df, bad)})"
        )
    return values


def _codes(df: pd.DataFrame, cols: list[str], what: str) -> np.ndarray:
    for c in cols:
        _check_no_missing(df, c, what)
    if len(cols) == 1:
        codes, _ = pd.factorize(df[cols[0]], sort=True)
    else:
        codes = df.groupby(cols, sort=True, observed=True).ngroup().to_numpy()
    return np.asarray(codes, dtype=np.int64)


def _check_names(covariates, cluster, strata, start, stop, event) -> tuple[list[str], list[str]]:
    """The covariate and strata names; every name argument of the right kind."""
    covs = as_names(covariates, "covariates")
    if not covs:
        raise OptionError("cox: covariates is empty; name at least one numeric column")
    if len(set(covs)) != len(covs):
        raise OptionError(f"cox: covariates {covs!r} name a column twice")
    strata_cols = as_names(strata, "strata")
    if cluster is not None and not isinstance(cluster, str):
        raise ContinuityTypeError(f"cox: cluster must be one column name, got {cluster!r}")
    for name, col in (("start", start), ("stop", stop), ("event", event)):
        if not isinstance(col, str):
            raise ContinuityTypeError(f"cox: {name} must be a column name, got {col!r}")
    return covs, strata_cols


def _intervals(df: pd.DataFrame, start: str, stop: str) -> tuple[np.ndarray, np.ndarray]:
    t0 = _numeric(df, start, "start")
    t1 = _numeric(df, stop, "stop")
    bad = ~(t1 > t0)
    if bad.any():
        raise _fail(
            f"cox: {int(bad.sum())} row(s) have {stop} <= {start} (rows {_row_labels(df, bad)}); "
            f"each row is the interval ({start}, {stop}] and must have positive length"
        )
    return t0, t1


def _events(df: pd.DataFrame, event: str) -> np.ndarray:
    values = _numeric(df, event, "event")
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        raise _fail(
            f"cox: event column {event!r} must be 0/1 or boolean; {int(bad.sum())} row(s) are not "
            f"(rows {_row_labels(df, bad)})"
        )
    flag = values == 1.0
    if not flag.any():
        raise _fail(f"cox: no events (column {event!r} is 0 in every row); nothing to fit")
    return flag


@dataclass(frozen=True, eq=False)
class _CoxData:
    """The rows of a Cox fit as checked arrays (one entry per row of the DataFrame, in order)."""

    names: list[str]
    x: np.ndarray  # (n, p) covariates
    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray  # bool
    strata: np.ndarray  # int64 codes, all 0 without strata
    cluster: np.ndarray | None  # int64 codes 0..n_clusters-1
    n_clusters: int | None
    weights: np.ndarray | None = None  # case weights, positive; None for unit weights
    cluster_labels: pd.Index | None = None  # the cluster value of each code
    index: pd.Index | None = None  # the row labels of the frame

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_events(self) -> int:
        return int(self.event.sum())

    @classmethod
    def from_frame(
        cls,
        df: object,
        covariates: str | Sequence[str],
        *,
        cluster: str | None,
        strata: str | Sequence[str] | None,
        start: str,
        stop: str,
        event: str,
        timefix: bool,
        weights: str | None = None,
    ) -> _CoxData:
        """Check the frame and the names, and take the arrays out (the frame is not modified)."""
        if not isinstance(df, pd.DataFrame):
            raise ContinuityTypeError(
                f"cox: df must be a pandas DataFrame, got {type(df).__name__}"
            )
        covs, strata_cols = _check_names(covariates, cluster, strata, start, stop, event)
        _check_columns(df, [start, stop, event], "time/event")
        _check_columns(df, covs, "covariate")
        _check_columns(df, [cluster] if cluster is not None else [], "cluster")
        _check_columns(df, strata_cols, "strata")
        if weights is not None and not isinstance(weights, str):
            raise ContinuityTypeError(f"cox: weights must be one column name, got {weights!r}")
        _check_columns(df, [weights] if weights is not None else [], "weights")
        if len(df) == 0:
            raise _fail("cox: the data have no rows")
        t0, t1 = _intervals(df, start, stop)
        flag = _events(df, event)
        x = np.column_stack([_numeric(df, c, "covariate") for c in covs])
        codes = _codes(df, strata_cols, "strata") if strata_cols else np.zeros(len(df), np.int64)
        cl, n_clusters, labels = None, None, None
        if cluster is not None:
            cl = _codes(df, [cluster], "cluster")
            n_clusters = int(cl.max()) + 1
            labels = pd.Index(pd.factorize(df[cluster], sort=True)[1])
        w = None
        if weights is not None:
            w = _numeric(df, weights, "weights")
            bad = ~(w > 0)
            if bad.any():
                raise _fail(f"cox: weights column {weights!r} has {int(bad.sum())} value(s) that "
                            f"are not positive (rows {_row_labels(df, bad)}); case weights must "
                            "be > 0 (drop the rows instead of weighting them 0)")
        if timefix:  # the one near-tie rule of every estimator (R's aeqSurv)
            t0, t1 = merge_near_ties(t1, t0, where="cox", index=df.index)  # type: ignore[assignment]
        return cls(covs, x, t0, t1, flag, codes, cl, n_clusters, w, labels, df.index)
