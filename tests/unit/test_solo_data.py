"""Checks of the bundled Solo example data (src/continuity/datasets/solo/).

The tables are read from the package's folder, so these tests need nothing outside the
repository, except the last one, which rebuilds the CSVs from the compiled case files. The
checks every bundled case shares are in ``case_checks.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

_spec = importlib.util.spec_from_file_location(
    "case_checks", Path(__file__).with_name("case_checks.py")
)
cc = sys.modules.setdefault("case_checks", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(cc)

#: Partners whose leaders are not in the record (no terms; unknown exposure).
NO_LEADER_RECORD = {"Montana", "Andong"}

#: Compiled activity rows left out: undated, and of partners with no signed instrument.
UNDATED = ["SOLO-XIA-02", "SOLO-XIA-03", "SOLO-XIA-04", "SOLO-AND-16"]
NO_INSTRUMENT = ["SOLO-CHN-01", "SOLO-KYO-01", "SOLO-GUI-01", "SOLO-GIM-01"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return cc.read_tables("solo")


@pytest.fixture(scope="module")
def study() -> dict:
    return cc.read_settings("solo")


def test_required_columns_and_keys(tables):
    cc.check_required_columns_and_keys(tables)


def test_precision_columns_agree_with_date_strings(tables):
    cc.check_precision_columns(tables)


def test_vocabularies(tables):
    cc.check_vocabularies(tables)
    assert set(tables["terms"]["office"]) == {"mayor", "deputy_mayor", "party_secretary"}


def test_terms_of_one_office_never_overlap(tables):
    cc.check_terms_never_overlap(tables["terms"])


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
    assert set(acts.query("kind == 'visit_in'")["side"]) == {"Surakarta"}
    assert (acts["objective"] == "").all()
    assert (acts["participants"] == "").all()


def test_parties_name_known_jurisdictions(tables, study):
    cc.check_parties(tables, study, NO_LEADER_RECORD)


def test_activities_name_known_agreements(tables):
    cc.check_activities(tables)
    assert set(tables["agreements"]["relationship_id"]) == set(
        tables["activities"]["relationship_id"]
    )


def test_instruments_without_recorded_end_stay_open(tables):
    agreements = tables["agreements"]
    assert (agreements["ended"] == "").all()
    assert (agreements["end_reason"] == "").all()
    # no renewal was signed under PP 28/2018: the 2021 workshop is an activity
    assert "renewal" not in set(agreements["instrument"])
    workshop = tables["activities"].query("date == '2021-10-21'")
    assert sorted(workshop["agreement_id"]) == ["SOLO-XIAN-LOI-2015", "SOLO-ZHUHAI-LOI-2015"]


def test_every_row_has_sources(tables):
    cc.check_sources(tables)


def test_as_of_is_the_latest_date_in_the_record(tables, study):
    assert pd.Timestamp(study["as_of"]) == cc.latest_date(tables)


@pytest.mark.skipif(
    not (cc.CASES / "solo_activities.csv").is_file(),
    reason=f"the compiled case files are not at {cc.CASES} (set CONTINUITY_CASES_DIR to rebuild)",
)
def test_rebuild_from_cases_equals_committed(tmp_path):
    left_out = cc.check_rebuild("solo", "build_solo_dataset", tmp_path)
    assert sorted(left_out["source_row_id"]) == sorted(UNDATED + NO_INSTRUMENT)


def test_zhuhai_exposure_unknown_after_lu_yuyin():
    """Zhuhai's secretary after 2023-06-26 is not in the record: its changes are NA, never 0."""
    import continuity as ct

    ep = ct.datasets.load_solo().episodes(level="relationship", focal="Surakarta")
    zhuhai = ep[ep["relationship_id"] == "REL-SOLO-ZHUHAI"]
    after = zhuhai[zhuhai["start"] >= pd.Timestamp("2023-06-26")]
    assert len(after) > 0
    assert after["partner_changes"].isna().all()
    assert after["own_changes"].notna().all()
    before = zhuhai[zhuhai["stop"] <= pd.Timestamp("2023-06-26")]
    assert before["partner_changes"].notna().all()
