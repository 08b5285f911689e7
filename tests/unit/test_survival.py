"""Unit tests of continuity.survival: hand-worked examples, invariants and every error path."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from continuity.errors import ContinuityError, ContinuityTypeError, OptionError, ValidationError
from continuity.survival import kaplan_meier, logrank, logrank_table, median_survival, rmst

Z95 = 1.959963984540054


@pytest.fixture
def five() -> pd.DataFrame:
    """Five subjects, two of them entering late; one is censored at 5."""
    return pd.DataFrame(
        {"t_start": [0, 0, 2, 0, 1], "t_stop": [3, 5, 6, 2, 4], "event": [1, 0, 1, 1, 1]}
    )


def random_rows(seed: int, n: int = 300, whole: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 15, n).astype(float)
    stop = start + rng.integers(1, 20, n)
    if not whole:
        start, stop = start * 1.37, stop * 1.37
    return pd.DataFrame(
        {
            "t_start": start,
            "t_stop": stop,
            "event": rng.integers(0, 2, n),
            "arm": rng.choice(["b", "a", "c"], n),
            "site": rng.integers(1, 3, n),
        }
    )


# ---------------------------------------------------------------- Kaplan-Meier by hand


def test_kaplan_meier_by_hand(five):
    km = kaplan_meier(five, conf_type="log")
    assert list(km.columns) == [
        "time",
        "n_at_risk",
        "n_events",
        "n_censored",
        "estimate",
        "std_error",
        "conf_low",
        "conf_high",
    ]
    # at risk when t_start < t <= t_stop: the row entering at 2 is not at risk at 2
    assert_array_equal(km["time"], [2, 3, 4, 5, 6])
    assert_array_equal(km["n_at_risk"], [4, 4, 3, 2, 1])
    assert_array_equal(km["n_events"], [1, 1, 1, 0, 1])
    assert_array_equal(km["n_censored"], [0, 0, 0, 1, 0])
    s2 = 1 - 1 / 4
    s3 = s2 * (1 - 1 / 4)
    s4 = s3 * (1 - 1 / 3)
    assert_allclose(km["estimate"], [s2, s3, s4, s4, 0.0], rtol=1e-15)
    # Greenwood: var(log S) = sum d / (n (n - d)); std_error is the se of S itself
    v2 = 1 / (4 * 3)
    v3 = v2 + 1 / (4 * 3)
    v4 = v3 + 1 / (3 * 2)
    assert_allclose(
        km["std_error"][:4],
        [s2 * math.sqrt(v2), s3 * math.sqrt(v3), s4 * math.sqrt(v4), s4 * math.sqrt(v4)],
        rtol=1e-14,
    )
    assert np.isnan(km["std_error"].iloc[4])  # the curve is 0: R gives NA
    assert_allclose(km["conf_low"].iloc[1], s3 * math.exp(-Z95 * math.sqrt(v3)), rtol=1e-12)
    assert_allclose(km["conf_high"].iloc[1], min(1.0, s3 * math.exp(Z95 * math.sqrt(v3))))
    assert np.isnan(km["conf_low"].iloc[4])
    assert np.isnan(km["conf_high"].iloc[4])


def test_conf_types_by_hand(five):
    s, v = 0.75 * 0.75, 2 / 12  # at time 3
    se = math.sqrt(v)
    row = {ct: kaplan_meier(five, conf_type=ct).iloc[1] for ct in ("plain", "log", "log-log")}
    assert_allclose(row["plain"]["conf_low"], s - Z95 * se * s, rtol=1e-12)
    assert_allclose(row["plain"]["conf_high"], min(1.0, s + Z95 * se * s), rtol=1e-12)
    # log-log: symmetric on log(-log S), with se(log(-log S)) = se / |log S|
    shift = Z95 * se / abs(math.log(s))
    assert_allclose(row["log-log"]["conf_low"], math.exp(-math.exp(math.log(-math.log(s)) + shift)))
    assert_allclose(
        row["log-log"]["conf_high"], math.exp(-math.exp(math.log(-math.log(s)) - shift))
    )
    for ct in row:
        assert row[ct]["conf_low"] < s < row[ct]["conf_high"]


def test_log_log_undefined_at_one_and_plain_is_not():
    rows = pd.DataFrame({"t_start": 0, "t_stop": [1, 2, 3], "event": [0, 1, 1]})
    loglog = kaplan_meier(rows).iloc[0]
    assert loglog["estimate"] == 1.0
    assert loglog["std_error"] == 0.0
    assert np.isnan(loglog["conf_low"])
    assert np.isnan(loglog["conf_high"])
    plain = kaplan_meier(rows, conf_type="plain").iloc[0]
    assert (plain["conf_low"], plain["conf_high"]) == (1.0, 1.0)


def test_conf_level_widens_interval(five):
    narrow = kaplan_meier(five, conf_level=0.8).iloc[:3]
    wide = kaplan_meier(five, conf_level=0.99).iloc[:3]
    assert (wide["conf_low"] < narrow["conf_low"]).all()
    assert (wide["conf_high"] > narrow["conf_high"]).all()


def test_curve_at_zero_stays_at_zero_after_late_entries():
    rows = pd.DataFrame({"t_start": [0, 0, 3, 3], "t_stop": [2, 2, 5, 6], "event": [1, 1, 1, 0]})
    km = kaplan_meier(rows)
    assert_array_equal(km["time"], [2, 5, 6])
    assert_array_equal(km["n_at_risk"], [2, 2, 1])
    assert_array_equal(km["estimate"], [0.0, 0.0, 0.0])


def test_right_censored_with_start_none():
    rows = pd.DataFrame({"t_stop": [0.0, 1.0, 1.0, 2.5], "event": [1, 1, 0, 1]})
    km = kaplan_meier(rows, start=None)
    assert_array_equal(km["n_at_risk"], [4, 3, 1])  # a time of 0 is allowed without a start
    assert_allclose(km["estimate"], [0.75, 0.5, 0.0])


def test_by_groups_sorted_with_keys_first():
    rows = pd.DataFrame(
        {"t_start": 0, "t_stop": [1, 2, 3, 1, 2], "event": 1, "arm": ["y", "y", "y", "x", "x"]}
    )
    km = kaplan_meier(rows, by="arm")
    assert list(km.columns[:2]) == ["arm", "time"]
    assert list(km["arm"]) == ["x", "x", "y", "y", "y"]
    assert_allclose(km["estimate"], [0.5, 0.0, 2 / 3, 1 / 3, 0.0])


def test_by_several_columns_and_custom_names():
    df = random_rows(3).rename(columns={"t_start": "a", "t_stop": "b", "event": "ended"})
    km = kaplan_meier(df, by=["arm", "site"], start="a", stop="b", event="ended")
    assert list(km.columns[:3]) == ["arm", "site", "time"]
    alone = kaplan_meier(
        df[(df["arm"] == "b") & (df["site"] == 2)], start="a", stop="b", event="ended"
    )
    part = km[(km["arm"] == "b") & (km["site"] == 2)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part.drop(columns=["arm", "site"]), alone)


def test_bool_event_and_input_not_mutated(five):
    before = five.copy()
    as_bool = five.assign(event=five["event"].astype(bool))
    pd.testing.assert_frame_equal(kaplan_meier(as_bool), kaplan_meier(five))
    pd.testing.assert_frame_equal(five, before)


# ---------------------------------------------------------------- invariants


@pytest.mark.parametrize("seed", range(5))
def test_estimate_in_unit_interval_and_non_increasing(seed):
    km = kaplan_meier(random_rows(seed), by="arm")
    assert km["estimate"].between(0, 1).all()
    for _, part in km.groupby("arm"):
        assert (np.diff(part["estimate"]) <= 0).all()
        assert (np.diff(part["time"]) > 0).all()
        low, high = part["conf_low"].dropna(), part["conf_high"].dropna()
        assert low.between(0, 1).all()
        assert high.between(0, 1).all()
    ok = km["conf_low"].notna()
    assert (km["conf_low"][ok] <= km["estimate"][ok]).all()
    assert (km["estimate"][ok] <= km["conf_high"][ok]).all()


@pytest.mark.parametrize("seed", range(3))
def test_row_order_and_index_do_not_matter(seed):
    df = random_rows(seed)
    shuffled = df.sample(frac=1, random_state=seed).set_axis(np.arange(len(df))[::-1] * 7)
    pd.testing.assert_frame_equal(kaplan_meier(df, by="arm"), kaplan_meier(shuffled, by="arm"))
    pd.testing.assert_frame_equal(logrank(df, by="arm"), logrank(shuffled, by="arm"))


@pytest.mark.parametrize("seed", range(3))
def test_counting_path_equals_sorting_path(seed):
    """Whole-number times are counted on a grid; other times are sorted: same answer."""
    whole = random_rows(seed, whole=True)
    scaled = random_rows(seed, whole=False)  # times * 1.37: same order, not whole numbers
    a = kaplan_meier(whole, by="arm")
    b = kaplan_meier(scaled, by="arm")
    assert_allclose(a["time"] * 1.37, b["time"], rtol=1e-15)
    pd.testing.assert_frame_equal(a.drop(columns="time"), b.drop(columns="time"))
    pd.testing.assert_frame_equal(logrank(whole, by="arm"), logrank(scaled, by="arm"))
    pd.testing.assert_frame_equal(
        median_survival(whole, by="arm").drop(columns=["estimate", "conf_low", "conf_high"]),
        median_survival(scaled, by="arm").drop(columns=["estimate", "conf_low", "conf_high"]),
    )


def test_events_and_rows_are_all_counted():
    df = random_rows(7)
    km = kaplan_meier(df, by="arm")
    assert km["n_events"].sum() == df["event"].sum()
    assert (km["n_events"] + km["n_censored"]).sum() == len(df)


# ---------------------------------------------------------------- median


def test_median_midpoint_when_flat_at_half():
    rows = pd.DataFrame({"t_start": 0, "t_stop": [1, 2, 3, 5], "event": [1, 1, 0, 1]})
    med = median_survival(rows)
    assert list(med.columns) == ["estimate", "conf_low", "conf_high", "n", "n_events"]
    # S = 0.75, 0.5 at 2, flat through the censoring at 3, drops at 5: (2 + 5) / 2
    assert med["estimate"].iloc[0] == 3.5
    assert (med["n"].iloc[0], med["n_events"].iloc[0]) == (4, 3)


def test_median_flat_at_half_to_the_end_is_the_first_time():
    rows = pd.DataFrame({"t_start": 0, "t_stop": [1, 2, 3, 5], "event": [1, 1, 0, 0]})
    assert median_survival(rows)["estimate"].iloc[0] == 2.0


def test_median_not_reached_is_nan_and_groups():
    rows = pd.DataFrame(
        {
            "t_start": 0,
            "t_stop": [1, 2, 3, 4, 5, 6],
            "event": [1, 1, 1, 0, 0, 1],
            "g": [1, 1, 1, 2, 2, 2],
        }
    )
    med = median_survival(rows, by="g")
    assert list(med["g"]) == [1, 2]
    assert med["estimate"].iloc[0] == 2.0  # S = 2/3, 1/3: first below 0.5 at 2
    assert med["estimate"].iloc[1] == 6.0  # S = 1, 1, 0
    never = median_survival(rows.assign(event=[1, 0, 0, 0, 0, 0]))
    assert np.isnan(never["estimate"].iloc[0])
    assert np.isnan(never["conf_high"].iloc[0])
    assert never["conf_low"].iloc[0] == 1.0  # the lower limit does cross 0.5


# ---------------------------------------------------------------- RMST


def test_rmst_by_hand_with_delayed_entry(five):
    # S = 1 on [0, 2), 3/4 on [2, 3), 9/16 on [3, 4), 3/8 on [4, 6)
    res = rmst(five, horizon=5)
    assert list(res.columns) == [
        "horizon",
        "estimate",
        "std_error",
        "conf_low",
        "conf_high",
        "n",
        "n_events",
        "last_time",
        "beyond_follow_up",
    ]
    assert_allclose(res["estimate"], [2 + 0.75 + 9 / 16 + 3 / 8], rtol=1e-15)
    # area after each event time, times Greenwood's term d / (n (n - d))
    a2, a3, a4 = 0.75 + 9 / 16 + 3 / 8, 9 / 16 + 3 / 8, 3 / 8
    se = math.sqrt(a2**2 / 12 + a3**2 / 12 + a4**2 / 6)
    assert_allclose(res["std_error"], [se], rtol=1e-14)
    assert_allclose(res["conf_low"], res["estimate"] - Z95 * se, rtol=1e-12)
    assert (res["n"].iloc[0], res["n_events"].iloc[0]) == (5, 4)


def test_rmst_horizon_before_first_and_after_last_time(five):
    early = rmst(five, horizon=1.5)
    assert (early["estimate"].iloc[0], early["std_error"].iloc[0]) == (1.5, 0.0)
    # the curve is 0 from 6 on: the area stops growing; the n = d term at 6 is left out
    late = rmst(five, horizon=100)
    assert_allclose(late["estimate"], [2 + 0.75 + 9 / 16 + 2 * 3 / 8], rtol=1e-15)


def test_rmst_by_group():
    rows = pd.DataFrame(
        {"t_start": 0, "t_stop": [1, 2, 1, 2], "event": 1, "g": ["a", "a", "b", "b"]}
    )
    res = rmst(rows, 3, by="g")
    assert list(res["g"]) == ["a", "b"]
    assert_allclose(res["estimate"], [1.5, 1.5])
    assert_array_equal(res["horizon"], [3.0, 3.0])


# ---------------------------------------------------------------- log-rank


def test_logrank_two_groups_by_hand():
    rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    # times 1..4 with (n, n_a) = (4, 2), (3, 1), (2, 1), (1, 0); one event each
    e_a = 2 / 4 + 1 / 3 + 1 / 2 + 0
    v_a = (2 * 2) / 16 + (1 * 2) / 9 + (1 * 1) / 4  # n_a n_b / n^2 (single events)
    tab = logrank_table(rows, by="arm", start=None)
    assert_allclose(tab["expected"], [e_a, 4 - e_a])
    assert_allclose(tab["variance"], [v_a, v_a])
    res = logrank(rows, by="arm", start=None)
    assert list(res.columns) == ["statistic", "df", "p_value", "n", "n_events", "rho"]
    assert_allclose(res["statistic"], [(2 - e_a) ** 2 / v_a], rtol=1e-14)
    assert res["df"].iloc[0] == 1
    assert res["n"].iloc[0] == 4
    assert res["n_events"].iloc[0] == 4


def test_logrank_tied_events_use_hypergeometric_variance():
    rows = pd.DataFrame({"t_stop": [1, 1, 2, 2], "event": 1, "arm": [0, 1, 0, 1]})
    tab = logrank_table(rows, by="arm", start=None)
    # time 1: n = 4, d = 2, n_0 = 2: var = d (n - d) / (n^2 (n - 1)) * n_0 n_1 = 2*2/48*4
    assert_allclose(tab["variance"], [2 * 2 / 48 * 4 + 0.0] * 2)
    assert_allclose(logrank(rows, by="arm", start=None)["statistic"], [0.0], atol=1e-15)


def test_logrank_three_groups_is_invariant_to_labels():
    df = random_rows(11)
    a = logrank(df, by="arm")
    b = logrank(df.assign(arm=df["arm"].map({"a": "z", "b": "m", "c": "a"})), by="arm")
    assert_allclose(a["statistic"], b["statistic"], rtol=1e-10)
    assert a["df"].iloc[0] == 2


def test_logrank_group_without_expected_events_is_dropped_from_df():
    rows = pd.DataFrame(
        {
            "t_start": [0, 0, 0, 0, 10],
            "t_stop": [1, 2, 3, 4, 12],
            "event": [1, 1, 1, 0, 0],
            "g": [1, 2, 1, 2, 3],
        }
    )
    res = logrank(rows, by="g")
    assert res["df"].iloc[0] == 1  # group 3 enters after the last event


# ---------------------------------------------------------------- errors


def _raises_option(match: str, fn, *args, **kwargs):
    with pytest.raises(OptionError, match=match):
        fn(*args, **kwargs)


def _raises(match: str, fn, *args, **kwargs):
    with pytest.raises(ValidationError, match=match) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, ContinuityError)
    assert isinstance(info.value, ValueError)
    return str(info.value)


@pytest.mark.parametrize("fn", [kaplan_meier, median_survival])
def test_missing_columns(five, fn):
    msg = _raises("not in the data", fn, five, stop="exit")
    assert msg == (
        f"{fn.__name__}: column(s) 'exit' (stop=) not in the data; it has 't_start', "
        "'t_stop', 'event'. Pass the names of your columns, e.g. start='entry', stop='exit', "
        "event='ended'"
    )
    _raises("'entry' \\(start=\\)", fn, five, start="entry")
    _raises("'ended' \\(event=\\)", fn, five, event="ended")


def test_unknown_by_column(five):
    _raises("'arm' \\(by=\\) not in the data", kaplan_meier, five, by="arm")
    _raises("'arm' \\(by=\\)", logrank, five, by="arm")
    _raises("'arm' \\(by=\\)", rmst, five, 3, by=["arm"])


def test_stop_not_after_start(five):
    bad = five.assign(t_stop=[3, 0, 2, 2, 4])
    msg = _raises("2 rows have t_stop <= t_start", kaplan_meier, bad)
    assert "(rows 1, 2)" in msg
    assert "must have positive length" in msg


def test_event_not_zero_one(five):
    msg = _raises("must be 0 or 1", kaplan_meier, five.assign(event=[1, 2, 0, 1, -1]))
    assert "2 rows are not (rows 1, 4; values 2.0, -1.0)" in msg
    _raises("must be 0/1 or bool", kaplan_meier, five.assign(event=["y", "n", "y", "y", "n"]))
    _raises("must be 0 or 1", kaplan_meier, five.assign(event=[1, np.nan, 0, 1, 1]))


def test_bad_times(five):
    _raises(
        "missing or infinite values \\(rows 0\\)",
        kaplan_meier,
        five.assign(t_stop=[np.nan, 5, 6, 2, 4]),
    )
    _raises("missing or infinite", kaplan_meier, five.assign(t_start=[0, 0, -np.inf, 0, 1]))
    dates = five.assign(t_stop=pd.to_datetime(["2020-01-01"] * 5))
    _raises("must be numeric.*convert dates to days", kaplan_meier, dates)


def test_several_problems_reported_together(five):
    bad = five.assign(t_stop=[3, 0, 6, 2, 4], event=[1, 0, 1, 1, 5])
    with pytest.raises(ValidationError) as info:
        kaplan_meier(bad)
    assert len(info.value.problems) == 2


@pytest.mark.parametrize("conf_level", [0, 1, 1.5, -0.1, "0.95", True, None, np.nan])
def test_bad_conf_level(five, conf_level):
    _raises_option(
        "conf_level must be a number strictly between 0 and 1",
        kaplan_meier,
        five,
        conf_level=conf_level,
    )
    _raises_option("conf_level", median_survival, five, conf_level=conf_level)
    _raises_option("conf_level", rmst, five, 3, conf_level=conf_level)


@pytest.mark.parametrize("conf_type", ["loglog", "arcsin", None, "LOG"])
def test_bad_conf_type(five, conf_type):
    with pytest.raises(OptionError, match="conf_type must be one of") as info:
        kaplan_meier(five, conf_type=conf_type)
    assert "'log-log', 'log', 'plain'" in str(info.value)
    _raises_option("conf_type", median_survival, five, conf_type=conf_type)


@pytest.mark.parametrize("horizon", [0, -1, np.inf, np.nan, "5", None, True])
def test_bad_horizon(five, horizon):
    _raises_option("rmst: horizon must be a finite number \\(in the unit of the times\\) above 0",
                   rmst, five, horizon)


def test_other_bad_inputs(five):
    with pytest.raises(ContinuityTypeError, match="df must be a pandas DataFrame"):
        kaplan_meier(five.to_dict())
    _raises("the data have no rows", kaplan_meier, five.iloc[:0])
    _raises_option("by= must be a column name or a list", kaplan_meier, five, by=3)
    _raises_option("by= names a column twice", kaplan_meier, five.assign(g=1), by=["g", "g"])
    _raises_option("stop= must be a column name", kaplan_meier, five, stop=None)
    _raises_option("by= is required", logrank, five, None)
    _raises_option("strata= must be a column name", logrank, five.assign(g=1), "g", strata=3)
    _raises_option(r"\['g'\] named in both by= and strata=", logrank, five.assign(g=1), "g",
                   strata="g")
    _raises_option("rho must be a finite number at least 0", logrank, five.assign(g=1), "g",
                   rho=-1)
    _raises("single value", logrank, five.assign(g=1), by="g")
    msg = _raises(
        "by column 'g' has 1 missing values",
        kaplan_meier,
        five.assign(g=[1, None, 2, 1, 2]),
        by="g",
    )
    assert "(rows 1)" in msg


# ---------------------------------------------------------------- near-tied times (timefix)


def test_near_ties_are_one_time_in_every_estimator():
    """2 and sqrt(2)**2 differ in the last bit; R's survfit/survdiff treat them as one time."""
    noisy = pd.DataFrame(
        {"t_stop": [1.0, 2.0, math.sqrt(2) ** 2, 2.0, math.sqrt(2) ** 2], "event": 1,
         "arm": [1, 1, 1, 2, 2]}
    )
    clean = noisy.assign(t_stop=[1.0, 2.0, 2.0, 2.0, 2.0])
    km = kaplan_meier(noisy, start=None)
    assert km["time"].tolist() == [1.0, 2.0]
    assert km["n_events"].tolist() == [1, 4]
    assert_allclose(km["estimate"], [0.8, 0.0])
    for fn in (median_survival, logrank_table):
        kw = {"by": "arm"}
        pd.testing.assert_frame_equal(fn(noisy, start=None, **kw), fn(clean, start=None, **kw))
    pd.testing.assert_frame_equal(
        rmst(noisy, 1.5, start=None), rmst(clean, 1.5, start=None)
    )
    # by hand: at t=1 one event among 5 (arm 1 has 3); at t=2 four events among 4
    lr = logrank_table(noisy, by="arm", start=None)
    assert_allclose(lr["expected"], [3 / 5 + 4 * 2 / 4, 2 / 5 + 4 * 2 / 4])
    assert logrank(noisy, by="arm", start=None)["statistic"].iloc[0] == pytest.approx(2 / 3)


