"""Dormancy: the de facto end of an instrument, and paper partnerships.

Indonesian regional cooperation does not end in law when the leadership changes (PP 28/2018,
art. 9(2)); discontinuity shows up as silence. These metrics measure that silence from the
activities table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import lifetimes
from continuity._options import (
    DEFAULTS,
    Level,
    check_conf_level,
    check_days,
    check_literal,
    check_thresholds,
)
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["dormancy", "dormancy_shares"]

#: The unit columns of each level, then the columns every row has.
UNIT_COLUMNS = {
    "instrument": ["agreement_id", "relationship_id", "instrument"],
    "relationship": ["relationship_id", "spell", "n_instruments"],
}
MEASURE_COLUMNS = [
    "signed", "entry", "formal_end", "formally_alive", "reference_date", "n_activities",
    "last_activity", "last_sign_of_life", "days_inactive", "threshold", "dormant",
    "dormant_since", "activated", "paper_partnership",
]
DORMANCY_COLUMNS = UNIT_COLUMNS["instrument"] + MEASURE_COLUMNS

SHARE_MEASURES = ("dormant", "paper_partnership")

#: How dormancy_shares groups: per party jurisdiction, or per administration at signing.
ShareBy = Literal["jurisdiction", "administration"]


def dormancy(study: Study, *, thresholds=DEFAULTS.thresholds, level: str = "instrument",
             max_gap: int = DEFAULTS.max_gap) -> pd.DataFrame:
    """Last sign of life, time since it, and dormancy of every unit, at each threshold.

    Parameters
    ----------
    study : Study
    thresholds : int or sequence of int, default (365, 730, 1095)
        Numbers of days without a sign of life after which a unit counts as dormant (12, 24
        and 36 months; the design's default de facto end is 730 days).
    level : {"instrument", "relationship"}, default "instrument"
        The unit: each instrument, or each relationship spell (the instruments of one
        ``relationship_id`` chained as in :func:`continuity.split_episodes`), where
        activity under any of its instruments, and the entry into force of each later one,
        is a sign of life of the relationship.
    max_gap : int, default 365
        With ``level="relationship"``: the longest gap, in days, between the end of one
        instrument and the entry of the next for the relationship to go on (as in
        :func:`continuity.split_episodes`).

    Returns
    -------
    pandas.DataFrame
        One row per unit in force by ``study.as_of`` (its ``entry`` on or before it) and
        per threshold (ascending): instruments in the order of ``study.agreements``, or
        relationship spells in the order of :func:`continuity.audit_episodes`.
        Instruments signed after ``as_of`` are not yet observed and have no row (nor are they
        part of any spell); nor have instruments signed by then whose entry into force
        (``effective``) is after it: their life has not begun. Columns:

        ``agreement_id, relationship_id, instrument``
            with ``level="instrument"``: the instrument (``instrument`` NA when the study
            does not record it).
        ``relationship_id, spell, n_instruments``
            with ``level="relationship"``: the relationship spell and its number of
            instruments (int).
        ``signed``
            date of signing (of the spell's first instrument).
        ``entry``
            the start of its life: ``effective`` when given, else ``signed`` (as in
            :func:`continuity.split_episodes`; a spell's earliest entry).
        ``formal_end``
            the formal end on or before ``as_of``: an instrument's ``ended``, else
            ``expires``; a spell's formal end in :func:`continuity.audit_episodes`
            (``event == 1``, ``stop``). NaT when the unit is formally alive at ``as_of``
            (a spell whose last instrument expired less than ``max_gap`` days before
            ``as_of`` is still alive: a successor may come).
        ``formally_alive``
            ``formal_end`` is NaT (bool).
        ``reference_date``
            the date dormancy is measured at: ``formal_end`` if any, else ``as_of``.
        ``n_activities``
            activities counted: dated on or after ``entry``, on or before ``as_of`` and before
            ``formal_end``, of a kind that is a sign of life (int).
        ``last_activity``
            the latest of them (NaT when none).
        ``last_sign_of_life``
            ``max(entry, last_activity)``, and at the relationship level also the latest
            entry into force of one of its instruments on or before ``reference_date``.
        ``days_inactive``
            days from ``last_sign_of_life`` to ``reference_date`` (int, days).
        ``threshold``
            the threshold of this row (int, days).
        ``dormant``
            formally alive at ``as_of`` and ``days_inactive >= threshold``: no sign of life
            in the ``threshold`` days up to ``as_of`` (bool). A unit that ended formally is
            ended, not dormant: False (its ``days_inactive`` still says how quiet it was when
            it ended).
        ``dormant_since``
            the day the current dormant spell began, ``last_sign_of_life + threshold``; NaT
            when not dormant. The de facto end of
            ``split_episodes(event="dormant", dormancy=threshold)`` is the *first* dormant
            day, earlier than this when the unit went quiet and later revived.
        ``activated``
            an activity was dated in ``(entry, entry + threshold)``: after the day of entry
            and within ``threshold`` days of it (nullable bool; NA when fewer than
            ``threshold`` days were observed up to ``reference_date`` and there was no
            activity yet). Neither an activity on the day of entry nor, at the relationship
            level, the signing of a later instrument activates: see Notes.
        ``paper_partnership``
            formally alive at ``as_of`` and not activated (nullable bool:
            ``formally_alive & ~activated``; False when formally ended; NA when alive and
            not yet observed for ``threshold`` days without activity).

    Raises
    ------
    OptionError
        ``thresholds`` holds something other than positive whole numbers of days, or repeats
        one; an unknown ``level``; a bad ``max_gap``.

    Notes
    -----
    With :math:`s` the entry, :math:`\\ell` the last sign of life, :math:`r` the reference
    date and :math:`T` the threshold,

    .. math::

        \\text{days\\_inactive} = r - \\ell, \\qquad
        \\text{dormant} = [\\,\\text{alive at as\\_of}\\,] \\wedge
        [\\,\\text{days\\_inactive} \\ge T\\,], \\qquad
        \\text{paper} = [\\,\\text{alive at as\\_of}\\,] \\wedge
        [\\,\\text{no activity in } (s, s + T)\\,].

    Entry into force counts as a sign of life, so a unit never active is dormant ``T`` days
    after it entered. **The day of entry does not activate**: an activity dated on the day of
    entry is, in the records this library was built on, the signing itself (the Solo record
    dates the signing visits of its Montana MoU and its Xi'an LoI on their signing days), so
    it adds nothing to the entry as a sign of life and does not make a unit active. Likewise
    at the relationship level, signing a later instrument is a sign of life (the relationship
    is not dormant) but not an activation: a relationship that only ever produced documents
    is a paper partnership. A paper partnership is a unit that is formally alive but was
    never active within the threshold of its entry: it exists on paper only. One that was
    active and then went quiet is ``dormant`` but not a paper partnership. Statements about
    the relationship (activity kinds in :data:`continuity.schema.PASSIVE_KINDS`, such as a
    report that it has stalled) are not signs of life and are not counted. Activities before
    entry (exploratory visits before signing, listed in ``study.audit``) and from the formal
    end on are not counted.

    Examples
    --------
    >>> import continuity as ct
    >>> solo = ct.datasets.load_solo()
    >>> d = ct.metrics.dormancy(solo, thresholds=730)
    >>> d[["agreement_id", "last_activity", "days_inactive", "paper_partnership"]]
                agreement_id last_activity  days_inactive  paper_partnership
    0  SOLO-MONTANA-MOU-2007    2007-02-19           6931               True
    1     SOLO-XIAN-LOI-2015    2023-05-12           1005              False
    2   SOLO-ZHUHAI-LOI-2015    2021-10-21           1573               True
    3   SOLO-ANDONG-AGR-2007    2023-11-17            816              False

    Montana's only activity is its signing, on the day of entry (later rows are statements
    that it stalled), and Zhuhai's first activity after signing is of 2019: both are paper
    partnerships at 24 months. At the relationship level (here one instrument each) the rows
    are relationship spells:

    >>> r = ct.metrics.dormancy(solo, thresholds=730, level="relationship")
    >>> r[["relationship_id", "spell", "n_instruments", "days_inactive", "dormant"]]
        relationship_id  spell  n_instruments  days_inactive  dormant
    0  REL-SOLO-MONTANA      1              1           6931     True
    1     REL-SOLO-XIAN      1              1           1005     True
    2   REL-SOLO-ZHUHAI      1              1           1573     True
    3   REL-SOLO-ANDONG      1              1            816     True
    """
    where = "dormancy"
    _views.check_study(study, where)
    thresholds = check_thresholds(thresholds, "thresholds", where)
    level = check_literal(level, Level, "level", where)
    max_gap = check_days(max_gap, "max_gap", where)
    return _table(study, thresholds, level, max_gap)[0]


def _table(study: Study, thresholds: tuple[int, ...], level: str, max_gap: int
           ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The dormancy table, and (relationship level) the parties of each spell."""
    if level == "instrument":
        units, signs = _instrument_units(study)
        parties = None
    else:
        units, signs, parties = _views.relationship_signs(study, max_gap)
    return _measure(units, signs, thresholds, study.as_of, UNIT_COLUMNS[level]), parties


def _instrument_units(study: Study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Instruments in force by as_of, and their counted activities (``i, date, activity``)."""
    as_of = study.as_of
    a = _views.observed_agreements(study)
    a = a[(lifetimes.entry(a) <= as_of).to_numpy()].reset_index(drop=True)  # in force by as_of
    units = pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy(),
        "relationship_id": a["relationship_id"].to_numpy(),
        "instrument": a["instrument"].to_numpy(dtype=object),
        "signed": a["signed"].to_numpy(dtype="datetime64[ns]"),
        "entry": lifetimes.entry(a).to_numpy(dtype="datetime64[ns]"),
        "formal_end": lifetimes.formal_end(a, as_of).to_numpy(dtype="datetime64[ns]"),
    })
    acts = _views.counted_activities(study, a)
    signs = pd.DataFrame({"i": acts["i"].to_numpy(dtype=np.int64),
                          "date": acts["date"].to_numpy(dtype="datetime64[ns]"),
                          "activity": True})
    return units, signs


def _measure(units: pd.DataFrame, signs: pd.DataFrame, thresholds: tuple[int, ...],
             as_of: pd.Timestamp, keys: list[str]) -> pd.DataFrame:
    """The dormancy columns of every unit and threshold, from its signs of life."""
    k, m = len(units), len(thresholds)
    entry = units["entry"].to_numpy(dtype="datetime64[ns]")
    end = units["formal_end"].to_numpy(dtype="datetime64[ns]")
    alive = pd.isna(end)
    reference = np.where(alive, np.datetime64(as_of, "ns"), end)
    i = signs["i"].to_numpy(dtype=np.int64)
    date = signs["date"].to_numpy(dtype="datetime64[ns]")
    keep = date <= reference[i]  # a later instrument entering after the formal end: no sign
    i, date, is_act = i[keep], date[keep], signs["activity"].to_numpy(dtype=bool)[keep]
    n_acts = np.bincount(i[is_act], minlength=k)
    last = _max_by(i[is_act], date[is_act], k)
    last_sign = np.fmax(entry, _max_by(i, date, k))
    # the first activity after the day of entry (the day of entry does not activate)
    later = is_act & (date > entry[i])
    first = _min_by(i[later], date[later], k)
    days_inactive = ((reference - last_sign) // np.timedelta64(1, "D")).astype(np.int64)

    rep = np.repeat(np.arange(k), m)
    t = np.tile(np.asarray(thresholds, dtype=np.int64), k)
    span = t * _views.DAY
    dormant = alive[rep] & (days_inactive[rep] >= t)
    in_time = ~pd.isna(first[rep]) & (first[rep] < entry[rep] + span)
    observed = entry[rep] + span <= reference[rep]
    activated = pd.array(in_time, dtype="boolean")
    activated[~in_time & ~observed] = pd.NA
    out = units[keys].iloc[rep].reset_index(drop=True)
    cols = {
        "signed": units["signed"].to_numpy(dtype="datetime64[ns]")[rep],
        "entry": entry[rep],
        "formal_end": end[rep],
        "formally_alive": alive[rep],
        "reference_date": reference[rep],
        "n_activities": n_acts[rep].astype(np.int64),
        "last_activity": last[rep],
        "last_sign_of_life": last_sign[rep],
        "days_inactive": days_inactive[rep],
        "threshold": t,
        "dormant": dormant,
        "dormant_since": np.where(dormant, last_sign[rep] + span, np.datetime64("NaT")),
        "activated": activated,
        "paper_partnership": _paper(alive[rep], activated),
    }
    for name, values in cols.items():
        out[name] = values
    for col in ("signed", "entry", "formal_end", "reference_date", "last_activity",
                "last_sign_of_life", "dormant_since"):
        out[col] = out[col].astype("datetime64[ns]")
    return out[keys + MEASURE_COLUMNS]


def _max_by(i: np.ndarray, date: np.ndarray, k: int) -> np.ndarray:
    """The latest ``date`` of each group ``0 .. k-1`` (NaT where a group has none)."""
    out = np.full(k, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(i):
        o = np.lexsort((date, i))
        lastpos = np.append(i[o][1:] != i[o][:-1], True)
        out[i[o][lastpos]] = date[o][lastpos]
    return out


def _min_by(i: np.ndarray, date: np.ndarray, k: int) -> np.ndarray:
    """The earliest ``date`` of each group ``0 .. k-1`` (NaT where a group has none)."""
    out = np.full(k, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(i):
        o = np.lexsort((date, i))
        firstpos = np.insert(i[o][1:] != i[o][:-1], 0, True)
        out[i[o][firstpos]] = date[o][firstpos]
    return out


def _paper(alive: np.ndarray, activated: pd.api.extensions.ExtensionArray):
    """Formally alive and never activated; NA where that is not yet known."""
    paper = pd.array(alive, dtype="boolean") & ~activated
    paper[~alive] = False
    return paper


def dormancy_shares(
    study: Study,
    *,
    by: str | None = "jurisdiction",
    level: str = "instrument",
    thresholds=DEFAULTS.thresholds,
    max_gap: int = DEFAULTS.max_gap,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Shares of dormant units and of paper partnerships, with Wilson intervals.

    Parameters
    ----------
    study : Study
    by : {"jurisdiction", "administration", None}, default "jurisdiction"
        Group per party jurisdiction (a unit counts once for each of its parties), per
        administration at signing (the leader of each party in office on the day the unit's
        first instrument was signed; see Notes), or not at all.
    level : {"instrument", "relationship"}, default "instrument"
        The unit, as for :func:`dormancy`: each instrument, or each relationship spell
        (activity under any of its instruments counts).
    thresholds : int or sequence of int, default (365, 730, 1095)
        As for :func:`dormancy`.
    max_gap : int, default 365
        As for :func:`dormancy` (``level="relationship"`` only).
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group, threshold and measure. Instruments signed after ``as_of`` are not yet
        observed and are not counted (they have no row in :func:`dormancy`). Columns:

        ``jurisdiction``
            the party (with ``by`` set).
        ``administration, administration_start``
            with ``by="administration"``: ``"<holder> <first year>-<last year>"`` and the day it
            began; NA for a party whose leaders are unknown or whose office was vacant then.
        ``threshold``
            days (int).
        ``measure``
            ``"dormant"`` (among the units formally alive at ``as_of``: one that ended
            formally is ended, not dormant) or ``"paper_partnership"`` (among the units
            formally alive at ``as_of`` whose first ``threshold`` days were observed,
            ``entry + threshold <= as_of``, whether or not they were active in them).
        ``n``
            units in the denominator (int).
        ``n_events``
            of them dormant, or paper partnerships (int).
        ``estimate, conf_low, conf_high``
            the share ``n_events / n`` and its Wilson interval (NaN when ``n`` is 0).

    Raises
    ------
    OptionError
        An unknown ``by`` or ``level``, bad ``thresholds`` or ``max_gap``, or a
        ``conf_level`` outside (0, 1).

    Notes
    -----
    The share is :math:`\\hat p = x/n`; Wilson's interval (Wilson 1927, JASA 22:209-212) is

    .. math::

        \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    with :math:`z` the normal quantile at :math:`(1 + \\text{conf\\_level})/2`, computed by
    :func:`continuity.rates.wilson_interval`. The paper-partnership denominator is fixed by
    the time observed, never by the outcome: a recent unit enters once its first
    ``threshold`` days are behind ``as_of``, active or not (admitting recent units that were
    already active, and not the others, would bias the share down). An administration is
    an unbroken run of one holder in the leadership office (a re-elected leader, or an
    acting leader then elected, stays one administration). Units of one relationship or one
    administration are not independent observations; the intervals assume they are.

    Examples
    --------
    >>> import continuity as ct
    >>> s = ct.metrics.dormancy_shares(ct.datasets.load_solo(), by=None, thresholds=730)
    >>> s[["measure", "n", "n_events", "estimate"]]
                 measure  n  n_events  estimate
    0            dormant  4         4       1.0
    1  paper_partnership  4         2       0.5
    """
    where = "dormancy_shares"
    _views.check_study(study, where)
    if by is not None:
        check_literal(by, ShareBy, "by", where, hint=", or None for no grouping")
    level = check_literal(level, Level, "level", where)
    thresholds = check_thresholds(thresholds, "thresholds", where)
    max_gap = check_days(max_gap, "max_gap", where)
    conf_level = check_conf_level(conf_level, where)
    d, parties = _table(study, thresholds, level, max_gap)
    keys: list[str] = []
    if by is not None:
        on = ["agreement_id"] if level == "instrument" else ["relationship_id", "spell"]
        d = _views.by_party(study, d, date="signed" if by == "administration" else None,
                       parties=parties, on=on)
        keys = ["jurisdiction"] + (_views.ADMIN_COLUMNS if by == "administration" else [])
    alive = d["formally_alive"].to_numpy(dtype=bool)
    seen = (d["entry"] + pd.to_timedelta(d["threshold"], unit="D")
            <= study.as_of).to_numpy(dtype=bool)
    long = pd.concat([
        d.assign(measure="dormant", _in=alive, _yes=alive & d["dormant"].to_numpy(bool)),
        d.assign(measure="paper_partnership", _in=alive & seen,
                 _yes=alive & seen & d["paper_partnership"].fillna(False).to_numpy(bool)),
    ], ignore_index=True)
    g = long.groupby([*keys, "threshold", "measure"], dropna=False, sort=True)
    out = g.agg(n=("_in", "sum"), n_events=("_yes", "sum")).reset_index()
    out["n"] = out["n"].astype("int64")
    out["n_events"] = out["n_events"].astype("int64")
    out = pd.concat([out, _summaries.wilson_table(out["n_events"], out["n"], conf_level)], axis=1)
    return out
