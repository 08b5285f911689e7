"""Who held each jurisdiction's leadership office, and when it changed hands.

One home for the rules about leadership, used by the episodes, the metrics and the panel:

* :func:`compute_transitions`: the boundaries between consecutive terms (a *leader change*
  is one where the holder differs);
* :func:`administrations`: unbroken runs of one holder, the unit the metrics group by, and
  :func:`administration_at`, the administration in office on given dates;
* :func:`step_function`: each jurisdiction's leadership as a step function over day numbers
  (:class:`Leadership`), the form the episode split searches.

Terms of kind ``"vacancy"`` are not terms of a leader anywhere here: they are gaps that are
known (inside the record), as a gap left between two terms is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity._days import OPEN, KeyCodec, to_days
from continuity.schema import CARETAKER_KINDS

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = [
    "ADMINISTRATION_COLUMNS",
    "STAND_IN_KINDS",
    "TRANSITION_COLUMNS",
    "Leadership",
    "administration_at",
    "administration_label",
    "administrations",
    "compute_transitions",
    "step_function",
]

#: The columns of :func:`administrations`.
ADMINISTRATION_COLUMNS = ["jurisdiction", "administration", "administration_start",
                          "administration_end", "holder", "caretaker"]

#: The columns of :func:`compute_transitions`.
TRANSITION_COLUMNS = [
    "jurisdiction", "office", "date", "from_holder", "to_holder", "from_kind", "to_kind",
    "leader_change", "caretaker", "gap_days", "party_change", "transition_kind",
    "from_term_id", "to_term_id",
]

def _non_vacancy(lead: pd.DataFrame) -> pd.DataFrame:
    """Leadership terms without those recorded as vacancies (they are gaps, as unrecorded ones)."""
    keep = ~lead["kind"].astype(object).eq("vacancy").to_numpy()
    return lead[keep].reset_index(drop=True) if not keep.all() else lead


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

    Notes
    -----
    Terms of kind ``"vacancy"`` are not terms of a leader: they are treated as the gaps they
    record (``gap_days`` counts them), so that a vacancy written as a row and a vacancy left as a
    gap between two terms give the same transitions.

    Examples
    --------
    >>> import pandas as pd
    >>> import continuity as ct
    >>> terms = pd.DataFrame({
    ...     "jurisdiction": ["Solo"] * 3 + ["Xi'an"],
    ...     "office": "mayor", "holder": ["A", "B", "B", "P"],
    ...     "start": ["2010-07-28", "2016-02-17", "2021-02-26", "2010-01-01"],
    ...     "end": ["2015-08-05", "2021-02-26", None, None],
    ... })
    >>> agreements = pd.DataFrame({"agreement_id": ["LOI"], "signed": ["2015-09-15"]})
    >>> parties = pd.DataFrame({"agreement_id": "LOI", "jurisdiction": ["Solo", "Xi'an"]})
    >>> study = ct.Study(terms, agreements, parties, as_of="2023-12-31")
    >>> tr = ct.compute_transitions(study)
    >>> tr[["date", "from_holder", "to_holder", "leader_change", "gap_days"]]
            date from_holder to_holder  leader_change  gap_days
    0 2016-02-17           A         B           True       196
    1 2021-02-26           B         B          False         0
    """
    lead = _non_vacancy(study.leadership_terms())
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




#: Term kinds of a stand-in: an official acting for a holder who keeps the office (in
#: Indonesia a Plt or Plh, e.g. during the incumbent's campaign leave). A caretaker appointed to
#: a vacant office (a Pj after the end of a term) is not a stand-in.
STAND_IN_KINDS = ("acting",)


