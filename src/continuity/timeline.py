"""Leadership transitions and the splitting of at-risk time at them (the interval core).

:func:`compute_transitions` lists the boundaries between consecutive leadership terms;
:func:`split_episodes` cuts the at-risk time of every instrument or relationship at each of them
(the counting-process table of R's ``survival::tmerge``), and :func:`audit_episodes` accounts for
every unit, including those that yield no episode.

Everything is done on integer day numbers with :func:`numpy.searchsorted`, :func:`numpy.repeat`
and :func:`numpy.cumsum` over all units at once: there is no Python loop per unit or per row.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity.errors import ValidationError
from continuity.schema import CARETAKER_KINDS, PASSIVE_KINDS, TERMINATION_REASONS

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = [
    "AUDIT_STATUSES",
    "END_TYPES",
    "EPISODE_EVENTS",
    "EPISODE_LEADERS",
    "EPISODE_LEVELS",
    "TRANSITION_COLUMNS",
    "audit_episodes",
    "compute_transitions",
    "split_episodes",
]

TRANSITION_COLUMNS = [
    "jurisdiction", "office", "date", "from_holder", "to_holder", "from_kind", "to_kind",
    "leader_change", "caretaker", "gap_days", "party_change", "transition_kind",
    "from_term_id", "to_term_id",
]

#: Units of :func:`split_episodes`.
EPISODE_LEVELS = ("instrument", "relationship")
#: What ends a unit in :func:`split_episodes`.
EPISODE_EVENTS = ("formal", "dormant")
#: The per-party columns of :func:`split_episodes`: one set per party slot, or none.
EPISODE_LEADERS = ("wide", "none")
#: Status of a unit in :func:`audit_episodes`.
AUDIT_STATUSES = ("included", "enters_after_as_of", "no_time_at_risk", "ends_before_observed_from")
#: How a unit's at-risk time ends, in :func:`audit_episodes`.
END_TYPES = ("ended", "expired", "dormant", "censored")

_DEFAULT_MAX_GAP = 365
_DEFAULT_DORMANCY = 730
# Day numbers (days since 1970-01-01) of datetime64[ns] lie within +-106752; shifted by _SH they
# are positive and below _S, so that ``code * _S + day + _SH`` orders (code, day) pairs.
_SH = 1 << 18
_S = 1 << 19
_NS_PER_DAY = 86_400 * 10**9
_NONE = np.iinfo(np.int64).min  # "no such day" (e.g. no leader change yet)
_OPEN = 1 << 17  # the day number standing for "no end" (after any datetime64[ns] day)


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
    >>> tr = compute_transitions(study)
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


# --------------------------------------------------------------------------------- options


@dataclass(frozen=True)
class _Options:
    level: str
    event: str
    dormancy: int
    max_gap: int
    window: int | None
    cuts: np.ndarray
    observed_from: int | None  # day number
    focal: str | None
    leaders: str


def _fail(message: str) -> ValidationError:
    return ValidationError([f"split_episodes: {message}"])


def _count(name: str, value, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, float)):
        raise _fail(f"{name} must be a whole number of days, not {value!r}")
    if isinstance(value, float) and not (np.isfinite(value) and value == int(value)):
        raise _fail(f"{name} must be a whole number of days, not {value!r}")
    value = int(value)
    if value < minimum:
        raise _fail(f"{name} must be at least {minimum} day{'s' if minimum != 1 else ''}, "
                    f"not {value}")
    return value


def _day_of(value) -> int | None:
    """Day number of a date-like scalar; fuzzy dates (``"2016"``) resolve to their first day."""
    from continuity.dates import parse_dates

    p = parse_dates(pd.Series([value], dtype=object))
    if p.problem[0] is not None or p.missing[0]:
        return None
    return int(p.lo[0].astype("datetime64[D]").astype(np.int64))


def _check_options(study: Study, level, event, dormancy, max_gap, window, cuts, observed_from,
                   focal, leaders) -> _Options:
    if not isinstance(leaders, str) or leaders not in EPISODE_LEADERS:
        raise _fail(f"leaders must be one of {', '.join(map(repr, EPISODE_LEADERS))}, not "
                    f"{leaders!r}; 'none' drops the per-party columns (jurisdiction_i, leader_i, "
                    "term_id_i) and keeps the exposure columns")
    if level not in EPISODE_LEVELS:
        raise _fail(f"level must be one of {', '.join(map(repr, EPISODE_LEVELS))}, not {level!r}")
    if event not in EPISODE_EVENTS:
        raise _fail(f"event must be one of {', '.join(map(repr, EPISODE_EVENTS))}, not {event!r}")
    dormancy = _count("dormancy", dormancy, minimum=1)
    max_gap = _count("max_gap", max_gap, minimum=0)
    if window is not None:
        window = _count("window", window, minimum=1)
    if event == "dormant" and _table(study, "activities") is None:
        raise _fail("event='dormant' needs dated activities, and the study has none; pass "
                    "activities= to Study, or use event='formal'")
    if cuts is None:
        cut_arr = np.empty(0, dtype=np.int64)
    else:
        if isinstance(cuts, (str, bytes)) or np.ndim(cuts) > 1:
            raise _fail(f"cuts must be a sequence of whole numbers of days, not {cuts!r}")
        values = [cuts] if np.ndim(cuts) == 0 else list(np.asarray(cuts, dtype=object))
        cut_arr = np.array([_count("each cut", c, minimum=1) for c in values], dtype=np.int64)
        cut_arr = np.unique(cut_arr)
    day = None
    if observed_from is not None:
        day = _day_of(observed_from)
        if day is None:
            raise _fail(f"observed_from {observed_from!r} is not a date; give YYYY-MM-DD")
    if focal is not None:
        known = _table(study, "parties")["jurisdiction"]
        if not isinstance(focal, str) or not known.eq(focal).any():
            some = ", ".join(map(repr, sorted(known.unique())[:6]))
            raise _fail(f"focal {focal!r} is not a party to any agreement (parties include "
                        f"{some}); give one jurisdiction as it is written in parties")
    return _Options(level, event, dormancy, max_gap, window, cut_arr, day, focal, leaders)


# --------------------------------------------------------------------------------- helpers


def _table(study: Study, name: str) -> pd.DataFrame | None:
    """A validated table of the study, read without the copy its public property makes.

    Nothing here writes to it; the copy costs more than the split at a million rows.
    """
    prepared = getattr(study, "_prepared", None)
    if prepared is None:
        return getattr(study, name)
    return prepared.tables.get(name)


def _searchsorted_by(a: np.ndarray, q: np.ndarray, order: np.ndarray, side: str) -> np.ndarray:
    """``np.searchsorted(a, q)``, querying in ``order``: sorted queries search much faster."""
    out = np.empty(len(q), dtype=np.int64)
    out[order] = np.searchsorted(a, q[order], side=side)
    return out


def _rows_of(ids: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """The position in ``ids`` (unique) of each of ``refs``; -1 when absent.

    Parties and activities are usually listed agreement by agreement in the agreements'
    order: that case is recognised by comparing neighbours, without hashing every id.
    """
    if len(refs) and len(ids):
        new = np.ones(len(refs), dtype=bool)
        new[1:] = refs[1:] != refs[:-1]
        starts = np.flatnonzero(new)
        if len(starts) == len(ids) and bool((refs[starts] == ids).all()):
            return np.repeat(np.arange(len(ids)), np.diff(np.append(starts, len(refs))))
    return pd.Index(ids, dtype=object).get_indexer(refs)


def _categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """A Categorical from codes known to be valid (-1 for NA), without a copy to check them."""
    n = len(dtype.categories)
    small = (np.int8 if n < 127 else np.int16 if n < 32767 else np.int32 if n < 2**31 - 1
             else np.int64)
    codes = codes.astype(small, copy=False)
    try:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    except TypeError:  # pandas < 2.1 has no ``validate``
        return pd.Categorical.from_codes(codes, dtype=dtype)


def _days(values) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (int64) and a NaT mask of a datetime column."""
    arr = np.asarray(values).astype("datetime64[D]")
    nat = np.isnat(arr)
    return arr.astype(np.int64), nat


