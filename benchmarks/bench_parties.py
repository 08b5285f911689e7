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
``study.episodes(leaders="none")``, the Study built beforehand and not timed). With
``--bilateral 1e5`` it also times ``leaders="none"`` and ``"wide"`` on the bilateral data of
``bench_episodes.py``, with and without its 43-party agreement.
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
    parser.add_argument("--bilateral", type=float, default=None)
    args = parser.parse_args()
    if args.bilateral:
        bilateral(int(args.bilateral), args.repeat)
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


def bilateral(n: int, repeat: int) -> None:
    """``leaders="none"`` and ``"wide"`` on ``bench_episodes.py``'s data of n instruments."""
    import bench_episodes as b

    rng = np.random.default_rng(20150917)
    terms = b.make_terms(rng)
    agreements, parties = b.make_agreements(n, rng)
    multi = b.add_multilateral(agreements, parties, b.MULTI_K, np.random.default_rng(1))
    print(f"| study (n = {n:,}) | `leaders=\"none\"` | `leaders=\"wide\"` |")
    print("|---|---:|---:|")
    for name, tables in (("bilateral", (agreements, parties)), ("+ one of 43 parties", multi)):
        study = ct.Study(terms, *tables, as_of=str(b.AS_OF))
        cells = []
        for leaders in ("none", "wide"):
            best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                study.episodes(leaders=leaders)
                best = min(best, time.perf_counter() - t0)
            cells.append(f"{best:.2f} s")
        print(f"| {name} | {cells[0]} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    main()
