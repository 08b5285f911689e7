"""Checks of the bundled Solo example data (src/continuity/datasets/solo/).

The tables are read from the package's folder, so these tests need nothing outside the
repository, except the last one, which rebuilds the CSVs from the compiled case files.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import continuity
from continuity.schema import END_REASONS, INSTRUMENTS, TABLES, TERM_KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SOLO = Path(continuity.__file__).resolve().parent / "datasets" / "solo"
REPO = Path(__file__).resolve().parents[2]
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
NAMES = ("terms", "agreements", "parties", "activities")

#: Partners whose leaders are not in the record (no terms; unknown exposure).
NO_LEADER_RECORD = {"Montana", "Andong"}

#: Compiled activity rows left out: undated, and of partners with no signed instrument.
UNDATED = ["SOLO-XIA-02", "SOLO-XIA-03", "SOLO-XIA-04", "SOLO-AND-16"]
NO_INSTRUMENT = ["SOLO-CHN-01", "SOLO-KYO-01", "SOLO-GUI-01", "SOLO-GIM-01"]

#: Every (table, date column, precision column) pair.
PRECISION_PAIRS = [
    ("terms", "start", "start_precision"),
    ("terms", "end", "end_precision"),
    ("agreements", "signed", "signed_precision"),
    ("activities", "date", "date_precision"),
]

PATTERNS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SOLO / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: read(name) for name in NAMES}


@pytest.fixture(scope="module")
def study() -> dict:
    with open(SOLO / "study.toml", "rb") as f:
        return tomllib.load(f)


def bounds(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last possible day of an ISO date of day, month or year precision."""
    period = pd.Period(value, freq={"day": "D", "month": "M", "year": "Y"}[precision(value)])
    return period.start_time.normalize(), period.end_time.normalize()


def precision(value: str) -> str:
    for name, pattern in PATTERNS.items():
        if re.fullmatch(pattern, value):
            return name
    raise AssertionError(f"not an ISO date: {value!r}")


def middle(value: str) -> pd.Timestamp:
    lo, hi = bounds(value)
    return lo + (hi - lo) // 2


def test_required_columns_and_keys(tables):
    for name, df in tables.items():
        missing = set(TABLES[name].required) - set(df.columns)
        assert not missing, f"{name}: missing {missing}"
        for col in TABLES[name].required:
            assert (df[col] != "").all(), f"{name}.{col} has empty values"
    assert tables["terms"]["term_id"].is_unique
    assert tables["agreements"]["agreement_id"].is_unique
    assert not tables["parties"].duplicated(["agreement_id", "jurisdiction"]).any()
    assert tables["activities"]["activity_id"].is_unique


def test_precision_columns_agree_with_date_strings(tables):
    for name, col, prec in PRECISION_PAIRS:
        df = tables[name]
        for value, p in zip(df[col], df[prec], strict=True):
            if value == "":
                assert p == "", f"{name}.{prec} is {p!r} for an empty {col}"
            else:
                assert re.fullmatch(PATTERNS[p], value), f"{name}.{col} {value!r} is not {p}"
                bounds(value)  # a real calendar date


def test_vocabularies(tables):
    terms, agreements = tables["terms"], tables["agreements"]
    assert set(terms["kind"]) <= set(TERM_KINDS)
    assert set(terms["office"]) == {"mayor", "deputy_mayor", "party_secretary"}
    assert set(agreements["instrument"]) <= set(INSTRUMENTS)
    assert set(agreements["end_reason"]) <= {*END_REASONS, ""}
    for name, df in tables.items():
        if "confidence" in df:
            assert set(df["confidence"]) <= {"high", "medium", "low"}, name


def test_terms_of_one_office_never_overlap(tables):
    """Consecutive terms: end <= next start at the bounds and under the middle rule.

    At the bounds: the earliest possible end of a term is not after the latest possible start of
    the next. Under the middle rule a fuzzy date resolves to the middle of its period but never
    past a neighbouring day-precise date.
    """
    terms = tables["terms"]
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


def test_solo_mayor_sequence(tables):
    mayors = tables["terms"].query("jurisdiction == 'Surakarta' and office == 'mayor'")
    assert list(mayors["holder"]) == [
        "Joko Widodo",
        "Joko Widodo",
        "FX Hadi Rudyatmo",
        "FX Hadi Rudyatmo",
        "Budi Suharto",
        "Budi Suharto",
        "Budi Yulistianto",
        "FX Hadi Rudyatmo",
        "Ahyani",
        "Gibran Rakabuming Raka",
        "Teguh Prakosa",
        "Respati Ardi",
    ]
    # the September 2015 letters of intent were signed under a caretaker
    sept = mayors[(mayors["start"] <= "2015-09-01") & (mayors["end"] >= "2015-10-01")]
    assert list(sept["kind"]) == ["caretaker"]


