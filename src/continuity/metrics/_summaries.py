"""Output helpers of the metrics: shares with Wilson intervals, Kaplan-Meier at horizons
(private). Thin adapters over :mod:`continuity.rates` and :mod:`continuity.survival`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["km_at", "km_robust_se", "wilson_table"]


def wilson_table(n_events, n, conf_level: float) -> pd.DataFrame:
    """``estimate, conf_low, conf_high`` of shares ``n_events / n`` by Wilson's interval.

    A thin adapter over :func:`continuity.rates.wilson_interval`; NaN where ``n`` is 0.
    """
    from continuity.rates import wilson_interval

    k = np.asarray(n_events, dtype=np.int64)
    m = np.asarray(n, dtype=np.int64)
    est = np.full(len(k), np.nan)
    lo = np.full(len(k), np.nan)
    hi = np.full(len(k), np.nan)
    ok = m > 0
    if ok.any():
        res = wilson_interval(k[ok], m[ok], conf_level=conf_level)
        est[ok] = np.asarray(res["estimate"], dtype=float)
        lo[ok] = np.asarray(res["conf_low"], dtype=float)
        hi[ok] = np.asarray(res["conf_high"], dtype=float)
    return pd.DataFrame({"estimate": est, "conf_low": lo, "conf_high": hi})


def km_at(df: pd.DataFrame, horizons: Sequence[int], by: str | None,
          conf_level: float, cluster: str | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival at each horizon, per group, from right-censored rows.

    With ``cluster`` (a column of ``df``), the intervals use the cluster-robust
    (infinitesimal jackknife) standard error of :func:`km_robust_se` instead of Greenwood's,
    on the same log-log scale, as R's ``survfit(..., cluster =, conf.type = "log-log")``.

    ``df`` holds ``t_stop`` (days from the origin, > 0) and ``event``, and ``by`` when given.
    Returns the ``by`` column, then ``horizon, estimate, conf_low, conf_high, n, n_at_risk,
    n_events`` (rows; rows still at risk just after the horizon, ``t_stop > horizon``; events
    at or before the horizon). The curve is read as a step function (its value at the last
    exit time on or before the horizon; 1 before the first, with no interval). Past a group's
    last follow-up time the curve is not extended: when the horizon is after it and the
    estimate there is above 0 (the last rows were censored), ``estimate, conf_low,
    conf_high`` are NaN (``n_at_risk`` is 0), as R's ``summary(survfit, times =)`` leaves such
    times out by default; when every row ended (estimate 0) the 0 is kept, being known.
    """
    from continuity.survival import kaplan_meier

    keys = [by] if by is not None else []
    h = np.asarray(horizons, dtype=float)
    if df.empty:
        return pd.DataFrame(columns=[*keys, "horizon", "estimate", "conf_low", "conf_high", "n",
                                     "n_at_risk", "n_events"])
    curve = kaplan_meier(df, by=by, conf_level=conf_level, start=None)
    # every (group, horizon) at once: order rows by a combined key code * span + time
    if by is None:
        levels = pd.Index([None], dtype=object)
        dcode = np.zeros(len(df), dtype=np.int64)
        ccode = np.zeros(len(curve), dtype=np.int64)
    else:
        levels = pd.Index(pd.unique(df[by])).sort_values()
        dcode = levels.get_indexer(df[by])
        ccode = levels.get_indexer(curve[by])
    t_stop = df["t_stop"].to_numpy(dtype=float)
    span = float(max(t_stop.max(initial=0.0), h.max(initial=0.0))) + 1.0
    ctime = curve["time"].to_numpy(dtype=float)
    ckey = ccode * span + ctime  # curve rows are sorted by group, then time
    g = np.repeat(np.arange(len(levels)), len(h))
    hk = g * span + np.tile(h, len(levels))
    i = np.searchsorted(ckey, hk, side="right") - 1
    found = (i >= 0) & (ccode[np.maximum(i, 0)] == g)
    pick = np.maximum(i, 0)
    est = np.where(found, curve["estimate"].to_numpy(dtype=float)[pick], 1.0)
    lo = np.where(found, curve["conf_low"].to_numpy(dtype=float)[pick], np.nan)
    hi = np.where(found, curve["conf_high"].to_numpy(dtype=float)[pick], np.nan)
    last_t = pd.Series(t_stop).groupby(dcode).max().reindex(
        np.arange(len(levels))).to_numpy(dtype=float)
    beyond = (np.tile(h, len(levels)) > last_t[g]) & (est > 0)
    est = np.where(beyond, np.nan, est)
    lo = np.where(beyond, np.nan, lo)
    hi = np.where(beyond, np.nan, hi)
    dkey = np.sort(dcode * span + t_stop)
    ev = df["event"].to_numpy().astype(bool)
    ekey = np.sort(dcode[ev] * span + t_stop[ev])
    size = np.bincount(dcode, minlength=len(levels))
    group_end = np.cumsum(size)[g]
    at_risk = group_end - np.searchsorted(dkey, hk, side="right")
    n_ev = np.searchsorted(ekey, hk, side="right") - np.searchsorted(ekey, g * span, side="left")
    if cluster is not None:
        from continuity.survival import _confint

        se = km_robust_se(df, h, dcode, len(levels), df[cluster].to_numpy())
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = _confint(est, se / est, conf_level, "log-log")
    out = pd.DataFrame({"horizon": np.tile(np.asarray(horizons, dtype=np.int64), len(levels)),
                        "estimate": est, "conf_low": lo, "conf_high": hi,
                        "n": size[g].astype(np.int64), "n_at_risk": at_risk.astype(np.int64),
                        "n_events": n_ev.astype(np.int64)})
    if by is not None:
        out.insert(0, by, levels.to_numpy()[g])
    return out


