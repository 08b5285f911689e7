"""Coverage of cox's small-sample intervals at 5 to 50 relationships, against the old ones.

Two experiments, each with R replications per size and a true log hazard ratio of log 2.

A. Few events, independent relationships (Firth and profile against Wald). Each relationship is
   followed from 0 to 1 (administrative censoring); a leader change happens at a uniform time in
   (0, 1) and multiplies the hazard by 2 afterwards (``post_change``, a time-varying covariate
   on two episode rows); the baseline hazard is 0.7, so about 45% of relationships end. Fitted:
   ``cox(..., method="mle")`` with Wald limits (the old default), the same with
   ``conf_type="profile"``, and ``method="firth"`` (profile limits). A Wald interval whose term
   is flagged ``separation`` is NA: it counts as not covering, and its share is reported.

B. Few clusters (CR2 against CR0). Each relationship holds three instruments that share a
   gamma frailty (variance 1); each instrument's hazard is doubled after its own leader change,
   with the change time uniform; clusters are relationships. Fitted: ``cox(..., cluster=...,
   vcov_type="cr0")`` (the old default, normal limits) and ``vcov_type="cr2"`` (CR2 variance,
   t limits on Satterthwaite degrees of freedom), with ``ties="breslow"`` (times are continuous:
   no ties, so it is also Efron's fit).

Reported per size: coverage of the 95% intervals with its Monte Carlo standard error
sqrt(p (1 - p) / R), the median width on the log scale, and (A) the share of separated fits and
the bias of each estimator (median, since the MLE is infinite under separation).

This is a script, not a test. Run from the repository root:

    python validation/coverage_small_samples.py                 # writes validation/SMALL_SAMPLES.md
    python validation/coverage_small_samples.py --reps 50 --out -   # quick look, to stdout
    python validation/coverage_small_samples.py --plot-only   # redraw the figure from the tables

The reading written below the marker line of SMALL_SAMPLES.md is kept when it is regenerated.

Each replication has its own seed ``numpy.random.default_rng([seed, experiment, size, rep])``.
"""

from __future__ import annotations

import os

# one BLAS thread: the many small eigen-decompositions of CR2 are far slower when several
# threads contend for two shared cores (measured: 15 s against 0.2 s for one fit)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import continuity as ct  # noqa: E402
from continuity.errors import ConvergenceWarning  # noqa: E402

TRUTH = float(np.log(2.0))
SIZES = (5, 10, 20, 50)


def _rows(rng: np.random.Generator, n_units: int, baseline: float, frailty: np.ndarray,
          cluster: np.ndarray) -> pd.DataFrame:
    """Two episode rows per unit: before and after its leader change, follow-up to 1."""
    change = rng.uniform(0.0, 1.0, n_units)
    rate0 = baseline * frailty
    # time to the event with hazard rate0 before the change and 2 * rate0 after it
    e = rng.exponential(1.0, n_units)
    before = e / rate0
    t_event = np.where(before <= change, before, change + (e - rate0 * change) / (2 * rate0))
    stop = np.minimum(t_event, 1.0)
    event = t_event <= 1.0
    unit = np.arange(n_units)
    first = pd.DataFrame({"unit": unit, "cluster": cluster, "t_start": 0.0,
                          "t_stop": np.minimum(stop, change), "post_change": 0.0,
                          "event": (event & (stop <= change)).astype(int)})
    second = pd.DataFrame({"unit": unit, "cluster": cluster, "t_start": change, "t_stop": stop,
                           "post_change": 1.0, "event": (event & (stop > change)).astype(int)})
    return pd.concat([first, second[second["t_stop"] > second["t_start"]]], ignore_index=True)


def _limits(fit) -> tuple[float, float, bool]:
    row = fit.summary.iloc[0]
    return float(np.log(row["conf_low"])), float(np.log(row["conf_high"])), bool(
        row["separation"])


