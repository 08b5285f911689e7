"""Benchmark of the episode split on one agreement with very many parties (issue 7).

One agreement signed on 2000-01-01, open, with k parties; each party is its own
jurisdiction with one term open since 1990 or, for every other one, two terms, the second
starting on a day spread over 2000-2020 (a leader change inside the agreement's life). The
split then has about k / 2 + 1 episodes, and each episode's ``changes`` counts the parties
whose second term has started. The per-party-slot loop that computed the exposure columns
cost O(k) passes over the agreement's episodes: quadratic in k.

Run from the repository root::

    python benchmarks/bench_parties.py --sizes 2000 20000 200000

It prints one markdown table row per size (seconds, best of ``--repeat`` runs, of
``study.episodes(leaders="none")``, the Study built beforehand and not timed).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import continuity as ct


def make_study(k: int) -> ct.Study:
    """One agreement with ``k`` parties, half of which change leader during it."""
    names = np.array([f"J{i:07d}" for i in range(k)], dtype=object)
    two = np.arange(k) % 2 == 1
    change = (np.datetime64("2000-01-02") + (np.arange(k) * 7300) // k).astype("datetime64[ns]")
    first_end = np.where(two, change, np.datetime64("NaT"))
    terms = pd.DataFrame({
        "jurisdiction": np.concatenate([names, names[two]]), "office": "mayor",
        "holder": np.concatenate([names + "-a", names[two] + "-b"]),
        "start": np.concatenate([np.full(k, np.datetime64("1990-01-01", "ns")), change[two]]),
        "end": np.concatenate([first_end, np.full(int(two.sum()), np.datetime64("NaT"))]),
    })
    agreements = pd.DataFrame({"agreement_id": ["A"], "signed": ["2000-01-01"]})
    parties = pd.DataFrame({"agreement_id": "A", "jurisdiction": names})
    return ct.Study(terms, agreements, parties, as_of="2025-12-31")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| parties | episodes | `episodes(leaders=\"none\")` |")
    print("|---:|---:|---:|")
    for k in (int(s) for s in args.sizes):
        study = make_study(k)
        best, n = float("inf"), 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ep = study.episodes(leaders="none")
            best = min(best, time.perf_counter() - t0)
            n = len(ep)
        print(f"| {k:,} | {n:,} | {best:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
