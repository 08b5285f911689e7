"""CoxResult.residuals against R's residuals.coxph (goldens by tests/parity/r/cox_residuals.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL, ATOL = 1e-6, 1e-9

SPECS = pd.read_csv(DATA / "cox_fits.csv", keep_default_na=False).set_index("fit")
ROWS = pd.read_csv(DATA / "cox_resid_rows.csv")
EVENTS = pd.read_csv(DATA / "cox_resid_events.csv")


def _fit(name: str):
    spec = SPECS.loc[name]
    df = pd.read_csv(DATA / f"cox_{spec['data']}.csv")
    return cox(df, spec["covariates"].split(), cluster=spec["cluster"] or None,
               strata=spec["strata"] or None, ties=spec["ties"], start=spec["start"],
               stop=spec["stop"]), spec


@pytest.mark.parametrize("name", ROWS["fit"].unique().tolist())
def test_row_and_cluster_residuals(name: str) -> None:
    fit, spec = _fit(name)
    p = len(spec["covariates"].split())
    for level, collapse in (("row", False), ("cluster", True)):
        r = ROWS[(ROWS["fit"] == name) & (ROWS["level"] == level)]
        if r.empty:
            continue
        for kind in ("martingale", "deviance"):
            ours = fit.residuals(kind, collapse=collapse)[kind]
            assert_allclose(ours, r[kind], rtol=RTOL, atol=ATOL, err_msg=f"{kind} {level}")
        for kind in ("score", "dfbeta"):
            ours = fit.residuals(kind, collapse=collapse).to_numpy()
            theirs = r[[f"{kind}_{k}" for k in range(1, p + 1)]].to_numpy()
            assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, err_msg=f"{kind} {level}")
        if collapse:
            labels = fit.residuals("martingale", collapse=True).index.astype(float)
            assert_allclose(labels, r["key"].astype(float))


@pytest.mark.parametrize("name", EVENTS["fit"].unique().tolist())
def test_schoenfeld_residuals(name: str) -> None:
    fit, spec = _fit(name)
    p = len(spec["covariates"].split())
    r = EVENTS[EVENTS["fit"] == name]
    for kind in ("schoenfeld", "scaledsch"):
        ours = fit.residuals(kind)
        theirs = r[["time"] + [f"{kind}_{k}" for k in range(1, p + 1)]].to_numpy()
        mine = ours[["time", *fit.coef.index]].to_numpy()
        # tied events may come in another order: compare sorted by time, then the values
        order = np.lexsort(np.round(mine[:, ::-1], 8).T)
        theirs_order = np.lexsort(np.round(theirs[:, ::-1], 8).T)
        assert_allclose(mine[order], theirs[theirs_order], rtol=RTOL, atol=1e-8,
                        err_msg=kind)