def test_near_ties_merge_entry_and_exit_times():
    # entry 0.3 is the exit time 0.1 * 3 = 0.30000000000000004: the row is not at risk there
    rows = pd.DataFrame({"t_start": [0.0, 0.3, 0.0], "t_stop": [0.1 * 3, 1.0, 2.0],
                         "event": [1, 1, 0]})
    km = kaplan_meier(rows)
    assert km["n_at_risk"].tolist() == [2, 2, 1]
    exact = kaplan_meier(rows, timefix=False)
    assert exact["n_at_risk"].tolist() == [3, 2, 1]


def test_timefix_false_compares_exactly_and_whole_days_are_untouched():
    noisy = pd.DataFrame({"t_stop": [2.0, math.sqrt(2) ** 2], "event": 1})
    assert len(kaplan_meier(noisy, start=None, timefix=False)) == 2
    days = pd.DataFrame({"t_stop": [1e6, 1e6 + 1], "event": 1})  # 1 day apart at 1e6 days
    assert len(kaplan_meier(days, start=None)) == 2


def test_timefix_interval_of_length_zero_is_refused():
    rows = pd.DataFrame({"t_start": [0.0, 2.0], "t_stop": [math.sqrt(2) ** 2, 3.0],
                         "event": 1}, index=["a", "b"])
    rows.loc["b", "t_start"] = 0.0
    rows.loc["a", "t_start"] = 2.0 - 1e-12
    rows.loc["a", "t_stop"] = 2.0
    msg = _raises(re.escape("1 row(s) (rows a) enter and leave at times that differ by less "
                            "than the tolerance"), kaplan_meier, rows)
    assert "pass timefix=False" in msg
    assert len(kaplan_meier(rows, timefix=False)) == 2


