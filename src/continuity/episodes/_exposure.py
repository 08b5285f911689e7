"""Phase 3 of the split: the exposure columns, over (unit, party) pairs aggregated per unit.

Every count is a unit's value at its observed start (a sum over its pairs, found in the
leadership by :mod:`continuity.episodes._pairs`) plus what the boundaries after it add up to
the episode's start: one cumulative sum of a tag field over the sorted boundary keys
(:meth:`Grid.running`), whatever the number of parties. Where a party's record does not cover
an episode is a threshold per unit (the earliest record end among its parties), so the NA
masks are one comparison per episode. The cost grows with the number of pairs and episodes,
not with the number of parties of the largest unit.

The per-party columns of ``leaders="wide"`` are per party slot by nature: one pass over the
episodes of the units that have each slot (:func:`wide_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from continuity._days import NONE, KeyCodec, expand
from continuity.episodes._boundaries import Grid, out_of_office
from continuity.episodes._episode_options import EpisodeOptions
from continuity.episodes._pairs import Pairs
from continuity.leadership import Leadership

__all__ = ["Exposure", "categorical", "exposure_of"]


@dataclass
class Exposure:
    """The exposure columns of the episodes (NA masks beside values)."""

    changes: np.ndarray
    changes_na: np.ndarray        # some party's history since entry is not in its record
    party_changes: np.ndarray
    party_na: np.ndarray
    in_false: np.ndarray          # some party's signer has left
    in_na: np.ndarray             # some party had no known leader at entry, or its record ended
    win_na: np.ndarray | None     # with a window: some party's window is not in its record
    focal: _Focal | None
    slot_cols: dict[str, pd.Categorical] = field(default_factory=dict)


@dataclass
class _Focal:
    own: np.ndarray
    partner: np.ndarray
    own_na: np.ndarray
    partner_na: np.ndarray


def exposure_of(pairs: Pairs, grid: Grid, lead: Leadership, opts: EpisodeOptions) -> Exposure:
    """Every exposure column: running counts per unit, NA where a record ends."""
    if len(grid.raw_tag) >= 1 << 31:
        raise OverflowError(f"{len(grid.raw_tag):,} boundaries overflow the running counts")
    tags, n_ep, tag = grid.tags, grid.n_ep, grid.raw_tag
    start = grid.start

    def per_unit(x: np.ndarray) -> np.ndarray:       # a sum over each unit's pairs
        return np.repeat(_unit_sum(pairs, x), n_ep)

    changes = (per_unit(pairs.changes_lo) + grid.running(tags.changes(tag))).astype(np.int32)
    lo, entry = pairs.b_lo - 1, pairs.b_entry - 1
    party = per_unit(lead.bpcum[lo] - lead.bpcum[entry]) + grid.running(tags.party(tag))
    party_na = per_unit(lead.bpna[lo] - lead.bpna[entry]) + grid.running(tags.party_na(tag))
    gone0 = _out_of_office_at_lo(pairs, lead)
    gone = per_unit(gone0) + grid.running(tags.gone(tag))
    unit_unknown = _unit_any(pairs, ~pairs.known)
    ended = start >= np.repeat(_unit_min(pairs, pairs.r1), n_ep)   # some record has ended
    changes_na = np.repeat(unit_unknown | _unit_any(pairs, ~pairs.from_entry), n_ep) | ended
    nosigner = unit_unknown | _unit_any(pairs, pairs.known & (pairs.h0 < 0))
    win_na = None
    if opts.window is not None:
        late_r0 = _unit_max(pairs, np.where(pairs.from_entry, NONE, pairs.r0))
        win_na = (np.repeat(unit_unknown, n_ep) | ended
                  | (start - opts.window < np.repeat(late_r0, n_ep)))
    expo = Exposure(
        changes=changes, changes_na=changes_na, party_changes=party.astype(np.int32),
        party_na=party_na > 0, in_false=gone > 0, in_na=np.repeat(nosigner, n_ep) | ended,
        win_na=win_na, focal=None)
    if opts.focal is not None:
        expo.focal = _focal(pairs, grid, lead, int(lead.jurisdictions.get_loc(opts.focal)),
                            changes)
    if opts.leaders == "wide":
        expo.slot_cols = wide_columns(pairs, grid, lead)
    return expo


# --- per unit, from its pairs ------------------------------------------------------------------
def _unit_sum(pairs: Pairs, x: np.ndarray) -> np.ndarray:
    out = np.zeros(pairs.n_units, dtype=np.int64)
    np.add.at(out, pairs.unit, x)
    return out


def _unit_any(pairs: Pairs, x: np.ndarray) -> np.ndarray:
    out = np.zeros(pairs.n_units, dtype=bool)
    out[pairs.unit[x]] = True
    return out


def _unit_min(pairs: Pairs, x: np.ndarray) -> np.ndarray:
    out = np.full(pairs.n_units, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, pairs.unit, x)
    return out


def _unit_max(pairs: Pairs, x: np.ndarray) -> np.ndarray:
    out = np.full(pairs.n_units, NONE, dtype=np.int64)
    np.maximum.at(out, pairs.unit, x)
    return out


def _out_of_office_at_lo(pairs: Pairs, lead: Leadership) -> np.ndarray:
    """Per pair: its signer is out of office on the unit's observed start."""
    in_record = pairs.lo[pairs.unit] < pairs.r1
    return out_of_office(pairs.h0, in_record, lead.bhold[pairs.b_lo - 1],
                         pairs.changes_lo).astype(np.int64)


