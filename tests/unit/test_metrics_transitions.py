"""continuity.metrics.transition_hazard_ratio (and survival across administrations)."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.coxph import ConvergenceWarning
from continuity.errors import ContinuityError, OptionError, ValidationError
from continuity.metrics import transition_hazard_ratio
from continuity.metrics._leader_change import _placebo_study
from continuity.testing import scenario


def hazard_study():
    # Four relationships, all signed 2020-01-01 (day 0), each between Y (one leader
    # throughout) and X, Z or W. X changes leader on 2020-03-01 (day 60), W on 2020-05-30
    # (day 150); Z never. With window = 100 days, post_change is 1 on [60, 160) for R1 and on
    # [150, 250) for R4, 0 elsewhere.
    #   R1 (X-Y) ends 2020-04-10 (day 100, post_change 1)
    #   R2 (Z-Y) ends 2020-07-19 (day 200, post_change 0)
    #   R3 (Z-Y), R4 (W-Y) censored at as_of 2021-12-31
    # (as_of is more than max_gap = 365 days after both ends, so no successor can still come
    # and the relationship-level episodes count them as ends)
    return (scenario(as_of="2021-12-31")
            .terms("X", "mayor", [("A", "2019-01-01"), ("B", "2020-03-01")])
            .terms("W", "mayor", [("C", "2019-01-01"), ("D", "2020-05-30")])
            .terms("Y", "mayor", [("P", "2019-01-01")])
            .terms("Z", "mayor", [("Q", "2019-01-01")])
            .agreement("R1", ["X", "Y"], signed="2020-01-01", ended="2020-04-10")
            .agreement("R2", ["Z", "Y"], signed="2020-01-01", ended="2020-07-19")
            .agreement("R3", ["Z", "Y"], signed="2020-01-01")
            .agreement("R4", ["W", "Y"], signed="2020-01-01")
            .build())


def test_transition_hazard_ratio_by_hand():
    hr = transition_hazard_ratio(hazard_study(), window=100, n_placebo=0, method="mle")
    # Risk sets (theta = exp(beta)):
    #   day 100: R1 (x=1) ends; at risk R1 (1), R2, R3, R4 (0; R4's window opens on day 150)
    #   day 200: R2 (x=0) ends; at risk R2 (0), R3 (0), R4 (1)
    # score: 1 - theta/(theta + 3) - theta/(theta + 2) = 0
    #   => (theta+3)(theta+2) - theta(theta+2) - theta(theta+3) = 6 - theta^2 = 0
    #   => hazard ratio theta = sqrt(6) = 2.449490
    np.testing.assert_allclose(hr["estimate"].item(), np.sqrt(6), rtol=1e-7)
    np.testing.assert_allclose(hr["coef"].item(), np.log(np.sqrt(6)), rtol=1e-7)
    assert hr[["n_units", "n_clusters", "n_events", "n_excluded_units"]].iloc[0].tolist() == [
        4, 4, 2, 0]
    assert hr["window"].item() == 100
    assert hr["term"].item() == "post_change"
    assert hr["n_placebo"].item() == 0
    assert np.isnan(hr["placebo_median"].item())
    assert hr["conf_low"].item() < hr["estimate"].item() < hr["conf_high"].item()
    assert hr[["method", "conf_type", "vcov_type", "primary_test"]].iloc[0].tolist() == [
        "mle", "wald", "cr0", "robust_z"]


def test_few_relationships_get_firth_by_default():
    # 4 relationships, 2 ends: the rule's first branch. Here the penalised estimate equals
    # the MLE: with p1 = theta/(theta+3), p2 = theta/(theta+2) the score is 1 - p1 - p2, and
    # the penalty's gradient, half of sum p(1-p)(1-2p) / I, vanishes where p1 + p2 = 1.
    hr = transition_hazard_ratio(hazard_study(), window=100, n_placebo=0)
    assert hr[["method", "conf_type", "vcov_type", "separation"]].iloc[0].tolist() == [
        "firth", "profile", "model", False]
    np.testing.assert_allclose(hr["estimate"].item(), np.sqrt(6), rtol=1e-6)
    # the profile interval of the penalised likelihood, wider than the CR0 Wald one
    mle = transition_hazard_ratio(hazard_study(), window=100, n_placebo=0, method="mle")
    assert hr["conf_low"].item() < mle["conf_low"].item()
    assert hr["conf_high"].item() > mle["conf_high"].item()
    assert np.isnan(hr["robust_se"].item())
    # no placebo draws: the penalised likelihood-ratio test is primary
    assert hr["primary_test"].item() == "penalized_likelihood_ratio"
    assert hr["primary_p_value"].item() == hr["p_value"].item()
    assert hr[["n_units", "n_clusters", "n_events"]].iloc[0].tolist() == [4, 4, 2]


def test_firth_fit_matches_cox_on_the_rows():
    from continuity.coxph import cox
    from continuity.metrics._leader_change import _rows

    study = placebo_study_seven()
    hr = transition_hazard_ratio(study, window=365, n_placebo=0, method="firth")
    ep = study.episodes(level="relationship", window=365, event="formal", leaders="none")
    rows, _ = _rows(ep)
    ref = cox(rows, ["post_change"], method="firth").summary.iloc[0]
    for col, rcol in [("estimate", "exp_coef"), ("conf_low", "conf_low"),
                      ("conf_high", "conf_high"), ("p_value", "p_value")]:
        np.testing.assert_allclose(hr[col].item(), ref[rcol], rtol=1e-10)


def test_firth_keeps_the_first_spell_of_each_relationship():
    from continuity.metrics._leader_change import _first_spells

    # relationship 0 has spells 1 and 2 (units 1, 2), relationship 1 spell 2 only (unit 5)
    rows = pd.DataFrame({"relationship_id": [0, 0, 0, 1, 1], "unit": [1, 1, 2, 5, 5],
                         "t_start": [0, 5, 0, 0, 3]})
    kept = _first_spells(rows)
    assert kept["unit"].tolist() == [1, 1, 5, 5]


def test_few_events_among_many_relationships_get_firth():
    # 30 relationships but 5 ends (< 10), no separation: Firth for the few events alone
    study = ct.simulate_study(30, 60, hazard_ratio=2.0, median_lifetime=40000, seed=1)
    hr = transition_hazard_ratio(study, n_placebo=0)
    assert hr[["method", "separation", "n_events", "n_clusters"]].iloc[0].tolist() == [
        "firth", False, 5, 30]


def test_twenty_to_fifty_relationships_get_cr2():
    study = ct.simulate_study(30, 60, hazard_ratio=2.0, seed=1)
    hr = transition_hazard_ratio(study, n_placebo=0)
    assert hr[["method", "conf_type", "vcov_type", "primary_test", "separation"]].iloc[
        0].tolist() == ["mle", "wald", "cr2", "robust_t", False]
    assert hr["n_clusters"].item() == 30
    assert hr["n_events"].item() >= 10
    # a t test on Satterthwaite's df, below the number of clusters
    assert 1 < hr["df"].item() < 30
    # the interval is wider than CR0's with the same data, which also has Efron ties
    cr0 = transition_hazard_ratio(study, n_placebo=0, method="mle")
    assert cr0[["vcov_type", "df"]].iloc[0].tolist() == ["cr0", np.inf]
    assert (np.log(hr["conf_high"].item() / hr["conf_low"].item())
            > np.log(cr0["conf_high"].item() / cr0["conf_low"].item()))


def test_fifty_relationships_or_more_get_cr0():
    study = ct.simulate_study(80, 200, hazard_ratio=2.0, seed=1)
    hr = transition_hazard_ratio(study, n_placebo=0)
    assert hr[["method", "conf_type", "vcov_type", "primary_test", "df"]].iloc[
        0].tolist() == ["mle", "wald", "cr0", "robust_z", np.inf]
    assert hr["n_clusters"].item() >= 50
    forced = transition_hazard_ratio(study, n_placebo=0, method="mle")
    pd.testing.assert_frame_equal(hr, forced)


@pytest.mark.parametrize(("method", "expected"), [
    ("mle", ["mle", "wald", "cr0"]), ("cr2", ["mle", "wald", "cr2"]),
    ("firth", ["firth", "profile", "model"])])
def test_forcing_method_gives_the_forced_fit(method, expected):
    study = ct.simulate_study(80, 200, hazard_ratio=2.0, seed=1)  # auto would be CR0
    hr = transition_hazard_ratio(study, n_placebo=0, method=method)
    assert hr[["method", "conf_type", "vcov_type"]].iloc[0].tolist() == expected


def placebo_study_seven():
    # the docstring's study: X changes leader every four years, seven X-Y relationships
    s = scenario(as_of="2024-12-31").terms("X", "mayor", [
        ("A", "2010-01-01"), ("B", "2014-01-01"), ("C", "2018-01-01"), ("D", "2022-01-01")])
    s = s.terms("Y", "mayor", [("P", "2010-01-01")])
    for i, (signed, ended) in enumerate([
            ("2011-01-01", "2014-06-01"), ("2012-01-01", "2016-01-01"),
            ("2013-01-01", "2018-03-01"), ("2015-01-01", "2020-01-01"),
            ("2016-01-01", "2022-05-01"), ("2019-01-01", "2021-01-01"),
            ("2019-06-01", None)]):
        s = s.agreement(f"G{i}", ["X", "Y"], signed=signed, ended=ended)
    return s.build()


def test_transition_hazard_ratio_placebo_is_seeded():
    # (hazard_study is too small: most placebo draws there have a monotone likelihood and
    # fail, so a test on it could pass without checking any draw)
    # (the pins below are the MLE's: forced, since seven relationships get Firth by default)
    study = placebo_study_seven()
    a = transition_hazard_ratio(study, window=365, n_placebo=8, seed=0, method="mle")
    b = transition_hazard_ratio(study, window=365, n_placebo=8, seed=0, method="mle")
    pd.testing.assert_frame_equal(a, b)
    # seeded, so deterministic: pinned counts, and the asserts below always run
    assert a[["n_placebo", "n_placebo_failed"]].iloc[0].tolist() == [7, 1]
    b = a["n_placebo"].item()
    assert b >= 1
    assert a["placebo_q025"].item() <= a["placebo_median"].item() <= a["placebo_q975"].item()
    k = a["placebo_p_value"].item() * (1 + b) - 1  # (1 + k) / (1 + B), k in 0..B
    assert abs(k - round(k)) < 1e-9
    assert 0 <= round(k) <= b
    assert a["placebo_p_value"].item() == 0.375  # k = 2 of B = 7: 3 / 8


def placebo_fixed_study():
    # hazard_study with X's change on 2020-03-01 (day 60), Z's on 2020-02-20 (day 50) and
    # W's on 2020-05-30 (day 150); window 100:
    #   day 100: R1 (x=1) ends; at risk R1 (1), R2 (1), R3 (1) ([50, 150)), R4 (0)
    #   day 200: R2 (x=0) ends; at risk R2 (0), R3 (0), R4 (1) ([150, 250))
    # score 1/(3 theta + 1) - theta/(theta + 2) = 0 => 3 theta^2 = 2: theta = sqrt(2/3),
    # |log theta| = 0.20 < |log sqrt(6)| = 0.90: less extreme than the observed.
    return (scenario(as_of="2021-12-31")
            .terms("X", "mayor", [("A", "2019-01-01"), ("B", "2020-03-01")])
            .terms("W", "mayor", [("C", "2019-01-01"), ("D", "2020-05-30")])
            .terms("Y", "mayor", [("P", "2019-01-01")])
            .terms("Z", "mayor", [("Q", "2019-01-01"), ("S", "2020-02-20")])
            .agreement("R1", ["X", "Y"], signed="2020-01-01", ended="2020-04-10")
            .agreement("R2", ["Z", "Y"], signed="2020-01-01", ended="2020-07-19")
            .agreement("R3", ["Z", "Y"], signed="2020-01-01")
            .agreement("R4", ["W", "Y"], signed="2020-01-01")
            .build())


def test_placebo_p_value_is_never_zero(monkeypatch):
    import continuity.metrics._leader_change as tr

    placebo = placebo_fixed_study()
    np.testing.assert_allclose(
        transition_hazard_ratio(placebo, window=100, n_placebo=0)["estimate"].item(),
        np.sqrt(2 / 3), rtol=1e-7)
    # every draw is that study: no draw is as extreme as sqrt(6), k = 0, B = 3:
    # p = (1 + 0) / (1 + 3) = 0.25 (a plain share of extreme draws would be 0)
    monkeypatch.setattr(tr, "_placebo_study", lambda study, rng: placebo)
    a = transition_hazard_ratio(hazard_study(), window=100, n_placebo=3)
    assert a[["n_placebo", "n_placebo_failed"]].iloc[0].tolist() == [3, 0]
    assert a["placebo_p_value"].item() == 0.25
    # every draw is the observed study: k = B = 3, p = 4 / 4 = 1
    monkeypatch.setattr(tr, "_placebo_study", lambda study, rng: study)
    a = transition_hazard_ratio(hazard_study(), window=100, n_placebo=3)
    assert a["placebo_p_value"].item() == 1.0


def test_placebo_study_keeps_the_sequence_of_leaders():
    study = hazard_study()
    p = _placebo_study(study, np.random.default_rng(0)).leadership_terms()
    o = study.leadership_terms()
    assert p["holder"].tolist() == o["holder"].tolist()
    assert (p.groupby("jurisdiction")["start"].min() == o.groupby("jurisdiction")["start"]
            .min()).all()
    # terms touch and stay in order, and the changes move
    x = p[p["jurisdiction"] == "X"]
    assert x["end"].iloc[0] == x["start"].iloc[1]
    assert pd.Timestamp("2019-01-01") < x["start"].iloc[1] <= pd.Timestamp("2021-12-31")


def test_units_of_unknown_leadership_are_excluded_and_counted():
    s = (scenario(as_of="2021-12-31")
         .terms("X", "mayor", [("A", "2019-01-01"), ("B", "2020-03-01")])
         .terms("W", "mayor", [("C", "2019-01-01"), ("D", "2020-05-30")])
         .terms("Y", "mayor", [("P", "2019-01-01")])
         .terms("Z", "mayor", [("Q", "2019-01-01")])
         .agreement("R1", ["X", "Y"], signed="2020-01-01", ended="2020-04-10")
         .agreement("R2", ["Z", "Y"], signed="2020-01-01", ended="2020-07-19")
         .agreement("R3", ["Z", "Y"], signed="2020-01-01")
         .agreement("R4", ["W", "Y"], signed="2020-01-01")
         .agreement("R5", ["Y", "Nowhere"], signed="2020-01-01", ended="2020-02-01")
         .build(allow_unknown_exposure=True))
    hr = transition_hazard_ratio(s, window=100, n_placebo=0)
    assert hr["n_excluded_units"].item() == 1
    np.testing.assert_allclose(hr["estimate"].item(), np.sqrt(6), rtol=1e-7)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"window": 0}, "window must be a whole number of days, 1 or more"),
    ({"event": "informal"}, "event must be one of 'formal', 'dormant'"),
    ({"n_placebo": -1}, "n_placebo must be a whole number"),
    ({"seed": "abc"}, "seed must be a non-negative int"),
    ({"conf_level": 2}, "conf_level must be a number strictly between 0 and 1"),
    ({"dormancy": 0}, "dormancy must be a whole number of days, 1 or more"),
    ({"n_placebo": 10**18}, "n_placebo must be a whole number, at most 100,000"),
    ({"method": "cr1"}, "method must be one of 'auto', 'mle', 'firth', 'cr2'"),
])
def test_transition_hazard_ratio_bad_arguments(kwargs, match):
    with pytest.raises(ContinuityError, match=match):
        transition_hazard_ratio(hazard_study(), **kwargs)


def test_transition_hazard_ratio_needs_ends():
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2019-01-01"), ("B", "2020-03-01")])
         .terms("Y", "mayor", [("P", "2019-01-01")])
         .agreement("R1", ["X", "Y"], signed="2020-01-01")
         .build())
    with pytest.raises(ValidationError, match=r"no relationship with known leadership ended.*"
                                              r"try event='dormant'"):
        transition_hazard_ratio(s, n_placebo=0)


def test_transition_hazard_ratio_runs_on_solo():
    study = ct.datasets.load_solo()
    # nothing in the Solo record has a formal end
    with pytest.raises(ValidationError, match="no relationship"):
        transition_hazard_ratio(study, n_placebo=0)
    # de facto ends: only Xi'an and Zhuhai have known leaders (Montana, Andong excluded);
    # both went dormant outside a 365-day window of a change: a monotone likelihood, the MLE
    # runs to 0 (before the rule: HR 6e-10 with p = 9e-100 from a meaningless robust SE)
    with pytest.warns(ConvergenceWarning):
        mle = transition_hazard_ratio(study, event="dormant", n_placebo=0, method="mle")
    assert mle["estimate"].item() < 1e-6
    assert mle["separation"].item()
    # by default: Firth's finite estimate, a wide profile interval, the placebo primary
    hr = transition_hazard_ratio(study, event="dormant", n_placebo=20, seed=0)
    assert hr[["n_units", "n_events", "n_excluded_units"]].iloc[0].tolist() == [2, 2, 2]
    assert hr[["method", "conf_type", "vcov_type", "separation", "primary_test"]].iloc[
        0].tolist() == ["firth", "profile", "model", True, "placebo"]
    np.testing.assert_allclose(hr["estimate"].item(), 1 / 3, rtol=1e-6)
    assert hr["conf_low"].item() < 0.01
    assert hr["conf_high"].item() > 5
    assert hr["p_value"].item() > 0.3
    assert hr["n_placebo"].item() >= 1
    assert hr["n_placebo"].item() + hr["n_placebo_failed"].item() == 20
    assert hr["primary_p_value"].item() == hr["placebo_p_value"].item()
    assert hr["placebo_p_value"].item() >= 1 / (1 + hr["n_placebo"].item())


# --- survival across administrations ---------------------------------------------------------
from continuity.metrics import landmark_spells, survival_across_administrations  # noqa: E402


def landmark_study():
    # as_of 2020-12-31. Solo: A (party P1) 2010, B (P2) 2014-01-01 [party change],
    # caretaker C 2018-01-01, D 2018-06-01 [both caretaker transitions].
    # Zhuhai: P 2010, Q 2016-01-01 [parties unknown: regular]. Relationships (Solo-Zhuhai):
    #   G1 2012-01-01 .. ended 2014-07-01
    #   G2 2013-01-01 .. ended 2017-01-01
    #   G3 2015-01-01 .. open (censored at as_of)
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2014-01-01"),
                                     ("C", "2018-01-01", "caretaker"), ("D", "2018-06-01")],
                   parties=["P1", "P2", None, "P2"])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01"), ("Q", "2016-01-01")])
            .agreement("G1", ["Solo", "Zhuhai"], signed="2012-01-01", ended="2014-07-01")
            .agreement("G2", ["Solo", "Zhuhai"], signed="2013-01-01", ended="2017-01-01")
            .agreement("G3", ["Solo", "Zhuhai"], signed="2015-01-01")
            .build())


def test_landmark_spells_by_hand():
    sp = landmark_spells(landmark_study(), focal="Solo")
    # one spell per change inside a life, from the change to the end:
    #   G1 x Solo 2014-01-01 (party change): to 2014-07-01 = 181 days, ended
    #   G2 x Solo 2014-01-01: to 2017-01-01 = 1096 (2016 leap), ended
    #   G2 x Zhuhai 2016-01-01 (regular): 366, ended
    #   G3 x Zhuhai 2016-01-01: to 2020-12-31 = 1826, censored
    #   G3 x Solo 2018-01-01 (caretaker): 1095, censored; G3 x Solo 2018-06-01: 944, censored
    got = list(zip(sp["relationship_id"], sp["jurisdiction"], sp["transition_kind"],
                   sp["side"], sp["t_stop"], sp["event"], strict=True))
    assert got == [("G1", "Solo", "party_change", "own", 181, 1),
                   ("G2", "Solo", "party_change", "own", 1096, 1),
                   ("G2", "Zhuhai", "regular", "partner", 366, 1),
                   ("G3", "Zhuhai", "regular", "partner", 1826, 0),
                   ("G3", "Solo", "caretaker", "own", 1095, 0),
                   ("G3", "Solo", "caretaker", "own", 944, 0)]


def test_survival_across_administrations_by_hand():
    s = survival_across_administrations(landmark_study(), horizon=(365, 730, 1825),
                                        focal="Solo")
    s = s.set_index(["group", "level", "horizon"])
    # overall, 6 spells: day 181, 6 at risk -> 5/6; day 366, 5 at risk -> 5/6 * 4/5 = 2/3;
    # day 1096, 2 at risk (1095 and 944 censored earlier) -> 2/3 * 1/2 = 1/3
    np.testing.assert_allclose(
        [s.loc[("overall", "all", h), "estimate"] for h in (365, 730, 1825)],
        [5 / 6, 2 / 3, 1 / 3])
    assert s.loc[("overall", "all", 365), ["n", "n_relationships", "n_at_risk", "n_events"]
                 ].tolist() == [6, 3, 5, 1]
    # party change {181 ended, 1096 ended}: 1/2 at 365, 0 at 1825;
    # regular {366 ended, 1826 censored}: 1 at 365, 1/2 at 730; caretaker {1095c, 944c}: no
    # end, 1 up to day 1095 and unknown after it (the curve is not extended): NaN at 1825
    assert s.loc[("transition_kind", "party_change", 365), "estimate"] == 0.5
    assert s.loc[("transition_kind", "party_change", 1825), "estimate"] == 0.0
    assert s.loc[("transition_kind", "regular", 365), "estimate"] == 1.0
    assert s.loc[("transition_kind", "regular", 730), "estimate"] == 0.5
    assert s.loc[("transition_kind", "caretaker", 730), "estimate"] == 1.0
    assert np.isnan(s.loc[("transition_kind", "caretaker", 1825), "estimate"])
    # own (Solo) {181e, 1096e, 1095c, 944c}: 3/4 at 365; at 1096 only that spell is at risk: 0
    assert s.loc[("side", "own", 365), "estimate"] == 0.75
    assert s.loc[("side", "own", 1825), "estimate"] == 0.0
    assert s.loc[("side", "partner", 730), "estimate"] == 0.5
    lo, hi = s.loc[("overall", "all", 730), ["conf_low", "conf_high"]]
    assert 0 < lo < 2 / 3 < hi < 1
    # the interval is clustered by relationship (G2 and G3 contribute several spells): R,
    # survfit(Surv(t, e) ~ 1, cluster = relationship, conf.type = "log-log") at 730 days
    # (tests/parity/r/km_clustered.R, dataset "landmark")
    np.testing.assert_allclose([lo, hi], [0.160359, 0.914095], rtol=1e-5)


def test_survival_across_administrations_columns_and_no_side_without_focal():
    s = survival_across_administrations(landmark_study(), horizon=365)
    assert list(s.columns) == ["group", "level", "horizon", "estimate", "conf_low",
                               "conf_high", "n", "n_relationships", "n_at_risk", "n_events"]
    assert set(s["group"]) == {"overall", "transition_kind"}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"horizon": 0}, "whole number of days, 1 or more"),
    ({"horizon": (365, 365)}, "horizon repeat"),
    ({"focal": "Surakarta"}, "focal 'Surakarta' is not a party"),
    ({"event": "de_facto"}, "event must be one of 'formal', 'dormant'"),
    ({"conf_level": 0.0}, "conf_level must be a number strictly between 0 and 1"),
    ({"max_gap": -1}, "max_gap must be a whole number of days, 0 or more"),
    ({"changes": "all"}, "changes must be one of 'every', 'first'"),
    ({"dormancy": 10**18}, "dormancy must be a whole number of days, at most"),
])
def test_survival_across_administrations_bad_arguments(kwargs, match):
    # every message names survival_across_administrations, not the function it calls
    with pytest.raises(OptionError, match="^survival_across_administrations: .*" + match):
        survival_across_administrations(landmark_study(), **kwargs)


def test_survival_across_administrations_runs_on_solo():
    study = ct.datasets.load_solo()
    formal = survival_across_administrations(study, focal="Surakarta")
    # no instrument of the record has a formal end: every share is 1
    assert (formal["estimate"] == 1).all()
    d = survival_across_administrations(study, focal="Surakarta", event="dormant").set_index(
        ["group", "level", "horizon"])
    # de facto ends (730 days without activity): six spells, Xi'an and Zhuhai relationships
    assert d.loc[("overall", "all", 730), ["n", "n_relationships"]].tolist() == [6, 2]
    np.testing.assert_allclose(d.loc[("overall", "all", 730), "estimate"], 1 / 3)


def test_parties_of_a_spell_are_those_of_its_own_instruments():
    # Relationship R: spell 1 is G1 (X-Y, 2010-01-01 .. ended 2014-01-01); spell 2 is G2
    # (X-Z) signed 2017-01-01, more than max_gap later; H (X-W) is signed after as_of. Z
    # changes leader in 2012 and W in 2013, inside spell 1's life: neither is a party to it,
    # so neither starts a landmark spell (before the fix both did, as parties of R). X's
    # change in 2011 does; Z's change in 2019 starts one for spell 2.
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2005-01-01"), ("B", "2011-01-01")])
             .terms("Y", "mayor", [("P", "2005-01-01")])
             .terms("Z", "mayor", [("Q", "2005-01-01"), ("R", "2012-06-01"),
                                   ("S", "2019-01-01")])
             .terms("W", "mayor", [("U", "2005-01-01"), ("V", "2013-01-01")])
             .agreement("G1", ["X", "Y"], signed="2010-01-01", ended="2014-01-01",
                        relationship_id="R")
             .agreement("G2", ["X", "Z"], signed="2017-01-01", relationship_id="R")
             .agreement("H", ["X", "W"], signed="2021-06-01", relationship_id="R")
             .build())
    sp = landmark_spells(study)
    got = list(zip(sp["spell"], sp["jurisdiction"], sp["date"].dt.year, strict=True))
    assert got == [(1, "X", 2011), (2, "Z", 2019)]
    s = survival_across_administrations(study, horizon=365).set_index(["group", "level"])
    assert s.loc[("overall", "all"), "n"] == 2


def test_only_the_first_change_after_signing():
    # landmark_study: G1's and G2's first change is Solo's on 2014-01-01; G3 (2015) first
    # sees Zhuhai's on 2016-01-01. One spell per relationship spell.
    sp = landmark_spells(landmark_study(), focal="Solo", changes="first")
    got = list(zip(sp["relationship_id"], sp["jurisdiction"], sp["side"], sp["t_stop"],
                   sp["event"], strict=True))
    assert got == [("G1", "Solo", "own", 181, 1), ("G2", "Solo", "own", 1096, 1),
                   ("G3", "Zhuhai", "partner", 1826, 0)]
    s = survival_across_administrations(landmark_study(), horizon=(365, 1825),
                                        changes="first").set_index(["group", "level",
                                                                    "horizon"])
    # {181e, 1096e, 1826c}: 2/3 at 365, 2/3 * 1/2 = 1/3 at 1825
    np.testing.assert_allclose(s.loc[("overall", "all", 365), "estimate"], 2 / 3)
    np.testing.assert_allclose(s.loc[("overall", "all", 1825), "estimate"], 1 / 3)
    assert s.loc[("overall", "all", 365), ["n", "n_relationships"]].tolist() == [3, 3]


def test_two_parties_changing_on_one_day_start_one_first_spell():
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01"), ("Q", "2016-01-01")])
             .agreement("G", ["X", "Y"], signed="2012-01-01")
             .build())
    assert len(landmark_spells(study)) == 2
    first = landmark_spells(study, changes="first")
    assert first["jurisdiction"].tolist() == ["X"]


def test_a_termination_ends_a_relationship_at_once():
    # as_of 2020-12-31, max_gap 365. The rule lives in the episode split; the relationship
    # metrics read it from there.
    #   R1: G terminated 2020-10-01: ended then (before the fix: censored, waiting for a
    #       successor, since as_of is less than max_gap later)
    #   R2: H expired 2020-10-01: waits for a successor, censored at its expiry
    #   R3: K terminated 2016-01-01, K2 entering 2016-03-01: a new spell (before: one spell)
    #   R4: M1 in force to 2022, M2 terminated 2018-01-01: the relationship goes on under M1
    #   R5: N replaced 2016-01-01, N2 entering 2016-03-01: the same spell
    from continuity.episodes import audit_episodes

    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2015-01-01", ended="2020-10-01",
                        end_reason="terminated", relationship_id="R1")
             .agreement("H", ["X", "Y"], signed="2015-01-01", expires="2020-10-01",
                        relationship_id="R2")
             .agreement("K", ["X", "Y"], signed="2015-01-01", ended="2016-01-01",
                        end_reason="terminated", relationship_id="R3")
             .agreement("K2", ["X", "Y"], signed="2016-03-01", relationship_id="R3")
             .agreement("M1", ["X", "Y"], signed="2015-01-01", expires="2022-01-01",
                        relationship_id="R4")
             .agreement("M2", ["X", "Y"], signed="2016-01-01", ended="2018-01-01",
                        end_reason="terminated", relationship_id="R4")
             .agreement("N", ["X", "Y"], signed="2015-01-01", ended="2016-01-01",
                        end_reason="replaced", relationship_id="R5")
             .agreement("N2", ["X", "Y"], signed="2016-03-01", relationship_id="R5")
             .build())
    a = audit_episodes(study, level="relationship")
    got = {(str(r), int(s)): (str(st.date()), int(e), str(t)) for r, s, st, e, t in zip(
        a["relationship_id"], a["spell"], a["stop"], a["event"], a["end_type"], strict=True)}
    assert got == {("R1", 1): ("2020-10-01", 1, "ended"),
                   ("R2", 1): ("2020-10-01", 0, "censored"),
                   ("R3", 1): ("2016-01-01", 1, "ended"),
                   ("R3", 2): ("2020-12-31", 0, "censored"),
                   ("R4", 1): ("2020-12-31", 0, "censored"),
                   ("R5", 1): ("2020-12-31", 0, "censored")}
    # the relationship-level metrics agree: R1 ended formally, R2 is still alive
    d = ct.metrics.dormancy(study, thresholds=365, level="relationship")
    d = d.set_index(["relationship_id", "spell"])
    assert d.loc[("R1", 1), "formal_end"] == pd.Timestamp("2020-10-01")
    assert d.loc[("R2", 1), "formally_alive"]
    assert list(d.loc["R3"].index) == [1, 2]