def administrations(study: Study) -> pd.DataFrame:
    """One holder's uninterrupted hold on each jurisdiction's leadership office, as known at as_of.

    The one rule of what an administration is, for every metric. A holder starting a new
    term the day his or her previous one ends (re-election, an acting term turned elected)
    continues the same administration. So does a holder who steps aside for a stand-in and
    returns: when the terms between two runs of the same holder are all of a kind in
    :data:`STAND_IN_KINDS` (``"acting"``: a Plt standing in during campaign leave) and touch
    both runs and each other, the stand-in spells belong to the holder's administration,
    which runs from the first run's start to the last run's end. A caretaker appointed to a
    vacant office (kind ``"caretaker"``: a Pj after the end of a term), a gap between terms
    or a term of kind ``"vacancy"`` interrupts the hold: the holder's return starts a new
    administration. Only what is known at ``as_of`` is used: terms starting after it are
    left out, and an end recorded after it is unknown at ``as_of`` (the holder is still in
    office, end NaT).

    Returns
    -------
    pandas.DataFrame
        ``jurisdiction, administration, administration_start, administration_end, holder,
        caretaker``; ``administration`` is ``"<holder> <start year>-<end year>"`` (no end year
        while in office at ``as_of``), ``administration_end`` is NaT while in office, and
        ``caretaker`` says every term of it is an acting or caretaker spell (an acting
        official standing in between two different holders is an administration of its
        own, a caretaker one). Sorted by jurisdiction and start.
    """
    lead = study.leadership_terms()
    as_of = study.as_of
    cols = ["jurisdiction", "administration", "administration_start", "administration_end",
            "holder", "caretaker"]
    kind = lead["kind"] if "kind" in lead.columns else pd.Series(None, index=lead.index,
                                                                   dtype=object)
    keep = (kind != "vacancy").to_numpy(dtype=bool) & (lead["start"] <= as_of).to_numpy()
    lead = lead[keep].reset_index(drop=True)
    kind = kind[keep].reset_index(drop=True)
    if lead.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    end = lead["end"].where(lead["end"] <= as_of).astype("datetime64[ns]")  # NaT: unknown
    j = lead["jurisdiction"].to_numpy(dtype=object)
    h = lead["holder"].to_numpy(dtype=object)
    start_v = lead["start"].to_numpy(dtype="datetime64[ns]")
    end_v = end.to_numpy()
    new = np.ones(len(lead), dtype=bool)
    # NaT never equals a start: a term after an open one starts a new run
    new[1:] = (j[1:] != j[:-1]) | (h[1:] != h[:-1]) | (start_v[1:] != end_v[:-1])
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(lead) - 1]
    run = np.cumsum(new) - 1
    care = pd.Series(kind.isin(CARETAKER_KINDS).to_numpy()).groupby(run).all().to_numpy()
    stand_in = pd.Series(kind.isin(STAND_IN_KINDS).to_numpy()).groupby(run).all().to_numpy()
    adm = np.cumsum(~_returns_after_stand_in(j[first], h[first], start_v[first],
                                             end_v[last], stand_in)) - 1
    a_first = first[np.r_[0, np.flatnonzero(np.diff(adm)) + 1]]
    a_last = last[np.r_[np.flatnonzero(np.diff(adm)), len(adm) - 1]]
    stop = pd.Series(end_v[a_last], dtype="datetime64[ns]")
    start_s = pd.Series(start_v[a_first], dtype="datetime64[ns]")
    return pd.DataFrame({
        "jurisdiction": j[a_first],
        "administration": administration_label(h[a_first], start_s, stop),
        "administration_start": start_s,
        "administration_end": stop,
        "holder": h[a_first],
        "caretaker": pd.Series(care).groupby(adm).all().to_numpy(),
    }, columns=cols)


def _returns_after_stand_in(j: np.ndarray, holder: np.ndarray, start: np.ndarray,
                            end: np.ndarray, stand_in: np.ndarray) -> np.ndarray:
    """Per run (sorted by jurisdiction and start): True when it continues the run before it.

    A block of touching stand-in runs continues the run before it, and the run after it
    continues too, when that run returns the same holder and touches the block. A stand-in
    run is never the anchor of such a block.
    """
    n = len(j)
    joins = np.zeros(n, dtype=bool)
    touch = np.zeros(n, dtype=bool)  # run k starts the day run k - 1 ends, same jurisdiction
    touch[1:] = (j[1:] == j[:-1]) & (start[1:] == end[:-1])
    k = 1
    while k < n - 1:
        if not (stand_in[k] and touch[k] and not stand_in[k - 1]):
            k += 1
            continue
        m = k
        while m + 1 < n and stand_in[m + 1] and touch[m + 1]:
            m += 1
        back = m + 1
        if back < n and touch[back] and holder[back] == holder[k - 1] and not stand_in[back]:
            joins[k:back + 1] = True
        k = back
    return joins