@pytest.mark.parametrize("timefix", ["yes", 1, None])
def test_bad_timefix(five, timefix):
    for fn in (kaplan_meier, median_survival, logrank_table):
        kw = {"by": "g"} if fn is logrank_table else {}
        _raises_option("timefix must be True or False", fn, five.assign(g=[1, 2, 1, 2, 1]),
                       timefix=timefix, **kw)


# ---------------------------------------------------------------- stratified and G-rho log-rank


def test_logrank_stratified_sums_observed_expected_and_variance_over_strata():
    a = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    b = pd.DataFrame({"t_stop": [1, 2, 3], "event": [1, 1, 0], "arm": ["b", "a", "a"]})
    rows = pd.concat([a.assign(site=1), b.assign(site=2)], ignore_index=True)
    one, two = (logrank_table(x, by="arm", start=None) for x in (a, b))
    both = logrank_table(rows, by="arm", strata="site", start=None)
    for col in ("observed", "expected", "variance", "n"):
        assert_allclose(both[col], one[col] + two[col])
    # site 2 by hand: t=1 (n=3, arm a has 2) one event of b; t=2 (n=2, a has 2) one event of a
    assert_allclose(two["expected"], [2 / 3 + 1, 1 / 3])
    u = both["observed"].iloc[0] - both["expected"].iloc[0]
    assert_allclose(logrank(rows, by="arm", strata="site", start=None)["statistic"],
                    [u**2 / both["variance"].iloc[0]])


