"""Unit-period panels: each instrument or relationship by calendar year, quarter or month.

The panel is built on the same rules as the episodes, so the two agree by construction: the
units, their entry and their at-risk time come from :func:`continuity.audit_episodes`, the leader
changes from :func:`continuity.compute_transitions`, each party's record and terms from
``study.leadership_terms()``, and the activities counted are those of the effectiveness metrics.
Everything is vectorised over all rows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity._options import (
    DEFAULTS,
    Event,
    Freq,
    LeaderRule,
    Leaders,
    Level,
    check_days,
    check_literal,
)
from continuity.episodes import audit_episodes
from continuity.errors import ContinuityTypeError, OptionError
from continuity.leadership import compute_transitions
from continuity.metrics._views import counted_activities, observed_agreements
from continuity.schema import CARETAKER_KINDS

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["ACTIVITY_PREFIX", "build_panel"]

#: The prefix of the activity counts by kind (``n_activities_visit_in``, ...).
ACTIVITY_PREFIX = "n_activities_"

_WHERE = "panel"
_OPEN = np.int64(1) << 40  # a day number after any date: "no end"
_SHIFT = np.int64(1) << 42  # jurisdiction code * _SHIFT + day orders (jurisdiction, day) pairs
_NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class _Options:
    freq: str
    level: str
    event: str
    focal: str | None
    leader_rule: str
    leaders: str
    dormancy: int
    max_gap: int


@dataclass(frozen=True)
class _Rows:
    """The unit-period rows: unit, period ordinal and observed days ``[a, b)`` of each."""

    unit: np.ndarray
    ordinal: np.ndarray       # the pandas Period ordinal of the row's period
    period_start: np.ndarray  # day numbers of the calendar period, [start, stop)
    period_stop: np.ndarray
    a: np.ndarray             # first observed day of the unit in the period
    b: np.ndarray             # the day after the last observed day


# ------------------------------------------------------------------------------------ public


def build_panel(
    study: Study,
    *,
    freq: Freq = "year",
    level: Level = "instrument",
    event: Event = "formal",
    focal: str | None = None,
    leader_rule: LeaderRule = "first",
    leaders: Leaders = "wide",
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
) -> pd.DataFrame:
    """One row per unit and calendar period in which the unit is at risk.

    Parameters
    ----------
    study : Study
    freq : {"year", "quarter", "month"}, default "year"
        The calendar period of a row.
    level : {"instrument", "relationship"}, default "instrument"
        The unit, as in :func:`continuity.split_episodes` (a relationship spell chains its
        instruments; ``max_gap`` as there).
    event : {"formal", "dormant"}, default "formal"
        What ends a unit's rows, as in :func:`continuity.split_episodes`.
    focal : str, optional
        A jurisdiction: adds the ``own_`` and ``partner_`` columns.
    leader_rule : {"first", "last", "longest"}, default "first"
        Which holder ``leader_i`` and ``own_leader`` name when the office changed hands in a
        period: the holder on the row's first observed day, on its last, or the holder with the
        most days in office in it (ties: the earlier). The choices of peacesciencer's leader-year
        tables.
    leaders : {"wide", "none"}, default "wide"
        ``"none"`` leaves out the per-party slot columns (``jurisdiction_i``, ...).
    dormancy : int, default 730
        Days without a sign of life after which a unit is dormant (``dormant``, and the end with
        ``event="dormant"``).
    max_gap : int, default 365
        Days a relationship may wait for a successor instrument (relationship level).

    Returns
    -------
    pandas.DataFrame
        Units in the order of :func:`continuity.audit_episodes`, periods in calendar order:

        ``agreement_id`` (instrument level) or ``relationship_id, spell``
            the unit.
        ``period``
            the calendar period (pandas ``Period``).
        ``period_start, period_stop``
            its first day and the first day of the next period (``[start, stop)``,
            ``datetime64[ns]``).
        ``periods_since_entry``
            0 in the period the unit enters, 1 in the next, ... (int64): the duration clock of
            a discrete-time hazard.
        ``exposure_days``
            days of the period in which the unit was at risk, ``[entry, stop)`` as in the
            episodes (int64, 1 or more: a period with no day at risk has no row).
        ``ended``
            the unit's at-risk time ends in this period by ``event`` (bool; False when censored).
        ``formally_alive``
            no formal end (``ended`` or ``expires``, or the relationship's end for want of a
            successor) by the end of the row's observed time (bool).
        ``dormant``
            formally alive but dormant by then, by the de facto end of ``event="dormant"``
            (boolean; NA when the study has no activities).
        ``n_activities``
            activities dated in the period that count as signs of life (Int64): of the unit's
            instruments, not a statement, on or after the instrument's entry, before its formal
            end and on or before ``as_of`` (the rule of the effectiveness metrics), and inside
            the unit's at-risk time (an activity dated ``as_of``, the censoring day, counts in
            the last period).
        ``n_activities_<kind>``
            the same by ``kind`` of activity, one column per kind in the study (Int64).
        ``changes``
            leader changes at any party in the row's observed days, after entry (Int64; NA when
            some party's record does not cover those days).
        ``caretaker``
            a caretaker or acting holder held some party's office in them (boolean; NA as
            ``changes``).
        ``periods_since_change``
            the event-study clock: periods from the nearest leader change at any party
            (0 in its period, 1 the next, -1 the period before; a period between two changes
            takes the nearer, the earlier on a tie). NA when the unit has no change in its
            rows, or when a period whose changes are unknown lies closer than the nearest known
            change (Int64).
        ``periods_to_change``
            periods until the next change (0 in its period); NA after the last one, or when an
            unknown period comes first (Int64).
        ``own_leader, own_changes, own_caretaker, own_periods_since_change,``
        ``own_periods_to_change``
            with ``focal``: the same for the focal jurisdiction (NA when it is not a party).
        ``partner_changes, partner_caretaker, partner_periods_since_change,``
        ``partner_periods_to_change``
            with ``focal``: the same for its partners together.
        ``jurisdiction_i, leader_i, changes_i, caretaker_i, periods_since_change_i,``
        ``periods_to_change_i``
            with ``leaders="wide"``, for i = 1 .. k: each party (ordered by name) and its
            columns; ``leader_i`` is the holder under ``leader_rule`` (NA in a vacancy).

        Every per-party column is NA, never 0 or False, where the party's record (from the
        start of its first leadership row to the end of its last) does not cover the row's
        observed days, or the party has no terms.

    Raises
    ------
    OptionError
        An argument is not one of its allowed values.
    ContinuityTypeError
        ``study`` is not a :class:`continuity.Study`.

    See Also
    --------
    continuity.event_study, continuity.discrete_hazard : estimators on the panel.

    Notes
    -----
    A unit is at risk over ``[entry, stop)`` as :func:`continuity.audit_episodes` dates it; the
    panel cuts that time at calendar period boundaries, so that ``exposure_days`` of a unit sum
    to its person-time in the episodes, and ``changes`` to the episodes' ``changes`` at its end.
    A leader change is a transition of :func:`continuity.compute_transitions` with
    ``leader_change``, dated on the day the new holder takes office, and counted when it falls
    strictly after the unit's entry (a change on the entry day is the entry's leader, as in the
    episodes). Periods after ``as_of`` never appear.

    Examples
    --------
    >>> import continuity as ct
    >>> study = ct.datasets.load_solo()
    >>> panel = study.panel(freq="year", level="relationship", focal="Surakarta")
    >>> xian = panel[panel["relationship_id"] == "REL-SOLO-XIAN"]
    >>> cols = ["period", "exposure_days", "n_activities", "own_changes",
    ...         "periods_since_change", "leader_2"]
    >>> print(xian[cols].head(5).to_string(index=False))
    period  exposure_days  n_activities  own_changes  periods_since_change      leader_2
      2015             98             1            1                     0   Wei Minzhou
      2016            366             1            1                     0   Wei Minzhou
      2017            365             0            0                     1 Wang Yongkang
      2018            365             1            0                    -1 Wang Yongkang
      2019            365             0            0                     0 Wang Yongkang
    """
    opts = _check_options(study, freq, level, event, focal, leader_rule, leaders, dormancy,
                          max_gap)
    units = _units(study, opts)
    rows = _unit_periods(units, opts.freq)
    out = _frame_head(units, rows, opts, study)
    out = out.join(_activity_counts(study, units, rows, opts))
    parties = _party_columns(study, units, rows, opts)
    return pd.concat([out, parties], axis=1)


# ----------------------------------------------------------------------------------- options


def _check_options(study, freq, level, event, focal, leader_rule, leaders, dormancy,
                   max_gap) -> _Options:
    from continuity.study import Study

    if not isinstance(study, Study):
        raise ContinuityTypeError(f"{_WHERE}: study must be a continuity.Study, not "
                                  f"{type(study).__name__}")
    check_literal(freq, Freq, "freq", _WHERE, "; a panel has one row per unit and calendar "
                  "year, quarter or month")
    check_literal(level, Level, "level", _WHERE)
    check_literal(event, Event, "event", _WHERE)
    check_literal(leader_rule, LeaderRule, "leader_rule", _WHERE)
    check_literal(leaders, Leaders, "leaders", _WHERE)
    dormancy = check_days(dormancy, "dormancy", _WHERE, minimum=1)
    max_gap = check_days(max_gap, "max_gap", _WHERE)
    if event == "dormant" and study.activities is None:
        raise OptionError(f"{_WHERE}: event='dormant' needs dated activities, and the study has "
                          "none; pass activities= to Study, or use event='formal'")
    if focal is not None:
        known = study.parties["jurisdiction"]
        if not isinstance(focal, str) or not known.eq(focal).any():
            some = ", ".join(map(repr, sorted(known.unique())[:6]))
            raise OptionError(f"{_WHERE}: focal {focal!r} is not a party to any agreement "
                              f"(parties include {some}); give one jurisdiction as it is "
                              "written in parties")
    return _Options(freq, level, event, focal, leader_rule, leaders, dormancy, max_gap)


# ------------------------------------------------------------------------------------- units


def _day_numbers(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _to_ns(days: np.ndarray) -> np.ndarray:
    return (days.astype(np.int64) * _NS_PER_DAY).view("datetime64[ns]")


@dataclass(frozen=True)
class _UnitTable:
    ids: pd.DataFrame         # the id columns of the included units
    relationship: np.ndarray  # relationship level: relationship_id of each unit (object)
    entry: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    formal_end: np.ndarray    # day of the formal end, _OPEN when formally alive at as_of
    dormant_day: np.ndarray   # day the unit became dormant, _OPEN if never; None: no activities
    as_of: int


def _units(study: Study, opts: _Options) -> _UnitTable:
    """The included units of the episodes, with their at-risk time, formal and de facto ends."""
    common = dict(level=opts.level, dormancy=opts.dormancy, max_gap=opts.max_gap,
                  leaders="none")
    main = audit_episodes(study, event=opts.event, **common)
    keep = (main["status"] == "included").to_numpy()
    formal = main if opts.event == "formal" else audit_episodes(study, event="formal", **common)
    f_event = formal["event"].to_numpy()[keep].astype(bool)
    formal_end = np.where(f_event, _day_numbers(formal["stop"])[keep], _OPEN)
    dormant_day = None
    if study.activities is not None:
        dorm = main if opts.event == "dormant" else audit_episodes(study, event="dormant",
                                                                   **common)
        is_d = (dorm["end_type"] == "dormant").to_numpy()[keep]
        dormant_day = np.where(is_d, _day_numbers(dorm["stop"])[keep], _OPEN)
    id_cols = ["agreement_id"] if opts.level == "instrument" else ["relationship_id", "spell"]
    ids = main.loc[keep, id_cols].reset_index(drop=True)
    return _UnitTable(
        ids=ids, relationship=ids[id_cols[0]].astype(object).to_numpy(),
        entry=_day_numbers(main["entry"])[keep], stop=_day_numbers(main["stop"])[keep],
        event=main["event"].to_numpy()[keep].astype(bool), formal_end=formal_end,
        dormant_day=dormant_day,
        as_of=int(np.datetime64(study.as_of, "D").astype(np.int64)),
    )


# ----------------------------------------------------------------------------------- periods


def _period_ordinal(days: np.ndarray, freq: str) -> np.ndarray:
    """The pandas Period ordinal of each day (years, quarters or months since 1970)."""
    if freq == "year":
        return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.floor_divide(months, 3) if freq == "quarter" else months


def _period_first_day(ordinal: np.ndarray, freq: str) -> np.ndarray:
    if freq == "year":
        return ordinal.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    months = ordinal * 3 if freq == "quarter" else ordinal
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _unit_periods(units: _UnitTable, freq: str) -> _Rows:
    """Every (unit, period) pair with a day at risk: the rows of the panel."""
    first = _period_ordinal(units.entry, freq)
    last = _period_ordinal(units.stop - 1, freq)
    n = last - first + 1
    unit = np.repeat(np.arange(len(first), dtype=np.int64), n)
    offsets = np.cumsum(n) - n
    ordinal = np.repeat(first - offsets, n) + np.arange(int(n.sum()), dtype=np.int64)
    p_start = _period_first_day(ordinal, freq)
    p_stop = _period_first_day(ordinal + 1, freq)
    a = np.maximum(p_start, units.entry[unit])
    b = np.minimum(p_stop, units.stop[unit])
    return _Rows(unit, ordinal, p_start, p_stop, a, b)


_PERIOD_CODE = {"year": "Y", "quarter": "Q", "month": "M"}


def _frame_head(units: _UnitTable, rows: _Rows, opts: _Options, study: Study) -> pd.DataFrame:
    """The unit, period and at-risk columns."""
    out = units.ids.iloc[rows.unit].reset_index(drop=True)
    out["period"] = pd.arrays.PeriodArray(rows.ordinal,
                                          dtype=pd.PeriodDtype(_PERIOD_CODE[opts.freq]))
    out["period_start"] = _to_ns(rows.period_start)
    out["period_stop"] = _to_ns(rows.period_stop)
    entry_ord = _period_ordinal(units.entry, opts.freq)
    out["periods_since_entry"] = rows.ordinal - entry_ord[rows.unit]
    out["exposure_days"] = rows.b - rows.a
    is_last = rows.b == units.stop[rows.unit]
    out["ended"] = is_last & units.event[rows.unit]
    alive = ~(units.formal_end[rows.unit] <= rows.b)
    out["formally_alive"] = alive
    if units.dormant_day is None:
        n = len(rows.unit)
        out["dormant"] = _bool_na(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    else:
        out["dormant"] = alive & (units.dormant_day[rows.unit] <= rows.b)
    return out


# -------------------------------------------------------------------------------- activities


def _activity_counts(study: Study, units: _UnitTable, rows: _Rows,
                     opts: _Options) -> pd.DataFrame:
    """``n_activities`` and ``n_activities_<kind>`` of every row."""
    n_rows = len(rows.unit)
    if study.activities is None:
        return pd.DataFrame({"n_activities": _int_na(np.zeros(n_rows, dtype=np.int64),
                                                     np.ones(n_rows, dtype=bool))})
    agreements = observed_agreements(study)
    acts = counted_activities(study, agreements)
    unit = _instrument_units(units, opts, agreements)[acts["i"].to_numpy()]
    day = _day_numbers(acts["date"])
    ok = unit >= 0
    u, day = unit[ok], day[ok]
    # inside the unit's at-risk time; the day as_of (the censoring day) counts in the last period
    inside = (day >= units.entry[u]) & (
        (day < units.stop[u]) | ((day == units.stop[u]) & (day == units.as_of)))
    ok[ok] = inside
    u, day = u[inside], day[inside]
    row_first = np.searchsorted(rows.unit, u, side="left")
    ordinal = _period_ordinal(np.minimum(day, units.stop[u] - 1), opts.freq)
    row = row_first + ordinal - _period_ordinal(units.entry[u], opts.freq)
    out = {"n_activities": np.bincount(row, minlength=n_rows)}
    kind = acts["kind"].to_numpy(dtype=object)[ok]
    for k in sorted({k for k in kind if isinstance(k, str)}):
        out[ACTIVITY_PREFIX + k] = np.bincount(row[kind == k], minlength=n_rows)
    every = np.ones(n_rows, dtype=bool)
    return pd.DataFrame({k: _int_na(v, every) for k, v in out.items()})


# ----------------------------------------------------------------------------------- parties


def _ranges(lo: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value): for each i, the values ``lo[i] .. lo[i] + n[i] - 1`` tagged ``i``."""
    n = np.maximum(n, 0)
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), n)
    offsets = np.cumsum(n) - n
    value = np.repeat(lo - offsets, n) + np.arange(int(n.sum()), dtype=np.int64)
    return owner, value


