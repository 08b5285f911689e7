"""Leadership transitions and the splitting of at-risk time at them (the interval core)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity.schema import CARETAKER_KINDS

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["TRANSITION_COLUMNS", "compute_transitions"]

TRANSITION_COLUMNS = [
    "jurisdiction", "office", "date", "from_holder", "to_holder", "from_kind", "to_kind",
    "leader_change", "caretaker", "gap_days", "party_change", "transition_kind",
    "from_term_id", "to_term_id",
]


def compute_transitions(study: Study) -> pd.DataFrame:
    """One row per boundary between consecutive terms of each jurisdiction's leadership office.

    Parameters
    ----------
    study : Study

    Returns
    -------
    pandas.DataFrame
        Sorted by jurisdiction and date, with columns:

        ``jurisdiction, office``
            where, and the leadership office.
        ``date``
            the day the new term starts (``datetime64[ns]``).
        ``from_holder, to_holder, from_kind, to_kind``
            the holders and kinds of the two terms.
        ``leader_change``
            the holder differs (bool). The same holder starting a new term is still a row.
        ``caretaker``
            either term is a caretaker or acting spell (bool).
        ``gap_days``
            days of vacancy between the end of the old term and the start of the new (int, 0
            when they touch).
        ``party_change``
            the parties of the two holders differ (nullable bool; NA where a party is unknown).
        ``transition_kind``
            ``"caretaker"`` (to or from a caretaker or acting spell), ``"same_holder"`` (no
            leader change), ``"party_change"``, ``"same_party"``, or ``"regular"`` (parties
            unknown).
        ``from_term_id, to_term_id``
            the terms on either side.

        Only boundaries on or before ``study.as_of`` are listed.

    Examples
    --------
    >>> import continuity as ct
    >>> tr = ct.datasets.load_solo().transitions()
    >>> solo = tr[tr["jurisdiction"] == "Surakarta"]
    >>> solo[["date", "from_holder", "to_holder", "to_kind"]].head(3).to_string(index=False)
    ...  # doctest: +SKIP
    """
    lead = study.leadership_terms()
    j = lead["jurisdiction"].to_numpy()
    same = np.zeros(len(lead), dtype=bool)
    if len(lead) > 1:
        same[1:] = j[1:] == j[:-1]
    nxt = np.flatnonzero(same)
    prev = nxt - 1
    prev_end = lead["end"].to_numpy()[prev]
    date = lead["start"].to_numpy()[nxt]
    from_kind = lead["kind"].to_numpy()[prev]
    to_kind = lead["kind"].to_numpy()[nxt]
    leader_change = lead["holder"].to_numpy()[prev] != lead["holder"].to_numpy()[nxt]
    caretaker = (pd.Series(from_kind).isin(CARETAKER_KINDS).to_numpy()
                 | pd.Series(to_kind).isin(CARETAKER_KINDS).to_numpy())
    fp = lead["party"].to_numpy()[prev]
    tp = lead["party"].to_numpy()[nxt]
    known = ~pd.isna(fp) & ~pd.isna(tp)
    party_change = pd.array(np.where(known, fp != tp, False), dtype="boolean")
    party_change[~known] = pd.NA
    kind = np.where(
        caretaker, "caretaker",
        np.where(~leader_change, "same_holder",
                 np.where(~known, "regular", np.where(fp != tp, "party_change", "same_party"))),
    )
    out = pd.DataFrame({
        "jurisdiction": j[nxt],
        "office": lead["office"].to_numpy()[nxt],
        "date": pd.Series(date, dtype="datetime64[ns]"),
        "from_holder": lead["holder"].to_numpy()[prev],
        "to_holder": lead["holder"].to_numpy()[nxt],
        "from_kind": from_kind,
        "to_kind": to_kind,
        "leader_change": leader_change.astype(bool),
        "caretaker": caretaker.astype(bool),
        "gap_days": ((date - prev_end) // np.timedelta64(1, "D")).astype("int64"),
        "party_change": party_change,
        "transition_kind": kind,
        "from_term_id": lead["term_id"].to_numpy()[prev],
        "to_term_id": lead["term_id"].to_numpy()[nxt],
    }, columns=TRANSITION_COLUMNS)
    out = out[out["date"] <= study.as_of]
    return out.reset_index(drop=True)
