"""Cluster-robust Kaplan-Meier intervals of the landmark survival against R's survfit.

The CSVs are written by tests/parity/r/km_clustered.R (survival 3.5-3): ``survfit(Surv(t_stop,
event) ~ 1, cluster = relationship_id, conf.type = "log-log")``; R is not needed here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from continuity.metrics._summaries import km_at, km_robust_se

DATA = Path(__file__).parent / "data"
HORIZONS = [100, 365, 730, 1000, 1825, 2500]


@pytest.mark.parametrize("dataset", ["pooled", "landmark"])
def test_clustered_km_matches_r(dataset):
    spells = pd.read_csv(DATA / "km_clustered_input.csv")
    spells = spells[spells["dataset"] == dataset].reset_index(drop=True)
    r = pd.read_csv(DATA / "km_clustered_r.csv")
    r = r[r["dataset"] == dataset]
    got = km_at(spells, HORIZONS, "level", 0.95, cluster="relationship_id")
    levels = sorted(spells["level"].unique())
    code = pd.Index(levels).get_indexer(spells["level"])
    se = km_robust_se(spells, np.asarray(HORIZONS, float), code, len(levels),
                      spells["relationship_id"].to_numpy())
    got = got.assign(std_error=se)
    both = r.merge(got, on=["level", "horizon"], suffixes=("_r", ""))
    assert len(both) == len(r)
    for col in ("estimate", "std_error"):
        assert_allclose(both[col], both[f"{col}_r"], rtol=1e-8, err_msg=col)
    # before the first end R gives the interval (1, 1); km_at gives none (NaN), as documented
    first = both["estimate_r"] == 1
    assert both.loc[first, ["conf_low", "conf_high"]].isna().all().all()
    for col in ("conf_low", "conf_high"):
        assert_allclose(both.loc[~first, col], both.loc[~first, f"{col}_r"], rtol=1e-8,
                        err_msg=col)


def test_clustering_widens_the_interval_of_pooled_spells():
    # the pooled spells of one relationship share its end: treated as independent
    # (Greenwood), the interval is narrower than the clustered one at every horizon
    spells = pd.read_csv(DATA / "km_clustered_input.csv")
    spells = spells[spells["dataset"] == "pooled"].reset_index(drop=True)
    robust = km_at(spells, [365, 730, 1000], "level", 0.95, cluster="relationship_id")
    naive = km_at(spells, [365, 730, 1000], "level", 0.95)
    width = robust["conf_high"] - robust["conf_low"]
    assert (width > naive["conf_high"] - naive["conf_low"]).all()
