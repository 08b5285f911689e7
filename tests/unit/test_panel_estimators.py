"""event_study and discrete_hazard: recovery on synthetic panels and every error path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError, ValidationError


def _panel(n_units=300, n_periods=10, effect=-0.5, seed=1, never=0.25, same_cohort=False):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_periods)
    t = np.tile(np.arange(n_periods), n_units)
    c = rng.integers(3, 8, n_units) if not same_cohort else np.full(n_units, 5)
    treated = rng.random(n_units) >= never
    rel = np.where(treated[unit], t - c[unit], np.nan)
    alpha = rng.normal(0, 0.5, n_units)
    eff = np.where(np.nan_to_num(rel, nan=-1) >= 0, effect, 0.0)
    y = rng.poisson(np.exp(0.5 + alpha[unit] + 0.05 * t + eff))
    return pd.DataFrame({
        "agreement_id": unit, "period": t, "exposure_days": 365,
        "periods_since_change": pd.Series(rel).astype("Int64"),
        "changes": np.where(rel == 0, 1, 0), "n_activities": y,
        "attainment": 0.5 + alpha[unit] + 0.02 * t + 0.5 * eff + rng.normal(0, 0.1, len(t)),
    })


@pytest.mark.parametrize("estimator", ["twfe", "stacked"])
def test_recovers_a_known_drop(estimator):
    fit = ct.event_study(_panel(), estimator=estimator)
    t = fit.table.set_index("relative")
    assert t.loc[-1, "reference"]
    assert t.loc[-1, "estimate"] == 1.0
    assert np.isnan(t.loc[-1, "std_error"])
    for k in (0, 1, 2, 3):
        assert abs(t.loc[k, "coef"] - (-0.5)) < 0.12, (k, t.loc[k, "coef"])
    for k in (-3, -2):
        assert abs(t.loc[k, "coef"]) < 0.12
    assert (t["conf_low"] <= t["estimate"]).all() or t["conf_low"].isna().any()
    assert list(fit.table.columns) == ["relative", "term", "reference", "estimate", "coef",
                                       "std_error", "z", "p_value", "conf_low", "conf_high",
                                       "n"]
    assert fit.pretrend.columns.tolist() == ["statistic", "df", "p_value"]
    assert fit.pretrend["df"].item() == 2


def test_ols_version():
    fit = ct.event_study(_panel(), "attainment", model="ols")
    t = fit.table.set_index("relative")
    assert abs(t.loc[2, "estimate"] - (-0.25)) < 0.03
    assert t.loc[-1, "estimate"] == 0.0


def test_the_reference_period_is_named_and_binned_ends():
    fit = ct.event_study(_panel(), bins=(-2, 4), reference=-2)
    assert fit.table["relative"].tolist() == [-2, -1, 0, 1, 2, 3, 4]
    assert fit.table.loc[fit.table["reference"], "relative"].item() == -2
    assert fit.reference == -2
    # the ends bin everything beyond them
    p = _panel()
    rel = p["periods_since_change"].dropna()
    assert fit.table.set_index("relative").loc[4, "n"] == int((rel >= 4).sum())


def test_control_units_and_dropped_rows_are_reported():
    p = _panel()
    p.loc[p.index[:3], "changes"] = pd.NA  # unit 0 can no longer be a control
    fit = ct.event_study(p)
    assert fit.n_obs + fit.dropped["n_rows"].sum() == len(p)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"bins": (0, 3)}, r"bins \(0, 3\) leave no reference period: reference=-1"),
    ({"bins": (2, -2)}, "leave no reference period"),
    ({"bins": (-3, 3), "reference": 4}, "leave no reference period"),
    ({"bins": 3}, "bins must be a pair"),
    ({"model": "logit"}, "model must be one of 'poisson', 'ols'"),
    ({"estimator": "cs"}, "estimator must be one of 'twfe', 'stacked'"),
    ({"relative": "nope"}, "the panel has no column 'nope'"),
    ({"conf_level": 2}, "conf_level must be a number strictly between 0 and 1"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        ct.event_study(_panel(n_units=20), **kwargs)


def test_outcome_not_a_count_for_poisson():
    p = _panel(n_units=20)
    p["rate"] = p["n_activities"] / 2.5
    with pytest.raises(ValidationError, match=r"outcome 'rate' is not a count: .* use model='ols'"):
        ct.event_study(p, "rate")
    p["neg"] = -p["n_activities"]
    with pytest.raises(ValidationError, match="is not a count"):
        ct.event_study(p, "neg")
    ct.event_study(p, "rate", model="ols")  # fine for least squares


def test_no_variation_in_treatment():
    p = _panel(n_units=20, never=1.0)
    with pytest.raises(ValidationError, match="no variation in treatment"):
        ct.event_study(p)
    with pytest.raises(ValidationError, match="no variation in treatment"):
        ct.event_study(p, estimator="stacked")


def test_relative_periods_aliased_with_the_fixed_effects():
    # every unit changes in the same period and none is a control: the relative period is the
    # calendar period, so no dummy can be told apart from the period effects
    p = _panel(n_units=50, never=0.0, same_cohort=True)
    with pytest.raises(ValidationError, match="cannot be estimated: aliased"):
        ct.event_study(p)


def test_not_a_dataframe():
    with pytest.raises(ct.errors.ContinuityTypeError, match="panel must be a pandas DataFrame"):
        ct.event_study([1, 2, 3])


# ------------------------------------------------------------------------- discrete hazard


def _hazard_panel(n=400, seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n):
        x = int(rng.random() < 0.5)
        for d in range(15):
            h = 1 - np.exp(-np.exp(-2.0 + 0.7 * x))
            end = rng.random() < h
            rows.append((u, d, x, end))
            if end:
                break
    return pd.DataFrame(rows, columns=["agreement_id", "periods_since_entry", "x", "ended"])


def test_discrete_hazard_recovers_a_hazard_ratio():
    fit = ct.discrete_hazard(_hazard_panel(), ["x"])
    assert fit["term"].tolist() == ["x"]
    assert abs(fit["coef"].item() - 0.7) < 0.2
    assert fit["conf_low"].item() < np.exp(0.7) < fit["conf_high"].item()
    assert fit["n_events"].item() == int(_hazard_panel()["ended"].sum())


def test_discrete_hazard_errors():
    p = _hazard_panel(50)
    with pytest.raises(OptionError, match="link must be one of 'cloglog', 'logit'"):
        ct.discrete_hazard(p, ["x"], link="probit")
    with pytest.raises(OptionError, match="baseline must be one of"):
        ct.discrete_hazard(p, ["x"], baseline="weibull")
    q = p.assign(x=p["x"].astype("Float64"))
    q.loc[3, "x"] = pd.NA
    with pytest.raises(ValidationError,
                       match=r"covariate 'x' is NA or not a number in 1 row \(rows 3\)"):
        ct.discrete_hazard(q, ["x"])
    with pytest.raises(ValidationError, match="event column 'ended' must be 0/1"):
        ct.discrete_hazard(p.assign(ended=2), ["x"])
    with pytest.raises(OptionError, match="the panel has no column 'z'"):
        ct.discrete_hazard(p, ["z"])


def test_discrete_hazard_on_a_study_panel():
    study = ct.simulate.simulate_study(300, 30, hazard_ratio=1.0, seed=5)
    panel = study.panel(leaders="none")
    fit = ct.discrete_hazard(panel.dropna(subset=["changes"]), ["changes"],
                             cluster="agreement_id")
    assert fit["n_events"].item() <= int(panel["ended"].sum())
    assert np.isfinite(fit["std_error"].item())
