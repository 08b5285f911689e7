"""cox(..., weights=) against R's coxph(weights = ) (goldens: tests/parity/r/cox_weights.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

R = pd.read_csv(DATA / "cox_weights_r.csv")
RESID = pd.read_csv(DATA / "cox_weights_resid.csv")
FITS = {
    "heart_efron": ("heart", ["age", "year", "surgery"], {"start": "start", "stop": "stop"}),
    "heart_breslow_cluster": ("heart", ["age", "year", "surgery"],
                              {"start": "start", "stop": "stop", "ties": "breslow",
                               "cluster": "id"}),
    "late_efron_cluster": ("late", ["flag", "z", "post"], {"cluster": "id"}),
    "late_strata": ("late", ["z", "post"], {"strata": "region"}),
}


@pytest.mark.parametrize("name", list(FITS))
def test_weighted_fit_matches_r(name: str) -> None:
    data, covs, options = FITS[name]
    df = pd.read_csv(DATA / f"cox_weights_{data}.csv")
    fit = cox(df, covs, weights="w", **options)
    r = R[R["fit"] == name]
    s = fit.summary
    assert_allclose(s["coef"], r["coef"], rtol=RTOL)
    assert_allclose(s["std_error"], r["se"], rtol=RTOL)
    # R's rule: weights that are not whole numbers make the variance robust, each row its own
    # cluster when there is no cluster column
    assert_allclose(s["robust_se"], r["robust_se"], rtol=RTOL)
    assert_allclose(fit.loglik, [r["loglik0"].iloc[0], r["loglik1"].iloc[0]], rtol=RTOL)
    tests = fit.tests.set_index("test")["statistic"]
    assert_allclose([tests["wald"], tests["score"]], [r["wald"].iloc[0], r["score"].iloc[0]],
                    rtol=RTOL)
    theirs = RESID[RESID["fit"] == name]
    assert_allclose(fit.residuals("martingale", collapse=False)["martingale"],
                    theirs["martingale"], rtol=RTOL, atol=1e-10)
    score = fit.residuals("score", collapse=False).to_numpy()
    assert_allclose(score, theirs[[f"score_{k}" for k in range(1, len(covs) + 1)]],
                    rtol=RTOL, atol=1e-10)
