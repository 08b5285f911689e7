"""study.panel on tiny hand-built studies, with literal expected rows."""

from __future__ import annotations

import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError
from continuity.testing import scenario


def _study(**kwargs):
    b = (scenario(as_of="2019-06-30")
         .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-07-01", "caretaker"),
                                  ("C", "2016-10-01")])
         .terms("Xi'an", "party_secretary", [("P", "2014-01-01"), ("Q", "2018-03-01")])
         .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15", ended="2018-09-15"))
    return b.build(**kwargs)


def test_rows_exposure_and_end():
    p = _study().panel(freq="year")
    assert p["period"].astype(str).tolist() == ["2015", "2016", "2017", "2018"]
    assert p["exposure_days"].tolist() == [108, 366, 365, 257]
    assert p["ended"].tolist() == [False, False, False, True]
    assert p["formally_alive"].tolist() == [True, True, True, False]
    assert p["periods_since_entry"].tolist() == [0, 1, 2, 3]
    assert str(p["period_start"].iloc[1].date()) == "2016-01-01"
    assert str(p["period_stop"].iloc[1].date()) == "2017-01-01"


def test_changes_leaders_and_caretaker_per_party():
    p = _study().panel(freq="year", focal="Solo")
    assert p["changes"].tolist() == [0, 2, 0, 1]
    assert p["own_changes"].tolist() == [0, 2, 0, 0]
    assert p["partner_changes"].tolist() == [0, 0, 0, 1]
    assert p["own_caretaker"].tolist() == [False, True, False, False]
    assert p["caretaker"].tolist() == [False, True, False, False]
    assert p["own_leader"].astype(object).tolist() == ["A", "A", "C", "C"]
    assert p["jurisdiction_2"].astype(object).tolist() == ["Xi'an"] * 4
    assert p["leader_2"].astype(object).tolist() == ["P", "P", "P", "P"]
    assert p["periods_since_change"].tolist() == [-1, 0, 1, 0]
    assert p["own_periods_since_change"].tolist() == [-1, 0, 1, 2]
    assert p["periods_to_change"].tolist() == [1, 0, 1, 0]
    assert p["own_periods_to_change"].isna().tolist() == [False, False, True, True]


@pytest.mark.parametrize(("rule", "want"), [("first", ["A", "P"]), ("last", ["C", "P"]),
                                            ("longest", ["A", "P"])])
def test_leader_rule(rule, want):
    p = _study().panel(freq="year", leader_rule=rule)
    row = p[p["period"].astype(str) == "2016"].iloc[0]
    assert [row["leader_1"], row["leader_2"]] == want