def experiment_a(n: int, seed: list[int]) -> dict | None:
    rng = np.random.default_rng(seed)
    rows = _rows(rng, n, 0.7, np.ones(n), np.arange(n))
    if rows["event"].sum() == 0:
        return None  # nothing to fit; counted separately
    out: dict = {"n_events": int(rows["event"].sum())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, kwargs in (("wald", {}), ("profile", {"conf_type": "profile"}),
                             ("firth", {"method": "firth"})):
            try:
                fit = ct.cox(rows, ["post_change"], **kwargs)
            except ct.ValidationError:  # e.g. the covariate is constant within every risk set
                return None
            lo, hi, sep = _limits(fit)
            out[f"{name}_coef"] = float(fit.summary["coef"].iloc[0])
            out[f"{name}_low"], out[f"{name}_high"], out["separation"] = lo, hi, sep
    return out


def experiment_b(n: int, seed: list[int]) -> dict | None:
    rng = np.random.default_rng(seed)
    per = 3
    frailty = np.repeat(rng.gamma(1.0, 1.0, n), per)
    rows = _rows(rng, n * per, 0.7, frailty, np.repeat(np.arange(n), per))
    out: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in ("cr0", "cr2"):
            try:
                fit = ct.cox(rows, ["post_change"], cluster="cluster", ties="breslow",
                             vcov_type=name)
            except ct.ValidationError:
                return None
            lo, hi, sep = _limits(fit)
            if sep:
                return None  # B is about the variance; separated fits are A's subject
            out[f"{name}_low"], out[f"{name}_high"] = lo, hi
            out[f"{name}_df"] = float(fit.summary["df"].iloc[0])
    return out


def _cover(fits: pd.DataFrame, name: str) -> tuple[float, float, float]:
    lo, hi = fits[f"{name}_low"], fits[f"{name}_high"]
    covered = (lo <= TRUTH) & (hi >= TRUTH)  # NA limits do not cover
    p = float(covered.mean())
    width = (hi - lo).replace([np.inf, -np.inf], np.nan)
    return p, float(np.sqrt(p * (1 - p) / len(fits))), float(np.nanmedian(width))


def run(reps: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    table_a, table_b = [], []
    for size_index, n in enumerate(SIZES):
        fits = [experiment_a(n, [seed, 1, size_index, r]) for r in range(reps)]
        a = pd.DataFrame([f for f in fits if f is not None])
        row: dict = {"relationships": n, "fits": len(a), "no_events_or_constant":
                     reps - len(a), "median_events": float(a["n_events"].median()),
                     "separated_share": float(a["separation"].mean())}
        for name in ("wald", "profile", "firth"):
            p, mcse, width = _cover(a, name)
            row[f"{name}_coverage"], row[f"{name}_mcse"], row[f"{name}_width"] = p, mcse, width
            row[f"{name}_median_bias"] = float(np.median(a[f"{name}_coef"]) - TRUTH)
        table_a.append(row)
        fits = [experiment_b(n, [seed, 2, size_index, r]) for r in range(reps)]
        b = pd.DataFrame([f for f in fits if f is not None])
        row = {"relationships": n, "instruments": 3 * n, "fits": len(b)}
        for name in ("cr0", "cr2"):
            p, mcse, width = _cover(b, name)
            row[f"{name}_coverage"], row[f"{name}_mcse"], row[f"{name}_width"] = p, mcse, width
        row["cr2_median_df"] = float(b["cr2_df"].median())
        table_b.append(row)
        print(f"size {n} done", file=sys.stderr)
    return pd.DataFrame(table_a), pd.DataFrame(table_b)


def _table(df: pd.DataFrame) -> str:
    """A markdown table (pandas' to_markdown needs tabulate, which is not a dependency)."""
    def cell(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in df.itertuples(index=False)]
    return "\n".join(lines)


def _markdown(a: pd.DataFrame, b: pd.DataFrame, reps: int, seed: int, seconds: float) -> str:
    return "\n".join([
        "# Small samples: coverage of cox's intervals at 5 to 50 relationships",
        "",
        f"Generated by `python validation/coverage_small_samples.py --reps {reps} --seed {seed}`"
        f" in {seconds:.0f} s (Python {platform.python_version()}, continuity from this "
        "repository). Design: see the script's docstring. True log hazard ratio log 2 = "
        f"{TRUTH:.4f}; nominal coverage 0.95; `mcse` is the Monte Carlo standard error of a "
        "coverage; widths are medians on the log scale (infinite limits left out of the width).",
        "",
        "## A. Few events: Wald (old default) against profile and Firth",
        "",
        _table(a),
        "",
        "## B. Few clusters: CR0 (old default) against CR2 with Satterthwaite df",
        "",
        _table(b),
        "",
    ])


READING = "<!-- reading: kept when the figures are regenerated -->"


def _parse_tables(text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a SMALL_SAMPLES.md, back as DataFrames (for --plot-only)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in line.strip("|").split("|")])
        elif current:
            header, *body = [r for r in current if not r[0].startswith("---")]
            tables.append(pd.DataFrame(body, columns=header).apply(pd.to_numeric))
            current = []
    return tables[0], tables[1]


def plot(a: pd.DataFrame, b: pd.DataFrame, path: Path) -> None:
    """Coverage against the number of relationships, old and new intervals, with 2 MCSE bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    for ax, table, names, title in (
        (axes[0], a, ("wald", "profile", "firth"), "A. few events"),
        (axes[1], b, ("cr0", "cr2"), "B. few clusters"),
    ):
        for name in names:
            ax.errorbar(table["relationships"], table[f"{name}_coverage"],
                        yerr=2 * table[f"{name}_mcse"], marker="o", capsize=3, label=name)
        ax.axhline(0.95, color="grey", linestyle="--", linewidth=1)
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(list(SIZES), [str(s) for s in SIZES])
        ax.set_xlabel("relationships")
        ax.set_title(title)
        ax.legend()
    axes[0].set_ylabel("coverage of 95% intervals")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--out", default=str(Path(__file__).with_name("SMALL_SAMPLES.md")))
    parser.add_argument("--plot-only", action="store_true",
                        help="redraw the figure from the tables already in --out")
    args = parser.parse_args(argv)
    out = Path(args.out)
    figure = out.with_name("small_samples_coverage.png")
    if args.plot_only:
        plot(*_parse_tables(out.read_text(encoding="utf-8")), figure)
        return
    began = time.perf_counter()
    a, b = run(args.reps, args.seed)
    text = _markdown(a, b, args.reps, args.seed, time.perf_counter() - began)
    if args.out == "-":
        print(text)
        return
    kept = ""
    if out.exists() and READING in out.read_text(encoding="utf-8"):
        kept = out.read_text(encoding="utf-8").split(READING, 1)[1]
    plot(a, b, figure)
    text += f"\n![coverage against size]({figure.name})\n\n{READING}{kept}"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