def km_robust_se(df: pd.DataFrame, horizons: np.ndarray, code: np.ndarray, n_groups: int,
                 cluster: np.ndarray) -> np.ndarray:
    """Cluster-robust standard error of the Kaplan-Meier estimate at each group and horizon.

    The infinitesimal jackknife: with :math:`n_j, d_j` the number at risk and of events at
    event time :math:`t_j`, row :math:`i`'s influence on :math:`\\hat S(h)` is

    .. math::

        U_i(h) = -\\hat S(h) \\Big( \\frac{\\delta_i [t_i \\le h]}{n(t_i) - d(t_i)}
                 - \\sum_{t_j \\le \\min(t_i, h)} \\frac{d_j}{n_j (n_j - d_j)} \\Big),

    and the variance is :math:`\\sum_c (\\sum_{i \\in c} U_i(h))^2` over clusters
    :math:`c`: R's ``survfit(Surv(t, e) ~ 1, cluster = c)`` (Therneau, survival package,
    ``survfit`` robust variance). Rows of ``df`` hold ``t_stop`` (right-censored times from
    0) and ``event``; ``code`` numbers their groups ``0 .. n_groups - 1``. Returns one value
    per group and horizon, groups outer (as :func:`km_at`); NaN where the estimate is 0.
    """
    t = df["t_stop"].to_numpy(dtype=float)
    e = df["event"].to_numpy().astype(bool)
    out = np.full(n_groups * len(horizons), np.nan)
    _, cl = np.unique(np.asarray(cluster, dtype=object).astype(str), return_inverse=True)
    for g in range(n_groups):
        rows = np.flatnonzero(code == g)
        tg, eg, cg = t[rows], e[rows], cl[rows]
        times = np.unique(tg[eg])
        n_j = len(tg) - np.searchsorted(np.sort(tg), times, side="left")
        d_j = np.bincount(np.searchsorted(times, tg[eg]), minlength=len(times))
        live = n_j > d_j
        with np.errstate(divide="ignore", invalid="ignore"):
            surv = np.cumprod(1.0 - d_j / n_j)
            step = np.where(live, d_j / (n_j * (n_j - d_j)), 0.0)
            jump = np.where(live, 1.0 / (n_j - d_j), 0.0)
        h2 = np.cumsum(step)
        k_i = np.searchsorted(times, tg, side="right") - 1  # last event time <= t_i
        for m, hor in enumerate(horizons):
            k_h = np.searchsorted(times, hor, side="right") - 1
            if k_h < 0:
                out[g * len(horizons) + m] = 0.0
                continue
            s_h = surv[k_h]
            k = np.minimum(k_i, k_h)
            own = np.where(eg & (tg <= hor), jump[np.maximum(k_i, 0)], 0.0)
            u = -s_h * (own - np.where(k >= 0, h2[np.maximum(k, 0)], 0.0))
            per_cluster = np.bincount(cg, weights=u)
            out[g * len(horizons) + m] = np.sqrt(np.sum(per_cluster ** 2)) if s_h > 0 \
                else np.nan
    return out
