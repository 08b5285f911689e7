"""How large must a national study be? The design question of issue 13, item 4, by simulation.

For two designs shaped like the bundled cases (Solo's and Bandung's mayoralty: term lengths,
caretaker shares, re-election shares and activity rates read from ``continuity.datasets``), the
script answers:

1. the number of relationships needed to detect a transition hazard ratio of 1.5 and of 2
   (Cox on episodes with ``post_change``, clustered by relationship, two-sided, 5% level) with
   80% power;
2. the number of relationship-years needed to detect a 30% drop in activity after a leader
   change (``continuity.metrics.activity_change``, pooled rate ratio 0.7, exact two-sided test,
   5% level) with 80% power.

Method: a pilot of ``--pilot`` replications at a pilot size gives the events per relationship
(ends for the Cox test; activities in the compared windows for the activity test) and, for Cox,
the share of ends that fall after a change. The closed forms (Schoenfeld's events for Cox; for
the rate ratio, the Wald variance 1/n_before + 1/n_after of the log ratio) turn that into a
size; ``continuity.power`` then simulates ``--reps`` studies at that size to check that the
power is 80% within its Monte Carlo interval. Few replications per point, to keep the run
within a few minutes on two shared cores: the Monte Carlo standard error of a power near 0.8
is sqrt(0.8 * 0.2 / reps), 0.063 with 40.

Run from the repository root:

    python validation/power_design.py                 # writes validation/POWER.md
    python validation/power_design.py --reps 20 --out -
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import continuity as ct

HERE = Path(__file__).resolve().parent
DAYS_PER_YEAR = 365.25
ALPHA, POWER = 0.05, 0.8
#: Every relationship joins two of this many jurisdictions (a national registry's cities and
#: their foreign partners, all given the focal city's turnover: a simplification).
N_JURISDICTIONS = 200


def read_design(study: ct.Study, focal: str) -> tuple[ct.Design, dict]:
    """A design shaped like one bundled case: the focal city's leadership and activity."""
    office = study.offices[focal]
    terms = study.terms
    terms = terms[(terms["jurisdiction"] == focal) & (terms["office"] == office)]
    terms = terms.sort_values("start")
    end = terms["end"].fillna(study.as_of)
    years = (end - terms["start"]).dt.days / DAYS_PER_YEAR
    elected = terms["kind"].eq("elected").to_numpy()
    # regular terms: elected spells of a year or more (shorter ones fill the rest of a term)
    regular = elected & (years.to_numpy() >= 1)
    caretaker = terms["kind"].eq("caretaker").to_numpy()
    # a caretaker run: caretaker spells in a row, counted once
    runs = int(np.sum(caretaker & ~np.r_[False, caretaker[:-1]]))
    holders = terms.loc[regular, "holder"].to_numpy()
    reelected = int(np.sum(holders[1:] == holders[:-1]))
    agreements = study.agreements
    at_risk = (agreements["ended"].fillna(study.as_of) - agreements["signed"]).dt.days
    n_activities = 0 if study.activities is None else len(study.activities)
    facts = {
        "regular_terms": int(regular.sum()),
        "term_years": float(years[regular].mean()),
        "caretaker_runs": runs,
        "caretaker_share": runs / max(int(regular.sum()), 1),
        "reelection_share": reelected / max(int(regular.sum()) - 1, 1),
        "activities": n_activities,
        "instrument_years": float(at_risk.sum() / DAYS_PER_YEAR),
    }
    facts["activity_rate"] = n_activities / facts["instrument_years"]
    design = ct.Design(n_relationships=1000, n_jurisdictions=N_JURISDICTIONS,
                       term_years=round(facts["term_years"], 2),
                       caretaker_share=round(facts["caretaker_share"], 3),
                       reelection_share=round(facts["reelection_share"], 3),
                       activity_rate=round(facts["activity_rate"], 3))
    return design, facts


def cox_size(design: ct.Design, effect: float, pilot: int, seed: int, n_jobs: int) -> dict:
    """Relationships for 80% power from Schoenfeld's events and a pilot's events per unit."""
    reps = ct.design.simulate_replications(design, effect, n_sim=pilot, seed=seed,
                                           n_jobs=n_jobs)
    per_unit = reps["n_events"].mean() / design.n_relationships
    share = reps["exposed_event_share"].mean()
    events = ct.schoenfeld_events(effect, power=POWER, alpha=ALPHA, exposed_share=share)
    return {"events_per_relationship": per_unit, "exposed_event_share": share,
            "schoenfeld_events": events, "size": int(np.ceil(events / per_unit))}


def activity_size(design: ct.Design, effect: float, pilot: int, seed: int,
                  n_jobs: int) -> dict:
    """Relationships for 80% power from the Wald variance of a log rate ratio."""
    reps = ct.design.simulate_replications(design, effect, metric="activity_change",
                                           n_sim=pilot, seed=seed, n_jobs=n_jobs)
    z = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)
    # n_before = m, n_after = effect * m: var(log ratio) = (1 + 1 / effect) / m
    before_needed = z**2 * (1 + 1 / effect) / np.log(effect) ** 2
    per_unit = reps["n_events"].mean() / (1 + effect) / design.n_relationships
    return {"activities_needed": before_needed * (1 + effect),
            "window_activities_per_relationship": per_unit * (1 + effect),
            "size": int(np.ceil(before_needed / per_unit))}


