"""Competing ends: the cumulative incidence of each cause (Aalen-Johansen), with delayed entry.

An agreement ends by expiry, by termination or by lapsing into dormancy, and the first end
precludes the others. One minus the Kaplan-Meier curve of one cause, the others censored,
overstates that cause's probability; the cumulative incidence function does not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtri

from continuity._options import SurvivalConfType, check_conf_level, check_literal
from continuity._risk import risk_table
from continuity._rows import Rows, prepare_rows
from continuity._ties import snap
from continuity.proportions import clopper_pearson

__all__ = ["cumulative_incidence"]


def _cause_reader(censored: object):
    """An ``event_reader`` for :func:`continuity._rows.prepare_rows`: a column of causes."""
    values = [] if censored is None else (
        list(censored) if isinstance(censored, (list, tuple, set, frozenset)) else [censored]
    )

    def read(df: pd.DataFrame, col: str, fn: str, problems: list[str]):
        s = df[col]
        is_censored = s.isna().to_numpy() | s.isin(values).to_numpy()
        try:
            causes = pd.Index(pd.unique(s[~is_censored])).sort_values()
        except TypeError:
            problems.append(
                f"{fn}: column {col!r} (cause) mixes values that cannot be sorted "
                f"({', '.join(map(repr, pd.unique(s[~is_censored])[:5]))}); use one type"
            )
            return None, {}
        codes = np.full(len(df), -1, dtype=np.intp)
        codes[~is_censored] = causes.get_indexer(s[~is_censored])
        return ~is_censored, {"cause": codes, "causes": tuple(causes)}

    return read


def _variance(surv_before, surv, n, d, d_k, incidence):
    """The variance of cmprsk's ``cuminc`` (Gray; the delta method with a correction for ties),
    as cumulative sums: :math:`v = A + F^2 C - 2 F B`, held between events of the cause."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(surv > 0, 1.0 / surv, 0.0)

        def weight(m):  # fk^2 * (1 - (m - 1)/(n - 1)) * m / n^2, 0 where m = 0
            tie = np.where(m > 1, 1.0 - (m - 1.0) / (n - 1.0), 1.0)
            return np.where(m > 0, surv_before**2 * tie * m / (n * n), 0.0)

        w_other = np.where(surv > 0, weight(d - d_k), 0.0)
        w_own = weight(d_k)
    ratio = incidence * inv
    a = np.cumsum(ratio**2 * w_other + (1.0 + ratio) ** 2 * w_own)
    b = np.cumsum(inv * ratio * w_other + inv * (1.0 + ratio) * w_own)
    c = np.cumsum(inv**2 * (w_other + w_own))
    v = a + incidence**2 * c - 2.0 * incidence * b
    jump = np.flatnonzero(d_k > 0)
    held = np.searchsorted(jump, np.arange(v.size), side="right") - 1
    return np.where(held >= 0, v[jump[np.maximum(held, 0)]], 0.0)


def _effective_n(surv, n, d):
    """Dorey and Korn's effective sample size of the event-free curve, (1 - S) / (S Var log S)
    with Greenwood's Var log S: the number of units while nobody was censored or entered late,
    when F_k is a binomial share of them. Where S = 1, the number at risk; where S = 0, the last
    value before."""
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(np.where(d > 0, d / (n * (n - d)), 0.0))
        n_eff = (1.0 - surv) / (surv * greenwood)
    n_eff = np.where(surv == 1, n, n_eff)
    known = np.isfinite(n_eff) & (n_eff > 0)
    last = np.maximum.accumulate(np.where(known, np.arange(n_eff.size), -1))
    return np.where(known, n_eff, np.where(last >= 0, n_eff[np.maximum(last, 0)], n))


