"""Cox proportional hazards on counting-process rows (episodes), agreeing with R's ``coxph``.

The model is fitted to rows ``(t_start, t_stop, event, covariates...)`` of the kind that
``survival::survSplit`` / ``tmerge`` produce and that :mod:`continuity` builds from leadership
transitions. Everything is vectorised with numpy: risk-set sums come from cumulative sums over rows
sorted by exit and by entry time, so one evaluation of the partial likelihood costs a few passes
over the rows whatever the number of distinct event times.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from continuity._options import check_conf_level
from continuity._ties import merge_near_ties
from continuity.errors import ConvergenceWarning, ValidationError

__all__ = ["CoxResult", "cox"]

TIES = ("efron", "breslow")

#: Tolerances of R's ``coxph.control()`` (survival 3.x).
_TOLER_CHOL = np.finfo(float).eps ** 0.75


@dataclass(frozen=True, eq=False)
class CoxResult:
    """A fitted Cox proportional hazards model (see :func:`cox`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per covariate, columns ``term``, ``coef`` (log hazard ratio), ``exp_coef`` (hazard
        ratio), ``std_error`` (model-based standard error of ``coef``, from the inverse
        information), ``robust_se`` (cluster-robust standard error; NA without ``cluster``), ``z``
        (``coef`` over the standard error used), ``p_value`` (two-sided, normal), ``conf_low`` and
        ``conf_high`` (confidence limits of the hazard ratio at ``conf_level``).
    tests : pandas.DataFrame
        Global tests of all coefficients being zero, columns ``test`` (``likelihood_ratio``,
        ``wald``, ``score`` and, with ``cluster``, ``robust_score``), ``statistic`` (chi-square),
        ``df`` and ``p_value``. With ``cluster`` the Wald test uses the robust variance, as in R.
    var : pandas.DataFrame
        Covariance matrix of the coefficients used for inference (robust with ``cluster``),
        indexed by term on both axes.
    naive_var : pandas.DataFrame
        The model-based covariance matrix (inverse information), indexed by term.
    loglik : tuple of float
        Log partial likelihood at zero and at the estimate.
    n : int
        Number of rows used.
    n_events : int
        Number of events.
    n_clusters : int or None
        Number of distinct clusters, None without ``cluster``.
    iterations : int
        Newton-Raphson iterations, counted as R counts them.
    converged : bool
        Whether the relative change of the log-likelihood fell below ``eps``.
    ties : str
        ``"efron"`` or ``"breslow"``.
    conf_level : float
        Level of the confidence limits.
    """

    summary: pd.DataFrame
    tests: pd.DataFrame
    var: pd.DataFrame
    naive_var: pd.DataFrame
    loglik: tuple[float, float]
    n: int
    n_events: int
    n_clusters: int | None
    iterations: int
    converged: bool
    ties: str
    conf_level: float

    @property
    def coef(self) -> pd.Series:
        """The coefficients (log hazard ratios) as a Series indexed by term."""
        return pd.Series(self.summary["coef"].to_numpy(), index=self.summary["term"], name="coef")


# --------------------------------------------------------------------------------------------
# input checks


def _fail(message: str) -> ValidationError:
    return ValidationError([message])


def _row_labels(df: pd.DataFrame, mask: np.ndarray, k: int = 5) -> str:
    labels = [str(v) for v in df.index[mask][:k]]
    more = ", ..." if int(mask.sum()) > k else ""
    return ", ".join(labels) + more


def _as_names(value: str | Sequence[str] | None, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise _fail(
            f"cox: {what} must be a column name or a list of column names, got {value!r}"
        ) from None
    if not all(isinstance(v, str) for v in names):
        raise _fail(f"cox: {what} must be column names (strings), got {names!r}")
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


# --------------------------------------------------------------------------------------------
# the partial likelihood, vectorised


def _rank_right(sorted_values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """``np.searchsorted(sorted_values, queries, side="right")``, by table look-up when the
    queries are whole numbers in a modest range (times in days), which avoids a binary search
    per row."""
    lo, hi = float(queries.min()), float(queries.max())
    if hi - lo <= 4 * queries.size + 1024 and np.array_equal(queries, np.floor(queries)):
        table = np.searchsorted(sorted_values, np.arange(lo, hi + 1), side="right")
        return table[(queries - lo).astype(np.intp)]
    return np.searchsorted(sorted_values, queries, side="right")


class _Design:
    """Everything about the rows that does not depend on the coefficients.

    Event times are numbered 0..T-1 in (stratum, time) order. Row ``i`` is at risk at the event
    times ``lo[i] <= k < hi[i]`` (those of its stratum inside ``(start, stop]``), so a sum over
    each risk set is a difference array: add the row's value at ``lo``, take it off at ``hi``,
    and cumulate over event times. Rows whose interval holds no event time play no part in the
    fit (their score residuals are 0) and are dropped here, as R does.
    """

    def __init__(
        self,
        x: np.ndarray,
        start: np.ndarray,
        stop: np.ndarray,
        event: np.ndarray,
        strata: np.ndarray,
        efron: bool,
    ):
        n_all = x.shape[0]
        # number the event times within strata: key = stratum * (U + 1) + rank among the U
        # distinct event times (rank = how many of them are <= t)
        ev_times = np.unique(stop[event])
        width = np.int64(ev_times.size + 1)
        base = strata.astype(np.int64) * width
        key_start = base + _rank_right(ev_times, start)
        key_stop = base + _rank_right(ev_times, stop)
        if strata.max(initial=0) == 0:
            # one stratum: the event times are the ranks 1..U, so the keys are the positions
            event_keys = np.arange(1, width, dtype=np.int64)
            lo, hi = key_start, key_stop
        else:
            event_keys = np.unique(key_stop[event])
            lo = np.searchsorted(event_keys, key_start, side="right")
            hi = np.searchsorted(event_keys, key_stop, side="right")
        used = np.flatnonzero(hi > lo)  # every event row is used
        self.used = used
        self.n_all = n_all
        self.lo, self.hi = lo[used], hi[used]
        xu = x[used]
        # centring changes nothing but the rounding; columns contiguous for fast products
        self.x = np.asfortranarray(xu - xu.mean(axis=0))
        self.n, self.p = self.x.shape
        self.n_times = n_times = event_keys.size

        ev = np.flatnonzero(event[used])
        ev = ev[np.argsort(self.hi[ev], kind="stable")]  # event rows by event time
        self.ev = ev
        self.group = g = self.hi[ev] - 1  # the event time of each event row
        self.deaths = np.bincount(g, minlength=n_times)
        first = np.concatenate([[0], np.cumsum(self.deaths)[:-1]])
        position = np.arange(ev.size) - first[g]
        # Efron: the j-th of d tied events sees the tied events' weight down-weighted by j/d
        self.frac = position / self.deaths[g] if efron else np.zeros(ev.size)
        self.x_ev = self.x[ev]
        self.x_ev_sum = self.x_ev.sum(axis=0)

    def _risk_sums(self, v: np.ndarray) -> np.ndarray:
        """Sum of ``v`` (one value per row) over the risk set of every event time."""
        t = self.n_times
        diff = np.bincount(self.lo, weights=v, minlength=t + 1)
        diff -= np.bincount(self.hi, weights=v, minlength=t + 1)
        return np.cumsum(diff[:t])

    def _per_row(self, values: np.ndarray) -> np.ndarray:
        """For each row, the sum of per-event-time ``values`` over the event times it is at risk."""
        cum = np.zeros((self.n_times + 1, *values.shape[1:]))
        np.cumsum(values, axis=0, out=cum[1:])
        return cum[self.hi] - cum[self.lo]

    def _by_time(self, values: np.ndarray) -> np.ndarray:
        """Per event time sums of per-event values (a vector, or a matrix by columns)."""
        if values.ndim == 1:
            return np.bincount(self.group, weights=values, minlength=self.n_times)
        return np.column_stack([self._by_time(values[:, k]) for k in range(values.shape[1])])

    def evaluate(self, beta: np.ndarray) -> dict:
        """Log partial likelihood, score and information at ``beta``.

        An overflowing step gives a non-finite log-likelihood, which the Newton-Raphson loop
        treats as a failed step (and halves it), so floating-point warnings are silenced here.
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._evaluate(beta)

    def _evaluate(self, beta: np.ndarray) -> dict:
        x, ev, g, f = self.x, self.ev, self.group, self.frac
        eta = x @ beta
        r = np.exp(eta)
        s0 = self._risk_sums(r)
        s1 = np.column_stack([self._risk_sums(r * x[:, k]) for k in range(self.p)])
        r_ev = r[ev]
        # sums over the tied events of each event time
        a0 = self._by_time(r_ev)
        a1 = self._by_time(self.x_ev * r_ev[:, None])
        # one "slot" per event: denominator and mean of its Efron (or Breslow) risk set
        d0 = s0[g] - f * a0[g]
        mean = (s1[g] - f[:, None] * a1[g]) / d0[:, None]
        loglik = float(eta[ev].sum() - np.log(d0).sum())
        score = self.x_ev_sum - mean.sum(axis=0)
        inv = 1.0 / d0
        haz = self._by_time(inv)  # sum_j 1/D_j
        haz_f = self._by_time(f * inv)  # sum_j f_j/D_j
        # information: sum over slots of the weighted covariance of the slot's risk set; a row's
        # weight is r_i times the sum of 1/D_j (of (1 - f_j)/D_j at its own event time)
        cum_haz = self._per_row(haz)
        w = r * cum_haz
        w[ev] -= r_ev * haz_f[g]
        info = (x * w[:, None]).T @ x - mean.T @ mean
        return {
            "loglik": loglik, "score": score, "info": info,
            "r": r, "mean": mean, "inv": inv, "cum_haz": cum_haz, "haz_f": haz_f,
        }

    def residuals(self, state: dict) -> np.ndarray:
        """Score residuals of all rows (0 for the rows not used), from :meth:`evaluate`'s state.

        Row i: :math:`\\int (x_i - \\bar x(t)) dM_i(t)`, with Efron's split of tied events.
        """
        x, ev, g, f = self.x, self.ev, self.group, self.frac
        r, mean, inv = state["r"], state["mean"], state["inv"]
        xhaz = self._by_time(mean * inv[:, None])
        xhaz_f = self._by_time(mean * (f * inv)[:, None])
        mbar = self._by_time(mean) / self.deaths[:, None]
        resid = -(x * state["cum_haz"][:, None] - self._per_row(xhaz)) * r[:, None]
        resid[ev] += (
            self.x_ev - mbar[g]
            + r[ev, None] * (self.x_ev * state["haz_f"][g, None] - xhaz_f[g])
        )
        out = np.zeros((self.n_all, self.p))
        out[self.used] = resid
        return out


def _singular_columns(info: np.ndarray, scale: np.ndarray) -> list[int]:
    """Columns that a Cholesky decomposition with R's ``toler.chol`` finds redundant."""
    a = info * np.outer(scale, scale)
    p = a.shape[0]
    tol = _TOLER_CHOL * max(float(np.max(np.abs(np.diag(a)))), 0.0)
    singular = []
    lower = np.zeros_like(a)
    diag = np.zeros(p)
    for i in range(p):  # p is the number of covariates: small
        pivot = a[i, i] - np.sum(lower[i, :i] ** 2 * diag[:i])
        if not np.isfinite(pivot) or pivot <= tol:
            singular.append(i)
            continue
        diag[i] = pivot
        for k in range(i + 1, p):
            lower[k, i] = (a[k, i] - np.sum(lower[k, :i] * lower[i, :i] * diag[:i])) / pivot
    return singular


def _solve(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    return np.linalg.solve(matrix, vector)


def _quadratic(matrix: np.ndarray, vector: np.ndarray) -> float:
    return float(vector @ _solve(matrix, vector))


def _cluster_sums(values: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    return np.column_stack(
        [np.bincount(cluster, weights=values[:, k], minlength=n_clusters)
         for k in range(values.shape[1])]
    )


def _relative_change(old: float, new: float) -> float:
    """R's convergence measure ``|1 - old/new|`` (0/0 counts as no change)."""
    if new == 0:
        return 0.0 if old == 0 else np.inf
    return abs(1 - old / new)


def _newton(design: _Design, first: dict, max_iter: int, eps: float) -> dict:
    """Newton-Raphson as R's ``agfit4``: start at 0 (``first`` is the evaluation there),
    step-halving when the log-likelihood falls, stop on its relative change."""
    beta = np.zeros(design.p)
    loglik0 = first["loglik"]
    best = loglik0
    step = _solve(first["info"], first["score"])
    score_test = float(first["score"] @ step)
    old = beta
    beta = beta + step
    halving = 0
    converged = False
    it = 0
    current = first
    for it in range(1, max_iter + 1):
        current = design.evaluate(beta)
        lk, info = current["loglik"], current["info"]
        fail = not np.isfinite(lk) or not np.all(np.isfinite(info))
        if not fail:
            try:
                np.linalg.cholesky(info)
            except np.linalg.LinAlgError:
                fail = True
        if not fail and halving == 0 and _relative_change(best, lk) <= eps:
            converged = True
            break
        if it == max_iter:
            worse = lk < best and (best == 0 or (lk - best) / abs(best) < -eps)
            if max_iter > 1 and (fail or worse):
                beta = old  # the last try was worse than the best: report the best
                current = design.evaluate(beta)
            break
        if fail or lk < best:
            halving += 1
            beta = (old * halving + beta) / (halving + 1.0)
        else:
            halving = 0
            best = lk
            step = _solve(info, current["score"])
            old = beta
            beta = beta + step
    return {
        "beta": beta,
        "fit": current,
        "loglik0": loglik0,
        "score_test": score_test,
        "first": first,
        "iterations": it,
        "converged": converged,
    }


# --------------------------------------------------------------------------------------------
# the public function


def cox(
    df: pd.DataFrame,
    covariates: str | Sequence[str],
    cluster: str | None = None,
    strata: str | Sequence[str] | None = None,
    ties: Literal["efron", "breslow"] = "efron",
    start: str = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    conf_level: float = 0.95,
    *,
    max_iter: int = 20,
    eps: float = 1e-9,
    timefix: bool = True,
) -> CoxResult:
    """Fit a Cox proportional hazards model to counting-process rows.

    Each row is an interval ``(start, stop]`` of one unit with covariates constant inside it and
    ``event`` saying whether the unit's event happened at ``stop``. A row is at risk at time ``t``
    when ``start < t <= stop`` (R's rule), so a unit split into consecutive episodes is one
    unit, and splitting rows further at any times changes neither the estimates nor the robust
    errors.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows; not modified.
    covariates : str or list of str
        Numeric or boolean columns. Categorical or text columns are refused: code them as dummy
        columns first.
    cluster : str, optional
        Column identifying clusters (e.g. the instrument or relationship). When given, the
        cluster-robust (grouped sandwich) variance is used for ``z``, ``p_value``, the confidence
        limits and the Wald test, as R's ``coxph(..., cluster = id)`` does.
    strata : str or list of str, optional
        Column(s) defining strata; each stratum has its own baseline hazard.
    ties : {"efron", "breslow"}
        Handling of tied event times.
    start, stop, event : str
        Names of the interval columns (numeric, any time unit) and of the event indicator
        (0/1 or boolean).
    conf_level : float
        Level of the confidence limits of the hazard ratios, in (0, 1).
    max_iter : int, keyword-only
        Maximum Newton-Raphson iterations (R's ``iter.max``).
    eps : float, keyword-only
        Convergence when the relative change of the log partial likelihood is at most ``eps``
        (R's ``coxph.control(eps)``).
    timefix : bool, keyword-only
        Treat times that differ by less than about 1.5e-8 (absolutely or relative to their mean)
        as tied, as R's ``coxph.control(timefix = TRUE)`` does.

    Returns
    -------
    CoxResult
        ``summary`` (columns ``term, coef, exp_coef, std_error, robust_se, z, p_value, conf_low,
        conf_high``; ``coef`` is a log hazard ratio per unit of the covariate, ``exp_coef`` and the
        limits are hazard ratios), ``tests`` (``test, statistic, df, p_value``), ``var``,
        ``naive_var``, ``loglik``, ``n``, ``n_events``, ``n_clusters``, ``iterations``,
        ``converged``; see :class:`CoxResult`.

    Raises
    ------
    ValidationError
        A column is missing, not numeric (covariates, times, event), has missing or infinite
        values; a row has ``stop <= start``; ``event`` is not 0/1; there are no events; an option
        is unknown; or a covariate is constant, collinear with the others or constant within every
        risk set (R would report its coefficient as NA; here the fit is refused, naming it).

    Warns
    -----
    ConvergenceWarning
        The iterations ran out before convergence, or a coefficient seems to be infinite
        (monotone likelihood), with R's rule ``|U V| > sqrt(eps) (1 + |coef|)``.

    Notes
    -----
    With risk scores :math:`r_i = \\exp(x_i'\\beta)`, risk set :math:`R_k` and :math:`d_k` tied
    events :math:`D_k` at event time :math:`t_k`, Efron's log partial likelihood is

    .. math::

        \\ell(\\beta) = \\sum_k \\Big[\\sum_{i \\in D_k} x_i'\\beta
            - \\sum_{j=0}^{d_k-1} \\log\\Big(\\sum_{i\\in R_k} r_i
            - \\tfrac{j}{d_k}\\sum_{i\\in D_k} r_i\\Big)\\Big]

    and Breslow's drops the :math:`j/d_k` term. It is maximised by Newton-Raphson from
    :math:`\\beta = 0` with R's step-halving and stopping rule (relative change of
    :math:`\\ell` at most ``eps``). The model-based variance is the inverse information
    :math:`V`. The robust variance is :math:`D'D`, where :math:`D` holds per cluster the sums of
    the rows' dfbeta :math:`L_i V`, and :math:`L_i = \\int (x_i - \\bar x(t))\\,dM_i(t)` is the
    score residual of row :math:`i` (Lin and Wei 1989), with no small-sample factor. The robust
    score test is :math:`u'(L_0'L_0)^{-1}u` with score residuals summed per cluster at
    :math:`\\beta = 0`. Results agree with R's ``survival::coxph`` to 1e-6 relative.

    References: Therneau and Grambsch (2000), *Modeling Survival Data: Extending the Cox Model*,
    Springer, ch. 3 and 7; Efron (1977), JASA 72:557-565; Lin and Wei (1989), JASA 84:1074-1078.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.coxph import cox
    >>> rows = pd.DataFrame({
    ...     "id":      [1, 1, 2, 3, 3, 4, 5, 6, 7, 7],
    ...     "t_start": [0, 4, 0, 0, 2, 0, 0, 0, 0, 3],
    ...     "t_stop":  [4, 9, 5, 2, 7, 3, 8, 6, 3, 10],
    ...     "event":   [0, 1, 1, 0, 1, 0, 0, 1, 0, 0],
    ...     "changed": [0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
    ... })
    >>> fit = cox(rows, ["changed"], cluster="id")
    >>> cols = ["term", "exp_coef", "std_error", "robust_se", "conf_low", "conf_high"]
    >>> fit.summary[cols].round(4)
          term  exp_coef  std_error  robust_se  conf_low  conf_high
    0  changed    0.7026     1.2359     1.1907    0.0681     7.2485
    >>> fit.tests.round(4)
                   test  statistic  df  p_value
    0  likelihood_ratio     0.0783   1   0.7797
    1              wald     0.0879   1   0.7669
    2             score     0.0824   1   0.7741
    3      robust_score     0.0798   1   0.7776

    The same numbers as R's ``summary(coxph(Surv(t_start, t_stop, event) ~ changed,
    data = rows, cluster = id))``.
    """
    if not isinstance(df, pd.DataFrame):
        raise _fail(f"cox: df must be a pandas DataFrame, got {type(df).__name__}")
    covs = _as_names(covariates, "covariates")
    if not covs:
        raise _fail("cox: covariates is empty; name at least one numeric column")
    if len(set(covs)) != len(covs):
        raise _fail(f"cox: covariates {covs!r} name a column twice")
    strata_cols = _as_names(strata, "strata")
    if ties not in TIES:
        raise _fail(f"cox: ties={ties!r} is not one of {', '.join(map(repr, TIES))}")
    check_conf_level(conf_level, "cox")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise _fail(f"cox: max_iter={max_iter!r} must be a positive integer")
    if not isinstance(eps, (int, float)) or not (0 < eps < 1):
        raise _fail(f"cox: eps={eps!r} must be a number in (0, 1), e.g. 1e-9")
    if cluster is not None and not isinstance(cluster, str):
        raise _fail(f"cox: cluster must be one column name, got {cluster!r}")
    for name, col in (("start", start), ("stop", stop), ("event", event)):
        if not isinstance(col, str):
            raise _fail(f"cox: {name} must be a column name, got {col!r}")
    _check_columns(df, [start, stop, event], "time/event")
    _check_columns(df, covs, "covariate")
    if cluster is not None:
        _check_columns(df, [cluster], "cluster")
    _check_columns(df, strata_cols, "strata")
    if len(df) == 0:
        raise _fail("cox: the data have no rows")

    t0 = _numeric(df, start, "start")
    t1 = _numeric(df, stop, "stop")
    bad = ~(t1 > t0)
    if bad.any():
        raise _fail(
            f"cox: {int(bad.sum())} row(s) have {stop} <= {start} (rows {_row_labels(df, bad)}); "
            f"each row is the interval ({start}, {stop}] and must have positive length"
        )
    ev_values = _numeric(df, event, "event")
    bad = ~np.isin(ev_values, (0.0, 1.0))
    if bad.any():
        raise _fail(
            f"cox: event column {event!r} must be 0/1 or boolean; {int(bad.sum())} row(s) are not "
            f"(rows {_row_labels(df, bad)})"
        )
    ev_flag = ev_values == 1.0
    n_events = int(ev_flag.sum())
    if n_events == 0:
        raise _fail(f"cox: no events (column {event!r} is 0 in every row); nothing to fit")
    x = np.column_stack([_numeric(df, c, "covariate") for c in covs])
    constant = [c for c, col in zip(covs, x.T, strict=True) if np.all(col == col[0])]
    if constant:
        raise _fail(
            f"cox: covariate(s) {', '.join(map(repr, constant))} are constant; their hazard "
            "ratio cannot be estimated (R reports NA); drop them"
        )
    strata_codes = (
        _codes(df, strata_cols, "strata") if strata_cols else np.zeros(len(df), dtype=np.int64)
    )
    if timefix:
        t0, t1 = merge_near_ties(t1, t0, where="cox", index=df.index)  # type: ignore[assignment]

    design = _Design(x, t0, t1, ev_flag, strata_codes, efron=(ties == "efron"))

    # refuse a singular model up front, naming the covariates (R would give NA coefficients)
    first = design.evaluate(np.zeros(len(covs)))
    info0 = first["info"]
    mean_abs = np.mean(np.abs(design.x), axis=0)
    singular = _singular_columns(info0, 1.0 / np.where(mean_abs > 0, mean_abs, 1.0))
    if singular:
        names = ", ".join(repr(covs[i]) for i in singular)
        raise _fail(
            f"cox: covariate(s) {names} are collinear with the covariates before them or "
            "constant within every risk set (the information matrix is singular; R reports NA "
            "for them); drop them"
        )

    res = _newton(design, first, max_iter, eps)
    beta = res["beta"]
    fit = res["fit"]
    naive = np.linalg.inv(fit["info"])
    naive = (naive + naive.T) / 2
    if not res["converged"]:
        warnings.warn(
            f"cox: Newton-Raphson did not converge in {max_iter} iterations; the estimates are "
            "from the last iteration (raise max_iter)",
            ConvergenceWarning,
            stacklevel=2,
        )
    elif max_iter > 1:
        step = np.abs(fit["score"] @ naive)
        infinite = ~np.isfinite(fit["score"]) | (step > np.sqrt(eps) * (1 + np.abs(beta)))
        if infinite.any():
            names = ", ".join(repr(covs[i]) for i in np.flatnonzero(infinite))
            warnings.warn(
                f"cox: the log-likelihood converged before covariate(s) {names}; their "
                "coefficient may be infinite (no events, or only events, at some level)",
                ConvergenceWarning,
                stacklevel=2,
            )

    p = len(covs)
    n_clusters = None
    robust_se = np.full(p, np.nan)
    var = naive
    tests_rows = []
    if cluster is not None:
        cl = _codes(df, [cluster], "cluster")
        n_clusters = int(cl.max()) + 1
        dfbeta = _cluster_sums(design.residuals(fit), cl, n_clusters) @ naive
        var = dfbeta.T @ dfbeta
        robust_se = np.sqrt(np.diag(var))
        resid0 = _cluster_sums(design.residuals(first), cl, n_clusters)
        u0 = resid0.sum(axis=0)
        tests_rows.append(("robust_score", _quadratic(resid0.T @ resid0, u0)))
    se_naive = np.sqrt(np.diag(naive))
    se = robust_se if cluster is not None else se_naive
    z = beta / se
    crit = stats.norm.ppf(0.5 + conf_level / 2)
    with np.errstate(over="ignore"):  # a diverging coefficient: limits are inf, as in R
        hr_low, hr_high = np.exp(beta - crit * se), np.exp(beta + crit * se)
    summary = pd.DataFrame(
        {
            "term": covs,
            "coef": beta,
            "exp_coef": np.exp(beta),
            "std_error": se_naive,
            "robust_se": robust_se,
            "z": z,
            "p_value": 2 * stats.norm.sf(np.abs(z)),
            "conf_low": hr_low,
            "conf_high": hr_high,
        }
    )
    loglik = (float(res["loglik0"]), float(fit["loglik"]))
    tests_rows = [
        ("likelihood_ratio", 2 * (loglik[1] - loglik[0])),
        ("wald", _quadratic(var, beta)),
        ("score", res["score_test"]),
        *tests_rows,
    ]
    tests = pd.DataFrame(
        {
            "test": [t for t, _ in tests_rows],
            "statistic": [s for _, s in tests_rows],
            "df": p,
            "p_value": [float(stats.chi2.sf(s, p)) for _, s in tests_rows],
        }
    )
    return CoxResult(
        summary=summary,
        tests=tests,
        var=pd.DataFrame(var, index=covs, columns=covs),
        naive_var=pd.DataFrame(naive, index=covs, columns=covs),
        loglik=loglik,
        n=len(df),
        n_events=n_events,
        n_clusters=n_clusters,
        iterations=int(res["iterations"]),
        converged=bool(res["converged"]),
        ties=ties,
        conf_level=float(conf_level),
    )