def _instrument_units(units: _UnitTable, opts: _Options, agreements: pd.DataFrame) -> np.ndarray:
    """The unit of each observed instrument; -1 when it is in no included unit."""
    if not len(units.entry):
        return np.full(len(agreements), -1, dtype=np.int64)
    if opts.level == "instrument":
        return pd.Index(units.ids["agreement_id"].astype(object)).get_indexer(
            agreements["agreement_id"].astype(object))
    # a relationship's spells start at the entry of an instrument: an instrument belongs to the
    # latest spell of its relationship entered on or before its own entry (none after as_of)
    rcode, rlabels = pd.factorize(units.relationship)
    i_rel = pd.Index(rlabels, dtype=object).get_indexer(
        agreements["relationship_id"].astype(object))
    order = np.lexsort((units.entry, rcode))
    key = rcode[order].astype(np.int64) * _SHIFT + units.entry[order]
    i_entry = _day_numbers(agreements["effective"].where(agreements["effective"].notna(),
                                                         agreements["signed"]))
    pos = np.searchsorted(key, i_rel.astype(np.int64) * _SHIFT + i_entry, side="right") - 1
    ok = (i_rel >= 0) & (pos >= 0) & (i_entry <= units.as_of)
    ok[ok] = rcode[order][pos[ok]] == i_rel[ok]
    return np.where(ok, order[np.maximum(pos, 0)], -1)