def _limits(estimate, std_error, conf_level, conf_type, n_eff=None):
    if conf_type == "exact":
        return clopper_pearson(estimate * n_eff, n_eff, conf_level)
    z = ndtri(1.0 - (1.0 - conf_level) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            return np.maximum(estimate - z * std_error, 0.0), np.minimum(
                estimate + z * std_error, 1.0
            )
        f = np.where((estimate > 0) & (estimate < 1), estimate, np.nan)
        if conf_type == "log":
            spread = np.exp(z * std_error / f)
            return f / spread, np.minimum(f * spread, 1.0)
        power = np.exp(z * std_error / (f * np.log(f)))  # below 1: F**power is above F
        return f ** (1.0 / power), f**power


def _one_group(start, stop, cause, n_causes, chains):
    """Per cause: times, n_at_risk, n_events of the cause, n_censored, estimate, variance."""
    event = cause >= 0
    times, n_rows, d_rows, exits = risk_table(start, stop, event, chains)
    n, d = np.asarray(n_rows, dtype=float), np.asarray(d_rows, dtype=float)
    surv = np.cumprod(1.0 - d / n)
    surv_before = np.concatenate([[1.0], surv[:-1]])
    n_eff = _effective_n(surv, n, d)
    where = np.searchsorted(times, snap(chains, stop[event]))
    by_cause = np.bincount(where * n_causes + cause[event], minlength=times.size * n_causes)
    by_cause = by_cause.reshape(times.size, n_causes)
    out = []
    for k in range(n_causes):
        d_k = by_cause[:, k].astype(float)
        incidence = np.cumsum(surv_before * d_k / n)
        variance = _variance(surv_before, surv, n, d, d_k, incidence)
        out.append((times, n_rows, by_cause[:, k], exits - d_rows, incidence, variance, n_eff))
    return out


def _frame(rows: Rows, parts, conf_level, conf_type, cause_col):
    pieces = []
    for g, per_cause in parts:
        for k, (times, n, d_k, censored, estimate, variance, n_eff) in enumerate(per_cause):
            std_error = np.sqrt(np.maximum(variance, 0.0))
            low, high = _limits(estimate, std_error, conf_level, conf_type, n_eff)
            body = pd.DataFrame(
                {cause_col: np.repeat(np.array([rows.causes[k]], dtype=object), times.size),
                 "time": times, "n_at_risk": n, "n_events": d_k, "n_censored": censored,
                 "estimate": estimate, "std_error": std_error, "conf_low": low,
                 "conf_high": high}
            )
            keys = rows.keys.iloc[np.full(times.size, g)].reset_index(drop=True)
            pieces.append(pd.concat([keys, body], axis=1) if rows.by else body)
    if not pieces:
        columns = [*rows.by, cause_col, "time", "n_at_risk", "n_events", "n_censored",
                   "estimate", "std_error", "conf_low", "conf_high"]
        return pd.DataFrame(columns=columns)
    out = pd.concat(pieces, ignore_index=True)
    if not isinstance(rows.causes[0], str):  # keep numeric cause codes numeric
        out[cause_col] = pd.Series(list(out[cause_col])).infer_objects()
    return out


def cumulative_incidence(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    cause: str = "cause",
    censored: object = None,
    conf_level: float = 0.95,
    conf_type: SurvivalConfType = "log-log",
    start: str | None = "t_start",
    stop: str = "t_stop",
    timefix: bool = True,
) -> pd.DataFrame:
    """Cumulative incidence of each competing cause of the end (Aalen-Johansen), by group.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit at risk over ``(t_start, t_stop]`` (delayed entry allowed). Not
        modified.
    by : str or list of str, optional
        Column(s) whose distinct values define separate curves.
    cause : str, default "cause"
        Column holding the cause of each row's end (e.g. ``end_reason``: "expired",
        "terminated", "dormant"); missing values, and the values in ``censored``, mark rows
        that end without an event (censored at ``t_stop``).
    censored : object or list, optional
        Value(s) of ``cause`` that mean censored, e.g. ``0`` (cmprsk's ``cencode``) or
        ``"censored"``.
    conf_level : float, default 0.95
        Level of the pointwise interval.
    conf_type : {"log-log", "log", "plain", "exact"}, default "log-log"
        Scale of the normal interval: "log-log" is symmetric for ``log(-log F)``, and stays in
        (0, 1); "log" for ``log F``; "plain" for F, clipped to [0, 1]. "exact", for a handful
        of units: Clopper-Pearson for ``F * n_eff`` ends by the cause out of ``n_eff``, Dorey
        and Korn's effective sample size of the event-free curve, ``(1 - S) / (S Var log S)``
        (Greenwood): the number of units while nobody was censored or entered late, when F is
        a binomial share and the interval is exact; the number at risk while S = 1. It keeps
        its level where the normal intervals are undefined or too narrow
        (``validation/KM_SMALL_COVERAGE.md``).
    start, stop, timefix
        As in :func:`continuity.kaplan_meier`.

    Returns
    -------
    pandas.DataFrame
        One row per group, cause and distinct exit time (event of any cause or censoring),
        sorted by group, cause, time. Columns: the ``by`` columns, the ``cause`` column, then

        - ``time``: the exit time.
        - ``n_at_risk``: rows at risk (``t_start < time <= t_stop``), whatever the cause.
        - ``n_events``: rows ending at ``time`` by this cause.
        - ``n_censored``: rows ending at ``time`` without an event.
        - ``estimate``: the cumulative incidence F(time), the probability of having ended by
          this cause by ``time`` (R's ``survfit`` ``pstate`` and ``cmprsk::cuminc`` ``est``).
        - ``std_error``: its standard error, the square root of ``cuminc``'s variance, held
          between events of the cause as ``cuminc`` holds it.
        - ``conf_low``, ``conf_high``: the pointwise interval; NaN on the "log" and "log-log"
          scales where F is 0 or 1.

    Raises
    ------
    continuity.ValidationError
        As :func:`continuity.kaplan_meier`, and if the causes cannot be sorted.
    continuity.OptionError
        If ``conf_level`` or ``conf_type`` is out of its range, or a column name is not a str.

    Notes
    -----
    With :math:`\\hat S(t-)` the Kaplan-Meier estimate of remaining event-free just before
    :math:`t` (all causes pooled, delayed entry in the risk sets),

    .. math::

        \\hat F_k(t) = \\sum_{t_j \\le t} \\hat S(t_j-)\\, d_{kj} / n_j,

    the Aalen-Johansen estimator of a transient state with competing absorbing states (Aalen and
    Johansen 1978; Kalbfleisch and Prentice 2002, sec. 8.2). The sum of the curves of all
    causes plus the Kaplan-Meier curve is 1 at every time. The variance is Gray's delta-method
    estimator of ``cmprsk::cuminc`` (Gray 1988, Annals of Statistics 16, 1141-1154; the code
    of ``cinc`` in cmprsk 2.2), computed over the same risk sets when entry is delayed (which
    ``cuminc`` does not allow); R's ``survfit`` on a multi-state ``Surv`` reports an
    infinitesimal-jackknife standard error instead, which differs slightly. The "log-log"
    interval is :math:`\\hat F^{\\exp(\\pm z\\, \\mathrm{se} / (\\hat F \\log \\hat F))}`
    (Choudhury 2002).

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity import cumulative_incidence
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 3, 4, 5],
    ...                      "end_reason": ["expired", "terminated", None, "expired", None]})
    >>> ci = cumulative_incidence(rows, cause="end_reason", start=None)
    >>> ci[ci["end_reason"] == "expired"][["time", "n_at_risk", "n_events", "estimate"]]
       time  n_at_risk  n_events  estimate
    0   1.0          5         1       0.2
    1   2.0          4         0       0.2
    2   3.0          3         0       0.2
    3   4.0          2         1       0.5
    4   5.0          1         0       0.5
    """
    fn = "cumulative_incidence"
    conf_level = check_conf_level(conf_level, fn)
    check_literal(conf_type, SurvivalConfType, "conf_type", fn)
    rows = prepare_rows(
        df, by, start, stop, cause, fn, timefix=timefix, event_reader=_cause_reader(censored)
    )
    parts = []
    k = len(rows.causes)
    cause_codes = np.asarray(rows.cause)
    for g in range(rows.n_groups):
        m = rows.codes == g
        s = None if rows.start is None else rows.start[m]
        parts.append((g, _one_group(s, rows.stop[m], cause_codes[m], k, rows.chains)))
    return _frame(rows, parts, conf_level, conf_type, cause)

