"""activity_rates and activity_change on studies worked out by hand."""

import numpy as np
import pytest
from scipy import stats

from continuity import ActivityOutsideLifeWarning, ValidationError
from continuity.errors import OptionError
from continuity.metrics import activity_change, activity_rates
from continuity.testing import scenario

YEAR = 365.25


def base(as_of="2017-12-31"):
    # Solo: mayor A from 2010-01-01, B from 2016-01-01. Xi'an: P throughout.
    return (scenario(as_of=as_of)
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Xi'an", "party_secretary", [("P", "2010-01-01")]))


def one_loi(**agreement):
    # LOI in force from 2015-01-01; three activities in 2015 (under A), one in 2016 (under B)
    return (base().agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01", **agreement)
            .activities("LOI", ["2015-03-01", "2015-06-01", "2015-09-01", "2016-05-01"]))


def garwood(x, years, level=0.95):
    """The exact Poisson interval from chi-square quantiles (Garwood 1936), per year."""
    a = (1 - level) / 2
    low = 0.0 if x == 0 else stats.chi2.ppf(a, 2 * x) / 2
    return low / years, stats.chi2.ppf(1 - a, 2 * x + 2) / 2 / years


def test_rate_of_one_relationship_by_hand():
    r = activity_rates(one_loi().build())
    # life 2015-01-01 through as_of 2017-12-31: 365 + 366 (2016) + 365 = 1096 days
    assert r["exposure_days"].tolist() == [1096]
    assert r["n_activities"].tolist() == [4]
    assert r["n"].tolist() == [1]
    years = 1096 / YEAR
    assert r["estimate"].iloc[0] == pytest.approx(4 / years)
    low, high = garwood(4, years)
    assert r["conf_low"].iloc[0] == pytest.approx(low, rel=1e-9)
    assert r["conf_high"].iloc[0] == pytest.approx(high, rel=1e-9)


def test_rates_by_administration_split_exposure_at_the_change():
    r = activity_rates(one_loi().build(), by="administration", focal="Solo")
    # A: 2015-01-01 .. 2016-01-01 = 365 days, 3 activities; B: 2016-01-01 .. 2018-01-01 = 731
    assert r["administration"].tolist() == ["A 2010-2016", "B 2016-"]
    assert r["exposure_days"].tolist() == [365, 731]
    assert r["n_activities"].tolist() == [3, 1]
    assert r["estimate"].tolist() == pytest.approx([3 / (365 / YEAR), 1 / (731 / YEAR)])


def test_rates_by_party_count_a_unit_once_per_party():
    r = activity_rates(one_loi().build(), by="jurisdiction")
    assert r["jurisdiction"].tolist() == ["Solo", "Xi'an"]
    assert r["n_activities"].tolist() == [4, 4]
    assert r["exposure_days"].tolist() == [1096, 1096]


def test_activity_before_entry_exclude_or_extend():
    with pytest.warns(ActivityOutsideLifeWarning):
        s = one_loi().activity("LOI", "2014-12-01").build()  # 31 days before entry
    assert activity_rates(s)["n_activities"].tolist() == [4]
    r = activity_rates(s, before_entry="extend")
    assert r["n_activities"].tolist() == [5]
    assert r["exposure_days"].tolist() == [1096 + 31]


def test_activity_after_formal_end_exclude_or_extend():
    with pytest.warns(ActivityOutsideLifeWarning):
        s = one_loi(ended="2017-01-01").activity("LOI", "2017-06-01").build()
    r = activity_rates(s)
    assert r["n_activities"].tolist() == [4]
    assert r["exposure_days"].tolist() == [731]  # 2015-01-01 .. 2017-01-01
    r = activity_rates(s, after_end="extend")
    assert r["n_activities"].tolist() == [5]
    assert r["exposure_days"].tolist() == [731 + 151 + 1]  # through 2017-06-01


def test_dormant_time_excluded_from_exposure():
    r = activity_rates(one_loi().build(), dormant_time="exclude", threshold=100)
    # from each sign of life at most 100 days, to the next one:
    #   entry 01-01 -> 03-01: 59; 03-01 -> 06-01: 92; 06-01 -> 09-01: 92;
    #   09-01 -> +100; 2016-05-01 -> +100
    assert r["exposure_days"].tolist() == [59 + 92 + 92 + 100 + 100]
    assert r["n_activities"].tolist() == [4]


def test_statements_are_not_activity_and_confidence_filters():
    s = (one_loi().activity("LOI", "2016-06-01", kind="statement", confidence="high")
         .activity("LOI", "2016-07-01", kind="visit", confidence="low").build())
    assert activity_rates(s)["n_activities"].tolist() == [5]  # the statement is left out
    # rows without a confidence do not pass a filter; the low one does not reach "medium"
    assert activity_rates(s, min_confidence="low")["n_activities"].tolist() == [1]
    assert activity_rates(s, min_confidence="medium")["n_activities"].tolist() == [0]


def test_same_event_counts_once_when_relationships_are_pooled():
    s = (base().agreement("X", ["Solo", "Xi'an"], signed="2015-01-01")
         .agreement("Z", ["Solo", "Xi'an"], signed="2015-01-01")
         .activity("X", "2016-03-01", activity_id="x1", same_event_as="z1")
         .activity("Z", "2016-03-01", activity_id="z1", same_event_as="x1")
         .activity("Z", "2016-04-01", activity_id="z2")
         .build())
    per = activity_rates(s)
    assert per["n_activities"].tolist() == [1, 2]  # each relationship had the event
    pooled = activity_rates(s, by=None)
    assert pooled["n_activities"].tolist() == [2]  # the shared meeting once, and z2
    assert pooled["exposure_days"].tolist() == [2 * 1096]


def test_rates_by_an_activity_column_share_the_exposure():
    s = (base().agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01")
         .activities("LOI", ["2015-03-01", "2015-06-01", "2016-01-05"],
                     kind=["visit", "visit", "fair"]).build())
    r = activity_rates(s, by=["relationship_id", "kind"])
    assert r["kind"].tolist() == ["fair", "visit"]
    assert r["n_activities"].tolist() == [1, 2]
    assert r["exposure_days"].tolist() == [1096, 1096]


def test_change_by_hand():
    ch = activity_change(one_loi().build(), window=365)
    assert len(ch) == 1
    row = ch.iloc[0]
    # Solo's change on 2016-01-01: 365 days of life before it, 731 after; symmetric: 365 each
    assert (row["window_before"], row["window_after"]) == (365, 365)
    assert (row["exposure_before"], row["exposure_after"]) == (365, 365)
    assert (row["n_before"], row["n_after"]) == (3, 1)  # 2016-05-01 is within 365 days
    assert row["estimate"] == pytest.approx(1 / 3)
    # given 4 activities, 1 after is binomial(4, 1/2) under equal rates: exact interval of pi
    lo = stats.beta.ppf(0.025, 1, 4)
    hi = stats.beta.ppf(0.975, 2, 3)
    assert row["conf_low"] == pytest.approx(lo / (1 - lo), rel=1e-9)
    assert row["conf_high"] == pytest.approx(hi / (1 - hi), rel=1e-9)
    assert row["p_value"] == pytest.approx(0.625)  # P(X <= 1) + P(X >= 3) of binomial(4, 1/2)
    assert row["to_administration"] == "B 2016-"
    assert bool(row["included"])


def test_change_windows_cut_at_entry():
    # signed 2015-10-01: only 92 days of life before the change; symmetric cut to 92 days
    s = (base().agreement("LOI", ["Solo", "Xi'an"], signed="2015-10-01")
         .activities("LOI", ["2015-11-01", "2016-02-01", "2016-03-15"]).build())
    row = activity_change(s, window=365).iloc[0]
    assert (row["window_before"], row["window_after"]) == (92, 92)
    # after: [2016-01-01, 2016-04-02) holds 02-01 and 03-15
    assert (row["n_before"], row["n_after"]) == (1, 2)
    each = activity_change(s, window=365, cut="each").iloc[0]
    assert (each["exposure_before"], each["exposure_after"]) == (92, 365)
    assert (each["n_before"], each["n_after"]) == (1, 2)


def close_changes():
    # Solo changes on 2016-01-01, Xi'an on 2016-03-01 (60 days later)
    return (scenario(as_of="2017-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Xi'an", "party_secretary", [("P", "2010-01-01"), ("Q", "2016-03-01")])
            .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01")
            .activities("LOI", ["2015-12-20", "2016-01-10", "2016-02-20", "2016-03-10"])
            .build())


def test_close_changes_dropped_by_default():
    ch = activity_change(close_changes(), window=365)
    assert ch["included"].tolist() == [False, False]
    pooled = activity_change(close_changes(), window=365, by=None)
    assert pooled[["n_transitions", "n_excluded"]].iloc[0].tolist() == [0, 2]
    assert np.isnan(pooled["estimate"].iloc[0])


def test_close_changes_split_at_the_midpoint():
    ch = activity_change(close_changes(), window=365, close="midpoint")
    # the 60 days between them: 30 to each; symmetric windows of 30 days
    assert ch["window_before"].tolist() == [30, 30]
    assert ch["window_after"].tolist() == [30, 30]
    # Solo: [2015-12-02, 2016-01-01) holds 12-20; [2016-01-01, 01-31) holds 01-10
    # Xi'an: [2016-01-31, 03-01) holds 02-20; [03-01, 03-31) holds 03-10
    assert ch["n_before"].tolist() == [1, 1]
    assert ch["n_after"].tolist() == [1, 1]
    pooled = activity_change(close_changes(), window=365, close="midpoint", by=None).iloc[0]
    assert (pooled["n_before"], pooled["n_after"]) == (2, 2)
    assert pooled["exposure_before"] == pooled["exposure_after"] == 60
    assert pooled["estimate"] == pytest.approx(1.0)


def test_change_sides_with_focal():
    ch = activity_change(close_changes(), window=365, close="midpoint", focal="Solo")
    assert ch["side"].tolist() == ["focal", "partner"]
    only = activity_change(close_changes(), window=365, close="midpoint", focal="Solo",
                           changes="partner")
    assert only["jurisdiction"].tolist() == ["Xi'an"]
    by_side = activity_change(close_changes(), window=365, close="midpoint", focal="Solo",
                              by="side")
    assert by_side["side"].tolist() == ["focal", "partner"]


def test_errors_name_the_argument():
    s = one_loi().build()
    with pytest.raises(OptionError, match="before_entry must be one of 'exclude', 'extend'"):
        activity_rates(s, before_entry="drop")
    with pytest.raises(OptionError, match="by='agreement_id' needs level='instrument'"):
        activity_rates(s, by="agreement_id")
    with pytest.raises(OptionError, match="activities do not have"):
        activity_rates(s, by="side")
    with pytest.raises(OptionError, match="min_confidence"):
        activity_rates(s, min_confidence="medium")
    with pytest.raises(OptionError, match="changes='focal' needs focal"):
        activity_change(s, changes="focal")
    with pytest.raises(OptionError, match="close must be one of"):
        activity_change(s, close="first")
    with pytest.raises(OptionError, match="window"):
        activity_change(s, window=0)


def test_same_event_as_naming_nothing_is_a_data_error():
    s = (base().agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01")
         .activity("LOI", "2016-03-01", activity_id="a1", same_event_as="zz").build())
    with pytest.raises(ValidationError, match="same_event_as an activity_id that is not"):
        activity_rates(s)


def test_inputs_are_not_mutated():
    s = one_loi().build()
    before = s.activities.copy()
    activity_rates(s, by="administration", focal="Solo")
    activity_change(s)
    assert s.activities.equals(before)


def test_no_transition_gives_one_empty_pooled_row():
    s = (scenario(as_of="2017-12-31").terms("Solo", "mayor", [("A", "2010-01-01")])
         .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
         .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01").build())
    assert activity_change(s).empty
    pooled = activity_change(s, by=None)
    assert pooled[["n_transitions", "n_excluded", "n_before", "n_after"]].iloc[0].tolist() == \
        [0, 0, 0, 0]
    assert np.isnan(pooled["estimate"].iloc[0])
