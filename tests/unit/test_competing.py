"""Cumulative incidence of competing causes, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity import cumulative_incidence, kaplan_meier
from continuity.errors import OptionError, ValidationError


@pytest.fixture
def ends() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "t_start": [0, 0, 0, 1, 0, 0],
            "t_stop": [1, 2, 3, 4, 5, 6],
            "reason": ["expired", "terminated", None, "expired", "terminated", "censored"],
        }
    )


def test_aalen_johansen_by_hand(ends):
    ci = cumulative_incidence(ends, cause="reason", censored="censored")
    assert list(ci.columns) == ["reason", "time", "n_at_risk", "n_events", "n_censored",
                                "estimate", "std_error", "conf_low", "conf_high"]
    exp = ci[ci["reason"] == "expired"]
    term = ci[ci["reason"] == "terminated"]
    # at risk at 1..6: 5 (the late entry is not yet at risk), 5, 4, 3, 2, 1
    assert exp["n_at_risk"].tolist() == [5, 5, 4, 3, 2, 1]
    # event-free just before each time: 1, 4/5, (4/5)^2, (4/5)^2, then x 2/3, then x 1/2
    s_before = np.array([1, 4 / 5, 16 / 25, 16 / 25, 16 / 25 * 2 / 3, 16 / 25 * 2 / 3 / 2])
    assert_allclose(exp["estimate"], np.cumsum(s_before * np.array([1, 0, 0, 1, 0, 0]) /
                                              np.array([5, 5, 4, 3, 2, 1])))
    assert_allclose(term["estimate"].iloc[-1], 4 / 5 / 5 + 16 / 25 * 2 / 3 / 2)
    km = kaplan_meier(ends.assign(event=ends["reason"].isin(["expired", "terminated"])))
    total = exp["estimate"].to_numpy() + term["estimate"].to_numpy() + km["estimate"].to_numpy()
    assert_allclose(total, 1.0)


def test_variance_by_hand_with_a_single_cause():
    rows = pd.DataFrame({"t_stop": [1, 2, 3, 4, 5], "c": ["x", "x", None, "x", None]})
    ci = cumulative_incidence(rows, cause="c", start=None)
    km = kaplan_meier(rows.assign(event=rows["c"].notna()), start=None)
    assert_allclose(ci["estimate"], 1 - km["estimate"])
    # cmprsk's cinc at t=1 (n=5, S: 1 -> 0.8, F = 0.2): t6 = 1/25, t3 = 1/0.8, t4 = 1 + t3 F;
    # v1 = t4^2 t6, v2 = t3 t4 t6, v3 = t3^2 t6; v = v1 + F^2 v3 - 2 F v2 = 0.04
    # at t=2 (n=4, S: 0.8 -> 0.6, F = 0.4) the sums grow by 1/9 each: v = 0.36 * 0.1736 = 1/16
    assert_allclose(ci["std_error"].iloc[:2], [0.2, 0.25])
    assert ci["std_error"].iloc[2] == ci["std_error"].iloc[1]  # held: no event of the cause


def test_causes_keep_their_type_and_groups_come_first(ends):
    rows = ends.assign(code=[1, 2, 0, 1, 2, 0], arm=["a", "a", "a", "b", "b", "b"])
    ci = cumulative_incidence(rows, by="arm", cause="code", censored=0)
    assert ci.columns[:2].tolist() == ["arm", "code"]
    assert sorted(ci["code"].unique().tolist()) == [1, 2]
    assert ci["code"].dtype.kind == "i"


def test_conf_types(ends):
    ci = cumulative_incidence(ends, cause="reason", censored="censored", conf_type="plain")
    inside = (ci["conf_low"] <= ci["estimate"]) & (ci["estimate"] <= ci["conf_high"])
    assert inside.all()
    loglog = cumulative_incidence(ends, cause="reason", censored="censored")
    positive = loglog["estimate"] > 0
    assert (loglog.loc[positive, "conf_low"] > 0).all()
    assert (loglog.loc[positive, "conf_high"] < 1).all()


def test_bad_arguments_and_data(ends):
    with pytest.raises(OptionError, match="conf_type must be one of"):
        cumulative_incidence(ends, cause="reason", conf_type="loglog")
    with pytest.raises(ValidationError, match="'cause' \\(event=\\) not in the data"):
        cumulative_incidence(ends)
    with pytest.raises(ValidationError, match="mixes values that cannot be sorted"):
        cumulative_incidence(ends.assign(reason=[1, "x", None, 1, "x", None]), cause="reason")


def test_exact_interval_of_a_single_cause_without_censoring_is_clopper_pearson():
    from scipy.stats import beta

    # 5 units, all end by cause "x": F = k / 5 is a binomial share
    rows = pd.DataFrame({"t_stop": [1.0, 2.0, 3.0, 4.0, 5.0], "c": "x"})
    ci = cumulative_incidence(rows, cause="c", start=None, conf_type="exact")
    k = np.arange(1, 6)
    low = beta.ppf(0.025, k, 5 - k + 1)
    high = np.where(k < 5, beta.ppf(0.975, k + 1, 5 - k), 1.0)
    assert_allclose(ci["conf_low"], low, rtol=1e-9)
    assert_allclose(ci["conf_high"], high, rtol=1e-9)


def test_exact_interval_before_the_first_event_of_a_cause(ends):
    ci = cumulative_incidence(ends, cause="reason", censored="censored", conf_type="exact")
    term = ci[ci["reason"] == "terminated"]
    # at time 1 no termination yet: F = 0 among 5 at risk, Clopper-Pearson for 0 of 5
    assert term["conf_low"].iloc[0] == 0.0
    assert term["conf_high"].iloc[0] == pytest.approx(1 - 0.025 ** (1 / 5))
