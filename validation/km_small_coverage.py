"""Coverage of the Kaplan-Meier and cumulative-incidence intervals with 5 to 50 units.

A city's study has a handful of relationships and a few ends. Do the pointwise 95% intervals of
:func:`continuity.kaplan_meier` (conf_type "log-log", "log", "plain" and the new "exact") and of
:func:`continuity.cumulative_incidence` (the same four) cover the true probability
95% of the time at such sizes?

Design. Ends are exponential (rate 1 per unit of time); in the competing-risks setting there are
two causes with rates 0.6 and 0.4. Censoring is none, or uniform on (0, 3) (about a third
censored). Entry is at 0, or delayed (uniform on (0, 0.5)) for half the units. The interval is
read at t = log 2 (true S = 0.5) and t = 0.223 (true S = 0.8), from the step function (the
last row at or before t). With ``R`` replications per setting, the Monte Carlo standard error of
a coverage near 0.95 is about sqrt(0.95 * 0.05 / R) (1.1 points at the default R = 400). An
interval that is undefined (NaN: S = 1 or F = 0 on a log scale) counts as not covering, and
its share is reported as ``undefined``: a method that cannot give an interval has not covered
anything. Before the first exit the curve is S = 1 (F = 0), and each method's interval there is
the one it gives at S = 1 (see ``km_before_first_exit``).

This is a script, not a test. Run from the repository root:

    python validation/km_small_coverage.py               # writes validation/KM_SMALL_COVERAGE.md
    python validation/km_small_coverage.py --reps 200 --out -   # quick look, to stdout

Every replication has its own seed, ``numpy.random.default_rng([seed, setting, replication])``.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct

SIZES = (5, 10, 20, 50)
TIMES = {0.5: np.log(2.0), 0.8: -np.log(0.8)}
KM_TYPES = ("log-log", "log", "plain", "exact")
CI_TYPES = ("log-log", "log", "plain", "exact")
RATES = (0.6, 0.4)
#: Written from the run of ``--reps 400 --seed 20151``; re-read it against new figures.
READING = """## Reading

