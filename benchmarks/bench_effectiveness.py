"""Benchmark the effectiveness metrics on a large simulated study.

Run from the repository root:

    python benchmarks/bench_effectiveness.py            # 1e5 instruments, writes
                                                        # benchmarks/results/effectiveness.md
    python benchmarks/bench_effectiveness.py --sizes 10000 --no-write

Data: ``simulate_study(n, 50, activity_rate=1/180, activity_ratio=0.7,
target_attainment=0.8, budget_realisation=0.85)`` over 2000-2019: instruments between 50
jurisdictions with terms of about 4 years, about two activities a year per instrument, an
"outputs" target and a budget per instrument-year. Each figure is the best of ``--repeat`` runs,
wall clock, one process; building the study (validation included) is timed once.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from continuity import metrics as m
from continuity.simulate import simulate_study


def best_of(fn, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = len(fn())
        times.append(time.perf_counter() - t0)
    return min(times), rows


def cases(focal: str) -> dict:
    return {
        "activity_rates(s)": lambda s: m.activity_rates(s),
        "activity_rates(s, level='instrument', by='agreement_id')":
            lambda s: m.activity_rates(s, level="instrument", by="agreement_id"),
        "activity_rates(s, by=['jurisdiction', 'administration'])":
            lambda s: m.activity_rates(s, by=["jurisdiction", "administration"]),
        "activity_rates(s, by='sector', dormant_time='exclude')":
            lambda s: m.activity_rates(s, by="sector", dormant_time="exclude"),
        "activity_change(s)": lambda s: m.activity_change(s),
        "activity_change(s, by=None, close='midpoint')":
            lambda s: m.activity_change(s, by=None, close="midpoint"),
        "target_attainment(s, by=['agreement_id', 'year'])":
            lambda s: m.target_attainment(s, by=["agreement_id", "year"]),
        "target_attainment(s, by=['jurisdiction', 'administration'])":
            lambda s: m.target_attainment(s, by=["jurisdiction", "administration"]),
        "budget_realisation(s)": lambda s: m.budget_realisation(s),
        "goal_coverage(s)": lambda s: m.goal_coverage(s),
        "goal_breadth(s)": lambda s: m.goal_breadth(s),
        f"reciprocity(s, focal='{focal}')": lambda s: m.reciprocity(s, focal=focal),
        f"administration_scorecard(s, focal='{focal}')":
            lambda s: m.administration_scorecard(s, focal=focal),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        study = simulate_study(n, 50, activity_rate=1 / 180, activity_ratio=0.7,
                               target_attainment=0.8, budget_realisation=0.85, seed=1)
        built = time.perf_counter() - t0
        sizes = study.summary().set_index("table")["rows"]
        shape = (f"{n:,} instruments, {sizes['activities']:,} activities, "
                 f"{sizes['targets']:,} targets")
        print(f"{shape}: simulate_study and validation {built:.2f} s")
        rows.append((shape, "simulate_study(...) (draws and validation)", built, n))
        for label, fn in cases("J01").items():
            seconds, out_rows = best_of(lambda fn=fn: fn(study), args.repeat)
            rows.append((shape, label, seconds, out_rows))
            print(f"{label:<62} {seconds:8.2f} s  {out_rows:>9,} rows")

    if args.no_write:
        return
    lines = [
        "## Effectiveness metrics on a simulated study",
        "",
        f"Command: `python benchmarks/bench_effectiveness.py` (best of {args.repeat} runs, wall "
        "clock, one process).",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}.",
        "Data: `simulate_study(n, 50, activity_rate=1/180, activity_ratio=0.7, "
        "target_attainment=0.8, budget_realisation=0.85, seed=1)` (2000-2019).",
        f"Load average when the run started: {load} (2 cores, shared with other work).",
        "",
        "Exposure and counts between two days are read from cumulative sums keyed by "
        "(unit, day), with one sort and binary searches for every unit at once; administrations "
        "are joined as segments of each jurisdiction's timeline. No Python loop runs per "
        "instrument, activity or transition.",
        "",
        "| study | call | seconds | rows out |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {r[0]} | `{r[1]}` | {r[2]:.2f} | {r[3]:,} |" for r in rows]
    out = Path(__file__).parent / "results" / "effectiveness.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
