"""The Study: tables held at day resolution, immutability, fuzzy dates, transitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import continuity as ct


@pytest.fixture
def raw():
    return {
        "terms": pd.DataFrame({
            "jurisdiction": ["Solo", "Solo", "Solo", "Solo", "Xi'an", "Xi'an"],
            "office": ["mayor"] * 4 + ["party_secretary"] * 2,
            "holder": ["A", "B", "A", "C", "P", "Q"],
            "start": ["2010-07-28", "2015-08-05", "2016-02-17", "2021-02-26", "2012-06-14",
                      "2016-12-09"],
            "end": ["2015-07-28", "2016-02-17", "2021-02-26", None, "2016-12", None],
            "kind": ["elected", "caretaker", "elected", "elected", None, None],
            "party": ["PDI-P", None, "PDI-P", "PDI-P", None, None],
        }),
        "agreements": pd.DataFrame({"agreement_id": ["LOI"], "signed": ["2015-09"],
                                    "ended": ["2022-01-01"], "title": ["Letter of intent"]}),
        "parties": pd.DataFrame({"agreement_id": ["LOI", "LOI"],
                                 "jurisdiction": ["Solo", "Xi'an"]}),
    }


def test_dates_are_days_with_their_precision(raw):
    study = ct.Study(**raw, as_of="2024-12-31")
    t = study.terms
    assert t["start"].dtype == "datetime64[ns]"
    assert t["end"].dtype == "datetime64[ns]"
    # "2016-12" resolves to the middle of December but never past the next known start
    assert t.loc[4, "end"] == pd.Timestamp("2016-12-09")
    assert t.loc[4, "end_precision"] == "month"
    assert pd.isna(t.loc[5, "end"])
    assert study.agreements.loc[0, "signed"] == pd.Timestamp("2015-09-15")
    assert study.agreements.loc[0, "title"] == "Letter of intent"  # extra columns are kept


def test_resolve_dates_earliest_and_latest(raw):
    study = ct.Study(**raw, as_of="2024-12-31")
    lo, hi = study.resolve_dates("earliest"), study.resolve_dates("latest")
    assert lo.agreements.loc[0, "signed"] == pd.Timestamp("2015-09-01")
    assert hi.agreements.loc[0, "signed"] == pd.Timestamp("2015-09-30")
    assert lo.terms.loc[4, "end"] == pd.Timestamp("2016-12-01")
    assert hi.terms.loc[4, "end"] == pd.Timestamp("2016-12-09")  # clamped at Q's known start
    assert lo.as_of == hi.as_of == study.as_of == pd.Timestamp("2024-12-31")
    with pytest.raises(ct.OptionError, match="rule must be one of 'middle', 'earliest', 'latest'"):
        study.resolve_dates("first")


def test_as_of_defaults_to_the_latest_date_and_says_so(raw):
    study = ct.Study(**raw)
    assert study.as_of == pd.Timestamp("2022-01-01")
    assert study.as_of_source == "the latest date in the data"
    assert ct.Study(**raw, as_of="2023-06-30").as_of_source == "given"


def test_study_is_immutable_and_returns_copies(raw):
    before = raw["terms"].copy()
    study = ct.Study(**raw)
    pd.testing.assert_frame_equal(raw["terms"], before)  # the input is not mutated
    with pytest.raises(AttributeError, match="immutable"):
        study.as_of = pd.Timestamp("2030-01-01")
    t = study.terms
    t.loc[0, "holder"] = "Z"
    assert study.terms.loc[0, "holder"] == "A"
    raw["terms"].loc[0, "holder"] = "Y"  # changing the input afterwards changes nothing
    assert study.terms.loc[0, "holder"] == "A"


def test_ids_are_text_with_leading_zeros(raw):
    raw["agreements"]["agreement_id"] = ["007"]
    raw["parties"]["agreement_id"] = ["007", "007"]
    study = ct.Study(**raw)
    assert study.agreements.loc[0, "agreement_id"] == "007"
    assert study.agreements.loc[0, "relationship_id"] == "007"


def test_numeric_ids_become_text(raw):
    raw["agreements"]["agreement_id"] = [12]
    raw["parties"]["agreement_id"] = [12.0, 12.0]
    study = ct.Study(**raw)
    assert study.parties["agreement_id"].tolist() == ["12", "12"]


def test_one_office_name_for_every_jurisdiction(raw):
    raw["terms"]["office"] = "head"
    assert ct.Study(**raw, offices="head").offices == {"Solo": "head", "Xi'an": "head"}


def test_transitions_literal(raw):
    tr = ct.Study(**raw, as_of="2024-12-31").transitions()
    expected = pd.DataFrame({
        "jurisdiction": ["Solo", "Solo", "Solo", "Xi'an"],
        "office": ["mayor", "mayor", "mayor", "party_secretary"],
        "date": pd.to_datetime(["2015-08-05", "2016-02-17", "2021-02-26", "2016-12-09"]),
        "from_holder": ["A", "B", "A", "P"],
        "to_holder": ["B", "A", "C", "Q"],
        "leader_change": [True, True, True, True],
        "caretaker": [True, True, False, False],
        "gap_days": [8, 0, 0, 0],
        "transition_kind": ["caretaker", "caretaker", "same_party", "regular"],
    })
    pd.testing.assert_frame_equal(tr[expected.columns], expected, check_dtype=False)
    assert tr["party_change"].tolist()[:3] == [pd.NA, pd.NA, False]


def test_same_holder_new_term_is_reported_but_not_a_leader_change():
    terms = pd.DataFrame({"jurisdiction": ["J"] * 2 + ["K"], "office": ["m"] * 3,
                          "holder": ["A", "A", "B"],
                          "start": ["2000-01-01", "2005-01-01", "2000-01-01"],
                          "end": ["2005-01-01", None, None]})
    agreements = pd.DataFrame({"agreement_id": ["X"], "signed": ["2001-01-01"]})
    parties = pd.DataFrame({"agreement_id": ["X", "X"], "jurisdiction": ["J", "K"]})
    tr = ct.Study(terms, agreements, parties, as_of="2010-01-01").transitions()
    assert tr[["leader_change", "transition_kind"]].values.tolist() == [[False, "same_holder"]]


def test_transitions_after_as_of_are_left_out(raw):
    tr = ct.Study(**raw, as_of="2020-01-01").transitions()
    assert tr["date"].max() == pd.Timestamp("2016-12-09")


def test_repr_is_a_readable_summary(raw):
    text = repr(ct.Study(**raw, as_of="2024-12-31"))
    assert text.splitlines()[0] == (
        "<continuity.Study: 2 parties, 1 instruments, as_of 2024-12-31 (given)>")
    assert "offices:  Solo: mayor, Xi'an: party_secretary" in text
    assert "2 known only to the month or year" in text


def test_summary_counts_rows_and_fuzzy_dates(raw):
    s = ct.Study(**raw).summary()
    assert s.to_dict("list") == {"table": ["terms", "agreements", "parties"],
                                 "rows": [6, 1, 2], "fuzzy_dates": [1, 1, 0]}


def test_year_precision_resolves_to_the_middle_of_the_year(raw):
    raw["agreements"]["signed"] = ["2015"]
    study = ct.Study(**raw)
    assert study.agreements.loc[0, "signed"] == pd.Timestamp("2015-07-02")
    assert study.agreements.loc[0, "signed_precision"] == "year"


def test_precision_columns_widen_a_written_day(raw):
    raw["terms"]["start_precision"] = ["day", "day", "day", "month", "day", "day"]
    study = ct.Study(**raw)
    # the middle of February (the 14th) would cross A's known end, 2021-02-26: it moves there
    assert study.terms.loc[3, "start"] == pd.Timestamp("2021-02-26")
    assert study.resolve_dates("earliest").terms.loc[3, "start"] == pd.Timestamp("2021-02-26")


def test_datetime64_columns_are_accepted(raw):
    raw["agreements"]["signed"] = pd.to_datetime(["2015-09-15 10:00"])
    raw["agreements"]["ended"] = np.array(["2022-01-01"], dtype="datetime64[ns]")
    study = ct.Study(**raw)
    assert study.agreements.loc[0, "signed"] == pd.Timestamp("2015-09-15")


def test_all_timezone_aware_dates_are_held_as_local_days():
    tz = "Asia/Jakarta"
    terms = pd.DataFrame({"jurisdiction": ["J", "K"], "office": ["m", "m"], "holder": ["A", "B"],
                          "start": pd.to_datetime(["2000-01-01", "2000-01-01"]).tz_localize(tz),
                          "end": pd.Series([pd.NaT, pd.NaT], dtype=f"datetime64[ns, {tz}]")})
    agreements = pd.DataFrame({"agreement_id": ["X"],
                               "signed": pd.to_datetime(["2001-01-01 23:00"]).tz_localize(tz)})
    parties = pd.DataFrame({"agreement_id": ["X", "X"], "jurisdiction": ["J", "K"]})
    study = ct.Study(terms, agreements, parties, as_of=pd.Timestamp("2010-01-01", tz=tz))
    assert study.agreements.loc[0, "signed"] == pd.Timestamp("2001-01-01")


def test_repr_of_a_large_study_stays_short():
    n = 30
    terms = pd.DataFrame({"jurisdiction": [f"J{i:02d}" for i in range(n)], "office": "leader",
                          "holder": "h", "start": "2000-01-01", "end": None})
    agreements = pd.DataFrame({"agreement_id": ["X"], "signed": ["2001-01-01"]})
    parties = pd.DataFrame({"agreement_id": ["X", "X"], "jurisdiction": ["J00", "J01"]})
    line = repr(ct.Study(terms, agreements, parties)).splitlines()[1]
    assert line == ("  offices:  J00: leader, J01: leader, J02: leader, J03: leader, J04: leader, "
                    "J05: leader, J06: leader, J07: leader, ... and 22 more")


def test_resolve_dates_keeps_where_as_of_came_from(raw):
    study = ct.Study(**raw)
    assert study.resolve_dates("latest").as_of_source == "the latest date in the data"
