"""Benchmark of study.episodes() beside a bare numpy split, a naive pandas merge and R's tmerge.

Generates 1,000 jurisdictions with four-year terms over 75 years (about 19 each, some holders
re-elected) and n instruments, each between two random jurisdictions, signed between 1950 and
2025, 70% with an expiry 1-10 years later. For each n it times, on the same data and in the
same run:

* building the Study (validation included) and ``study.episodes()`` end to end;
* a bare numpy ``searchsorted`` split of the same intervals at the same term boundaries, with
  each party's term looked up per episode (no options, no exposure columns, no DataFrame);
* a bare numpy cut of the same intervals at the same change dates, without the term lookup
  (``numpy_cut``): the floor any implementation pays;
* a naive pandas merge-and-filter (merge each party's terms on the jurisdiction, keep the
  overlapping ones, merge the two parties per unit, keep overlapping pairs);
* R's ``survival::tmerge`` with one ``tdc`` per party, when ``Rscript`` is on the path (timed
  inside R, reading the CSVs excluded);
* lifelines' ``add_covariate_to_timeline`` at 1e4, when lifelines is installed;
* ``study.episodes(leaders="none")`` beside the default ``leaders="wide"``, on these bilateral
  instruments and with one more instrument of 43 parties (as the largest ATOP alliance), which
  gives every row of the wide table 43 x 3 per-party columns.

Peak memory is measured in a second pass with :mod:`tracemalloc` (numpy and pandas report their
buffers to it), as the peak above the memory held before the call.

Run from the repository root::

    python benchmarks/bench_episodes.py                    # 1e4, 1e5, 1e6
    python benchmarks/bench_episodes.py --sizes 10000 --no-r

and it writes ``benchmarks/results/episodes.md``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct

N_JURISDICTIONS = 1000
YEARS = 75
START = np.datetime64("1950-01-01", "D")
AS_OF = np.datetime64("2025-12-31", "D")
RESULTS = Path(__file__).parent / "results" / "episodes.md"
MULTI_K = 43  # parties of the largest ATOP alliance


# ------------------------------------------------------------------------------ data


def make_terms(rng) -> pd.DataFrame:
    """About 19 contiguous four-year terms per jurisdiction from before 1950 to an open last."""
    per = YEARS // 4 + 2
    j = np.repeat(np.arange(N_JURISDICTIONS), per)
    k = np.tile(np.arange(per), N_JURISDICTIONS)
    length = 1461 + rng.integers(-60, 61, size=j.size)
    length = length.reshape(N_JURISDICTIONS, per)
    first = -rng.integers(0, 1461, size=N_JURISDICTIONS)
    starts = (first[:, None] + np.concatenate(
        [np.zeros((N_JURISDICTIONS, 1), int), np.cumsum(length, axis=1)[:, :-1]], axis=1))
    ends = starts + length
    start = START + starts.ravel()
    end = (START + ends.ravel()).astype("datetime64[D]")
    keep = start <= AS_OF
    last = np.append(j[1:] != j[:-1], True) | (np.append(start[1:], AS_OF + 1) > AS_OF)
    reelected = rng.random(j.size) < 0.2
    hk = k.copy()
    hk[reelected & (k > 0)] -= 1  # the same holder as the previous term
    df = pd.DataFrame({
        "jurisdiction": pd.Series([f"J{x:04d}" for x in j]),
        "office": "mayor",
        "holder": [f"J{a:04d}-H{b:02d}" for a, b in zip(j, hk, strict=True)],
        "start": start.astype("datetime64[ns]"),
        "end": np.where(last, np.datetime64("NaT"), end).astype("datetime64[ns]"),
        "term_id": [f"J{a:04d}-T{b:02d}" for a, b in zip(j, k, strict=True)],
    })
    df = df[keep].reset_index(drop=True)
    return df


def add_multilateral(agreements: pd.DataFrame, parties: pd.DataFrame, k: int, rng):
    """The tables with one more instrument, of ``k`` parties, signed 1990, open."""
    names = np.array([f"J{x:04d}" for x in rng.choice(N_JURISDICTIONS, k, replace=False)],
                     dtype=object)
    a = pd.DataFrame({"agreement_id": ["MULTI"], "signed": [pd.Timestamp("1990-01-01")],
                      "expires": [pd.NaT]}).astype(agreements.dtypes.to_dict())
    p = pd.DataFrame({"agreement_id": "MULTI", "jurisdiction": names})
    return (pd.concat([agreements, a], ignore_index=True),
            pd.concat([parties, p], ignore_index=True))


def make_agreements(n: int, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    signed = START + rng.integers(0, int((AS_OF - START).astype(np.int64)) - 180, size=n)
    expires = signed + 365 * rng.integers(1, 11, size=n)
    expires = np.where(rng.random(n) < 0.7, expires, np.datetime64("NaT"))
    ids = pd.Series(np.char.add("A", np.char.zfill(np.arange(n).astype(str), 7)), dtype=object)
    agreements = pd.DataFrame({"agreement_id": ids,
                               "signed": signed.astype("datetime64[ns]"),
                               "expires": expires.astype("datetime64[ns]")})
    a = rng.integers(0, N_JURISDICTIONS, size=n)
    b = (a + rng.integers(1, N_JURISDICTIONS, size=n)) % N_JURISDICTIONS
    names = np.array([f"J{x:04d}" for x in range(N_JURISDICTIONS)], dtype=object)
    parties = pd.DataFrame({"agreement_id": np.repeat(ids.to_numpy(), 2),
                            "jurisdiction": np.column_stack([names[a], names[b]]).ravel()})
    return agreements, parties


# ------------------------------------------------------------------------------ baselines


def arrays(terms: pd.DataFrame, agreements: pd.DataFrame, parties: pd.DataFrame):
    """Plain arrays for the baselines: units (lo, hi, j1, j2) and sorted term breakpoints."""
    jcode = terms["jurisdiction"].str.slice(1).astype(int).to_numpy()
    tstart = terms["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    lo = agreements["signed"].to_numpy().astype("datetime64[D]").astype(np.int64)
    exp = agreements["expires"].to_numpy().astype("datetime64[D]")
    as_of = int(AS_OF.astype(np.int64))
    hi = np.where(np.isnat(exp) | (exp.astype(np.int64) > as_of), as_of, exp.astype(np.int64))
    pj = parties["jurisdiction"].str.slice(1).astype(int).to_numpy().reshape(-1, 2)
    return jcode, tstart, lo, hi, pj[:, 0], pj[:, 1]


S, SH = 1 << 19, 1 << 18


def numpy_split(jcode, tstart, lo, hi, j1, j2):
    """The floor: split [lo, hi) at every term start of either party, look up both terms."""
    bkey = np.sort(jcode * S + tstart + SH)
    n = len(lo)
    us, ds = [np.arange(n), np.arange(n)], [lo, hi]
    for j in (j1, j2):
        left = np.searchsorted(bkey, j * S + lo + SH, side="right")
        right = np.searchsorted(bkey, j * S + hi + SH, side="left")
        cnt = right - left
        idx = np.repeat(left - (np.cumsum(cnt) - cnt), cnt) + np.arange(cnt.sum())
        us.append(np.repeat(np.arange(n), cnt))
        ds.append(bkey[idx] % S - SH)
    key = np.concatenate([u * S + d + SH for u, d in zip(us, ds, strict=True)])
    key.sort(kind="stable")
    key = key[np.append(True, key[1:] != key[:-1])]
    u, d = key // S, key % S - SH
    ep = np.flatnonzero(u[1:] == u[:-1])
    eu, start, stop = u[ep], d[ep], d[ep + 1]
    terms = [np.searchsorted(bkey, j[eu] * S + start + SH, side="right") - 1 for j in (j1, j2)]
    return eu, start, stop, terms[0], terms[1]


def numpy_cut(jcode, tstart, lo, hi, j1, j2):
    """The bare cut: split [lo, hi) at every term start of either party, nothing else.

    The same intervals at the same change dates as ``numpy_split``, without its term lookup:
    no columns beyond (unit, start, stop), no options, no DataFrame. The floor of issue 8.
    """
    bkey = np.sort(jcode * S + tstart + SH)
    n = len(lo)
    us, ds = [np.arange(n), np.arange(n)], [lo, hi]
    for j in (j1, j2):
        left = np.searchsorted(bkey, j * S + lo + SH, side="right")
        right = np.searchsorted(bkey, j * S + hi + SH, side="left")
        cnt = right - left
        idx = np.repeat(left - (np.cumsum(cnt) - cnt), cnt) + np.arange(cnt.sum())
        us.append(np.repeat(np.arange(n), cnt))
        ds.append(bkey[idx] % S - SH)
    key = np.concatenate([u * S + d + SH for u, d in zip(us, ds, strict=True)])
    key.sort(kind="stable")
    key = key[np.append(True, key[1:] != key[:-1])]
    u, d = key // S, key % S - SH
    ep = np.flatnonzero(u[1:] == u[:-1])
    return u[ep], d[ep], d[ep + 1]


def pandas_split(terms: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Naive: merge each party's terms, keep the overlapping ones, intersect the two parties."""
    t = terms[["jurisdiction", "start", "end", "term_id"]].copy()
    t["end"] = t["end"].fillna(pd.Timestamp(AS_OF) + pd.Timedelta(days=1))
    sides = []
    for side in ("j1", "j2"):
        m = units[["unit", side, "lo", "hi"]].merge(t, left_on=side, right_on="jurisdiction")
        m = m[(m["start"] < m["hi"]) & (m["end"] > m["lo"])]
        sides.append(m[["unit", "lo", "hi", "start", "end", "term_id"]])
    m = sides[0].merge(sides[1][["unit", "start", "end", "term_id"]], on="unit",
                       suffixes=("_1", "_2"))
    start = np.maximum(np.maximum(m["start_1"], m["start_2"]), m["lo"])
    stop = np.minimum(np.minimum(m["end_1"], m["end_2"]), m["hi"])
    keep = (start < stop).to_numpy()
    out = pd.DataFrame({"unit": m["unit"].to_numpy()[keep], "start": start[keep],
                        "stop": stop[keep], "term_id_1": m["term_id_1"].to_numpy()[keep],
                        "term_id_2": m["term_id_2"].to_numpy()[keep]})
    return out.sort_values(["unit", "start"], kind="stable", ignore_index=True)


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
u <- read.csv(file.path(args[1], "units.csv"))
b <- read.csv(file.path(args[1], "breaks.csv"))
invisible(gc())
tm <- system.time({
  d <- tmerge(u, u, id = id, tstart = t0, tstop = t1)
  d <- tmerge(d, b[b$party == 1, ], id = id, term_1 = tdc(time, term))
  d <- tmerge(d, b[b$party == 2, ], id = id, term_2 = tdc(time, term))
})
cat(tm[["elapsed"]], nrow(d), "\n")
"""


def r_tmerge(jcode, tstart, lo, hi, j1, j2, workdir: Path) -> tuple[float, int] | None:
    """R's tmerge on the same intervals; seconds inside R and rows, or None without R."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    order = np.lexsort((tstart, jcode))
    jc, ts = jcode[order], tstart[order]
    n = len(lo)
    pd.DataFrame({"id": np.arange(n), "t0": 0, "t1": hi - lo}).to_csv(
        workdir / "units.csv", index=False)
    frames = []
    for p, j in ((1, j1), (2, j2)):
        left = np.searchsorted(jc, j, side="left")
        right = np.searchsorted(jc, j, side="right")
        cnt = right - left
        idx = np.repeat(left - (np.cumsum(cnt) - cnt), cnt) + np.arange(cnt.sum())
        u = np.repeat(np.arange(n), cnt)
        frames.append(pd.DataFrame({"id": u, "party": p, "time": ts[idx] - lo[u], "term": idx}))
    pd.concat(frames).to_csv(workdir / "breaks.csv", index=False)
    (workdir / "bench.R").write_text(R_SCRIPT)
    done = subprocess.run([rscript, str(workdir / "bench.R"), str(workdir)], check=True,
                          capture_output=True, text=True)
    secs, rows = done.stdout.split()
    return float(secs), int(rows)


