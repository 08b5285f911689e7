"""The numerics of :func:`continuity.cox`: the partial likelihood and Newton-Raphson.

The model is fitted to rows ``(t_start, t_stop, event, covariates...)`` of the kind that
``survival::survSplit`` / ``tmerge`` produce. Everything is vectorised with numpy: risk-set sums
come from cumulative sums over rows sorted by exit and by entry time, so one evaluation of the
partial likelihood costs a few passes over the rows whatever the number of distinct event times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

#: Tolerance of R's ``coxph.control(toler.chol)`` (survival 3.x).
_TOLER_CHOL = np.finfo(float).eps ** 0.75


class _Evaluation(NamedTuple):
    """The partial likelihood and what the residuals need, at one ``beta``."""

    loglik: float
    score: np.ndarray  # (p,)
    info: np.ndarray  # (p, p)
    r: np.ndarray  # risk score exp(x beta) per used row
    mean: np.ndarray  # (events, p) mean of x over each event's (Efron) risk set
    inv: np.ndarray  # 1 / denominator per event
    cum_haz: np.ndarray  # per used row, sum of 1/D over the event times it is at risk
    haz_f: np.ndarray  # per event time, sum of f/D over its tied events


class _NewtonResult(NamedTuple):
    """The outcome of :func:`_newton`."""

    beta: np.ndarray
    fit: _Evaluation  # at beta
    first: _Evaluation  # at 0
    loglik0: float
    score_test: float
    iterations: int
    converged: bool
    last_change: float  # absolute change of the log-likelihood in the last iteration


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
        weights: np.ndarray | None = None,
    ):
        n_all = x.shape[0]
        self.efron = efron
        self.weighted = weights is not None
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
        # each event time's stratum code and time (keys are stratum * width + rank)
        self.time_stratum = event_keys // width
        self.time_value = ev_times[event_keys % width - 1]
        used = np.flatnonzero(hi > lo)  # every event row is used
        self.used = used
        self.n_all = n_all
        self.lo, self.hi = lo[used], hi[used]
        xu = x[used]
        # centring changes nothing but the rounding; columns contiguous for fast products
        self.center = xu.mean(axis=0)
        self.x = np.asfortranarray(xu - self.center)
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
        # case weights (1 without): each event slot carries the mean weight of its time's
        # tied events, as R's agfit4 does; with unit weights every product below is exact
        self.w = np.ones(self.n) if weights is None else np.asarray(weights, float)[used]
        self.w_ev = self.w[ev]
        self.slot_w = (self._by_time(self.w_ev) / self.deaths)[g]
        self.x_ev_sum = (self.x_ev * self.w_ev[:, None]).sum(axis=0)

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

    def evaluate(self, beta: np.ndarray) -> _Evaluation:
        """Log partial likelihood, score and information at ``beta``.

        An overflowing step gives a non-finite log-likelihood, which the Newton-Raphson loop
        treats as a failed step (and halves it), so floating-point warnings are silenced here.
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._evaluate(beta)

    def _evaluate(self, beta: np.ndarray) -> _Evaluation:
        x, ev, g, f = self.x, self.ev, self.group, self.frac
        eta = x @ beta
        r = np.exp(eta)
        wr = self.w * r
        s0 = self._risk_sums(wr)
        s1 = np.column_stack([self._risk_sums(wr * x[:, k]) for k in range(self.p)])
        wr_ev = wr[ev]
        # sums over the tied events of each event time
        a0 = self._by_time(wr_ev)
        a1 = self._by_time(self.x_ev * wr_ev[:, None])
        # one "slot" per event: denominator and mean of its Efron (or Breslow) risk set
        d0 = s0[g] - f * a0[g]
        mean = (s1[g] - f[:, None] * a1[g]) / d0[:, None]
        sw = self.slot_w
        loglik = float((self.w_ev * eta[ev]).sum() - (sw * np.log(d0)).sum())
        score = self.x_ev_sum - (sw[:, None] * mean).sum(axis=0)
        inv = 1.0 / d0
        haz = self._by_time(sw * inv)  # sum_j s_j/D_j (s_j the slot's weight)
        haz_f = self._by_time(f * sw * inv)  # sum_j s_j f_j/D_j
        # information: sum over slots of the weighted covariance of the slot's risk set; a row's
        # weight is w_i r_i times the sum of s_j/D_j (of s_j (1 - f_j)/D_j at its own time)
        cum_haz = self._per_row(haz)
        row_w = wr * cum_haz
        row_w[ev] -= wr_ev * haz_f[g]
        info = (x * row_w[:, None]).T @ x - (mean * sw[:, None]).T @ mean
        return _Evaluation(loglik, score, info, r, mean, inv, cum_haz, haz_f)

    def residuals(self, state: _Evaluation) -> np.ndarray:
        """Score residuals of all rows (0 for the rows not used), from :meth:`evaluate`'s state.

        Row i: :math:`\\int (x_i - \\bar x(t)) dM_i(t)`, with Efron's split of tied events.
        """
        x, ev, g, f = self.x, self.ev, self.group, self.frac
        r, mean, inv = state.r, state.mean, state.inv * self.slot_w
        xhaz = self._by_time(mean * inv[:, None])
        xhaz_f = self._by_time(mean * (f * inv)[:, None])
        mbar = self._by_time(mean) / self.deaths[:, None]
        resid = -(x * state.cum_haz[:, None] - self._per_row(xhaz)) * r[:, None]
        resid[ev] += (
            self.x_ev - mbar[g]
            + r[ev, None] * (self.x_ev * state.haz_f[g, None] - xhaz_f[g])
        )
        out = np.zeros((self.n_all, self.p))
        out[self.used] = resid
        return out


