"""The data model: each table's columns, their kinds, keys and vocabularies.

This is the one declaration of the tables of ``../shared/DESIGN.md``; validation, reading and the
test builders all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "DATE_RULES",
    "EXTENDABLE",
    "OBJECTIVES",
    "PRECISIONS",
    "SECTORS",
    "TABLES",
    "TERM_KINDS",
    "Column",
    "DateRule",
    "TableSchema",
]

#: Precision of a date: known to the day, to the month, or to the year.
PRECISIONS = ("day", "month", "year")

#: How a fuzzy date is resolved to one day (see :meth:`continuity.Study.resolve_dates`).
DateRule = Literal["middle", "earliest", "latest"]
#: The values of :data:`DateRule`, in order.
DATE_RULES: tuple[str, ...] = get_args(DateRule)

#: Kinds of a term of office.
TERM_KINDS = ("elected", "acting", "appointed", "caretaker", "vacancy")

#: Term kinds that are caretaker spells (their transitions are of their own kind).
CARETAKER_KINDS = ("acting", "caretaker")

#: Activity kinds that report on a relationship rather than carry it out (a statement that it
#: has stalled, say): they are evidence about dormancy, not signs of life, and do not count as
#: activity in dormancy, de facto ends or retention.
PASSIVE_KINDS = ("statement",)

#: The four goals of Indonesian regional cooperation abroad (the ``objective`` of activities and
#: targets): community welfare, public services, human-resource capacity, international relations.
OBJECTIVES = ("welfare", "public_services", "human_resources", "international_relations")

#: Instruments, in the order of the stages of a relationship ("extension": a document that
#: extends the validity of another, a renewal by another name).
INSTRUMENTS = ("loi", "mou", "agreement", "renewal", "work_plan", "addendum", "extension")

#: The goals of regional cooperation abroad named by Indonesia's rules (PP 28/2018): community
#: welfare, better public services, the capacity of human resources, close international
#: relations. ``activities.objective`` and ``targets.objective`` take these values.
OBJECTIVES = ("welfare", "public_services", "human_resources", "international_relations")

#: Sectors of cooperation (``agreements.sector``, ``activities.sector``): those Indonesian
#: cities map their cooperation to, and ``other``.
SECTORS = ("agriculture", "culture", "economy", "education", "environment", "governance",
           "health", "infrastructure", "science", "social", "sport", "tourism", "youth", "other")

#: Vocabularies a study may extend (``Study(vocabulary={"sectors": [...]})``, or a
#: ``[vocabulary]`` table in ``study.toml``): the name of each and its values.
EXTENDABLE: dict[str, tuple[str, ...]] = {"sectors": SECTORS, "objectives": OBJECTIVES}

#: Reasons an instrument ended.
END_REASONS = ("expired", "terminated", "replaced", "withdrawn", "dormant", "other")

#: End reasons that end a relationship at once: its parties stopped the cooperation. Any
#: other end (an expiry, a replacement, no reason given) may still be followed by a
#: successor: the relationship waits ``max_gap`` days for one.
TERMINATION_REASONS = ("terminated", "withdrawn")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        The column's name.
    kind : {"id", "text", "date", "number", "precision"}
        What it holds. Dates are held as ``datetime64[ns]`` at day resolution; ids and text as
        strings (leading zeros kept); numbers as finite floats.
    required : bool
        Whether the column must be present and every value filled.
    vocabulary : tuple of str, optional
        The allowed values, when the column has a closed vocabulary.
    minimum : float, optional
        The smallest allowed value of a number column (0 for counts and amounts).
    names : bool
        The column names an entity (a holder): like an id, a value with leading or trailing
        spaces is refused, since ``"Solo "`` would silently be another entity than ``"Solo"``.
    extendable : str, optional
        The key of :data:`EXTENDABLE` under which a study may add words to ``vocabulary``.
    """

    name: str
    kind: str
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    minimum: float | None = None
    names: bool = False
    extendable: str | None = None

    @property
    def exact(self) -> bool:
        """Whether leading or trailing spaces are refused (ids and names)."""
        return self.kind == "id" or self.names