- With 5 to 10 units the normal intervals (R's log-log, log and plain) cover far less than 95%:
  down to 45-65% for S(t) = 0.8 with Kaplan-Meier, 30-50% for a cumulative incidence of 0.12.
  Half of that loss is undefined intervals (no end yet: S = 1 or F = 0 on a log scale) and the
  rest intervals too narrow around one or two events. They reach 95% only from about 20 units
  (Kaplan-Meier) or 50 units (cumulative incidence), and with delayed entry later still.
- The new `conf_type="exact"` (Clopper-Pearson on Dorey and Korn's effective sample size) never
  fell below 95% (within the Monte Carlo error) in any cell: 95-100% for Kaplan-Meier and
  95-100% for the cumulative incidence. It is conservative (wider than needed) at 5-10 units,
  which is the price of a guarantee at those sizes; at 50 units it is within a few points of
  the normal intervals.
- Use "exact" when a curve rests on a handful of units or a few ends (a city's own study);
  the log-log default is fine from a few dozen units.
"""


def draw(rng: np.random.Generator, n: int, censoring: str, entry: str) -> pd.DataFrame:
    """n units: exponential ends (two causes), optional censoring and delayed entry."""
    total = sum(RATES)
    end = rng.exponential(1.0 / total, n)
    cause = np.where(rng.random(n) < RATES[0] / total, 1, 2)
    cens = rng.uniform(0, 3, n) if censoring == "uniform(0, 3)" else np.full(n, np.inf)
    start = np.zeros(n)
    if entry == "delayed":
        start[: n // 2] = rng.uniform(0, 0.5, n // 2)
    stop = np.minimum(end, cens)
    event = end <= cens
    keep = stop > start  # units that ended before entering are never seen (left truncation)
    return pd.DataFrame(
        {"t_start": start[keep], "t_stop": stop[keep], "event": event[keep].astype(int),
         "cause": np.where(event, cause, 0)[keep]}
    )


def read_at(curve: pd.DataFrame, t: float, before_first: tuple[float, float]):
    """The interval of the step function at t; ``before_first`` before the first exit."""
    before = curve[curve["time"] <= t]
    if before.empty:
        return before_first
    row = before.iloc[-1]
    return float(row["conf_low"]), float(row["conf_high"])


def km_before_first_exit(conf_type: str, n_at_risk: int) -> tuple[float, float]:
    """What each Kaplan-Meier interval is while S = 1 (before any exit): the rows at risk are all
    still there, so "exact" is Clopper-Pearson for n of n, as continuity reports at S = 1; the
    normal intervals are undefined on the log-log scale and [1, 1] otherwise (as R)."""
    if conf_type == "log-log":
        return np.nan, np.nan
    if conf_type == "exact":
        return 0.025 ** (1.0 / n_at_risk), 1.0
    return 1.0, 1.0


def one_replication(rng, n, censoring, entry):
    """Hits (1 covered, 0 not, NaN undefined) per (estimator, conf_type, truth)."""
    rows = draw(rng, n, censoring, entry)
    out = {}
    if rows.empty:
        return out
    for conf_type in KM_TYPES:
        km = ct.kaplan_meier(rows, conf_type=conf_type)
        for s_true, t in TIMES.items():
            at_risk = int(((rows["t_start"] < t) & (rows["t_stop"] >= t)).sum())
            low, high = read_at(km, t, km_before_first_exit(conf_type, max(at_risk, 1)))
            out[("kaplan_meier", conf_type, s_true)] = (
                np.nan if np.isnan(low) or np.isnan(high) else float(low <= s_true <= high)
            )
    if rows["event"].sum() == 0:
        return out
    for conf_type in CI_TYPES:
        ci = ct.cumulative_incidence(rows, cause="cause", censored=0, conf_type=conf_type)
        ci = ci[ci["cause"] == 1]
        for t in TIMES.values():
            f_true = RATES[0] / sum(RATES) * (1.0 - np.exp(-sum(RATES) * t))
            # before the first exit F = 0: undefined on the log scales, [0, 0] on "plain",
            # Clopper-Pearson for 0 of the n at risk on "exact" (as continuity reports F = 0)
            at_risk = max(int(((rows["t_start"] < t) & (rows["t_stop"] >= t)).sum()), 1)
            first = {"plain": (0.0, 0.0), "exact": (0.0, 1 - 0.025 ** (1 / at_risk))}.get(
                conf_type, (np.nan, np.nan))
            low, high = read_at(ci, t, first) if not ci.empty else first
            out[("cumulative_incidence", conf_type, round(f_true, 3))] = (
                np.nan if np.isnan(low) or np.isnan(high) else float(low <= f_true <= high)
            )
    return out


def run(reps: int, seed: int) -> pd.DataFrame:
    records = []
    settings = [(n, c, e) for n in SIZES for c in ("none", "uniform(0, 3)")
                for e in ("at 0", "delayed")]
    for k, (n, censoring, entry) in enumerate(settings):
        hits: dict = {}
        for r in range(reps):
            rng = np.random.default_rng([seed, k, r])
            for key, value in one_replication(rng, n, censoring, entry).items():
                hits.setdefault(key, []).append(value)
        for (estimator, conf_type, truth), values in hits.items():
            v = np.asarray(values, dtype=float)
            v = np.concatenate([v, np.full(reps - v.size, np.nan)])  # empty draws: undefined
            covered = np.nan_to_num(v, nan=0.0)
            records.append(
                {"estimator": estimator, "n": n, "censoring": censoring, "entry": entry,
                 "truth": truth, "conf_type": conf_type, "coverage": covered.mean(),
                 "mc_se": np.sqrt(covered.mean() * (1 - covered.mean()) / reps),
                 "undefined": np.isnan(v).mean()}
            )
    return pd.DataFrame.from_records(records)


def to_markdown(res: pd.DataFrame, reps: int, seconds: float) -> str:
    lines = [
        "# Coverage of Kaplan-Meier and cumulative-incidence intervals at 5 to 50 units",
        "",
        f"Command: `python validation/km_small_coverage.py --reps {reps}` "
        f"({seconds:.0f} s; Python {platform.python_version()}, numpy {np.__version__}).",
        "Nominal level 95%. Cells: coverage in percent (undefined intervals, in percent, in",
        "brackets; they count as not covering). Monte Carlo standard error about "
        f"{100 * np.sqrt(0.95 * 0.05 / reps):.1f} points near 95%.",
        "",
    ]
    for estimator, part in res.groupby("estimator", sort=False):
        for truth, sub in part.groupby("truth"):
            what = "S(t)" if estimator == "kaplan_meier" else "F_1(t)"
            lines += [f"## {estimator}, true {what} = {truth}", ""]
            types = list(dict.fromkeys(sub["conf_type"]))
            lines += ["| n | censoring | entry | " + " | ".join(types) + " |",
                      "|---:|---|---|" + "---:|" * len(types)]
            for (n, cens, entry), cell in sub.groupby(["n", "censoring", "entry"], sort=False):
                cov = cell.set_index("conf_type")
                shown = [f"{100 * cov.loc[t, 'coverage']:.1f} [{100 * cov.loc[t, 'undefined']:.0f}]"
                         for t in types]
                lines.append(f"| {n} | {cens} | {entry} | " + " | ".join(shown) + " |")
            lines.append("")
    return "\n".join(lines) + READING


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20151)
    parser.add_argument("--out", default=str(Path(__file__).parent / "KM_SMALL_COVERAGE.md"))
    args = parser.parse_args()
    t0 = time.perf_counter()
    res = run(args.reps, args.seed)
    text = to_markdown(res, args.reps, time.perf_counter() - t0)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
