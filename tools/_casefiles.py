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


def number_terms(
    terms: pd.DataFrame, codes: dict[str, str], offices: dict[str, str]
) -> pd.DataFrame:
    """Sort terms and give each a ``term_id`` ``<JUR>-<OFFICE>-<nn>`` (order of succession)."""
    terms = terms.sort_values(["jurisdiction", "office", "start", "source_row_id"], kind="stable")
    seq = terms.groupby(["jurisdiction", "office"], sort=False).cumcount() + 1
    terms.insert(
        0,
        "term_id",
        [
            f"{codes[j]}-{offices[o]}-{n:02d}"
            for j, o, n in zip(terms["jurisdiction"], terms["office"], seq, strict=True)
        ],
    )
    return terms.reset_index(drop=True)


def map_to_instruments(rel: pd.Series, dates: pd.Series, agreements: pd.DataFrame) -> list:
    """For each activity, the latest instrument of its relationship signed on or before it.

    Dates are compared as ISO strings (a fuzzy date at its first day); an activity before
    every instrument of its relationship belongs to the first one.
    """
    agr = agreements.sort_values(["relationship_id", "signed", "agreement_id"])
    mapped = []
    for r, date in zip(rel, dates, strict=True):
        chain = agr[agr["relationship_id"] == r]
        earlier = chain[chain["signed"] <= date]
        mapped.append((earlier if len(earlier) else chain).iloc[-1 if len(earlier) else 0])
    return mapped


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write each table as ``<name>.csv`` (UTF-8, LF line ends) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")


def check_compiled_precision(row_id: str, pairs) -> None:
    """Each (date, precision) pair of a compiled row agrees with the date's form."""
    for value, prec in pairs:
        if iso_precision(value) != ("" if prec in ("", "unknown") else prec):
            raise ValueError(f"{row_id}: precision {prec!r} disagrees with {value!r}")


#: Columns of terms.csv, before ``term_id`` is added in front.
TERM_COLUMNS = [
    "jurisdiction", "office", "holder", "start", "end", "kind", "party", "start_precision",
    "end_precision", "office_title", "holder_native", "basis", "last_confirmed", "confidence",
    "sources", "notes", "source_row_id",
]

#: Columns of activities.csv, in order.
ACTIVITY_COLUMNS = [
    "activity_id", "agreement_id", "relationship_id", "date", "date_precision", "date_end",
    "kind", "sector", "objective", "cost", "participants", "side", "description", "host",
    "actor_level", "before_signing", "same_event_as", "dormancy_signal", "dormancy_quote",
    "mayor_at_time", "mayor_source", "in_study_window", "confidence", "sources", "notes",
    "source_row_id",
]


def activity_table(out: pd.DataFrame, mapped: list, **columns) -> pd.DataFrame:
    """activities.csv from compiled activity rows ``out`` and their instruments ``mapped``.

    The columns taken as compiled are filled here; ``columns`` gives the others (ids, sides,
    notes, ...). The compiled precision must agree with each date's form; the table is sorted
    by instrument, date and id.
    """
    table = pd.DataFrame({
        "agreement_id": [m["agreement_id"] for m in mapped],
        "date_precision": out["date"].map(iso_precision),
        "date_end": out["date_end"],
        "kind": out["kind"],
        "sector": out["sector"],
        "cost": "",
        "description": out["description"],
        "host": out["initiator_or_host"],
        "actor_level": out["actor_level"],
        "before_signing": [before_signing(d, m["signed"])
                           for d, m in zip(out["date"], mapped, strict=True)],
        "dormancy_signal": out["dormancy_signal"],
        "dormancy_quote": out["dormancy_quote"],
        "mayor_at_time": out["indonesian_mayor_at_time"],
        "mayor_source": out["mayor_source"],
        "in_study_window": out["in_study_window"],
        "confidence": out["confidence"],
        "sources": out["sources"].map(join_sources),
        "source_row_id": out["row_id"],
        "date": out["date"],
        **columns,
    })[ACTIVITY_COLUMNS]
    return table.sort_values(["agreement_id", "date", "activity_id"], kind="stable")


def run_cli(doc: str, build, default_cases: Path, default_out: Path, marker: str,
            argv: list[str] | None) -> int:
    """The command line of a build script: build from CASES_DIR into --out, print counts."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("cases", nargs="?", default=str(default_cases),
                        help="folder of the compiled case files (default: %(default)s)")
    parser.add_argument("--out", default=str(default_out),
                        help="folder to write the CSVs into (default: %(default)s)")
    args = parser.parse_args(argv)
    cases = Path(args.cases)
    if not (cases / marker).is_file():
        parser.error(f"{cases} does not hold {marker}; pass the cases folder")
    tables = build(cases, Path(args.out))
    for name, df in tables.items():
        print(f"{name}: {len(df)} rows")
    for r in tables["left_out_activities"].itertuples(index=False):
        print(f"  left out {r.source_row_id}: {r.reason}")
    return 0
