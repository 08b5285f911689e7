"""continuity.metrics.stage_entries, stage_progression and stage_timing, by hand."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError, ValidationError
from continuity.metrics import stage_entries, stage_progression, stage_timing
from continuity.testing import scenario


def hand_study():
    # as_of 2022-12-31; Solo: A until 2017-01-01, then B. Relationships (Solo-Zhuhai):
    #   R1: loi 2015-01-01, mou 2016-01-01, agreement 2018-01-01, renewal 2021-01-01
    #   R2: loi 2015-06-01, agreement 2017-06-01 (skips the MoU)
    #   R3: loi 2016-01-01 only
    #   R4: mou 2017-01-01 only, and a work plan (not a stage)
    #   R5: loi and mou both on 2019-01-01 (same day: no progress from the LoI)
    s = (scenario(as_of="2022-12-31")
         .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2017-01-01")])
         .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")]))
    rows = [("R1", "loi", "2015-01-01"), ("R1", "mou", "2016-01-01"),
            ("R1", "agreement", "2018-01-01"), ("R1", "renewal", "2021-01-01"),
            ("R2", "loi", "2015-06-01"), ("R2", "agreement", "2017-06-01"),
            ("R3", "loi", "2016-01-01"), ("R4", "mou", "2017-01-01"),
            ("R4", "work_plan", "2017-06-01"),
            ("R5", "loi", "2019-01-01"), ("R5", "mou", "2019-01-01")]
    for rel, kind, signed in rows:
        s = s.agreement(f"{rel}-{kind}", ["Solo", "Zhuhai"], signed=signed, instrument=kind,
                        relationship_id=rel)
    return s.build()


def test_stage_entries_by_hand():
    e = stage_entries(hand_study()).set_index(["relationship_id", "stage"])
    assert list(e.index) == [("R1", "loi"), ("R1", "mou"), ("R1", "agreement"),
                             ("R1", "renewal"), ("R2", "loi"), ("R2", "agreement"),
                             ("R3", "loi"), ("R4", "mou"), ("R5", "loi"), ("R5", "mou")]
    # R1 loi -> mou: 365 days; R2 loi -> agreement: 2015-06-01 -> 2017-06-01 = 731 (leap 2016)
    assert e.loc[("R1", "loi"), "days_to_next"] == 365
    assert e.loc[("R2", "loi"), "days_to_next"] == 731
    assert e.loc[("R2", "loi"), "next_agreement_id"] == "R2-agreement"
    assert not e.loc[("R5", "loi"), "progressed"]  # the same-day MoU is not progress
    assert pd.isna(e.loc[("R1", "renewal"), "next_stage"])


def test_stage_progression_by_hand():
    p = stage_progression(hand_study()).set_index("stage")
    assert list(p.index) == ["loi", "mou", "agreement"]
    # loi: R1, R2, R3, R5 reached it; R1 and R2 moved on -> 2/4
    # mou: R1, R4, R5; R1 moved on -> 1/3. agreement: R1, R2; R1 renewed -> 1/2
    assert p[["n", "n_events"]].to_numpy().tolist() == [[4, 2], [3, 1], [2, 1]]
    assert p["next_stage"].tolist() == ["mou+", "agreement+", "renewal"]
    # Wilson 95% for 1/3: 1 + z^2/3 = 2.280486; centre (1/3 + z^2/6) / 2.280486 = 0.426916;
    # half z sqrt(2/27 + z^2/36) / 2.280486 = 0.365424 -> (0.061492, 0.792340)
    np.testing.assert_allclose(p.loc["mou", ["conf_low", "conf_high"]].to_numpy(float),
                               [0.061492, 0.792340], rtol=1e-5)


def test_stage_progression_by_administration():
    p = stage_progression(hand_study(), by="administration", focal="Solo")
    p = p.set_index(["administration", "stage"])
    # under A (to 2017-01-01): loi R1, R2, R3 (2 moved on); mou R1; agreement none
    # under B: loi R5 (0), mou R4, R5 (0), agreement R1, R2 (R1 renewed)
    assert p.loc[("A 2010-2017", "loi"), ["n", "n_events"]].tolist() == [3, 2]
    assert p.loc[("B 2017-", "loi"), ["n", "n_events"]].tolist() == [1, 0]
    assert p.loc[("B 2017-", "mou"), ["n", "n_events"]].tolist() == [2, 0]
    assert p.loc[("B 2017-", "agreement"), ["n", "n_events"]].tolist() == [2, 1]
    assert set(p["jurisdiction"]) == {"Solo"}


def test_stage_timing_by_hand():
    t = stage_timing(hand_study(), horizon=(365, 1095)).set_index(["stage", "horizon"])
    # loi: R1 moves on at 365, R2 at 731; R3 censored at 2556 days, R5 at 1460.
    # KM: day 365, 4 at risk, 1 event: S = 3/4; day 731, 3 at risk: S = 3/4 * 2/3 = 1/2.
    # share progressed 1 - S: 1/4 by 365 days, 1/2 by 1095
    np.testing.assert_allclose(t.loc[("loi", 365), "estimate"], 0.25)
    np.testing.assert_allclose(t.loc[("loi", 1095), "estimate"], 0.5)
    assert t.loc[("loi", 1095), ["n", "n_at_risk", "n_events"]].tolist() == [4, 2, 2]
    lo, hi = t.loc[("loi", 365), ["conf_low", "conf_high"]]
    assert 0 <= lo <= 0.25 <= hi <= 1
    # agreement: R1 renewed after 2018-01-01 -> 2021-01-01 = 1096 days: not yet by 1095
    assert t.loc[("agreement", 1095), "estimate"] == 0.0


@pytest.mark.parametrize(("fn", "kwargs", "match"), [
    (stage_progression, {"by": "jurisdiction"},
     "by must be one of 'administration', not 'jurisdiction', or None"),
    (stage_progression, {"focal": 3}, "focal 3 is not a party"),
    (stage_progression, {"conf_level": "95%"}, "conf_level must be a number"),
    (stage_timing, {"horizon": -1}, "whole number of days, 1 or more"),
])
def test_stage_bad_arguments(fn, kwargs, match):
    with pytest.raises(OptionError, match=match):
        fn(hand_study(), **kwargs)


def test_stages_need_the_instrument_column():
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2010-01-01")])
         .terms("Y", "mayor", [("B", "2010-01-01")])
         .agreement("G", ["X", "Y"], signed="2015-01-01")
         .build())
    with pytest.raises(ValidationError, match="no 'instrument' column"):
        stage_progression(s)
    s2 = (scenario(as_of="2020-12-31")
          .terms("X", "mayor", [("A", "2010-01-01")])
          .terms("Y", "mayor", [("B", "2010-01-01")])
          .agreement("G", ["X", "Y"], signed="2015-01-01", instrument="addendum")
          .build())
    with pytest.raises(ValidationError, match="no instrument signed by as_of is a stage"):
        stage_timing(s2)


def test_stages_run_on_solo():
    study = ct.datasets.load_solo()
    p = stage_progression(study).set_index("stage")
    # two LoIs (2015), one MoU (Montana, 2007), one agreement (Andong, 2007): none moved on
    assert p["n"].to_dict() == {"loi": 2, "mou": 1, "agreement": 1}
    assert (p["n_events"] == 0).all()
    t = stage_timing(study, by="administration", focal="Surakarta")
    assert (t["estimate"] == 0).all()


def test_stage_timing_n_leaves_out_stages_reached_on_as_of():
    # R1: LoI 2015-01-01, MoU 2016-01-01 (365 days later); R2: LoI on as_of 2024-12-31 itself.
    # stage_progression counts both LoIs (n 2, 1 progressed); stage_timing has no time
    # observed for R2, so its n is 1 (as documented), and R1 progressed within 365 days.
    s = (scenario(as_of="2024-12-31")
         .terms("Solo", "mayor", [("A", "2010-01-01")])
         .terms("Zhuhai", "mayor", [("P", "2010-01-01")])
         .agreement("L1", ["Solo", "Zhuhai"], signed="2015-01-01", instrument="loi",
                    relationship_id="R1")
         .agreement("M1", ["Solo", "Zhuhai"], signed="2016-01-01", instrument="mou",
                    relationship_id="R1")
         .agreement("L2", ["Solo", "Zhuhai"], signed="2024-12-31", instrument="loi",
                    relationship_id="R2")
         .build())
    p = stage_progression(s).set_index("stage")
    assert p.loc["loi", ["n", "n_events"]].tolist() == [2, 1]
    t = stage_timing(s, horizon=365).set_index("stage")
    assert t.loc["loi", ["n", "n_at_risk", "n_events"]].tolist() == [1, 0, 1]
    assert t.loc["loi", "estimate"] == 1.0


def test_a_renewal_renews_the_stage_reached():
    # R1: MoU 2016, its renewal 2019: still the MoU stage, no progress to an agreement
    #   (before the fix the renewal counted as "agreement+" progress: 1 of 1)
    # R2: LoI 2016, its extension 2018: still the LoI stage
    # R3: agreement 2016, renewal 2019: the renewal stage, progress from the agreement
    # R4: a renewal with no earlier stage on record: the renewal stage
    s = (scenario(as_of="2022-12-31")
         .terms("Solo", "mayor", [("A", "2010-01-01")])
         .terms("Zhuhai", "mayor", [("P", "2010-01-01")]))
    rows = [("R1", "M", "mou", "2016-01-01"), ("R1", "MR", "renewal", "2019-01-01"),
            ("R2", "L", "loi", "2016-01-01"), ("R2", "LX", "extension", "2018-01-01"),
            ("R3", "G", "agreement", "2016-01-01"), ("R3", "GR", "renewal", "2019-01-01"),
            ("R4", "X", "renewal", "2017-01-01")]
    for rel, gid, kind, signed in rows:
        s = s.agreement(gid, ["Solo", "Zhuhai"], signed=signed, instrument=kind,
                        relationship_id=rel)
    e = stage_entries(s.build()).set_index(["relationship_id", "stage"])
    assert list(e.index) == [("R1", "mou"), ("R2", "loi"), ("R3", "agreement"),
                             ("R3", "renewal"), ("R4", "renewal")]
    assert e["progressed"].tolist() == [False, False, True, False, False]
    assert e.loc[("R3", "renewal"), "agreement_id"] == "GR"
    p = stage_progression(s.build()).set_index("stage")
    assert p.loc["mou", ["n", "n_events"]].tolist() == [1, 0]
    assert p.loc["loi", ["n", "n_events"]].tolist() == [1, 0]
    assert p.loc["agreement", ["n", "n_events"]].tolist() == [1, 1]