def test_g_rho_weights_each_time_by_the_pooled_curve_before_it():
    rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    # pooled S(t-) = 1, 3/4, 1/2, 1/4; rho = 1 weights the four event times by these
    w = np.array([1, 3 / 4, 1 / 2, 1 / 4])
    share_a = np.array([2 / 4, 1 / 3, 1 / 2, 0])
    tab = logrank_table(rows, by="arm", rho=1, start=None)
    assert_allclose(tab["observed"], [w[0] + w[2], w[1] + w[3]])
    assert_allclose(tab["expected"].iloc[0], (w * share_a).sum())
    v = (w**2 * share_a * (1 - share_a)).sum()  # single events: n_a n_b / n^2
    assert_allclose(tab["variance"], [v, v])
    zero = logrank_table(rows, by="arm", rho=0, start=None)
    pd.testing.assert_frame_equal(zero, logrank_table(rows, by="arm", start=None))


# ---------------------------------------------------------------- case weights, Nelson-Aalen


def test_integer_weights_equal_repeated_rows(five):
    weighted = kaplan_meier(five.assign(w=[2, 1, 3, 1, 2]), weights="w")
    repeated = kaplan_meier(five.loc[five.index.repeat([2, 1, 3, 1, 2])])
    for col in ("time", "n_at_risk", "n_events", "n_censored", "estimate", "std_error"):
        assert_allclose(weighted[col], repeated[col], rtol=1e-12, err_msg=col)