@dataclass(frozen=True)
class _Leadership:
    """Each jurisdiction's record, terms and leader changes, as sorted day keys."""

    jurisdictions: pd.Index
    rec_lo: np.ndarray   # per jurisdiction: first day of its record (_OPEN: no terms)
    rec_hi: np.ndarray   # the day after its last (_OPEN: open; -_OPEN: no terms)
    t_start: np.ndarray  # non-vacancy terms sorted by (jurisdiction, start), as keys
    t_end: np.ndarray
    t_holder: np.ndarray  # holder code
    holders: pd.Index
    c_key: np.ndarray    # leader changes, as keys
    k_start: np.ndarray  # caretaker terms' starts and ends, as keys
    k_end: np.ndarray


def _leadership(study: Study, jurisdictions: pd.Index) -> _Leadership:
    lead = study.leadership_terms()
    j = jurisdictions.get_indexer(lead["jurisdiction"].astype(object)).astype(np.int64)
    mine = j >= 0
    lead, j = lead[mine], j[mine]
    start = _day_numbers(lead["start"])
    end_nat = lead["end"].isna().to_numpy()
    end = np.where(end_nat, _OPEN, _day_numbers(lead["end"].fillna(lead["start"])))
    rec_lo = np.full(len(jurisdictions), _OPEN, dtype=np.int64)
    rec_hi = np.full(len(jurisdictions), -_OPEN, dtype=np.int64)
    np.minimum.at(rec_lo, j, start)
    np.maximum.at(rec_hi, j, end)
    term = ~lead["kind"].astype(object).eq("vacancy").to_numpy()
    o = np.lexsort((end[term], start[term], j[term]))
    tj, ts, te = j[term][o], start[term][o], end[term][o]
    holder_code, holders = pd.factorize(lead["holder"].astype(object).to_numpy()[term][o])
    caretaker = lead["kind"].astype(object).isin(CARETAKER_KINDS).to_numpy()[term][o]
    tr = compute_transitions(study)
    tr = tr[tr["leader_change"].to_numpy()]
    cj = jurisdictions.get_indexer(tr["jurisdiction"].astype(object)).astype(np.int64)
    c_key = np.sort(cj[cj >= 0] * _SHIFT + _day_numbers(tr["date"])[cj >= 0])
    t_start, t_end = tj * _SHIFT + ts, tj * _SHIFT + te
    return _Leadership(jurisdictions, rec_lo, rec_hi, t_start, t_end,
                       holder_code.astype(np.int64), pd.Index(holders, dtype=object), c_key,
                       t_start[caretaker], t_end[caretaker])


