"""Unit tests of continuity.cox: hand-worked likelihoods, invariances, errors and warnings."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.coxph import CoxResult, cox
from continuity.errors import (
    ContinuityError,
    ContinuityTypeError,
    ContinuityWarning,
    ConvergenceWarning,
    OptionError,
    ValidationError,
)

SUMMARY_COLUMNS = [
    "term", "coef", "exp_coef", "std_error", "robust_se", "z", "p_value", "conf_low", "conf_high",
    "df", "separation",
]


def four_rows() -> pd.DataFrame:
    # events at t=2 (row a, x=1; at risk a, b, c, d), t=3 (row b, x=0; at risk b, c, d) and
    # t=5 (row d alone at risk: contributes log 1 = 0); row c enters at 1 and leaves at 4
    return pd.DataFrame(
        {
            "t_start": [0.0, 0.0, 1.0, 0.0],
            "t_stop": [2.0, 3.0, 4.0, 5.0],
            "event": [1, 1, 0, 1],
            "x": [1.0, 0.0, 1.0, 0.0],
        },
        index=["a", "b", "c", "d"],
    )


def hand_loglik(beta: float) -> float:
    u = math.exp(beta)
    return beta - math.log(2 * u + 2) - math.log(u + 2) + 0.0


def test_hand_worked_breslow() -> None:
    rows = four_rows()
    fit = cox(rows, ["x"], ties="breslow")
    beta = fit.summary["coef"].iloc[0]
    # score: 1 - u/(u + 1) - u/(u + 2) = 0  <=>  u^2 = 2
    assert_allclose(beta, 0.5 * math.log(2), rtol=1e-10)
    u = math.exp(beta)
    assert abs(1 - u / (u + 1) - u / (u + 2)) < 1e-10
    assert_allclose(fit.loglik, (hand_loglik(0.0), hand_loglik(beta)), rtol=1e-12)
    info = u / (u + 1) ** 2 + 2 * u / (u + 2) ** 2
    assert_allclose(fit.summary["std_error"].iloc[0], 1 / math.sqrt(info), rtol=1e-10)
    assert_allclose(fit.var.iloc[0, 0], 1 / info, rtol=1e-10)
    # one event time only per row: Efron and Breslow agree without ties
    assert_allclose(cox(rows, ["x"], ties="efron").summary["coef"], [beta], rtol=1e-12)
    s = fit.summary
    assert list(s.columns) == SUMMARY_COLUMNS
    assert s["robust_se"].isna().all()
    assert_allclose(s["exp_coef"], np.exp(s["coef"]))
    assert_allclose(s["z"], s["coef"] / s["std_error"])
    assert_allclose(s["conf_low"], np.exp(beta - 1.959963984540054 / math.sqrt(info)))
    assert (fit.n, fit.n_events, fit.n_clusters, fit.converged) == (4, 3, None, True)
    tests = fit.tests.set_index("test")
    assert list(fit.tests.columns) == ["test", "statistic", "df", "p_value"]
    assert list(tests.index) == ["likelihood_ratio", "wald", "score"]
    assert_allclose(tests.loc["likelihood_ratio", "statistic"], 2 * (fit.loglik[1] - fit.loglik[0]))
    assert_allclose(tests.loc["wald", "statistic"], beta**2 * info)
    # score test at 0: U(0)^2 / I(0) with U(0) = 1 - 1/2 - 1/3, I(0) = 1/4 + 2/9
    assert_allclose(tests.loc["score", "statistic"], (1 / 6) ** 2 / (1 / 4 + 2 / 9))


def tied_rows() -> pd.DataFrame:
    # two tied events at t=2 (x = 1 and x = 0); at risk there: all four rows
    return pd.DataFrame(
        {
            "t_start": [0, 0, 0, 1, 0],
            "t_stop": [2, 2, 3, 4, 6],
            "event": [1, 1, 0, 1, 1],
            "x": [1.0, 0.0, 1.0, 0.0, 2.0],
        }
    )


def efron_loglik(beta: float) -> float:
    r = np.exp(beta * np.array([1.0, 0.0, 1.0, 0.0, 2.0]))
    s0 = r[:5].sum()
    tied = r[0] + r[1]
    at2 = beta * 1 + beta * 0 - math.log(s0) - math.log(s0 - tied / 2)
    at4 = beta * 0 - math.log(r[3] + r[4])  # rows 3 (1, 4] and 4 (0, 6]
    at6 = 0.0  # row 4 alone
    return at2 + at4 + at6


def breslow_loglik(beta: float) -> float:
    r = np.exp(beta * np.array([1.0, 0.0, 1.0, 0.0, 2.0]))
    return beta - 2 * math.log(r.sum()) - math.log(r[3] + r[4])


@pytest.mark.parametrize(("ties", "loglik"), [("efron", efron_loglik), ("breslow", breslow_loglik)])
def test_tied_events_hand_likelihood(ties, loglik) -> None:
    fit = cox(tied_rows(), "x", ties=ties)
    beta = fit.summary["coef"].iloc[0]
    assert_allclose(fit.loglik, (loglik(0.0), loglik(beta)), rtol=1e-12)
    h = 1e-5
    score = (loglik(beta + h) - loglik(beta - h)) / (2 * h)
    assert abs(score) < 1e-7
    info = -(loglik(beta + h) - 2 * loglik(beta) + loglik(beta - h)) / h**2
    assert_allclose(fit.summary["std_error"].iloc[0], 1 / math.sqrt(info), rtol=1e-4)


def test_efron_and_breslow_differ_with_ties() -> None:
    e = cox(tied_rows(), ["x"], ties="efron").loglik[0]
    b = cox(tied_rows(), ["x"], ties="breslow").loglik[0]
    assert e != pytest.approx(b)


def two_covariate_rows(n: int = 60, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n // 2), 2)
    start = np.where(np.arange(n) % 2 == 0, 0, rng.integers(1, 4, n))
    stop = start + rng.integers(1, 6, n)
    return pd.DataFrame(
        {
            "unit": unit,
            "t_start": start,
            "t_stop": stop,
            "event": rng.integers(0, 2, n),
            "x": np.round(rng.normal(size=n), 2),
            "flag": rng.integers(0, 2, n).astype(bool),
            "region": rng.integers(0, 2, n),
            "zone": rng.integers(0, 2, n),
        }
    )


def test_row_order_and_labels_do_not_matter() -> None:
    rows = two_covariate_rows()
    fit = cox(rows, ["x", "flag"], cluster="unit", strata="region")
    shuffled = rows.sample(frac=1, random_state=1)
    shuffled.index = [f"r{i}" for i in range(len(rows))]
    shuffled["unit"] = shuffled["unit"].map(lambda u: f"unit-{u}")
    again = cox(shuffled, ["x", "flag"], cluster="unit", strata="region")
    cols = ["coef", "std_error", "robust_se"]
    assert_allclose(again.summary[cols], fit.summary[cols], rtol=1e-10)
    assert again.n_clusters == fit.n_clusters == 30


def test_boolean_and_nullable_covariates_equal_plain_numbers() -> None:
    rows = two_covariate_rows()
    plain = rows.assign(flag=rows["flag"].astype(float))
    nullable = rows.assign(
        flag=rows["flag"].astype("boolean"), x=rows["x"].astype("Float64"),
        event=rows["event"].astype("Int64"),
    )
    a = cox(rows, ["x", "flag"]).summary
    b = cox(plain, ["x", "flag"]).summary
    c = cox(nullable, ["x", "flag"]).summary
    assert_allclose(a["coef"], b["coef"], rtol=1e-12)
    assert_allclose(c["coef"], b["coef"], rtol=1e-12)


def test_several_strata_columns() -> None:
    rows = two_covariate_rows()
    combined = rows.assign(rz=rows["region"].astype(str) + "-" + rows["zone"].astype(str))
    a = cox(rows, ["x"], strata=["region", "zone"])
    b = cox(combined, ["x"], strata="rz")
    assert_allclose(a.summary["coef"], b.summary["coef"], rtol=1e-12)


def test_input_not_mutated_and_result_frozen() -> None:
    rows = two_covariate_rows()
    before = rows.copy()
    fit = cox(rows, ["x", "flag"], cluster="unit")
    pd.testing.assert_frame_equal(rows, before)
    assert isinstance(fit, CoxResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.n = 3  # type: ignore[misc]
    assert fit.coef.index.tolist() == ["x", "flag"]
    assert fit.var.shape == (2, 2)
    # clustered: inference uses the robust variance
    assert_allclose(np.sqrt(np.diag(fit.var)), fit.summary["robust_se"])
    assert_allclose(np.sqrt(np.diag(fit.naive_var)), fit.summary["std_error"])
    assert_allclose(fit.summary["z"], fit.summary["coef"] / fit.summary["robust_se"])
    assert fit.tests["test"].tolist()[-1] == "robust_score"


def test_conf_level() -> None:
    rows = two_covariate_rows()
    s90 = cox(rows, ["x"], conf_level=0.90).summary
    s95 = cox(rows, ["x"]).summary
    assert s90["conf_low"].iloc[0] > s95["conf_low"].iloc[0]
    assert_allclose(
        np.log(s90["conf_high"]) - s90["coef"], 1.6448536269514722 * s90["std_error"], rtol=1e-10
    )


def test_timefix_merges_near_ties() -> None:
    rows = tied_rows().astype({"t_start": float, "t_stop": float})
    noisy = rows.copy()
    noisy.loc[1, "t_stop"] = 2 + 1e-12  # floating-point noise: still tied with row 0
    a = cox(rows, ["x"]).summary["coef"]
    assert_allclose(cox(noisy, ["x"]).summary["coef"], a, rtol=1e-12)
    b = cox(noisy, ["x"], timefix=False).summary["coef"]
    assert not np.allclose(a, b, rtol=1e-9)


# ------------------------------------------------------------------------------------ errors


def test_missing_column() -> None:
    with pytest.raises(ValidationError, match=r"covariate column\(s\) 'age' not in the data"):
        cox(four_rows(), ["x", "age"])
    with pytest.raises(ValidationError, match=r"time/event column\(s\) 'start' not in the data"):
        cox(four_rows(), ["x"], start="start")
    with pytest.raises(ValidationError, match=r"cluster column\(s\) 'id' not in the data"):
        cox(four_rows(), ["x"], cluster="id")


@pytest.mark.parametrize("dtype", ["str", "object", "category"])
def test_non_numeric_covariate_suggests_dummies(dtype: str) -> None:
    rows = four_rows().assign(kind=pd.Series(["a", "b", "a", "b"], index=list("abcd"), dtype=dtype))
    with pytest.raises(ValidationError, match=r"covariate column 'kind' has dtype .*not numeric"
                       r" or boolean; code it as 0/1 dummy columns"):
        cox(rows, ["x", "kind"])


def test_no_events() -> None:
    with pytest.raises(ValidationError, match=r"no events \(column 'event' is 0 in every row\)"):
        cox(four_rows().assign(event=0), ["x"])


def test_stop_not_after_start() -> None:
    rows = four_rows()
    rows.loc["c", "t_stop"] = 1.0
    with pytest.raises(ValidationError, match=r"1 row\(s\) have t_stop <= t_start \(rows c\)"):
        cox(rows, ["x"])


def test_unknown_ties_and_bad_options() -> None:
    with pytest.raises(OptionError,
                       match=r"cox: ties must be one of 'efron', 'breslow', not 'exact'"):
        cox(four_rows(), ["x"], ties="exact")  # type: ignore[arg-type]
    with pytest.raises(OptionError,
                       match="cox: conf_level must be a number strictly between 0 and 1, got 95"):
        cox(four_rows(), ["x"], conf_level=95)
    with pytest.raises(OptionError, match="max_iter must be a whole number, 1 or more, not 0"):
        cox(four_rows(), ["x"], max_iter=0)
    with pytest.raises(OptionError, match=r"eps must be a number in \(0, 1\)"):
        cox(four_rows(), ["x"], eps=0)
    with pytest.raises(OptionError, match="covariates is empty"):
        cox(four_rows(), [])
    with pytest.raises(OptionError, match="name a column twice"):
        cox(four_rows(), ["x", "x"])
    with pytest.raises(ContinuityTypeError, match="df must be a pandas DataFrame"):
        cox(four_rows().to_dict(), ["x"])  # type: ignore[arg-type]
    with pytest.raises(ContinuityTypeError, match="cluster must be one column name"):
        cox(four_rows(), ["x"], cluster=["a", "b"])  # type: ignore[arg-type]
    # an argument error is not a data error: no failure table
    assert not issubclass(OptionError, ValidationError)
    assert issubclass(OptionError, ContinuityError)


def test_options_are_keyword_only() -> None:
    # cox(ep, ["x"], "agreement_id", "relationship_id") used to stratify silently
    with pytest.raises(TypeError, match="positional"):
        cox(two_covariate_rows(), ["x"], "unit", "region")  # type: ignore[misc]


def test_bad_values() -> None:
    rows = four_rows()
    rows.loc["b", "x"] = np.nan
    with pytest.raises(ValidationError, match=r"covariate column 'x' has 1 missing value\(s\) "
                       r"\(rows b\)"):
        cox(rows, ["x"])
    with pytest.raises(ValidationError, match=r"event column 'event' must be 0/1 or boolean; "
                       r"1 row\(s\) are not \(rows d\)"):
        cox(four_rows().assign(event=[1, 1, 0, 2]), ["x"])
    rows = four_rows()
    rows.loc["a", "x"] = np.inf
    with pytest.raises(ValidationError, match="infinite value"):
        cox(rows, ["x"])


def test_constant_covariate_is_na_with_a_warning() -> None:
    # R: coef NA for 'one', the rest fitted as if it were not there
    with pytest.warns(ContinuityWarning, match=r"covariate\(s\) 'one' are collinear .* constant"
                      r" within every risk set .*coefficients are NA"):
        fit = cox(four_rows().assign(one=1.0), ["x", "one"])
    alone = cox(four_rows(), ["x"])
    s = fit.summary.set_index("term")
    assert list(s.index) == ["x", "one"]
    assert s.loc["one"].drop("separation").isna().all()
    assert_allclose(s.loc["x", "coef"], alone.summary["coef"].iloc[0], rtol=1e-12)
    assert fit.var.shape == (2, 2)
    assert np.isnan(fit.var.loc["one", "one"])
    assert (fit.tests["df"] == 1).all()


def test_collinear_covariate_is_na_with_a_warning() -> None:
    rows = two_covariate_rows()
    rows["x2"] = 2 * rows["x"] + 1
    with pytest.warns(ContinuityWarning, match=r"covariate\(s\) 'x2' are collinear"):
        fit = cox(rows, ["x", "x2", "flag"], cluster="unit")
    without = cox(rows, ["x", "flag"], cluster="unit")
    s = fit.summary.set_index("term")
    assert np.isnan(s.loc["x2", "coef"])
    assert_allclose(s.loc[["x", "flag"], "robust_se"], without.summary["robust_se"], rtol=1e-12)
    # constant within each stratum: not identifiable either
    with pytest.warns(ContinuityWarning, match=r"covariate\(s\) 'region' are collinear"):
        cox(rows, ["x", "region"], strata="region")
    with pytest.raises(ValidationError, match=r"every covariate .* nothing to estimate"):
        cox(rows, ["region"], strata="region")


# ---------------------------------------------------------------------------------- warnings


def test_convergence_warning() -> None:
    assert issubclass(ConvergenceWarning, ContinuityWarning)
    with pytest.warns(ConvergenceWarning, match="did not converge in 1 iterations"):
        fit = cox(two_covariate_rows(), ["x", "flag"], max_iter=1)
    assert not fit.converged
    assert fit.iterations == 1


def test_infinite_coefficient_warning() -> None:
    # events only among rows with x = 1: the likelihood rises for ever in beta_x; the relative
    # change of loglik falls below eps first, and R warns "beta may be infinite" (19 iterations)
    n = 60
    k = np.arange(n)
    rows = pd.DataFrame(
        {"t_start": 0, "t_stop": 1 + (k * 7) % 50, "x": (k % 2).astype(float),
         "z": np.round(np.sin(k), 2)}
    )
    rows["event"] = ((k % 2 == 1) & (k % 3 != 0)).astype(int)
    with pytest.warns(ConvergenceWarning, match=r"covariate\(s\) 'x'; their coefficient may be "
                      "infinite"):
        fit = cox(rows, ["x", "z"])
    assert fit.converged
    assert fit.summary["coef"].iloc[0] > 10


def test_monotone_likelihood_that_runs_out_of_iterations() -> None:
    # R: coxph(Surv(t_start, t_stop, event) ~ x) runs its 20 iterations, warns, beta 21.20289
    rows = pd.DataFrame(
        {"t_start": 0, "t_stop": [1, 2, 3, 4, 5, 6], "event": [1, 0, 1, 0, 1, 0],
         "x": [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]}
    )
    with pytest.warns(ConvergenceWarning) as caught:
        fit = cox(rows, ["x"])
    messages = [str(w.message) for w in caught]
    assert any("did not converge in 20 iterations" in m for m in messages)
    assert any("converged before covariate(s) 'x'" in m for m in messages)
    assert not fit.converged
    assert fit.iterations == 20
    assert_allclose(fit.summary["coef"], [21.20289], rtol=1e-6)
    assert_allclose(fit.loglik, [-3.871201, -1.791759], rtol=1e-6)


def test_no_warning_on_a_good_fit() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cox(two_covariate_rows(), ["x", "flag"], cluster="unit")


# ------------------------------------------------------- monotone likelihood, Firth, profile


def separated_rows() -> pd.DataFrame:
    # events only among x = 1: the partial likelihood rises for ever in beta
    return pd.DataFrame(
        {"t_start": 0, "t_stop": [1, 2, 3, 4, 5, 6], "event": [1, 0, 1, 0, 1, 0],
         "x": [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]}
    )


def separated_loglik(beta: float) -> float:
    # risk sets at t = 1, 3, 5: {1..6}, {3..6}, {5, 6}; three of x = 1, two, one
    u = math.exp(beta)
    return 3 * beta - math.log(3 * u + 3) - math.log(2 * u + 2) - math.log(u + 1)


def separated_info(beta: float) -> float:
    # each risk set has as many x = 1 as x = 0 rows: variance u / (1 + u)^2 at every event
    u = math.exp(beta)
    return 3 * u / (1 + u) ** 2


def test_separation_is_flagged_and_wald_inference_is_na() -> None:
    with pytest.warns(ConvergenceWarning):
        fit = cox(separated_rows(), ["x"])
    s = fit.summary.iloc[0]
    assert bool(s["separation"])
    assert np.isnan(s["z"])
    assert np.isnan(s["p_value"])
    assert np.isnan(s["conf_low"])
    assert np.isnan(s["conf_high"])
    assert np.isnan(fit.tests.set_index("test").loc["wald", "statistic"])
    # the likelihood-ratio test stays meaningful: 2 (sup l - l(0)); as beta grows, each risk
    # set's x = 1 rows take all the weight, so l tends to -log 3 - log 2 - log 1
    sup = 3 * 0 - math.log(3) - math.log(2)
    lr = fit.tests.set_index("test").loc["likelihood_ratio", "statistic"]
    assert_allclose(lr, 2 * (sup - separated_loglik(0.0)), rtol=1e-7)


def test_no_separation_on_a_good_fit() -> None:
    fit = cox(two_covariate_rows(), ["x", "flag"])
    assert not fit.summary["separation"].any()
    assert fit.summary["p_value"].notna().all()


def test_profile_interval_by_hand() -> None:
    # one covariate: the profile is the log-likelihood itself; limits where it falls 3.84/2
    from scipy.optimize import brentq

    fit = cox(four_rows(), ["x"], ties="breslow", conf_type="profile")
    beta = 0.5 * math.log(2)
    cut = 1.959963984540054**2
    lo = brentq(lambda b: 2 * (hand_loglik(beta) - hand_loglik(b)) - cut, beta - 20, beta)
    hi = brentq(lambda b: 2 * (hand_loglik(beta) - hand_loglik(b)) - cut, beta, beta + 20)
    assert_allclose(fit.summary[["conf_low", "conf_high"]].iloc[0], np.exp([lo, hi]), rtol=1e-9)
    assert fit.conf_type == "profile"
    # the Wald p-value is unchanged by the interval type
    wald = cox(four_rows(), ["x"], ties="breslow")
    assert_allclose(fit.summary["p_value"], wald.summary["p_value"], rtol=1e-12)


def test_profile_interval_is_infinite_on_the_separated_side() -> None:
    from scipy.optimize import brentq

    with pytest.warns(ConvergenceWarning):
        fit = cox(separated_rows(), ["x"], conf_type="profile")
    sup = -math.log(3) - math.log(2)
    lo = brentq(lambda b: 2 * (sup - separated_loglik(b)) - 1.959963984540054**2, -20, 20)
    assert_allclose(fit.summary["conf_low"], [math.exp(lo)], rtol=1e-6)
    assert fit.summary["conf_high"].iloc[0] == np.inf


def test_firth_by_hand_on_separated_data() -> None:
    # the penalised likelihood l + log(I)/2 has a finite maximum; find it independently
    from scipy.optimize import brentq, minimize_scalar

    def penalised(b: float) -> float:
        return separated_loglik(b) + 0.5 * math.log(separated_info(b))

    best = minimize_scalar(lambda b: -penalised(b), bracket=(0, 2), tol=1e-12)
    fit = cox(separated_rows(), ["x"], method="firth")
    assert fit.method == "firth"
    assert fit.conf_type == "profile"
    assert fit.converged
    assert_allclose(fit.summary["coef"], [best.x], rtol=1e-7)
    assert_allclose(fit.loglik, [penalised(0.0), penalised(best.x)], rtol=1e-10)
    assert_allclose(fit.summary["std_error"], [1 / math.sqrt(separated_info(best.x))], rtol=1e-6)
    cut = 1.959963984540054**2
    limits = [brentq(lambda b: 2 * (penalised(best.x) - penalised(b)) - cut, *ab)
              for ab in ((-10, best.x), (best.x, 20))]
    assert_allclose(fit.summary[["conf_low", "conf_high"]].iloc[0], np.exp(limits), rtol=1e-7)
    # penalised likelihood-ratio tests: of the term (p = 1: the global one)
    stat = 2 * (penalised(best.x) - penalised(0.0))
    assert_allclose(fit.summary["p_value"], [stats_chi2_sf(stat)], rtol=1e-7)
    tests = fit.tests.set_index("test")
    assert_allclose(tests.loc["penalised_likelihood_ratio", "statistic"], stat, rtol=1e-8)
    # the MLE runs away; the result says so even though Firth's estimate is finite
    assert bool(fit.summary["separation"].iloc[0])


def stats_chi2_sf(x: float) -> float:
    return math.erfc(math.sqrt(x / 2))  # chi-square with one degree of freedom


def test_firth_score_is_zero_at_the_estimate() -> None:
    # several covariates: the penalised score (with the derivative of log det I) vanishes, which
    # a finite-difference gradient of l + log det(I)/2 confirms
    from continuity._cox_data import _CoxData
    from continuity._cox_design import _Design
    from continuity._cox_firth import FirthObjective

    rows = two_covariate_rows()
    fit = cox(rows, ["x", "flag"], method="firth", ties="efron")
    data = _CoxData.from_frame(rows, ["x", "flag"], cluster=None, strata=None,
                               start="t_start", stop="t_stop", event="event", timefix=True)
    objective = FirthObjective(_Design(data.x, data.start, data.stop, data.event, data.strata,
                                       efron=True))
    beta = fit.summary["coef"].to_numpy()
    h = 1e-6
    grad = [(objective(beta + h * e).loglik - objective(beta - h * e).loglik) / (2 * h)
            for e in np.eye(2)]
    assert_allclose(grad, [0, 0], atol=1e-6)
    assert_allclose(objective(beta).score, [0, 0], atol=1e-9)


def test_firth_and_profile_refuse_cluster() -> None:
    with pytest.raises(OptionError, match="cluster= gives cluster-robust Wald inference"):
        cox(two_covariate_rows(), ["x"], cluster="unit", method="firth")
    with pytest.raises(OptionError, match="cluster= gives cluster-robust Wald inference"):
        cox(two_covariate_rows(), ["x"], cluster="unit", conf_type="profile")
    with pytest.raises(OptionError, match="method must be one of 'mle', 'firth', not 'penal'"):
        cox(four_rows(), ["x"], method="penal")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="conf_type must be one of 'wald', 'profile'"):
        cox(four_rows(), ["x"], conf_type="log")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ CR2 errors


def test_cr2_needs_a_cluster_and_breslow_with_ties() -> None:
    rows = two_covariate_rows()
    with pytest.raises(OptionError, match="vcov_type='cr2' corrects a cluster-robust variance"):
        cox(rows, ["x"], vcov_type="cr2")
    assert (rows.loc[rows["event"] == 1, "t_stop"].value_counts() > 1).any()  # tied events
    with pytest.raises(OptionError, match="pass ties='breslow' with vcov_type='cr2'"):
        cox(rows, ["x"], cluster="unit", vcov_type="cr2")
    with pytest.raises(OptionError, match="vcov_type must be one of 'cr0', 'cr2', not 'CR2'"):
        cox(rows, ["x"], cluster="unit", vcov_type="CR2")  # type: ignore[arg-type]


def test_cr2_with_efron_equals_breslow_without_ties() -> None:
    rows = two_covariate_rows()
    rows["t_stop"] = rows["t_stop"] + np.arange(len(rows)) / 1000  # no two events tied
    a = cox(rows, ["x", "flag"], cluster="unit", vcov_type="cr2", ties="efron")
    b = cox(rows, ["x", "flag"], cluster="unit", vcov_type="cr2", ties="breslow")
    cols = ["coef", "robust_se", "df", "p_value", "conf_low"]
    assert_allclose(a.summary[cols], b.summary[cols], rtol=1e-9)
    assert (a.summary["df"] < a.n_clusters).all()


def test_cr2_refuses_a_design_too_large(monkeypatch) -> None:
    import continuity.coxph as coxph

    monkeypatch.setattr(coxph, "MAX_CELLS", 10)
    with pytest.raises(OptionError, match=r"would build a design of [\d,]+ cells .*use "
                       "vcov_type='cr0'"):
        cox(four_rows().assign(id=[1, 1, 2, 2]), ["x"], cluster="id", vcov_type="cr2",
            ties="breslow")


# ------------------------------------------------------------------------------- residuals


def test_martingale_residuals_by_hand() -> None:
    # events at 2 (all four at risk, x = 1, 0, 1, 0), 3 (rows 1, 2, 3), 5 (row 3 alone);
    # the score 1 - 2u/(2u + 2) - u/(u + 2) = 0 gives u = exp(beta) = sqrt(2)
    rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5], "event": [1, 1, 0, 1],
                         "x": [1.0, 0.0, 1.0, 0.0]}, index=list("abcd"))
    fit = cox(rows, ["x"])
    u = math.sqrt(2)
    d2, d3, d5 = 1 / (2 * u + 2), 1 / (u + 2), 1.0
    expected = [1 - u * d2, 1 - (d2 + d3), 0 - u * (d2 + d3), 1 - (d2 + d3 + d5)]
    m = fit.residuals("martingale")
    assert list(m.index) == list("abcd")
    assert_allclose(m["martingale"], expected, rtol=1e-10)
    dev = fit.residuals("deviance")["deviance"]
    ev = rows["event"].to_numpy()
    logs = np.array([math.log(e - m) if e else 0.0 for e, m in zip(ev, expected, strict=True)])
    assert_allclose(dev, np.sign(expected) * np.sqrt(-2 * (np.array(expected) + ev * logs)),
                    rtol=1e-10)
    # Schoenfeld: x minus the risk-set mean at each event time
    sch = fit.residuals("schoenfeld")
    assert_allclose(sch["x"], [1 - u / (u + 1), 0 - u / (u + 2), 0.0], atol=1e-12)
    assert list(sch["row"]) == ["a", "b", "d"]
    # the score residuals sum to the score, 0 at the estimate
    assert_allclose(fit.residuals("score").sum(), [0.0], atol=1e-10)


def test_collapsed_residuals_are_cluster_sums() -> None:
    rows = two_covariate_rows()
    fit = cox(rows, ["x", "flag"], cluster="unit")
    for kind in ("martingale", "score", "dfbeta"):
        per_row = fit.residuals(kind, collapse=False)
        collapsed = fit.residuals(kind)  # collapsed by default with a cluster
        assert_allclose(collapsed, per_row.groupby(rows["unit"].to_numpy()).sum(), rtol=1e-12)
    # the robust variance is the cross-product of the collapsed dfbeta residuals
    d = fit.residuals("dfbeta").to_numpy()
    assert_allclose(d.T @ d, fit.var, rtol=1e-10)


def test_residual_errors() -> None:
    fit = cox(four_rows(), ["x"])
    with pytest.raises(OptionError, match="type must be one of 'martingale'"):
        fit.residuals("pearson")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="collapse=True needs a fit with cluster="):
        fit.residuals("score", collapse=True)
    with pytest.raises(OptionError, match="per event; they do not collapse"):
        cox(two_covariate_rows(), ["x"], cluster="unit").residuals("schoenfeld", collapse=True)


# --------------------------------------------------------------------------- survival curves


def test_predict_survival_by_hand() -> None:
    # the model of test_martingale_residuals_by_hand: u = exp(beta) = sqrt(2); hazard jumps of
    # the baseline (x = 0) are 1/(2u + 2), 1/(u + 2) and 1 at t = 2, 3, 5
    rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5], "event": [1, 1, 0, 1],
                         "x": [1.0, 0.0, 1.0, 0.0]})
    fit = cox(rows, ["x"])
    u = math.sqrt(2)
    jumps = np.array([1 / (2 * u + 2), 1 / (u + 2), 1.0])
    curves = fit.predict_survival(pd.DataFrame({"x": [0.0, 1.0]}))
    base, one = curves[curves["curve"] == 0], curves[curves["curve"] == 1]
    assert_allclose(base["time"], [2, 3, 5])
    assert_allclose(base["n_at_risk"], [4, 3, 1])
    assert_allclose(base["cumhaz"], np.cumsum(jumps), rtol=1e-12)
    assert_allclose(one["cumhaz"], u * np.cumsum(jumps), rtol=1e-12)  # proportional hazards
    assert_allclose(base["estimate"], np.exp(-np.cumsum(jumps)), rtol=1e-12)
    # variance: sum of squared jumps plus d' V d, d = sum (x0 - xbar_k) * jump_k
    xbar = np.array([u / (u + 1), u / (u + 2), 0.0])
    dvec = np.cumsum((0 - xbar) * jumps)
    var = np.cumsum(jumps**2) + dvec**2 * fit.naive_var.iloc[0, 0]
    assert_allclose(base["std_error"], np.sqrt(var), rtol=1e-10)
    z = 1.959963984540054
    assert_allclose(base["conf_low"], np.exp(-np.cumsum(jumps) - z * np.sqrt(var)), rtol=1e-10)
    assert (curves["conf_high"] <= 1).all()
    # default: R's means (0 for a 0/1 covariate): the baseline here
    assert_allclose(fit.predict_survival()["cumhaz"], base["cumhaz"], rtol=1e-12)


def test_predict_survival_errors() -> None:
    fit = cox(four_rows(), ["x"])
    with pytest.raises(ValidationError, match=r"newdata lacks the covariate column\(s\) 'x'"):
        fit.predict_survival(pd.DataFrame({"y": [1.0]}))
    with pytest.raises(ContinuityTypeError, match="newdata must be a DataFrame"):
        fit.predict_survival({"x": [1.0]})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="missing or infinite"):
        fit.predict_survival(pd.DataFrame({"x": [np.nan]}))
    with pytest.raises(OptionError, match="conf_level"):
        fit.predict_survival(conf_level=2)


# ---------------------------------------------------------------- proportional-hazards test


def test_proportional_hazards_test_by_hand() -> None:
    # one covariate, no ties, g(t) = t centred over the events: the score test of x * g(t)
    # at (beta_hat, 0) is U^2 / (I_gg - I_bg^2 / I_bb), written out with explicit risk sets
    rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5, 6, 7, 8],
                         "event": [1, 1, 0, 1, 1, 0, 1], "x": [1.0, 0, 1, 0, 1, 0, 0.5]})
    fit = cox(rows, ["x"], ties="breslow")
    beta = fit.summary["coef"].iloc[0]
    t, x, e = rows["t_stop"].to_numpy(), rows["x"].to_numpy(), rows["event"].to_numpy()
    g_all = t - t[e == 1].mean()
    u = i_bb = i_bg = i_gg = 0.0
    for i in np.flatnonzero(e == 1):
        risk = t >= t[i]
        w = np.exp(beta * x[risk]) / np.exp(beta * x[risk]).sum()
        mean = (w * x[risk]).sum()
        var = (w * (x[risk] - mean) ** 2).sum()
        g = g_all[i]
        u += g * (x[i] - mean)
        i_bb, i_bg, i_gg = i_bb + var, i_bg + g * var, i_gg + g * g * var
    expected = u**2 / (i_gg - i_bg**2 / i_bb)
    table = fit.proportional_hazards_test("identity")
    assert table["term"].tolist() == ["x", "GLOBAL"]
    assert_allclose(table["statistic"], [expected, expected], rtol=1e-9)
    assert_allclose(table["p_value"], [math.erfc(math.sqrt(expected / 2))] * 2, rtol=1e-9)
    with pytest.raises(OptionError, match="transform must be one of 'km'"):
        fit.proportional_hazards_test("sqrt")  # type: ignore[arg-type]


def solo_dormant_rows() -> pd.DataFrame:
    # the rows transition_hazard_ratio(load_solo(), event="dormant") fits: both relationships
    # go dormant outside the post-change windows, so the likelihood rises for ever as the
    # coefficient falls, towards a log-likelihood of 0
    rel = ["XIAN"] * 8 + ["ZHUHAI"] * 8
    start = [0, 96, 97, 145, 441, 462, 510, 806, 0, 106, 107, 155, 191, 472, 520, 556]
    stop = [*start[1:8], 1010, *start[9:], 730]
    post = [0, 0, 1, 1, 1, 1, 1, 0] * 2
    event = [0] * 7 + [1] + [0] * 7 + [1]
    return pd.DataFrame({"relationship_id": rel, "t_start": start, "t_stop": stop,
                         "event": event, "post_change": post})


def test_solo_dormant_case_is_flagged_and_firth_converges() -> None:
    rows = solo_dormant_rows()
    # before: HR 6e-10 with p = 9e-100 and no separation warning (the relative change of a
    # log-likelihood tending to 0 never looked small)
    with pytest.warns(ConvergenceWarning) as caught:
        fit = cox(rows, ["post_change"], cluster="relationship_id")
    assert any("converged before covariate(s) 'post_change'" in str(w.message) for w in caught)
    assert bool(fit.summary["separation"].iloc[0])
    assert np.isnan(fit.summary["p_value"].iloc[0])
    # Firth: finite, converged in a few steps (the information alone overshot for 100 steps)
    firth = cox(rows, ["post_change"], method="firth")
    assert firth.converged
    assert firth.iterations < 20
    assert_allclose(firth.summary["exp_coef"], [1 / 3], rtol=1e-6)
    assert firth.summary["conf_low"].iloc[0] > 0
    assert np.isfinite(firth.summary["conf_high"].iloc[0])


# ----------------------------------------------------------------------------- case weights


def test_whole_weights_equal_repeated_rows() -> None:
    rows = two_covariate_rows()
    w = np.random.default_rng(4).integers(1, 4, len(rows))
    repeated = rows.loc[rows.index.repeat(w)].reset_index(drop=True)
    for method in ("mle", "firth"):
        a = cox(rows.assign(w=w), ["x", "flag"], weights="w", method=method, ties="breslow")
        b = cox(repeated, ["x", "flag"], method=method, ties="breslow")
        assert_allclose(a.summary[["coef", "std_error"]], b.summary[["coef", "std_error"]],
                        rtol=1e-8)
        assert_allclose(a.loglik, b.loglik, rtol=1e-10)
    # (not with Efron: R splits a time's tied events into as many slots as rows, each with the
    # mean weight, where the repeated rows make more slots; the weighted parity tests check R's
    # rule)
    assert a.n_clusters is None  # whole weights are frequencies: model-based variance


def test_fractional_weights_make_rows_clusters() -> None:
    rows = two_covariate_rows().assign(w=0.5)
    fit = cox(rows, ["x"], weights="w")
    assert fit.n_clusters == len(rows)
    assert fit.summary["robust_se"].notna().all()
    # halving every weight halves the information: model SE up by sqrt(2), coef unchanged
    whole = cox(rows.assign(w=1.0), ["x"], weights="w")
    assert_allclose(fit.summary["coef"], whole.summary["coef"], rtol=1e-10)
    assert_allclose(fit.summary["std_error"], whole.summary["std_error"] * math.sqrt(2),
                    rtol=1e-10)


def test_weight_errors() -> None:
    rows = four_rows().assign(w=[1.0, 0.0, 2.0, -1.0])
    with pytest.raises(ValidationError, match=r"weights column 'w' has 2 value\(s\) that are not "
                       r"positive \(rows b, d\)"):
        cox(rows, ["x"], weights="w")
    with pytest.raises(ContinuityTypeError, match="weights must be one column name"):
        cox(rows, ["x"], weights=["w"])  # type: ignore[arg-type]
    fit = cox(four_rows().assign(w=2.0), ["x"], weights="w")
    with pytest.raises(OptionError, match="not offered for a fit with weights="):
        fit.predict_survival()
