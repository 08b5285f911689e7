"""Benchmark of continuity.cox against R's survival::coxph and lifelines' CoxTimeVaryingFitter.

Synthetic data of the size of a large registry panel: 100,000 two-party instruments, each living
an exponential time (days) and split into episodes at the leader changes of either party (about
8 episodes each, about 825,000 counting-process rows), with two covariates: ``post_change``
(0 before the first leader change, 1 after) and a continuous ``capacity`` fixed per instrument.
Times are whole days, so events and entry/exit times are tied as in real registries. The model is
``Surv(t_start, t_stop, event) ~ post_change + capacity``, Efron ties, clustered by instrument.

Run from the repository root::

    python benchmarks/bench_cox.py                       # full size, R if Rscript exists
    python benchmarks/bench_cox.py --lifelines-python /path/to/venv/bin/python

lifelines (which needs pandas < 3) is run on two subsamples of instruments, in the current
interpreter if it can import lifelines, else in the interpreter given by ``--lifelines-python``;
its time is extrapolated to the full number of rows, linearly and with the growth seen between
the two subsamples (estimates, said so in the output).
The figures go to ``benchmarks/results/cox.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from continuity.coxph import cox

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "cox.md"
COVARIATES = ["post_change", "capacity"]


def simulate_instruments(n_instruments: int, seed: int = 2015) -> pd.DataFrame:
    """Counting-process rows of ``n_instruments`` two-party instruments, in whole days.

    Each round draws, for every instrument still alive, the days to the next leader change of
    either party and the days to the instrument's end under its current hazard; the earlier one
    closes the episode. The loop is over rounds (episodes), vectorised over instruments.
    """
    rng = np.random.default_rng(seed)
    capacity = np.round(rng.normal(size=n_instruments), 3)
    base_rate = 1 / 1500  # per day: about 4 years
    change_rate = 1 / 150  # leader changes of either party, per day
    horizon = 20 * 365
    beta = np.array([0.4, -0.3])  # true log hazard ratios of post_change, capacity
    ids, starts, stops, events, posts = [], [], [], [], []
    alive = np.arange(n_instruments)
    t = np.zeros(n_instruments)
    post = np.zeros(n_instruments)
    while alive.size:
        rate = base_rate * np.exp(beta[0] * post[alive] + beta[1] * capacity[alive])
        to_end = 1 + np.floor(rng.exponential(1 / rate))
        to_change = 1 + np.floor(rng.exponential(1 / change_rate, size=alive.size))
        start = t[alive]
        step = np.minimum(to_end, to_change)
        stop = np.minimum(start + step, horizon)
        event = (to_end <= to_change) & (start + to_end <= horizon)
        ids.append(alive)
        starts.append(start)
        stops.append(stop)
        events.append(event)
        posts.append(post[alive].copy())
        t[alive] = stop
        post[alive] = 1.0
        alive = alive[~event & (stop < horizon)]
    rows = pd.DataFrame(
        {
            "instrument": np.concatenate(ids),
            "t_start": np.concatenate(starts),
            "t_stop": np.concatenate(stops),
            "event": np.concatenate(events).astype(np.int8),
            "post_change": np.concatenate(posts).astype(np.int8),
        }
    )
    rows["capacity"] = capacity[rows["instrument"].to_numpy()]
    return rows.sort_values(["instrument", "t_start"], kind="stable").reset_index(drop=True)


def time_ours(rows: pd.DataFrame, repeats: int) -> tuple[float, pd.DataFrame, object]:
    times = []
    fit = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        fit = cox(rows, COVARIATES, cluster="instrument", ties="efron")
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), fit.summary, fit


def peak_memory(rows: pd.DataFrame) -> float:
    """Peak memory (MiB) allocated during one fit, as tracemalloc sees numpy and pandas."""
    tracemalloc.start()
    cox(rows, COVARIATES, cluster="instrument", ties="efron")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
tm <- system.time(
  fit <- coxph(Surv(t_start, t_stop, event) ~ post_change + capacity, data = d,
               ties = "efron", cluster = instrument)
)
out <- list(seconds = unname(tm["elapsed"]), coef = unname(coef(fit)),
            se = unname(sqrt(diag(fit$naive.var))), robust_se = unname(sqrt(diag(fit$var))),
            loglik = fit$loglik, iter = fit$iter,
            version = as.character(packageVersion("survival")))
cat(sprintf('{"seconds": %.17g, "coef": [%.17g, %.17g], "se": [%.17g, %.17g],
  "robust_se": [%.17g, %.17g], "loglik": [%.17g, %.17g], "iter": %d, "version": "%s"}',
  out$seconds, out$coef[1], out$coef[2], out$se[1], out$se[2], out$robust_se[1],
  out$robust_se[2], out$loglik[1], out$loglik[2], out$iter, out$version))
"""

