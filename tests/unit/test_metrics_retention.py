"""continuity.metrics.portfolio_retention on a study worked out by hand."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError
from continuity.metrics import portfolio_retention
from continuity.testing import scenario


def hand_study():
    # as_of 2020-12-31. Solo: A 2010-01-01, caretaker X 2014-01-01, B 2014-03-01,
    # C 2018-01-01. Zhuhai: P throughout (no pair of administrations, no row).
    # One instrument per relationship, all Solo-Zhuhai:
    #   R1 signed 2011-01-01 (A); activities 2015-01-01 (B), 2019-01-01 (C)
    #   R2 signed 2012-01-01 (A); activity 2014-02-01 (during caretaker X)
    #   R3 signed 2015-06-01 (B); ended 2017-01-01
    #   R4 signed 2016-01-01 (B); activity 2018-06-01 (C)
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("X", "2014-01-01", "caretaker"),
                                     ("B", "2014-03-01"), ("C", "2018-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
            .agreement("R1", ["Solo", "Zhuhai"], signed="2011-01-01")
            .agreement("R2", ["Solo", "Zhuhai"], signed="2012-01-01")
            .agreement("R3", ["Solo", "Zhuhai"], signed="2015-06-01", ended="2017-01-01")
            .agreement("R4", ["Solo", "Zhuhai"], signed="2016-01-01")
            .activity("R1", "2015-01-01")
            .activity("R1", "2019-01-01")
            .activity("R2", "2014-02-01")
            .activity("R4", "2018-06-01")
            .build())


def test_retention_activity_by_hand():
    r = portfolio_retention(hand_study(), basis="activity")
    assert r["jurisdiction"].tolist() == ["Solo", "Solo"]
    assert r["administration"].tolist() == ["A 2010-2014", "B 2014-2018"]
    assert r["next_administration"].tolist() == ["B 2014-2018", "C 2018-"]
    # A: R1, R2 signed under A; under B only R1 is active (R2's activity fell in the caretaker
    # spell, which counts for nobody) -> 1 / 2
    # B: R1 (2015 activity), R3 and R4 (signed) -> under C: R1 (2019), R4 (2018) -> 2 / 3
    assert r["n"].tolist() == [2, 3]
    assert r["n_events"].tolist() == [1, 2]
    np.testing.assert_allclose(r["estimate"], [0.5, 2 / 3])
    # C observed 2018-01-01 .. 2020-12-31: 365 + 365 + 366 = 1096 days, not complete;
    # B: 2014-03-01 -> 2017-03-01 = 1096 (2016 leap), + 306 days to 2018-01-01 = 1402
    assert r["next_observed_days"].tolist() == [1402, 1096]
    assert r["next_complete"].tolist() == [True, False]


def test_retention_with_caretakers():
    r = portfolio_retention(hand_study(), basis="activity", include_caretakers=True)
    # A {R1, R2} -> X {R2}: 1/2; X {R2} -> B {R1, R3, R4}: 0/1; B -> C: 2/3 as before
    assert r["administration"].tolist() == ["A 2010-2014", "X 2014-2014", "B 2014-2018"]
    assert r["n"].tolist() == [2, 1, 3]
    assert r["n_events"].tolist() == [1, 0, 2]


def test_retention_formal_by_hand():
    r = portfolio_retention(hand_study(), basis="formal")
    # in force: R1, R2 from signing on; R3 2015-06-01 .. 2017-01-01; R4 from 2016.
    # A {R1, R2} -> B: both -> 2/2. B {R1, R2, R3, R4} -> C {R1, R2, R4} -> 3/4
    assert r["n"].tolist() == [2, 4]
    assert r["n_events"].tolist() == [2, 3]
    # Wilson 95% for 3/4 (worked out in test_metrics_dormancy): (0.300642, 0.954413)
    np.testing.assert_allclose(r.loc[1, ["conf_low", "conf_high"]].to_numpy(float),
                               [0.300642, 0.954413], rtol=1e-5)


def test_retention_columns():
    r = portfolio_retention(hand_study())
    assert list(r.columns) == [
        "jurisdiction", "administration", "administration_start", "next_administration",
        "next_start", "next_observed_days", "next_complete", "n", "n_events", "estimate",
        "conf_low", "conf_high"]
    assert r["administration_start"].dtype == "datetime64[ns]"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"basis": "de_facto"},
     "basis must be one of 'handover', 'activity', 'formal', not 'de_facto'"),
    ({"include_caretakers": "no"}, "include_caretakers must be True or False"),
    ({"dormancy": 0}, "dormancy must be a whole number of days, 1 or more"),
    ({"max_gap": 10**9}, "max_gap must be a whole number of days, at most"),
    ({"conf_level": 0}, "conf_level must be a number strictly between 0 and 1"),
])
def test_retention_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        portfolio_retention(hand_study(), **kwargs)


def test_retention_runs_on_solo():
    r = portfolio_retention(ct.datasets.load_solo(), basis="activity")
    assert set(r["jurisdiction"]) == {"Surakarta", "Xi'an", "Zhuhai"}
    assert (r["n_events"] <= r["n"]).all()
    solo = r[r["jurisdiction"] == "Surakarta"]
    # Gibran's three active relationships: none shows activity under Teguh Prakosa
    assert solo.loc[solo["administration"].str.startswith("Gibran"), "n_events"].item() == 0
    assert pd.api.types.is_bool_dtype(r["next_complete"])


def test_activities_after_the_formal_end_are_not_signs_of_life():
    # Solo: A from 2010, B from 2015-01-01. G (relationship G) signed 2012-01-01 under A,
    # ended 2014-01-01; an activity is dated 2016-01-01, under B but after G's formal end.
    # dormancy does not count it, so neither does retention: A's portfolio {G}, B's {}.
    from continuity.errors import ActivityOutsideLifeWarning

    with pytest.warns(ActivityOutsideLifeWarning):
        study = (scenario(as_of="2020-12-31")
                 .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2015-01-01")])
                 .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
                 .agreement("G", ["Solo", "Zhuhai"], signed="2012-01-01", ended="2014-01-01")
                 .activity("G", "2016-01-01")
                 .build())
    r = portfolio_retention(study, basis="activity")
    assert r[["administration", "n", "n_events"]].values.tolist() == [["A 2010-2015", 1, 0]]
    d = ct.metrics.dormancy(study, thresholds=365)
    assert d["n_activities"].tolist() == [0]


def same_holder_study(kind):
    # Solo: B 2010-01-01, A 2012-01-01, X 2014-01-01 (of the given kind), A again
    # 2014-03-01, B 2018-01-01 (in office at as_of 2020-12-31).
    #   R1 signed 2013-01-01 (A), activity 2016-01-01 (A), 2019-01-01 (B)
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("B", "2010-01-01"), ("A", "2012-01-01"),
                                     ("X", "2014-01-01", kind), ("A", "2014-03-01"),
                                     ("B", "2018-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
            .agreement("R1", ["Solo", "Zhuhai"], signed="2013-01-01")
            .activity("R1", "2016-01-01")
            .activity("R1", "2019-01-01")
            .build())


@pytest.mark.parametrize("include_caretakers", [False, True])
def test_a_holder_returning_after_a_stand_in_is_one_administration(include_caretakers):
    # X acts for A (kind "acting": a Plt during A's leave): A's hold on the office is
    # unbroken, one administration "A 2012-2018", in office 2012-01-01 .. 2018-01-01 =
    # 365 + 366 + 365 + 365 + 365 + 366 = 2192 days, the leave included. Pairs:
    # B 2010-2012 -> A 2012-2018: n 0; A 2012-2018 -> B 2018-: n 1, n_events 1.
    r = portfolio_retention(same_holder_study("acting"), basis="activity",
                            include_caretakers=include_caretakers)
    assert r[["administration", "next_administration", "n", "n_events"]].values.tolist() == [
        ["B 2010-2012", "A 2012-2018", 0, 0], ["A 2012-2018", "B 2018-", 1, 1]]
    assert r["next_observed_days"].tolist() == [2192, 1096]
    assert r["next_complete"].tolist() == [True, False]


def test_a_holder_returning_after_a_caretaker_is_a_new_administration():
    # X is a caretaker appointed to the vacant office (a Pj after A's term ended): A's hold
    # was interrupted, and A's return is a new administration. Without caretakers the pairs
    # are B -> A 2012-2014 -> A 2014-2018 -> B; before the one rule, retention alone merged
    # A's two runs while lame_duck_signings did not.
    r = portfolio_retention(same_holder_study("caretaker"), basis="activity")
    assert r["administration"].tolist() == ["B 2010-2012", "A 2012-2014", "A 2014-2018"]
    assert r["n"].tolist() == [0, 1, 1]
    assert r["n_events"].tolist() == [0, 1, 1]


def test_retention_at_the_handover_by_hand():
    # hand_study, basis "handover", dormancy 730. Relationships alive and not dormant at:
    #   A's end 2014-01-01: R1 (signed 2011-01-01, 1096 days quiet: dormant), R2 (signed
    #     2012-01-01, 731 days: dormant) -> A hands over nothing: n 0
    #   B's end 2018-01-01: R1 (activity 2015-01-01, 1096 days: dormant), R3 (ended 2017),
    #     R4 (signed 2016-01-01, 731 days: dormant) -> n 0
    # With dormancy 1100 instead: at 2014-01-01 R1 (1096) and R2 alive; at 2018-01-01 R1
    # (1096), R2 (its activity 2014-02-01 fell in the caretaker spell: 1430 days, dormant)
    # and R4 (731): A -> B keeps R1 of {R1, R2}; B's {R1, R4} at C's "end", as_of
    # 2020-12-31: R1 (activity 2019-01-01: 730 days) and R4 (activity 2018-06-01: 944)
    r = portfolio_retention(hand_study())
    assert r["n"].tolist() == [0, 0]
    r = portfolio_retention(hand_study(), dormancy=1100)
    assert r["n"].tolist() == [2, 2]
    assert r["n_events"].tolist() == [1, 2]


def test_handover_charges_a_loss_to_the_administration_it_happened_under():
    # G is signed under A (2010-2016) and active once, in 2011; it is silent after. On the
    # activity basis A's portfolio {G} is lost by B (0 of 1), although it died under A; at the
    # handover (2016-01-01, 1826 days after the activity) it is dormant and was never B's to
    # keep: n 0.
    study = (scenario(as_of="2020-12-31")
             .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
             .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
             .agreement("G", ["Solo", "Zhuhai"], signed="2010-06-01")
             .activity("G", "2011-01-01")
             .build())
    act = portfolio_retention(study, basis="activity")
    assert act[["n", "n_events"]].values.tolist() == [[1, 0]]
    hand = portfolio_retention(study)
    assert hand[["n", "n_events"]].values.tolist() == [[0, 0]]
