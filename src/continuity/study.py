"""The Study: the validated tables of one evaluation, its censoring date and leadership offices."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from continuity._days import DateLike
from continuity._options import DEFAULTS, Event, Freq, LeaderRule, Leaders, Level, check_literal
from continuity.errors import (
    ActivityOutsideLifeWarning,
    ContinuityTypeError,
    OptionError,
    ValidationError,
)
from continuity.schema import DateRule
from continuity.validation import Prepared, prepare_tables

__all__ = ["Study"]

_TABLE_NAMES = ("terms", "agreements", "parties", "activities", "targets")
_LISTED = 8  # items a summary line lists before "and N more"

def _listing(items) -> str:
    items = list(items)
    if len(items) <= _LISTED:
        return ", ".join(items)
    return ", ".join(items[:_LISTED]) + f", ... and {len(items) - _LISTED} more"


def _checked_leadership(terms: pd.DataFrame, offices: Mapping[str, str],
                        columns: pd.Index) -> pd.DataFrame:
    """New leadership terms for :meth:`Study.with_leadership`, checked, with ``columns``."""
    where = "study.with_leadership: terms"
    if not isinstance(terms, pd.DataFrame):
        raise ContinuityTypeError(f"{where} must be a pandas DataFrame, not "
                                  f"{type(terms).__name__}")
    need = ["jurisdiction", "office", "holder", "start", "end", "term_id"]
    missing = [c for c in need if c not in terms.columns]
    if missing:
        raise ValidationError([f"{where} lack the column(s) {', '.join(missing)}; give them as "
                               "study.leadership_terms() does"])
    out = terms.reset_index(drop=True)
    for col in ("start", "end"):
        if not pd.api.types.is_datetime64_any_dtype(out[col]):
            raise ValidationError([f"{where}: {col} must hold dates (datetime64), not "
                                   f"{out[col].dtype}"])
        out[col] = out[col].astype("datetime64[ns]").dt.normalize()
    office_of = out["jurisdiction"].map(dict(offices))
    problems = []
    wrong = np.flatnonzero((office_of != out["office"]).to_numpy())
    if len(wrong):
        problems.append(f"{where}: {len(wrong)} row(s) are not in their jurisdiction's "
                        f"leadership office (rows {_listing(map(str, wrong))})")
    start, end = out["start"].to_numpy(), out["end"].to_numpy()
    bad = np.flatnonzero(np.isnat(start) | (~np.isnat(end) & (end < start)))
    if len(bad):
        problems.append(f"{where}: {len(bad)} row(s) have no start or end before start "
                        f"(rows {_listing(map(str, bad))}); intervals are [start, end)")
    order = np.lexsort((np.where(np.isnat(end), np.datetime64("2262-01-01"), end), start,
                        out["jurisdiction"].astype(str).to_numpy()))
    j, s, e = out["jurisdiction"].to_numpy()[order], start[order], end[order]
    same = j[1:] == j[:-1]
    overlap = np.flatnonzero(same & (np.isnat(e[:-1]) | (s[1:] < e[:-1])))
    if len(overlap) and not len(bad):
        problems.append(f"{where}: {len(overlap)} term(s) overlap the next term of their "
                        f"jurisdiction (rows {_listing(map(str, order[overlap]))})")
    if problems:
        raise ValidationError(problems)
    for col in columns:
        if col not in out.columns:
            out[col] = "day" if col.endswith("_precision") else None
    return out[list(columns)]


class Study:
    """Agreements, the leadership terms of every party, and what happened under them.

    A Study validates its tables when it is built, raising one
    :class:`~continuity.ValidationError` that lists every problem; once built it is immutable and
    each table it returns is a copy.

    Parameters
    ----------
    terms : pandas.DataFrame
        One row per tenure of one holder in one office: ``jurisdiction, office, holder, start,
        end`` (empty ``end``: still in office), optionally ``kind`` (elected, acting, appointed,
        caretaker, vacancy), ``party``, ``start_precision``, ``end_precision``, ``term_id``.
        Intervals are half-open, ``[start, end)``.
    agreements : pandas.DataFrame
        One row per instrument: ``agreement_id, signed``, optionally ``relationship_id``
        (default: the instrument's own id), ``instrument``, ``effective``, ``expires``,
        ``ended``, ``end_reason``, ``title``, ``sector``.
    parties : pandas.DataFrame
        One row per party to an instrument: ``agreement_id, jurisdiction``, optionally ``role``.
    activities : pandas.DataFrame, optional
        Dated activities: ``agreement_id, date``, optionally ``relationship_id`` (that of its
        instrument), ``side`` (the party that hosted or initiated it), ``kind``, ``sector`` and
        ``objective`` (vocabularies in :mod:`continuity.schema`), ``cost`` and
        ``participants`` (0 or more).
    targets : pandas.DataFrame, optional
        ``agreement_id, indicator, period_start, period_end, target, actual``, optionally
        ``objective, weight``.
    as_of : date-like, optional
        The censoring date. Defaults to the latest date in the data (``study.as_of_source``
        says which was used).
    offices : str or mapping, optional
        The leadership office: one name for every jurisdiction, or a mapping jurisdiction ->
        office. A jurisdiction whose terms hold one office needs no choice.
    allow_unknown_exposure : bool, default False
        Allow parties with no terms of their leadership office; their exposure (leader changes
        and the like) is then unknown, NA in every derived table, never 0.
    date_rule : {"middle", "earliest", "latest"}
        How dates known only to the month or year are resolved to a day (see
        :mod:`continuity.dates`). Default: the middle of the period, never crossing a
        neighbouring date.
    vocabulary : mapping, optional
        Words added to the extendable vocabularies (:data:`continuity.schema.EXTENDABLE`):
        ``{"sectors": ["maritime"]}`` allows the sector ``maritime`` beside
        :data:`continuity.schema.SECTORS`; ``"objectives"`` extends the four goals.

    Dates may be ISO strings (``2015-09-15``, ``2015-09``, ``2015``), ``datetime`` objects or
    pandas timestamps; they are held at day resolution as ``datetime64[ns]``, each with its
    precision in a ``<column>_precision`` column. Extra columns are kept.

    Raises
    ------
    ValidationError
        When any table breaks the data model; ``failure_cases`` has one row per problem.

    Examples
    --------
    >>> import pandas as pd
    >>> import continuity as ct
    >>> terms = pd.DataFrame({
    ...     "jurisdiction": ["Solo", "Solo", "Xi'an"],
    ...     "office": ["mayor", "mayor", "party_secretary"],
    ...     "holder": ["A", "B", "P"],
    ...     "start": ["2010-07-28", "2015-08-05", "2012-06"],
    ...     "end": ["2015-08-05", None, None],
    ... })
    >>> agreements = pd.DataFrame({"agreement_id": ["LOI"], "signed": ["2015-09"]})
    >>> parties = pd.DataFrame({"agreement_id": ["LOI", "LOI"], "jurisdiction": ["Solo", "Xi'an"]})
    >>> study = ct.Study(terms, agreements, parties, as_of="2020-12-31")
    >>> study.agreements[["agreement_id", "signed", "signed_precision"]]
      agreement_id     signed signed_precision
    0          LOI 2015-09-15            month
    >>> study.offices
    {'Solo': 'mayor', "Xi'an": 'party_secretary'}
    """

    __slots__ = ("_prepared", "_raw", "_settings")
    _raw: dict[str, pd.DataFrame | None]       # the tables as given (copies)
    _settings: dict[str, Any]                  # the keyword settings of __init__
    _prepared: Prepared                        # the validated tables and what was derived

    def __init__(
        self,
        terms: pd.DataFrame,
        agreements: pd.DataFrame,
        parties: pd.DataFrame,
        activities: pd.DataFrame | None = None,
        targets: pd.DataFrame | None = None,
        *,
        as_of=None,
        offices: str | Mapping[str, str] | None = None,
        allow_unknown_exposure: bool = False,
        date_rule: str = "middle",
        vocabulary: Mapping[str, list[str]] | None = None,
    ) -> None:
        raw = {"terms": terms, "agreements": agreements, "parties": parties,
               "activities": activities, "targets": targets}
        raw = {k: (v.copy() if isinstance(v, pd.DataFrame) else v) for k, v in raw.items()}
        settings = {"as_of": as_of, "offices": dict(offices) if isinstance(offices, Mapping)
                    else offices, "allow_unknown_exposure": allow_unknown_exposure,
                    "date_rule": date_rule, "vocabulary": vocabulary}
        self._set_state(raw, settings, prepare_tables(raw, **settings))

    def _set_state(self, raw: dict[str, pd.DataFrame | None], settings: dict[str, Any],
                   prepared: Prepared) -> None:
        """The one place a Study's state is set (once, when it is made)."""
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_settings", settings)
        object.__setattr__(self, "_prepared", prepared)

    @classmethod
    def _from_parts(cls, raw: dict[str, pd.DataFrame | None], settings: dict[str, Any],
                    prepared: Prepared) -> Study:
        """A Study of tables already validated (``prepared``), without validating them again."""
        study = object.__new__(cls)
        study._set_state(raw, settings, prepared)
        return study

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Study is immutable; build a new one")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Study is immutable; build a new one")

    # --- tables -------------------------------------------------------------------------------
    @overload
    def view(self, name: Literal["terms", "agreements", "parties"]) -> pd.DataFrame: ...

    @overload
    def view(self, name: Literal["activities", "targets"]) -> pd.DataFrame | None: ...

    def view(self, name: str) -> pd.DataFrame | None:
        """The validated table ``name`` without a copy of its data, or None when absent.

        For code that only reads a table (the episode split, the metrics): at a million rows
        the copy the public properties make costs more than the split. The frame is shallow
        (adding or dropping its columns leaves the Study as it was), but its values are the
        Study's own: never write to them. ``name`` is one of ``terms``, ``agreements``,
        ``parties``, ``activities``, ``targets``.
        """
        if name not in _TABLE_NAMES:
            raise OptionError(f"study.view: name must be one of "
                              f"{', '.join(map(repr, _TABLE_NAMES))}, not {name!r}")
        df = self._prepared.tables.get(name)
        return None if df is None else df.copy(deep=False)

    def _copy(self, name: str) -> pd.DataFrame:
        df = self._prepared.tables.get(name)
        if df is None:  # terms, agreements and parties are always there
            raise KeyError(name)
        return df.copy()

    def _copy_optional(self, name: str) -> pd.DataFrame | None:
        df = self._prepared.tables.get(name)
        return None if df is None else df.copy()

    @property
    def terms(self) -> pd.DataFrame:
        """The terms of office, dates resolved (a copy)."""
        return self._copy("terms")

    @property
    def agreements(self) -> pd.DataFrame:
        """The instruments, dates resolved, ``relationship_id`` filled (a copy)."""
        return self._copy("agreements")

    @property
    def parties(self) -> pd.DataFrame:
        """The parties to each instrument (a copy)."""
        return self._copy("parties")

    @property
    def activities(self) -> pd.DataFrame | None:
        """The dated activities (a copy), or None when the study has none."""
        return self._copy_optional("activities")

    @property
    def targets(self) -> pd.DataFrame | None:
        """The targets (a copy), or None when the study has none."""
        return self._copy_optional("targets")

    @property
    def audit(self) -> pd.DataFrame:
        """Rows kept with a warning: ``table, row, id, check, detail`` (a copy)."""
        return self._prepared.audit.copy()

    # --- settings -----------------------------------------------------------------------------
    @property
    def as_of(self) -> pd.Timestamp:
        """The censoring date."""
        return self._prepared.as_of

    @property
    def as_of_source(self) -> str:
        """Where ``as_of`` came from: ``"given"`` or ``"the latest date in the data"``."""
        return self._prepared.as_of_source

    @property
    def offices(self) -> dict[str, str]:
        """The leadership office of each jurisdiction (a copy)."""
        return dict(self._prepared.offices)

    @property
    def unknown_exposure(self) -> tuple[str, ...]:
        """Party jurisdictions with no terms of their leadership office (exposure unknown)."""
        return self._prepared.unknown_exposure

    @property
    def date_rule(self) -> str:
        """How fuzzy dates were resolved."""
        return str(self._settings["date_rule"])

    # --- derived ------------------------------------------------------------------------------
    def leadership_terms(self) -> pd.DataFrame:
        """Terms of each jurisdiction's leadership office, in order of succession.

        Sorted by jurisdiction, start and end (a term of no length before a longer one that
        starts the same day; an open term last).
        """
        t = self._prepared.tables["terms"]
        lead = t[t["office"].to_numpy() == t["jurisdiction"].map(self.offices).to_numpy()]
        return lead.sort_values(["jurisdiction", "start", "end"], kind="stable",
                                na_position="last").reset_index(drop=True)

    def resolve_dates(self, rule: str) -> Study:
        """The same study with fuzzy dates resolved by another rule.

        Parameters
        ----------
        rule : {"earliest", "latest", "middle"}
            ``"earliest"``: the first day of each month- or year-precision date's period;
            ``"latest"``: the last; ``"middle"``: the middle day (the default rule). Resolved
            dates never cross a neighbouring date. ``as_of`` stays what it was. Activities
            outside their instrument's life are listed in the new study's ``audit`` without a
            second warning.

        Returns
        -------
        Study

        Examples
        --------
        >>> import continuity as ct
        >>> study = ct.datasets.load_solo()
        >>> lo, hi = study.resolve_dates("earliest"), study.resolve_dates("latest")
        >>> (lo.as_of == hi.as_of == study.as_of, lo.date_rule, hi.date_rule)
        (True, 'earliest', 'latest')
        """
        check_literal(rule, DateRule, "rule", "study.resolve_dates")
        settings = dict(self._settings, date_rule=rule, as_of=self.as_of)
        with warnings.catch_warnings():
            # warned once when this study was built; the new study's audit lists them again
            warnings.simplefilter("ignore", ActivityOutsideLifeWarning)
            prepared = prepare_tables(self._raw, **settings)
        prepared = dataclasses.replace(prepared, as_of_source=self.as_of_source)
        return Study._from_parts(self._raw, settings, prepared)

    def transitions(self) -> pd.DataFrame:
        """One row per boundary between consecutive terms of each leadership office.

        :func:`continuity.compute_transitions` of this study (see it for the columns).
        """
        from continuity.leadership import compute_transitions

        return compute_transitions(self)

    def administrations(self) -> pd.DataFrame:
        """Unbroken runs of one holder in each leadership office, as known at ``as_of``.

        :func:`continuity.administrations` of this study (see it for the columns).
        """
        from continuity.leadership import administrations

        return administrations(self)

    def episodes(
        self,
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
        """Counting-process episodes: :func:`continuity.split_episodes` of this study.

        The options are those of :class:`continuity.episodes.EpisodeOptions`, where each is
        described; the Returns and Notes of :func:`continuity.split_episodes` describe the
        table.

        Examples
        --------
        >>> import continuity as ct
        >>> ep = ct.datasets.load_solo().episodes(level="relationship", window=365)
        >>> ep.columns[:4].tolist()
        ['relationship_id', 'spell', 'episode', 'start']
        """
        from continuity.episodes import split_episodes

        return split_episodes(self, level=level, event=event, dormancy=dormancy,
                              max_gap=max_gap, window=window, cuts=cuts,
                              observed_from=observed_from, focal=focal, leaders=leaders)

    def with_leadership(self, terms: pd.DataFrame) -> Study:
        """The same study with the terms of every leadership office replaced by ``terms``.

        Only ``terms`` is checked: the agreements, parties, activities and targets were
        validated when this study was built and are shared, not validated again, which is
        what makes a placebo (each draw a new leadership) cheap. Terms of other offices are
        kept; ``as_of``, its source and the offices stay what they were.

        Parameters
        ----------
        terms : pandas.DataFrame
            The new leadership terms, as :meth:`leadership_terms` returns them: at least
            ``jurisdiction, office, holder, start, end`` (``datetime64[ns]`` at day
            resolution, ``end`` NaT while open), optionally ``kind, party, term_id``; every
            jurisdiction's terms in its leadership office (:attr:`offices`), none overlapping.

        Returns
        -------
        Study

        Raises
        ------
        ValidationError
            The terms break one of those rules; the message says which rows.

        Examples
        --------
        >>> import continuity as ct
        >>> study = ct.datasets.load_solo()
        >>> lead = study.leadership_terms()
        >>> later = lead.assign(start=lead["start"] + pd.Timedelta(days=1))
        >>> moved = study.with_leadership(later.assign(end=later["end"] + pd.Timedelta(days=1)))
        >>> bool((moved.leadership_terms()["start"] == later["start"]).all())
        True
        """
        tables = dict(self._prepared.tables)
        old = tables["terms"]
        other = old[old["office"].to_numpy() != old["jurisdiction"].map(self.offices).to_numpy()]
        new = _checked_leadership(terms, self.offices, old.columns)
        tables["terms"] = pd.concat([other, new], ignore_index=True) if len(other) else new
        unknown = tuple(sorted(set(self._prepared.tables["parties"]["jurisdiction"])
                               - set(new["jurisdiction"])))
        if unknown and not self._settings["allow_unknown_exposure"]:
            raise ValidationError([f"terms: {len(unknown)} party jurisdiction(s) have no "
                                   f"leadership terms ({_listing(map(str, unknown))}); give "
                                   "terms for each, or build the Study with "
                                   "allow_unknown_exposure=True"])
        prepared = dataclasses.replace(self._prepared, tables=tables, unknown_exposure=unknown)
        raw = dict(self._raw, terms=tables["terms"])
        return Study._from_parts(raw, dict(self._settings, as_of=self.as_of), prepared)

    def panel(self, *, freq: Freq = "year", level: Level = "instrument",
              event: Event = "formal", focal: str | None = None,
              leader_rule: LeaderRule = "first", leaders: Leaders = "wide",
              dormancy: int = DEFAULTS.dormancy, max_gap: int = DEFAULTS.max_gap) -> pd.DataFrame:
        """Unit-period panel; see :func:`continuity.build_panel` for the columns."""
        from continuity.panel import build_panel

        return build_panel(self, freq=freq, level=level, event=event, focal=focal,
                           leader_rule=leader_rule, leaders=leaders, dormancy=dormancy,
                           max_gap=max_gap)

    # --- display ------------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """Counts of what the study holds, one row per table: ``table, rows, fuzzy_dates``."""
        rows = []
        for name in _TABLE_NAMES:
            df = self._prepared.tables.get(name)
            if df is None:
                continue
            pcols = [c for c in df.columns if c.endswith("_precision")]
            fuzzy = int(df[pcols].isin(["month", "year"]).to_numpy().sum()) if pcols else 0
            rows.append({"table": name, "rows": len(df), "fuzzy_dates": fuzzy})
        return pd.DataFrame(rows, columns=["table", "rows", "fuzzy_dates"])

    def __repr__(self) -> str:
        s = self.summary().set_index("table")
        parties = self._prepared.tables["parties"]["jurisdiction"].unique()
        lines = [
            f"<continuity.Study: {len(parties)} parties, "
            f"{s.loc['agreements', 'rows']} instruments, as_of {self.as_of.date()} "
            f"({self.as_of_source})>",
            "  offices:  " + _listing(f"{j}: {o}" for j, o in sorted(self.offices.items())),
        ]
        if self.unknown_exposure:
            lines.append("  unknown exposure (no leadership terms): "
                         + _listing(self.unknown_exposure))
        counts = ", ".join(f"{t} {r}" for t, r in s["rows"].items())
        lines.append(f"  rows:     {counts}")
        fuzzy = int(s["fuzzy_dates"].sum())
        lines.append(f"  dates:    {fuzzy} known only to the month or year, resolved by "
                     f"the {self.date_rule!r} rule")
        if len(self._prepared.audit):
            lines.append(f"  audit:    {len(self._prepared.audit)} rows kept with a warning "
                         "(study.audit)")
        return "\n".join(lines)
