"""The pieces of a report: sections of tables, figures and paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Figure", "Paragraph", "Report", "Section", "Table"]


@dataclass(frozen=True)
class Table:
    """A tidy result shown as a table, and written beside the report as ``<name>.csv``."""

    name: str
    caption: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure as SVG text."""

    caption: str
    svg: str


@dataclass(frozen=True)
class Paragraph:
    """A sentence or two of the report's own words (or a sub-heading)."""

    text: str
    heading: bool = False


Block = Table | Figure | Paragraph


@dataclass(frozen=True)
class Section:
    """One part of the report, with an anchor ``key``, a title and a lead sentence."""

    key: str
    title: str
    lead: str
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """The tables of this section."""
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class Report:
    """A built report: its title, lines of provenance, and its sections, in one language."""

    title: str
    lang: str
    meta: list[str]
    sections: list[Section]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by name, as written beside it."""
        return {t.name: t.frame for s in self.sections for t in s.tables()}
