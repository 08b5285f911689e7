"""continuity.metrics.dormancy and dormancy_shares on a study worked out by hand."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import ContinuityTypeError, OptionError
from continuity.metrics import dormancy, dormancy_shares
from continuity.testing import scenario


def hand_study():
    # as_of 2020-12-31. Solo: A from 2010-01-01, B from 2016-01-01. Zhuhai: P from 2012-01-01,
    # Q from 2017-06-01. Four instruments between Solo and Zhuhai:
    #   A1 signed 2015-01-01, activities 2015-03-01 and 2019-12-31, alive at as_of
    #   A2 signed 2016-06-01, ended 2018-06-01, one activity 2016-07-01
    #   A3 signed 2020-03-01, no activity, alive
    #   A4 signed 2014-01-01, expires 2019-01-01 (no `ended`), no activity
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2012-01-01"), ("Q", "2017-06-01")])
            .agreement("A1", ["Solo", "Zhuhai"], signed="2015-01-01")
            .agreement("A2", ["Solo", "Zhuhai"], signed="2016-06-01", ended="2018-06-01")
            .agreement("A3", ["Solo", "Zhuhai"], signed="2020-03-01")
            .agreement("A4", ["Solo", "Zhuhai"], signed="2014-01-01", expires="2019-01-01")
            .activity("A1", "2015-03-01")
            .activity("A1", "2019-12-31")
            .activity("A2", "2016-07-01")
            .build())


def test_dormancy_by_hand():
    d = dormancy(hand_study(), thresholds=(730, 365)).set_index(["agreement_id", "threshold"])
    assert list(d.index.get_level_values("threshold")[:2]) == [365, 730]  # sorted
    # days_inactive = reference - max(signed, last activity):
    #   A1: 2019-12-31 -> 2020-12-31 = 366 (2020 is a leap year)
    #   A2: formal end 2018-06-01; 2016-07-01 -> 2017-07-01 = 365, -> 2018-06-01 = +335 = 700
    #   A3: never active; 2020-03-01 -> 2020-12-31 = 305
    #   A4: formal end = expiry 2019-01-01; 2014-01-01 -> 2019-01-01 = 5 * 365 + 1 = 1826
    days = d.xs(365, level="threshold")["days_inactive"]
    assert days.to_dict() == {"A1": 366, "A2": 700, "A3": 305, "A4": 1826}
    assert d.loc[("A1", 365), "last_activity"] == pd.Timestamp("2019-12-31")
    assert pd.isna(d.loc[("A3", 365), "last_activity"])
    assert d.xs(365, level="threshold")["n_activities"].to_dict() == {
        "A1": 2, "A2": 1, "A3": 0, "A4": 0}
    # formal ends: A2 ended, A4 expired; A1 and A3 are alive at as_of
    fe = d.xs(365, level="threshold")["formal_end"]
    assert fe["A2"] == pd.Timestamp("2018-06-01")
    assert fe["A4"] == pd.Timestamp("2019-01-01")
    assert fe[["A1", "A3"]].isna().all()
    assert d.loc[("A2", 365), "reference_date"] == pd.Timestamp("2018-06-01")
    assert d.loc[("A1", 365), "reference_date"] == pd.Timestamp("2020-12-31")
    # dormant = formally alive and days_inactive >= threshold: A2 and A4 ended formally, so
    # they are ended, not dormant, however quiet they were (700 and 1826 days)
    assert d.xs(365, level="threshold")["dormant"].to_dict() == {
        "A1": True, "A2": False, "A3": False, "A4": False}
    assert d.xs(730, level="threshold")["dormant"].to_dict() == {
        "A1": False, "A2": False, "A3": False, "A4": False}
    # paper partnership: alive at as_of and never active within the threshold of entry.
    # A1 was active (2015-03-01, 59 days in); A2 and A4 are not alive; A3 was observed only
    # 305 days without activity, so at 365 whether it is one is not yet known (NA)
    paper = d.xs(365, level="threshold")["paper_partnership"]
    assert paper[["A1", "A2", "A4"]].tolist() == [False, False, False]
    assert pd.isna(paper["A3"])
    assert not d.xs(730, level="threshold")["paper_partnership"].any()
    # dormant since: last sign of life + threshold: 2019-12-31 + 365 = 2020-12-30
    assert d.loc[("A1", 365), "dormant_since"] == pd.Timestamp("2020-12-30")
    assert pd.isna(d.loc[("A4", 730), "dormant_since"])
    assert d.loc[("A4", 730), "last_sign_of_life"] == pd.Timestamp("2014-01-01")
    assert pd.isna(d.loc[("A3", 365), "dormant_since"])
    # activated: activity within threshold days of signing; A3 observed only 305 days -> NA;
    # A4 observed 1826 days without activity -> False
    assert d.loc[("A1", 365), "activated"]
    assert pd.isna(d.loc[("A3", 365), "activated"])
    assert not d.loc[("A4", 730), "activated"]


def test_dormancy_threshold_edge_is_inclusive():
    # an activity exactly 365 days before as_of: dormant at 365 (no activity in the 365 days
    # up to as_of, 2020-01-01 .. 2020-12-31 minus the activity day itself), not at 366
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2010-01-01")])
         .terms("Y", "mayor", [("B", "2010-01-01")])
         .agreement("G", ["X", "Y"], signed="2015-01-01")
         .activity("G", "2020-01-01")
         .build())
    d = dormancy(s, thresholds=(365, 366)).set_index("threshold")
    assert d.loc[365, "days_inactive"] == 365
    assert d.loc[365, "dormant"]
    assert not d.loc[366, "dormant"]


def test_dormancy_columns_and_no_mutation():
    study = hand_study()
    before = study.agreements
    d = dormancy(study)
    assert list(d.columns) == [
        "agreement_id", "relationship_id", "instrument", "signed", "entry", "formal_end",
        "formally_alive", "reference_date", "n_activities", "last_activity",
        "last_sign_of_life", "days_inactive", "threshold", "dormant", "dormant_since",
        "activated", "paper_partnership"]
    assert len(d) == 4 * 3
    pd.testing.assert_frame_equal(study.agreements, before)


def test_dormancy_shares_by_hand():
    s = dormancy_shares(hand_study(), by=None, thresholds=365)
    s = s.set_index("measure")
    # dormant at 365, among the 2 formally alive at as_of (A1, A3): A1 only; paper: of the 2
    # alive only A1 has its first 365 days observed, and it was active in them: 0 of 1
    assert s.loc["dormant", ["n", "n_events"]].tolist() == [2, 1]
    assert s.loc["paper_partnership", ["n", "n_events"]].tolist() == [1, 0]
    # Wilson 95% for 1/2, R: prop.test(1, 2, correct = FALSE)$conf.int
    np.testing.assert_allclose(s.loc["dormant", ["estimate", "conf_low", "conf_high"]]
                               .to_numpy(float), [0.5, 0.0945312057, 0.9054687943], rtol=1e-8)


def test_dormancy_shares_by_jurisdiction_and_administration():
    study = hand_study()
    j = dormancy_shares(study, by="jurisdiction", thresholds=365)
    assert list(j.columns) == ["jurisdiction", "threshold", "measure", "n", "n_events",
                               "estimate", "conf_low", "conf_high"]
    # both parties are party to all four instruments (2 alive, 1 of them observed 365 days)
    assert j["n"].tolist() == [2, 1, 2, 1]
    a = dormancy_shares(study, by="administration", thresholds=365)
    a = a[a["measure"] == "dormant"].set_index(["jurisdiction", "administration"])
    # Solo at signing: A1 and A4 under A (2010-2016), A2 and A3 under B (2016-);
    # Zhuhai: A1, A2, A4 under P (2012-2017), A3 under Q (2017-). Alive at as_of: A1 (dormant)
    # and A3 (not); A2 and A4 ended and are in no denominator.
    assert a["n"].to_dict() == {("Solo", "A 2010-2016"): 1, ("Solo", "B 2016-"): 1,
                                ("Zhuhai", "P 2012-2017"): 1, ("Zhuhai", "Q 2017-"): 1}
    assert a["n_events"].to_dict() == {("Solo", "A 2010-2016"): 1, ("Solo", "B 2016-"): 0,
                                       ("Zhuhai", "P 2012-2017"): 1, ("Zhuhai", "Q 2017-"): 0}
    assert a.loc[("Solo", "B 2016-"), "administration_start"] == pd.Timestamp("2016-01-01")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"thresholds": 0}, "whole number of days, 1 or more"),
    ({"thresholds": -5}, "whole number of days"),
    ({"thresholds": 1.5}, "whole number of days"),
    ({"thresholds": "730"}, "whole number of days"),
    ({"thresholds": ()}, "thresholds is empty"),
    ({"thresholds": (365, 365)}, "repeat"),
])
def test_dormancy_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        dormancy(hand_study(), **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"by": "party"}, "by must be one of 'jurisdiction', 'administration', not 'party', or "
                      "None for no grouping"),
    ({"level": "relation"}, "level must be one of 'instrument', 'relationship'"),
    ({"max_gap": -1}, "max_gap must be a whole number of days, 0 or more"),
    ({"conf_level": 95}, "conf_level must be a number strictly between 0 and 1"),
    ({"conf_level": True}, "conf_level"),
])
def test_dormancy_shares_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        dormancy_shares(hand_study(), **kwargs)


@pytest.mark.parametrize("name", ["dormancy", "dormancy_shares", "renewal", "renewal_shares",
                                  "portfolio_retention", "lame_duck_signings", "lame_duck",
                                  "lame_duck_survival", "stage_entries", "stage_progression",
                                  "stage_timing", "landmark_spells",
                                  "survival_across_administrations",
                                  "transition_hazard_ratio"])
def test_not_a_study(name):
    with pytest.raises(ContinuityTypeError, match=rf"^{name}: study must be a continuity\.Study"):
        getattr(ct.metrics, name)(pd.DataFrame())


def test_dormancy_runs_on_solo():
    study = ct.datasets.load_solo()
    d = dormancy(study)
    assert len(d) == 4 * 3
    assert d["formally_alive"].all()
    s = dormancy_shares(study, by="administration")
    assert (s["n_events"] <= s["n"]).all()
    ok = s["n"] > 0
    assert ((s.loc[ok, "conf_low"] <= s.loc[ok, "estimate"])
            & (s.loc[ok, "estimate"] <= s.loc[ok, "conf_high"])).all()
    # Montana and Andong have no recorded leaders: their administration is NA, not dropped
    assert s.loc[s["jurisdiction"] == "Montana", "administration"].isna().all()


def test_dormancy_counts_from_entry_into_force():
    # signed 2015-01-01, effective 2016-01-01, never active: as_of 2020-12-31 is
    # 2016-01-01 -> 2021-01-01 = 366 + 365 + 365 + 365 + 366 = 1827 days, less 1 = 1826
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2010-01-01")])
         .terms("Y", "mayor", [("B", "2010-01-01")])
         .agreement("G", ["X", "Y"], signed="2015-01-01", effective="2016-01-01")
         .build())
    d = dormancy(s, thresholds=365)
    assert d["entry"].item() == pd.Timestamp("2016-01-01")
    assert d["days_inactive"].item() == 1826
    assert d["dormant_since"].item() == pd.Timestamp("2016-12-31")  # 2016 is a leap year


def test_dormant_since_and_the_dormant_end_of_episodes():
    from continuity import audit_episodes

    study = hand_study()
    d = dormancy(study, thresholds=365).set_index("agreement_id")
    a = audit_episodes(study, event="dormant", dormancy=365).set_index("agreement_id")
    # A4 never active: quiet from 2014-01-01, so episodes end it on 2014-01-01 + 365; it
    # expired since, so at as_of it is ended, not dormant
    assert a.loc["A4", "stop"] == pd.Timestamp("2015-01-01")
    assert d.loc["A4", "last_sign_of_life"] + pd.Timedelta(days=365) == a.loc["A4", "stop"]
    assert not d.loc["A4", "dormant"]
    # A1 went quiet after 2015-03-01 (episodes end it on 2016-02-29, the first dormant day) and
    # revived on 2019-12-31; at as_of it is dormant again, since 2020-12-30
    assert a.loc["A1", "stop"] == pd.Timestamp("2016-02-29")
    assert d.loc["A1", "dormant_since"] == pd.Timestamp("2020-12-30")
    assert a.loc["A3", "end_type"] == "censored"
    assert not d.loc["A3", "dormant"]


def test_paper_partnership_is_never_active_not_merely_quiet():
    # as_of 2020-12-31; P signed 2018-01-01, never active; Q signed 2018-01-01, active on
    # 2018-02-01 and silent since (1064 days). At 730 days: both dormant (P: 1095 days since
    # entry; Q: 1064 since its activity); P is a paper partnership (no activity in its first
    # 730 days), Q is not (active 31 days in).
    study = (scenario(as_of="2020-12-31")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Zhuhai", "party_secretary", [("P", "2012-01-01")])
             .agreement("P", ["Solo", "Zhuhai"], signed="2018-01-01")
             .agreement("Q", ["Solo", "Zhuhai"], signed="2018-01-01")
             .activity("Q", "2018-02-01")
             .build())
    d = dormancy(study, thresholds=730).set_index("agreement_id")
    assert d["dormant"].to_dict() == {"P": True, "Q": True}
    assert d["days_inactive"].to_dict() == {"P": 1095, "Q": 1064}
    assert d["paper_partnership"].astype(bool).to_dict() == {"P": True, "Q": False}
    s = dormancy_shares(study, by=None, thresholds=730).set_index("measure")
    assert s.loc["paper_partnership", ["n", "n_events"]].tolist() == [2, 1]


def test_an_instrument_entering_into_force_after_as_of_has_no_row():
    # as_of 2020-12-31. G signed 2020-06-01 but effective 2021-03-01: not yet in force, its
    # life is not observed (it would be -60 days inactive). H signed and in force 2020-01-01:
    # 365 days inactive at as_of (2020 is a leap year: 366 - 1).
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2020-06-01", effective="2021-03-01")
             .agreement("H", ["X", "Y"], signed="2020-01-01")
             .build())
    d = dormancy(study, thresholds=365)
    assert d["agreement_id"].tolist() == ["H"]
    assert d["days_inactive"].tolist() == [365]
    s = dormancy_shares(study, by=None, thresholds=365)
    assert s.loc[s["measure"] == "dormant", ["n", "n_events"]].values.tolist() == [[1, 1]]


def test_paper_share_takes_every_alive_unit_observed_for_the_threshold():
    # A3 (signed 2020-03-01, alive) was active on 2020-04-01, but only 305 days of its life
    # are observed: whether a unit of its age is a paper partnership at 365 is not known for
    # those that were not active yet, so none of its age may enter the denominator. Before
    # the fix it entered because it was already active (n 2, a share biased down).
    study = (scenario(as_of="2020-12-31")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Zhuhai", "party_secretary", [("P", "2012-01-01")])
             .agreement("A1", ["Solo", "Zhuhai"], signed="2015-01-01")
             .agreement("A3", ["Solo", "Zhuhai"], signed="2020-03-01")
             .agreement("A5", ["Solo", "Zhuhai"], signed="2019-06-01")
             .activity("A3", "2020-04-01")
             .build())
    s = dormancy_shares(study, by=None, thresholds=365).set_index("measure")
    # observed 365 days and alive: A1 (never active: paper) and A5 (never active: paper)
    assert s.loc["paper_partnership", ["n", "n_events"]].tolist() == [2, 2]


def test_dormant_share_is_among_units_formally_alive():
    # G ended formally in 2016 after years of silence: it is ended, not dormant, and is in no
    # denominator; H is alive and quiet. Before the fix the share was 2 of 2.
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2011-01-01", ended="2016-01-01")
             .agreement("H", ["X", "Y"], signed="2012-01-01")
             .build())
    d = dormancy(study, thresholds=730).set_index("agreement_id")
    assert d["dormant"].to_dict() == {"G": False, "H": True}
    assert d.loc["G", "days_inactive"] == 1826  # how quiet it was when it ended
    s = dormancy_shares(study, by=None, thresholds=730).set_index("measure")
    assert s.loc["dormant", ["n", "n_events"]].tolist() == [1, 1]


def test_an_activity_on_the_day_of_entry_does_not_activate():
    # The decision: an activity dated on the day of entry is the signing itself; it neither
    # activates the unit nor adds to its entry as a sign of life. G's only activity is on its
    # signing day: not activated, a paper partnership at 365 (its window (entry, entry + 365)
    # is empty); H's activity the next day activates it.
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2018-01-01")
             .agreement("H", ["X", "Y"], signed="2018-01-01")
             .activity("G", "2018-01-01")
             .activity("H", "2018-01-02")
             .build())
    d = dormancy(study, thresholds=365).set_index("agreement_id")
    assert d["n_activities"].to_dict() == {"G": 1, "H": 1}
    assert d["activated"].astype(bool).to_dict() == {"G": False, "H": True}
    assert d["paper_partnership"].astype(bool).to_dict() == {"G": True, "H": False}
    assert d.loc["G", "last_sign_of_life"] == pd.Timestamp("2018-01-01")
    # the last day of the window still activates; the day after it does not
    late = (scenario(as_of="2020-12-31")
            .terms("X", "mayor", [("A", "2010-01-01")])
            .terms("Y", "mayor", [("P", "2010-01-01")])
            .agreement("G", ["X", "Y"], signed="2018-01-01")
            .activity("G", "2018-12-31")
            .build())
    assert dormancy(late, thresholds=(364, 365))["activated"].tolist() == [False, True]


def relationship_study():
    # as_of 2020-12-31. Relationship R: LoI L signed 2015-01-01, no activity of its own; MoU
    # M signed 2016-01-01, activity 2019-06-01. Relationship S: one instrument T signed
    # 2012-01-01, ended 2014-01-01. U (relationship V) signed 2019-01-01 between X and Z only.
    return (scenario(as_of="2020-12-31")
            .terms("X", "mayor", [("A", "2010-01-01"), ("B", "2017-01-01")])
            .terms("Y", "mayor", [("P", "2010-01-01")])
            .terms("Z", "mayor", [("Q", "2010-01-01")])
            .agreement("L", ["X", "Y"], signed="2015-01-01", relationship_id="R",
                       instrument="loi")
            .agreement("M", ["X", "Y"], signed="2016-01-01", relationship_id="R",
                       instrument="mou")
            .agreement("T", ["X", "Y"], signed="2012-01-01", ended="2014-01-01",
                       relationship_id="S")
            .agreement("U", ["X", "Z"], signed="2019-01-01", relationship_id="V")
            .activity("M", "2019-06-01")
            .build())


def test_dormancy_at_the_relationship_level():
    study = relationship_study()
    inst = dormancy(study, thresholds=730).set_index("agreement_id")
    # the LoI on its own has been silent since 2015: dormant, a paper partnership
    assert inst.loc["L", "dormant"]
    assert inst.loc["L", "paper_partnership"]
    rel = dormancy(study, thresholds=(730, 1825), level="relationship")
    assert list(rel.columns[:3]) == ["relationship_id", "spell", "n_instruments"]
    r = rel.set_index(["relationship_id", "threshold"])
    # R: activity under the MoU counts for the relationship; 2019-06-01 -> 2020-12-31 = 579
    assert r.loc[("R", 730), "n_instruments"] == 2
    assert r.loc[("R", 730), "last_activity"] == pd.Timestamp("2019-06-01")
    assert r.loc[("R", 730), "days_inactive"] == 579
    assert not r.loc[("R", 730), "dormant"]
    # activation within 730 days of entry (2015-01-01): none (signing the MoU is a sign of
    # life, not an activation) -> a paper partnership at 730; within 1825 days: activated
    assert r.loc[("R", 730), "paper_partnership"]
    assert r.loc[("R", 1825), "activated"]
    assert not r.loc[("R", 1825), "paper_partnership"]
    # S ended formally in 2014 (its only instrument ended, max_gap 365 has passed)
    assert r.loc[("S", 730), "formal_end"] == pd.Timestamp("2014-01-01")
    assert not r.loc[("S", 730), "formally_alive"]
    assert not r.loc[("S", 730), "dormant"]
    # the relationship's last sign of life before 2019: the MoU's entry
    quiet = dormancy(study.__class__(study.terms, study.agreements, study.parties,
                                     study.activities.iloc[:0], as_of="2018-12-31",
                                     offices=study.offices),
                     thresholds=730, level="relationship").set_index("relationship_id")
    assert quiet.loc["R", "last_sign_of_life"] == pd.Timestamp("2016-01-01")
    assert quiet.loc["R", "days_inactive"] == 1095


def test_relationship_dormancy_agrees_with_the_dormant_end_of_episodes():
    from continuity import audit_episodes

    study = relationship_study()
    rel = dormancy(study, thresholds=730, level="relationship").set_index("relationship_id")
    ep = audit_episodes(study, level="relationship", event="dormant", dormancy=730)
    ep = ep.set_index(ep["relationship_id"].astype(str))
    # V: entered 2019-01-01, never active: dormant from 2019-01-01 + 730 = 2020-12-31 (2020
    # is a leap year), as_of itself, where episodes end it
    assert rel.loc["V", "dormant"]
    assert ep.loc["V", "end_type"] == "dormant"
    assert rel.loc["V", "dormant_since"] == ep.loc["V", "stop"] == pd.Timestamp("2020-12-31")
    # R went quiet after the MoU's entry 2016-01-01: episodes end it 730 days later
    assert ep.loc["R", "stop"] == pd.Timestamp("2016-01-01") + pd.Timedelta(days=730)


def test_dormancy_shares_at_the_relationship_level():
    study = relationship_study()
    s = dormancy_shares(study, by="jurisdiction", level="relationship", thresholds=730)
    s = s.set_index(["jurisdiction", "measure"])
    # alive spells: R (X, Y) and V (X, Z); S ended. Dormant at 730: V (730 days since its
    # entry on as_of), not R (active 2019). Both were observed 730 days (V exactly) and
    # neither was active in them: both paper partnerships.
    assert s.loc[("X", "dormant"), ["n", "n_events"]].tolist() == [2, 1]
    assert s.loc[("Y", "dormant"), ["n", "n_events"]].tolist() == [1, 0]
    assert s.loc[("Z", "dormant"), ["n", "n_events"]].tolist() == [1, 1]
    assert s.loc[("X", "paper_partnership"), ["n", "n_events"]].tolist() == [2, 2]
    assert s.loc[("Z", "paper_partnership"), ["n", "n_events"]].tolist() == [1, 1]
    a = dormancy_shares(study, by="administration", level="relationship", thresholds=730)
    a = a[(a["jurisdiction"] == "X") & (a["measure"] == "dormant")]
    # administration at the spell's first signing: R 2015 and S 2012 under A, V 2019 under B
    assert a.set_index("administration")["n"].to_dict() == {"A 2010-2017": 1, "B 2017-": 1}
