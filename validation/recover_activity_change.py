"""Does activity_change recover the drop in activity that simulate_study put after leader changes?

For each true activity ratio, R studies are drawn with :func:`continuity.simulate.simulate_study`
(activities a Poisson process at ``ACTIVITY_RATE`` a day, multiplied by the ratio in the 365
days after a leader change at either party), and
``continuity.metrics.activity_change(study, window=365, by=None)`` pools the activity after and
before every transition. Reported per setting and rule: the bias of the pooled rate ratio and of
its logarithm (with Monte Carlo standard errors), and the coverage of the exact 95% conditional
interval with its Monte Carlo standard error sqrt(p (1 - p) / R).

The estimand is the ratio of the activity rate in the ``window`` days after a change to the rate
in the ``window`` days before it, when those days are not themselves in the after-window of
another change: that is what ``close="drop"`` (the default) measures, and what the model
multiplies. ``close="midpoint"`` keeps every transition; its before-windows can lie in the
after-window of an earlier change, so it is shown for contrast, biased towards 1 by design.

This is a script, not a test. Run from the repository root:

    python validation/recover_activity_change.py          # updates validation/ACTIVITY_CHANGE.md
    python validation/recover_activity_change.py --reps 20 --out -   # quick look, to stdout

Every replication has its own seed, ``numpy.random.default_rng([seed, setting, replication])``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct
from continuity.simulate import simulate_study

WINDOW = 365
N_JURISDICTIONS = 20
ACTIVITY_RATE = 1 / 60  # about six activities a year per instrument


def one_study(n_instruments: int, ratio: float, seed: list[int]) -> list[dict]:
    """Simulate one study and return the pooled activity change under each rule."""
    study = simulate_study(n_instruments, N_JURISDICTIONS, activity_rate=ACTIVITY_RATE,
                           activity_ratio=ratio, window=WINDOW,
                           seed=np.random.default_rng(seed))
    out = []
    for close in ("drop", "midpoint"):
        r = ct.metrics.activity_change(study, window=WINDOW, by=None, close=close).iloc[0]
        out.append({"close": close, "estimate": float(r["estimate"]),
                    "conf_low": float(r["conf_low"]), "conf_high": float(r["conf_high"]),
                    "n_transitions": int(r["n_transitions"]),
                    "n_activities": int(r["n_before"] + r["n_after"])})
    return out


def summarise(fits: pd.DataFrame, truth: float, reps: int) -> dict:
    est = fits["estimate"]
    log_est = np.log(est)
    cover = ((fits["conf_low"] <= truth) & (truth <= fits["conf_high"])).mean()
    return {
        "mean_transitions": fits["n_transitions"].mean(),
        "mean_activities": fits["n_activities"].mean(),
        "mean_estimate": est.mean(),
        "bias": est.mean() - truth,
        "bias_mcse": est.std(ddof=1) / np.sqrt(reps),
        "bias_log": log_est.mean() - np.log(truth),
        "bias_log_mcse": log_est.std(ddof=1) / np.sqrt(reps),
        "coverage": cover,
        "coverage_mcse": np.sqrt(cover * (1 - cover) / reps),
    }


def run(sizes, ratios, reps, seed) -> pd.DataFrame:
    settings = [(n, r) for n in sizes for r in ratios]
    rows = []
    for k, (n, ratio) in enumerate(settings):
        fits = pd.DataFrame([f for rep in range(reps)
                             for f in one_study(n, ratio, [seed, k, rep])])
        for close, part in fits.groupby("close", sort=False):
            rows.append({"n_instruments": n, "activity_ratio": ratio, "close": close,
                         **summarise(part, ratio, reps)})
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame) -> str:
    fmt = {"n_instruments": "{:.0f}", "activity_ratio": "{:.2f}", "close": "{}",
           "mean_transitions": "{:.0f}", "mean_activities": "{:.0f}",
           "mean_estimate": "{:.4f}", "bias": "{:+.4f}", "bias_mcse": "{:.4f}",
           "bias_log": "{:+.4f}", "bias_log_mcse": "{:.4f}", "coverage": "{:.3f}",
           "coverage_mcse": "{:.3f}"}
    cols = list(table.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in table.iterrows():
        lines.append("| " + " | ".join(
            fmt[c].format(r[c] if c == "close" else float(r[c])) for c in cols) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=200, help="replications per setting")
    p.add_argument("--sizes", type=int, nargs="+", default=[500], help="numbers of instruments")
    p.add_argument("--ratios", type=float, nargs="+", default=[1.0, 0.8, 0.5])
    p.add_argument("--seed", type=int, default=20260917)
    p.add_argument("--out", default=str(Path(__file__).with_name("ACTIVITY_CHANGE.md")),
                   help="markdown file to write ('-' for stdout)")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    table = run(args.sizes, args.ratios, args.reps, args.seed)
    elapsed = time.perf_counter() - t0
    text = "\n".join([
        f"Command: `python validation/recover_activity_change.py --reps {args.reps} --sizes "
        f"{' '.join(map(str, args.sizes))} --ratios {' '.join(map(str, args.ratios))} --seed "
        f"{args.seed}` (serial; {elapsed:.0f} s on {platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}).",
        "",
        f"{args.reps} replications per setting. Each: `simulate_study(n_instruments, "
        f"{N_JURISDICTIONS}, activity_rate=1/60, activity_ratio=RATIO, window={WINDOW})` over "
        "2000-01-01 to 2019-12-31 (terms of about 4 years, 10% followed by a caretaker spell, "
        "30% re-elections; every end recorded), then `ct.metrics.activity_change(study, "
        f"window={WINDOW}, by=None, close=CLOSE)` (symmetric cut, relationship level). `bias` "
        "is the mean pooled rate ratio minus the true ratio, `bias_log` the same on the log "
        "scale, each with its Monte Carlo SE; `coverage` is the share of exact 95% intervals "
        "containing the true ratio, `coverage_mcse` = sqrt(p(1-p)/R).",
        "",
        to_markdown(table),
        "",
    ])
    sys.stdout.write(text)
    if args.out != "-":  # between the generated markers; the reading below them is kept
        sys.path.insert(0, str(Path(__file__).parent))
        from recover_transition_hazard import write_section

        write_section(Path(args.out), text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
