"""Phase 2 of the split: every boundary of every unit as a packed key, sorted into episodes.

A boundary is a (unit, day) at which an episode starts or stops: the unit's observed start
and stop, each breakpoint of a party's leadership strictly inside, the end of a window after
each leader change, the edges of a party's record that are not breakpoints, and the cuts. Each
is one key of :class:`continuity._days.KeyCodec`, whose tag (see :class:`Tags`) says what the
boundary is: 0 for the unit's own boundaries (start, stop, window edge, record edge, cut), and
for a party's breakpoint its slot and the leader changes on that day. One sort of the keys
orders every unit's boundaries in time; the distinct (unit, day) pairs are the episode grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from continuity._days import NONE, KeyCodec, expand, searchsorted_by
from continuity.episodes._episode_options import EpisodeOptions
from continuity.episodes._pairs import Pairs
from continuity.leadership import Leadership

__all__ = ["Grid", "Tags", "grid_of"]


@dataclass(frozen=True)
class Tags:
    """The tag of a boundary key: 0, or ``1 + slot * n_chg + changes`` for a breakpoint.

    ``n_chg`` is a power of two above the most leader changes of one jurisdiction on one day,
    so the slot and the changes are read back with a shift and a mask.
    """

    n_slots: int
    n_chg: int

    @classmethod
    def for_leadership(cls, lead: Leadership, n_slots: int) -> Tags:
        most = int(lead.bchg.max()) if len(lead.bchg) else 0
        return cls(n_slots=n_slots, n_chg=1 << most.bit_length())

    @property
    def n_tags(self) -> int:
        return 1 + max(self.n_slots, 1) * self.n_chg

    @property
    def _bits(self) -> int:
        return self.n_chg.bit_length() - 1

    def changes(self, tag: np.ndarray) -> np.ndarray:
        """Leader changes on the day of each boundary (0 for a unit's own boundary)."""
        return np.where(tag > 0, (tag - 1) & (self.n_chg - 1), 0)

    def slot(self, tag: np.ndarray) -> np.ndarray:
        """The party slot of each boundary (-1 for a unit's own boundary)."""
        return np.where(tag > 0, (tag - 1) >> self._bits, -1)


@dataclass(frozen=True)
class Grid:
    """The episodes: the distinct boundaries of each unit, and the raw keys behind them.

    *Raw* arrays run over every boundary key in sorted order (several per day when a party's
    breakpoint and a unit's boundary fall on one day); the others over episodes.
    """

    tags: Tags
    raw_slot: np.ndarray          # per raw key: slot of a party's breakpoint, or -1
    raw_chg: np.ndarray           # ... leader changes on that day
    u_raw: np.ndarray             # per unit: the last raw key on its observed start day
    n_ep: np.ndarray              # per unit: its number of episodes
    offsets: np.ndarray           # ... the row of its first episode
    e_raw: np.ndarray             # per episode: the last raw key on its start day
    start: np.ndarray             # ... its days [start, stop)
    stop: np.ndarray
    last_change: np.ndarray       # ... the latest leader change since entry (NONE: none)

    @property
    def n_episodes(self) -> int:
        return len(self.start)


def grid_of(pairs: Pairs, lead: Leadership, opts: EpisodeOptions) -> Grid:
    """Pack, sort and deduplicate every boundary, and lay out the episodes."""
    tags = Tags.for_leadership(lead, pairs.n_slots)
    codec = KeyCodec(pairs.n_units, tags.n_tags)
    key = np.concatenate(_unit_bounds(pairs, codec) + _breakpoints(pairs, lead, codec, tags)
                         + _window_ends(pairs, lead, codec, opts.window)
                         + _record_edges(pairs, lead, codec, opts.window)
                         + _cuts(pairs, codec, opts.cut_days))
    key.sort(kind="stable")  # runs of sorted keys: timsort merges them
    key, tag64 = codec.split_tag(key, inplace=True)
    tag = tag64.astype(np.int32)
    del tag64
    raw_chg, raw_slot = tags.changes(tag), tags.slot(tag)
    del tag
    last_raw = (np.flatnonzero(np.append(key[1:] != key[:-1], True)) if len(key)
                else np.zeros(0, dtype=np.int64))
    ukey = key[last_raw]                     # the unique boundaries, and the last raw of each
    del key
    bu, bd = codec.unit(ukey), codec.day(ukey)
    del ukey
    # an episode runs from each unique boundary to the next one of the same unit
    n_b = len(bu)
    is_ep = bu[1:] == bu[:-1] if n_b else np.zeros(0, dtype=bool)
    u_first = (np.flatnonzero(np.append(True, ~is_ep)[:-1]) if n_b
               else np.zeros(0, np.int64))
    n_ep = np.diff(np.append(u_first, n_b)) - 1 if n_b else np.zeros(pairs.n_units, np.int64)
    return Grid(
        tags=tags, raw_slot=raw_slot, raw_chg=raw_chg,
        u_raw=last_raw[u_first], n_ep=n_ep, offsets=np.cumsum(n_ep) - n_ep,
        e_raw=last_raw[:-1][is_ep], start=bd[:-1][is_ep], stop=bd[1:][is_ep],
        last_change=_last_change(pairs, raw_chg, last_raw, bd, is_ep, u_first, n_ep),
    )


# --- the boundaries, by kind -------------------------------------------------------------------
def _unit_bounds(pairs: Pairs, codec: KeyCodec) -> list[np.ndarray]:
    """Each unit's observed start and stop."""
    units = np.arange(pairs.n_units)
    return [codec.pack(units, pairs.lo), codec.pack(units, pairs.hi)]


def _breakpoints(pairs: Pairs, lead: Leadership, codec: KeyCodec, tags: Tags) -> list[np.ndarray]:
    """Each party's breakpoints strictly inside its unit's observed time, tagged."""
    idx = expand(pairs.b_lo, pairs.n_in)
    # the key is linear in its parts: the pair's part and the breakpoint's, each computed once
    day_part = codec.day_part(lead.codec.day(lead.bkey), 1 + lead.bchg)
    pair_part = codec.unit_part(pairs.unit, pairs.slot * tags.n_chg)
    return [np.repeat(pair_part, pairs.n_in) + day_part[idx]]


def _window_ends(pairs: Pairs, lead: Leadership, codec: KeyCodec,
                 window: int | None) -> list[np.ndarray]:
    """``change + window`` inside (lo, hi), for every leader change after entry."""
    if window is None:
        return []
    a = lead.codec.pack(pairs.j, np.maximum(pairs.entry[pairs.unit], pairs.lo[pairs.unit] - window))
    b = lead.codec.pack(pairs.j, np.maximum(pairs.hi[pairs.unit] - window,
                                            pairs.entry[pairs.unit]))
    left = searchsorted_by(lead.ckey, a, pairs.by_j, "right")
    n_w = np.where(pairs.known,
                   np.maximum(searchsorted_by(lead.ckey, b, pairs.by_j, "left") - left, 0), 0)
    idx = expand(left, n_w)
    return [codec.pack(np.repeat(pairs.unit, n_w), lead.cday[idx] + window)]


def _record_edges(pairs: Pairs, lead: Leadership, codec: KeyCodec,
                  window: int | None) -> list[np.ndarray]:
    """Record edges that are not breakpoints (a vacancy row first or last), and, with a
    window, ``r0 + window`` for units entering before the record starts (r0)."""
    split = lead.rec_split[pairs.j]
    edges = [np.where(split, pairs.r0, NONE), np.where(split, pairs.r1, NONE)]
    if window is not None:
        edges.append(np.where(pairs.known & ~pairs.from_entry, pairs.r0 + window, NONE))
    out = []
    for e in edges:
        inside = (e > pairs.lo[pairs.unit]) & (e < pairs.hi[pairs.unit])
        if inside.any():
            out.append(codec.pack(pairs.unit[inside], e[inside]))
    return out


def _cuts(pairs: Pairs, codec: KeyCodec, cuts: np.ndarray) -> list[np.ndarray]:
    """``entry + cut`` for every cut strictly inside (lo - entry, hi - entry)."""
    if not len(cuts):
        return []
    left = np.searchsorted(cuts, pairs.lo - pairs.entry, side="right")
    reps = np.maximum(np.searchsorted(cuts, pairs.hi - pairs.entry, side="left") - left, 0)
    idx = expand(left, reps)
    return [codec.pack(np.repeat(np.arange(pairs.n_units), reps),
                       np.repeat(pairs.entry, reps) + cuts[idx])]


# --- the latest change -------------------------------------------------------------------------
def _last_change(pairs: Pairs, raw_chg, last_raw, bd, is_ep, u_first, n_ep) -> np.ndarray:
    """The day of the latest leader change in (entry, start] at any party, per episode.

    A running max over the unique boundaries finds the latest one with a change, after the
    unit's observed start; else the latest change in (entry, lo] found in the leadership.
    """
    n_b = len(bd)
    cc = np.cumsum(raw_chg > 0)[last_raw]
    has_chg = np.diff(cc, prepend=0) > 0
    ck = np.maximum.accumulate(np.where(has_chg, np.arange(n_b), -1)) if n_b else has_chg
    ck_e = ck[:-1][is_ep]
    inner = ck_e > np.repeat(u_first, n_ep)   # a change after the unit's lo
    unit_last = (np.maximum.reduceat(pairs.last_lo, pairs.first) if len(pairs.first)
                 else np.zeros(0, np.int64))
    return np.where(inner, bd[np.maximum(ck_e, 0)], np.repeat(unit_last, n_ep))