def check(design: ct.Design, effect: float, size: int, metric: str, reps: int, seed: int,
          n_jobs: int) -> pd.Series:
    point = dataclasses.replace(design, n_relationships=size)
    return ct.power(point, effect, metric=metric, n_sim=reps, seed=seed, n_jobs=n_jobs).iloc[0]


def run(reps: int, pilot: int, n_jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    cases = {"Solo (Surakarta)": (ct.datasets.load_solo(), "Surakarta"),
             "Bandung": (ct.datasets.load_bandung(), "Bandung")}
    designs, rows = [], []
    for k, (name, (study, focal)) in enumerate(cases.items()):
        design, facts = read_design(study, focal)
        designs.append({"case": name, **facts})
        for j, (metric, effect) in enumerate([("hazard_ratio", 1.5), ("hazard_ratio", 2.0),
                                              ("activity_change", 0.7)]):
            seed = 1000 * k + 10 * j
            sizing = (cox_size if metric == "hazard_ratio" else activity_size)(
                design, effect, pilot, seed, n_jobs)
            row = check(design, effect, sizing["size"], metric, reps, seed + 1, n_jobs)
            rows.append({"case": name, "metric": metric, "effect": effect, **sizing,
                         "relationship_years": row["unit_years"], **{
                             c: row[c] for c in ("n_sim", "power", "power_low", "power_high",
                                                 "schoenfeld_power", "n_events",
                                                 "n_transitions", "log_bias", "coverage")}})
    return pd.DataFrame(designs), pd.DataFrame(rows)


def markdown(designs: pd.DataFrame, results: pd.DataFrame, args, seconds: float) -> str:
    lines = [
        "# How large must a national study be? (issue 13, item 4)",
        "",
        "Written by `python validation/power_design.py "
        f"--reps {args.reps} --pilot {args.pilot} --n-jobs {args.n_jobs}` in {seconds:.0f} s "
        f"on {platform.machine()} (Python {platform.python_version()}, two shared cores).",
        "",
        "## The designs, read from the bundled cases",
        "",
        "Regular terms are the focal mayor's elected spells of a year or more; a caretaker run "
        "is one or more caretaker spells in a row (Pj), counted per regular term; re-elections "
        "are regular terms held by the previous regular holder; the activity rate is the "
        "bundled activities per instrument-year of follow-up (the bundled registers record "
        "few activities, so this is a floor). Other settings: follow-up 10 years, median "
        "lifetime without a change 8 years (the bundled cases have no formal ends to read "
        f"one from), window 365 days, {N_JURISDICTIONS} jurisdictions all with the focal "
        "city's turnover.",
        "",
        designs.round(3).to_markdown(index=False),
        "",
        "## Sizes for 80% power at the 5% level (two-sided)",
        "",
        f"`size` is the number of relationships from the closed form applied to a pilot of "
        f"{args.pilot} replications at 1,000 relationships (Schoenfeld's events divided by "
        "the events per relationship; for activity, the Wald variance of the log rate ratio "
        "divided by the activities per relationship in the compared windows). `power` is "
        f"then simulated at that size with {args.reps} replications; `power_low`, "
        "`power_high` are its Wilson 95% interval (Monte Carlo error "
        f"sqrt(0.8 x 0.2 / {args.reps}) = {np.sqrt(0.16 / args.reps):.3f} at 80%). "
        "`relationship_years` is the mean follow-up of the simulated studies of that size.",
        "",
        results.round(3).to_markdown(index=False),
        "",
        "## Reading",
        "",
    ]
    lines += reading(results)
    return "\n".join(lines) + "\n"


def reading(results: pd.DataFrame) -> list[str]:
    out = []
    for _, r in results.iterrows():
        inside = r["power_low"] <= POWER <= r["power_high"]
        what = (f"a hazard ratio of {r['effect']:g}" if r["metric"] == "hazard_ratio"
                else "a 30% drop in activity")
        out.append(f"- {r['case']}: {what} needs about {r['size']:,} relationships "
                   f"({r['relationship_years']:,.0f} relationship-years); simulated power "
                   f"{r['power']:.2f} ({r['power_low']:.2f} to {r['power_high']:.2f}), "
                   f"{'which holds' if inside else 'which does NOT hold'} 0.80.")
    cox = results[results["metric"] == "hazard_ratio"]
    gap = (cox["power"] - cox["schoenfeld_power"]).abs()
    out.append(f"- Schoenfeld's formula against the simulation (Cox rows): largest gap "
               f"{gap.max():.3f} in power, to compare with the Monte Carlo error above.")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--pilot", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "POWER.md"))
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    designs, results = run(args.reps, args.pilot, args.n_jobs)
    text = markdown(designs, results, args, time.perf_counter() - t0)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
