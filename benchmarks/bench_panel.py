"""Benchmark of study.panel(freq="year") beside a bare numpy build of the same rows.

Data: the jurisdictions and four-year terms of benchmarks/bench_episodes.py (1,000
jurisdictions, about 19 terms each over 75 years, 20% re-elections) and n bilateral instruments
signed 1950-2025, each expiring 1-10 years after signing (so that an instrument has about six
years at risk; as_of 2025-12-31).

For each n it times, on the same data and in the same run:

* ``study.panel(freq="year", leaders="none")`` and ``study.panel(freq="year")`` (the default,
  ``leaders="wide"``: both parties' slot columns), end to end from the built Study;
* a bare numpy build of the same rows from the same at-risk intervals: expand each instrument
  into its calendar years, the exposure days of each, and for each party the leader on the first
  day by ``searchsorted`` and the leader changes in the year (no options, no NA rules, no
  DataFrame): the floor any implementation pays.

and checks that both give the same rows, exposure and changes. Peak memory is measured in a
second pass with :mod:`tracemalloc`, as the peak above the memory held before the call, against
the memory the output holds (``DataFrame.memory_usage(deep=True)``).

Run from the repository root::

    python benchmarks/bench_panel.py                    # 1e4, 1e5, 1e6
    python benchmarks/bench_panel.py --sizes 10000

and it writes ``benchmarks/results/panel.md``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct

sys.path.insert(0, str(Path(__file__).parent))
from bench_episodes import AS_OF, N_JURISDICTIONS, START, make_terms

RESULTS = Path(__file__).parent / "results" / "panel.md"
S = np.int64(1) << 42


def make_agreements(n: int, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    signed = START + rng.integers(0, int((AS_OF - START).astype(np.int64)) - 180, size=n)
    expires = signed + 365 * rng.integers(1, 11, size=n)
    ids = pd.Series(np.char.add("A", np.char.zfill(np.arange(n).astype(str), 7)), dtype=object)
    agreements = pd.DataFrame({"agreement_id": ids, "signed": signed.astype("datetime64[ns]"),
                               "expires": expires.astype("datetime64[ns]")})
    a = rng.integers(0, N_JURISDICTIONS, size=n)
    b = (a + rng.integers(1, N_JURISDICTIONS, size=n)) % N_JURISDICTIONS
    names = np.array([f"J{x:04d}" for x in range(N_JURISDICTIONS)], dtype=object)
    parties = pd.DataFrame({"agreement_id": np.repeat(ids.to_numpy(), 2),
                            "jurisdiction": np.column_stack([names[a], names[b]]).ravel()})
    return agreements, parties


def arrays(terms, agreements, parties):
    """Plain arrays: units (lo, hi, j1, j2), terms as sorted keys, leader-change keys."""
    jcode = terms["jurisdiction"].str.slice(1).astype(int).to_numpy().astype(np.int64)
    tstart = terms["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    holder = pd.factorize(terms["holder"])[0]
    o = np.lexsort((tstart, jcode))
    jcode, tstart, holder = jcode[o], tstart[o], holder[o]
    same = np.r_[False, jcode[1:] == jcode[:-1]]
    change = same & np.r_[False, holder[1:] != holder[:-1]]
    lo = agreements["signed"].to_numpy().astype("datetime64[D]").astype(np.int64)
    exp = agreements["expires"].to_numpy().astype("datetime64[D]").astype(np.int64)
    hi = np.minimum(exp, int(AS_OF.astype(np.int64)))
    pj = parties["jurisdiction"].str.slice(1).astype(int).to_numpy().reshape(-1, 2)
    ckey = jcode[change] * S + tstart[change]
    return jcode * S + tstart, holder, ckey, lo, hi, pj[:, 0].astype(np.int64), \
        pj[:, 1].astype(np.int64)


def numpy_panel(tkey, holder, ckey, lo, hi, j1, j2) -> dict:
    """The floor: unit-years, exposure, and per party the leader and changes in the year."""
    first = lo.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    last = (hi - 1).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    n = last - first + 1
    unit = np.repeat(np.arange(len(lo)), n)
    year = np.repeat(first - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
    ys = year.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    ye = (year + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    a = np.maximum(ys, lo[unit])
    b = np.minimum(ye, hi[unit])
    out = {"unit": unit, "year": year, "exposure": b - a}
    after = np.maximum(a, lo[unit] + 1)
    for i, j in enumerate((j1, j2), 1):
        base = j[unit] * S
        t = np.searchsorted(tkey, base + a, side="right") - 1
        out[f"leader_{i}"] = holder[t]
        out[f"changes_{i}"] = (np.searchsorted(ckey, base + b) - np.searchsorted(ckey,
                                                                              base + after))
    return out


def timed(fn, *args, repeat=1, **kw):
    best, out = np.inf, None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn(*args, **kw)
        best = min(best, time.perf_counter() - t)
    return best, out


def peak(fn, *args, **kw):
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(*args, **kw)
    p = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return p, out


def size_of(out) -> int:
    if isinstance(out, pd.DataFrame):
        return int(out.memory_usage(deep=True, index=True).sum())
    return int(sum(v.nbytes for v in out.values()))


def run(n: int, repeat: int, memory: bool) -> dict:
    rng = np.random.default_rng(20150917)
    terms = make_terms(rng)
    agreements, parties = make_agreements(n, rng)
    study = ct.Study(terms, agreements, parties, as_of=str(AS_OF))
    arr = arrays(terms, agreements, parties)
    t_np, ref = timed(numpy_panel, *arr, repeat=repeat)
    t_none, p_none = timed(study.panel, freq="year", leaders="none", repeat=repeat)
    t_wide, p_wide = timed(study.panel, freq="year", repeat=repeat)
    # the same rows, exposure and changes
    assert len(p_none) == len(ref["unit"]), (len(p_none), len(ref["unit"]))
    assert (p_none["exposure_days"].to_numpy() == ref["exposure"]).all()
    assert (p_wide["changes"].to_numpy(dtype=np.int64)
            == ref["changes_1"] + ref["changes_2"]).all()
    row = {"n": n, "rows": len(p_none), "numpy": t_np, "none": t_none, "wide": t_wide,
           "cols_none": p_none.shape[1], "cols_wide": p_wide.shape[1],
           "out_numpy": size_of(ref), "out_none": size_of(p_none), "out_wide": size_of(p_wide)}
    del p_none, p_wide, ref
    if memory:
        row["peak_numpy"], _ = peak(numpy_panel, *arr)
        row["peak_none"], _ = peak(study.panel, freq="year", leaders="none")
        row["peak_wide"], _ = peak(study.panel, freq="year")
    print(row, flush=True)
    return row


def mb(x: float) -> str:
    return f"{x / 2**20:,.0f} MB"


def write(rows: list[dict]) -> None:
    lines = [
        "## Panel: `study.panel(freq=\"year\")`", "",
        "Reproduce: `python benchmarks/bench_panel.py --sizes "
        + " ".join(f"{r['n']:.0e}".replace("+0", "") for r in rows)
        + "` (from the repository root; seed 20150917).", "",
        f"Machine: {platform.machine()}, 2 cores shared with other jobs, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}. Data: "
        "1,000 jurisdictions with four-year terms over 75 years, n bilateral instruments signed "
        "1950-2025 and expiring 1-10 years later, as_of 2025-12-31. Times: wall-clock seconds, "
        "best of the runs (3 up to 1e5, 1 at 1e6); expect +-30% between runs on this machine.",
        "",
        "| n | rows | bare numpy | panel, leaders='none' | ratio | panel, 'wide' | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['n']:.0e} | {r['rows']:,} | {r['numpy']:.2f} s | {r['none']:.2f} s"
                     f" | {r['none'] / r['numpy']:.1f}x | {r['wide']:.2f} s | "
                     f"{r['wide'] / r['numpy']:.1f}x |")
    lines += ["", "Peak memory above what was held before the call (tracemalloc), against the "
              "memory the output holds:", "",
              "| n | output none / wide | peak none / wide | peak / output none / wide | "
              "numpy output / peak |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "peak_none" in r:
            lines.append(
                f"| {r['n']:.0e} | {mb(r['out_none'])} / {mb(r['out_wide'])} | "
                f"{mb(r['peak_none'])} / {mb(r['peak_wide'])} | "
                f"{r['peak_none'] / r['out_none']:.1f}x / {r['peak_wide'] / r['out_wide']:.1f}x"
                f" | {mb(r['out_numpy'])} / {mb(r['peak_numpy'])} |")
    lines += ["", f"Columns: {rows[-1]['cols_none']} with `leaders='none'`, "
              f"{rows[-1]['cols_wide']} with `'wide'`. Every run checks that the panel and the "
              "numpy build give the same rows, exposure days and leader changes.", ""]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args(argv)
    rows = [run(int(n), 3 if n <= 1e5 else 1, not args.no_memory) for n in args.sizes]
    write(rows)


if __name__ == "__main__":
    main()
