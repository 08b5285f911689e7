"""event_study and discrete_hazard against R's glm/lm with factor fixed effects and
sandwich::vcovCL (golden CSVs written by tests/parity/r/glm.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import continuity as ct

DATA = Path(__file__).parent / "data"
TOL = 1e-6


def _event_panel():
    return pd.read_csv(DATA / "glm_event_panel.csv", dtype={"rel": "Int64"})


FITS = {
    "poisson_3_3": {"outcome": "y", "bins": (-3, 3), "reference": -1, "model": "poisson"},
    "poisson_2_4_ref2": {"outcome": "y", "bins": (-2, 4), "reference": -2, "model": "poisson"},
    "ols_3_3": {"outcome": "yc", "bins": (-3, 3), "reference": -1, "model": "ols"},
    "stacked_3_3": {"outcome": "y", "bins": (-3, 3), "reference": -1, "model": "poisson",
                    "estimator": "stacked"},
}


@pytest.mark.parametrize("name", sorted(FITS))
def test_event_study_matches_r(name):
    r = pd.read_csv(DATA / "glm_event_coefs.csv")
    r = r[r["fit"] == name].set_index("term")
    tests = pd.read_csv(DATA / "glm_event_tests.csv").set_index("fit").loc[name]
    kw = FITS[name]
    fit = ct.event_study(_event_panel(), kw["outcome"], relative="rel", bins=kw["bins"],
                         reference=kw["reference"], changes="changes", model=kw["model"],
                         exposure="exposure", unit="unit", period="period", cluster="cluster",
                         estimator=kw.get("estimator", "twfe"))
    got = fit.table[~fit.table["reference"]].set_index("term")
    np.testing.assert_allclose(got.loc[r.index, "coef"], r["coef"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(got.loc[r.index, "std_error"], r["std_error"], rtol=TOL,
                               atol=TOL)
    assert fit.n_obs == r["n_obs"].iloc[0]
    np.testing.assert_allclose(fit.pretrend["statistic"].item(), tests["statistic"], rtol=TOL)
    assert fit.pretrend["df"].item() == tests["df"]
    np.testing.assert_allclose(fit.pretrend["p_value"].item(), tests["p_value"], rtol=TOL,
                               atol=TOL)
    if kw["model"] == "poisson":
        np.testing.assert_allclose(got["estimate"], np.exp(got["coef"]))
        assert fit.dropped["n_rows"].sum() > 0  # the two units with no activity at all


@pytest.mark.parametrize("link", ["cloglog", "logit"])
@pytest.mark.parametrize("baseline", ["duration", "none"])
def test_discrete_hazard_matches_r(link, baseline):
    panel = pd.read_csv(DATA / "glm_hazard_panel.csv")
    r = pd.read_csv(DATA / "glm_hazard_coefs.csv")
    r = r[r["link"] == (link if baseline == "duration" else f"{link}_none")].set_index("term")
    got = ct.discrete_hazard(panel, ["x1", "x2"], link=link, cluster="cluster",
                             duration="duration", baseline=baseline).set_index("term")
    np.testing.assert_allclose(got.loc[r.index, "coef"], r["coef"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(got.loc[r.index, "std_error"], r["std_error"], rtol=TOL,
                               atol=TOL)
    assert (got["n"] == r["n_obs"].iloc[0]).all()
