"""cox(method="firth") and conf_type="profile" against references computed in R from coxph.

The goldens are written by tests/parity/r/cox_firth_profile.R: Firth's penalised likelihood is
evaluated with ``coxph(init = beta, iter.max = 0)`` and maximised with ``optim``; the ordinary
profile refits the other coefficients with the one fixed through an ``offset``; limits come
from ``uniroot``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from continuity.coxph import cox
from continuity.errors import ConvergenceWarning

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

SPECS = pd.read_csv(DATA / "cox_profile_fits.csv")
R = pd.read_csv(DATA / "cox_profile_r.csv")


def _fit(spec: pd.Series):
    df = pd.read_csv(DATA / f"cox_{spec['data']}.csv")
    with warnings.catch_warnings():
        # the separated data set warns of the infinite coefficient, as R does
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cox(df, spec["covariates"].split(), ties=spec["ties"], method=spec["method"],
                   conf_type="profile", start=spec["start"], stop=spec["stop"],
                   conf_level=float(spec["conf_level"]))


@pytest.mark.parametrize("fit_name", SPECS["fit"].tolist())
def test_matches_r(fit_name: str) -> None:
    spec = SPECS.set_index("fit").loc[fit_name]
    fit = _fit(spec)
    r = R[R["fit"] == fit_name].reset_index(drop=True)
    s = fit.summary
    assert s["term"].tolist() == r["term"].tolist()
    if spec["method"] == "firth":
        assert fit.converged
        # R's optim stops within about 1e-8 of the maximum (6e-9 apart on grid_firth's x1,
        # whose coefficient is 0.005): relative 1e-6, or 1e-7 absolute near 0
        assert_allclose(s["coef"], r["coef"], rtol=RTOL, atol=1e-7)
        assert_allclose(fit.loglik, [r["loglik0"].iloc[0], r["loglik1"].iloc[0]], rtol=1e-9)
        # the per-term p-value is the penalised likelihood-ratio test of the term
        assert_allclose(s["p_value"], stats.chi2.sf(r["lr_term"], 1), rtol=RTOL)
        lr = fit.tests.set_index("test").loc["penalised_likelihood_ratio", "statistic"]
        assert_allclose(lr, 2 * (r["loglik1"].iloc[0] - r["loglik0"].iloc[0]), rtol=1e-8)
    else:
        assert_allclose(fit.loglik[1], r["loglik1"].iloc[0], rtol=1e-9)
    finite = np.isfinite(r["conf_high"])
    assert_allclose(s["conf_low"], r["conf_low"], rtol=RTOL)
    assert_allclose(s["conf_high"][finite], r["conf_high"][finite], rtol=RTOL)
    assert (s["conf_high"][~finite] == np.inf).all()
