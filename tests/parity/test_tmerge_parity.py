"""split_episodes agrees with R's survival::tmerge (and survSplit), row for row.

The study and R's episodes were written by tests/parity/r/tmerge.R (run it from the repository
root to refresh them); this test reads the CSVs and does not need R.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity import audit_episodes, split_episodes

DATA = Path(__file__).parent / "data"
SETTINGS = pd.read_csv(DATA / "tmerge_settings.csv", keep_default_na=False)


def study():
    read = lambda name: pd.read_csv(DATA / f"tmerge_{name}.csv", dtype=str)  # noqa: E731
    return ct.Study(read("terms"), read("agreements"), read("parties"),
                    as_of=SETTINGS["as_of"].iloc[0], allow_unknown_exposure=True)


def options(case):
    row = SETTINGS.set_index("case").loc[case]
    out = {}
    if row["window"] != "":
        out["window"] = int(row["window"])
    if row["cuts"] != "":
        out["cuts"] = [int(c) for c in row["cuts"].split()]
    if row["observed_from"] != "":
        out["observed_from"] = row["observed_from"]
    return out


@pytest.mark.parametrize("case", SETTINGS["case"].tolist())
def test_episodes_match_tmerge_row_for_row(case):
    r = pd.read_csv(DATA / f"tmerge_episodes_{case}.csv", dtype=str, keep_default_na=False)
    ep = split_episodes(study(), **options(case))
    assert list(ep.columns) == list(r.columns)
    assert len(ep) == len(r)
    for col in r.columns:
        ours = ep[col]
        if str(ours.dtype) == "datetime64[ns]":
            ours = ours.dt.strftime("%Y-%m-%d")
        elif str(ours.dtype) == "boolean":
            ours = ours.map({True: "TRUE", False: "FALSE"})
        ours = ours.astype(object).where(ours.notna(), "").astype(str).to_numpy()
        theirs = r[col].to_numpy()
        bad = np.flatnonzero(ours != theirs)
        assert not len(bad), (f"{case}: column {col} differs in {len(bad)} rows, first at row "
                              f"{bad[0]}: ours {ours[bad[0]]!r}, R {theirs[bad[0]]!r}")


def test_the_study_has_the_edge_cases_it_is_meant_to_have():
    s = study()
    audit = audit_episodes(s)
    assert s.unknown_exposure == ("J7",)
    assert set(audit["status"]) == {"included", "no_time_at_risk", "enters_after_as_of"}
    ep = split_episodes(s)
    assert (ep["t_stop"] - ep["t_start"]).min() == 1
    assert ep["changes"].isna().any()
    assert (ep["changes"] >= 2).any()
    assert ep["signer_in_office"].isna().any()
    assert (~ep["signer_in_office"].fillna(True)).any()
    assert ep["jurisdiction_3"].notna().any()
    assert ep["jurisdiction_3"].isna().any()
    assert (s.leadership_terms()["kind"] == "acting").any()
    # records that start after some units' entry (J5, J6), that end before as_of (one ends
    # with a recorded vacancy), vacancy rows at both edges of a record
    wide = split_episodes(s, **options("window"))
    lead = s.leadership_terms()
    vacancy = lead[lead["kind"] == "vacancy"]
    assert set(vacancy["start"]) & set(wide["start"])
    assert set(vacancy["end"]) & set(wide["start"])
    assert (audit_episodes(s)["n_unknown_exposure"] > 0).sum() > 10
    known = ~wide["changes"].isna()
    assert (wide["post_change"].notna() & ~known).any()            # the window is in the record
    assert (wide["post_change"].fillna(False) & ~known).any()      # a known change decides
    assert (~wide["signer_in_office"].fillna(True) & ~known).any()
    assert (wide["party_changes"] > 0).any()
    assert (wide["party_changes"].isna() & known).any()
    assert (s.transitions()["gap_days"] > 0).any()
    assert (~s.transitions()["leader_change"]).any()
