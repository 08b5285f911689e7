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


def test_constant_covariate_is_refused() -> None:
    # R reports NA for such a coefficient; continuity refuses the fit and names the covariate
    with pytest.raises(ValidationError, match=r"covariate\(s\) 'one' are constant"):
        cox(four_rows().assign(one=1.0), ["x", "one"])


def test_collinear_covariate_is_refused() -> None:
    rows = two_covariate_rows()
    rows["x2"] = 2 * rows["x"] + 1
    with pytest.raises(ValidationError, match=r"covariate\(s\) 'x2' are collinear"):
        cox(rows, ["x", "x2"])
    # constant within each stratum: not identifiable either
    with pytest.raises(ValidationError, match=r"covariate\(s\) 'region' are collinear"):
        cox(rows, ["x", "region"], strata="region")


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
