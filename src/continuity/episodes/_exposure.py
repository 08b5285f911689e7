"""Phase 3 of the split: the exposure columns, one party slot at a time.

For every episode and every slot (the i-th party of its unit) the breakpoint in force at the
episode's start is found without a search: the slot's breakpoint at the unit's observed start,
plus the number of the slot's breakpoints among the raw keys up to the episode's start. One
cumulative sum over the raw keys counts both the breakpoints and the leader changes on them,
packed as ``count + changes << 32`` (:func:`_running_counts`).

The loop runs over slots (two for bilateral instruments), never over rows or units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from continuity._days import OPEN
from continuity.episodes._boundaries import Grid
from continuity.episodes._episode_options import EpisodeOptions
from continuity.episodes._pairs import Pairs
from continuity.leadership import Leadership

__all__ = ["Exposure", "exposure_of"]

_LOW = np.int64((1 << 32) - 1)


@dataclass
class Exposure:
    """The exposure columns of the episodes, filled slot by slot (NA masks beside values)."""

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
    j: int                        # the focal jurisdiction's code
    own: np.ndarray
    partner: np.ndarray
    own_na: np.ndarray
    partner_na: np.ndarray
    unit_is_party: np.ndarray     # per unit: the focal jurisdiction is a party


@dataclass(frozen=True)
class _Padded:
    """The leadership's per-breakpoint arrays with one more breakpoint, ``missing``, that has
    no leader: the breakpoint of a slot a unit does not have."""

    missing: int
    bterm: np.ndarray
    bhold: np.ndarray
    bpcum: np.ndarray
    bpna: np.ndarray

    @classmethod
    def of(cls, lead: Leadership) -> _Padded:
        return cls(missing=len(lead.bterm), bterm=np.append(lead.bterm, -1),
                   bhold=np.append(lead.bhold, -1), bpcum=np.append(lead.bpcum, 0),
                   bpna=np.append(lead.bpna, 0))


@dataclass(frozen=True)
class _Slot:
    """One party slot: per unit (``us`` the units that have it) and per episode."""

    sel: np.ndarray               # the pairs in this slot
    us: np.ndarray                # their units
    j: np.ndarray                 # per unit: the slot's jurisdiction (-1: none)
    at: np.ndarray                # per episode: the slot's breakpoint in force at its start
    at0: np.ndarray               # ... and at the unit's entry
    holder: np.ndarray            # ... the holder in force (-1: none)
    holder0: np.ndarray           # ... the holder at entry (-1: none or unknown)
    changes: np.ndarray           # ... leader changes since entry (int32)


def exposure_of(pairs: Pairs, grid: Grid, lead: Leadership, opts: EpisodeOptions) -> Exposure:
    """Every exposure column, by a loop over party slots."""
    acc = _start(pairs, grid, lead, opts)
    padded = _Padded.of(lead)
    dtypes = (pd.CategoricalDtype(lead.jurisdictions), pd.CategoricalDtype(lead.holders),
              pd.CategoricalDtype(lead.term_ids))
    n_raw = len(grid.raw_slot)
    if n_raw >= 1 << 31:
        raise OverflowError(f"{n_raw:,} boundaries overflow the packed running counts")
    for s in range(pairs.n_slots):
        slot = _slot(s, pairs, grid, padded)
        acc.changes += slot.changes
        acc.party_changes += (padded.bpcum[slot.at] - padded.bpcum[slot.at0]).astype(np.int32)
        acc.party_na |= padded.bpna[slot.at] > padded.bpna[slot.at0]
        unknown = _signer_and_record(acc, slot, pairs, grid, opts.window)
        if acc.focal is not None:
            _add_focal(acc.focal, slot, pairs, grid, unknown)
        if opts.leaders == "wide":
            acc.slot_cols.update(_slot_columns(s, slot, grid, padded, dtypes))
    if acc.focal is not None:
        outside = np.repeat(~acc.focal.unit_is_party, grid.n_ep)
        acc.focal.own_na |= outside
        acc.focal.partner_na |= outside
    return acc


def _start(pairs: Pairs, grid: Grid, lead: Leadership, opts: EpisodeOptions) -> Exposure:
    """Zero counts, and what is unknown for a whole unit: a party with no terms (changes,
    window), or no known leader at entry (the signer)."""
    n_e, n_units = grid.n_episodes, pairs.n_units
    unit_unknown = np.zeros(n_units, dtype=bool)
    unit_unknown[pairs.unit[~pairs.known]] = True
    unit_nosigner = unit_unknown.copy()
    unit_nosigner[pairs.unit[pairs.known & (pairs.h0 < 0)]] = True
    changes_na = np.repeat(unit_unknown, grid.n_ep)
    focal = None
    if opts.focal is not None:
        focal = _Focal(j=int(lead.jurisdictions.get_loc(opts.focal)),
                       own=np.zeros(n_e, dtype=np.int32), partner=np.zeros(n_e, dtype=np.int32),
                       own_na=np.zeros(n_e, dtype=bool), partner_na=np.zeros(n_e, dtype=bool),
                       unit_is_party=np.zeros(n_units, dtype=bool))
    return Exposure(
        changes=np.zeros(n_e, dtype=np.int32), changes_na=changes_na,
        party_changes=np.zeros(n_e, dtype=np.int32), party_na=np.zeros(n_e, dtype=bool),
        in_false=np.zeros(n_e, dtype=bool), in_na=np.repeat(unit_nosigner, grid.n_ep),
        win_na=changes_na.copy() if opts.window is not None else None, focal=focal,
    )


def _running_counts(grid: Grid, s: int) -> np.ndarray:
    """Per raw key: the slot's breakpoints up to it, plus its leader changes << 32."""
    return np.cumsum(np.where(grid.raw_slot == s, 1 + (grid.raw_chg.astype(np.int64) << 32), 0))


