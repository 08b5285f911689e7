"""Output helpers of the metrics: shares with Wilson intervals, Kaplan-Meier at horizons
(private). Thin adapters over :mod:`continuity.rates` and :mod:`continuity.survival`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["km_at", "wilson_table"]


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
          conf_level: float) -> pd.DataFrame:
    """Kaplan-Meier survival at each horizon, per group, from right-censored rows.

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
    out = pd.DataFrame({"horizon": np.tile(np.asarray(horizons, dtype=np.int64), len(levels)),
                        "estimate": est, "conf_low": lo, "conf_high": hi,
                        "n": size[g].astype(np.int64), "n_at_risk": at_risk.astype(np.int64),
                        "n_events": n_ev.astype(np.int64)})
    if by is not None:
        out.insert(0, by, levels.to_numpy()[g])
    return out
