"""continuity.metrics.transition_hazard_ratio (and survival across administrations)."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.cox import ConvergenceWarning
from continuity.errors import ValidationError
from continuity.metrics import transition_hazard_ratio
from continuity.metrics.transitions import _placebo_study
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
    hr = transition_hazard_ratio(hazard_study(), window=100, n_placebo=0)
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
    assert hr["window"].item() == 100 and hr["term"].item() == "post_change"
    assert hr["n_placebo"].item() == 0 and np.isnan(hr["placebo_median"].item())
    assert hr["conf_low"].item() < hr["estimate"].item() < hr["conf_high"].item()


def test_transition_hazard_ratio_placebo_is_seeded():
    a = transition_hazard_ratio(hazard_study(), window=100, n_placebo=8, seed=3)
    b = transition_hazard_ratio(hazard_study(), window=100, n_placebo=8, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a["n_placebo"].item() + a["n_placebo_failed"].item() == 8
    if a["n_placebo"].item():
        assert a["placebo_q025"].item() <= a["placebo_median"].item() <= a[
            "placebo_q975"].item()
        assert 0 <= a["placebo_share_extreme"].item() <= 1


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
    ({"conf_level": 2}, "conf_level must be a number between 0 and 1"),
    ({"dormancy": 0}, "dormancy must be a whole number of days, 1 or more"),
])
def test_transition_hazard_ratio_bad_arguments(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        transition_hazard_ratio(hazard_study(), **kwargs)


def test_transition_hazard_ratio_needs_ends():
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2019-01-01"), ("B", "2020-03-01")])
         .terms("Y", "mayor", [("P", "2019-01-01")])
         .agreement("R1", ["X", "Y"], signed="2020-01-01")
         .build())
    with pytest.raises(ValidationError, match="no relationship with known leadership ended.*"
                                              "try event='dormant'"):
        transition_hazard_ratio(s, n_placebo=0)


def test_transition_hazard_ratio_runs_on_solo():
    study = ct.datasets.load_solo()
    # nothing in the Solo record has a formal end
    with pytest.raises(ValidationError, match="no relationship"):
        transition_hazard_ratio(study, n_placebo=0)
    # de facto ends: only Xi'an and Zhuhai have known leaders (Montana, Andong excluded);
    # both went dormant outside a 365-day window of a change: a monotone likelihood, HR -> 0
    with pytest.warns(ConvergenceWarning):
        hr = transition_hazard_ratio(study, event="dormant", n_placebo=3, seed=0)
    assert hr[["n_units", "n_events", "n_excluded_units"]].iloc[0].tolist() == [2, 2, 2]
    assert hr["estimate"].item() < 1e-6
    assert hr["n_placebo"].item() + hr["n_placebo_failed"].item() == 3
