"""plot_power_curve: one curve per group, the target line, the Schoenfeld line, bad tables."""

from __future__ import annotations

import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError

matplotlib = pytest.importorskip("matplotlib")  # the plot extra; installed with the test extra
matplotlib.use("Agg")

from continuity.plotting import plot_power_curve  # noqa: E402


def _curve() -> pd.DataFrame:
    return pd.DataFrame({
        "n_relationships": [100, 200, 100, 200], "effect": [1.5, 1.5, 2.0, 2.0],
        "power": [0.3, 0.5, 0.6, 0.9], "power_low": [0.2, 0.4, 0.5, 0.8],
        "power_high": [0.4, 0.6, 0.7, 0.95], "schoenfeld_power": [0.32, 0.52, 0.62, 0.88]})


def test_one_curve_per_group_with_schoenfeld_and_target():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert plot_power_curve(_curve(), by="effect", ax=ax) is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Schoenfeld", "effect = 1.5", "effect = 2.0"]
    # the dashed target line at 0.8
    assert any(list(line.get_ydata()) == [0.8, 0.8] for line in ax.lines)
    plt.close("all")


def test_a_real_power_curve_plots():
    curve = ct.power_curve(ct.Design(n_relationships=60, n_jurisdictions=8), 2.0,
                           values=[60, 120], n_sim=2, seed=1)
    ax = plot_power_curve(curve, target=None)
    assert ax.get_xlabel() == "n relationships"
    assert ax.get_ylabel() == "power"


def test_a_table_without_power_columns_names_them():
    with pytest.raises(OptionError, match=r"no column \['power', 'power_low', 'power_high'\]"):
        plot_power_curve(pd.DataFrame({"n_relationships": [1]}))