def test_weights_on_the_sorting_path_by_hand():
    rows = pd.DataFrame({"t_stop": [0.5, 1.5, 2.5], "event": [1, 0, 1], "w": [0.5, 1.0, 2.0]})
    km = kaplan_meier(rows, start=None, weights="w")
    assert_allclose(km["n_at_risk"], [3.5, 3.0, 2.0])
    assert_allclose(km["estimate"], [3 / 3.5, 3 / 3.5, 0.0])


@pytest.mark.parametrize("w", [[1, 0, 1, 1, 1], [1, -2, 1, 1, 1], [1, np.nan, 1, 1, 1]])
def test_bad_weights(five, w):
    msg = _raises("'w'", kaplan_meier, five.assign(w=w), weights="w")
    assert "(rows 1)" in msg


def test_nelson_aalen_by_hand(five):
    from continuity import nelson_aalen

    na = nelson_aalen(five)
    # at risk 4, 4, 3, 2, 1 at times 2..6; events 1, 1, 1, 0, 1
    h = np.cumsum([1 / 4, 1 / 4, 1 / 3, 0, 1])
    v = np.cumsum([1 / 16, 1 / 16, 1 / 9, 0, 1])
    assert_allclose(na["estimate"], h)
    assert_allclose(na["std_error"], np.sqrt(v))
    assert_allclose(na["conf_low"], h * np.exp(-Z95 * np.sqrt(v) / h))
    plain = nelson_aalen(five, conf_type="plain")
    assert_allclose(plain["conf_high"], h + Z95 * np.sqrt(v))
    _raises_option("conf_type must be one of", nelson_aalen, five, conf_type="log-log")


