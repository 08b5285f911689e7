"""Units at risk and when they end: the one home of these rules.

An instrument *enters* at ``effective`` when given, else ``signed`` (:func:`entry`). Its *formal
end* is ``ended`` when given (whatever ``end_reason``), else ``expires`` (:func:`formal_end`).
Activities are *signs of life* unless their kind is in
:data:`continuity.schema.PASSIVE_KINDS` (:func:`signs_of_life`). A *relationship spell*
chains the instruments of one ``relationship_id`` whose gaps are at most ``max_gap`` days
(:func:`relationship_spells`), and the *de facto end* of a unit comes ``dormancy`` days after a
sign of life with none in between (:func:`dormant_end`).

:func:`units_at_risk` puts them together into the units that :func:`continuity.split_episodes`
splits and :func:`continuity.audit_episodes` lists; the metrics read the same rules through
:func:`entry`, :func:`formal_end` and :func:`signs_of_life`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity._days import OPEN, KeyCodec, group_starts, to_days
from continuity.schema import PASSIVE_KINDS, TERMINATION_REASONS

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = [
    "AUDIT_STATUSES",
    "END_TYPES",
    "Spells",
    "Units",
    "dormant_end",
    "entry",
    "formal_end",
    "relationship_spells",
    "signs_of_life",
    "terminations",
    "units_at_risk",
]

#: How a unit's at-risk time ends, in :func:`continuity.audit_episodes`.
END_TYPES = ("ended", "expired", "dormant", "censored")
#: Status of a unit in :func:`continuity.audit_episodes`.
AUDIT_STATUSES = ("included", "enters_after_as_of", "no_time_at_risk", "ends_before_observed_from")

_CENSORED = END_TYPES.index("censored")


# --- instruments -------------------------------------------------------------------------------
def _coalesce(agreements: pd.DataFrame, first: str, then: str) -> np.ndarray:
    """``first`` where given, else ``then`` (datetime64[ns]; an absent column is all NaT)."""
    nat = np.full(len(agreements), np.datetime64("NaT"), dtype="datetime64[ns]")
    a = agreements[first].to_numpy(dtype="datetime64[ns]") if first in agreements else nat
    b = agreements[then].to_numpy(dtype="datetime64[ns]") if then in agreements else nat
    return np.where(np.isnat(a), b, a)


def entry(agreements: pd.DataFrame) -> pd.Series:
    """Each instrument's entry into force: ``effective`` when given, else ``signed``.

    Examples
    --------
    >>> a = pd.DataFrame({"signed": pd.to_datetime(["2015-01-01", "2016-01-01"]),
    ...                   "effective": pd.to_datetime(["2015-03-01", None])})
    >>> entry(a).dt.date.tolist()
    [datetime.date(2015, 3, 1), datetime.date(2016, 1, 1)]
    """
    return pd.Series(_coalesce(agreements, "effective", "signed"), index=agreements.index,
                     name="entry")


def formal_end(agreements: pd.DataFrame, as_of=None) -> pd.Series:
    """Each instrument's formal end: ``ended`` when given, else ``expires``.

    With ``as_of``, only an end on or before it: NaT where the instrument is formally alive at
    ``as_of`` (no end, or an end after it).

    Examples
    --------
    >>> a = pd.DataFrame({"ended": pd.to_datetime([None, "2017-05-01"]),
    ...                   "expires": pd.to_datetime(["2020-01-01", "2019-01-01"])})
    >>> formal_end(a, pd.Timestamp("2018-12-31")).dt.date.tolist()
    [NaT, datetime.date(2017, 5, 1)]
    """
    end = pd.Series(_coalesce(agreements, "ended", "expires"), index=agreements.index,
                    name="formal_end")
    return end if as_of is None else end.where(end <= as_of)


def _end_types(agreements: pd.DataFrame) -> np.ndarray:
    """Codes into :data:`END_TYPES` of the formal end: ended, else expired, else censored."""
    etype = np.full(len(agreements), _CENSORED, dtype=np.int8)
    for col, kind in (("expires", "expired"), ("ended", "ended")):  # ended wins
        if col in agreements.columns:
            given = agreements[col].notna().to_numpy()
            etype[given] = END_TYPES.index(kind)
    return etype


def signs_of_life(study: Study) -> pd.DataFrame:
    """The study's activities that are signs of life (a new frame).

    Activities of a kind in :data:`continuity.schema.PASSIVE_KINDS` (statements about the
    relationship, such as a report that it has stalled) report on it rather than carry it out,
    and are left out. Without activities: an empty table of ``agreement_id, date``.
    """
    acts = study.view("activities")
    if acts is None:
        return pd.DataFrame({"agreement_id": pd.Series([], dtype=object),
                             "date": pd.Series([], dtype="datetime64[ns]")})
    keep = (~acts["kind"].isin(PASSIVE_KINDS).to_numpy() if "kind" in acts.columns
            else np.ones(len(acts), dtype=bool))
    return acts[keep]


def terminations(agreements: pd.DataFrame) -> np.ndarray:
    """Instruments ended by a termination (an ``ended`` date with an ``end_reason`` in
    :data:`continuity.schema.TERMINATION_REASONS`): no successor is awaited after them."""
    if "ended" not in agreements.columns or "end_reason" not in agreements.columns:
        return np.zeros(len(agreements), dtype=bool)
    return (agreements["ended"].notna().to_numpy()
            & agreements["end_reason"].isin(TERMINATION_REASONS).to_numpy())


# --- relationship spells ----------------------------------------------------------------------
@dataclass(frozen=True)
class Spells:
    """Relationship spells, from instruments given in any order."""

    order: np.ndarray          # the instruments sorted by relationship, entry, end
    unit_sorted: np.ndarray    # spell of each sorted instrument
    starts: np.ndarray         # position (in ``order``) of each spell's first instrument
    entry: np.ndarray          # day each spell enters
    reach: np.ndarray          # the latest end of its instruments (OPEN: open)
    end_type: np.ndarray       # codes into END_TYPES of the instrument reaching furthest
    number: np.ndarray         # 1, 2, ... within the relationship
    grace: np.ndarray          # reach < max_gap days before as_of: a successor may still come


def relationship_spells(rcode: np.ndarray, inst_entry: np.ndarray, inst_end: np.ndarray,
                        inst_etype: np.ndarray, *, max_gap: int, as_of: int,
                        terminated: np.ndarray | None = None) -> Spells:
    """Chain the instruments of each relationship into spells.

    A spell enters at the earliest entry and reaches the latest end so far; the next
    instrument (in order of entry) continues it when it enters no more than ``max_gap`` days
    after that reach, otherwise it starts a new spell. **A termination is an end at once**:
    when the instrument deciding the reach so far was terminated (``terminated``, in the order
    of the inputs), only an instrument already in force before that day continues the spell,
    and the spell is not held open for a successor near ``as_of``. An instrument entering
    after ``as_of`` was not known then: it continues no spell. Days are day numbers;
    ``inst_end`` is OPEN where open.
    """
    n = len(rcode)
    o = np.lexsort((np.arange(n), inst_end, inst_entry, rcode))
    rc, en, ed = rcode[o].astype(np.int64), inst_entry[o], np.minimum(inst_end[o], OPEN)
    term = np.zeros(n, dtype=bool) if terminated is None else np.asarray(terminated, bool)[o]
    first_of_rel = group_starts(rc)
    # reach: the latest end so far within the relationship (a running max of (rel, end) keys)
    codec = KeyCodec(int(rc.max()) + 1 if n else 0)
    reach = codec.day(np.maximum.accumulate(codec.pack(rc, ed)))
    # the instrument deciding the reach so far (the last to reach it): terminated or not
    decider = np.maximum.accumulate(np.where(ed == reach, np.arange(n), -1)) if n else \
        np.zeros(0, dtype=np.int64)
    term_reach = term[decider] if n else np.zeros(0, dtype=bool)
    new_spell = first_of_rel.copy()
    if n > 1:
        new_spell[1:] |= (en[1:] - reach[:-1]) > np.where(term_reach[:-1], -1, max_gap)
        new_spell[1:] |= en[1:] > as_of
    unit_sorted = np.cumsum(new_spell) - 1
    starts = np.flatnonzero(new_spell)
    last = np.append(starts[1:], n) - 1
    u_end = reach[last]
    # the instrument reaching furthest (the last to do so) decides how the spell ends
    far = np.flatnonzero(ed == reach)
    far_unit = unit_sorted[far]
    last_far = np.append(far_unit[1:] != far_unit[:-1], True) if len(far) else far > 0
    etype = np.full(len(starts), _CENSORED, dtype=np.int8)
    etype[far_unit[last_far]] = inst_etype[o][far[last_far]]
    etype[u_end >= OPEN] = _CENSORED
    number = np.arange(len(starts)) - np.maximum.accumulate(
        np.where(first_of_rel[starts], np.arange(len(starts)), 0))
    return Spells(order=o, unit_sorted=unit_sorted, starts=starts, entry=en[starts],
                  reach=u_end, end_type=etype, number=(number + 1).astype(np.int64),
                  grace=(u_end < OPEN) & (u_end <= as_of) & (u_end + max_gap > as_of)
                  & ~term_reach[last])


# --- the de facto end --------------------------------------------------------------------------
def dormant_end(unit: np.ndarray, day: np.ndarray, entry: np.ndarray, stop: np.ndarray,
                dormancy: int) -> tuple[np.ndarray, np.ndarray]:
    """Units that fall dormant before ``stop``, and the day they do.

    A unit is dormant on the first day ``d + dormancy`` such that no sign of life falls in
    ``(d, d + dormancy)``, where ``d`` is its entry or a sign of life (``unit``, ``day``:
    signs of life of each unit; those outside ``(entry, stop)`` are ignored).

    Returns
    -------
    (units, days)
        The dormant units (sorted) and their de facto end.
    """
    inside = (day > entry[unit]) & (day < stop[unit])
    au, ad = unit[inside], day[inside]
    units = np.arange(len(entry), dtype=np.int64)
    alive = stop > entry
    pu = np.concatenate([units[alive], au, units[alive]])
    pday = np.concatenate([entry[alive], ad, stop[alive]])
    o = np.lexsort((pday, pu))
    pu, pday = pu[o], pday[o]
    if len(pu) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    silent = (pu[1:] == pu[:-1]) & ((pday[1:] - pday[:-1]) >= dormancy)
    hit = np.flatnonzero(silent)
    first = group_starts(pu[hit])  # pu is sorted: the first silence of each unit
    return pu[hit[first]], pday[hit[first]] + dormancy


# --- units at risk -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Units:
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


@dataclass(frozen=True)
class _Lives:
    """Units before censoring: which unit each instrument is in, entry, end, end type."""

    ids: pd.Categorical
    spell: np.ndarray | None
    inst_unit: np.ndarray
    n_instruments: np.ndarray
    entry: np.ndarray
    end: np.ndarray               # OPEN where open
    end_type: np.ndarray
    grace: np.ndarray


def units_at_risk(study: Study, jurisdictions: pd.Index, party_j: np.ndarray, *, level: str,
                  event: str, dormancy: int, max_gap: int,
                  observed_from: int | None) -> Units:
    """The units at risk of ``study`` and their at-risk time, censored at ``as_of``.

    ``jurisdictions`` (sorted) and ``party_j`` (the code of each row of ``study.parties``)
    give the (unit, party) pairs; ``observed_from`` is a day number or None. The rules are
    those of :func:`continuity.split_episodes` (Notes).
    """
    ag = study.view("agreements")
    as_of = int(np.datetime64(study.as_of, "D").astype(np.int64))
    inst_entry, _ = to_days(_coalesce(ag, "effective", "signed"))
    inst_end, open_end = to_days(_coalesce(ag, "ended", "expires"))
    inst_end[open_end] = OPEN
    etype = _end_types(ag)
    if level == "instrument":
        lives = _instruments(ag, inst_entry, inst_end, etype)
    else:
        lives = _spells(ag, inst_entry, inst_end, etype, max_gap=max_gap, as_of=as_of)
    ended_by_as_of = (lives.end <= as_of) & ~lives.grace
    stop = np.where(ended_by_as_of, lives.end, np.minimum(lives.end, as_of))
    event_ = ended_by_as_of.astype(np.int8)
    u_etype = np.where(ended_by_as_of, lives.end_type, _CENSORED).astype(np.int8)
    if event == "dormant":
        stop, event_, u_etype = _dormant(study, ag, lives, inst_entry, stop, event_, u_etype,
                                         dormancy)
    u_entry = lives.entry
    lo = u_entry if observed_from is None else np.maximum(u_entry, observed_from)
    status = np.zeros(len(u_entry), dtype=np.int8)
    if observed_from is not None:
        status[stop <= observed_from] = AUDIT_STATUSES.index("ends_before_observed_from")
    status[stop <= u_entry] = AUDIT_STATUSES.index("no_time_at_risk")
    status[u_entry > as_of] = AUDIT_STATUSES.index("enters_after_as_of")
    pair_unit, pair_j = _pairs(study, ag, lives.inst_unit, party_j, len(jurisdictions))
    return Units(
        id_name="agreement_id" if level == "instrument" else "relationship_id",
        ids=lives.ids, spell=lives.spell, entry=u_entry, lo=lo, stop=stop, event=event_,
        end_type=u_etype, status=status, n_instruments=lives.n_instruments,
        pair_unit=pair_unit, pair_j=pair_j,
    )


def _instruments(ag, inst_entry, inst_end, etype) -> _Lives:
    n = len(ag)
    ids = pd.Categorical.from_codes(np.arange(n), categories=pd.Index(
        ag["agreement_id"].astype(object), dtype=object))
    return _Lives(ids=ids, spell=None, inst_unit=np.arange(n, dtype=np.int64),
                  n_instruments=np.ones(n, dtype=np.int64), entry=inst_entry, end=inst_end,
                  end_type=etype, grace=np.zeros(n, dtype=bool))


def _spells(ag, inst_entry, inst_end, etype, *, max_gap: int, as_of: int) -> _Lives:
    rcode, rlabels = pd.factorize(ag["relationship_id"].astype(object))
    sp = relationship_spells(rcode, inst_entry, inst_end, etype, max_gap=max_gap, as_of=as_of,
                             terminated=terminations(ag))
    n = len(ag)
    inst_unit = np.empty(n, dtype=np.int64)
    inst_unit[sp.order] = sp.unit_sorted
    ids = pd.Categorical.from_codes(rcode[sp.order][sp.starts],
                                    categories=pd.Index(rlabels, dtype=object))
    return _Lives(ids=ids, spell=sp.number, inst_unit=inst_unit,
                  n_instruments=np.diff(np.append(sp.starts, n)), entry=sp.entry,
                  end=np.minimum(sp.reach, OPEN), end_type=sp.end_type, grace=sp.grace)


def _dormant(study, ag, lives: _Lives, inst_entry, stop, event, etype, dormancy):
    """Stop, event and end type with the de facto end when it comes first.

    Signs of life: the unit's entry, its activities, and the entry into force of each later
    instrument of a relationship (signing a renewal is itself a sign of life).
    """
    acts = signs_of_life(study)
    a_ag = pd.Index(ag["agreement_id"].astype(object)).get_indexer(
        acts["agreement_id"].astype(object))
    a_day, a_nat = to_days(acts["date"])
    keep = (a_ag >= 0) & ~a_nat
    unit = np.concatenate([lives.inst_unit[a_ag[keep]], lives.inst_unit])
    day = np.concatenate([a_day[keep], inst_entry])
    u_hit, d = dormant_end(unit, day, lives.entry, stop, dormancy)
    stop, event, etype = stop.copy(), event.copy(), etype.copy()
    stop[u_hit] = d
    event[u_hit] = 1
    etype[u_hit] = END_TYPES.index("dormant")
    return stop, event, etype


def _rows_of(ids: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """The position in ``ids`` (unique) of each of ``refs``; -1 when absent.

    Parties and activities are usually listed agreement by agreement in the agreements'
    order: that case is recognised by comparing neighbours, without hashing every id.
    """
    if len(refs) and len(ids):
        new = group_starts(refs)
        starts = np.flatnonzero(new)
        if len(starts) == len(ids) and bool((refs[starts] == ids).all()):
            return np.repeat(np.arange(len(ids)), np.diff(np.append(starts, len(refs))))
    return pd.Index(ids, dtype=object).get_indexer(refs)


def _pairs(study, ag, inst_unit, party_j, n_j) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (unit, party jurisdiction) pairs, sorted by unit then jurisdiction."""
    p = study.view("parties")
    p_ag = _rows_of(ag["agreement_id"].to_numpy(dtype=object),
                    p["agreement_id"].to_numpy(dtype=object))
    ok = (p_ag >= 0) & (party_j >= 0)
    pu = inst_unit[p_ag[ok]]
    pj = party_j[ok].astype(np.int64)
    pair = np.sort(pu * n_j + pj) if n_j else pu[:0]
    pair = pair[group_starts(pair)]  # np.unique, without its hashing (slow for int64)
    return pair // max(n_j, 1), pair % max(n_j, 1)
