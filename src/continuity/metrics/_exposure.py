"""Exposure to activity, to the day: the lives of instruments or relationships and their activities.

Private to the effectiveness metrics. A *unit* is an instrument or a relationship (a chain of
instruments). Its life is the union of its instruments' lives, each from entry (``effective``,
else ``signed``) to the formal end (``ended``, else ``expires``), or through ``as_of``; the rules
for activities before entry, after the formal end and during dormancy are options (see
:class:`Rules`). Exposure and counts between two days are read from cumulative sums, for every
unit at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import leadership, lifetimes
from continuity._options import DEFAULTS, check_days, check_literal
from continuity.errors import OptionError, ValidationError
from continuity.metrics import _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__: list[str] = []

#: What happens to an activity dated before its instrument's entry (the signing visit, an
#: exploratory trip): left out, or counted with the life extended back to it.
BeforeEntry = Literal["exclude", "extend"]
#: What happens to an activity dated on or after its instrument's formal end.
AfterEnd = Literal["exclude", "extend"]
#: Whether dormant time (``threshold`` days and more without activity) is exposure.
DormantTime = Literal["include", "exclude"]
#: Confidence of a reported activity, in increasing order.
Confidence = Literal["low", "medium", "high"]

DAYS_PER_YEAR = 365.25
# keys unit * SCALE + day + SHIFT order (unit, day) pairs; days of datetime64[ns] lie within +-2**17
SHIFT = 1 << 18
SCALE = 1 << 19
FAR = 1 << 30


@dataclass(frozen=True)
class Rules:
    """The exposure rules of one call: what counts as activity, and when a unit is exposed."""

    before_entry: str = "exclude"
    after_end: str = "exclude"
    dormant_time: str = "include"
    threshold: int = DEFAULTS.dormancy
    min_confidence: str | None = None


def check_rules(where: str, *, before_entry, after_end, dormant_time, threshold,
                min_confidence) -> Rules:
    """The checked rules (OptionError naming the argument and its choices when one is bad)."""
    check_literal(before_entry, BeforeEntry, "before_entry", where)
    check_literal(after_end, AfterEnd, "after_end", where)
    check_literal(dormant_time, DormantTime, "dormant_time", where)
    threshold = check_days(threshold, "threshold", where, minimum=1)
    if min_confidence is not None:
        check_literal(min_confidence, Confidence, "min_confidence", where,
                      " (or None to keep every activity)")
    return Rules(before_entry, after_end, dormant_time, threshold, min_confidence)


def to_days(values) -> np.ndarray:
    """Dates (datetime64[ns], NaT not allowed) as whole days since 1970-01-01 (int64)."""
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def event_keys(acts: pd.DataFrame) -> np.ndarray:
    """One key per reported event: rows that name each other in ``same_event_as`` share it.

    Without ``same_event_as`` every row is its own event. With it, rows are joined through the
    ids of ``activity_id`` (each row keyed by the smallest id it is linked to, however long the
    chain); a ``same_event_as`` naming no known ``activity_id`` is an error.
    """
    n = len(acts)
    if "same_event_as" not in acts.columns:
        return np.arange(n, dtype=np.int64)
    same = acts["same_event_as"]
    linked = same.notna().to_numpy()
    if not linked.any():
        return np.arange(n, dtype=np.int64)
    if "activity_id" not in acts.columns:
        raise ValidationError(["activities: same_event_as names other activities by "
                               "activity_id, but the table has no activity_id column; add one"])
    ids = acts["activity_id"].astype(str).to_numpy()
    pos = pd.Series(np.arange(n), index=ids)
    pos = pos[~pos.index.duplicated()]
    target = same.astype(object).where(linked).map(pos)
    unknown = linked & target.isna().to_numpy()
    if unknown.any():
        bad = acts.loc[unknown, "same_event_as"].astype(str).unique()[:5]
        raise ValidationError([f"activities: {int(unknown.sum())} rows name in same_event_as an "
                               f"activity_id that is not in the table ({', '.join(bad)}); "
                               "give the activity_id of the other report of the event"])
    key = np.arange(n, dtype=np.int64)
    src = np.flatnonzero(linked)
    dst = target.to_numpy()[linked].astype(np.int64)
    while True:  # propagate the smallest key along the links, both ways, until it settles
        new = key.copy()
        np.minimum.at(new, src, key[dst])
        np.minimum.at(new, dst, key[src])
        new = new[new]
        if np.array_equal(new, key):
            return key
        key = new


def activity_rows(study: Study, rules: Rules, where: str) -> pd.DataFrame:
    """The study's activities that are activity (not statements), filtered by confidence.

    Returns the rows (a copy, index reset) with ``_event``, the key of the event they report
    (:func:`event_keys`, computed on every row before the filters, so that an activity linked
    to a statement or to a row of lower confidence keeps its key).
    """
    full = study.activities
    acts = lifetimes.signs_of_life(study)  # statements left out, index of study.activities kept
    if full is None or not len(acts):
        acts = acts.assign(_event=pd.Series([], dtype=np.int64)).iloc[:0]
    else:  # events are linked across every report, statements included
        keys = pd.Series(event_keys(full.reset_index(drop=True)), index=full.index)
        acts = acts.assign(_event=keys.loc[acts.index].to_numpy())
    # only the columns the metrics read: the copies of a million rows are the cost
    keep_cols = ["agreement_id", "date", "_event", "activity_id", "kind", "sector",
                 "objective", "side", "confidence"]
    acts = acts[[k for k in keep_cols if k in acts.columns]].reset_index(drop=True)
    if rules.min_confidence is None:
        return acts
    if "confidence" not in acts.columns:
        raise OptionError(f"{where}: min_confidence={rules.min_confidence!r} filters on the "
                          "activities' confidence column, which this study does not have; "
                          "drop min_confidence or add the column (low, medium, high)")
    rank = {k: i for i, k in enumerate(("low", "medium", "high"))}
    level = acts["confidence"].map(rank)
    keep = (level >= rank[rules.min_confidence]).to_numpy()
    return acts[keep].reset_index(drop=True)


@dataclass(frozen=True)
class Lives:
    """Units, their exposure spans and their counted activities, as whole days.

    ``units``: ``unit`` (id), ``relationship_id``, ``life_start``, ``life_stop`` (first and
    last day + 1 of the unit's life, int days). ``spans``: merged life spans ``u, start, stop``
    sorted. ``live``: the exposure spans (the life spans, less dormant time when it is
    excluded). ``acts``: counted activities with ``u`` and ``day`` and the table's columns.
    """

    level: str
    units: pd.DataFrame
    spans: pd.DataFrame
    live: pd.DataFrame
    acts: pd.DataFrame

    def exposure(self, u, a, b) -> np.ndarray:
        """Days of exposure of units ``u`` in ``[a, b)`` (arrays, int days)."""
        return cumulative(self.live, u, b) - cumulative(self.live, u, a)

    def count(self, u, a, b) -> np.ndarray:
        """Counted activities (rows) of units ``u`` dated in ``[a, b)``."""
        key = (self.acts["u"].to_numpy(np.int64) * SCALE
               + self.acts["day"].to_numpy(np.int64) + SHIFT)
        u = np.asarray(u, dtype=np.int64)
        return (np.searchsorted(key, u * SCALE + np.asarray(b) + SHIFT, side="left")
                - np.searchsorted(key, u * SCALE + np.asarray(a) + SHIFT, side="left"))


def cumulative(spans: pd.DataFrame, u, t) -> np.ndarray:
    """Exposure of each unit ``u`` before day ``t``, from its sorted, disjoint spans."""
    su = spans["u"].to_numpy(np.int64)
    start = spans["start"].to_numpy(np.int64)
    stop = spans["stop"].to_numpy(np.int64)
    length = stop - start
    first = np.ones(len(su), dtype=bool)
    first[1:] = su[1:] != su[:-1]
    cum = np.cumsum(length)
    head_cum = np.maximum.accumulate(np.where(first, cum - length, 0))
    before = cum - length - head_cum  # exposure of the unit's earlier spans
    u = np.asarray(u, dtype=np.int64)
    t = np.clip(np.asarray(t, dtype=np.int64), -SHIFT + 1, SHIFT - 1)
    k = np.searchsorted(su * SCALE + start + SHIFT, u * SCALE + t + SHIFT, side="right") - 1
    kk = np.maximum(k, 0)
    ok = (k >= 0) & (su[kk] == u) if len(su) else np.zeros(len(u), dtype=bool)
    if not len(su):
        return np.zeros(np.broadcast(u, t).shape, dtype=np.int64)
    inside = before[kk] + np.minimum(t, stop[kk]) - start[kk]
    return np.where(ok, inside, 0).astype(np.int64)


def _merge(u: np.ndarray, start: np.ndarray, stop: np.ndarray) -> pd.DataFrame:
    """The union of intervals per unit, as sorted disjoint spans ``u, start, stop``."""
    order = np.lexsort((start, u))
    u, start, stop = u[order], start[order], stop[order]
    keep = stop > start
    u, start, stop = u[keep], start[keep], stop[keep]
    if not len(u):
        return pd.DataFrame({"u": u, "start": start, "stop": stop})
    # running end within each unit: offset by unit so that the maximum never crosses units
    off = u * (4 * FAR)
    run = np.maximum.accumulate(stop + off) - off
    new = np.ones(len(u), dtype=bool)
    new[1:] = (u[1:] != u[:-1]) | (start[1:] > run[:-1])
    grp = np.cumsum(new) - 1
    out_stop = np.full(int(grp[-1]) + 1, -FAR, dtype=np.int64)
    np.maximum.at(out_stop, grp, stop)
    return pd.DataFrame({"u": u[new], "start": start[new], "stop": out_stop})


def build_lives(study: Study, rules: Rules, level: str, where: str) -> Lives:
    """The lives of every instrument (``level="instrument"``) or relationship, and activity."""
    a = _views.observed_agreements(study)
    as_of = study.as_of
    a = a[(lifetimes.entry(a) <= as_of).to_numpy()].reset_index(drop=True)
    begin = to_days(lifetimes.entry(a))
    end = lifetimes.formal_end(a, as_of)
    last = to_days([as_of])[0] + 1  # as_of is observed: the life runs through it
    stop = np.where(end.isna().to_numpy(), last, to_days(end.fillna(as_of)))
    unit_of = a["agreement_id"] if level == "instrument" else a["relationship_id"]
    codes, uniques = pd.factorize(unit_of.astype(str))
    acts = activity_rows(study, rules, where)
    pos = pd.Series(np.arange(len(a)), index=a["agreement_id"].astype(str).to_numpy())
    i = acts["agreement_id"].astype(str).map(pos)
    day = to_days(acts["date"])
    keep = i.notna().to_numpy() & (day <= last - 1)
    acts = acts[keep].reset_index(drop=True)
    i = i[keep].to_numpy(dtype=np.int64)
    day = day[keep]
    begin, stop = _extend(begin, stop, i, day, rules, last)
    spans = _merge(codes.astype(np.int64), begin, stop)
    acts = acts.assign(u=codes[i].astype(np.int64), day=day)
    inside = cumulative(spans, acts["u"], acts["day"] + 1) > cumulative(spans, acts["u"],
                                                                           acts["day"])
    acts = acts[inside].sort_values(["u", "day"], kind="stable").reset_index(drop=True)
    live = spans if rules.dormant_time == "include" else awake_spans(spans, acts, rules.threshold)
    rel = a.groupby(codes)["relationship_id"].first().to_numpy(dtype=object)
    g = spans.groupby("u")
    # a unit whose life is empty (it expired the day it entered) has no span: [0, 0)
    first = g["start"].min().reindex(range(len(uniques)), fill_value=0)
    last_day = g["stop"].max().reindex(range(len(uniques)), fill_value=0)
    units = pd.DataFrame({"unit": uniques.to_numpy(dtype=object), "relationship_id": rel,
                          "life_start": first.to_numpy(np.int64),
                          "life_stop": last_day.to_numpy(np.int64)})
    return Lives(level, units, spans, live, acts)


def _extend(begin, stop, i, day, rules: Rules, last: int):
    """Each instrument's life extended to its activities before entry or after its end."""
    begin, stop = begin.copy(), stop.copy()
    if rules.before_entry == "extend" and len(i):
        np.minimum.at(begin, i, day)
    if rules.after_end == "extend" and len(i):
        np.maximum.at(stop, i, np.minimum(day + 1, last))
    return begin, stop


def awake_spans(spans: pd.DataFrame, acts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The life spans less dormant time: from each sign of life, at most ``threshold`` days.

    Signs of life are the start of each span and every counted activity; from each, exposure
    runs to the next sign of life, the end of the span, or ``threshold`` days later, whichever
    comes first.
    """
    su, sstart, sstop = (spans[k].to_numpy(np.int64) for k in ("u", "start", "stop"))
    au, aday = acts["u"].to_numpy(np.int64), acts["day"].to_numpy(np.int64)
    k = np.searchsorted(su * SCALE + sstart + SHIFT, au * SCALE + aday + SHIFT, side="right") - 1
    u = np.concatenate([su, au])
    p = np.concatenate([sstart, aday])
    span_stop = np.concatenate([sstop, sstop[k]])
    order = np.lexsort((p, u))
    u, p, span_stop = u[order], p[order], span_stop[order]
    nxt = np.full(len(p), FAR, dtype=np.int64)
    same = u[1:] == u[:-1]
    nxt[:-1] = np.where(same, p[1:], FAR)
    stop = np.minimum(np.minimum(nxt, span_stop), p + threshold)
    return _merge(u, p, stop)


def admin_segments(study: Study) -> pd.DataFrame:
    """Each jurisdiction's timeline cut into administrations, with the gaps between them.

    Rows ``jurisdiction, seg_start, seg_stop`` (int days; the first from far in the past, the
    last to far in the future), ``administration, administration_start`` (NA in a gap: before
    the first known administration, in a vacancy, or for a party with no known terms).
    """
    adm = leadership.administrations(study)
    j = adm["jurisdiction"].to_numpy(dtype=object)
    start = to_days(adm["administration_start"])
    end = adm["administration_end"]
    stop = np.where(end.isna().to_numpy(), FAR, to_days(end.fillna(pd.Timestamp(0))))
    rows = [pd.DataFrame({"jurisdiction": j, "seg_start": start, "seg_stop": stop,
                          "administration": adm["administration"].to_numpy(dtype=object),
                          "administration_start": adm["administration_start"].to_numpy()})]
    # gaps: before each jurisdiction's first administration, between, and after the last
    prev_stop = np.r_[-FAR, stop[:-1]]
    first = np.ones(len(j), dtype=bool)
    first[1:] = j[1:] != j[:-1]
    prev_stop = np.where(first, -FAR, prev_stop)
    gap = prev_stop < start
    rows.append(_gaps(j[gap], prev_stop[gap], start[gap]))
    last = np.r_[~first[1:], False] if len(j) else np.zeros(0, dtype=bool)
    tail = ~last & (stop < FAR)
    rows.append(_gaps(j[tail], stop[tail], np.full(int(tail.sum()), FAR)))
    known = set(j)
    others = sorted(set(study.parties["jurisdiction"]) - known)
    rows.append(_gaps(np.array(others, dtype=object), np.full(len(others), -FAR),
                      np.full(len(others), FAR)))
    out = pd.concat(rows, ignore_index=True)
    out["administration_start"] = out["administration_start"].astype("datetime64[ns]")
    return out.sort_values(["jurisdiction", "seg_start"], kind="stable").reset_index(drop=True)


def _gaps(j, start, stop) -> pd.DataFrame:
    return pd.DataFrame({"jurisdiction": np.asarray(j, dtype=object),
                         "seg_start": np.asarray(start, dtype=np.int64),
                         "seg_stop": np.asarray(stop, dtype=np.int64),
                         "administration": pd.Series([None] * len(j), dtype=object),
                         "administration_start": pd.Series([pd.NaT] * len(j),
                                                           dtype="datetime64[ns]")})


def unit_parties(study: Study, lives: Lives, focal: str | None) -> pd.DataFrame:
    """``u, jurisdiction``: the parties of each unit (only the focal party's rows when given)."""
    p = study.parties[["agreement_id", "jurisdiction"]]
    a = study.agreements[["agreement_id", "relationship_id"]]
    col = "agreement_id" if lives.level == "instrument" else "relationship_id"
    p = p.merge(a, on="agreement_id", how="inner")
    codes = pd.Series(np.arange(len(lives.units)), index=lives.units["unit"].astype(str))
    u = p[col].astype(str).map(codes)
    out = pd.DataFrame({"u": u, "jurisdiction": pd.Series(
        p["jurisdiction"].to_numpy(dtype=object), index=p.index, dtype=object)})
    out = out[out["u"].notna()].drop_duplicates()
    if focal is not None:
        out = out[out["jurisdiction"] == focal]
    out["u"] = out["u"].astype(np.int64)
    return out.sort_values(["u", "jurisdiction"], kind="stable").reset_index(drop=True)


def keyed_rows(study: Study, lives: Lives, keys: list[str], focal):
    """Exposure per unit (and party, and administration), and the activities with those keys.

    Returns ``(rows, acts)``: ``rows`` has ``u``, the unit's ids, ``life_start, life_stop``,
    ``exposure`` (days), and with party keys (or ``focal``) ``jurisdiction``, with
    ``"administration"`` in ``keys`` one row per administration segment overlapping the
    life (``administration, administration_start``); ``acts`` the counted activities with the
    same keys, each credited to the administration in office on its date.
    """
    units = lives.units.assign(u=np.arange(len(lives.units)))
    units = units.rename(columns={"unit": "agreement_id" if lives.level == "instrument"
                                  else "_unit"})
    acts = lives.acts.drop(columns=[k for k in ("relationship_id",) if k in lives.acts])
    acts = acts.merge(units[["u", "relationship_id"]], on="u", how="left")
    party = focal is not None or "jurisdiction" in keys or "administration" in keys
    if not party:
        rows = units.assign(exposure=lives.exposure(units["u"], units["life_start"],
                                                    units["life_stop"]))
        return rows, acts
    up = unit_parties(study, lives, focal).merge(units, on="u", how="inner")
    if "administration" not in keys:
        rows = up.assign(exposure=lives.exposure(up["u"], up["life_start"], up["life_stop"]))
        return rows, acts.merge(up[["u", "jurisdiction"]], on="u", how="inner")
    seg = admin_segments(study)
    rows = up.merge(seg, on="jurisdiction", how="inner")
    lo = np.maximum(rows["seg_start"], rows["life_start"])
    hi = np.minimum(rows["seg_stop"], rows["life_stop"])
    rows = rows[(hi > lo).to_numpy()].assign(exposure=lives.exposure(
        rows["u"][hi > lo], lo[hi > lo], hi[hi > lo]))
    acts = acts.merge(up[["u", "jurisdiction"]], on="u", how="inner")
    # the segment of each activity's party in force on its day: segments partition each
    # jurisdiction's timeline, so it is the last one starting on or before the day
    codes = pd.Index(pd.unique(seg["jurisdiction"].astype(object)))
    skey = (codes.get_indexer(seg["jurisdiction"].astype(object)).astype(np.int64) * SCALE
            + np.clip(seg["seg_start"].to_numpy(np.int64), -SHIFT, SHIFT - 1) + SHIFT)
    akey = (codes.get_indexer(acts["jurisdiction"].astype(object)).astype(np.int64) * SCALE
            + acts["day"].to_numpy(np.int64) + SHIFT)
    k = np.searchsorted(skey, akey, side="right") - 1  # seg is sorted by jurisdiction, start
    acts["administration"] = seg["administration"].to_numpy(dtype=object)[k]
    acts["administration_start"] = seg["administration_start"].to_numpy()[k]
    return rows, acts


def count_events(acts: pd.DataFrame, keys: list[str], name: str) -> pd.DataFrame:
    """Reported events per group of ``keys`` (each event once): a column ``name``.

    Rows of one event share ``_event`` (:func:`event_keys`); when every row is its own event
    the count is the group's size, which is much quicker than counting distinct keys.
    """
    distinct = acts["_event"].is_unique
    if not keys:
        return pd.DataFrame({name: [len(acts) if distinct else int(acts["_event"].nunique())]})
    g = acts.groupby(keys, dropna=False, sort=False)["_event"]
    return (g.size() if distinct else g.nunique()).rename(name).reset_index()
