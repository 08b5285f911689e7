"""CoxResult.predict_survival against R's survfit.coxph (goldens: tests/parity/r/cox_survfit.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

SPECS = pd.read_csv(DATA / "cox_fits.csv", keep_default_na=False).set_index("fit")
R = pd.read_csv(DATA / "cox_survfit_r.csv")


@pytest.mark.parametrize("name", R["fit"].unique().tolist())
def test_matches_survfit_coxph(name: str) -> None:
    spec = SPECS.loc[name]
    df = pd.read_csv(DATA / f"cox_{spec['data']}.csv")
    covs = spec["covariates"].split()
    fit = cox(df, covs, cluster=spec["cluster"] or None, strata=spec["strata"] or None,
              ties=spec["ties"], start=spec["start"], stop=spec["stop"])
    new = pd.read_csv(DATA / f"cox_survfit_new_{spec['data']}.csv")[covs]
    r = R[R["fit"] == name]
    for curve in sorted(r["curve"].unique(), reverse=True):
        theirs = r[r["curve"] == curve]
        ours = fit.predict_survival(None if curve < 0 else new.iloc[[curve - 1]])
        assert_array_equal(ours["stratum"], theirs["stratum"])
        cols = ["time", "n_at_risk", "n_events", "estimate", "cumhaz", "std_error", "conf_low",
                "conf_high"]
        assert_allclose(ours[cols].to_numpy(float), theirs[cols].to_numpy(float), rtol=RTOL,
                        err_msg=f"{name} curve {curve}")
