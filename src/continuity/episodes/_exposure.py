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

from continuity._days import expand
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
    """One party slot, over the units that have it (``us``, sorted) and their episodes.

    Units without the slot add nothing to any count, so only the units that have it are
    visited: a slot held by one large multilateral agreement costs that agreement's rows, not
    every unit's. Per-unit arrays run over ``us``, per-episode arrays over ``rows`` (their
    episodes' rows of the table; None when every unit has the slot, then all rows in order).
    """

    sel: np.ndarray               # the pairs in this slot
    us: np.ndarray                # their units
    rows: np.ndarray | None       # the table rows of their episodes (None: all)
    n_ep: np.ndarray              # per unit of ``us``: its episodes
    start: np.ndarray             # per episode: its start day
    j: np.ndarray                 # per unit: the slot's jurisdiction
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
        _add(acc.changes, slot.rows, slot.changes)
        _add(acc.party_changes, slot.rows,
             (padded.bpcum[slot.at] - padded.bpcum[slot.at0]).astype(np.int32))
        _either(acc.party_na, slot.rows, padded.bpna[slot.at] > padded.bpna[slot.at0])
        unknown = _signer_and_record(acc, slot, pairs, opts.window)
        if acc.focal is not None:
            _add_focal(acc.focal, slot, pairs, unknown)
        if opts.leaders == "wide":
            acc.slot_cols.update(_slot_columns(s, slot, grid, padded, dtypes))
    if acc.focal is not None:
        outside = np.repeat(~acc.focal.unit_is_party, grid.n_ep)
        acc.focal.own_na |= outside
        acc.focal.partner_na |= outside
    return acc


def _add(target: np.ndarray, rows: np.ndarray | None, values: np.ndarray) -> None:
    if rows is None:
        target += values
    else:
        target[rows] += values


def _either(target: np.ndarray, rows: np.ndarray | None, values: np.ndarray) -> None:
    if rows is None:
        target |= values
    else:
        target[rows] |= values


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


def _running_counts(raw_slot: np.ndarray, raw_chg: np.ndarray, s: int) -> np.ndarray:
    """Per raw key: the slot's breakpoints up to it, plus its leader changes << 32."""
    return np.cumsum(np.where(raw_slot == s, 1 + (raw_chg.astype(np.int64) << 32), 0))


def _slot(s: int, pairs: Pairs, grid: Grid, padded: _Padded) -> _Slot:
    """Where slot ``s`` of each unit that has it stands at each of its episodes' start."""
    sel = pairs.slot == s
    us = pairs.unit[sel]
    if len(us) == pairs.n_units:     # every unit has the slot (e.g. bilateral slots 0 and 1)
        rows, n_ep, start = None, grid.n_ep, grid.start
        comb = _running_counts(grid.raw_slot, grid.raw_chg, s)
        at_lo, v = comb[grid.u_raw], comb[grid.e_raw]
    else:                            # only the raw keys and episodes of the units that have it
        n_ep = grid.n_ep[us]
        rows = expand(grid.offsets[us], n_ep)
        start = grid.start[rows]
        raw_end = np.append(grid.u_raw[1:], len(grid.raw_slot))[us]
        raw_len = raw_end - grid.u_raw[us]
        raw = expand(grid.u_raw[us], raw_len)
        comb = _running_counts(grid.raw_slot[raw], grid.raw_chg[raw], s)
        first = np.cumsum(raw_len) - raw_len          # each unit's u_raw in ``raw``
        at_lo = comb[first]
        v = comb[np.repeat(first - grid.u_raw[us], n_ep) + grid.e_raw[rows]]
    del comb
    base = (pairs.b_lo[sel] - 1) - (at_lo & _LOW)
    chg0 = pairs.changes_lo[sel] - (at_lo >> 32)
    at = np.repeat(base, n_ep) + (v & _LOW)
    return _Slot(
        sel=sel, us=us, rows=rows, n_ep=n_ep, start=start, j=pairs.j[sel], at=at,
        at0=np.repeat(pairs.b_entry[sel] - 1, n_ep), holder=padded.bhold[at],
        holder0=np.repeat(pairs.h0[sel], n_ep),
        changes=(np.repeat(chg0, n_ep) + (v >> 32)).astype(np.int32),
    )


def _into(target: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """The part of a per-row array that a slot's episodes cover (a view when all)."""
    return target if rows is None else target[rows]


def _signer_and_record(acc: Exposure, slot: _Slot, pairs: Pairs,
                       window: int | None) -> np.ndarray | None:
    """``signer_in_office`` and the NA masks where the slot's record does not cover an episode.

    Returns the slot's episodes whose changes are unknown for it (None: all known).
    """
    h0 = slot.holder0
    if not pairs.partial[slot.sel].any():
        _either(acc.in_false, slot.rows, (h0 >= 0) & ((slot.holder != h0) | (slot.changes > 0)))
        return None
    # the record of some party in this slot does not cover all of its unit's time
    sel = slot.sel
    in_rec = slot.start < np.repeat(pairs.r1[sel], slot.n_ep)   # the episode is inside it
    from_entry_e = np.repeat(pairs.from_entry[sel], slot.n_ep)
    unknown = ~(in_rec & from_entry_e)
    _either(acc.changes_na, slot.rows, unknown)
    _either(acc.in_na, slot.rows, ~in_rec)
    if acc.win_na is not None and window is not None:
        # the window (max(entry, start - window), start] is inside the record
        r0 = np.repeat(pairs.r0[sel], slot.n_ep)
        _either(acc.win_na, slot.rows, ~(in_rec & (from_entry_e | (slot.start - window >= r0))))
    # after the record, a change before its end still tells that the signer has left
    _either(acc.in_false, slot.rows,
            (h0 >= 0) & ((in_rec & (slot.holder != h0)) | (slot.changes > 0)))
    return unknown


def _add_focal(focal: _Focal, slot: _Slot, pairs: Pairs, unknown: np.ndarray | None) -> None:
    """``own_changes`` and ``partner_changes``: the slot counts for the focal party or not."""
    is_focal = slot.j == focal.j
    focal.unit_is_party[slot.us[is_focal]] = True
    fe = np.repeat(is_focal, slot.n_ep)
    own = _into(focal.own, slot.rows)
    own = np.where(fe, slot.changes, own)
    if slot.rows is None:
        focal.own = own
    else:
        focal.own[slot.rows] = own
    _add(focal.partner, slot.rows, np.where(fe, 0, slot.changes).astype(np.int32))
    unknown_e = np.repeat(~pairs.known[slot.sel], slot.n_ep)
    if unknown is not None:
        unknown_e |= unknown
    _either(focal.own_na, slot.rows, fe & unknown_e)
    _either(focal.partner_na, slot.rows, ~fe & unknown_e)


def _slot_columns(s: int, slot: _Slot, grid: Grid, padded: _Padded,
                  dtypes: tuple[pd.CategoricalDtype, ...]) -> dict[str, pd.Categorical]:
    """``jurisdiction_i, leader_i, term_id_i`` of slot ``s`` (i = s + 1; NA for the units
    without it)."""
    jur, holder, term = dtypes
    values: list[np.ndarray] = [np.repeat(slot.j, slot.n_ep), slot.holder,
                                padded.bterm[slot.at]]
    if slot.rows is not None:
        for i, v in enumerate(values):
            values[i] = np.full(grid.n_episodes, -1, dtype=np.int64)
            values[i][slot.rows] = v
    return {
        f"jurisdiction_{s + 1}": categorical(values[0], jur),
        f"leader_{s + 1}": categorical(values[1], holder),
        f"term_id_{s + 1}": categorical(values[2], term),
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