def administration_label(holder, start: pd.Series, end: pd.Series) -> np.ndarray:
    """``"<holder> <start year>-<end year>"``, no end year where ``end`` is NaT."""
    start = pd.Series(np.asarray(start, dtype="datetime64[ns]"))
    end = pd.Series(np.asarray(end, dtype="datetime64[ns]"))
    end_year = np.where(end.isna().to_numpy(), "",
                        end.dt.year.fillna(0).astype("int64").astype(str).to_numpy(dtype=object))
    label = (pd.Series(np.asarray(holder, dtype=object), dtype=object).astype(str) + " "
             + start.dt.year.astype(str) + "-" + pd.Series(end_year, dtype=object))
    return label.to_numpy(dtype=object)


def administration_at(admins: pd.DataFrame, jurisdiction: pd.Series,
                      dates: pd.Series) -> pd.DataFrame:
    """The administration of ``jurisdiction`` in office on each date (NA when none).

    Returns a frame aligned with the inputs (same length, positional), with the columns of
    :func:`administrations` except ``jurisdiction``.
    """
    cols = ["administration", "administration_start", "administration_end", "holder",
            "caretaker"]
    left = pd.DataFrame({"_pos": np.arange(len(dates)),
                         "jurisdiction": np.asarray(jurisdiction, dtype=object),
                         "_date": pd.Series(np.asarray(dates, dtype="datetime64[ns]"))})
    left["jurisdiction"] = left["jurisdiction"].astype(object)
    known = left["_date"].notna()
    right = admins.rename(columns={"administration_start": "_astart"}).copy()
    right["administration_start"] = right["_astart"]
    right["jurisdiction"] = right["jurisdiction"].astype(object)
    lk = left[known].sort_values("_date", kind="stable")
    merged = pd.merge_asof(lk, right.sort_values("_astart", kind="stable"),
                           left_on="_date", right_on="_astart", by="jurisdiction",
                           direction="backward")
    inside = merged["administration_end"].isna() | (merged["_date"]
                                                     < merged["administration_end"])
    inside &= merged["_astart"].notna()
    merged = merged.set_index("_pos")
    out = pd.DataFrame(index=np.arange(len(dates)))
    for c in cols:
        out[c] = merged[c].where(inside.to_numpy()).reindex(out.index)
    out["administration_start"] = out["administration_start"].astype("datetime64[ns]")
    out["administration_end"] = out["administration_end"].astype("datetime64[ns]")
    out["caretaker"] = out["caretaker"].astype("boolean")
    out["administration"] = out["administration"].astype(object)
    out["holder"] = out["holder"].astype(object)
    return out.reset_index(drop=True)


# --- the step function -------------------------------------------------------------------------
@dataclass(frozen=True)
class Leadership:
    """Each jurisdiction's leadership as a step function over day numbers, and its changes.

    A *breakpoint* is a day on which a jurisdiction's leader may change: a term starts, or
    ends into a vacancy. Breakpoints are keyed ``codec.pack(jurisdiction, day)``, sorted; each
    jurisdiction opens with a sentinel breakpoint before any day (day ``-SHIFT``, no leader),
    so that ``searchsorted(bkey, key, "right") - 1`` is always the breakpoint in force.
    """

    jurisdictions: pd.Index       # the category of every jurisdiction code (sorted)
    codec: KeyCodec               # keys (jurisdiction, day)
    bkey: np.ndarray              # key of each breakpoint, sorted
    bterm: np.ndarray             # term (row of ``term_ids``) in office from it; -1: none
    bchg: np.ndarray              # leader changes on its day (0, 1, rarely more)
    bcum: np.ndarray              # leader changes up to and including it (cumsum of bchg)
    bhold: np.ndarray             # holder (code into ``holders``) from it; -1: none
    bpcum: np.ndarray             # leader changes with a change of party, up to it
    bpna: np.ndarray              # ... and leader changes with a party unknown on either side
    ckey: np.ndarray              # key of each leader change (by ``as_of``), sorted
    cday: np.ndarray              # day of each leader change
    holders: pd.Index
    term_ids: pd.Index            # per term
    rec_lo: np.ndarray            # per jurisdiction: first day of its record (OPEN: no terms)
    rec_hi: np.ndarray            # ... and the day after it (OPEN: open; -OPEN: no terms)
    rec_split: np.ndarray         # ... whose edges are not breakpoints (recorded vacancies)


