"""Counting-process episodes: the at-risk time of every unit split at every leadership change.

:func:`split_episodes` cuts the at-risk time of every instrument or relationship at each
boundary of its parties' leadership (the counting-process table of R's ``survival::tmerge``),
and :func:`audit_episodes` accounts for every unit, including those that yield no episode.
Their options are described once, in :class:`EpisodeOptions`.

The split is an outline of named phases, each over all units at once with
:func:`numpy.searchsorted`, :func:`numpy.repeat` and :func:`numpy.cumsum` (no Python loop per
unit or per row):

1. :func:`continuity.lifetimes.units_at_risk`: the units and their observed at-risk time;
2. :func:`continuity.leadership.step_function`: each party's leadership as a step function;
3. ``_pairs``: the (unit, party) pairs and where each stands in its party's leadership;
4. ``_boundaries``: every boundary as one packed key, sorted into the episode grid;
5. ``_exposure``: the exposure columns, running counts per unit over its (unit, party) pairs;
6. ``_frame``: the output columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from continuity._days import DateLike
from continuity._options import DEFAULTS, Event, Leaders, Level
from continuity.episodes._boundaries import Grid, grid_of
from continuity.episodes._episode_options import EpisodeOptions
from continuity.episodes._exposure import Exposure, exposure_of
from continuity.episodes._frame import audit_frame, episode_frame, unknown_per_unit
from continuity.episodes._pairs import Pairs, jurisdiction_index, pairs_of
from continuity.leadership import step_function
from continuity.lifetimes import AUDIT_STATUSES, END_TYPES, Units, units_at_risk

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = [
    "AUDIT_STATUSES",
    "END_TYPES",
    "EpisodeOptions",
    "audit_episodes",
    "split_episodes",
]


@dataclass(frozen=True)
class _Split:
    """What the phases of a split produce."""

    units: Units
    pairs: Pairs
    grid: Grid
    exposure: Exposure


def _split(study: Study, opts: EpisodeOptions) -> _Split:
    """The phases of the split, in order."""
    party_j, jurisdictions = jurisdiction_index(study.view("parties"))
    units = units_at_risk(study, jurisdictions, party_j, level=opts.level, event=opts.event,
                          dormancy=opts.dormancy, max_gap=opts.max_gap,
                          observed_from=opts.observed_day)
    lead = step_function(study, jurisdictions)
    pairs = pairs_of(units, lead, study.unknown_exposure, opts.observed_day)
    grid = grid_of(pairs, lead, opts)
    return _Split(units=units, pairs=pairs, grid=grid,
                  exposure=exposure_of(pairs, grid, lead, opts))


def split_episodes(
    study: Study,
    *,
    level: Level = "instrument",
    event: Event = "formal",
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
    window: int | None = None,
    cuts: int | Sequence[int] | None = None,
    observed_from: DateLike | None = None,
    focal: str | None = None,
    leaders: Leaders = "wide",
) -> pd.DataFrame:
    """Counting-process episodes: each unit's at-risk time split at every leadership transition.

    The table R's ``survival::tmerge`` builds, ready for Kaplan-Meier with delayed entry, Cox
    models with time-varying exposure (``Surv(t_start, t_stop, event)``), lifelines'
    ``CoxTimeVaryingFitter`` or Stata's ``stset``.

    Parameters
    ----------
    study : Study
    level, event, dormancy, max_gap, window, cuts, observed_from, focal, leaders
        The options, described once in :class:`EpisodeOptions` (the same names, defaults and
        meanings): ``level`` ("instrument" or "relationship"), ``event`` ("formal" or
        "dormant"), ``dormancy`` (days without activity), ``max_gap`` (days between the
        instruments of one relationship), ``window`` (days after a leader change),
        ``cuts`` (days since entry), ``observed_from`` (the start of observation), ``focal``
        (a jurisdiction) and ``leaders`` ("wide" or "none").

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
    OptionError
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
    reach (alive until then, fate unknown). ``ended`` and ``expires`` are treated alike here:
    an instrument "replaced" or "terminated" and followed within ``max_gap`` days by another is
    a link in the chain.

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
    members gives every row 129 such columns), so its time and memory grow with the number of
    parties of the largest unit. ``leaders="none"`` leaves them out, and its cost does not
    grow with that number: the exposure columns are running counts over the (unit, party)
    pairs, not a pass per party slot. The default does not depend on the data, so a table's
    columns never change with its rows.

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
    >>> ep = ct.split_episodes(study, window=365)
    >>> ep[["episode", "t_start", "t_stop", "event", "changes", "post_change", "leader_1"]]
       episode  t_start  t_stop  event  changes  post_change leader_1
    0        1        0     155      0        0        False        A
    1        2      155     520      0        1         True        B
    2        3      520    1096      1        1        False        B
    """
    opts = EpisodeOptions.checked(
        study, "split_episodes", level=level, event=event, dormancy=dormancy, max_gap=max_gap,
        window=window, cuts=cuts, observed_from=observed_from, focal=focal, leaders=leaders)
    s = _split(study, opts)
    return episode_frame(s.units, s.pairs, s.grid, s.exposure, opts)


def audit_episodes(
    study: Study,
    *,
    level: Level = "instrument",
    event: Event = "formal",
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
    window: int | None = None,
    cuts: int | Sequence[int] | None = None,
    observed_from: DateLike | None = None,
    focal: str | None = None,
    leaders: Leaders = "wide",
) -> pd.DataFrame:
    """Every unit of :func:`split_episodes`, before splitting, and what became of it.

    Takes the same options as :func:`split_episodes`, so that its rows account for that
    table's: the units with ``status == "included"`` are exactly the units it splits, and their
    ``n_episodes`` add up to its number of rows.

    Parameters
    ----------
    study : Study
    level, event, dormancy, max_gap, window, cuts, observed_from, focal, leaders
        The options of :func:`split_episodes` (described in :class:`EpisodeOptions`).

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
    OptionError
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
    >>> audit = ct.audit_episodes(study, observed_from="2016")
    >>> audit[["agreement_id", "t_start", "t_stop", "status"]]
      agreement_id  t_start  t_stop    status
    0          LOI      108    1934  included
    1          MOU        0     730  included
    """
    opts = EpisodeOptions.checked(
        study, "audit_episodes", level=level, event=event, dormancy=dormancy, max_gap=max_gap,
        window=window, cuts=cuts, observed_from=observed_from, focal=focal, leaders=leaders)
    s = _split(study, opts)
    return audit_frame(s.units, s.pairs.inc, s.grid.n_ep, unknown_per_unit(s.grid, s.exposure))