@dataclass(frozen=True)
class _Pairs:
    """(unit, party) pairs, sorted by unit then jurisdiction name; ``slot`` counts from 0."""

    unit: np.ndarray
    j: np.ndarray
    slot: np.ndarray
    jurisdictions: pd.Index


def _pairs(study: Study, units: _UnitTable, opts: _Options) -> _Pairs:
    agreements = observed_agreements(study)
    inst_unit = _instrument_units(units, opts, agreements)
    parties = study.parties
    p_inst = pd.Index(agreements["agreement_id"].astype(object)).get_indexer(
        parties["agreement_id"].astype(object))
    j, names = pd.factorize(parties["jurisdiction"].astype(object), sort=True)
    ok = p_inst >= 0
    unit = inst_unit[p_inst[ok]]
    keep = unit >= 0
    code = np.sort(unit[keep].astype(np.int64) * len(names) + j[ok][keep])
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code  # unique, no hash
    pu, pj = code // max(len(names), 1), code % max(len(names), 1)
    first = np.searchsorted(pu, pu, side="left")
    return _Pairs(pu, pj, np.arange(len(pu)) - first, pd.Index(names, dtype=object))


def _party_periods(rows: _Rows, units: _UnitTable, pairs: _Pairs, lead: _Leadership,
                   leader_rule: str) -> dict[str, np.ndarray]:
    """Per (row, party): record coverage, leader, changes and caretaker."""
    n_pairs_of = np.bincount(pairs.unit, minlength=len(units.entry))
    first_pair = np.cumsum(n_pairs_of) - n_pairs_of
    row, pair = _ranges(first_pair[rows.unit], n_pairs_of[rows.unit])
    j = pairs.j[pair]
    a, b = rows.a[row], rows.b[row]
    base = j * _SHIFT
    known = (lead.rec_lo[j] <= a) & (b <= lead.rec_hi[j])
    after_entry = np.maximum(a, units.entry[rows.unit[row]] + 1)
    qa, qb = base + a, base + b
    changes = (np.searchsorted(lead.c_key, qb, side="left")
               - np.searchsorted(lead.c_key, base + np.minimum(after_entry, b), side="left"))
    # caretaker terms overlapping [a, b): those started before b less those ended by a
    caretaker = (np.searchsorted(lead.k_start, qb, side="left")
                 - np.searchsorted(lead.k_end, qa, side="right")) > 0
    leader = _leader(lead, base, a, b, leader_rule)
    return {"row": row, "pair": pair, "known": known, "changes": changes,
            "caretaker": caretaker, "leader": leader}