def lifelines_split(terms: pd.DataFrame, units: pd.DataFrame) -> float | None:
    try:
        from lifelines.utils import add_covariate_to_timeline
    except ImportError:
        return None
    base = pd.DataFrame({"id": units["unit"], "start": 0,
                         "stop": (units["hi"] - units["lo"]).dt.days, "event": False})
    cv = []
    for side in ("j1", "j2"):
        m = units[["unit", side, "lo"]].merge(terms, left_on=side, right_on="jurisdiction")
        m = m[m["start"] < m["lo"] + (units["hi"] - units["lo"]).max()]
        cv.append(pd.DataFrame({"id": m["unit"], "time": np.maximum(
            (m["start"] - m["lo"]).dt.days, 0), f"term_{side}": m.index}))
    t0 = time.perf_counter()
    out = base
    for c in cv:
        out = add_covariate_to_timeline(out, c, duration_col="time", id_col="id",
                                        event_col="event")
    return time.perf_counter() - t0


# ------------------------------------------------------------------------------ measuring


def timed(fn, *args, repeat=1):
    best, out = np.inf, None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak(fn, *args):
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    out = fn(*args)
    mem = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    gc.collect()
    return mem


def held(fn, *args):
    """Memory held by the result of ``fn`` (tracemalloc): categories shared by several
    categorical columns count once, as they are stored, unlike ``memory_usage(deep=True)``."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(*args)
    gc.collect()
    mem = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del out
    gc.collect()
    return mem


def mb(x):
    return f"{x / 2**20:,.0f} MB"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1e4, 1e5, 1e6])
    ap.add_argument("--no-r", action="store_true", help="skip R's tmerge")
    ap.add_argument("--no-pandas", action="store_true", help="skip the naive pandas merge")
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--seed", type=int, default=20150917)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    multi_rng = np.random.default_rng(args.seed + 1)  # its own stream: the data above stay
    terms = make_terms(rng)
    rows = []
    for size in args.sizes:
        n = int(size)
        agreements, parties = make_agreements(n, rng)
        t_build, study = timed(partial(ct.Study, terms, agreements, parties, as_of=str(AS_OF)))
        t_ep, ep = timed(study.episodes, repeat=5 if n <= 100_000 else 2)
        out_bytes = int(ep.memory_usage(deep=True).sum())
        arr = arrays(terms, agreements, parties)
        t_np, (eu, *_rest) = timed(numpy_split, *arr, repeat=5 if n <= 100_000 else 2)
        assert len(eu) == len(ep), (len(eu), len(ep))  # the same episodes
        t_cut, (cu, *_rest) = timed(numpy_cut, *arr, repeat=5 if n <= 100_000 else 2)
        assert len(cu) == len(ep), (len(cu), len(ep))
        row = {"n": n, "episodes": len(ep), "build_s": t_build, "episodes_s": t_ep,
               "numpy_s": t_np, "ratio": t_ep / t_np, "output_bytes": out_bytes,
               "cut_s": t_cut}
        units = pd.DataFrame({"unit": np.arange(n),
                              "j1": parties["jurisdiction"].to_numpy()[0::2],
                              "j2": parties["jurisdiction"].to_numpy()[1::2],
                              "lo": agreements["signed"].to_numpy(),
                              "hi": (arr[3].astype("datetime64[D]")).astype("datetime64[ns]")})
        if not args.no_pandas:
            t_pd, pdout = timed(pandas_split, terms, units)
            assert len(pdout) == len(ep), (len(pdout), len(ep))
            row["pandas_s"] = t_pd
            del pdout
        if not args.no_r:
            with tempfile.TemporaryDirectory() as tmp:
                res = r_tmerge(*arr, Path(tmp))
            if res is not None:
                row["r_s"], r_rows = res
                assert r_rows == len(ep), (r_rows, len(ep))
        if n <= 10_000:
            row["lifelines_s"] = lifelines_split(terms, units)
        narrow = partial(study.episodes, leaders="none")
        row["none_s"], ep_none = timed(narrow, repeat=5 if n <= 100_000 else 2)
        row["n_columns"], row["none_columns"] = ep.shape[1], ep_none.shape[1]
        row["cut_ratio"], row["none_cut_ratio"] = t_ep / t_cut, row["none_s"] / t_cut
        del ep_none
        row["wide_bytes"], row["none_bytes"] = held(study.episodes), held(narrow)
        # one instrument of 43 parties among the bilateral ones (the ATOP case)
        multi = ct.Study(terms, *add_multilateral(agreements, parties, MULTI_K, multi_rng),
                         as_of=str(AS_OF))
        for name, leaders in (("multi_wide", "wide"), ("multi_none", "none")):
            row[f"{name}_s"], out = timed(partial(multi.episodes, leaders=leaders),
                                          repeat=3 if n <= 100_000 else 1)
            row[f"{name}_columns"] = out.shape[1]
            del out
            row[f"{name}_bytes"] = held(partial(multi.episodes, leaders=leaders))
        if not args.no_memory:
            del ep
            row["episodes_peak"] = peak(study.episodes)
            row["none_peak"] = peak(narrow)
            row["multi_wide_peak"] = peak(partial(multi.episodes, leaders="wide"))
            row["multi_none_peak"] = peak(partial(multi.episodes, leaders="none"))
            row["numpy_peak"] = peak(numpy_split, *arr)
            if not args.no_pandas:
                row["pandas_peak"] = peak(pandas_split, terms, units)
        del multi
        rows.append(row)
        print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()},
              flush=True)
        del study
        gc.collect()
    write(rows, args)


def write(rows, args):
    def s(x):
        return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:,.2f} s"

    cmd = "python benchmarks/bench_episodes.py " + " ".join(
        sys.argv[1:] if len(sys.argv) > 1 else [])
    lines = [
        "## Episodes: `study.episodes()`",
        "",
        f"Reproduce: `{cmd.strip()}` (from the repository root; seed {args.seed}).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"continuity {ct.__version__}. Data: {N_JURISDICTIONS:,} jurisdictions with four-year "
        f"terms over {YEARS} years (about 19 each, 20% re-elections), n instruments between two "
        "of them, signed 1950-2025, 70% expiring 1-10 years later; as_of 2025-12-31. "
        "`study.episodes()` and the numpy split: best of 5 runs up to 1e5, of 2 at 1e6; the "
        "others one run. Times are wall-clock seconds, on a machine shared with other jobs "
        "(expect +-30% between runs).",
        "",
        "| n | episodes | build Study | `study.episodes()` | bare numpy split | ratio | "
        "naive pandas | R `tmerge` | lifelines |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:.0e} | {r['episodes']:,} | {s(r['build_s'])} | {s(r['episodes_s'])} | "
            f"{s(r['numpy_s'])} | {r['ratio']:.1f}x | {s(r.get('pandas_s'))} | "
            f"{s(r.get('r_s'))} | "
            + (s(r.get("lifelines_s")) if r["n"] <= 10_000 and r.get("lifelines_s")
               else ("not installed" if r["n"] <= 10_000 else "-")) + " |")
    if any("episodes_peak" in r for r in rows):
        lines += [
            "",
            "Peak memory above the memory held before the call (tracemalloc), against the size "
            "of the output table (`DataFrame.memory_usage(deep=True)`):",
            "",
            "| n | output table | `study.episodes()` peak | peak / output | bare numpy peak | "
            "naive pandas peak |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            if "episodes_peak" not in r:
                continue
            lines.append(
                f"| {r['n']:.0e} | {mb(r['output_bytes'])} | {mb(r['episodes_peak'])} | "
                f"{r['episodes_peak'] / r['output_bytes']:.1f}x | {mb(r['numpy_peak'])} | "
                + (mb(r["pandas_peak"]) if "pandas_peak" in r else "n/a") + " |")
    lines += [
        "",
        f"`leaders=\"wide\"` (the default) against `leaders=\"none\"`: the bilateral study "
        f"above, and the same with one more instrument of {MULTI_K} parties (open since 1990) "
        "whose slots widen every row. Time: best of 5 (bilateral) or 3 (with the "
        f"{MULTI_K}-party one) runs up to 1e5; output: the memory the table holds "
        "(tracemalloc; categories shared by the slot columns count once); peak as above.",
        "",
        "| n | study | columns wide / none | time wide / none | output wide / none | "
        "peak wide / none |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        pk = ("episodes_peak" in r)
        lines.append(
            f"| {r['n']:.0e} | bilateral | {r['n_columns']} / {r['none_columns']} | "
            f"{s(r['episodes_s'])} / {s(r['none_s'])} | {mb(r['wide_bytes'])} / "
            f"{mb(r['none_bytes'])} | "
            + (f"{mb(r['episodes_peak'])} / {mb(r['none_peak'])}" if pk else "n/a") + " |")
        lines.append(
            f"| {r['n']:.0e} | + one of {MULTI_K} parties | {r['multi_wide_columns']} / "
            f"{r['multi_none_columns']} | {s(r['multi_wide_s'])} / {s(r['multi_none_s'])} | "
            f"{mb(r['multi_wide_bytes'])} / {mb(r['multi_none_bytes'])} | "
            + (f"{mb(r['multi_wide_peak'])} / {mb(r['multi_none_peak'])}" if pk else "n/a")
            + " |")
    lines += [
        "",
        "Against the bare cut (`numpy_cut`: the same intervals cut at the same term starts, no "
        "term lookup, no columns beyond unit, start, stop; issue 8's targets are 2x for "
        "`leaders=\"none\"` and 3x for the default at 1e6):",
        "",
        "| n | bare cut | `episodes(leaders=\"none\")` | ratio | `episodes()` | ratio |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['n']:.0e} | {s(r['cut_s'])} | {s(r['none_s'])} | "
                     f"{r['none_cut_ratio']:.1f}x | {s(r['episodes_s'])} | {r['cut_ratio']:.1f}x |")
    per = ", ".join(f"{r['n']:.0e}: {r['episodes_s'] / r['episodes'] * 1e6:.2f} s "
                    f"(numpy {r['numpy_s'] / r['episodes'] * 1e6:.2f} s)" for r in rows)
    lines += [
        "",
        f"Seconds per million episodes, `study.episodes()` (bare numpy): {per}.",
        "",
        "The bare numpy split computes only the episodes' (unit, start, stop) and each party's "
        "term by `searchsorted`; `study.episodes()` also resolves units and options, counts "
        "changes, signer and days since change, and builds the typed DataFrame. R's time is "
        "measured inside R around the `tmerge` calls (one `tdc` per party), reading CSVs "
        "excluded; every method is checked to give the same number of episodes.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
