"""Does Cox on the episodes recover the transition hazard ratio that simulate_study put in?

For each study size and true hazard ratio, R studies are drawn with
:func:`continuity.simulate.simulate_study` (the hazard of ending is multiplied by the hazard ratio
in the 365 days after a leader change at either party), split with
``study.episodes(window=365)`` and fitted with ``continuity.cox(..., ["post_change"],
cluster="agreement_id")``. Reported per setting: the bias of the log hazard ratio (with its Monte
Carlo standard error), the empirical standard deviation of the estimates beside the mean model
and robust standard errors, and the coverage of the 95% confidence intervals (robust, and
model-based for comparison) with its Monte Carlo standard error sqrt(p (1 - p) / R).

This is a script, not a test. Run from the repository root:

    python validation/recover_transition_hazard.py            # updates validation/RESULTS.md
    python validation/recover_transition_hazard.py --reps 50 --out -   # quick look, to stdout

The figures go between the ``generated`` markers of RESULTS.md; the reading written below them
is kept (re-read it against the new figures). Replications run in parallel with joblib when it
is installed (``--jobs``), serially otherwise. Every replication has its own seed,
``numpy.random.default_rng([seed, setting, replication])``, so the figures are the same
serial or parallel.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import continuity as ct
from continuity.simulate import simulate_study

WINDOW = 365
N_JURISDICTIONS = 20


def one_fit(n_instruments: int, hazard_ratio: float, seed: list[int]) -> dict:
    """Simulate one study, fit Cox on its episodes and return the figures of the fit."""
    study = simulate_study(n_instruments, N_JURISDICTIONS, hazard_ratio=hazard_ratio,
                           window=WINDOW, seed=np.random.default_rng(seed))
    ep = study.episodes(window=WINDOW)
    fit = ct.cox(ep, ["post_change"], cluster="agreement_id")
    row = fit.summary.iloc[0]
    return {"coef": float(row["coef"]), "std_error": float(row["std_error"]),
            "robust_se": float(row["robust_se"]), "n_events": fit.n_events,
            "converged": fit.converged,
            "exposed_share": float(((ep["t_stop"] - ep["t_start"]) * ep["post_change"]).sum()
                                   / (ep["t_stop"] - ep["t_start"]).sum())}


def summarise(fits: pd.DataFrame, truth: float, reps: int) -> dict:
    z = stats.norm.ppf(0.975)
    est, se, rse = fits["coef"], fits["std_error"], fits["robust_se"]
    cover = ((est - z * rse <= truth) & (truth <= est + z * rse)).mean()
    cover_model = ((est - z * se <= truth) & (truth <= est + z * se)).mean()
    return {
        "mean_events": fits["n_events"].mean(),
        "exposed_share": fits["exposed_share"].mean(),
        "bias": est.mean() - truth,
        "bias_mcse": est.std(ddof=1) / np.sqrt(reps),
        "empirical_se": est.std(ddof=1),
        "mean_model_se": se.mean(),
        "mean_robust_se": rse.mean(),
        "coverage": cover,
        "coverage_mcse": np.sqrt(cover * (1 - cover) / reps),
        "coverage_model_se": cover_model,
        "not_converged": int((~fits["converged"]).sum()),
    }


def run(sizes, hazard_ratios, reps, seed, jobs):
    settings = [(n, hr) for n in sizes for hr in hazard_ratios]
    tasks = [(n, hr, [seed, k, r]) for k, (n, hr) in enumerate(settings) for r in range(reps)]
    try:
        from joblib import Parallel, delayed
    except ImportError:
        engine = "serial (joblib not installed)"
        results = [one_fit(*t) for t in tasks]
    else:
        engine = f"joblib, n_jobs={jobs}"
        results = Parallel(n_jobs=jobs)(delayed(one_fit)(*t) for t in tasks)
    fits = pd.DataFrame(results)
    fits["setting"] = np.repeat(np.arange(len(settings)), reps)
    rows = []
    for k, (n, hr) in enumerate(settings):
        rows.append({"n_instruments": n, "hazard_ratio": hr, "log_hr": np.log(hr),
                     **summarise(fits[fits["setting"] == k], np.log(hr), reps)})
    return pd.DataFrame(rows), engine


def to_markdown(table: pd.DataFrame) -> str:
    cols = list(table.columns)
    fmt = {"n_instruments": "{:.0f}", "hazard_ratio": "{:.1f}", "log_hr": "{:.3f}",
           "mean_events": "{:.0f}", "exposed_share": "{:.3f}", "bias": "{:+.4f}",
           "bias_mcse": "{:.4f}", "empirical_se": "{:.4f}", "mean_model_se": "{:.4f}",
           "mean_robust_se": "{:.4f}", "coverage": "{:.3f}", "coverage_mcse": "{:.3f}",
           "coverage_model_se": "{:.3f}", "not_converged": "{:.0f}"}
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in table.iterrows():
        lines.append("| " + " | ".join(fmt[c].format(float(r[c])) for c in cols) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=200, help="replications per setting")
    p.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000],
                   help="numbers of instruments")
    p.add_argument("--hazard-ratios", type=float, nargs="+", default=[1.0, 1.5, 2.0])
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--jobs", type=int, default=2, help="joblib workers, when joblib is installed")
    p.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")),
                   help="markdown file to write ('-' for stdout)")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    table, engine = run(args.sizes, args.hazard_ratios, args.reps, args.seed, args.jobs)
    elapsed = time.perf_counter() - t0
    command = "python validation/recover_transition_hazard.py"
    defaults = p.parse_args([])
    for name in ("reps", "sizes", "hazard_ratios", "seed"):
        if getattr(args, name) != getattr(defaults, name):
            value = getattr(args, name)
            value = " ".join(map(str, value)) if isinstance(value, list) else value
            command += f" --{name.replace('_', '-')} {value}"
    text = "\n".join([
        "## Recovery of the transition hazard ratio",
        "",
        f"Command: `{command}` ({engine}; {elapsed:.0f} s on {platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}).",
        "",
        f"{args.reps} replications per row. Each: `simulate_study(n_instruments, "
        f"{N_JURISDICTIONS}, hazard_ratio=HR, window={WINDOW})` over 2000-01-01 to 2019-12-31 "
        "(terms of about 4 years, 10% followed by a caretaker spell, 30% re-elections; "
        "constant baseline hazard, median lifetime 8 years), then "
        f"`ct.cox(study.episodes(window={WINDOW}), ['post_change'], cluster='agreement_id')`. "
        "Estimand: log HR. `bias` is the mean estimate minus log HR, `bias_mcse` its Monte "
        "Carlo SE; `empirical_se` is the SD of the estimates, to compare with the mean model "
        "(inverse information) and robust (clustered by instrument) SEs; `coverage` is the "
        "share of robust 95% intervals containing log HR, `coverage_mcse` = sqrt(p(1-p)/R), "
        "`coverage_model_se` the same with model-based intervals; `exposed_share` is the share "
        "of person-time inside a post-change window.",
        "",
        to_markdown(table),
        "",
    ])
    sys.stdout.write(text)
    if args.out != "-":
        write_section(Path(args.out), text)
    return 0


def write_section(path: Path, text: str) -> None:
    """Write ``text`` between the markers in ``path``, keeping what is written around them."""
    begin, end = "<!-- generated: begin -->", "<!-- generated: end -->"
    block = f"{begin}\n{text}{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = block + "\n" + old
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