def _leader(lead: _Leadership, base, a, b, rule: str) -> np.ndarray:
    """The holder code under ``rule`` for each (row, party); -1 when none held office."""
    out = np.full(len(a), -1, dtype=np.int64)
    if not len(lead.t_start):
        return out
    if rule in ("first", "last"):
        day = base + (a if rule == "first" else b - 1)
        t = np.searchsorted(lead.t_start, day, side="right") - 1
        cover = (t >= 0) & (lead.t_end[np.maximum(t, 0)] > day)
        out[cover] = lead.t_holder[t[cover]]
        return out
    lo = np.searchsorted(lead.t_end, base + a, side="right")
    hi = np.searchsorted(lead.t_start, base + b, side="left")
    owner, term = _ranges(lo, hi - lo)
    if not len(owner):
        return out
    days = (np.minimum(lead.t_end[term], base[owner] + b[owner])
            - np.maximum(lead.t_start[term], base[owner] + a[owner]))
    holder = lead.t_holder[term]
    o = np.lexsort((holder, owner))  # the days of one holder's terms in the period add up
    key = owner[o] * (len(lead.holders) + 1) + holder[o]
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(new)
    total = np.add.reduceat(days[o], starts)
    first_term = np.minimum.reduceat(term[o], starts)
    g_owner, g_holder = owner[o][new], holder[o][new]
    # the most days; ties: the holder who took office first in the period
    best = np.lexsort((first_term, -total, g_owner))
    take = np.ones(len(best), dtype=bool)
    take[1:] = g_owner[best][1:] != g_owner[best][:-1]
    out[g_owner[best][take]] = g_holder[best][take]
    return out


