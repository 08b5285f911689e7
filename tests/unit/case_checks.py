"""Checks shared by the tests of the bundled real cases (Solo, Bandung).

Each ``check_*`` function asserts one property of a case's four tables (read as strings from
the package's folder) and names the case, table and rows when it fails. The test modules
``test_solo_data.py`` and ``test_bandung_data.py`` load this file by path (the suite runs with
``--import-mode=importlib``) and call the checks from their own test functions.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pandas as pd

import continuity
from continuity.schema import END_REASONS, INSTRUMENTS, TABLES, TERM_KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATASETS = Path(continuity.__file__).resolve().parent / "datasets"
REPO = Path(__file__).resolve().parents[2]
NAMES = ("terms", "agreements", "parties", "activities")

#: The compiled case files: $CONTINUITY_CASES_DIR, else ``shared/data/cases`` beside the
#: repository or beside one of its parent folders (a git worktree lives deeper than the main one).
CASES = Path(
    os.environ.get(
        "CONTINUITY_CASES_DIR",
        next(
            (p / "shared" / "data" / "cases" for p in REPO.parents
             if (p / "shared" / "data" / "cases").is_dir()),
            REPO.parent / "shared" / "data" / "cases",
        ),
    )
)

#: Every (table, date column, precision column) pair.
PRECISION_PAIRS = [
    ("terms", "start", "start_precision"),
    ("terms", "end", "end_precision"),
    ("agreements", "signed", "signed_precision"),
    ("activities", "date", "date_precision"),
]
PATTERNS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def read_tables(case: str) -> dict[str, pd.DataFrame]:
    """The four CSV tables of a bundled case, as strings ('' for empty cells)."""
    return {
        name: pd.read_csv(DATASETS / case / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in NAMES
    }


def read_settings(case: str) -> dict:
    """The case's ``study.toml``."""
    with open(DATASETS / case / "study.toml", "rb") as f:
        return tomllib.load(f)


def precision(value: str) -> str:
    """Precision implied by an ISO date string."""
    for name, pattern in PATTERNS.items():
        if re.fullmatch(pattern, value):
            return name
    raise AssertionError(f"not an ISO date: {value!r}")


def bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last possible day of an ISO date of day, month or year precision."""
    period = pd.Period(value, freq={"day": "D", "month": "M", "year": "Y"}[precision(value)])
    return period.start_time.normalize(), period.end_time.normalize()


def middle(value: str) -> pd.Timestamp:
    lo, hi = bounds(value)
    return lo + (hi - lo) // 2


def check_required_columns_and_keys(tables):
    for name, df in tables.items():
        missing = set(TABLES[name].required) - set(df.columns)
        assert not missing, f"{name}: missing {missing}"
        for col in TABLES[name].required:
            assert (df[col] != "").all(), f"{name}.{col} has empty values"
    assert tables["terms"]["term_id"].is_unique
    assert tables["agreements"]["agreement_id"].is_unique
    assert not tables["parties"].duplicated(["agreement_id", "jurisdiction"]).any()
    assert tables["activities"]["activity_id"].is_unique


def check_precision_columns(tables):
    for name, col, prec in PRECISION_PAIRS:
        df = tables[name]
        for value, p in zip(df[col], df[prec], strict=True):
            if value == "":
                assert p == "", f"{name}.{prec} is {p!r} for an empty {col}"
            else:
                assert re.fullmatch(PATTERNS[p], value), f"{name}.{col} {value!r} is not {p}"
                bounds(value)  # a real calendar date


def check_vocabularies(tables):
    assert set(tables["terms"]["kind"]) <= set(TERM_KINDS)
    assert set(tables["agreements"]["instrument"]) <= set(INSTRUMENTS)
    assert set(tables["agreements"]["end_reason"]) <= {*END_REASONS, ""}
    for name, df in tables.items():
        if "confidence" in df:
            assert set(df["confidence"]) <= {"high", "medium", "low"}, name


def check_terms_never_overlap(terms):
    """Consecutive terms: end <= next start at the bounds and under the middle rule.

    At the bounds: the earliest possible end of a term is not after the latest possible start of
    the next. Under the middle rule a fuzzy date resolves to the middle of its period but never
    past a neighbouring day-precise date.
    """
    for (jur, office), g in terms.groupby(["jurisdiction", "office"]):
        g = g.assign(_lo=[bounds(s)[0] for s in g["start"]]).sort_values("_lo")
        assert (g["end"].iloc[:-1] != "").all(), f"{jur} {office}: open term before the last"
        for (_, a), (_, b) in zip(g.iloc[:-1].iterrows(), g.iloc[1:].iterrows(), strict=True):
            where = f"{jur} {office}: {a['term_id']} then {b['term_id']}"
            assert bounds(a["end"])[0] <= bounds(b["start"])[1], where
            end_a, start_b = middle(a["end"]), middle(b["start"])
            if b["start_precision"] == "day":
                end_a = min(end_a, bounds(b["start"])[0])
            if a["end_precision"] == "day":
                start_b = max(start_b, bounds(a["end"])[0])
            assert end_a <= start_b, where
        for _, t in g[g["end"] != ""].iterrows():
            assert bounds(t["start"])[0] <= bounds(t["end"])[1], t["term_id"]
            assert middle(t["start"]) <= middle(t["end"]), t["term_id"]


def check_parties(tables, settings, no_leader_record: set[str]):
    """Parties name known jurisdictions; each has an office; unknown exposure is allowed."""
    parties = tables["parties"]
    with_terms = set(tables["terms"]["jurisdiction"])
    assert set(parties["jurisdiction"]) <= with_terms | no_leader_record
    assert no_leader_record.isdisjoint(with_terms)
    assert set(parties["agreement_id"]) == set(tables["agreements"]["agreement_id"])
    assert (parties.groupby("agreement_id")["jurisdiction"].nunique() >= 2).all()
    offices = settings["offices"]
    assert set(parties["jurisdiction"]) == set(offices)
    for jur in with_terms:
        assert offices[jur] in set(tables["terms"].query("jurisdiction == @jur")["office"])
    assert settings["allow_unknown_exposure"] is True


def check_activities(tables):
    """Activities name known instruments of their relationship; sides are parties."""
    acts, agreements = tables["activities"], tables["agreements"]
    merged = acts.merge(
        agreements[["agreement_id", "relationship_id"]],
        on="agreement_id",
        how="left",
        suffixes=("", "_agreement"),
        validate="many_to_one",
    )
    assert (merged["relationship_id_agreement"] == merged["relationship_id"]).all()
    parties = tables["parties"].groupby("agreement_id")["jurisdiction"].agg(set)
    for a, side in zip(acts["agreement_id"], acts["side"], strict=True):
        assert side == "" or side in parties[a], (a, side)
    ids = set(acts["activity_id"])
    for row, others in zip(acts["activity_id"], acts["same_event_as"], strict=True):
        for other in filter(None, others.split(" | ")):
            assert other in ids, (row, other)
            assert row in acts.set_index("activity_id").loc[other, "same_event_as"], (row, other)


def check_sources(tables):
    for name in ("terms", "agreements", "activities"):
        df = tables[name]
        assert (df["sources"].str.contains("http")).all(), name
        assert (df["source_row_id"] != "").all(), name


def latest_date(tables) -> pd.Timestamp:
    """The last possible day of the latest date in the record."""
    dates = [
        *tables["terms"]["start"],
        *tables["terms"]["end"],
        *tables["terms"]["last_confirmed"],
        *tables["agreements"]["signed"],
        *tables["activities"]["date"],
        *tables["activities"]["date_end"],
    ]
    return max(bounds(d)[1] for d in dates if d)


def load_builder(script: str):
    """The build script ``tools/<script>.py`` as a module."""
    path = REPO / "tools" / f"{script}.py"
    spec = importlib.util.spec_from_file_location(script, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def check_rebuild(case: str, script: str, out: Path) -> pd.DataFrame:
    """A rebuild from the case files equals the committed CSVs; left-out rows are explained.

    Returns the audit of compiled activity rows left out.
    """
    built = load_builder(script).build(CASES, out)
    sources_md = (DATASETS / case / "SOURCES.md").read_text(encoding="utf-8")
    for row_id in built["left_out_activities"]["source_row_id"]:
        assert row_id in sources_md, f"{row_id} is left out but not listed in SOURCES.md"
    for name in NAMES:
        rebuilt = (out / f"{name}.csv").read_bytes()
        assert rebuilt == (DATASETS / case / f"{name}.csv").read_bytes(), (
            f"{case}/{name}.csv differs from a rebuild: run python tools/{script}.py"
        )
    return built["left_out_activities"]