@dataclass(frozen=True)
class TableSchema:
    """The columns of one table and the key that identifies its rows.

    Every date column ``d`` has a precision column ``d_precision`` (day, month, year), declared
    here even when the table's declaration leaves it out, so that every table's precisions are
    checked against :data:`PRECISIONS`.
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        declared = {c.name for c in self.columns}
        extra = tuple(Column(f"{c.name}_precision", "precision", vocabulary=PRECISIONS)
                      for c in self.columns
                      if c.kind == "date" and f"{c.name}_precision" not in declared)
        object.__setattr__(self, "columns", self.columns + extra)

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    @property
    def dates(self) -> list[str]:
        """Names of the date columns."""
        return [c.name for c in self.columns if c.kind == "date"]

    def column(self, name: str) -> Column | None:
        """The declared column called ``name``, or None."""
        for c in self.columns:
            if c.name == name:
                return c
        return None


TERMS = TableSchema(
    "terms",
    (
        Column("jurisdiction", "id", required=True),
        Column("office", "id", required=True),
        Column("holder", "text", required=True, names=True),
        Column("start", "date", required=True),
        Column("end", "date"),
        Column("kind", "text", vocabulary=TERM_KINDS),
        Column("party", "text"),
        Column("start_precision", "precision", vocabulary=PRECISIONS),
        Column("end_precision", "precision", vocabulary=PRECISIONS),
        Column("term_id", "id"),
    ),
    key=("term_id",),
)

AGREEMENTS = TableSchema(
    "agreements",
    (
        Column("agreement_id", "id", required=True),
        Column("signed", "date", required=True),
        Column("relationship_id", "id"),
        Column("instrument", "text"),
        Column("effective", "date"),
        Column("expires", "date"),
        Column("ended", "date"),
        Column("end_reason", "text", vocabulary=END_REASONS),
        Column("title", "text"),
        Column("sector", "text", vocabulary=SECTORS, extendable="sectors"),
    ),
    key=("agreement_id",),
)

PARTIES = TableSchema(
    "parties",
    (
        Column("agreement_id", "id", required=True),
        Column("jurisdiction", "id", required=True),
        Column("role", "text"),
    ),
    key=("agreement_id", "jurisdiction"),
)

ACTIVITIES = TableSchema(
    "activities",
    (
        Column("agreement_id", "id", required=True),
        Column("date", "date", required=True),
        Column("relationship_id", "id"),
        Column("side", "id"),
        Column("kind", "text"),
        Column("sector", "text", vocabulary=SECTORS, extendable="sectors"),
        Column("objective", "text", vocabulary=OBJECTIVES, extendable="objectives"),
        Column("cost", "number", minimum=0),
        Column("participants", "number", minimum=0),
    ),
)

TARGETS = TableSchema(
    "targets",
    (
        Column("agreement_id", "id", required=True),
        Column("indicator", "text", required=True),
        Column("period_start", "date", required=True),
        Column("period_end", "date", required=True),
        Column("target", "number", required=True, minimum=0),
        Column("actual", "number", required=True),
        Column("objective", "text", vocabulary=OBJECTIVES, extendable="objectives"),
        Column("weight", "number", minimum=0),
    ),
)

#: Every table of a study, by name, in the order they are validated.
TABLES: dict[str, TableSchema] = {
    t.name: t for t in (TERMS, AGREEMENTS, PARTIES, ACTIVITIES, TARGETS)
}

#: Pairs of columns of one row where a value in the first needs one in the second, per table:
#: an actual is measured against a target.
NEEDS: dict[str, tuple[tuple[str, str], ...]] = {"targets": (("actual", "target"),)}

#: Pairs of date columns that bound an interval, per table: (start, end).
INTERVALS: dict[str, tuple[tuple[str, str], ...]] = {
    "terms": (("start", "end"),),
    "agreements": (("signed", "ended"), ("effective", "expires"), ("signed", "expires"),
                   ("effective", "ended")),
    "targets": (("period_start", "period_end"),),
}
