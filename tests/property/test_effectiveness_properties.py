"""Invariants of the effectiveness metrics over generated studies and simulated ones."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuity.errors import ActivityOutsideLifeWarning
from continuity.metrics import (
    activity_change,
    activity_rates,
    budget_realisation,
    target_attainment,
)
from continuity.simulate import simulate_study
from continuity.study import Study
from continuity.testing import scenario
from continuity.testing import strategies as cst

FAST = settings(max_examples=25, deadline=None)


def build(tables, kwargs) -> Study:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ActivityOutsideLifeWarning)
        return Study(**tables, **kwargs)


@FAST
@given(drawn=cst.study_tables(max_agreements=5), copies=st.integers(2, 4))
def test_rates_scale_with_counts(drawn, copies):
    tables, kwargs = drawn
    if "activities" not in tables:
        return
    once = activity_rates(build(tables, kwargs), by="relationship_id")
    more = dict(tables, activities=pd.concat([tables["activities"]] * copies, ignore_index=True))
    many = activity_rates(build(more, kwargs), by="relationship_id")
    assert (many["exposure_days"] == once["exposure_days"]).all()
    assert (many["n_activities"] == copies * once["n_activities"]).all()
    np.testing.assert_allclose(many["estimate"], copies * once["estimate"])


@FAST
@given(drawn=cst.study_tables(max_agreements=5))
def test_administrations_partition_exposure_and_activity(drawn):
    tables, kwargs = drawn
    study = build(tables, kwargs)
    party = activity_rates(study, by=["relationship_id", "jurisdiction"])
    adm = activity_rates(study, by=["relationship_id", "jurisdiction", "administration"])
    # a unit whose life is empty (it expired the day it entered) has a row with no exposure by
    # party, and none by administration (it overlaps none)
    party = party[party["exposure_days"] > 0]
    summed = adm.groupby(["relationship_id", "jurisdiction"])[["exposure_days",
                                                               "n_activities"]].sum()
    summed = summed[summed["exposure_days"] > 0]
    whole = party.set_index(["relationship_id", "jurisdiction"])[["exposure_days",
                                                                  "n_activities"]]
    pd.testing.assert_frame_equal(summed.sort_index(), whole.sort_index(), check_dtype=False,
                                  check_index_type=False)
    assert (adm["estimate"].dropna() >= 0).all()
    assert (adm["conf_low"].dropna() <= adm["estimate"].dropna()).all()


def target_base():
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
            .agreement("A1", ["Solo", "Zhuhai"], signed="2012-01-01")
            .agreement("A2", ["Solo", "Zhuhai"], signed="2014-01-01", relationship_id="A1")
            .agreement("A3", ["Solo", "Zhuhai"], signed="2015-01-01"))


target_rows = st.lists(st.tuples(st.sampled_from(["A1", "A2", "A3"]),
                                 st.sampled_from(["students", "events", "budget"]),
                                 st.integers(0, 2500), st.integers(2, 400),
                                 st.integers(1, 100), st.integers(0, 150),
                                 st.sampled_from(["welfare", "public_services"])),
                       min_size=1, max_size=12)


def targets_frame(rows) -> pd.DataFrame:
    day0 = pd.Timestamp("2012-01-01")
    return pd.DataFrame({
        "agreement_id": [r[0] for r in rows], "indicator": [r[1] for r in rows],
        "period_start": [day0 + pd.Timedelta(days=r[2]) for r in rows],
        "period_end": [day0 + pd.Timedelta(days=r[2] + r[3]) for r in rows],
        "target": [float(r[4]) for r in rows], "actual": [float(r[5]) for r in rows],
        "objective": [r[6] for r in rows]})


def with_targets(frame: pd.DataFrame) -> Study:
    t = target_base().tables()
    return Study(**t, targets=frame, as_of="2020-12-31")


BY = st.sampled_from([None, "agreement_id", ["relationship_id", "indicator"], "objective",
                      ["administration", "year"]])


@FAST
@given(rows=target_rows, seed=st.integers(0, 2**32 - 1), by=BY)
def test_attainment_does_not_depend_on_row_order(rows, seed, by):
    frame = targets_frame(rows)
    if (frame["indicator"] != "budget").sum() == 0:
        return
    shuffled = frame.sample(frac=1.0, random_state=np.random.default_rng(seed))
    focal = "Solo" if by is not None and "administration" in by else None
    a = target_attainment(with_targets(frame), by=by, focal=focal)
    b = target_attainment(with_targets(shuffled), by=by, focal=focal)
    pd.testing.assert_frame_equal(a, b)


@FAST
@given(rows=target_rows, cut=st.floats(0.05, 0.95))
def test_splitting_a_period_and_pooling_keeps_the_totals(rows, cut):
    frame = targets_frame(rows)
    first = frame.copy()
    second = frame.copy()
    days = (frame["period_end"] - frame["period_start"]).dt.days
    mid = frame["period_start"] + pd.to_timedelta(np.maximum(1, (days * cut).astype(int)), "D")
    first["period_end"] = mid
    second["period_start"] = mid
    first["target"] = frame["target"] * cut
    second["target"] = frame["target"] - first["target"]
    first["actual"] = frame["actual"] * cut
    second["actual"] = frame["actual"] - first["actual"]
    split = pd.concat([first, second], ignore_index=True)
    cols = ["target_total", "actual_total", "attainment_of_totals"]
    if (frame["indicator"] != "budget").any():
        whole = target_attainment(with_targets(frame), by="agreement_id")
        parts = target_attainment(with_targets(split), by="agreement_id")
        np.testing.assert_allclose(parts[cols], whole[cols], rtol=1e-12)
        assert (parts["n"] == 2 * whole["n"]).all()
    if (frame["indicator"] == "budget").any():
        whole = budget_realisation(with_targets(frame), by="relationship_id")
        parts = budget_realisation(with_targets(split), by="relationship_id")
        np.testing.assert_allclose(parts[["planned", "realised", "estimate"]],
                                   whole[["planned", "realised", "estimate"]], rtol=1e-12)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_activity_change_is_one_without_a_leader_effect(seed):
    # activity does not depend on leaders: the pooled after/before counts are binomial with
    # probability 1/2 (equal exposure on both sides), so the exact test rarely rejects
    study = simulate_study(300, 10, activity_rate=1 / 30, activity_ratio=1.0, seed=seed)
    ch = activity_change(study)
    inc = ch[ch["included"]]
    assert (inc["exposure_before"] == inc["exposure_after"]).all()
    pooled = activity_change(study, by=None).iloc[0]
    assert pooled["n_before"] + pooled["n_after"] > 100
    assert pooled["p_value"] > 1e-4
    assert pooled["conf_low"] < 1.0 < pooled["conf_high"] or pooled["p_value"] < 0.05


@pytest.mark.parametrize("ratio", [0.5, 2.0])
def test_activity_change_sees_a_strong_effect(ratio):
    study = simulate_study(500, 10, activity_rate=1 / 30, activity_ratio=ratio, seed=11)
    pooled = activity_change(study, by=None).iloc[0]
    assert pooled["conf_low"] <= ratio <= pooled["conf_high"]
    assert not pooled["conf_low"] <= 1.0 <= pooled["conf_high"]