def _per_unit(n_units: int, us: np.ndarray, values: np.ndarray, fill: int) -> np.ndarray:
    out = np.full(n_units, fill, dtype=np.int64)
    out[us] = values
    return out


def _slot(s: int, pairs: Pairs, grid: Grid, padded: _Padded) -> _Slot:
    """Where slot ``s`` of each unit stands in the leadership at each episode's start."""
    sel = pairs.slot == s
    us = pairs.unit[sel]
    n_units = pairs.n_units
    comb = _running_counts(grid, s)
    at_lo = comb[grid.u_raw]           # the counts up to each unit's observed start
    base = _per_unit(n_units, us, pairs.b_lo[sel] - 1, padded.missing) - (at_lo & _LOW)
    chg0 = _per_unit(n_units, us, pairs.changes_lo[sel], 0) - (at_lo >> 32)
    v = comb[grid.e_raw]
    del comb
    at = np.repeat(base, grid.n_ep) + (v & _LOW)
    at0 = _per_unit(n_units, us, pairs.b_entry[sel] - 1, padded.missing)
    return _Slot(
        sel=sel, us=us, j=_per_unit(n_units, us, pairs.j[sel], -1), at=at,
        at0=np.repeat(at0, grid.n_ep), holder=padded.bhold[at],
        holder0=np.repeat(_per_unit(n_units, us, pairs.h0[sel], -1), grid.n_ep),
        changes=(np.repeat(chg0, grid.n_ep) + (v >> 32)).astype(np.int32),
    )


def _signer_and_record(acc: Exposure, slot: _Slot, pairs: Pairs, grid: Grid,
                       window: int | None) -> np.ndarray | None:
    """``signer_in_office`` and the NA masks where the slot's record does not cover an episode.

    Returns the episodes whose changes are unknown for this slot (None: all known).
    """
    h0 = slot.holder0
    if not pairs.partial[slot.sel].any():
        acc.in_false |= (h0 >= 0) & ((slot.holder != h0) | (slot.changes > 0))
        return None
    # the record of some party in this slot does not cover all of its unit's time
    n_units, us, sel = pairs.n_units, slot.us, slot.sel
    r1 = np.repeat(_per_unit(n_units, us, pairs.r1[sel], OPEN), grid.n_ep)
    in_rec = grid.start < r1                      # the episode is inside the record
    from_entry = np.ones(n_units, dtype=bool)
    from_entry[us] = pairs.from_entry[sel]
    from_entry_e = np.repeat(from_entry, grid.n_ep)
    unknown = ~(in_rec & from_entry_e)
    acc.changes_na |= unknown
    acc.in_na |= ~in_rec
    if acc.win_na is not None and window is not None:
        # the window (max(entry, start - window), start] is inside the record
        r0 = np.repeat(_per_unit(n_units, us, pairs.r0[sel], -OPEN), grid.n_ep)
        acc.win_na |= ~(in_rec & (from_entry_e | (grid.start - window >= r0)))
    # after the record, a change before its end still tells that the signer has left
    acc.in_false |= (h0 >= 0) & ((in_rec & (slot.holder != h0)) | (slot.changes > 0))
    return unknown


def _add_focal(focal: _Focal, slot: _Slot, pairs: Pairs, grid: Grid,
               unknown: np.ndarray | None) -> None:
    """``own_changes`` and ``partner_changes``: the slot counts for the focal party or not."""
    is_focal = slot.j == focal.j
    focal.unit_is_party |= is_focal
    fe = np.repeat(is_focal, grid.n_ep)
    focal.own = np.where(fe, slot.changes, focal.own)
    focal.partner += np.where(fe, 0, slot.changes).astype(np.int32)
    unknown_s = np.zeros(pairs.n_units, dtype=bool)
    unknown_s[slot.us] = ~pairs.known[slot.sel]
    unknown_e = np.repeat(unknown_s, grid.n_ep)
    if unknown is not None:
        unknown_e |= unknown
    focal.own_na |= fe & unknown_e
    focal.partner_na |= ~fe & unknown_e


def _slot_columns(s: int, slot: _Slot, grid: Grid, padded: _Padded,
                  dtypes: tuple[pd.CategoricalDtype, ...]) -> dict[str, pd.Categorical]:
    """``jurisdiction_i, leader_i, term_id_i`` of slot ``s`` (i = s + 1)."""
    jur, holder, term = dtypes
    return {
        f"jurisdiction_{s + 1}": categorical(np.repeat(slot.j, grid.n_ep), jur),
        f"leader_{s + 1}": categorical(slot.holder, holder),
        f"term_id_{s + 1}": categorical(padded.bterm[slot.at], term),
    }


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
