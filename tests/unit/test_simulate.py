"""simulate_study: valid studies, reproducible draws, and recovery of the known hazard ratio."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.simulate import simulate_study


def _tables(study: ct.Study) -> dict[str, pd.DataFrame]:
    return {"terms": study.terms, "agreements": study.agreements, "parties": study.parties}


def test_simulated_study_is_valid_and_shaped_as_documented():
    study = simulate_study(300, 8, caretaker_share=0.3, reelection_share=0.3, seed=11)
    assert isinstance(study, ct.Study)
    assert study.as_of == pd.Timestamp("2019-12-31")
    assert set(study.offices.values()) == {"head"}
    # rebuilding from the tables validates again
    ct.Study(**{k: v.drop(columns=[c for c in v.columns if c.endswith("_precision")])
                for k, v in _tables(study).items()}, as_of=study.as_of)
    a, p, t = study.agreements, study.parties, study.terms
    assert len(a) == 300
    assert a["agreement_id"].is_unique
    pairs = p.groupby("agreement_id")["jurisdiction"].agg(["size", "nunique"])
    assert (pairs["size"] == 2).all()
    assert (pairs["nunique"] == 2).all()
    assert a["signed"].between(pd.Timestamp("2000-01-01"), pd.Timestamp("2019-12-30")).all()
    # every jurisdiction's terms touch, start by the period's start and run open to as_of
    lead = study.leadership_terms()
    for _, g in lead.groupby("jurisdiction"):
        assert g["start"].iloc[0] <= pd.Timestamp("2000-01-01")
        assert (g["end"].iloc[:-1].to_numpy() == g["start"].iloc[1:].to_numpy()).all()
        assert pd.isna(g["end"].iloc[-1])
    kinds = set(study.transitions()["transition_kind"])
    assert {"caretaker", "same_holder"} <= kinds
    assert set(t["kind"]) == {"elected", "caretaker"}


def test_events_never_after_as_of_and_never_before_signing():
    study = simulate_study(2000, 10, median_lifetime=1500, hazard_ratio=3.0, seed=5)
    a = study.agreements
    ended = a["ended"].notna()
    assert 0 < ended.sum() < len(a)
    assert (a.loc[ended, "ended"] <= study.as_of).all()
    assert (a.loc[ended, "ended"] > a.loc[ended, "signed"]).all()
    assert (a.loc[ended, "end_reason"] == "terminated").all()
    assert a.loc[~ended, "end_reason"].isna().all()
    # with every end recorded, true_end is the last day at risk
    assert (a["true_end"].notna() == ended).all()
    np.testing.assert_array_equal(a.loc[ended, "true_end"] + pd.Timedelta(days=1),
                                  a.loc[ended, "ended"])
    ep = study.episodes(window=365)
    assert ep["stop"].max() <= study.as_of
    assert int(ep["event"].sum()) == int(ended.sum())


def test_same_seed_same_study_different_seed_different():
    kw = {"hazard_ratio": 1.5, "activity_rate": 1 / 90}
    one, two = simulate_study(200, 6, seed=7, **kw), simulate_study(200, 6, seed=7, **kw)
    other = simulate_study(200, 6, seed=8, **kw)
    for name in ("terms", "agreements", "parties", "activities"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert not one.agreements.equals(other.agreements)
    assert not one.terms.equals(other.terms)
    gen = simulate_study(200, 6, seed=np.random.default_rng(7), **kw)
    pd.testing.assert_frame_equal(gen.agreements, one.agreements)


def test_activities_stop_at_the_end_and_paper_partnerships_stay_open():
    study = simulate_study(500, 6, activity_rate=1 / 30, formal_end_share=0.5, seed=3)
    a = study.agreements.set_index("agreement_id")
    act = study.activities
    assert len(act) > 0
    assert study.audit.empty
    stop = a["true_end"].fillna(study.as_of - pd.Timedelta(days=1))
    assert (act["date"].to_numpy() <= stop.loc[act["agreement_id"]].to_numpy()).all()
    assert (act["date"].to_numpy() >= a["signed"].loc[act["agreement_id"]].to_numpy()).all()
    unrecorded = a["true_end"].notna() & a["ended"].isna()
    assert 0 < unrecorded.sum() < a["true_end"].notna().sum()


def test_exposure_in_the_episodes_is_the_simulated_one():
    # Expected ends, summed over episodes from the model's hazard and the episodes' post_change,
    # match the ends observed, in and out of the window: post_change is the model's x(t).
    h0, hr = np.log(2) / 2000, 3.0
    study = simulate_study(6000, 12, median_lifetime=2000, hazard_ratio=hr, seed=21)
    ep = study.episodes(window=365)
    length = (ep["t_stop"] - ep["t_start"]).to_numpy(float)
    x = ep["post_change"].to_numpy(bool)
    for part in (x, ~x):
        expected = float((h0 * length * np.where(x, hr, 1.0))[part].sum())
        observed = int(ep["event"].to_numpy()[part].sum())
        assert abs(observed - expected) < 4 * np.sqrt(expected), (observed, expected)


def test_cox_recovers_the_true_log_hazard_ratio():
    truth = np.log(1.5)
    study = simulate_study(5000, 20, hazard_ratio=1.5, seed=2024)
    fit = ct.cox(study.episodes(window=365), ["post_change"], cluster="agreement_id")
    row = fit.summary.iloc[0]
    assert np.log(row["conf_low"]) < truth < np.log(row["conf_high"])
    assert abs(row["coef"] - truth) < 0.15
    assert row["robust_se"] < 0.08  # a test with power: the interval is narrow


def test_cox_finds_no_effect_when_there_is_none():
    study = simulate_study(5000, 20, hazard_ratio=1.0, seed=2024)
    fit = ct.cox(study.episodes(window=365), ["post_change"], cluster="agreement_id")
    row = fit.summary.iloc[0]
    assert row["conf_low"] < 1.0 < row["conf_high"]
    assert abs(row["coef"]) < 0.15


def test_piecewise_baseline_does_not_disturb_recovery():
    # Cox leaves the baseline free: a baseline that steps with time since signing is absorbed.
    truth = np.log(2.0)
    study = simulate_study(4000, 20, baseline_hazard=[1 / 800, 1 / 4000, 1 / 1500],
                           baseline_cuts=[365, 1500], hazard_ratio=2.0, seed=9)
    fit = ct.cox(study.episodes(window=365), ["post_change"], cluster="agreement_id")
    row = fit.summary.iloc[0]
    assert np.log(row["conf_low"]) < truth < np.log(row["conf_high"])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_jurisdictions": 1},
     "simulate_study: n_jurisdictions must be a whole number, 2 or more, not 1"),
    ({"hazard_ratio": 0}, "simulate_study: hazard_ratio must be a finite number above 0, not 0"),
    ({"caretaker_share": 1.5},
     "simulate_study: caretaker_share must be a number from 0 to 1, not 1.5"),
    ({"baseline_hazard": 0.001, "median_lifetime": 900},
     "simulate_study: give baseline_hazard (per day) or median_lifetime (days), not both"),
    ({"baseline_hazard": [0.001], "baseline_cuts": [365]},
     "simulate_study: baseline_hazard must hold 2 rate(s) per day"),
    ({"start": "2010-01-01", "as_of": "2005-01-01"},
     "simulate_study: as_of (2005-01-01) must come after start (2010-01-01)"),
    ({"window": 0.5}, "simulate_study: window must be a whole number of days, not 0.5"),
    ({"start": "1500-01-01"}, "simulate_study: start '1500-01-01' is outside the dates "
     "continuity can hold (1677-09-22 to 2262-04-11)"),
    ({"as_of": "2300-01-01"}, "simulate_study: as_of '2300-01-01' is outside the dates "
     "continuity can hold (1677-09-22 to 2262-04-11)"),
    ({"start": "1678-01-01"}, "simulate_study: start '1678-01-01' leaves no room for the terms "
     "of office that began before it (up to 1.5 x term_years); give a start on or after "
     "1683-09-23"),
])
def test_bad_options_are_refused_with_a_clear_message(kwargs, message):
    # bad arguments are OptionError (no failure table), not ValidationError
    with pytest.raises(ct.OptionError, match=re.escape(message)):
        simulate_study(10, **{"n_jurisdictions": 3, **kwargs})


@pytest.mark.parametrize(("start", "as_of"), [("1684-01-01", "1700-01-01"),
                                              ("2250-01-01", "2262-04-11")])
def test_a_period_at_the_edges_of_the_dates_keeps_its_dates(start, as_of):
    # a start in 1500 once wrapped silently to 2081: every date drawn stays in its period
    study = simulate_study(50, 4, start=start, as_of=as_of, activity_rate=0.01,
                           target_attainment=0.5, seed=3)
    lo = pd.Timestamp(start) - pd.Timedelta(days=int(1.5 * 4 * 365.25) + 1)
    hi = pd.Timestamp(as_of)
    assert study.terms["start"].between(lo, hi).all()
    assert study.agreements["signed"].between(pd.Timestamp(start), hi).all()
    assert study.agreements["ended"].dropna().between(pd.Timestamp(start), hi).all()
    assert study.activities["date"].between(pd.Timestamp(start), hi).all()
    assert study.targets["period_end"].between(pd.Timestamp(start), hi).all()


def test_a_seed_of_the_wrong_kind_is_a_type_error():
    with pytest.raises(ct.ContinuityTypeError, match="simulate_study: seed must be"):
        simulate_study(10, 3, seed="one")