def singular_columns(info: np.ndarray, scale: np.ndarray) -> list[int]:
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


def aliased_columns(design: _Design, first: _Evaluation) -> list[int]:
    """Columns whose information at 0 is redundant: collinear with the columns before them, or
    constant within every risk set (R's ``coxph`` reports NA for them)."""
    mean_abs = np.mean(np.abs(design.x), axis=0)
    return singular_columns(first.info, 1.0 / np.where(mean_abs > 0, mean_abs, 1.0))


def solve(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    return np.linalg.solve(matrix, vector)


def quadratic(matrix: np.ndarray, vector: np.ndarray) -> float:
    """``v' M^-1 v``."""
    return float(vector @ solve(matrix, vector))


def _relative_change(old: float, new: float) -> float:
    """R's convergence measure ``|1 - old/new|`` (0/0 counts as no change)."""
    if new == 0:
        return 0.0 if old == 0 else np.inf
    return abs(1 - old / new)


def _failed(current: _Evaluation, free: np.ndarray) -> bool:
    """A step whose log-likelihood or information is not finite, or not positive definite."""
    info = current.info[np.ix_(free, free)]
    if not np.isfinite(current.loglik) or not np.all(np.isfinite(info)):
        return True
    try:
        np.linalg.cholesky(info)
    except np.linalg.LinAlgError:
        return True
    return False


def newton(
    evaluate: Callable[[np.ndarray], _Evaluation],
    start: np.ndarray,
    first: _Evaluation,
    *,
    max_iter: int,
    eps: float,
    free: np.ndarray | None = None,
    step_tol: float | None = None,
) -> _NewtonResult:
    """Newton-Raphson as R's ``agfit4``: start at ``start`` (``first`` is the evaluation there),
    halve the step when the log-likelihood falls, stop on its relative change.

    Only the coefficients flagged in ``free`` move (all by default); the others stay at their
    value in ``start``, which is how a profile likelihood refits the rest of the model. With
    ``step_tol`` the iterations stop when the last full step is at most ``step_tol`` in every
    coefficient (for an objective whose Newton step is not exact, as Firth's), not on the
    relative change of the log-likelihood.
    """
    free = np.ones(start.size, bool) if free is None else free
    beta, best = start.copy(), first.loglik
    step = solve(first.info[np.ix_(free, free)], first.score[free])
    score_test = float(first.score[free] @ step)
    old = beta.copy()
    beta[free] = beta[free] + step
    halving, converged, it, current = 0, False, 0, first
    step_change = np.inf
    for it in range(1, max_iter + 1):
        current = evaluate(beta)
        lk = current.loglik
        change = _relative_change(best, lk)
        step_change = abs(lk - best) if np.isfinite(lk) else np.inf
        fail = _failed(current, free)
        small = (change <= eps if step_tol is None
                 else float(np.max(np.abs(step), initial=0.0)) <= step_tol)
        if not fail and halving == 0 and small:
            converged = True
            break
        if it == max_iter:
            worse = lk < best and (best == 0 or (lk - best) / abs(best) < -eps)
            if max_iter > 1 and (fail or worse):
                beta = old  # the last try was worse than the best: report the best
                current = evaluate(beta)
            break
        # with step_tol, a fall of the log-likelihood within rounding is no fall: near the
        # maximum it changes by less than its last digits while the steps still shrink
        noise = 0.0 if step_tol is None else 1e-12 * max(1.0, abs(best))
        if fail or lk < best - noise:
            halving += 1
            beta[free] = (old[free] * halving + beta[free]) / (halving + 1.0)
        else:
            halving, best = 0, lk
            step = solve(current.info[np.ix_(free, free)], current.score[free])
            old = beta.copy()
            beta[free] = beta[free] + step
    return _NewtonResult(beta, current, first, first.loglik, score_test, it, converged,
                         float(step_change) if it else np.inf)
