"""The evaluation report: sections, escaping, languages, provenance and the output folder."""

from __future__ import annotations

import re

import matplotlib
import pytest

import continuity as ct
from continuity.errors import OptionError, WriteError
from continuity.report import build_report, data_digest, render_html, write_report
from continuity.testing import scenario

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def solo():
    return ct.datasets.load_solo()


@pytest.fixture(scope="module")
def solo_report(solo):
    return build_report(solo, focal="Surakarta", name="Surakarta (Solo)")


def hostile_study():
    return (scenario(as_of="2024-12-31")
            .terms("Solo & <i>Co</i>", "mayor", [("<script>alert(1)</script>", "2010-07-28"),
                                                 ("B", "2015-08-05", "caretaker"),
                                                 ("A", "2016-02-17")])
            .terms("Xi'an", "party_secretary", [("P", "2012-06-14"), ("Q", "2016-12-09")])
            .agreement("<b>LOI</b>", ["Solo & <i>Co</i>", "Xi'an"], signed="2015-09-15")
            .build())


HOSTILE = hostile_study()


def test_sections_in_order(solo_report):
    assert [s.key for s in solo_report.sections] == [
        "glance", "timeline", "continuity", "effectiveness", "robustness", "sources"]


def test_every_table_is_written_and_named_once(solo_report):
    names = [t.name for s in solo_report.sections for t in s.tables()]
    assert len(names) == len(set(names))
    assert {"parties", "instruments", "dormancy", "transition_hazard_ratio",
            "robustness_dates", "sources"} <= set(names)


def test_glance_counts_match_the_study(solo, solo_report):
    parties = solo_report.tables()["parties"].set_index("jurisdiction")
    lead = solo.leadership_terms()
    assert parties.loc["Surakarta", "terms"] == (lead["jurisdiction"] == "Surakarta").sum()
    changes = solo.transitions()
    assert parties.loc["Surakarta", "leader_changes"] == changes.loc[
        changes["jurisdiction"] == "Surakarta", "leader_change"].sum()
    # no terms recorded: unknown, never zero
    assert str(parties.loc["Montana", "leader_changes"]) == "<NA>"


def test_robustness_has_the_three_resolutions(solo_report):
    table = solo_report.tables()["robustness_dates"]
    assert list(table.columns) == ["figure", "earliest", "middle", "latest"]


def test_html_is_self_contained(solo_report):
    page = render_html(solo_report)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 4
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"url\((?!#)", page)
    assert "@import" not in page
    assert not re.search(r"\s(src|href|xlink:href)=\"(?!#)", page)  # only in-page anchors


def test_data_strings_are_escaped():
    page = render_html(build_report(HOSTILE, focal="Solo & <i>Co</i>"))
    assert "<script>" not in page
    assert "<b>LOI</b>" not in page
    assert "&lt;b&gt;LOI&lt;/b&gt;" in page
    assert "Solo &amp; &lt;i&gt;Co&lt;/i&gt;" in page
    assert "<i>Co</i>" not in page


def test_indonesian(solo):
    report = build_report(solo, lang="id", focal="Surakarta")
    page = render_html(report)
    assert '<html lang="id">' in page
    assert "Ringkasan studi" in page
    assert "Garis waktu" in page
    assert "The study at a glance" not in page
    # the data stay as they are
    assert "FX Hadi Rudyatmo" in page


def test_digest_traces_the_data(solo):
    assert data_digest(solo) == data_digest(ct.datasets.load_solo())
    assert data_digest(solo) != data_digest(ct.datasets.load_solo(as_of="2025-12-31"))


def test_meta_prints_version_and_digest(solo, solo_report):
    meta = " ".join(solo_report.meta)
    assert ct.__version__ in meta
    assert data_digest(solo) in meta


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lang": "fr"}, "lang must be one of 'en', 'id'"),
    ({"focal": "Xian"}, "focal 'Xian' is not a party"),
])
def test_bad_arguments(solo, kwargs, match):
    with pytest.raises(OptionError, match=match):
        build_report(solo, **kwargs)


def test_write_report_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(WriteError, match="is not empty; give an empty or new folder"):
        write_report(HOSTILE, tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_write_report_refuses_a_file(tmp_path):
    target = tmp_path / "report"
    target.write_text("x")
    with pytest.raises(WriteError, match="is a file"):
        write_report(HOSTILE, target)


def test_write_report_writes_page_and_tables(tmp_path):
    out = write_report(HOSTILE, tmp_path / "new")
    assert out == tmp_path / "new" / "report.html"
    tables = sorted(p.name for p in (tmp_path / "new" / "tables").iterdir())
    assert "parties.csv" in tables
    assert "instruments.csv" in tables
    again = write_report(HOSTILE, tmp_path / "new", force=True)
    assert again.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_both_languages_say_everything():
    from continuity.report import _text

    assert set(_text._EN) == set(_text._ID)
    for key, sentence in _text._EN.items():
        fields = {f for f in re.findall(r"{(\w+)}", sentence)}
        assert fields == set(re.findall(r"{(\w+)}", _text._ID[key])), key


def test_effectiveness_shows_the_scorecard_of_the_focal_city(solo_report):
    card = solo_report.tables()["administration_scorecard"]
    assert "Budi Suharto 2015-2015" in set(card["administration"])
    assert {"estimate", "conf_low", "conf_high", "n_activities"} <= set(card.columns)
    assert "attainment" not in card.columns  # no targets in the Solo record: not shown empty
