"""Phase 1 of the split: the (unit, party) pairs of the included units, found in the step
function of their party's leadership."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from continuity._days import NONE, group_starts, searchsorted_by
from continuity.leadership import Leadership
from continuity.lifetimes import Units

__all__ = ["Pairs", "pairs_of"]


@dataclass(frozen=True)
class Pairs:
    """The included units, and one row per (unit, party) pair, sorted by unit then party.

    A pair's *slot* is the rank of its party's jurisdiction among the unit's parties (0, 1,
    ...); ``n_slots`` is the largest number of parties of a unit.
    """

    inc: np.ndarray               # the included units (rows of Units)
    entry: np.ndarray             # per included unit: entry, lo, hi (observed [lo, hi))
    lo: np.ndarray
    hi: np.ndarray
    unit: np.ndarray              # per pair: the included unit (0 .. len(inc) - 1)
    j: np.ndarray                 # ... the party's jurisdiction code
    slot: np.ndarray
    first: np.ndarray             # position of each unit's first pair
    n_slots: int
    known: np.ndarray             # the party has leadership terms
    by_j: np.ndarray              # pairs in order of jurisdiction (searches in that order)
    b_lo: np.ndarray              # breakpoints up to lo (>= 1: the sentinel)
    n_in: np.ndarray              # ... and strictly inside (lo, hi)
    b_entry: np.ndarray           # breakpoints up to entry
    changes_lo: np.ndarray        # leader changes in (entry, lo]
    last_lo: np.ndarray           # ... the day of the latest of them (NONE: none)
    h0: np.ndarray                # the holder at entry (-1: none or unknown)
    r0: np.ndarray                # the party's record [r0, r1)
    r1: np.ndarray
    from_entry: np.ndarray        # the record covers the entry
    partial: np.ndarray           # some episode of the pair is not covered by the record

    @property
    def n_units(self) -> int:
        return len(self.inc)


def pairs_of(units: Units, lead: Leadership, unknown_exposure: tuple[str, ...],
             observed_from: int | None) -> Pairs:
    """The pairs of the included units, their slots, and where they stand in the leadership."""
    jurisdictions = lead.jurisdictions
    unknown_j = jurisdictions.get_indexer(list(unknown_exposure))
    known_j = np.ones(len(jurisdictions), dtype=bool)
    known_j[unknown_j[unknown_j >= 0]] = False
    inc = np.flatnonzero(units.status == 0)
    index_of = np.full(len(units.entry), -1, dtype=np.int64)
    index_of[inc] = np.arange(len(inc))
    entry, lo, hi = units.entry[inc], units.lo[inc], units.stop[inc]
    keep = index_of[units.pair_unit] >= 0
    pu, pj = index_of[units.pair_unit[keep]], units.pair_j[keep]
    first = np.flatnonzero(group_starts(pu))
    slot = np.arange(len(pu)) - np.repeat(first, np.diff(np.append(first, len(pu))))
    pknown = known_j[pj]
    # queries grouped by jurisdiction search faster; a radix sort groups them cheaply
    by_j = np.argsort(pj.astype(np.int16) if len(jurisdictions) < 2**15 else pj, kind="stable")

    def search(day: np.ndarray, side: str) -> np.ndarray:
        return searchsorted_by(lead.bkey, lead.codec.pack(pj, day), by_j, side)

    b_lo = search(lo[pu], "right")
    n_in = np.maximum(np.where(pknown, search(hi[pu], "left") - b_lo, 0), 0)
    b_entry = b_lo if observed_from is None else search(entry[pu], "right")
    c_lo = lead.bcum[b_lo - 1]
    changes_lo = np.where(pknown, c_lo - lead.bcum[b_entry - 1], 0)
    last_lo = np.where(changes_lo > 0, lead.cday[np.maximum(c_lo - 1, 0)]
                       if len(lead.cday) else 0, NONE)
    # each party's record [r0, r1): the history since entry is complete on an episode starting
    # on day d iff r0 <= entry and d < r1 (a party without terms: never)
    r0, r1 = lead.rec_lo[pj], lead.rec_hi[pj]
    from_entry = r0 <= entry[pu]
    return Pairs(
        inc=inc, entry=entry, lo=lo, hi=hi, unit=pu, j=pj, slot=slot, first=first,
        n_slots=int(slot.max()) + 1 if len(slot) else 0, known=pknown, by_j=by_j,
        b_lo=b_lo, n_in=n_in, b_entry=b_entry, changes_lo=changes_lo, last_lo=last_lo,
        h0=np.where(pknown, lead.bhold[b_entry - 1], -1),
        r0=r0, r1=r1, from_entry=from_entry, partial=~from_entry | (r1 < hi[pu]),
    )


def jurisdiction_index(parties: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """The jurisdiction code of each party row, and the jurisdictions (sorted)."""
    codes, jurisdictions = pd.factorize(parties["jurisdiction"].astype(object), sort=True)
    return codes.astype(np.int64), pd.Index(jurisdictions, dtype=object)
