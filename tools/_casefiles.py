"""Helpers shared by the build scripts of the bundled real cases (Solo, Bandung).

Reading the hand-compiled case files of ``shared/data/cases``, joining their source lists,
checking the precision of ISO dates of mixed precision, and the activity columns both cases
share (``side``, ``same_event_as``, ``before_signing``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

SEP = " | "  # separator of multi-valued text cells (sources, source row ids)


def find_cases(start: Path) -> Path:
    """``shared/data/cases`` beside ``start`` or beside the nearest parent folder holding it.

    A git worktree sits deeper than the main checkout, so the folder is looked for upwards;
    when no parent holds it, the path beside ``start``'s parent is returned (it does not exist).
    """
    start = Path(start).resolve()
    for folder in start.parents:
        cases = folder / "shared" / "data" / "cases"
        if cases.is_dir():
            return cases
    return start.parent / "shared" / "data" / "cases"


def iso_precision(value: str) -> str:
    """Precision implied by the string form of an ISO date ('' when empty)."""
    if value == "":
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    raise ValueError(f"not an ISO date of day, month or year precision: {value!r}")


def join_sources(*cells: str) -> str:
    """Union of source lists (separated by ';' or '|'), first-seen order, joined by SEP."""
    seen: list[str] = []
    for cell in cells:
        for s in re.split(r"\s+[;|]\s+", cell.strip()):
            s = s.strip()
            if s and s not in seen:
                seen.append(s)
    return SEP.join(seen)


def join_notes(*parts: str) -> str:
    """Non-empty parts joined by one space."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def read_case(path: Path) -> pd.DataFrame:
    """A compiled case file as strings, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def before_signing(date: str, signed: str) -> str:
    """'yes' when a date of any precision certainly precedes the signing, else 'no'.

    The activity's last possible day precedes the first possible day of the signing: ISO
    strings of mixed precision compare correctly once a prefix (same period) is ruled out.
    """
    return "yes" if (date < signed and not signed.startswith(date)) else "no"


def side_of(kind: str, home: str, partner: str, declared: dict[str, str], row_id: str) -> str:
    """The party that hosted an activity (or made it, when nothing was hosted).

    A visit in is hosted by the home city, a visit out by the partner; other rows take the
    side declared for them in the build script ('' where the record does not say).
    """
    if row_id in declared:
        value = declared[row_id]
        return {"home": home, "partner": partner, "": ""}[value]
    if kind == "visit_in":
        return home
    if kind == "visit_out":
        return partner
    return ""


def cross_reference(pairs: list[tuple[str, ...]]) -> dict[str, str]:
    """``same_event_as`` for rows recording one event: each row names the others (' | ')."""
    out: dict[str, str] = {}
    for group in pairs:
        for row in group:
            out[row] = SEP.join(r for r in group if r != row)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write each table as ``<name>.csv`` (UTF-8, LF line ends) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
