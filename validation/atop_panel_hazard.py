"""Validation on real data: the discrete-time hazard of an alliance ending after a leader change,
on alliance-years, beside the Cox estimate of validation/atop_alliances.py.

The same covered study as atop_alliances.py (ATOP 4.01 alliances whose every member is in
Archigos 4.1 over the alliance's life, censored 2015-12-31) is cut into alliance-years with
``study.panel(freq="year")``. The hazard that an alliance ends in a year is modelled with a
complementary log-log link and one baseline per year since signing (the grouped-time version of
the Cox model, so its exp(coef) is a hazard ratio), clustered by alliance, with

- ``change_this_year``: a leader change at some member in the year, before the alliance ended;
- ``change_last_year``: one in the previous year of the alliance;
- ``change_this_or_last_year``: either.

The data folder is read from the environment variable ``CONTINUITY_REAL_DATA`` (default
``../shared/data/real`` beside the repository); the script stops with a message when it is
missing. Results and their reading: validation/ATOP_PANEL.md. Run from the repository root::

    CONTINUITY_REAL_DATA=/path/to/real python validation/atop_panel_hazard.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "validation"))
import atop_alliances as atop  # noqa: E402  (the same data decisions, not a copy of them)


def covered_study(path: Path) -> ct.Study:
    """The covered study of atop_alliances.main, built by its own functions."""
    terms = atop.build_terms(path)
    agreements, parties = atop.build_alliances(path)
    extra = [atop.gw_series(terms, int(j[3:])) for j in sorted(parties["jurisdiction"].unique())
             if j.startswith("cow")]
    terms = pd.concat([terms, *extra], ignore_index=True)
    status = atop.coverage(agreements, parties, terms)
    after = atop._lo(agreements["signed"]) > atop.AS_OF
    cov = agreements[(status == "covered") & ~after]
    return ct.Study(terms, cov, parties[parties["agreement_id"].isin(cov["agreement_id"])],
                    as_of=atop.AS_OF)


def alliance_years(study: ct.Study) -> pd.DataFrame:
    panel = study.panel(freq="year", leaders="none")
    changed = (panel["changes"] > 0).astype(float)
    last = changed.groupby(panel["agreement_id"], observed=True).shift(1).fillna(0.0)
    return panel.assign(change_this_year=changed, change_last_year=last,
                        change_this_or_last_year=np.maximum(changed, last))


def main() -> None:
    path = Path(os.environ.get("CONTINUITY_REAL_DATA", ROOT / ".." / "shared" / "data" / "real"))
    if not (path / "atop_4.01_member_level.csv").exists():
        sys.exit(f"no ATOP/Archigos data in {path}: set CONTINUITY_REAL_DATA to the folder of "
                 "../shared/data/real (the licences do not allow bundling them)")
    t0 = time.perf_counter()
    study = covered_study(path)
    t = time.perf_counter()
    panel = alliance_years(study)
    t_panel = time.perf_counter() - t
    ep = study.episodes(level="instrument", window=atop.WINDOW, leaders="none")
    atop.log(f"\npanel: {len(panel)} alliance-years of {panel['agreement_id'].nunique()} "
             f"alliances in {t_panel:.2f} s; {int(panel['ended'].sum())} ends "
             f"(episodes: {int(ep['event'].sum())}); person-days "
             f"{int(panel['exposure_days'].sum())} (episodes: "
             f"{int((ep['t_stop'] - ep['t_start']).sum())}); changes NA on "
             f"{int(panel['changes'].isna().sum())} rows")
    rows = []
    for link in ("cloglog", "logit"):
        for covs in (["change_this_year"], ["change_this_year", "change_last_year"],
                     ["change_last_year"], ["change_this_or_last_year"]):
            r = ct.discrete_hazard(panel, covs, link=link, cluster="agreement_id")
            r.insert(0, "model", f"discrete {link}")
            rows.append(r)
    cox = atop.fit(ep, ["post_change"], "cox, post_change (365 days)")
    cox2 = atop.fit(ep, ["post_change", "changes"], "cox, + changes")
    res = pd.concat(rows, ignore_index=True)
    atop.log("\nDiscrete-time hazard on alliance-years (exp(coef): hazard ratio for cloglog, odds "
             "ratio for logit; 95% CI clustered by alliance):")
    atop.log(res[["model", "term", "estimate", "std_error", "conf_low", "conf_high", "p_value",
                  "n", "n_events"]].round(3).to_string(index=False))
    atop.log("\nCox on the episodes (validation/atop_alliances.py):")
    atop.log(pd.concat([cox, cox2]).round(3).to_string(index=False))
    share = panel.loc[panel["ended"], "change_this_year"].mean()
    atop.log(f"\nends in a year with a change: {share:.3f}; alliance-years with a change: "
             f"{panel['change_this_year'].mean():.3f}; years since signing with an end: "
             f"{panel.loc[panel['ended'], 'periods_since_entry'].nunique()} of "
             f"{panel['periods_since_entry'].nunique()}")
    ends = panel["ended"].to_numpy()
    atop.log(f"mean days at risk in the year: {panel.loc[ends, 'exposure_days'].mean():.0f} in "
             f"years with an end, {panel.loc[~ends, 'exposure_days'].mean():.0f} in others")
    atop.log(f"total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