LIFELINES_SCRIPT = r"""
import json, sys, time
import pandas as pd
from lifelines import CoxTimeVaryingFitter
d = pd.read_csv(sys.argv[1])
t0 = time.perf_counter()
m = CoxTimeVaryingFitter()
m.fit(d[["instrument", "t_start", "t_stop", "event", "post_change", "capacity"]],
      id_col="instrument", start_col="t_start", stop_col="t_stop", event_col="event")
seconds = time.perf_counter() - t0
import lifelines
print(json.dumps({"seconds": seconds, "coef": m.params_.loc[["post_change", "capacity"]].tolist(),
                  "se": m.standard_errors_.loc[["post_change", "capacity"]].tolist(),
                  "version": lifelines.__version__}))
"""


def run_r(csv: Path, workdir: Path) -> dict | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    script = workdir / "bench_cox.R"
    script.write_text(R_SCRIPT)
    out = subprocess.run([rscript, str(script), str(csv)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def lifelines_python(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    try:
        import lifelines  # noqa: F401
    except ImportError:
        return None
    return sys.executable


def run_lifelines(python: str, csv: Path, workdir: Path) -> dict:
    script = workdir / "bench_cox_lifelines.py"
    script.write_text(LIFELINES_SCRIPT)
    out = subprocess.run([python, str(script), str(csv)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def rel(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.abs(b)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instruments", type=int, default=100_000)
    parser.add_argument("--lifelines-instruments", type=int, default=8_000,
                        help="largest lifelines subsample (half of it is run too)")
    parser.add_argument("--lifelines-python", default=None,
                        help="interpreter that can import lifelines (e.g. a venv with pandas<3)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-r", action="store_true", help="skip R even if Rscript exists")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    t0 = time.perf_counter()
    rows = simulate_instruments(args.instruments)
    gen_seconds = time.perf_counter() - t0
    n_rows, n_events = len(rows), int(rows["event"].sum())
    print(f"{args.instruments:,} instruments, {n_rows:,} rows, {n_events:,} events "
          f"(generated in {gen_seconds:.1f} s)")

    ours_s, ours, fit = time_ours(rows, args.repeats)
    print(f"continuity.cox: {ours_s:.2f} s (median of {args.repeats}), "
          f"{fit.iterations} iterations")
    print(ours.to_string(index=False))
    quarter = rows[rows["instrument"] < args.instruments // 4]
    mem_full, mem_quarter = peak_memory(rows), peak_memory(quarter)
    print(f"peak memory of one fit: {mem_full:.0f} MiB ({n_rows:,} rows), "
          f"{mem_quarter:.0f} MiB ({len(quarter):,} rows)")
    breslow_s = time.perf_counter()
    cox(rows, COVARIATES, cluster="instrument", ties="breslow")
    breslow_s = time.perf_counter() - breslow_s
    plain_s = time.perf_counter()
    cox(rows, COVARIATES, ties="efron")
    plain_s = time.perf_counter() - plain_s

    r_res = life = None
    life_runs: list[dict] = []
    life_rows = 0
    life_ours = None
    with tempfile.TemporaryDirectory(prefix="continuity_bench_cox_") as tmp:
        workdir = Path(tmp)
        if not args.no_r and shutil.which("Rscript"):
            csv = workdir / "rows.csv"
            rows.to_csv(csv, index=False)
            r_res = run_r(csv, workdir)
            print(f"R survival {r_res['version']} coxph: {r_res['seconds']:.2f} s")
        py = lifelines_python(args.lifelines_python)
        if py is not None:
            # two subsample sizes, to see how lifelines' time grows with the rows
            for k, size in enumerate((args.lifelines_instruments // 2, args.lifelines_instruments)):
                sub = rows[rows["instrument"] < size]
                csv = workdir / f"rows_sub{k}.csv"
                sub.to_csv(csv, index=False)
                res = run_lifelines(py, csv, workdir)
                res["rows"] = len(sub)
                life_runs.append(res)
                print(f"lifelines {res['version']} CoxTimeVaryingFitter: {res['seconds']:.2f} s "
                      f"on {len(sub):,} rows")
            life = life_runs[-1]
            life_rows = life["rows"]
            life_ours = cox(sub, COVARIATES, ties="efron").summary

    lines = [
        "## Cox proportional hazards on counting-process rows (`continuity.cox`)",
        "",
        f"Data: {args.instruments:,} synthetic two-party instruments (exponential lives in whole "
        f"days, split at leader changes), **{n_rows:,} rows**, {n_events:,} events, model "
        "`Surv(t_start, t_stop, event) ~ post_change + capacity`, Efron ties, robust variance "
        "clustered by instrument. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"load average {os.getloadavg()[0]:.1f} at the end of the run (the machine is shared, "
        "so wall times vary between runs; R and continuity run one after the other on it).",
        "",
        "| implementation | seconds | vs continuity |",
        "|---|---:|---:|",
        f"| continuity.cox (median of {args.repeats}) | {ours_s:.2f} | 1 |",
    ]
    if r_res is not None:
        lines.append(f"| R survival {r_res['version']} `coxph` (fit only, CSV read not timed) | "
                     f"{r_res['seconds']:.2f} | {r_res['seconds'] / ours_s:.0f}x slower |")
    if life is not None:
        small, large = life_runs
        growth = np.log(large["seconds"] / small["seconds"]) / np.log(large["rows"] / small["rows"])
        linear = life["seconds"] * n_rows / life_rows
        power = life["seconds"] * (n_rows / life_rows) ** max(growth, 1.0)
        lines.append(
            f"| lifelines {life['version']} `CoxTimeVaryingFitter` (no cluster option), "
            f"**extrapolated** from {small['seconds']:.1f} s on {small['rows']:,} rows and "
            f"{large['seconds']:.1f} s on {large['rows']:,} rows (time grows as rows^"
            f"{growth:.2f} there): linear scaling / that power | ~{linear:.0f} / ~{power:.0f} "
            f"| ~{linear / ours_s:.0f}x / ~{power / ours_s:.0f}x slower |"
        )
    lines += [
        "",
        f"Also: Breslow ties with cluster {breslow_s:.2f} s; Efron without cluster "
        f"{plain_s:.2f} s; "
        f"{fit.iterations} Newton-Raphson iterations. Peak memory of one fit (tracemalloc): "
        f"{mem_full:.0f} MiB for {n_rows:,} rows, {mem_quarter:.0f} MiB for {len(quarter):,} rows "
        "(linear in rows).",
        "",
    ]
    if r_res is not None:
        lines += [
            "Agreement with R (largest relative difference): "
            f"coef {rel(ours['coef'], r_res['coef']):.1e}, "
            f"se {rel(ours['std_error'], r_res['se']):.1e}, "
            f"robust se {rel(ours['robust_se'], r_res['robust_se']):.1e}, "
            f"loglik {rel(fit.loglik, r_res['loglik']):.1e}; iterations "
            f"{fit.iterations} (ours) and {r_res['iter']} (R).",
            "",
        ]
    if life is not None:
        lines += [
            f"Agreement with lifelines on its {life_rows:,}-row subsample (no cluster): "
            f"coef {rel(life_ours['coef'], life['coef']):.1e}, "
            f"se {rel(life_ours['std_error'], life['se']):.1e}.",
            "",
        ]
    lines += [
        "Reproduce: `python benchmarks/bench_cox.py` (R via `Rscript` when installed; lifelines "
        "needs pandas < 3, so give it its own interpreter: `python -m venv /tmp/ll && "
        "/tmp/ll/bin/pip install lifelines && python benchmarks/bench_cox.py "
        "--lifelines-python /tmp/ll/bin/python`).",
        "",
    ]
    text = "\n".join(lines)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