def _to_ns(days: np.ndarray) -> np.ndarray:
    return (days.astype(np.int64) * _NS_PER_DAY).view("datetime64[ns]")


def _expand(left: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(left[i], left[i] + n[i])`` for every i."""
    n = np.maximum(n, 0)
    total = int(n.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(n) - n
    return np.repeat(left - offsets, n) + np.arange(total, dtype=np.int64)


def _group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Positions where a new value starts in a sorted array."""
    new = np.ones(len(sorted_codes), dtype=bool)
    if len(sorted_codes) > 1:
        new[1:] = sorted_codes[1:] != sorted_codes[:-1]
    return new


@dataclass
class _Leadership:
    """Each jurisdiction's leadership as a step function, and its leader changes."""

    jurisdictions: pd.Index       # the category of every jurisdiction code (sorted)
    bkey: np.ndarray              # jcode * _S + day + _SH of each breakpoint, sorted; each
    #                               jurisdiction starts with a sentinel (day -_SH, no leader)
    bterm: np.ndarray             # term (row of ``terms``) in office from the breakpoint; -1: none
    bchg: np.ndarray              # leader changes on each breakpoint's day (0, 1, rarely more)
    bcum: np.ndarray              # leader changes up to and including each breakpoint (cumsum)
    bhold: np.ndarray             # holder (code into ``holders``) from each breakpoint; -1: none
    ckey: np.ndarray              # jcode * _S + day + _SH of each leader change, sorted
    cday: np.ndarray              # day of each leader change
    holder_code: np.ndarray       # per term: code into ``holders``
    holders: pd.Index
    term_ids: pd.Index            # per term
    bpcum: np.ndarray             # leader changes with a change of party, up to each breakpoint
    bpna: np.ndarray              # ... and leader changes with a party unknown on either side
    rec_lo: np.ndarray            # per jurisdiction: first day of its record (_OPEN: no terms)
    rec_hi: np.ndarray            # ... and the day after it (_OPEN: open; -_OPEN: no terms)
    rec_split: np.ndarray         # ... whose edges are not breakpoints (recorded vacancies)


def _leadership(study: Study, jurisdictions: pd.Index) -> _Leadership:
    # the terms of each party's leadership office, as study.leadership_terms() selects them,
    # without its copy and sort (they are sorted here with the rest)
    terms = _table(study, "terms")
    jcode = jurisdictions.get_indexer(terms["jurisdiction"].astype(object))
    offices = study.offices
    office_of = np.array([offices.get(j) for j in jurisdictions], dtype=object)
    in_office = jcode >= 0
    in_office[in_office] = terms["office"].to_numpy()[in_office] == office_of[jcode[in_office]]
    # the record of each jurisdiction: from its first leadership row to the end of its last,
    # rows of kind "vacancy" included (a recorded vacancy is known; an unrecorded time is not)
    n_j = len(jurisdictions)
    rec_lo = np.full(n_j, _OPEN, dtype=np.int64)
    rec_hi = np.full(n_j, -_OPEN, dtype=np.int64)
    all_start, _ = _days(terms["start"].to_numpy()[in_office])
    all_end, all_open = _days(terms["end"].to_numpy()[in_office])
    np.minimum.at(rec_lo, jcode[in_office], all_start)
    np.maximum.at(rec_hi, jcode[in_office], np.where(all_open, _OPEN, all_end))
    del all_start, all_end, all_open
    keep = in_office & ~terms["kind"].astype(object).eq("vacancy").to_numpy()
    lead, jcode = terms[keep], jcode[keep]
    start, _ = _days(lead["start"])
    end, open_end = _days(lead["end"])
    # edges of a record that are not term boundaries (a vacancy row first or last) must split
    nv_lo = np.full(n_j, _OPEN, dtype=np.int64)
    nv_hi = np.full(n_j, -_OPEN, dtype=np.int64)
    np.minimum.at(nv_lo, jcode, start)
    np.maximum.at(nv_hi, jcode, np.where(open_end, _OPEN, end))
    rec_split = (rec_lo < nv_lo) | ((rec_hi > nv_hi) & (rec_hi < _OPEN))
    del nv_lo, nv_hi
    end = np.where(open_end, np.iinfo(np.int64).max // 4, end)
    order = np.lexsort((end, start, jcode))
    jcode, start, end, open_end = jcode[order], start[order], end[order], open_end[order]
    holder = lead["holder"].to_numpy()[order]
    term_id = lead["term_id"].to_numpy()[order]
    party = lead["party"].to_numpy()[order] if "party" in lead.columns else np.full(
        len(lead), None, dtype=object)
    n = len(lead)
    same_next = np.zeros(n, dtype=bool)
    if n > 1:
        same_next[:-1] = jcode[1:] == jcode[:-1]
    next_start = np.empty(n, dtype=np.int64)
    if n:
        next_start[:-1] = start[1:]
        next_start[-1] = 0
    # a term's end is a breakpoint (into a vacancy) unless the next term starts that day
    gap_after = ~open_end & ~(same_next & (next_start == end))
    rows = np.arange(n, dtype=np.int64)
    n_gap = int(gap_after.sum())
    # every jurisdiction opens with a sentinel breakpoint before any day: no leader (-1)
    key = np.concatenate([np.arange(n_j, dtype=np.int64) * _S,
                          jcode * _S + start + _SH, jcode[gap_after] * _S + end[gap_after] + _SH])
    state = np.concatenate([np.full(n_j, -1, dtype=np.int64), rows,
                            np.full(n_gap, -1, dtype=np.int64)])
    # on one day: a term's start, then its end
    rank = np.concatenate([np.full(n_j, -1, dtype=np.int64), 2 * rows, 2 * rows[gap_after] + 1])
    o = np.lexsort((rank, key))
    key, state = key[o], state[o]
    last = np.ones(len(key), dtype=bool)  # several breakpoints on one day: the last one holds
    if len(key) > 1:
        last[:-1] = key[1:] != key[:-1]
    holder_code, holders = pd.factorize(holder.astype(object))
    # leader changes: consecutive terms of one jurisdiction with different holders, by as_of
    as_of = int(np.datetime64(study.as_of, "D").astype(np.int64))
    nxt = np.flatnonzero(same_next) + 1
    change = nxt[(holder_code[nxt] != holder_code[nxt - 1]) & (start[nxt] <= as_of)]
    bkey = key[last]
    ckey = jcode[change] * _S + start[change] + _SH
    upto = np.searchsorted(ckey, bkey, side="right")
    bchg = upto - np.searchsorted(ckey, bkey, side="left")
    # party changes (as compute_transitions' party_change): counted, or unknown (NA party)
    p_new, p_old = party[change], party[change - 1]
    p_known = ~(pd.isna(p_new) | pd.isna(p_old))
    p_diff = np.zeros(len(change), dtype=bool)
    p_diff[p_known] = p_new[p_known] != p_old[p_known]
    bpcum = np.append(0, np.cumsum(p_diff, dtype=np.int64))[upto]
    bpna = np.append(0, np.cumsum(~p_known, dtype=np.int64))[upto]
    bterm = state[last]
    holder_code = holder_code.astype(np.int64)
    return _Leadership(
        jurisdictions=jurisdictions,
        bkey=bkey, bterm=bterm, bchg=bchg, bcum=np.cumsum(bchg),
        bhold=np.where(bterm >= 0, holder_code[np.maximum(bterm, 0)], -1),
        ckey=ckey, cday=start[change],
        holder_code=holder_code.astype(np.int64), holders=pd.Index(holders, dtype=object),
        term_ids=pd.Index(term_id.astype(object), dtype=object),
        bpcum=bpcum, bpna=bpna, rec_lo=rec_lo, rec_hi=rec_hi, rec_split=rec_split,
    )


# --------------------------------------------------------------------------------- units


@dataclass
class _Units:
    """The units of a split: one per instrument, or per spell of a relationship."""

    id_name: str
    ids: pd.Categorical           # label of each unit
    spell: np.ndarray | None      # relationship level: spell number within the relationship
    entry: np.ndarray             # day the unit began
    lo: np.ndarray                # day observation begins (entry or observed_from)
    stop: np.ndarray              # day the at-risk time ends
    event: np.ndarray             # int8
    end_type: np.ndarray          # codes into END_TYPES
    status: np.ndarray            # codes into AUDIT_STATUSES
    n_instruments: np.ndarray
    pair_unit: np.ndarray         # (unit, party) pairs, sorted by unit then jurisdiction code
    pair_j: np.ndarray


def _units(study: Study, opts: _Options, jurisdictions: pd.Index, p_j: np.ndarray) -> _Units:
    ag = _table(study, "agreements")
    n = len(ag)
    as_of = int(np.datetime64(study.as_of, "D").astype(np.int64))
    big = _OPEN
    signed, _ = _days(ag["signed"])
    entry = signed
    if "effective" in ag.columns:
        eff, eff_nat = _days(ag["effective"])
        entry = np.where(eff_nat, signed, eff)
    end = np.full(n, big, dtype=np.int64)
    etype = np.full(n, END_TYPES.index("censored"), dtype=np.int8)
    if "expires" in ag.columns:
        exp, exp_nat = _days(ag["expires"])
        end = np.where(exp_nat, end, exp)
        etype = np.where(exp_nat, etype, END_TYPES.index("expired")).astype(np.int8)
    terminated = np.zeros(n, dtype=bool)  # ended by a termination: no successor is awaited
    if "ended" in ag.columns:
        ended, ended_nat = _days(ag["ended"])
        end = np.where(ended_nat, end, ended)
        etype = np.where(ended_nat, etype, END_TYPES.index("ended")).astype(np.int8)
        if "end_reason" in ag.columns:
            terminated = ~ended_nat & ag["end_reason"].isin(TERMINATION_REASONS).to_numpy()

    p = _table(study, "parties")
    p_ag = _rows_of(ag["agreement_id"].to_numpy(dtype=object),
                    p["agreement_id"].to_numpy(dtype=object))

    if opts.level == "instrument":
        ids = pd.Categorical.from_codes(np.arange(n), categories=pd.Index(
            ag["agreement_id"].astype(object), dtype=object))
        spell = None
        u_entry, u_end, u_etype = entry, end, etype
        n_inst = np.ones(n, dtype=np.int64)
        inst_unit = np.arange(n, dtype=np.int64)
        grace = np.zeros(n, dtype=bool)
    else:
        rcode, rlabels = pd.factorize(ag["relationship_id"].astype(object))
        o = np.lexsort((np.arange(n), end, entry, rcode))
        rc, en, ed = rcode[o], entry[o], end[o]
        first_of_rel = _group_starts(rc)
        # reach: the latest end so far within the relationship (a running max per group)
        reach = np.maximum.accumulate(rc.astype(np.int64) * _S + np.minimum(ed, big) + _SH)
        reach = reach - rc.astype(np.int64) * _S - _SH
        new_spell = first_of_rel.copy()
        # the instrument deciding the reach so far (the last to reach it): when it was
        # terminated, the relationship ended at once and awaits no successor; only an
        # instrument already in force before that day continues the spell
        far_so_far = np.maximum.accumulate(
            np.where(np.minimum(ed, big) == reach, np.arange(n), -1)) if n else np.zeros(0, int)
        term_reach = terminated[o][far_so_far] if n else np.zeros(0, dtype=bool)
        if n > 1:
            new_spell[1:] |= (en[1:] - reach[:-1]) > np.where(term_reach[:-1], -1,
                                                               opts.max_gap)
            # an instrument entering after as_of was not known then: it continues no spell
            # (it starts its own, which enters after as_of and yields no rows)
            new_spell[1:] |= en[1:] > as_of
        unit_sorted = np.cumsum(new_spell) - 1
        starts = np.flatnonzero(new_spell)
        n_units = len(starts)
        last = (np.append(starts[1:], n) - 1)[:n_units]  # no spell without instruments
        u_entry = en[starts]
        u_end = reach[last]
        # the instrument reaching furthest (the last to do so) decides how the spell ends
        far = np.flatnonzero(np.minimum(ed, big) == reach)
        far_unit = unit_sorted[far]
        last_far = np.append(far_unit[1:] != far_unit[:-1], True) if len(far) else far > 0
        u_etype = np.full(n_units, END_TYPES.index("censored"), dtype=np.int8)
        u_etype[far_unit[last_far]] = etype[o][far[last_far]]
        u_etype[u_end >= big] = END_TYPES.index("censored")
        # expiry less than max_gap days before as_of: a successor may still come; censored there
        # (a termination is an end at once: no grace)
        grace = ((u_end < big) & (u_end <= as_of) & (u_end + opts.max_gap > as_of)
                 & ~term_reach[last])
        spell_no = np.arange(n_units) - np.maximum.accumulate(
            np.where(first_of_rel[starts], np.arange(n_units), 0))
        spell = (spell_no + 1).astype(np.int64)
        ids = pd.Categorical.from_codes(rc[starts], categories=pd.Index(rlabels, dtype=object))
        n_inst = np.diff(np.append(starts, n))
        inst_unit = np.empty(n, dtype=np.int64)
        inst_unit[o] = unit_sorted
        u_end = np.minimum(u_end, big)

    n_units = len(u_entry)
    ended_by_as_of = (u_end <= as_of) & ~grace
    stop = np.where(ended_by_as_of, u_end, np.minimum(u_end, as_of))
    event = ended_by_as_of.astype(np.int8)
    u_etype = np.where(ended_by_as_of, u_etype, END_TYPES.index("censored")).astype(np.int8)

    if opts.event == "dormant":
        stop, event, u_etype = _dormancy(study, opts, ag, inst_unit, entry, u_entry, stop, event,
                                         u_etype)

    lo = u_entry if opts.observed_from is None else np.maximum(u_entry, opts.observed_from)
    status = np.zeros(n_units, dtype=np.int8)
    if opts.observed_from is not None:
        status[stop <= opts.observed_from] = AUDIT_STATUSES.index("ends_before_observed_from")
    status[stop <= u_entry] = AUDIT_STATUSES.index("no_time_at_risk")
    status[u_entry > as_of] = AUDIT_STATUSES.index("enters_after_as_of")

    ok = (p_ag >= 0) & (p_j >= 0)
    pu = inst_unit[p_ag[ok]]
    pj = p_j[ok].astype(np.int64)
    pair = np.sort(pu * len(jurisdictions) + pj) if len(jurisdictions) else pu[:0]
    pair = pair[_group_starts(pair)]  # np.unique, without its hashing (slow for int64)
    return _Units(
        id_name="agreement_id" if opts.level == "instrument" else "relationship_id",
        ids=ids, spell=spell, entry=u_entry, lo=lo, stop=stop, event=event, end_type=u_etype,
        status=status, n_instruments=n_inst,
        pair_unit=pair // max(len(jurisdictions), 1), pair_j=pair % max(len(jurisdictions), 1),
    )


def _dormancy(study, opts, ag, inst_unit, inst_entry, entry, stop, event, etype):
    """De facto end: ``dormancy`` days after a sign of life with none in between.

    Signs of life: the unit's entry, its activities, and the entry into force of each later
    instrument of a relationship (signing a renewal is itself a sign of life).
    """
    acts = _table(study, "activities")
    if "kind" in acts.columns:  # statements about a relationship are not signs of life
        acts = acts[~acts["kind"].isin(PASSIVE_KINDS).to_numpy()]
    a_ag = pd.Index(ag["agreement_id"].astype(object)).get_indexer(
        acts["agreement_id"].astype(object))
    a_day, a_nat = _days(acts["date"])
    keep = (a_ag >= 0) & ~a_nat
    au = np.concatenate([inst_unit[a_ag[keep]], inst_unit])
    ad = np.concatenate([a_day[keep], inst_entry])
    inside = (ad > entry[au]) & (ad < stop[au])
    au, ad = au[inside], ad[inside]
    units = np.arange(len(entry), dtype=np.int64)
    alive = stop > entry
    pu = np.concatenate([units[alive], au, units[alive]])
    pd_ = np.concatenate([entry[alive], ad, stop[alive]])
    o = np.lexsort((pd_, pu))
    pu, pd_ = pu[o], pd_[o]
    if len(pu) < 2:
        return stop, event, etype
    same = pu[1:] == pu[:-1]
    silent = same & ((pd_[1:] - pd_[:-1]) >= opts.dormancy)
    hit = np.flatnonzero(silent)
    first = _group_starts(pu[hit])  # pu is sorted: the first silence of each unit
    u_hit = pu[hit[first]]
    d = pd_[hit[first]] + opts.dormancy
    stop, event, etype = stop.copy(), event.copy(), etype.copy()
    stop[u_hit] = d
    event[u_hit] = 1
    etype[u_hit] = END_TYPES.index("dormant")
    return stop, event, etype


# --------------------------------------------------------------------------------- splitting


def _split(study: Study, opts: _Options):
    p_j, jurisdictions = pd.factorize(_table(study, "parties")["jurisdiction"].astype(object),
                                      sort=True)
    jurisdictions = pd.Index(jurisdictions, dtype=object)
    units = _units(study, opts, jurisdictions, p_j.astype(np.int64))
    lead = _leadership(study, jurisdictions)
    unknown_j = jurisdictions.get_indexer(list(study.unknown_exposure))
    known_j = np.ones(len(jurisdictions), dtype=bool)
    known_j[unknown_j[unknown_j >= 0]] = False

    inc = np.flatnonzero(units.status == 0)
    n_inc = len(inc)
    index_of = np.full(len(units.entry), -1, dtype=np.int64)
    index_of[inc] = np.arange(n_inc)
    entry, lo, hi = units.entry[inc], units.lo[inc], units.stop[inc]
    # (unit, party) pairs of the included units; the slot is the rank of the jurisdiction
    keep = index_of[units.pair_unit] >= 0
    pu, pj = index_of[units.pair_unit[keep]], units.pair_j[keep]
    first_pos = np.flatnonzero(_group_starts(pu))
    slot = np.arange(len(pu)) - np.repeat(first_pos, np.diff(np.append(first_pos, len(pu))))
    k = int(slot.max()) + 1 if len(slot) else 0
    pknown = known_j[pj]
    pbase = pj * _S + _SH
    # per pair: breakpoints up to lo (>= 1: the sentinel) and inside (lo, hi); leader changes
    # in (entry, lo] and the latest of them
    # queries grouped by jurisdiction search faster; a radix sort groups them cheaply
    by_j = np.argsort(pj.astype(np.int16) if len(jurisdictions) < 2**15 else pj, kind="stable")
    b_lo = _searchsorted_by(lead.bkey, pbase + lo[pu], by_j, "right")
    n_in = np.where(pknown, _searchsorted_by(lead.bkey, pbase + hi[pu], by_j, "left") - b_lo, 0)
    n_in = np.maximum(n_in, 0)
    b_entry = (b_lo if opts.observed_from is None
               else _searchsorted_by(lead.bkey, pbase + entry[pu], by_j, "right"))
    c_lo = lead.bcum[b_lo - 1]
    p_changes_lo = np.where(pknown, c_lo - lead.bcum[b_entry - 1], 0)
    p_last_lo = np.where(p_changes_lo > 0, lead.cday[np.maximum(c_lo - 1, 0)]
                         if len(lead.cday) else 0, _NONE)
    p_h0 = np.where(pknown, lead.bhold[b_entry - 1], -1)
    del c_lo
    # each party's record [r0, r1): the history since entry is complete on an episode starting
    # on day d iff r0 <= entry and d < r1 (a party without terms: never)
    r0, r1 = lead.rec_lo[pj], lead.rec_hi[pj]
    p_from_entry = r0 <= entry[pu]                  # the record covers the entry
    p_partial = ~p_from_entry | (r1 < hi[pu])       # some episode of the pair is not covered

    # every boundary as one sortable key: (unit, day) then a tag saying what it is:
    # 0 for entry, exit, window edge and cut; 1 + slot * C + (leader changes on that day) for
    # a term boundary of the party in that slot
    n_chg = 1 << int(lead.bchg.max() if len(lead.bchg) else 0).bit_length()  # a power of 2
    c_bits = n_chg.bit_length() - 1
    tags = 1 + max(k, 1) * n_chg
    idx = _expand(b_lo, n_in)
    b_part = (lead.bkey % _S) * tags + 1 + lead.bchg      # day and changes of each breakpoint
    p_part = pu * (_S * tags) + slot * n_chg               # unit and slot of each pair
    pieces = [
        (np.arange(n_inc) * _S + lo + _SH) * tags,
        (np.arange(n_inc) * _S + hi + _SH) * tags,
        np.repeat(p_part, n_in) + b_part[idx],
    ]
    del idx, b_part, p_part
    if opts.window is not None:  # change + window inside (lo, hi), for changes after entry
        w = opts.window
        a = pbase + np.maximum(entry[pu], lo[pu] - w)
        b = pbase + np.maximum(hi[pu] - w, entry[pu])
        left = _searchsorted_by(lead.ckey, a, by_j, "right")
        n_w = np.where(pknown, np.maximum(_searchsorted_by(lead.ckey, b, by_j, "left") - left, 0),
                       0)
        idx = _expand(left, n_w)
        pieces.append((np.repeat(pu, n_w) * _S + lead.cday[idx] + w + _SH) * tags)
        del a, b, left, idx
    # record edges that are not term boundaries (a vacancy row first or last), and, with a
    # window, r0 + window for units entering before r0 (the window is then inside the record)
    edges = [np.where(lead.rec_split[pj], r0, _NONE), np.where(lead.rec_split[pj], r1, _NONE)]
    if opts.window is not None:
        edges.append(np.where(pknown & ~p_from_entry, r0 + opts.window, _NONE))
    for e in edges:
        inside = (e > lo[pu]) & (e < hi[pu])
        if inside.any():
            pieces.append((pu[inside] * _S + e[inside] + _SH) * tags)
    del edges
    if len(opts.cuts):  # user cuts, in days since entry, strictly inside (lo - entry, hi - entry)
        left = np.searchsorted(opts.cuts, lo - entry, side="right")
        reps = np.maximum(np.searchsorted(opts.cuts, hi - entry, side="left") - left, 0)
        idx = _expand(left, reps)
        pieces.append((np.repeat(np.arange(n_inc) * _S + entry + _SH, reps) + opts.cuts[idx])
                      * tags)
        del left, reps, idx
    key = np.concatenate(pieces)
    del pieces
    key.sort(kind="stable")  # runs of sorted keys: timsort merges them
    tag = (key % tags).astype(np.int32)
    key //= tags
    last_raw = np.flatnonzero(np.append(key[1:] != key[:-1], True) if len(key) else key > 0)
    ukey = key[last_raw]                     # the unique boundaries, and the last raw of each
    del key
    bu = ukey // _S
    bd = ukey % _S - _SH
    del ukey
    n_b = len(bu)
    # an episode runs from each unique boundary to the next one of the same unit
    is_ep = bu[1:] == bu[:-1] if n_b else np.zeros(0, dtype=bool)
    u_first = np.flatnonzero(np.append(True, ~is_ep)[:-1]) if n_b else np.zeros(0, np.int64)
    n_ep = np.diff(np.append(u_first, n_b)) - 1 if n_b else np.zeros(n_inc, np.int64)
    del bu
    estart = bd[:-1][is_ep]
    estop = bd[1:][is_ep]
    n_e = len(estart)
    offsets = np.cumsum(n_ep) - n_ep
    episode = np.arange(1, n_e + 1, dtype=np.int32) - np.repeat(offsets.astype(np.int32), n_ep)
    event = np.zeros(n_e, dtype=np.int8)
    event[offsets + n_ep - 1] = units.event[inc]
    e_raw = last_raw[:-1][is_ep]             # raw position closing each episode's start day
    u_raw = last_raw[u_first]                # ... and its unit's lo

    # the latest leader change in (lo, start] at any party: a running max over boundaries
    raw_chg = np.where(tag > 0, (tag - 1) & (n_chg - 1), 0)
    cc = np.cumsum(raw_chg > 0)[last_raw]
    has_chg = np.diff(cc, prepend=0) > 0
    del cc, last_raw
    ck = np.maximum.accumulate(np.where(has_chg, np.arange(n_b), -1)) if n_b else has_chg
    ck_e = ck[:-1][is_ep]
    del ck, has_chg, is_ep
    inner = ck_e > np.repeat(u_first, n_ep)   # a change after the unit's lo
    # else the latest change in (entry, lo] at any party
    unit_last = (np.maximum.reduceat(p_last_lo, first_pos) if len(first_pos)
                 else np.zeros(0, np.int64))
    last_change = np.where(inner, bd[np.maximum(ck_e, 0)], np.repeat(unit_last, n_ep))
    del ck_e, inner, bd

    # per party slot: (unit-level) base values, and the running count of term boundaries and
    # leader changes since lo, packed as count + changes << 32 in one cumulative sum
    missing = len(lead.bterm)            # an extra breakpoint with no leader, for absent slots
    bterm = np.append(lead.bterm, -1)
    bhold = np.append(lead.bhold, -1)
    bpcum = np.append(lead.bpcum, 0)
    bpna = np.append(lead.bpna, 0)
    raw_slot = np.where(tag > 0, (tag - 1) >> c_bits, -1)
    del tag
    # what is unknown, per episode: changes (some party's history since entry is incomplete),
    # the signer (some party had no known leader at entry, or its record has ended), the window
    unit_unknown = np.zeros(n_inc, dtype=bool)
    unit_unknown[pu[~pknown]] = True
    unit_nosigner = unit_unknown.copy()
    unit_nosigner[pu[pknown & (p_h0 < 0)]] = True
    changes_na = np.repeat(unit_unknown, n_ep)
    in_na = np.repeat(unit_nosigner, n_ep)
    win_na = changes_na.copy() if opts.window is not None else None
    changes = np.zeros(n_e, dtype=np.int32)
    party_changes = np.zeros(n_e, dtype=np.int32)
    party_na = np.zeros(n_e, dtype=bool)
    in_false = np.zeros(n_e, dtype=bool)   # some party's signer has left
    focal_j = jurisdictions.get_loc(opts.focal) if opts.focal is not None else -2
    if opts.focal is not None:
        own = np.zeros(n_e, dtype=np.int32)
        partner = np.zeros(n_e, dtype=np.int32)
        u_focal = np.zeros(n_inc, dtype=bool)
        own_na = np.zeros(n_e, dtype=bool)
        partner_na = np.zeros(n_e, dtype=bool)
    jur_dtype = pd.CategoricalDtype(jurisdictions)
    holder_dtype = pd.CategoricalDtype(lead.holders)
    term_dtype = pd.CategoricalDtype(lead.term_ids)
    slot_cols = {}
    low = np.int64((1 << 32) - 1)
    for s in range(k):  # a loop over party slots (2 for bilateral instruments), not over rows
        comb = np.cumsum(np.where(raw_slot == s, 1 + (raw_chg.astype(np.int64) << 32), 0))
        sel = slot == s
        us = pu[sel]
        u_comb = comb[u_raw]
        base = np.full(n_inc, missing, dtype=np.int64)
        base[us] = b_lo[sel] - 1
        base -= u_comb & low
        chg0 = np.zeros(n_inc, dtype=np.int64)
        chg0[us] = p_changes_lo[sel]
        chg0 -= u_comb >> 32
        h0 = np.full(n_inc, -1, dtype=np.int64)
        h0[us] = p_h0[sel]
        j_s = np.full(n_inc, -1, dtype=np.int64)
        j_s[us] = pj[sel]
        at0 = np.full(n_inc, missing, dtype=np.int64)   # the breakpoint in force at entry
        at0[us] = b_entry[sel] - 1
        del u_comb
        v = comb[e_raw]
        del comb
        at = np.repeat(base, n_ep) + (v & low)
        hcode = bhold[at]
        ch = (np.repeat(chg0, n_ep) + (v >> 32)).astype(np.int32)
        del v
        at0 = np.repeat(at0, n_ep)
        party_changes += (bpcum[at] - bpcum[at0]).astype(np.int32)
        party_na |= bpna[at] > bpna[at0]
        del at0
        changes += ch
        h0e = np.repeat(h0, n_ep)
        if p_partial[sel].any():
            # the record of some party in this slot does not cover all of its unit's time
            r0_s = np.full(n_inc, -_OPEN, dtype=np.int64)
            r0_s[us] = r0[sel]
            r1_s = np.full(n_inc, _OPEN, dtype=np.int64)
            r1_s[us] = r1[sel]
            in_rec = estart < np.repeat(r1_s, n_ep)       # the episode is inside the record
            from_entry = np.ones(n_inc, dtype=bool)
            from_entry[us] = p_from_entry[sel]
            unknown = ~(in_rec & np.repeat(from_entry, n_ep))
            changes_na |= unknown
            in_na |= ~in_rec
            if win_na is not None:  # the window (max(entry, start - window), start] is known
                win_na |= ~(in_rec & (np.repeat(from_entry, n_ep)
                                      | (estart - opts.window >= np.repeat(r0_s, n_ep))))
            # after the record, a change before its end still tells that the signer has left
            in_false |= (h0e >= 0) & ((in_rec & (hcode != h0e)) | (ch > 0))
            del r0_s, r1_s, in_rec, from_entry
        else:
            unknown = None
            in_false |= (h0e >= 0) & ((hcode != h0e) | (ch > 0))
        del h0e
        if opts.focal is not None:
            is_focal = j_s == focal_j
            u_focal |= is_focal
            fe = np.repeat(is_focal, n_ep)
            own = np.where(fe, ch, own)
            partner += np.where(fe, 0, ch).astype(np.int32)
            unknown_s = np.zeros(n_inc, dtype=bool)
            unknown_s[us] = ~pknown[sel]
            unknown_e = np.repeat(unknown_s, n_ep)
            if unknown is not None:
                unknown_e |= unknown
            own_na |= fe & unknown_e
            partner_na |= ~fe & unknown_e
            del fe, unknown_e
        if opts.leaders == "wide":
            slot_cols[f"jurisdiction_{s + 1}"] = _categorical(np.repeat(j_s, n_ep), jur_dtype)
            slot_cols[f"leader_{s + 1}"] = _categorical(hcode, holder_dtype)
            slot_cols[f"term_id_{s + 1}"] = _categorical(bterm[at], term_dtype)
        del at, hcode, ch, unknown
    del raw_slot, raw_chg, e_raw
    if opts.focal is not None:
        own_na |= np.repeat(~u_focal, n_ep)
        partner_na |= np.repeat(~u_focal, n_ep)

    cols: dict[str, object] = {}
    id_codes = np.repeat(np.asarray(units.ids.codes)[inc], n_ep)
    cols[units.id_name] = _categorical(id_codes, units.ids.dtype)
    del id_codes
    if units.spell is not None:
        cols["spell"] = np.repeat(units.spell[inc], n_ep)
    cols["episode"] = episode
    cols["start"] = _to_ns(estart)
    cols["stop"] = _to_ns(estop)
    eentry = np.repeat(entry, n_ep)
    cols["t_start"] = estart - eentry
    cols["t_stop"] = estop - eentry
    del eentry, estop
    cols["event"] = event
    cols["changes"] = pd.arrays.IntegerArray(changes, changes_na)
    cols["party_changes"] = pd.arrays.IntegerArray(party_changes, changes_na | party_na)
    if opts.focal is not None:
        cols["own_changes"] = pd.arrays.IntegerArray(own, own_na)
        cols["partner_changes"] = pd.arrays.IntegerArray(partner, partner_na)
    cols["signer_in_office"] = pd.arrays.BooleanArray(~in_false, ~in_false & in_na)
    has_change = last_change > _NONE
    dsc = np.where(has_change, estart - last_change, 0).astype(np.int32)
    del last_change, estart
    cols["days_since_change"] = pd.arrays.IntegerArray(dsc, ~has_change | changes_na)
    if opts.window is not None:
        # a recorded change inside the window decides, whatever is unknown elsewhere
        post = has_change & (dsc < opts.window)
        cols["post_change"] = pd.arrays.BooleanArray(post, ~post & win_na)
    cols.update(slot_cols)
    out = pd.DataFrame(cols, copy=False)
    cum_na = np.append(0, np.cumsum(changes_na, dtype=np.int64))
    n_unknown = cum_na[offsets + n_ep] - cum_na[offsets]
    return out, units, n_ep, inc, n_unknown


_SPLIT_PARAMS = """
    study : Study
    level : {"instrument", "relationship"}, default "instrument"
        The unit: each instrument (agreement row), or each relationship (the instruments sharing
        a ``relationship_id``, chained as described in the Notes).
    event : {"formal", "dormant"}, default "formal"
        What ends a unit: its formal end, or its de facto end (``dormancy`` days without
        activity, or the formal end if that comes first).
    dormancy : int, default 730
        Days without activity after which a unit is dormant (``event="dormant"`` only).
    max_gap : int, default 365
        Relationship level: the longest gap, in days, between the end of one instrument and the
        start of the next for the relationship to go on.
    window : int, optional
        Also split ``window`` days after each leader change since entry, and add ``post_change``.
    cuts : sequence of int, optional
        Also split at these times, in days since the unit's entry (as ``survSplit``'s ``cut``).
    observed_from : date-like, optional
        The start of observation: units that began earlier enter on this date (delayed entry,
        ``t_start > 0`` on their first episode); units that ended by then yield no rows.
        A date known to the month or year is its first day.
    focal : str, optional
        A jurisdiction: count its leader changes (``own_changes``) apart from its partners'
        (``partner_changes``).
    leaders : {"wide", "none"}, default "wide"
        ``"wide"`` adds ``jurisdiction_i, leader_i, term_id_i`` for every party slot i up to
        the largest number of parties of any unit; ``"none"`` leaves them out (for studies of
        large multilateral agreements, where one agreement of 40 parties gives every row 120
        such columns). The exposure columns are the same either way."""


def split_episodes(
    study: Study,
    *,
    level: str = "instrument",
    event: str = "formal",
    dormancy: int = _DEFAULT_DORMANCY,
    max_gap: int = _DEFAULT_MAX_GAP,
    window: int | None = None,
    cuts=None,
    observed_from=None,
    focal: str | None = None,
    leaders: str = "wide",
) -> pd.DataFrame:
    """Counting-process episodes: each unit's at-risk time split at every leadership transition.

    The table R's ``survival::tmerge`` builds, ready for Kaplan-Meier with delayed entry, Cox
    models with time-varying exposure (``Surv(t_start, t_stop, event)``), lifelines'
    ``CoxTimeVaryingFitter`` or Stata's ``stset``.

    Parameters
    ----------%s

    Returns
    -------
    pandas.DataFrame
        One row per episode, units in the order of the agreements table (relationships in the
        order their first instrument appears), episodes in time order. Columns:

        ``agreement_id`` (instrument level) or ``relationship_id, spell`` (relationship level)
            the unit (categorical; ``spell`` numbers the spells of one relationship, 1, 2, ...:
            a relationship revived after more than ``max_gap`` days is a new spell).
        ``episode``
            1, 2, ..., k within the unit (int32).
        ``start, stop``
            the episode's days, ``[start, stop)`` (``datetime64[ns]``).
        ``t_start, t_stop``
            the same in days since the unit's entry (int64): the time scale of the analysis.
        ``event``
            1 on the episode that ends at the unit's end, 0 elsewhere and when censored (int8).
        ``changes``
            leader changes at any party since entry, up to and including the episode's start
            (Int32; NA when some party's history since entry is incomplete: see Notes).
        ``party_changes``
            those of ``changes`` where the party (``terms.party``) of the new holder differs
            from the old one's, as ``party_change`` of :func:`compute_transitions` (Int32; NA
            where ``changes`` is NA or a party is unknown on either side of a change counted).
        ``own_changes, partner_changes``
            with ``focal``: the focal jurisdiction's changes and its partners' (Int32; NA when
            unknown or when the focal jurisdiction is not a party to the unit).
        ``signer_in_office``
            every party's leader at entry is in office: the same holder, with no leader change
            at that party since entry (boolean). False during a vacancy after the signer's
            term; True again if the same holder returns without a change in between (a new
            term of the same holder is not a change). NA when a party's leader at entry is
            unknown (outside its record, or no terms) or none (a vacancy), or its record has
            ended without a change since entry, unless another party's signer is already out.
        ``days_since_change``
            days from the latest leader change since entry to the episode's start (Int32; NA
            before any change and where ``changes`` is NA).
        ``post_change``
            with ``window``: a leader change at some party in the last ``window`` days since
            entry, ``days_since_change < window`` where that is known (boolean; False before
            any change). True when a recorded change is in the window even if another party's
            window is unknown; else NA when some party's window is not inside its record.
            Constant within an episode.
        ``jurisdiction_i, leader_i, term_id_i`` for i = 1 .. k
            with ``leaders="wide"``: each party (ordered by jurisdiction name; k is the largest
            number of parties of any unit), its leader (holder) and that leader's term in the
            episode (categoricals; the leader is NA during a vacancy, outside the party's
            record and when it has no terms; all three are NA for units with fewer than i
            parties).

    Raises
    ------
    ValidationError
        An option is not one of its allowed values (each message says which and how to fix it).

    See Also
    --------
    audit_episodes : every unit, with its entry, end, event and whether it yielded episodes.

    Notes
    -----
    **Units and their at-risk time.** An instrument is at risk over ``[entry, end)``: entry is
    ``effective`` when given, else ``signed``. Its formal end is ``ended`` when given (whatever
    ``end_reason``), else ``expires``; with neither it is open. A formal end on or before
    ``as_of`` is an event (``event = 1``); otherwise the unit is censored at ``as_of``.

    A relationship spell chains the instruments of one ``relationship_id`` in order of entry:
    it enters at the earliest entry and reaches the latest end so far; the next instrument
    continues it when it enters no more than ``max_gap`` days after that reach (renewals are
    often signed after the old document has lapsed), otherwise it starts a new spell. A spell
    ends (event 1) at its reach when that reach plus ``max_gap`` is on or before ``as_of``:
    no successor came in time. When the reach is on or before ``as_of`` but less than
    ``max_gap`` days before it, a successor may still come: the spell is censored at its
    reach (alive until then, fate unknown). **A termination is an end at once**: when the
    instrument that decides the reach ended with an ``end_reason`` in
    :data:`continuity.schema.TERMINATION_REASONS` (``"terminated"``, ``"withdrawn"``), the
    spell ends on that day (an event even when ``as_of`` is less than ``max_gap`` days later),
    and only an instrument already in force before that day continues it; one entering on or
    after it starts a new spell. Only other ends (an expiry, ``"replaced"``, no reason given)
    wait ``max_gap`` days for a successor. A termination of one instrument while another of
    the relationship stays in force does not end the relationship.

    With ``event="dormant"`` the unit ends on the first day ``d + dormancy`` such that no
    sign of life falls in ``(d, d + dormancy)``, where ``d`` is the entry, an activity (of any
    instrument of a relationship) or the entry into force of a later instrument of the
    relationship (signing a renewal is a sign of life): ``dormancy`` days after its last sign
    of life, as
    ``continuity.metrics.dormancy`` dates ``dormant_since``. The de facto end is not
    back-dated to the last activity (a unit never active would end on its entry day); a formal
    end that comes first is also an event, and activities outside ``[entry, formal end)`` are
    ignored, as are activities of a kind in :data:`continuity.schema.PASSIVE_KINDS`
    (statements about a relationship, such as a report that it has stalled).

    Units entering after ``as_of``, with no time at risk, or ending by ``observed_from`` yield
    no rows; :func:`audit_episodes` lists them.

    **Leadership.** Each party's leadership is a step function of its terms: the holder of the
    term ``[start, end)`` covering a day, or none (NA) in a vacancy (a gap between terms or a
    term of kind ``"vacancy"``).
    A *leader change* is a transition of :func:`compute_transitions` with ``leader_change``:
    it is dated on the day the **new** holder takes office, not when the old one left, so the
    vacancy before it is not a change (a caretaker or acting spell is a term: entering and
    leaving it are changes when the holder differs). Only changes after the unit's entry and
    on or before the episode's start count; a change on the entry day is the entry's leader.

    **Unknown exposure.** "Exposure that is unknown is NA, never 0." A party's *record* runs
    from the start of its first leadership row to the end of its last (rows of kind
    ``"vacancy"`` included: a recorded vacancy is known; open if the last row is open). Time
    before the record, and after a last term that ended with no successor recorded, is
    *outside the record*: who led, and whether the leader changed, is unknown there (the start
    of the first term may itself be a change). A vacancy between two recorded terms is inside
    the record: a known vacancy. A party with no terms at all (``study.unknown_exposure``)
    has no record. For an episode starting on day ``d`` of a unit entering on day ``e``:

    * a party's changes since entry are known iff its record covers ``[e, d]``, i.e.
      ``record_start <= e`` and ``d < record_end``; ``changes``, ``days_since_change`` (and
      ``own_changes``, ``partner_changes`` for the parties they sum) are NA unless every
      party's are known. :func:`audit_episodes` counts these episodes (``n_unknown_exposure``);
    * ``post_change`` looks only at the window ``(max(e, d - window), d]``: it is True if a
      recorded change of any party falls in it (a change is a fact, whatever another party
      did), else NA if some party's record does not cover the window, else False. So it is
      known from ``window`` days after a record starts, even for units signed before. This
      is Kleene's three-valued "or", the rule ``signer_in_office`` follows for "and";
    * a complete-case analysis that drops NA ``post_change`` rows one by one keeps the True
      rows of partly known units but not their False rows; drop whole units instead (as
      ``continuity.metrics.transition_hazard_ratio`` does), or rows where ``changes`` is NA.

    **Splits.** Episodes are split at every day strictly inside the observed at-risk time on
    which any party's step function changes (a term starts, or ends into a vacancy; the same
    holder starting a new term splits without a change), at the edges of each party's record,
    at ``record_start + window`` for units entering before a record starts, at
    ``change + window`` for every change after entry, and at ``entry + cut`` for every cut.
    The episodes of a unit tile its observed at-risk time exactly, so person-time and events
    are conserved, and splitting again at existing boundaries changes nothing. This is
    ``tmerge(..., tdc(...), cumtdc(...))`` with one time-dependent covariate per party's term
    (Therneau, Crowson and Atkinson, "Using Time Dependent Covariates and Time Dependent
    Coefficients in the Cox Model", survival package vignette).

    **Width.** With ``leaders="wide"`` the table has three columns per party slot, as many
    slots as the largest unit has parties, whatever the other units have (one alliance of 43
    members gives every row 129 such columns). ``leaders="none"`` leaves them out; the
    default does not depend on the data, so a table's columns never change with its rows.

    Examples
    --------
    >>> import pandas as pd
    >>> import continuity as ct
    >>> terms = pd.DataFrame({
    ...     "jurisdiction": ["Solo", "Solo", "Xi'an"], "office": "mayor",
    ...     "holder": ["A", "B", "P"],
    ...     "start": ["2010-07-28", "2016-02-17", "2012-06-01"],
    ...     "end": ["2016-02-17", None, None],
    ... })
    >>> agreements = pd.DataFrame({"agreement_id": ["LOI"], "signed": ["2015-09-15"],
    ...                            "expires": ["2018-09-15"]})
    >>> parties = pd.DataFrame({"agreement_id": "LOI", "jurisdiction": ["Solo", "Xi'an"]})
    >>> study = ct.Study(terms, agreements, parties, as_of="2020-12-31")
    >>> ep = split_episodes(study, window=365)
    >>> ep[["episode", "t_start", "t_stop", "event", "changes", "post_change", "leader_1"]]
       episode  t_start  t_stop  event  changes  post_change leader_1
    0        1        0     155      0        0        False        A
    1        2      155     520      0        1         True        B
    2        3      520    1096      1        1        False        B
    """
    opts = _check_options(study, level, event, dormancy, max_gap, window, cuts, observed_from,
                          focal, leaders)
    return _split(study, opts)[0]


def audit_episodes(
    study: Study,
    *,
    level: str = "instrument",
    event: str = "formal",
    dormancy: int = _DEFAULT_DORMANCY,
    max_gap: int = _DEFAULT_MAX_GAP,
    window: int | None = None,
    cuts=None,
    observed_from=None,
    focal: str | None = None,
    leaders: str = "wide",
) -> pd.DataFrame:
    """Every unit of :func:`split_episodes`, before splitting, and what became of it.

    Takes the same options as :func:`split_episodes`, so that its rows account for that
    table's: the units with ``status == "included"`` are exactly the units it splits, and their
    ``n_episodes`` add up to its number of rows.

    Parameters
    ----------%s

    Returns
    -------
    pandas.DataFrame
        One row per unit, in the order of :func:`split_episodes`, with columns:

        ``agreement_id`` or ``relationship_id, spell``
            the unit.
        ``entry``
            the day it began (``datetime64[ns]``).
        ``start``
            the day observation begins: ``entry``, or ``observed_from`` if later.
        ``stop``
            the day its at-risk time ends (the event or censoring day).
        ``t_start, t_stop``
            ``start`` and ``stop`` in days since entry (int64).
        ``event``
            1 when the unit ends at ``stop``, 0 when censored (int8).
        ``end_type``
            ``"ended"``, ``"expired"``, ``"dormant"`` or ``"censored"``.
        ``status``
            ``"included"``, ``"enters_after_as_of"``, ``"no_time_at_risk"`` (ends on or before
            its entry, e.g. ``ended`` before ``effective``) or ``"ends_before_observed_from"``.
        ``n_instruments``
            instruments in the unit (1 at instrument level).
        ``n_parties``
            distinct party jurisdictions.
        ``n_episodes``
            rows in :func:`split_episodes` (0 unless included).
        ``n_unknown_exposure``
            of those, the rows where ``changes`` is NA: some party's history since entry is
            not in its record, or the party has no terms (see :func:`split_episodes`, Notes).

    Raises
    ------
    ValidationError
        As :func:`split_episodes`.

    Examples
    --------
    >>> import pandas as pd
    >>> import continuity as ct
    >>> terms = pd.DataFrame({"jurisdiction": ["Solo", "Xi'an"], "office": "mayor",
    ...                       "holder": ["A", "P"], "start": "2010-01-01", "end": None})
    >>> agreements = pd.DataFrame({"agreement_id": ["LOI", "MOU"],
    ...                            "signed": ["2015-09-15", "2019-01-01"]})
    >>> parties = pd.DataFrame({"agreement_id": ["LOI", "LOI", "MOU", "MOU"],
    ...                         "jurisdiction": ["Solo", "Xi'an"] * 2})
    >>> study = ct.Study(terms, agreements, parties, as_of="2020-12-31")
    >>> audit_episodes(study, observed_from="2016")[["agreement_id", "t_start", "t_stop", "status"]]
      agreement_id  t_start  t_stop    status
    0          LOI      108    1934  included
    1          MOU        0     730  included
    """
    opts = _check_options(study, level, event, dormancy, max_gap, window, cuts, observed_from,
                          focal, leaders)
    _, units, n_ep, inc, n_unknown = _split(study, opts)
    n_units = len(units.entry)
    cols: dict[str, object] = {units.id_name: units.ids}
    if units.spell is not None:
        cols["spell"] = units.spell
    stop = units.stop
    cols["entry"] = _to_ns(units.entry)
    cols["start"] = _to_ns(units.lo)
    cols["stop"] = _to_ns(stop)
    cols["t_start"] = units.lo - units.entry
    cols["t_stop"] = stop - units.entry
    cols["event"] = units.event
    cols["end_type"] = pd.Categorical.from_codes(units.end_type, categories=list(END_TYPES))
    cols["status"] = pd.Categorical.from_codes(units.status, categories=list(AUDIT_STATUSES))
    cols["n_instruments"] = units.n_instruments
    cols["n_parties"] = np.bincount(units.pair_unit, minlength=n_units)
    n_episodes = np.zeros(n_units, dtype=np.int64)
    n_episodes[inc] = n_ep
    cols["n_episodes"] = n_episodes
    n_unknown_exposure = np.zeros(n_units, dtype=np.int64)
    n_unknown_exposure[inc] = n_unknown
    cols["n_unknown_exposure"] = n_unknown_exposure
    return pd.DataFrame(cols)


split_episodes.__doc__ = split_episodes.__doc__ % _SPLIT_PARAMS
audit_episodes.__doc__ = audit_episodes.__doc__ % _SPLIT_PARAMS
