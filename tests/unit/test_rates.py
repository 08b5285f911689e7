"""Unit tests of continuity.rates: hand-worked values, independent checks and every error path."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from continuity.errors import ContinuityError, OptionError, ValidationError
from continuity.rates import rate_ratio, wilson_interval

Z95 = 1.959963984540054


# ---------------------------------------------------------------- rate_ratio


def test_rate_ratio_columns_and_estimate():
    res = rate_ratio(10, 100.0, 5, 120.0)
    assert list(res.columns) == [
        "estimate",
        "conf_low",
        "conf_high",
        "p_value",
        "events_a",
        "time_a",
        "events_b",
        "time_b",
    ]
    assert len(res) == 1
    assert_allclose(res["estimate"], [(10 / 100) / (5 / 120)])
    assert res[["events_a", "events_b"]].iloc[0].tolist() == [10, 5]


def test_rate_ratio_equal_rates_has_p_value_one():
    res = rate_ratio(25, 365.25, 25, 365.25)
    assert res["estimate"].iloc[0] == 1.0
    assert res["p_value"].iloc[0] == 1.0
    assert_allclose(res["conf_low"] * res["conf_high"], [1.0])  # symmetric on the log scale


def test_rate_ratio_agrees_with_scipy_binomtest():
    """Independent check: the conditional binomial test and Clopper-Pearson interval."""
    a, ta, b, tb = 13, 40.0, 30, 55.0
    test = stats.binomtest(a, a + b, ta / (ta + tb))
    ci = test.proportion_ci(confidence_level=0.9, method="exact")
    res = rate_ratio(a, ta, b, tb, conf_level=0.9)
    assert_allclose(res["p_value"], [test.pvalue], rtol=1e-10)
    to_ratio = [p / (1 - p) * tb / ta for p in (ci.low, ci.high)]
    assert_allclose(res[["conf_low", "conf_high"]].iloc[0], to_ratio, rtol=1e-10)


def test_rate_ratio_zero_counts():
    none_in_a = rate_ratio(0, 50, 4, 60)
    assert none_in_a["estimate"].iloc[0] == 0.0
    assert none_in_a["conf_low"].iloc[0] == 0.0
    none_in_b = rate_ratio(7, 30, 0, 40)
    assert math.isinf(none_in_b["estimate"].iloc[0])
    assert math.isinf(none_in_b["conf_high"].iloc[0])
    # all 7 events in group a, which has 3/7 of the time: p = (3/7)^7 (one tail is all there is)
    assert_allclose(none_in_b["p_value"], [(30 / 70) ** 7], rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1, 10, 3, 10), "events_a must be a whole number of events, 0 or more, not -1"),
        ((1, 10, -3, 10), "events_b must be a whole number of events, 0 or more"),
        ((1.5, 10, 3, 10), "events_a must be a whole number of events, not 1.5"),
        ((2**63, 10, 3, 10), "events_a must be a whole number of events, at most"),
        (("1", 10, 3, 10), "events_a must be a whole number"),
        ((1, 0, 3, 10), "time_a must be a positive finite person-time"),
        ((1, 10, 3, 0.0), "time_b must be a positive finite person-time"),
        ((1, -5, 3, 10), "time_a must be a positive"),
        ((1, np.inf, 3, 10), "time_a must be a positive"),
        ((1, None, 3, 10), "time_a must be a positive person-time"),
        ((0, 10, 0, 10), "both 0"),
    ],
)
def test_rate_ratio_errors(args, match):
    # the counts and times are arguments, not a table: an OptionError, no failure table
    with pytest.raises(OptionError, match=match):
        rate_ratio(*args)


@pytest.mark.parametrize("conf_level", [0, 1, 95, "0.95", True])
def test_rate_ratio_bad_conf_level(conf_level):
    with pytest.raises(ContinuityError, match="conf_level must be a number strictly between"):
        rate_ratio(1, 10, 3, 10, conf_level=conf_level)


# ---------------------------------------------------------------- wilson_interval


def test_wilson_by_hand():
    x, n = 3, 10
    p = x / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    res = wilson_interval(x, n)
    assert list(res.columns) == ["successes", "trials", "estimate", "conf_low", "conf_high"]
    assert_allclose(
        res[["conf_low", "conf_high"]].iloc[0], [centre - half, centre + half], rtol=1e-14
    )
    assert res["estimate"].iloc[0] == 0.3


def test_wilson_is_vectorised_and_exact_at_the_ends():
    res = wilson_interval(np.array([0, 5, 10]), 10, conf_level=0.9)
    assert_array_equal(res["successes"], [0, 5, 10])
    assert_array_equal(res["trials"], [10, 10, 10])
    assert res["conf_low"].iloc[0] == 0.0
    assert res["conf_high"].iloc[2] == 1.0
    assert_allclose(res["conf_low"].iloc[1] + res["conf_high"].iloc[1], 1.0)  # symmetric at 1/2
    from_series = wilson_interval(pd.Series([1, 2]), pd.Series([4, 8]))
    assert len(from_series) == 2
    assert_allclose(from_series["conf_low"].iloc[0], wilson_interval(1, 4)["conf_low"].iloc[0])


def test_wilson_agrees_with_scipy():
    ci = stats.binomtest(45, 120).proportion_ci(confidence_level=0.95, method="wilson")
    res = wilson_interval(45, 120)
    assert_allclose(res[["conf_low", "conf_high"]].iloc[0], [ci.low, ci.high], rtol=1e-12)


@pytest.mark.parametrize(
    ("successes", "trials", "match"),
    [
        (-1, 10, "successes must be non-negative whole numbers below 2\\*\\*63; 1 are not"),
        (2.0**63, 10, "successes must be non-negative whole numbers below"),
        (np.array([2**63], dtype=np.uint64), 10, "successes must be non-negative whole numbers"),
        ([2**64], 10, r"successes must be at most 2\*\*63 - 1"),
        (3, -10, "trials must be non-negative whole numbers"),
        (2.5, 10, "successes must be non-negative whole numbers"),
        ([1, np.nan], 10, "successes must be non-negative whole numbers"),
        (11, 10, r"1 elements have successes > trials \(first at position 0: 11 > 10\)"),
        ([1, 12], [2, 11], r"position 1: 12 > 11"),
        (0, 0, "trials are 0"),
        ([1, 2, 3], [4, 5], "do not broadcast"),
        (["a"], 3, "must be whole numbers, got dtype"),
        (True, 3, "must be whole numbers, got dtype bool"),
    ],
)
def test_wilson_errors(successes, trials, match):
    with pytest.raises(ValidationError, match=match):
        wilson_interval(successes, trials)


@pytest.mark.parametrize("conf_level", [0.0, 1.0, -1, "x"])
def test_wilson_bad_conf_level(conf_level):
    with pytest.raises(ContinuityError, match="conf_level"):
        wilson_interval(1, 2, conf_level=conf_level)


# ---------------------------------------------------------------- huge counts (issue 7)


def test_rate_ratio_huge_counts_use_no_memory_in_proportion():
    """The old implementation built an array of every outcome: 1e12 events needed terabytes."""
    import tracemalloc

    tracemalloc.start()
    res = rate_ratio(10**12, 1.0, 10**12 + 2, 1.0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 2**20
    # a is one below its mean 1e12 + 1, whose sd is about 7e5: a p-value of almost 1
    assert 0.999 < res["p_value"].iloc[0] <= 1.0
    assert res["events_a"].iloc[0] == 10**12
    # the log rate ratio is about normal with variance 1/a + 1/b = 2e-12
    half = Z95 * math.sqrt(2e-12)
    assert_allclose(np.log(res[["conf_low", "conf_high"]].iloc[0]), [-half, half], rtol=1e-4)


def test_rate_ratio_huge_counts_far_apart():
    res = rate_ratio(10**15, 1.0, 2 * 10**15, 1.0)
    assert res["estimate"].iloc[0] == 0.5
    assert res["p_value"].iloc[0] == 0.0  # underflows, as R's binom.test does
    assert res["conf_low"].iloc[0] < 0.5 < res["conf_high"].iloc[0]


def test_wilson_interval_does_not_overflow_integers():
    big = 2**63 - 1  # the largest int64: as a float it rounds up to 2**63, which overflows
    res = wilson_interval(2**62, big)
    assert res["trials"].iloc[0] == big
    assert res["successes"].iloc[0] == 2**62
    assert res["trials"].dtype == np.int64
    assert_allclose(res["estimate"], [0.5])
    assert 0.4999999 < res["conf_low"].iloc[0] < 0.5 < res["conf_high"].iloc[0] < 0.5000001
    # successes > trials by one is seen exactly, not lost in a float rounding
    with pytest.raises(ValidationError, match="successes > trials"):
        wilson_interval(2**62 + 1, 2**62)
