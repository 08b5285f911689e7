"""Near-tied times (R's timefix) in the Kaplan-Meier, median, RMST and log-rank estimators.

R's own test of tied floating-point times (survival's tests/tiedtime.R and tests/ties.rda):
``x = time2 - time1`` has values that differ only in the last bits, and ``sqrt(2)^2`` is not 2.
``survfit`` and ``survdiff`` merge them (``aeqSurv``); so must continuity. The CSVs are written
by tests/parity/r/tiedtime.R (R 4.2, survival 3.5-3) with 17 significant digits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from continuity.survival import kaplan_meier, logrank, logrank_table, median_survival, rmst

DATA = Path(__file__).parent / "data"
RTOL = 1e-9


def _exact(column: pd.Series) -> pd.Series:
    """Numbers parsed by Python's float (correctly rounded, whatever pandas' parser does)."""
    try:
        return column.map(lambda v: float("nan") if v == "NA" else float(v)).astype(float)
    except ValueError:
        return column


def _read(name: str) -> pd.DataFrame:
    raw = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    return raw.apply(_exact)


@pytest.fixture(scope="module")
def inputs() -> dict[str, tuple[pd.DataFrame, str | None, str]]:
    ties = _read("tiedtime_input_ties.csv")
    # x is recomputed here, so it carries the same rounding noise as in R
    x = ties["time2"] - ties["time1"]
    assert_array_equal(x, ties["x"])
    assert x.nunique() > np.unique(np.round(x, 8)).size  # the data do have near-ties
    ties = ties.assign(x=x, zero=0.0)
    thirds = ties.assign(entry=np.where(ties["group"] == 1, 0.0, ties["x"] / 3))
    tdata = _read("tiedtime_input_tdata.csv")
    tdata = tdata.assign(time=[1.0, 2.0, np.sqrt(2) ** 2, 2.0, np.sqrt(2) ** 2])
    return {
        "ties_x": (ties, None, "x"),
        "ties_counting": (ties, "time1", "time2"),
        "ties_thirds": (thirds, "entry", "x"),
        "tdata": (tdata, None, "time"),
    }


def _cases(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return sorted({(d, b) for d, b in zip(frame["dataset"], frame["by"], strict=True)})


CURVES = _read("tiedtime_curves.csv")
TABLES = _read("tiedtime_tables.csv")
TESTS = _read("tiedtime_logrank.csv")


def _close(actual, desired, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    desired = np.asarray(desired, dtype=float)
    assert_array_equal(np.isnan(actual), np.isnan(desired), err_msg=f"{what}: NaN pattern")
    assert_allclose(actual, desired, rtol=RTOL, atol=1e-12, equal_nan=True, err_msg=what)


@pytest.mark.parametrize(("name", "by"), _cases(CURVES))
def test_curves_equal_survfit_with_timefix(inputs, name, by):
    df, start, stop = inputs[name]
    ref = CURVES[(CURVES["dataset"] == name) & (CURVES["by"] == by)].reset_index(drop=True)
    km = kaplan_meier(df, by=None if by == "none" else "group", start=start, stop=stop)
    assert len(km) == len(ref), "one row per distinct time, near-ties merged"
    assert_array_equal(km["time"], ref["time"])  # the representative is the smallest of a chain
    assert_array_equal(km["n_at_risk"], ref["n_risk"])
    assert_array_equal(km["n_events"], ref["n_event"])
    assert_array_equal(km["n_censored"], ref["n_censor"])
    _close(km["estimate"], ref["surv"], "estimate")
    _close(km["conf_low"], ref["lower"], "conf_low")
    _close(km["conf_high"], ref["upper"], "conf_high")


@pytest.mark.parametrize(("name", "by"), _cases(TABLES))
def test_median_and_rmst_equal_print_survfit(inputs, name, by):
    df, start, stop = inputs[name]
    ref = TABLES[(TABLES["dataset"] == name) & (TABLES["by"] == by)].reset_index(drop=True)
    kwargs = {"by": None if by == "none" else "group", "start": start, "stop": stop}
    med = median_survival(df, **kwargs)
    _close(med["estimate"], ref["median"], "median")
    _close(med["conf_low"], ref["lcl"], "median conf_low")
    _close(med["conf_high"], ref["ucl"], "median conf_high")
    res = rmst(df, horizon=float(ref["horizon"].iloc[0]), extend="flat", **kwargs)
    _close(res["estimate"], ref["rmean"], "rmean")
    _close(res["std_error"], ref["se_rmean"], "se(rmean)")


@pytest.mark.parametrize("name", sorted(set(TESTS["dataset"])))
def test_logrank_equals_survdiff_with_timefix(inputs, name):
    df, _, stop = inputs[name]
    ref = TESTS[TESTS["dataset"] == name].reset_index(drop=True)
    table = logrank_table(df, by="group", start=None, stop=stop)
    _close(table["observed"], ref["observed"], "observed")
    _close(table["expected"], ref["expected"], "expected")
    _close(table["variance"], ref["variance"], "variance")
    test = logrank(df, by="group", start=None, stop=stop)
    _close(test["statistic"], ref["chisq"].iloc[:1], "chisq")
    _close(test["p_value"], ref["p_value"].iloc[:1], "p_value")


def test_timefix_false_keeps_times_apart(inputs):
    df, _, stop = inputs["tdata"]
    km = kaplan_meier(df, start=None, stop=stop, timefix=False)
    assert km["time"].tolist() == [1.0, 2.0, np.sqrt(2) ** 2]
