"""Checks of the bundled Bandung example data (src/continuity/datasets/bandung/).

The tables are read from the package's folder; the last test rebuilds them from the compiled
case files (and skips only when those are absent). The facts pinned here were checked by hand
against ``bandung_officeholders.csv``, ``bandung_sister_cities.csv``, ``bandung_activities.csv``
and the fact-check notes of ``SOURCES-cities.md``.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import continuity as ct

_spec = importlib.util.spec_from_file_location(
    "case_checks", Path(__file__).with_name("case_checks.py")
)
cc = sys.modules.setdefault("case_checks", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(cc)

PARTNERS = {
    "Braunschweig", "Fort Worth", "Suwon", "Liuzhou", "Hamamatsu", "Kawasaki", "Toyota",
    "Seoul", "Petaling Jaya", "Namur", "Cuenca", "Cotabato City", "Melbourne",
}
LEFT_OUT = ["BDG-LIU-01", "BDG-KAW-10", "BDG-KAW-11", "BDG-GUM-01", "BDG-HGZ-01", "BDG-DAE-01"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return cc.read_tables("bandung")


@pytest.fixture(scope="module")
def settings() -> dict:
    return cc.read_settings("bandung")


def test_shared_checks(tables, settings):
    cc.check_required_columns_and_keys(tables)
    cc.check_precision_columns(tables)
    cc.check_vocabularies(tables)
    cc.check_terms_never_overlap(tables["terms"])
    cc.check_parties(tables, settings, PARTNERS)
    cc.check_activities(tables)
    cc.check_sources(tables)


def test_counts(tables):
    assert {name: len(df) for name, df in tables.items()} == {
        "terms": 17, "agreements": 19, "parties": 38, "activities": 96,
    }
    # 100 compiled activities: 6 left out, BDG-JPN-01 recorded under three relationships
    assert len(tables["activities"]) == 100 - len(LEFT_OUT) + 2
    assert set(tables["activities"]["source_row_id"]).isdisjoint(LEFT_OUT)


def test_mayors_with_acting_and_caretaker_officials(tables):
    terms = tables["terms"].set_index("term_id")
    got = [tuple(terms.loc[t, ["holder", "start", "end", "kind"]]) for t in terms.index]
    assert got == [
        ("Dada Rosada", "2003", "2008-06", "elected"),
        ("Edi Siswadi", "2008-06", "2008-07-22", "acting"),  # Plh
        ("Edi Siswadi", "2008-07-22", "2008-09", "caretaker"),  # sworn in as Pj
        ("Dada Rosada", "2008-09", "2013-08-19", "elected"),  # detained by the KPK
        ("Ayi Vivananda", "2013-08-19", "2013-09-16", "acting"),  # deputy carrying out duties
        ("Mochamad Ridwan Kamil", "2013-09-16", "2018-02-15", "elected"),
        ("Muhamad Solihin", "2018-02-15", "2018-06-24", "caretaker"),  # Pjs, campaign leave
        ("Mochamad Ridwan Kamil", "2018-06-24", "2018-09-05", "elected"),
        ("Oded Muhammad Danial", "2018-09-06", "2018-09-16", "acting"),  # Plt
        ("Dadang Supriatna", "2018-09-16", "2018-09-20", "acting"),  # Plh until inauguration
        ("Oded Muhammad Danial", "2018-09-20", "2021-12-10", "elected"),  # died in office
        ("Yana Mulyana", "2021-12-10", "2022-04-18", "acting"),  # Plt
        ("Yana Mulyana", "2022-04-18", "2023-04-14", "elected"),  # arrested (OTT)
        ("Ema Sumarna", "2023-04-15", "2023-09-20", "acting"),  # Plh
        ("Bambang Tirtoyuliono", "2023-09-20", "2024-09-20", "caretaker"),  # Pj
        ("A. Koswara", "2024-09-20", "2025-02-20", "caretaker"),  # Pj
        ("Muhammad Farhan", "2025-02-20", "", "elected"),
    ]
    assert terms.loc["BDG-MAY-17", "last_confirmed"] == "2025-08-11"


def test_instruments(tables):
    agreements = tables["agreements"].set_index("agreement_id")
    assert agreements.loc["BDG-BRAUNSCHWEIG-MOU-1960", "signed"] == "1960-05-24"
    assert agreements.loc["BDG-SUWON-MOU-1997", ["signed", "signed_precision"]].tolist() == [
        "1997-08", "month"]
    assert agreements.loc["BDG-PETALINGJAYA-MOU-2015", "expires"] == "2020-11-27"
    assert agreements.loc["BDG-MELBOURNE-MOU-2024", "expires"] == "2028-04-22"
    assert agreements.loc["BDG-KAWASAKI-MOU-2016", "signed"] == "2016-02-18"  # corrected BS-16
    assert agreements.loc["BDG-TOYOTA-LOI-2017", "signed"] == "2017-03-23"  # corrected BS-17
    # the signings the activities file records are instruments
    assert agreements.loc["BDG-HAMAMATSU-REN-2025", "source_row_id"] == "BDG-HAM-14"
    assert agreements.loc["BDG-KAWASAKI-AGR-2023", "instrument"] == "agreement"
    # listed sister cities without any date are not instruments
    assert not {"Yingkou", "Cebu City", "Bari"} & set(tables["parties"]["jurisdiction"])
    signings = tables["activities"].query("kind == 'signing'")
    for row in signings["source_row_id"]:
        assert agreements["source_row_id"].str.contains(row).any(), row


def test_activity_columns(tables):
    acts = tables["activities"].set_index("activity_id")
    assert acts.loc["BDG-JPN-01-KAW", "same_event_as"] == "BDG-JPN-01-HAM | BDG-JPN-01-TOY"
    assert acts.loc["BDG-PJ-04", "same_event_as"] == "BDG-PJ-05"
    assert set(acts["objective"]) == {"", "human_resources"}
    assert acts.loc["BDG-HAM-01", "participants"] == "18"
    assert acts.loc["BDG-SUW-10", "side"] == "Suwon"  # Suwon's masks for Bandung
    assert acts.loc["BDG-BRA-13", "side"] == "Bandung"  # ambassador received at Balai Kota
    visits = tables["activities"].query("kind == 'visit_in'")
    assert set(visits["side"]) == {"Bandung"}
    assert (tables["activities"]["cost"] == "").all()


def test_as_of_is_the_latest_day_precise_date(tables, settings):
    acts = tables["activities"]
    day = acts.loc[acts["date_precision"] == "day", "date"]
    assert settings["as_of"] == max(day) == "2025-09-27"


def test_loader_gives_unknown_partner_exposure():
    study = ct.datasets.load_bandung()
    assert study.as_of == pd.Timestamp("2025-09-27")
    assert len(study.agreements) == 19
    ep = study.episodes(level="relationship", focal="Bandung")
    # no partner's leaders are in the record: their changes are unknown (NA), never 0
    assert ep["partner_changes"].isna().all()
    assert ep["changes"].isna().all()
    # Bandung's own changes are known where its record covers the whole life (from 2019)
    melbourne = ep[ep["relationship_id"] == "REL-BDG-MELBOURNE"]
    assert melbourne["own_changes"].tolist() == [0, 1, 1, 1, 2, 3, 4, 5]
    assert ct.datasets.bandung_path().joinpath("SOURCES.md").is_file()


def test_loader_warns_about_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ct.datasets.load_bandung()


@pytest.mark.skipif(
    not (cc.CASES / "bandung_activities.csv").is_file(),
    reason=f"the compiled case files are not at {cc.CASES} (set CONTINUITY_CASES_DIR to rebuild)",
)
def test_rebuild_from_cases_equals_committed(tmp_path):
    left_out = cc.check_rebuild("bandung", "build_bandung_dataset", tmp_path)
    assert sorted(left_out["source_row_id"]) == sorted(LEFT_OUT)


def test_command_line_shows_the_example(capsys):
    from continuity.cli import main

    assert main(["show", "--example", "bandung"]) == 0
    out = capsys.readouterr().out
    assert "19 instruments" in out
    assert "Muhamad Solihin" in out
