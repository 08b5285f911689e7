"""continuity.cox against R's survival::coxph (golden CSVs written by tests/parity/r/cox.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.coxph import cox

DATA = Path(__file__).parent / "data"
RTOL = 1e-6

SPECS = pd.read_csv(DATA / "cox_fits.csv", keep_default_na=False)
R_COEF = pd.read_csv(DATA / "cox_r_coef.csv")
R_TESTS = pd.read_csv(DATA / "cox_r_tests.csv").set_index("fit")


def _data(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"cox_{name}.csv")


def _fit(spec: pd.Series, df: pd.DataFrame | None = None):
    if df is None:
        df = _data(spec["data"])
    return cox(
        df,
        spec["covariates"].split(),
        cluster=spec["cluster"] or None,
        strata=spec["strata"] or None,
        ties=spec["ties"],
        start=spec["start"],
        stop=spec["stop"],
    )


@pytest.mark.parametrize("fit_name", SPECS["fit"].tolist())
def test_matches_r(fit_name: str) -> None:
    spec = SPECS.set_index("fit").loc[fit_name]
    fit = _fit(spec)
    r = R_COEF[R_COEF["fit"] == fit_name].reset_index(drop=True)
    t = R_TESTS.loc[fit_name]
    s = fit.summary
    # R names a logical covariate's term "flagTRUE"
    assert s["term"].tolist() == r["term"].str.replace(r"TRUE$", "", regex=True).tolist()
    assert_allclose(s["coef"], r["coef"], rtol=RTOL)
    assert_allclose(s["exp_coef"], np.exp(r["coef"]), rtol=RTOL)
    assert_allclose(s["std_error"], r["se"], rtol=RTOL)
    if spec["cluster"]:
        assert_allclose(s["robust_se"], r["robust_se"], rtol=RTOL)
        assert fit.n_clusters == _data(spec["data"])[spec["cluster"]].nunique()
    else:
        assert s["robust_se"].isna().all()
        assert fit.n_clusters is None
    assert_allclose(s["conf_low"], r["conf_low"], rtol=RTOL)
    assert_allclose(s["conf_high"], r["conf_high"], rtol=RTOL)
    assert_allclose(fit.loglik, [t["loglik0"], t["loglik1"]], rtol=RTOL)
    tests = fit.tests.set_index("test")
    assert_allclose(tests.loc["likelihood_ratio", "statistic"], t["lr"], rtol=RTOL)
    assert_allclose(tests.loc["wald", "statistic"], t["wald"], rtol=RTOL)
    assert_allclose(tests.loc["score", "statistic"], t["score"], rtol=RTOL)
    if spec["cluster"]:
        assert_allclose(tests.loc["robust_score", "statistic"], t["robust_score"], rtol=RTOL)
    else:
        assert "robust_score" not in tests.index
    assert (tests["df"] == len(s)).all()
    assert fit.iterations == t["iter"]
    assert fit.converged
    assert fit.n == t["n"]
    assert fit.n_events == t["nevent"]


def _split(df: pd.DataFrame, start: str, stop: str, rng: np.random.Generator) -> pd.DataFrame:
    """Split every row at 0 to 3 random times strictly inside it (some at other rows' times)."""
    n_cuts = rng.integers(0, 4, size=len(df))
    rep = np.repeat(np.arange(len(df)), n_cuts)
    a, b = df[start].to_numpy(float)[rep], df[stop].to_numpy(float)[rep]
    # half the cuts fall on a time that already occurs in the data, half anywhere
    cut = a + (b - a) * rng.uniform(0.05, 0.95, size=rep.size)
    existing = np.unique(np.concatenate([df[start], df[stop]]).astype(float))
    snapped = existing[np.clip(np.searchsorted(existing, cut), 0, existing.size - 1)]
    use = (rng.uniform(size=rep.size) < 0.5) & (snapped > a) & (snapped < b)
    cut = np.where(use, snapped, cut)
    points = pd.DataFrame({"row": rep, "cut": cut}).drop_duplicates()
    bounds = pd.concat(
        [
            pd.DataFrame({"row": np.arange(len(df)), "cut": df[start].to_numpy(float)}),
            points,
            pd.DataFrame({"row": np.arange(len(df)), "cut": df[stop].to_numpy(float)}),
        ]
    ).sort_values(["row", "cut"], kind="stable")
    row = bounds["row"].to_numpy()
    cut = bounds["cut"].to_numpy()
    same = row[1:] == row[:-1]
    lo, hi, owner = cut[:-1][same], cut[1:][same], row[:-1][same]
    last = np.append(owner[1:] != owner[:-1], True)
    out = df.iloc[owner].reset_index(drop=True)
    out[start] = lo
    out[stop] = hi
    out["event"] = np.where(last, out["event"].to_numpy(), 0)
    return out.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)


@pytest.mark.parametrize(
    "fit_name", ["heart_efron_cluster", "heart_strata_cluster", "grid_breslow_cluster",
                 "late_efron_cluster"]
)
@pytest.mark.parametrize("seed", [1, 2])
def test_split_invariance(fit_name: str, seed: int) -> None:
    spec = SPECS.set_index("fit").loc[fit_name]
    df = _data(spec["data"])
    split = _split(df, spec["start"], spec["stop"], np.random.default_rng(seed))
    assert len(split) > len(df) * 1.5
    assert split["event"].sum() == df["event"].sum()
    whole, parts = _fit(spec, df), _fit(spec, split)
    cols = ["coef", "std_error", "robust_se", "conf_low", "conf_high"]
    assert_allclose(parts.summary[cols], whole.summary[cols], rtol=1e-9)
    assert_allclose(parts.loglik, whole.loglik, rtol=1e-12)
    assert_allclose(parts.tests["statistic"], whole.tests["statistic"], rtol=1e-9)
    assert parts.n_clusters == whole.n_clusters
