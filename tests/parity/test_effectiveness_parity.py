"""The intervals of the effectiveness metrics agree with base R to 1e-6.

Goldens: ``tests/parity/r/effectiveness.R`` (``poisson.test``, ``binom.test``, ``prop.test``),
written to ``tests/parity/data/effectiveness_*.csv``.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from continuity.metrics import activity_change, activity_rates, reciprocity, target_attainment
from continuity.rates import binom_two_sided, clopper_pearson, poisson_rates, rate_ratios
from continuity.testing import scenario

DATA = Path(__file__).parent / "data"
TOL = 1e-6


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"effectiveness_{name}.csv")


def close(ours, theirs) -> None:
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    both_inf = np.isinf(ours) & np.isinf(theirs)
    np.testing.assert_allclose(np.where(both_inf, 0, ours), np.where(both_inf, 0, theirs),
                               rtol=TOL, atol=TOL)


def test_poisson_one_sample():
    g = golden("poisson_one")
    for level, part in g.groupby("conf_level"):
        ours = poisson_rates(part["events"], part["time"], conf_level=level)
        for col in ("estimate", "conf_low", "conf_high"):
            close(ours[col], part[col])


def test_rate_ratios():
    g = golden("rate_ratio")
    assert len(g) >= 40
    for level, part in g.groupby("conf_level"):
        ours = rate_ratios(part["events_a"], part["time_a"], part["events_b"], part["time_b"],
                           conf_level=level)
        for col in ("estimate", "conf_low", "conf_high", "p_value"):
            close(ours[col], part[col])


def test_binom_test():
    g = golden("binom_test")
    for level, part in g.groupby("conf_level"):
        low, high = clopper_pearson(part["x"], part["n"], level)
        close(low, part["conf_low"])
        close(high, part["conf_high"])
    close(binom_two_sided(g["x"], g["n"], g["p"]), g["p_value"])


def base():
    return (scenario(as_of="2017-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
            .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01"))


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return golden("cases").set_index("metric")


def test_metrics_on_the_hand_studies(cases):
    s = base().activities("LOI", ["2015-03-01", "2015-06-01", "2015-09-01", "2016-05-01"],
                          side=["Solo", "Solo", "Xi'an", None]).build()
    checks = {
        "activity_rates": activity_rates(s).iloc[0],
        "activity_change": activity_change(s).iloc[0],
        "reciprocity": reciprocity(s, focal="Solo").iloc[0],
    }
    t = base().targets("LOI", [("a", "2015-01-01", "2016-01-01", 10, 8),
                               ("b", "2015-01-01", "2016-01-01", 4, 5),
                               ("c", "2016-01-01", "2017-01-01", 10, 10)]).build()
    checks["target_attainment"] = target_attainment(t).iloc[0]
    for metric, row in checks.items():
        r = cases.loc[metric]
        cols = ["estimate", "conf_low", "conf_high"] + (["p_value"] if pd.notna(r["p_value"])
                                                        else [])
        close([row[c] for c in cols], [r[c] for c in cols])
