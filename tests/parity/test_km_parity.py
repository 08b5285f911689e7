"""Kaplan-Meier, medians, RMST, log-rank and rate tests against R's survival package.

The CSVs are written by tests/parity/r/km_logrank.R (R 4.2, survival 3.5-3); R is not needed here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from continuity.rates import rate_ratio, wilson_interval
from continuity.survival import kaplan_meier, logrank, logrank_table, median_survival, rmst

DATA = Path(__file__).parent / "data"
RTOL = 1e-6
RIGHT_CENSORED = {"flat_half", "aml", "lung", "lung3"}
DATASETS = ["own_lt", "own_edge", "flat_half", "heart", "aml", "lung", "lung3"]
CONF_TYPES = ["log-log", "log", "plain"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


def _input(name: str) -> pd.DataFrame:
    return _read(f"km_input_{name}.csv")


def _start(name: str) -> str | None:
    # right-censored sets are read with start=None, as R's Surv(time, status)
    return None if name in RIGHT_CENSORED else "t_start"


def _close(actual, desired, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    desired = np.asarray(desired, dtype=float)
    assert_array_equal(np.isnan(actual), np.isnan(desired), err_msg=f"{what}: NaN pattern")
    assert_allclose(actual, desired, rtol=RTOL, atol=0, equal_nan=True, err_msg=what)


@pytest.fixture(scope="module")
def curves() -> pd.DataFrame:
    return _read("km_curves.csv")


@pytest.fixture(scope="module")
def tables() -> pd.DataFrame:
    return _read("km_summary_table.csv")


def _select(frame: pd.DataFrame, name: str, by: str, conf_type: str) -> pd.DataFrame:
    sel = frame[
        (frame["dataset"] == name) & (frame["by"] == by) & (frame["conf_type"] == conf_type)
    ]
    assert len(sel) > 0
    return sel.reset_index(drop=True)


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("by", ["none", "group"])
@pytest.mark.parametrize("name", DATASETS)
def test_kaplan_meier_matches_survfit(curves, name, by, conf_type):
    ref = _select(curves, name, by, conf_type)
    km = kaplan_meier(
        _input(name),
        by=None if by == "none" else "group",
        conf_type=conf_type,
        start=_start(name),
    )
    assert len(km) == len(ref)
    if by == "group":
        assert_array_equal(km["group"].astype(str), ref["group"].astype(str))
    assert_array_equal(km["time"], ref["time"])
    assert_array_equal(km["n_at_risk"], ref["n_risk"])
    assert_array_equal(km["n_events"], ref["n_event"])
    assert_array_equal(km["n_censored"], ref["n_censor"])
    _close(km["estimate"], ref["surv"], "estimate")
    # std_error is summary.survfit's std.err (se of S); the object's is se of -log S
    _close(km["std_error"], ref["std_err_summary"], "std_error")
    with np.errstate(invalid="ignore", divide="ignore"):
        se_log = km["std_error"] / km["estimate"]
    finite = np.isfinite(ref["std_err_fit"]) & (km["estimate"] > 0)
    _close(se_log[finite], ref["std_err_fit"][finite], "std_error / estimate")
    _close(km["conf_low"], ref["lower"], "conf_low")
    _close(km["conf_high"], ref["upper"], "conf_high")


def test_parity_data_cover_the_edges(curves):
    """The reference data exercise delayed entry, S = 0 with later entries, and S = 1 rows."""
    edge = _select(curves, "own_edge", "group", "log-log")
    assert (edge["surv"] == 0).any()
    assert (edge["surv"] == 1).any()
    lt = _input("own_lt")
    assert (lt["t_start"] > 0).mean() > 0.5
    assert lt["t_start"].isin(lt["t_stop"]).any()  # entries at other rows' exit times


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("by", ["none", "group"])
@pytest.mark.parametrize("name", DATASETS)
def test_median_and_rmst_match_print_survfit(tables, name, by, conf_type):
    ref = _select(tables, name, by, conf_type)
    kwargs = {"by": None if by == "none" else "group", "start": _start(name)}
    med = median_survival(_input(name), conf_type=conf_type, **kwargs)
    first = ref.drop_duplicates("group", keep="first").reset_index(drop=True)
    if by == "group":
        assert_array_equal(med["group"].astype(str), first["group"].astype(str))
    _close(med["estimate"], first["median"], "median")
    _close(med["conf_low"], first["lcl"], "median conf_low")
    _close(med["conf_high"], first["ucl"], "median conf_high")
    assert_array_equal(med["n"], first["records"])
    assert_array_equal(med["n_events"], first["events"])
    for horizon, part in ref.groupby("horizon", sort=False):
        res = rmst(_input(name), horizon=horizon, extend="flat", **kwargs)  # R's rmean
        _close(res["estimate"], part["rmean"], f"rmean at {horizon}")
        _close(res["std_error"], part["se_rmean"], f"se(rmean) at {horizon}")
        assert_array_equal(res["n"], part["records"])
        assert_array_equal(res["n_events"], part["events"])


def test_flat_half_median_takes_the_midpoint(tables):
    ref = _select(tables, "flat_half", "group", "log").drop_duplicates("group")
    assert list(ref["median"]) == [3.5, 2.0]  # drops again at 5 / never drops again


def test_conf_level_090():
    data = _input("own_lt")
    ref = _read("km_curves_90.csv")
    km = kaplan_meier(data, by="group", conf_level=0.9, conf_type="log")
    _close(km["estimate"], ref["surv"], "estimate")
    _close(km["conf_low"], ref["lower"], "conf_low")
    _close(km["conf_high"], ref["upper"], "conf_high")
    tab = _read("km_summary_table_90.csv")
    med = median_survival(data, by="group", conf_level=0.9, conf_type="log")
    _close(med["estimate"], tab["median"], "median")
    _close(med["conf_low"], tab["lcl"], "lcl")
    _close(med["conf_high"], tab["ucl"], "ucl")
    res = rmst(data, horizon=12, by="group", conf_level=0.9, extend="flat")
    _close(res["estimate"], tab["rmean"], "rmean")
    _close(res["std_error"], tab["se_rmean"], "se(rmean)")


def test_right_censored_equals_zero_entry():
    """start=None and a column of zeros give the same curve when no time is 0."""
    data = _input("lung")
    a = kaplan_meier(data, by="group", start=None)
    b = kaplan_meier(data, by="group")
    pd.testing.assert_frame_equal(a, b)


@pytest.fixture(scope="module")
def logrank_tests() -> pd.DataFrame:
    return _read("logrank_tests.csv")


@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("aml", "group"),
        ("lung", "group"),
        ("lung3", "group"),
        ("flat_half", "group"),
        ("own_lt", "group"),
        ("own_edge", "group"),
        ("heart", "group"),
        ("heart", "transplant"),
    ],
)
def test_logrank_matches_r(logrank_tests, name, by):
    ref = logrank_tests[(logrank_tests["dataset"] == name) & (logrank_tests["by"] == by)]
    assert len(ref) == 1
    ref = ref.iloc[0]
    res = logrank(_input(name), by=by, start=_start(name))
    assert list(res.columns) == ["statistic", "df", "p_value", "n", "n_events", "rho"]
    _close(res["statistic"], [ref["chisq"]], "statistic")
    assert res["df"].iloc[0] == ref["df"]
    _close(res["p_value"], [ref["p_value"]], "p_value")
    assert res["n"].iloc[0] == ref["n"]
    assert res["n_events"].iloc[0] == ref["n_events"]
    if not np.isnan(ref["chisq_check"]):  # survdiff or coxph(ties = "exact") score test
        _close(res["statistic"], [ref["chisq_check"]], "statistic vs the check")
    if name in RIGHT_CENSORED:  # a zero entry column is the same test
        again = logrank(_input(name), by=by)
        _close(again["statistic"], res["statistic"], "with t_start = 0")

    groups = _read("logrank_groups.csv")
    gref = groups[(groups["dataset"] == name) & (groups["by"] == by)].reset_index(drop=True)
    tab = logrank_table(_input(name), by=by, start=_start(name))
    assert_array_equal(tab[by].astype(str), gref["group"].astype(str))
    assert_array_equal(tab["n"], gref["n"])
    _close(tab["observed"], gref["observed"], "observed")
    _close(tab["expected"], gref["expected"], "expected")
    _close(tab["variance"], gref["variance"], "variance")


def test_rate_ratio_matches_poisson_test():
    ref = _read("rates_poisson_test.csv")
    for row in ref.itertuples(index=False):
        res = rate_ratio(
            int(row.events_a), row.time_a, int(row.events_b), row.time_b, conf_level=row.conf_level
        )
        assert len(res) == 1
        for col in ["estimate", "conf_low", "conf_high", "p_value"]:
            _close(res[col], [getattr(row, col)], f"{col} for {row}")


def test_wilson_interval_matches_prop_test():
    ref = _read("rates_prop_test.csv")
    for level, part in ref.groupby("conf_level"):
        res = wilson_interval(
            part["successes"].astype(int), part["trials"].astype(int), conf_level=level
        )
        for col in ["estimate", "conf_low", "conf_high"]:
            _close(res[col], part[col], f"{col} at {level}")