@dataclass(frozen=True)
class _Terms:
    """The non-vacancy leadership terms, as day numbers sorted by jurisdiction, start, end."""

    jcode: np.ndarray
    start: np.ndarray
    end: np.ndarray
    open_end: np.ndarray
    holder: np.ndarray
    term_id: np.ndarray
    party: np.ndarray
    same_next: np.ndarray         # the next term is of the same jurisdiction


def step_function(study: Study, jurisdictions: pd.Index) -> Leadership:
    """The leadership of each of ``jurisdictions`` (sorted) as a step function.

    The terms are those of :meth:`continuity.Study.leadership_terms` (each jurisdiction's
    leadership office), read without its copy and sort; jurisdictions with no terms have no
    breakpoint but the sentinel and no record.
    """
    terms = study.view("terms")
    jcode = jurisdictions.get_indexer(terms["jurisdiction"].astype(object))
    offices = study.offices
    office_of = np.array([offices.get(j) for j in jurisdictions], dtype=object)
    in_office = jcode >= 0
    in_office[in_office] = terms["office"].to_numpy()[in_office] == office_of[jcode[in_office]]
    rec_lo, rec_hi = _records(terms, jcode, in_office, len(jurisdictions))
    keep = in_office & ~terms["kind"].astype(object).eq("vacancy").to_numpy()
    lead = _sorted_terms(terms[keep], jcode[keep])
    # edges of a record that are not term boundaries (a vacancy row first or last) must split
    nv_lo, nv_hi = _spans(lead.jcode, lead.start, lead.end, lead.open_end, len(jurisdictions))
    rec_split = (rec_lo < nv_lo) | ((rec_hi > nv_hi) & (rec_hi < OPEN))
    codec = KeyCodec(len(jurisdictions))
    bkey, bterm = _breakpoints(lead, codec, len(jurisdictions))
    holder_code, holders = pd.factorize(lead.holder.astype(object))
    holder_code = holder_code.astype(np.int64)
    as_of = int(np.datetime64(study.as_of, "D").astype(np.int64))
    change = _leader_changes(lead, holder_code, as_of)
    ckey = codec.pack(lead.jcode[change], lead.start[change])
    upto = np.searchsorted(ckey, bkey, side="right")
    bchg = upto - np.searchsorted(ckey, bkey, side="left")
    bpcum, bpna = _party_changes(lead.party, change, upto)
    return Leadership(
        jurisdictions=jurisdictions, codec=codec,
        bkey=bkey, bterm=bterm, bchg=bchg, bcum=np.cumsum(bchg),
        bhold=np.where(bterm >= 0, holder_code[np.maximum(bterm, 0)], -1),
        bpcum=bpcum, bpna=bpna,
        ckey=ckey, cday=lead.start[change],
        holders=pd.Index(holders, dtype=object),
        term_ids=pd.Index(lead.term_id.astype(object), dtype=object),
        rec_lo=rec_lo, rec_hi=rec_hi, rec_split=rec_split,
    )


def _spans(jcode, start, end, open_end, n_j) -> tuple[np.ndarray, np.ndarray]:
    """Per jurisdiction: the first start and the last end (OPEN when open) of some terms."""
    lo = np.full(n_j, OPEN, dtype=np.int64)
    hi = np.full(n_j, -OPEN, dtype=np.int64)
    np.minimum.at(lo, jcode, start)
    np.maximum.at(hi, jcode, np.where(open_end, OPEN, end))
    return lo, hi


