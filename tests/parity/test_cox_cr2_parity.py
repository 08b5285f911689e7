"""cox(vcov_type="cr2") against clubSandwich on the Poisson form of the Breslow Cox model.

The goldens are written by tests/parity/r/cox_cr2.R, which also checks in R that clubSandwich's
CR0 on that Poisson glm equals coxph's robust variance (the two forms are one model).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

SPECS = pd.read_csv(DATA / "cox_cr2_fits.csv", keep_default_na=False)
R = pd.read_csv(DATA / "cox_cr2_r.csv")


@pytest.mark.parametrize("fit_name", SPECS["fit"].tolist())
def test_matches_clubsandwich(fit_name: str) -> None:
    spec = SPECS.set_index("fit").loc[fit_name]
    df = pd.read_csv(DATA / f"cox_cr2_{spec['data']}.csv")
    fit = cox(df, spec["covariates"].split(), cluster=spec["cluster"],
              strata=spec["strata"] or None, ties="breslow", vcov_type="cr2",
              start=spec["start"], stop=spec["stop"])
    r = R[R["fit"] == fit_name].reset_index(drop=True)
    s = fit.summary
    assert fit.vcov_type == "cr2"
    assert_allclose(s["coef"], r["coef"], rtol=RTOL)
    assert_allclose(s["robust_se"], r["se_cr2"], rtol=RTOL)
    assert_allclose(s["df"], r["df"], rtol=RTOL)
    assert_allclose(s["p_value"], r["p_value"], rtol=RTOL)
    # the limits use the same t quantile
    crit = stats.t.ppf(0.975, r["df"])
    assert_allclose(np.log(s["conf_high"]), r["coef"] + crit * r["se_cr2"], rtol=RTOL)
    # CR2 is larger than CR0 here, as a correction for few clusters should be
    cr0 = cox(df, spec["covariates"].split(), cluster=spec["cluster"],
              strata=spec["strata"] or None, ties="breslow", start=spec["start"],
              stop=spec["stop"])
    assert_allclose(cr0.summary["robust_se"], r["robust_se_cr0"], rtol=RTOL)
    assert (s["robust_se"] > cr0.summary["robust_se"]).all()
    assert np.isinf(cr0.summary["df"]).all()
    assert cr0.vcov_type == "cr0"