# -------------------------------------------------------------------------------------- clock

_FAR = np.int64(1) << 40


def _clock(group: np.ndarray, changes: np.ndarray, known: np.ndarray):
    """``periods_since_change`` and ``periods_to_change`` of consecutive periods of each group.

    ``group`` is sorted and each group's rows are consecutive periods. Returns two Int64 arrays.
    """
    n = len(group)
    pos = np.arange(n, dtype=np.int64)
    first = np.searchsorted(group, group, side="left")
    last = np.searchsorted(group, group, side="right") - 1
    hit = known & (changes > 0)

    def back(mask):  # distance to the nearest marked row at or before, within the group
        at = np.maximum.accumulate(np.where(mask, pos, -1)) if n else pos
        return np.where(at >= first, pos - at, _FAR)

    def ahead(mask):
        at = np.minimum.accumulate(np.where(mask, pos, n)[::-1])[::-1] if n else pos
        return np.where(at <= last, at - pos, _FAR)

    dp, up, dn, un = back(hit), back(~known), ahead(hit), ahead(~known)
    prev = dp <= dn
    since = np.where(prev, dp, -dn)
    sure = np.where(prev, (dp < up) & (dp <= un), (dn < un) & (dn < up))
    sure &= np.minimum(dp, dn) < _FAR
    to_sure = (dn < un) & (dn < _FAR)
    return _int_na(np.where(sure, since, 0), sure), _int_na(np.where(to_sure, dn, 0), to_sure)


