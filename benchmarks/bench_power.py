"""Benchmark of continuity.power: one replication of the default design, and scaling with workers.

1. One replication of the default :class:`continuity.Design` (2,000 relationships, 100
   jurisdictions, 10 years of follow-up; the hazard-ratio metric: simulate, split into episodes,
   Cox clustered by relationship), timed on one core (best and median of ``--repeat`` runs,
   after one warm-up), with a cProfile summary of the functions that take the time.
2. ``continuity.power`` with ``--n-sim`` replications of the same design: serially, with
   ``n_jobs=2`` (joblib's loky processes) and on a local two-worker Dask cluster
   (``distributed.LocalCluster(n_workers=2, threads_per_worker=1)``, processes, through
   ``joblib.parallel_backend("dask")``); each run's results are checked equal to the serial
   run's.

Run from the repository root::

    python benchmarks/bench_power.py                   # writes benchmarks/results/power.md
    python benchmarks/bench_power.py --n-sim 8 --out -

The machine's two cores are shared with other work, so the times carry that noise; the equality
of the results does not.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct
from continuity.design import _replicate, _settings, simulate_replications

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "power.md"
EFFECT = 1.5


def one_replication(repeat: int) -> tuple[list[float], str]:
    design = ct.Design()
    settings = _settings("hazard_ratio", "two-sided", 0.05, 0.95, False, "bench")
    children = np.random.SeedSequence(2026).spawn(repeat + 1)
    _replicate(design, EFFECT, settings, children[0])  # warm-up: imports, caches
    times = []
    for child in children[1:]:
        t0 = time.perf_counter()
        _replicate(design, EFFECT, settings, child)
        times.append(time.perf_counter() - t0)
    profile = cProfile.Profile()
    profile.enable()
    _replicate(design, EFFECT, settings, children[1])
    profile.disable()
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(18)
    return times, trim(buffer.getvalue())


def trim(text: str) -> str:
    """The profile table with paths shortened to the package or library."""
    out = []
    for line in text.splitlines():
        for marker in ("/src/continuity/", "/site-packages/"):
            if marker in line:
                head, _, tail = line.partition(marker)
                line = head[: head.rfind(" ") + 1] + tail
        out.append(line.rstrip())
    return "\n".join(line for line in out if line.strip()).strip()


def scaling(n_sim: int) -> pd.DataFrame:
    design = ct.Design()
    rows, serial = [], None
    for label, n_jobs in (("serial (n_jobs=None)", None), ("loky, n_jobs=1", 1),
                          ("loky, n_jobs=2, cold", 2), ("loky, n_jobs=2, warm", 2)):
        if label.endswith("warm"):  # the workers of the cold run are reused: imports done
            simulate_replications(design, EFFECT, n_sim=2, seed=1, n_jobs=n_jobs)
        t0 = time.perf_counter()
        out = simulate_replications(design, EFFECT, n_sim=n_sim, seed=7, n_jobs=n_jobs)
        rows.append({"backend": label, "seconds": time.perf_counter() - t0,
                     "equal_to_serial": serial is None or out.equals(serial)})
        serial = out if serial is None else serial
    rows.append(dask_run(design, n_sim, serial))
    table = pd.DataFrame(rows)
    table["per_replication"] = table["seconds"] / n_sim
    table["speed_up"] = table["seconds"].iloc[0] / table["seconds"]
    return table


def dask_run(design: ct.Design, n_sim: int, serial: pd.DataFrame) -> dict:
    import joblib
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster), \
            joblib.parallel_backend("dask"):
        simulate_replications(design, EFFECT, n_sim=2, seed=1)  # warm-up: worker imports
        t_start = time.perf_counter()
        out = simulate_replications(design, EFFECT, n_sim=n_sim, seed=7)
        seconds = time.perf_counter() - t_start
    return {"backend": "dask LocalCluster, 2 workers, warm", "seconds": seconds,
            "equal_to_serial": out.equals(serial)}


def markdown(times: list[float], profile: str, table: pd.DataFrame, args) -> str:
    return "\n".join([
        "# continuity.power",
        "",
        f"Written by `python benchmarks/bench_power.py --repeat {args.repeat} --n-sim "
        f"{args.n_sim}` on {platform.machine()}, {os.cpu_count()} cores shared with other "
        f"work, Python {platform.python_version()}, numpy {np.__version__}, pandas "
        f"{pd.__version__}.",
        "",
        "## One replication of the default design",
        "",
        "`continuity.Design()`: 2,000 relationships, 100 jurisdictions, 10 years of follow-up, "
        f"hazard ratio {EFFECT} after a change; simulate, split into episodes, Cox of "
        "`post_change` clustered by relationship. One core, after a warm-up.",
        "",
        f"- best {min(times):.3f} s, median {float(np.median(times)):.3f} s over "
        f"{len(times)} replications",
        "",
        "Profile of one replication (cumulative time, top functions):",
        "",
        "```",
        profile,
        "```",
        "",
        f"## {args.n_sim} replications by backend",
        "",
        "Every run uses `seed=7`; `equal_to_serial` compares the whole replication table with "
        "the serial run's (`DataFrame.equals`). `cold`: the time includes starting the loky "
        "worker processes and their imports; `warm`: after a two-replication warm-up on the "
        "same workers (the Dask cluster's own start-up is never included). Load average "
        f"while this ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other engineers' "
        "work), so the speed-ups are a floor, not the machine's.",
        "",
        table.round(3).to_markdown(index=False),
        "",
    ])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n-sim", type=int, default=16)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    times, profile = one_replication(args.repeat)
    table = scaling(args.n_sim)
    text = markdown(times, profile, table, args)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