def _records(terms: pd.DataFrame, jcode, in_office, n_j) -> tuple[np.ndarray, np.ndarray]:
    """Each jurisdiction's record: from its first leadership row to the end of its last.

    Rows of kind "vacancy" count: a recorded vacancy is known, an unrecorded time is not.
    """
    start, _ = to_days(terms["start"].to_numpy()[in_office])
    end, open_end = to_days(terms["end"].to_numpy()[in_office])
    return _spans(jcode[in_office], start, end, open_end, n_j)


def _sorted_terms(lead: pd.DataFrame, jcode: np.ndarray) -> _Terms:
    start, _ = to_days(lead["start"])
    end, open_end = to_days(lead["end"])
    end = np.where(open_end, np.iinfo(np.int64).max // 4, end)
    order = np.lexsort((end, start, jcode))
    jcode = jcode[order]
    party = lead["party"].to_numpy()[order] if "party" in lead.columns else np.full(
        len(lead), None, dtype=object)
    same_next = np.zeros(len(lead), dtype=bool)
    if len(lead) > 1:
        same_next[:-1] = jcode[1:] == jcode[:-1]
    return _Terms(jcode=jcode, start=start[order], end=end[order], open_end=open_end[order],
                  holder=lead["holder"].to_numpy()[order],
                  term_id=lead["term_id"].to_numpy()[order], party=party, same_next=same_next)


def _breakpoints(lead: _Terms, codec: KeyCodec, n_j: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted breakpoint keys and the term in force from each (-1: none)."""
    n = len(lead.start)
    next_start = np.zeros(n, dtype=np.int64)
    if n:
        next_start[:-1] = lead.start[1:]
    # a term's end is a breakpoint (into a vacancy) unless the next term starts that day
    gap_after = ~lead.open_end & ~(lead.same_next & (next_start == lead.end))
    rows = np.arange(n, dtype=np.int64)
    n_gap = int(gap_after.sum())
    sentinel = codec.unit_part(np.arange(n_j, dtype=np.int64))
    key = np.concatenate([sentinel, codec.pack(lead.jcode, lead.start),
                          codec.pack(lead.jcode[gap_after], lead.end[gap_after])])
    state = np.concatenate([np.full(n_j, -1, dtype=np.int64), rows,
                            np.full(n_gap, -1, dtype=np.int64)])
    # on one day: a term's start, then its end
    rank = np.concatenate([np.full(n_j, -1, dtype=np.int64), 2 * rows, 2 * rows[gap_after] + 1])
    o = np.lexsort((rank, key))
    key, state = key[o], state[o]
    last = np.ones(len(key), dtype=bool)  # several breakpoints on one day: the last one holds
    if len(key) > 1:
        last[:-1] = key[1:] != key[:-1]
    return key[last], state[last]


def _leader_changes(lead: _Terms, holder_code: np.ndarray, as_of: int) -> np.ndarray:
    """Rows of terms that start a leader change (the holder differs from the previous term's
    of the same jurisdiction), on or before ``as_of``: :func:`compute_transitions`' rule."""
    nxt = np.flatnonzero(lead.same_next) + 1
    return nxt[(holder_code[nxt] != holder_code[nxt - 1]) & (lead.start[nxt] <= as_of)]


def _party_changes(party, change, upto) -> tuple[np.ndarray, np.ndarray]:
    """Per breakpoint: leader changes so far with a change of party, and with a party unknown
    on either side (as ``party_change`` of :func:`compute_transitions`)."""
    p_new, p_old = party[change], party[change - 1]
    p_known = ~(pd.isna(p_new) | pd.isna(p_old))
    p_diff = np.zeros(len(change), dtype=bool)
    p_diff[p_known] = p_new[p_known] != p_old[p_known]
    bpcum = np.append(0, np.cumsum(p_diff, dtype=np.int64))[upto]
    bpna = np.append(0, np.cumsum(~p_known, dtype=np.int64))[upto]
    return bpcum, bpna
