"""simulate_study's activities, targets and budgets: known truth, and the old draws kept."""

import numpy as np
import pandas as pd
import pytest

from continuity import OptionError
from continuity.metrics import budget_realisation, target_attainment
from continuity.schema import OBJECTIVES
from continuity.simulate import simulate_study


def test_activity_ratio_one_keeps_the_draws_of_before():
    a = simulate_study(200, 6, activity_rate=1 / 60, seed=5)
    b = simulate_study(200, 6, activity_rate=1 / 60, activity_ratio=1.0, seed=5)
    pd.testing.assert_frame_equal(a.activities, b.activities)
    pd.testing.assert_frame_equal(a.agreements, b.agreements)


def test_activities_name_goal_sector_and_a_party_as_side():
    s = simulate_study(200, 6, activity_rate=1 / 60, seed=5)
    acts = s.activities.merge(s.parties, on="agreement_id")
    hosted = acts[acts["side"] == acts["jurisdiction"]]
    assert len(hosted) == len(s.activities)  # every side is a party of the instrument
    assert set(s.activities["objective"]) <= set(OBJECTIVES)


def test_a_drop_after_a_change_lowers_the_count():
    same = simulate_study(400, 6, activity_rate=1 / 30, seed=2)
    drop = simulate_study(400, 6, activity_rate=1 / 30, activity_ratio=0.2, seed=2)
    assert len(drop.activities) < 0.9 * len(same.activities)


def test_targets_and_budgets_have_the_truth_they_were_drawn_with():
    s = simulate_study(2000, 20, target_attainment=0.8, budget_realisation=0.85, seed=3)
    t = s.targets
    assert set(t["indicator"]) == {"outputs", "budget"}
    assert (t["period_start"] < t["period_end"]).all()
    per_year = t.groupby(["agreement_id", "indicator", t["period_start"].dt.year]).size()
    assert (per_year == 1).all()  # one row per indicator and instrument-year
    att = target_attainment(s, by=None).iloc[0]
    assert att["attainment_of_totals"] == pytest.approx(0.8, abs=0.01)
    assert att["attainment"] == pytest.approx(0.8, abs=0.01)
    bud = budget_realisation(s, by=None).iloc[0]
    assert bud["estimate"] == pytest.approx(0.85, abs=0.01)


@pytest.mark.parametrize(("name", "value"), [("activity_ratio", 0), ("activity_ratio", -1),
                                             ("target_attainment", 1.5),
                                             ("budget_realisation", 0)])
def test_bad_truth_is_refused(name, value):
    with pytest.raises(OptionError, match=name):
        simulate_study(10, 3, activity_rate=0.01, seed=1, **{name: value})


def test_no_activity_drawn_without_a_rate():
    s = simulate_study(50, 3, target_attainment=0.5, seed=1)
    assert s.activities is None
    assert np.isin(s.targets["indicator"], ["outputs"]).all()
