"""Benchmark of the placebo of ``metrics.transition_hazard_ratio``: 200 draws at 1e5 instruments.

Each draw moves every jurisdiction's leader changes to random days, splits the relationships
again and refits the Cox model. Before the house refactor each draw rebuilt and re-validated a
whole Study; now it swaps the leadership terms (``Study.with_leadership``) and keys units by
integer codes. Run the same script against two source trees to compare them::

    python benchmarks/bench_placebo.py --src src --label after
    python benchmarks/bench_placebo.py --src /path/to/old/src --label before

Each run prints one markdown table row and appends it to ``benchmarks/results/placebo.md``;
the estimate and the placebo quantiles are printed so that the two runs can be checked to agree.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "placebo.md"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default="src", help="the source tree to import continuity from")
    ap.add_argument("--label", default="after")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--jurisdictions", type=int, default=200)
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(args.src).resolve()))
    import continuity as ct
    from continuity.simulate import simulate_study

    study = simulate_study(args.n, args.jurisdictions, hazard_ratio=1.5, seed=3)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ct.metrics.transition_hazard_ratio(study, n_placebo=args.draws, seed=1)
    seconds = time.perf_counter() - t0
    r = out.iloc[0]
    row = (f"| {args.label} | {args.n:,} | {args.draws} | {seconds:.1f} | "
           f"{seconds / max(args.draws, 1):.2f} | {r['estimate']:.6f} | {r['placebo_q025']:.6f} | "
           f"{r['placebo_median']:.6f} | {r['placebo_q975']:.6f} | {int(r['n_placebo'])} |")
    print(row, flush=True)
    if not args.out.exists():
        args.out.write_text(
            "# Placebo of transition_hazard_ratio\n\n"
            f"`python benchmarks/bench_placebo.py` on {platform.platform()}, Python "
            f"{platform.python_version()}; simulate_study({args.n:,}, {args.jurisdictions}, "
            "hazard_ratio=1.5, seed=3), seed=1. A shared machine (2 cores, 8 engineers): times "
            "are what one run measured.\n\n"
            "| code | instruments | draws | seconds | seconds per draw | estimate | q025 | "
            "median | q975 | draws used |\n|---|---|---|---|---|---|---|---|---|---|\n")
    with args.out.open("a") as f:
        f.write(row + "\n")


if __name__ == "__main__":
    main()