# ---------------------------------------------------------------- tiny counts


def test_exact_interval_without_censoring_is_clopper_pearson():
    from scipy.stats import beta

    rows = pd.DataFrame({"t_stop": [1.0, 2.0, 3.0, 4.0, 5.0], "event": 1})
    km = kaplan_meier(rows, start=None, conf_type="exact")
    # after k events, k... S = (5 - k) / 5: x = 5 - k survivors of n = 5
    x = np.array([4, 3, 2, 1, 0])
    low = np.where(x > 0, beta.ppf(0.025, x, 5 - x + 1), 0.0)
    high = np.where(x < 5, beta.ppf(0.975, x + 1, 5 - x), 1.0)
    assert_allclose(km["conf_low"], low, rtol=1e-10, atol=1e-14)
    assert_allclose(km["conf_high"], high, rtol=1e-10)


def test_exact_interval_with_one_event_is_wide_and_never_degenerate():
    rows = pd.DataFrame({"t_stop": [1.0, 2.0, 3.0], "event": [1, 0, 0]})
    exact = kaplan_meier(rows, start=None, conf_type="exact")
    normal = kaplan_meier(rows, start=None, conf_type="plain")
    assert (exact["conf_high"] - exact["conf_low"] > normal["conf_high"] - normal["conf_low"]).all()
    assert (exact["conf_low"] < exact["estimate"]).all()
    assert (exact["conf_high"] <= 1).all()
    med = median_survival(rows, start=None, conf_type="exact")
    assert np.isnan(med["estimate"].iloc[0])