def _int_na(values: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), ~known.astype(bool))


def _bool_na(values: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(values.astype(bool), ~known.astype(bool))


def _summed(row: np.ndarray, take: np.ndarray, pp: dict, n_rows: int):
    """Changes and caretaker of the parties ``take`` of each row, summed (Kleene for 'any')."""
    r = row[take]
    chg = np.bincount(r, weights=pp["changes"][take], minlength=n_rows)
    unknown = np.bincount(r, weights=~pp["known"][take], minlength=n_rows) > 0
    present = np.bincount(r, minlength=n_rows) > 0
    care = np.bincount(r, weights=pp["caretaker"][take] & pp["known"][take],
                       minlength=n_rows) > 0
    known = present & ~unknown
    return chg, known, care, (present & ~unknown) | care


def _party_columns(study: Study, units: _UnitTable, rows: _Rows,
                   opts: _Options) -> pd.DataFrame:
    """The all-party, own/partner and per-slot leadership columns of every row."""
    pairs = _pairs(study, units, opts)
    lead = _leadership(study, pairs.jurisdictions)
    pp = _party_periods(rows, units, pairs, lead, opts.leader_rule)
    n_rows = len(rows.unit)
    row, pair = pp["row"], pp["pair"]
    cols: dict[str, object] = {}
    chg, known, care, care_known = _summed(row, np.ones(len(row), dtype=bool), pp, n_rows)
    cols["changes"] = _int_na(chg, known)
    cols["caretaker"] = _bool_na(care, care_known)
    cols["periods_since_change"], cols["periods_to_change"] = _clock(rows.unit, chg, known)
    if opts.focal is not None:
        fj = pairs.jurisdictions.get_loc(opts.focal)
        own = pairs.j[pair] == fj
        cols.update(_own_columns(row, own, pp, lead, rows, n_rows))
        chg, known, care, care_known = _summed(row, ~own, pp, n_rows)
        cols["partner_changes"] = _int_na(chg, known)
        cols["partner_caretaker"] = _bool_na(care, care_known)
        (cols["partner_periods_since_change"],
         cols["partner_periods_to_change"]) = _clock(rows.unit, chg, known)
    if opts.leaders == "wide":
        cols.update(_slot_columns(pairs, pp, lead, rows, n_rows))
    return pd.DataFrame(cols)


def _holder_column(codes: np.ndarray, lead: _Leadership) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=lead.holders) if len(lead.holders) \
        else pd.Categorical([None] * len(codes))


