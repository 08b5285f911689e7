"""continuity.plotting: each figure on real and simulated studies, compared with a baseline image.

Baselines live in ``tests/unit/baseline/``; after a deliberate change of a figure, look at the
new PNG and rewrite the baselines with ``CONTINUITY_REGEN_BASELINES=1 python -m pytest
tests/unit/test_plotting.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.testing.compare import compare_images

import continuity as ct
from continuity import plotting
from continuity.errors import OptionError

BASELINE = Path(__file__).parent / "baseline"
REGEN = os.environ.get("CONTINUITY_REGEN_BASELINES") == "1"


@pytest.fixture(scope="module")
def solo():
    return ct.datasets.load_solo()


@pytest.fixture(scope="module")
def sim_km():
    sim = ct.simulate.simulate_study(300, 12, seed=3)
    return ct.kaplan_meier(sim.episodes(window=365), by="post_change")


def check_image(draw, name: str, tmp_path: Path, tol: float = 3.0) -> None:
    """Draw on a 9 x 5 inch figure and compare the PNG with its baseline."""
    fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
    draw(ax)
    actual = tmp_path / f"{name}.png"
    with plt.rc_context({"font.family": "DejaVu Sans"}):
        fig.savefig(actual, dpi=72)
    plt.close(fig)
    expected = BASELINE / f"{name}.png"
    if REGEN:
        expected.write_bytes(actual.read_bytes())
    assert expected.exists(), f"no baseline {expected}; see the module docstring"
    diff = compare_images(str(expected), str(actual), tol=tol)
    assert diff is None, diff


def test_timeline_image(solo, tmp_path):
    check_image(lambda ax: plotting.plot_timeline(solo, ax=ax), "timeline_solo", tmp_path)


def test_dormancy_image(solo, tmp_path):
    check_image(lambda ax: plotting.plot_dormancy(solo, ax=ax), "dormancy_solo", tmp_path)


def test_curves_image(sim_km, tmp_path):
    check_image(lambda ax: plotting.plot_curves(sim_km, by="post_change", ax=ax), "curves_sim",
                tmp_path)


def test_estimates_image(tmp_path):
    path = pd.DataFrame({"relative_period": [-3, -2, -1, 0, 1, 2, 3],
                         "estimate": [1.05, 0.95, 1.0, 0.55, 0.6, 0.8, 0.9],
                         "conf_low": [0.7, 0.6, 1.0, 0.35, 0.4, 0.55, 0.6],
                         "conf_high": [1.5, 1.4, 1.0, 0.85, 0.9, 1.15, 1.3]})
    check_image(lambda ax: plotting.plot_estimates(path, x="relative_period", ax=ax),
                "estimates", tmp_path)


def test_timeline_lanes(solo):
    ax = plotting.plot_timeline(solo)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # parties with a leadership record, then one lane for those without (Montana, Andong)
    assert labels[:4] == ["Surakarta", "Xi'an", "Zhuhai", "no leadership record"]
    assert len(labels) == 4 + len(solo.agreements)
    lane = [t.get_text() for t in ax.texts if "exposure unknown" in t.get_text()]
    assert lane == ["  Andong, Montana (exposure unknown)"]
    plt.close(ax.figure)


def test_timeline_draws_at_most_max_instruments():
    sim = ct.simulate.simulate_study(60, 6, seed=4)
    ax = plotting.plot_timeline(sim, max_instruments=10)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sum(label.endswith("(mou)") or label.startswith("A0") for label in labels) == 10
    assert any("50 more left out" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)
    chosen = sorted(sim.agreements["agreement_id"])[:2]
    ax = plotting.plot_timeline(sim, instruments=chosen)
    assert [t.get_text() for t in ax.get_yticklabels()][-2:] == [f"{a} (mou)" for a in chosen]
    plt.close(ax.figure)
    with pytest.raises(OptionError, match="are not in the study"):
        plotting.plot_timeline(sim, instruments=["NOPE"])


def test_functions_draw_on_the_given_axes(solo, sim_km):
    fig, axes = plt.subplots(2, 2)
    assert plotting.plot_timeline(solo, ax=axes[0, 0]) is axes[0, 0]
    assert plotting.plot_dormancy(solo, ax=axes[0, 1]) is axes[0, 1]
    assert plotting.plot_curves(sim_km, by="post_change", ax=axes[1, 0]) is axes[1, 0]
    table = pd.DataFrame({"x": ["a", "b"], "estimate": [1.0, 2.0], "conf_low": [0.5, 1.0],
                          "conf_high": [2.0, 4.0]})
    assert plotting.plot_estimates(table, x="x", ax=axes[1, 1]) is axes[1, 1]
    plt.close(fig)


def test_incidence_curves_start_at_zero(sim_km):
    inc = sim_km.assign(estimate=1 - sim_km["estimate"])
    ax = plotting.plot_curves(inc.drop(columns=["conf_low", "conf_high"]), by="post_change",
                              kind="incidence", at_risk=False)
    first = ax.lines[0].get_ydata()[0]
    assert first == 0.0
    plt.close(ax.figure)


@pytest.mark.parametrize(("call", "match"), [
    (lambda km: plotting.plot_curves(km, kind="hazard"), "kind must be one of"),
    (lambda km: plotting.plot_curves(km, by="nope"), "by names columns the table does not have"),
    (lambda km: plotting.plot_estimates(km, x="nope"), "the table has no column"),
])
def test_bad_arguments(sim_km, call, match):
    with pytest.raises(OptionError, match=match):
        call(sim_km)


def test_import_continuity_does_not_import_matplotlib():
    code = "import sys, continuity; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.stdout.strip() == "False"