def _in_force(pairs: Pairs, grid: Grid, lead: Leadership, sel: np.ndarray,
              all_keys: list[np.ndarray]) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """For the pairs ``sel`` (at most one per unit, in unit order): the table rows of their
    units' episodes (None: every row), those units' episodes, and the breakpoint of the pair's
    party in force at each episode's start.

    Each breakpoint of a pair inside its unit's time starts one of the unit's episodes: one
    sorted search of the breakpoints' (unit, day) keys among the episodes' marks those
    episodes, and a cumulative count of the marks within each unit says how many of the
    pair's breakpoints have passed. ``all_keys`` holds the keys of every episode once they are
    built (shared by the slots every unit has).
    """
    us = pairs.unit[sel]
    codec = KeyCodec(pairs.n_units)
    if len(us) == pairs.n_units:
        rows, n_ep = None, grid.n_ep
        if not all_keys:
            all_keys.append(codec.pack(np.repeat(us, n_ep), grid.start))
        keys = all_keys[0]
    else:
        n_ep = grid.n_ep[us]
        rows = expand(grid.offsets[us], n_ep)
        keys = codec.pack(np.repeat(us, n_ep), grid.start[rows])
    b_lo, n_in = pairs.b_lo[sel], pairs.n_in[sel]
    inside = codec.pack(np.repeat(us, n_in), lead.codec.day(lead.bkey[expand(b_lo, n_in)]))
    passed = np.cumsum(np.bincount(np.searchsorted(keys, inside), minlength=len(keys)))
    first = np.cumsum(n_ep) - n_ep           # each unit's first episode (never a breakpoint's)
    at = np.repeat(b_lo - 1 - passed[np.minimum(first, len(keys) - 1)], n_ep) + passed
    return rows, n_ep, at


def _focal(pairs: Pairs, grid: Grid, lead: Leadership, j: int, changes: np.ndarray) -> _Focal:
    """``own_changes`` and ``partner_changes``: the focal party's changes and the others'."""
    n_e, n_ep = grid.n_episodes, grid.n_ep
    is_focal = pairs.j == j
    sel = np.flatnonzero(is_focal)
    rows, n_ep_f, at = _in_force(pairs, grid, lead, sel, [])
    own = np.zeros(n_e, dtype=np.int32)
    own[slice(None) if rows is None else rows] = (
        lead.bcum[at] - np.repeat(lead.bcum[pairs.b_entry[sel] - 1], n_ep_f))
    outside = np.repeat(~_unit_any(pairs, is_focal), n_ep)
    unknown = ~pairs.known | ~pairs.from_entry
    start = grid.start

    def na(which: np.ndarray) -> np.ndarray:
        r1 = _unit_min(pairs, np.where(which, pairs.r1, np.iinfo(np.int64).max))
        return (outside | np.repeat(_unit_any(pairs, which & unknown), n_ep)
                | (start >= np.repeat(r1, n_ep)))

    return _Focal(own=own, partner=(changes - own).astype(np.int32), own_na=na(is_focal),
                  partner_na=na(~is_focal))


# --- leaders="wide" -----------------------------------------------------------------------------
def wide_columns(pairs: Pairs, grid: Grid, lead: Leadership) -> dict[str, pd.Categorical]:
    """``jurisdiction_i, leader_i, term_id_i`` for every party slot i (NA for the units with
    fewer parties): three columns per slot, so their cost grows with the number of parties of
    the largest unit, as the table does."""
    dtypes = (pd.CategoricalDtype(lead.jurisdictions), pd.CategoricalDtype(lead.holders),
              pd.CategoricalDtype(lead.term_ids))
    by_slot = np.argsort(pairs.slot, kind="stable")
    bounds = np.searchsorted(pairs.slot[by_slot], np.arange(pairs.n_slots + 1))
    cols: dict[str, pd.Categorical] = {}
    all_keys: list[np.ndarray] = []
    for s in range(pairs.n_slots):
        sel = by_slot[bounds[s]:bounds[s + 1]]
        rows, n_ep, at = _in_force(pairs, grid, lead, sel, all_keys)
        values = [np.repeat(pairs.j[sel], n_ep), lead.bhold[at], lead.bterm[at]]
        if rows is not None:
            for i, v in enumerate(values):
                values[i] = np.full(grid.n_episodes, -1, dtype=np.int64)
                values[i][rows] = v
        names = ("jurisdiction", "leader", "term_id")
        for name, v, dtype in zip(names, values, dtypes, strict=True):
            cols[f"{name}_{s + 1}"] = categorical(v, dtype)
    return cols


def categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """A Categorical from codes known to be valid (-1 for NA), without a copy to check them."""
    n = len(dtype.categories)
    small = (np.int8 if n < 127 else np.int16 if n < 32767 else np.int32 if n < 2**31 - 1
             else np.int64)
    codes = codes.astype(small, copy=False)
    try:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    except TypeError:  # pandas < 2.1 has no ``validate``
        return pd.Categorical.from_codes(codes, dtype=dtype)
