"""CoxResult.proportional_hazards_test against R's cox.zph (goldens: tests/parity/r/cox_zph.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

SPECS = pd.read_csv(DATA / "cox_fits.csv", keep_default_na=False).set_index("fit")
R = pd.read_csv(DATA / "cox_zph_r.csv")


@pytest.mark.parametrize("name", R["fit"].unique().tolist())
def test_matches_cox_zph(name: str) -> None:
    spec = SPECS.loc[name]
    df = pd.read_csv(DATA / f"cox_{spec['data']}.csv")
    fit = cox(df, spec["covariates"].split(), strata=spec["strata"] or None, ties=spec["ties"],
              start=spec["start"], stop=spec["stop"])
    for transform, theirs in R[R["fit"] == name].groupby("transform"):
        ours = fit.proportional_hazards_test(transform)
        assert ours["term"].tolist() == theirs["term"].str.replace("TRUE$", "", regex=True
                                                                  ).tolist()
        assert_allclose(ours[["statistic", "df", "p_value"]].to_numpy(float),
                        theirs[["statistic", "df", "p_value"]].to_numpy(float), rtol=RTOL,
                        err_msg=f"{name} {transform}")
