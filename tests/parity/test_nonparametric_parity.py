"""Stratified and G-rho log-rank, weighted Kaplan-Meier, Nelson-Aalen and cumulative incidence
against R (survival 3.5-3: survdiff, survfit; cmprsk 2.2-11: cuminc).

The CSVs are written by tests/parity/r/nonparametric.R with 17 significant digits; R is not
needed here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from continuity import cumulative_incidence, kaplan_meier, nelson_aalen
from continuity.survival import logrank, logrank_table

DATA = Path(__file__).parent / "data"
RTOL = 1e-9


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


def _close(actual, desired, what: str, rtol: float = RTOL) -> None:
    actual = np.asarray(actual, dtype=float)
    desired = np.asarray(desired, dtype=float)
    assert_array_equal(np.isnan(actual), np.isnan(desired), err_msg=f"{what}: NaN pattern")
    assert_allclose(actual, desired, rtol=rtol, atol=1e-13, equal_nan=True, err_msg=what)


INPUTS = {"lung": _read("np_input_lung.csv"), "own": _read("np_input_own.csv")}
LOGRANK = _read("np_logrank.csv")
CURVES = _read("np_curves.csv")
CUMINC = _read("np_cuminc.csv")
MGUS = _read("np_input_mgus.csv")


@pytest.mark.parametrize(
    ("dataset", "strata", "rho"),
    sorted({tuple(r) for r in LOGRANK[["dataset", "strata", "rho"]].itertuples(index=False)}),
)
def test_logrank_stratified_and_g_rho_equal_survdiff(dataset, strata, rho):
    ref = LOGRANK[
        (LOGRANK["dataset"] == dataset) & (LOGRANK["strata"] == strata) & (LOGRANK["rho"] == rho)
    ].reset_index(drop=True)
    df = INPUTS[dataset]
    kw = {
        "by": "sex" if dataset == "lung" else "group",
        "strata": None if strata == "none" else strata,
        "rho": rho,
        "start": None,
    }
    table = logrank_table(df, **kw)
    assert_array_equal(table[kw["by"]].astype(str), ref["group"].astype(str))
    assert_array_equal(table["n"], ref["n"])
    for col in ("observed", "expected", "variance"):
        _close(table[col], ref[col], col)
    test = logrank(df, **kw)
    _close(test["statistic"], ref["chisq"].iloc[:1], "chisq")
    _close(test["p_value"], ref["p_value"].iloc[:1], "p_value")
    assert test["df"].iloc[0] == ref["df"].iloc[0]


CURVE_CASES = {"lung": (None, None), "lung_sex": (None, "sex"), "own": ("t_start", None)}


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dataset", sorted(CURVE_CASES))
def test_weighted_kaplan_meier_and_nelson_aalen_equal_survfit(dataset, weighted):
    ref = CURVES[(CURVES["dataset"] == dataset) & (CURVES["weighted"] == weighted)]
    start, by = CURVE_CASES[dataset]
    df = INPUTS["own" if dataset == "own" else "lung"]
    kw = {"by": by, "start": start, "weights": "w" if weighted else None}
    km = kaplan_meier(df, **kw)
    assert len(km) == len(ref)
    assert_array_equal(km["time"], ref["time"])
    _close(km["n_at_risk"], ref["n_risk"], "n_at_risk")
    _close(km["n_events"], ref["n_event"], "n_events")
    _close(km["n_censored"], ref["n_censor"], "n_censored")
    _close(km["estimate"], ref["surv"], "estimate")
    with np.errstate(invalid="ignore", divide="ignore"):
        se_log = (km["std_error"] / km["estimate"]).to_numpy()
    finite = np.isfinite(ref["std_err_fit"]).to_numpy() & (km["estimate"] > 0).to_numpy()
    _close(se_log[finite], ref["std_err_fit"][finite], "std_error / estimate")
    _close(km["conf_low"], ref["lower"], "conf_low")
    _close(km["conf_high"], ref["upper"], "conf_high")
    na = nelson_aalen(df, **kw)
    assert_array_equal(na["time"], ref["time"])
    _close(na["estimate"], ref["cumhaz"], "cumhaz")
    _close(na["std_error"], ref["std_chaz"], "std.chaz")


CI_CASES = {"mgus": (None, None), "mgus_sex": ("sex", None), "mgus_entry": (None, "t_start")}


@pytest.mark.parametrize("dataset", sorted(CI_CASES))
def test_cumulative_incidence_equals_survfit_multistate(dataset):
    by, start = CI_CASES[dataset]
    ref = CUMINC[(CUMINC["dataset"] == dataset) & (CUMINC["source"] == "survfit")]
    ref = ref.rename(columns={"group": "sex"}) if by else ref.drop(columns="group")
    ci = cumulative_incidence(MGUS, by=by, cause="cause", censored="censor", start=start)
    keys = ([by] if by else []) + ["cause", "time"]
    ref = ref.sort_values(keys).reset_index(drop=True)
    assert len(ci) == len(ref)
    for k in keys:
        assert_array_equal(ci[k], ref[k])
    assert_array_equal(ci["n_at_risk"], ref["n_risk"])
    assert_array_equal(ci["n_events"], ref["n_event"])
    _close(ci["estimate"], ref["estimate"], "pstate", rtol=1e-9)


@pytest.mark.parametrize("dataset", ["mgus", "mgus_sex"])
def test_cumulative_incidence_variance_equals_cuminc(dataset):
    by, _ = CI_CASES[dataset]
    ref = CUMINC[(CUMINC["dataset"] == dataset) & (CUMINC["source"] == "cuminc")]
    ref = ref.rename(columns={"group": "sex"}) if by else ref.drop(columns="group")
    ci = cumulative_incidence(MGUS, by=by, cause="cause", censored="censor", start=None)
    keys = ([by] if by else []) + ["cause", "time"]
    both = ref.merge(ci, on=keys, how="left", suffixes=("_r", ""), validate="one_to_one")
    assert both["estimate"].notna().all()
    _close(both["estimate"], both["estimate_r"], "est")
    _close(both["std_error"] ** 2, both["variance"], "var")


def test_cumulative_incidences_and_survival_add_to_one():
    ci = cumulative_incidence(MGUS, cause="cause", censored="censor", start="t_start")
    km = kaplan_meier(MGUS.assign(event=(MGUS["cause"] != "censor").astype(int)))
    total = ci.groupby("time")["estimate"].sum().to_numpy() + km["estimate"].to_numpy()
    assert_allclose(total, 1.0, rtol=0, atol=1e-12)


def test_exact_intervals_equal_binom_test():
    from continuity import exact_proportion

    ref = _read("np_binom_exact.csv")
    for level, part in ref.groupby("conf_level"):
        res = exact_proportion(part["x"].to_numpy(), part["n"].to_numpy(), conf_level=level)
        _close(res["conf_low"], part["conf_low"], "conf_low")
        _close(res["conf_high"], part["conf_high"], "conf_high")
        # the same on a Kaplan-Meier curve without censoring: n rows, n - x events
        for x, n, low, high in part[["x", "n", "conf_low", "conf_high"]].itertuples(index=False):
            if x == n:
                continue
            # n - x events, then x rows censored later: the curve ends at x / n, no censoring
            rows = pd.DataFrame({"t_stop": np.arange(1.0, n + 1),
                                 "event": [1] * (n - x) + [0] * x})
            km = kaplan_meier(rows, start=None, conf_type="exact", conf_level=level)
            at = km.iloc[n - x - 1]
            _close([at["conf_low"], at["conf_high"]], [low, high], f"KM exact {x}/{n}")
