"""Power by simulation: the table, its reproducibility on every backend, Schoenfeld, bad input."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import continuity as ct
from continuity.design import schoenfeld_power, simulate_replications
from continuity.errors import ContinuityTypeError, DependencyError, OptionError

TINY = ct.Design(n_relationships=80, n_jurisdictions=10)


# ----------------------------------------------------------------------------- the table
def test_power_table_columns_and_counts():
    out = ct.power(TINY, 2.0, n_sim=3, seed=5)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["n_sim"] == 3
    assert row["metric"] == "hazard_ratio"
    assert row["n_relationships"] == 80
    assert row["power"] == row["n_rejected"] / 3
    assert row["power_low"] <= row["power"] <= row["power_high"]
    assert row["n_events"] > 0
    assert row["n_transitions"] > 0
    assert row["unit_years"] > 0
    assert 0 <= row["coverage"] <= 1


def test_power_summarises_its_replications():
    reps = simulate_replications(TINY, 2.0, n_sim=4, seed=9)
    row = ct.power(TINY, 2.0, n_sim=4, seed=9).iloc[0]
    assert row["n_rejected"] == int((reps["p_value"] < 0.05).sum())
    assert row["estimate_mean"] == pytest.approx(reps["estimate"].mean())
    assert row["log_bias"] == pytest.approx(np.log(reps["estimate"]).mean() - np.log(2.0))
    assert row["coverage"] == pytest.approx(reps["covered"].astype(float).mean())
    assert row["n_events"] == pytest.approx(reps["n_events"].mean())


def test_exact_interval_is_clopper_pearson():
    row = ct.power(TINY, 2.0, n_sim=3, seed=5, interval="exact").iloc[0]
    k = int(row["n_rejected"])
    low = stats.beta.ppf(0.025, k, 3 - k + 1) if k > 0 else 0.0
    assert row["power_low"] == pytest.approx(low, abs=1e-9)


def test_same_seed_same_results_and_other_seed_differs():
    a = simulate_replications(TINY, 2.0, n_sim=3, seed=11)
    b = simulate_replications(TINY, 2.0, n_sim=3, seed=11)
    c = simulate_replications(TINY, 2.0, n_sim=3, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["estimate"], c["estimate"])


def test_first_replications_do_not_depend_on_n_sim():
    short = simulate_replications(TINY, 2.0, n_sim=2, seed=3)
    long = simulate_replications(TINY, 2.0, n_sim=3, seed=3)
    pd.testing.assert_frame_equal(short, long.iloc[:2])


# ----------------------------------------------------------------------------- backends
def test_two_local_workers_equal_the_serial_run():
    pytest.importorskip("joblib")
    serial = simulate_replications(TINY, 1.5, n_sim=3, seed=21)
    parallel = simulate_replications(TINY, 1.5, n_sim=3, seed=21, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)


def test_dask_local_cluster_equals_the_serial_run():
    joblib = pytest.importorskip("joblib")
    distributed = pytest.importorskip("distributed")
    serial = simulate_replications(TINY, 0.7, metric="activity_change", n_sim=4, seed=8)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), joblib.parallel_backend("dask"):
        on_dask = simulate_replications(TINY, 0.7, metric="activity_change", n_sim=4, seed=8)
    pd.testing.assert_frame_equal(serial, on_dask)


def test_without_joblib_serial_runs_and_n_jobs_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "joblib", None)
    out = simulate_replications(TINY, 2.0, n_sim=2, seed=1)
    pd.testing.assert_frame_equal(out, simulate_replications(TINY, 2.0, n_sim=2, seed=1))
    with pytest.raises(DependencyError, match=r"continuity\[parallel\]"):
        simulate_replications(TINY, 2.0, n_sim=2, seed=1, n_jobs=2)


def test_piped_run_writes_no_progress(capsys):
    simulate_replications(TINY, 2.0, n_sim=2, seed=1)
    assert capsys.readouterr().err == ""


# ----------------------------------------------------------------------------- metrics
def test_activity_change_recovers_a_drop_and_one_sided_is_more_powerful():
    design = ct.Design(n_relationships=150, n_jurisdictions=15)
    two = simulate_replications(design, 0.7, metric="activity_change", n_sim=3, seed=4)
    less = simulate_replications(design, 0.7, metric="activity_change", n_sim=3, seed=4,
                                 alternative="less")
    assert np.all(less["p_value"] < two["p_value"])
    # the estimates are the same draws; only the test changes
    pd.testing.assert_series_equal(two["estimate"], less["estimate"])
    assert np.all(np.abs(np.log(two["estimate"]) - np.log(0.7)) < 0.4)
    assert two["covered"].notna().all()


def test_event_study_metric_has_power_but_no_truth():
    row = ct.power(TINY, 0.5, metric="event_study", n_sim=2, seed=2).iloc[0]
    assert 0 <= row["power"] <= 1
    assert np.isnan(row["coverage"])
    assert np.isnan(row["log_bias"])
    assert np.isnan(row["schoenfeld_power"])


def test_small_sample_uses_the_cr2_test():
    cr0 = simulate_replications(TINY, 2.0, n_sim=2, seed=6)
    cr2 = simulate_replications(TINY, 2.0, n_sim=2, seed=6, small_sample=True)
    # Breslow ties barely move the estimate; the CR2 t test is more conservative
    np.testing.assert_allclose(cr0["estimate"], cr2["estimate"], rtol=0.05)
    assert np.all(cr2["p_value"] >= cr0["p_value"] * 0.9)
    assert not np.allclose(cr0["p_value"], cr2["p_value"])


def test_power_curve_over_sizes_and_effects():
    curve = ct.power_curve(TINY, 2.0, values=[40, 160], n_sim=3, seed=1)
    assert curve["n_relationships"].tolist() == [40, 160]
    assert curve["n_events"].iloc[1] > curve["n_events"].iloc[0]
    effects = ct.power_curve(TINY, 2.0, vary="effect", values=[1.5, 3.0], n_sim=2, seed=1)
    assert effects["effect"].tolist() == [1.5, 3.0]


# ----------------------------------------------------------------------------- Schoenfeld
def test_schoenfeld_events_closed_form():
    # (1.96 + 0.8416)^2 / (0.25 * log(2)^2) = 65.3 events (Schoenfeld 1983)
    assert ct.schoenfeld_events(2.0) == pytest.approx(65.35, abs=0.01)
    assert schoenfeld_power(ct.schoenfeld_events(1.5, exposed_share=0.3), 0.3,
                            1.5) == pytest.approx(0.8)
    one = ct.schoenfeld_events(2.0, alternative="greater")
    assert one < ct.schoenfeld_events(2.0)


def test_simulated_cox_power_agrees_with_schoenfeld():
    design = ct.Design(n_relationships=250, n_jurisdictions=25)
    row = ct.power(design, 1.6, n_sim=60, seed=2024).iloc[0]
    # Monte Carlo standard error of the simulated power, at the formula's value
    p = row["schoenfeld_power"]
    mc_se = np.sqrt(p * (1 - p) / row["n_sim"])
    assert 0.2 < p < 0.9  # a design where the test is informative
    assert abs(row["power"] - p) < 3 * mc_se


# ----------------------------------------------------------------------------- bad input
def test_zero_replications_names_the_fix():
    with pytest.raises(OptionError, match=r"n_sim must be a whole number of replications, "
                                          r"1 or more, not 0"):
        ct.power(TINY, 2.0, n_sim=0)


@pytest.mark.parametrize(("effect", "alternative", "fix"), [
    (0.7, "greater", "give alternative='less' or 'two-sided'"),
    (1.5, "less", "give alternative='greater' or 'two-sided'"),
])
def test_effect_of_the_wrong_sign_for_a_one_sided_test(effect, alternative, fix):
    with pytest.raises(OptionError, match=fix):
        ct.power(TINY, effect, alternative=alternative, n_sim=2)


def test_design_with_no_leader_change_possible():
    with pytest.raises(OptionError, match=r"no leader change is possible.*reelection_share "
                                          r"below 1 or caretaker_share above 0"):
        ct.Design(reelection_share=1.0, caretaker_share=0.0)
    with pytest.raises(OptionError, match="give at least one year"):
        ct.Design(follow_up_years=0.001)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"metric": "hazard"}, "metric must be one of"),
    ({"alpha": 1.5}, "alpha must be a level strictly between 0 and 1"),
    ({"n_jobs": 0}, "n_jobs must be a whole number of workers other than 0"),
    ({"interval": "wald"}, "interval must be one of"),
    ({"metric": "activity_change", "small_sample": True}, "small_sample applies to"),
])
def test_bad_options(kwargs, message):
    with pytest.raises(OptionError, match=message):
        ct.power(TINY, 2.0, n_sim=2, **kwargs)


def test_bad_design_values_and_kinds():
    with pytest.raises(OptionError, match="caretaker_share must be a share from 0 to 1"):
        ct.Design(caretaker_share=1.5)
    with pytest.raises(OptionError, match="n_relationships"):
        ct.Design(n_relationships=0)
    with pytest.raises(ContinuityTypeError, match=r"design must be a continuity\.Design"):
        ct.power({"n_relationships": 100}, 2.0, n_sim=2)
    with pytest.raises(OptionError, match="values is empty"):
        ct.power_curve(TINY, 2.0, values=[])
    with pytest.raises(OptionError, match="vary must be one of"):
        ct.power_curve(TINY, 2.0, vary="relationships", values=[1])
    with pytest.raises(OptionError, match="effect=1 is no effect"):
        ct.schoenfeld_events(1.0)