def test_issue_7_corrections(tables):
    """The Solo facts corrected after the fact-check of issue 7 (sources in SOURCES.md)."""
    terms = tables["terms"].set_index("term_id")
    assert terms.loc["SUR-MAY-02", ["holder", "end"]].tolist() == ["Joko Widodo", "2012-10-01"]
    assert terms.loc["SUR-MAY-03", ["holder", "start", "end", "kind"]].tolist() == [
        "FX Hadi Rudyatmo", "2012-10-01", "2012-10-19", "acting"]
    assert "86.54%; 225,451 votes" in terms.loc["SUR-MAY-10", "basis"]
    budi = terms.loc["SUR-MAY-07"]
    assert budi["kind"] == "caretaker"
    assert "Tempo" in budi["notes"]
    assert "Sindonews" in budi["notes"]
    assert terms.loc["XIA-MAY-09", "last_confirmed"] == "2025-03-25"
    andong = tables["agreements"].set_index("agreement_id").loc["SOLO-ANDONG-AGR-2007"]
    assert andong[["signed", "signed_precision"]].tolist() == ["2007-09-29", "day"]
    # Zhuhai's party secretary after Lü Yuyin (Chen Yong) has no start date: a gap, not a term
    zhuhai = tables["terms"].query("jurisdiction == 'Zhuhai' and office == 'party_secretary'")
    assert zhuhai["end"].iloc[-1] == "2023-06-26"
    assert "Chen Yong" not in set(zhuhai["holder"])


def test_activities_of_bundled_instruments(tables):
    """36 compiled rows fall under a bundled instrument; the 4 undated ones cannot be rows."""
    acts = tables["activities"]
    assert len(acts) == 32
    assert "SOLO-XIA-11" in set(acts["activity_id"])
    same = acts.set_index("activity_id")["same_event_as"]
    assert same["SOLO-XIA-10"] == "SOLO-XIA-11"
    assert same["SOLO-XIA-11"] == "SOLO-XIA-10"
    assert same["SOLO-XIA-09"] == "SOLO-ZHU-04"
    assert same["SOLO-ZHU-04"] == "SOLO-XIA-09"
    # a side, where given, is a party of the activity's instrument
    parties = tables["parties"].groupby("agreement_id")["jurisdiction"].agg(set)
    for a, side in zip(acts["agreement_id"], acts["side"], strict=True):
        assert side == "" or side in parties[a], (a, side)
    assert set(acts.query("kind == 'visit_in'")["side"]) == {"Surakarta"}
    assert (acts["objective"] == "").all()
    assert (acts["participants"] == "").all()


def test_parties_name_known_jurisdictions(tables, study):
    parties = tables["parties"]
    with_terms = set(tables["terms"]["jurisdiction"])
    assert set(parties["jurisdiction"]) <= with_terms | NO_LEADER_RECORD
    assert NO_LEADER_RECORD.isdisjoint(with_terms)
    assert set(parties["agreement_id"]) == set(tables["agreements"]["agreement_id"])
    assert (parties.groupby("agreement_id")["jurisdiction"].nunique() >= 2).all()
    # every party has a leadership office, and it is an office with terms where terms exist
    offices = study["offices"]
    assert set(parties["jurisdiction"]) == set(offices)
    for jur in with_terms:
        assert offices[jur] in set(tables["terms"].query("jurisdiction == @jur")["office"])
    assert study["allow_unknown_exposure"] is True


def test_activities_name_known_agreements(tables):
    acts, agreements = tables["activities"], tables["agreements"]
    merged = acts.merge(
        agreements[["agreement_id", "relationship_id"]],
        on="agreement_id",
        how="left",
        suffixes=("", "_agreement"),
        validate="many_to_one",
    )
    assert (merged["relationship_id_agreement"] == merged["relationship_id"]).all()
    assert set(agreements["relationship_id"]) == set(acts["relationship_id"])


def test_instruments_without_recorded_end_stay_open(tables):
    agreements = tables["agreements"]
    assert (agreements["ended"] == "").all()
    assert (agreements["end_reason"] == "").all()
    # no renewal was signed under PP 28/2018: the 2021 workshop is an activity
    assert "renewal" not in set(agreements["instrument"])
    workshop = tables["activities"].query("date == '2021-10-21'")
    assert sorted(workshop["agreement_id"]) == ["SOLO-XIAN-LOI-2015", "SOLO-ZHUHAI-LOI-2015"]


def test_every_row_has_sources(tables):
    for name in ("terms", "agreements", "activities"):
        df = tables[name]
        assert (df["sources"].str.contains("http")).all(), name
        assert (df["source_row_id"] != "").all(), name


def test_as_of_is_the_latest_date_in_the_record(tables, study):
    dates = [
        *tables["terms"]["start"],
        *tables["terms"]["end"],
        *tables["terms"]["last_confirmed"],
        *tables["agreements"]["signed"],
        *tables["activities"]["date"],
        *tables["activities"]["date_end"],
    ]
    latest = max(bounds(d)[1] for d in dates if d)
    assert pd.Timestamp(study["as_of"]) == latest


def _load_builder():
    path = REPO / "tools" / "build_solo_dataset.py"
    spec = importlib.util.spec_from_file_location("build_solo_dataset", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (CASES / "solo_activities.csv").is_file(),
    reason=f"the compiled case files are not at {CASES} (set CONTINUITY_CASES_DIR to rebuild)",
)
def test_rebuild_from_cases_equals_committed(tmp_path):
    builder = _load_builder()
    built = builder.build(CASES, tmp_path)
    # every compiled activity row is either in activities.csv or explained in SOURCES.md
    sources_md = (SOLO / "SOURCES.md").read_text(encoding="utf-8")
    left_out = built["left_out_activities"]["source_row_id"]
    assert sorted(left_out) == sorted(UNDATED + NO_INSTRUMENT)
    for row_id in left_out:
        assert row_id in sources_md, f"{row_id} is left out but not listed in SOURCES.md"
    for name in NAMES:
        rebuilt = (tmp_path / f"{name}.csv").read_bytes()
        assert rebuilt == (SOLO / f"{name}.csv").read_bytes(), (
            f"{name}.csv differs from a rebuild: run python tools/build_solo_dataset.py"
        )