def test_longest_sums_one_holders_days():
    # A holds 2016 for 100 + 120 days around B's 146: A is the longest
    study = (scenario(as_of="2017-06-30")
             .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-04-10"),
                                      ("A", "2016-09-03")])
             .terms("Xi'an", "party_secretary", [("P", "2014-01-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15").build())
    p = study.panel(leader_rule="longest")
    assert p.loc[p["period"].astype(str) == "2016", "leader_1"].item() == "A"
    assert p.loc[p["period"].astype(str) == "2016", "changes_1"].item() == 2


def test_na_outside_the_record_never_zero():
    # Xi'an's record starts in 2017: its changes and leader before are unknown
    study = (scenario(as_of="2019-06-30")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Xi'an", "party_secretary", [("Q", "2017-03-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15").build())
    p = study.panel(focal="Solo")
    assert p["changes_2"].isna().tolist() == [True, True, True, False, False]
    assert p["changes"].isna().tolist() == [True, True, True, False, False]
    assert p["own_changes"].tolist() == [0, 0, 0, 0, 0]
    assert p["partner_changes"].isna().tolist() == [True, True, True, False, False]
    assert p["leader_2"].isna().tolist() == [True, True, True, False, False]


def test_quarter_and_month_exposure_sum_to_the_year():
    study = _study()
    year = study.panel(freq="year")["exposure_days"].sum()
    assert study.panel(freq="quarter")["exposure_days"].sum() == year
    assert study.panel(freq="month")["exposure_days"].sum() == year
    q = study.panel(freq="quarter")
    assert str(q["period"].iloc[0]) == "2015Q3"


def test_activities_counted_by_the_metrics_rule():
    study = (scenario(as_of="2019-06-30")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15", ended="2018-09-15")
             .build())
    acts = pd.DataFrame({
        "agreement_id": "LOI",
        "date": ["2015-09-01", "2015-10-01", "2016-05-05", "2016-06-06", "2018-09-15"],
        "kind": ["visit_in", "visit_in", "statement", "meeting", "meeting"]})
    with pytest.warns(ct.ActivityOutsideLifeWarning):
        study = ct.Study(study.terms, study.agreements, study.parties, acts, as_of="2019-06-30")
    p = study.panel()
    # before entry, a statement, and on the formal end day: not counted
    assert p["n_activities"].tolist() == [1, 1, 0, 0]
    assert p["n_activities_visit_in"].tolist() == [1, 0, 0, 0]
    assert p["n_activities_meeting"].tolist() == [0, 1, 0, 0]
    assert "n_activities_statement" not in p.columns


def test_dormant_at_period_end():
    study = (scenario(as_of="2019-06-30")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15").build())
    acts = pd.DataFrame({"agreement_id": ["LOI"], "date": ["2016-03-01"]})
    study = ct.Study(study.terms, study.agreements, study.parties, acts, as_of="2019-06-30")
    p = study.panel(dormancy=365)
    assert p["dormant"].tolist() == [False, False, True, True, True]
    d = study.panel(dormancy=365, event="dormant")
    assert d["period"].astype(str).tolist() == ["2015", "2016", "2017"]
    assert d["ended"].tolist() == [False, False, True]
    assert _study().panel()["dormant"].isna().all()  # no activities: unknown


def test_relationship_level_spells():
    study = (scenario(as_of="2022-06-30")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15", expires="2016-09-15",
                        relationship_id="R")
             .agreement("MOU", ["Solo", "Xi'an"], signed="2016-12-01", expires="2018-12-01",
                        relationship_id="R")
             .build())
    p = study.panel(level="relationship")
    assert p["relationship_id"].astype(object).unique().tolist() == ["R"]
    # one spell (the MoU comes 77 days after the LoI lapsed), ending when the MoU expires
    assert p["period"].astype(str).tolist() == ["2015", "2016", "2017", "2018"]
    assert p["ended"].tolist() == [False] * 3 + [True]
    assert p["exposure_days"].sum() == 1173


def test_input_not_mutated_and_signature():
    import inspect

    study = _study()
    before = study.agreements.copy()
    study.panel()
    pd.testing.assert_frame_equal(study.agreements, before)
    assert "leader_rule" in inspect.signature(study.panel).parameters


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"freq": "week"}, "freq must be one of 'year', 'quarter', 'month', not 'week'"),
    ({"level": "dyad"}, "level must be one of"),
    ({"leader_rule": "middle"}, "leader_rule must be one of 'first', 'last', 'longest'"),
    ({"focal": "Nowhere"}, "focal 'Nowhere' is not a party"),
    ({"event": "dormant"}, "event='dormant' needs dated activities"),
    ({"dormancy": 0}, "dormancy must be a whole number of days, 1 or more"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        _study().panel(**kwargs)


def test_not_a_study():
    from continuity.panel import build_panel

    with pytest.raises(ct.errors.ContinuityTypeError, match=r"study must be a continuity\.Study"):
        build_panel(pd.DataFrame())


def test_a_study_with_no_agreements_gives_an_empty_panel():
    study = _study()
    empty = ct.Study(study.terms, study.agreements.iloc[:0], study.parties.iloc[:0],
                     as_of="2019-06-30")
    p = empty.panel(freq="quarter")
    assert len(p) == 0
    assert {"agreement_id", "period", "exposure_days", "changes"} <= set(p.columns)


def test_activities_of_units_with_no_time_at_risk():
    # signed on as_of: no time at risk and no row, though an activity is dated that day (the
    # property test found a crash here: activities were looked up among no units)
    study = (scenario(as_of="2015-09-15")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
             .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15").build())
    acts = pd.DataFrame({"agreement_id": ["LOI"], "date": ["2015-09-15"]})
    study = ct.Study(study.terms, study.agreements, study.parties, acts, as_of="2015-09-15")
    for level in ("instrument", "relationship"):
        p = study.panel(level=level)
        assert len(p) == 0
        assert "n_activities" in p.columns