def test_exact_interval_before_any_event_uses_the_number_at_risk():
    rows = pd.DataFrame({"t_stop": [1.0, 2.0, 3.0, 4.0], "event": [0, 1, 0, 1]})
    km = kaplan_meier(rows, start=None, conf_type="exact")
    assert km["conf_low"].iloc[0] == pytest.approx(0.025 ** (1 / 4))  # 4 of 4 alive at 1
    assert km["conf_high"].iloc[0] == 1.0


def test_rmst_refuses_to_extrapolate_past_follow_up(five):
    censored_last = five.assign(event=[1, 0, 0, 1, 1])  # the last exit, at 6, is censored
    res = rmst(censored_last, horizon=10)
    assert np.isnan(res["estimate"].iloc[0])
    assert np.isnan(res["std_error"].iloc[0])
    assert res["beyond_follow_up"].iloc[0]
    assert res["last_time"].iloc[0] == 6.0
    flat = rmst(censored_last, horizon=10, extend="flat")
    within = rmst(censored_last, horizon=6)
    s_end = kaplan_meier(censored_last)["estimate"].iloc[-1]
    assert_allclose(flat["estimate"], within["estimate"] + 4 * s_end)
    assert flat["beyond_follow_up"].iloc[0]
    # a curve that reached 0 needs no extension
    reached = rmst(five, horizon=100)
    assert not reached["beyond_follow_up"].iloc[0]
    assert np.isfinite(reached["estimate"].iloc[0])
    _raises_option("extend must be one of", rmst, five, 3, extend="linear")


def test_exact_proportion_with_one_or_two_units():
    from continuity import exact_proportion

    res = exact_proportion([0, 1, 2], [2, 2, 2])
    assert_allclose(res["estimate"], [0, 0.5, 1])
    assert_allclose(res["conf_low"].iloc[0], 0.0)
    assert_allclose(res["conf_high"].iloc[0], 1 - 0.025 ** 0.5)
    assert_allclose(res["conf_low"].iloc[2], 0.025 ** 0.5)
    for bad in ((3, 2), (-1, 2), (1.5, 2), (1, 0)):
        _raises_option("successes and trials must be whole numbers", exact_proportion, *bad)
