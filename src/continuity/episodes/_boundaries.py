"""Phase 2 of the split: every boundary of every unit as a packed key, sorted into episodes.

A boundary is a (unit, day) at which an episode starts or stops: the unit's observed start
and stop, each breakpoint of a party's leadership strictly inside, the end of a window after
each leader change, the edges of a party's record that are not breakpoints, and the cuts. Each
is one key of :class:`continuity._days.KeyCodec`, whose tag (see :class:`Tags`) says what the
boundary adds to its unit's running counts: 0 for the unit's own boundaries (start, stop,
window edge, cut), and for a party's breakpoint or the end of its record the leader changes on
that day, those with a change of party or a party unknown, and the step (+1, -1, 0) in the
number of parties whose signer is out of office. One sort of the keys orders every unit's
boundaries in time; the distinct (unit, day) pairs are the episode grid, and a cumulative sum
of a tag field over the sorted keys gives every episode's count at once, whatever the number
of parties (:mod:`continuity.episodes._exposure`).
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
    """The tag of a boundary key: four fields, each read back with a shift and a mask.

    ``changes | party << b | party_na << 2b | gone << 3b``, where ``b`` is the bit length of
    ``n_chg - 1`` and ``n_chg`` a power of two above the most leader changes of one
    jurisdiction on one day: the leader changes on the boundary's day (``changes``), those with
    a change of party (``party``) or with a party unknown on either side (``party_na``), and the
    step in the number of the unit's parties whose signer is out of office (``gone``: 0, 1 for
    +1, 2 for -1). A unit's own boundaries have tag 0: they add nothing.
    """

    n_chg: int

    @classmethod
    def for_leadership(cls, lead: Leadership) -> Tags:
        most = int(lead.bchg.max()) if len(lead.bchg) else 0
        return cls(n_chg=1 << most.bit_length())

    @property
    def bits(self) -> int:
        return self.n_chg.bit_length() - 1

    @property
    def n_tags(self) -> int:
        return 1 << (3 * self.bits + 2)

    def pack(self, changes, party, party_na, gone=0) -> np.ndarray:
        """The tags of breakpoints (``gone`` as a step, -1, 0 or 1)."""
        b = self.bits
        code = np.where(np.asarray(gone) < 0, 2, gone).astype(np.int64)
        return (np.asarray(changes, dtype=np.int64) | (np.asarray(party, dtype=np.int64) << b)
                | (np.asarray(party_na, dtype=np.int64) << 2 * b) | (code << 3 * b))

    def _field(self, tag: np.ndarray, i: int) -> np.ndarray:
        return (tag >> (i * self.bits)) & (self.n_chg - 1)

    def changes(self, tag: np.ndarray) -> np.ndarray:
        """Leader changes on the day of each boundary."""
        return self._field(tag, 0)

    def party(self, tag: np.ndarray) -> np.ndarray:
        """... those with a change of party."""
        return self._field(tag, 1)

    def party_na(self, tag: np.ndarray) -> np.ndarray:
        """... those with a party unknown on either side."""
        return self._field(tag, 2)

    def gone(self, tag: np.ndarray) -> np.ndarray:
        """The step in the number of parties whose signer is out of office (-1, 0 or 1)."""
        code = (tag >> (3 * self.bits)) & 3
        return np.where(code == 2, -1, code).astype(np.int8)


@dataclass(frozen=True)
class Grid:
    """The episodes: the distinct boundaries of each unit, and the raw keys behind them.

    *Raw* arrays run over every boundary key in sorted order (several per day when a party's
    breakpoint and a unit's boundary fall on one day); the others over episodes.
    """

    tags: Tags
    raw_tag: np.ndarray           # per raw key: its tag (what it adds to the running counts)
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

    def running(self, raw: np.ndarray) -> np.ndarray:
        """Per episode: the sum of ``raw`` (one value per raw key) over the keys of its unit
        after the unit's observed start, up to and including the episode's start day."""
        cum = np.cumsum(raw, dtype=np.int64)
        return cum[self.e_raw] - np.repeat(cum[self.u_raw], self.n_ep)


def grid_of(pairs: Pairs, lead: Leadership, opts: EpisodeOptions) -> Grid:
    """Pack, sort and deduplicate every boundary, and lay out the episodes."""
    tags = Tags.for_leadership(lead)
    codec = KeyCodec(pairs.n_units, tags.n_tags)
    key = np.concatenate(_unit_bounds(pairs, codec) + _breakpoints(pairs, lead, codec, tags)
                         + _window_ends(pairs, lead, codec, opts.window)
                         + _record_edges(pairs, lead, codec, tags, opts.window)
                         + _cuts(pairs, codec, opts.cut_days))
    key.sort(kind="stable")  # runs of sorted keys: timsort merges them
    key, tag64 = codec.split_tag(key, inplace=True)
    tag = tag64.astype(np.int32)
    del tag64
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
        tags=tags, raw_tag=tag,
        u_raw=last_raw[u_first], n_ep=n_ep, offsets=np.cumsum(n_ep) - n_ep,
        e_raw=last_raw[:-1][is_ep], start=bd[:-1][is_ep], stop=bd[1:][is_ep],
        last_change=_last_change(pairs, tags.changes(tag), last_raw, bd, is_ep, u_first, n_ep),
    )


# --- the boundaries, by kind -------------------------------------------------------------------
def _unit_bounds(pairs: Pairs, codec: KeyCodec) -> list[np.ndarray]:
    """Each unit's observed start and stop."""
    units = np.arange(pairs.n_units)
    return [codec.pack(units, pairs.lo), codec.pack(units, pairs.hi)]


def _breakpoints(pairs: Pairs, lead: Leadership, codec: KeyCodec, tags: Tags) -> list[np.ndarray]:
    """Each party's breakpoints strictly inside its unit's observed time, tagged."""
    idx = expand(pairs.b_lo, pairs.n_in)
    # the key is linear in its parts: the pair's, the breakpoint's and the signer's step
    dp, dn = np.diff(lead.bpcum, prepend=0), np.diff(lead.bpna, prepend=0)
    day_part = codec.day_part(lead.codec.day(lead.bkey), tags.pack(lead.bchg, dp, dn))
    steps = tags.pack(0, 0, 0, _signer_steps(pairs, lead, idx))
    return [np.repeat(codec.unit_part(pairs.unit), pairs.n_in) + day_part[idx] + steps]


def out_of_office(h0, in_record, holder, changes) -> np.ndarray:
    """A party's signer (``h0``, -1: none or unknown) is out of office: a leader change since
    entry, or another holder (none in a vacancy) while the record lasts."""
    return (h0 >= 0) & ((in_record & (holder != h0)) | (changes > 0))


def _signer_steps(pairs: Pairs, lead: Leadership, idx: np.ndarray) -> np.ndarray:
    """At each breakpoint of a pair (``idx``, as :func:`_breakpoints` expands them), the step
    (-1, 0, 1) of "this party's signer is out of office", from the breakpoint before it.

    A breakpoint is never after its party's record ends (r1), and the day before it is inside
    the record; on r1 itself the record has ended.
    """
    h0 = np.repeat(pairs.h0, pairs.n_in)
    c0 = np.repeat(lead.bcum[pairs.b_entry - 1], pairs.n_in)
    in_record = lead.codec.day(lead.bkey[idx]) < np.repeat(pairs.r1, pairs.n_in)
    after = out_of_office(h0, in_record, lead.bhold[idx], lead.bcum[idx] - c0)
    before = out_of_office(h0, True, lead.bhold[idx - 1], lead.bcum[idx - 1] - c0)
    return after.astype(np.int8) - before.astype(np.int8)


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


def _record_edges(pairs: Pairs, lead: Leadership, codec: KeyCodec, tags: Tags,
                  window: int | None) -> list[np.ndarray]:
    """Record edges that are not breakpoints (a vacancy row first or last), and, with a
    window, ``r0 + window`` for units entering before the record starts (r0).

    The end of a record (r1) that is not a breakpoint carries the signer's step: a signer
    replaced by a recorded vacancy is out of office until then, unknown after.
    """
    split = lead.rec_split[pairs.j]
    edges = [np.where(split, pairs.r0, NONE), np.where(split, pairs.r1, NONE)]
    if window is not None:
        edges.append(np.where(pairs.known & ~pairs.from_entry, pairs.r0 + window, NONE))
    out = []
    for i, e in enumerate(edges):
        inside = np.flatnonzero((e > pairs.lo[pairs.unit]) & (e < pairs.hi[pairs.unit]))
        if not len(inside):
            continue
        tag = _record_end_steps(pairs, lead, tags, inside) if i == 1 else None
        out.append(codec.pack(pairs.unit[inside], e[inside], tag))
    return out


def _record_end_steps(pairs: Pairs, lead: Leadership, tags: Tags,
                      sel: np.ndarray) -> np.ndarray:
    """The tags of the record ends (r1) of the pairs ``sel``: -1 where the signer was out of
    office only by another holder (a vacancy) and r1 is not itself a breakpoint."""
    j, r1, h0 = pairs.j[sel], pairs.r1[sel], pairs.h0[sel]
    at = np.searchsorted(lead.bkey, lead.codec.pack(j, r1), side="right") - 1
    chg = lead.bcum[at] - lead.bcum[pairs.b_entry[sel] - 1]
    before = out_of_office(h0, True, lead.bhold[at], chg)
    after = out_of_office(h0, False, lead.bhold[at], chg)
    step = np.where(lead.codec.day(lead.bkey[at]) == r1, 0,
                    after.astype(np.int8) - before.astype(np.int8))
    return tags.pack(0, 0, 0, step)


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
