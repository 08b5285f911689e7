"""Benchmark continuity.read_study against plain pandas.read_csv of the same files.

Run from the repository root:

    python benchmarks/bench_read.py                    # 1e4 and 1e5 instruments, writes
                                                       # benchmarks/results/read.md
    python benchmarks/bench_read.py --sizes 10000 --no-write

Data: a registry folder written once per size: ``n`` instruments (half signed on a day, a
quarter known to the month, a quarter to the year; a third with an expiry), two parties each
among ``n // 50`` jurisdictions with eight terms of office each (some ends known only to the
month), and three activities per instrument. Dates repeat as they do in real registries (a few
thousand distinct days). The baseline is ``pandas.read_csv`` of every file with its defaults,
the floor for any reader; ``read_study`` reads every value as text, checks the headers, parses
and validates every table and builds the Study. Each figure is the best of ``--repeat`` runs,
wall clock, one process.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct
from continuity.schema import TABLES


def _days(rng, n, lo="2000-01-01", span=8000):
    return np.datetime64(lo) + rng.integers(0, span, n).astype("timedelta64[D]")


def _fuzzy(days: np.ndarray, rng) -> np.ndarray:
    text = np.datetime_as_string(days, unit="D").astype(object)
    u = rng.random(len(days))
    text[(u > 0.5) & (u <= 0.75)] = [t[:7] for t in text[(u > 0.5) & (u <= 0.75)]]
    text[u > 0.75] = [t[:4] for t in text[u > 0.75]]
    return text


def write_registry(folder: Path, n: int, seed: int = 1) -> Path:
    """A valid registry of ``n`` instruments in ``folder``."""
    rng = np.random.default_rng(seed)
    n_j = max(n // 50, 4)
    jur = [f"City {k:05d}" for k in range(n_j)]
    # eight consecutive terms per jurisdiction, touching; the last still running
    bounds = np.sort(_days(rng, (n_j, 8), "1995-01-01", 10000), axis=1)
    bounds[:, 0] = np.datetime64("1995-01-01")
    starts = bounds.ravel()
    ends = np.concatenate([bounds[:, 1:], np.full((n_j, 1), np.datetime64("NaT"))], axis=1)
    end_text = np.where(np.isnat(ends.ravel()), "", np.datetime_as_string(ends.ravel(), "D"))
    pd.DataFrame({
        "jurisdiction": np.repeat(jur, 8), "office": "mayor",
        "holder": [f"Holder {k}" for k in range(n_j * 8)],
        "start": np.datetime_as_string(starts, "D"), "end": end_text,
        "kind": "elected",
    }).to_csv(folder / "terms.csv", index=False)
    signed = _days(rng, n, "2005-01-01", 5000)
    ids = [f"A{k:07d}" for k in range(n)]
    expires = signed + rng.integers(365, 3650, n).astype("timedelta64[D]")
    has_exp = rng.random(n) < 1 / 3
    pd.DataFrame({
        "agreement_id": ids, "signed": _fuzzy(signed, rng),
        "relationship_id": [f"R{k // 2:07d}" for k in range(n)],
        "instrument": rng.choice(["loi", "mou", "agreement"], n),
        "expires": np.where(has_exp, np.datetime_as_string(expires, "D"), ""),
        "sector": rng.choice(["culture", "economy", "education", "tourism"], n),
    }).to_csv(folder / "agreements.csv", index=False)
    a = rng.integers(0, n_j, n)
    b = (a + 1 + rng.integers(0, n_j - 1, n)) % n_j
    pd.DataFrame({
        "agreement_id": np.repeat(ids, 2),
        "jurisdiction": np.array(jur, dtype=object)[np.column_stack([a, b]).ravel()],
    }).to_csv(folder / "parties.csv", index=False)
    k = np.repeat(np.arange(n), 3)
    act = np.maximum(signed[k], signed[k] + rng.integers(0, 2000, len(k)).astype("timedelta64[D]"))
    pd.DataFrame({
        "agreement_id": np.array(ids, dtype=object)[k],
        "date": np.datetime_as_string(act, "D"),
        "kind": rng.choice(["visit_in", "visit_out", "meeting"], len(k)),
        "cost": rng.integers(0, 10_000, len(k)),
        "participants": rng.integers(1, 40, len(k)),
    }).to_csv(folder / "activities.csv", index=False)
    (folder / "study.toml").write_text('as_of = "2025-12-31"\nallow_unknown_exposure = true\n')
    return folder


def plain(folder: Path, **options) -> None:
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            pd.read_csv(path, **options)


def study(folder: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ct.ActivityOutsideLifeWarning)
        ct.read_study(folder)


def best_of(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time (this process) of ``repeat`` runs. On a shared machine
    the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default="this branch",
                        help="name of the code measured (run with PYTHONPATH=<other>/src to "
                             "measure another checkout)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"r{n}"
            folder.mkdir()
            write_registry(folder, n)
            cells = sum(pd.read_csv(folder / f"{t}.csv").size for t in TABLES
                        if (folder / f"{t}.csv").exists())
            w0, c0 = best_of(lambda f=folder: plain(f), args.repeat)
            _, c1 = best_of(lambda f=folder: plain(f, dtype=object), args.repeat)
            w2, c2 = best_of(lambda f=folder: study(f), args.repeat)
            rows.append((n, cells, c0, c1, c2, w0, w2))
            print(f"n={n:>8,} cells={cells:>10,} CPU: read_csv {c0:.3f} s, read_csv(object) "
                  f"{c1:.3f} s, read_study {c2:.3f} s = {c2 / c0:.1f}x / {c2 / c1:.1f}x; wall: "
                  f"{w0:.3f} s, {w2:.3f} s", flush=True)
    if args.no_write:
        return
    lines = [
        f"## read_study ({args.label}) against plain read_csv",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other jobs (load "
        f"{os.getloadavg()[0]:.0f}), Python {platform.python_version()}, pandas {pd.__version__}."
        f" Best of {args.repeat} runs. CPU time of the process is the steadier figure on a "
        "loaded machine; wall clock beside it.",
        "Reproduce: `python benchmarks/bench_read.py` (`--label`, and `PYTHONPATH` pointing at "
        "another checkout's `src`, to measure it).",
        "",
        "| instruments | cells | read_csv CPU (s) | read_csv(dtype=object) CPU (s) | read_study "
        "CPU (s) | ratio to read_csv | ratio to read_csv(object) | read_csv wall (s) | "
        "read_study wall (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {n:,} | {c:,} | {c0:.3f} | {c1:.3f} | {c2:.3f} | {c2 / c0:.1f}x | "
              f"{c2 / c1:.1f}x | {w0:.3f} | {w2:.3f} |" for n, c, c0, c1, c2, w0, w2 in rows]
    out = Path(__file__).parent / "results" / "read.md"
    previous = out.read_text() + "\n" if out.exists() else ""
    out.write_text(previous + "\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