def _one_party(take: np.ndarray, pp: dict, rows: _Rows, lead: _Leadership) -> dict:
    """The columns of one party per row (``take`` selects its (row, party) pairs); NA where
    the row's unit does not have that party or its record does not cover the row."""
    n_rows = len(rows.unit)
    r = pp["row"][take]
    known = np.zeros(n_rows, dtype=bool)
    known[r] = pp["known"][take]
    leader = np.full(n_rows, -1, dtype=np.int64)
    leader[r] = np.where(pp["known"][take], pp["leader"][take], -1)
    chg = np.zeros(n_rows, dtype=np.int64)
    chg[r] = pp["changes"][take]
    care = np.zeros(n_rows, dtype=bool)
    care[r] = pp["caretaker"][take]
    since, to = _clock(rows.unit, chg, known)
    return {"leader": _holder_column(leader, lead), "changes": _int_na(chg, known),
            "caretaker": _bool_na(care, known), "periods_since_change": since,
            "periods_to_change": to}


def _own_columns(row, own, pp, lead, rows, n_rows) -> dict:
    """The focal party's columns; NA on rows of units it is not a party to."""
    return {f"own_{k}": v for k, v in _one_party(own, pp, rows, lead).items()}


def _slot_columns(pairs: _Pairs, pp, lead, rows, n_rows) -> dict:
    """``jurisdiction_i, leader_i, changes_i, caretaker_i`` and the clock of each party slot."""
    cols: dict[str, object] = {}
    slot = pairs.slot[pp["pair"]]
    n_slots = int(pairs.slot.max()) + 1 if len(pairs.slot) else 0
    for s in range(n_slots):
        take = slot == s
        jcode = np.full(n_rows, -1, dtype=np.int64)
        jcode[pp["row"][take]] = pairs.j[pp["pair"][take]]
        cols[f"jurisdiction_{s + 1}"] = pd.Categorical.from_codes(
            jcode, categories=pairs.jurisdictions)
        cols.update({f"{k}_{s + 1}": v for k, v in _one_party(take, pp, rows, lead).items()})
    return cols
