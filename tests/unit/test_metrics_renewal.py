"""continuity.metrics.renewal and renewal_shares on a study worked out by hand."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError
from continuity.metrics import renewal, renewal_shares
from continuity.testing import scenario


def hand_study():
    # as_of 2024-12-31. Solo: A from 2010, B from 2017-06-01, C from 2020-01-01.
    # R1 (Solo-Zhuhai): I1 loi 2015-01-01 expires 2018-01-01; I2 mou 2018-03-01 (59 days
    #   after I1 expired) expires 2021-03-01; I3 renewal 2020-12-01 (90 days before I2
    #   expired) expires 2024-12-01 (grace runs past as_of, no successor: pending)
    # R2 (Solo-Xi'an): J1 2016-01-01 expires 2019-01-01, no successor: lapsed
    # R3 (Solo-Zhuhai): K1 2016-01-01 expires 2022-01-01 but ended 2017-06-01: ended early
    # R4: L1 has no expiry: no row
    return (scenario(as_of="2024-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2017-06-01"),
                                     ("C", "2020-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2012-01-01")])
            .terms("Xi'an", "party_secretary", [("Q", "2012-01-01")])
            .agreement("I1", ["Solo", "Zhuhai"], signed="2015-01-01", expires="2018-01-01",
                       relationship_id="R1", instrument="loi")
            .agreement("I2", ["Solo", "Zhuhai"], signed="2018-03-01", expires="2021-03-01",
                       relationship_id="R1", instrument="mou")
            .agreement("I3", ["Solo", "Zhuhai"], signed="2020-12-01", expires="2024-12-01",
                       relationship_id="R1", instrument="renewal")
            .agreement("J1", ["Solo", "Xi'an"], signed="2016-01-01", expires="2019-01-01",
                       relationship_id="R2", instrument="mou")
            .agreement("K1", ["Solo", "Zhuhai"], signed="2016-01-01", expires="2022-01-01",
                       ended="2017-06-01", end_reason="terminated", relationship_id="R3",
                       instrument="mou")
            .agreement("L1", ["Solo", "Zhuhai"], signed="2016-01-01", relationship_id="R4")
            .build())


def test_renewal_by_hand():
    r = renewal(hand_study(), grace=90).set_index("agreement_id")
    assert list(r.index) == ["I1", "I2", "I3", "J1", "K1"]
    assert r["status"].to_dict() == {"I1": "renewed", "I2": "renewed", "I3": "pending",
                                     "J1": "lapsed", "K1": "ended_early"}
    assert r["successor_id"].dropna().to_dict() == {"I1": "I2", "I2": "I3"}
    # I1: 2018-01-01 -> 2018-03-01 = 31 + 28 = 59 days; I2: 2021-03-01 -> 2020-12-01 = -90
    assert r.loc["I1", "days_after_expiry"] == 59
    assert r.loc["I2", "days_after_expiry"] == -90
    assert pd.isna(r.loc["J1", "days_after_expiry"])
    assert r["renewed"].tolist()[:2] == [True, True]
    assert pd.isna(r.loc["I3", "renewed"])
    assert pd.isna(r.loc["K1", "renewed"])
    assert not r.loc["J1", "renewed"]


def test_renewal_grace_decides():
    # with 30 days of grace the successor 59 days after I1's expiry comes too late
    r = renewal(hand_study(), grace=30).set_index("agreement_id")
    assert r.loc["I1", "status"] == "lapsed"
    assert r.loc["I2", "status"] == "renewed"  # a successor before expiry always counts


def test_successor_is_signed_strictly_later():
    s = (scenario(as_of="2020-12-31")
         .terms("X", "mayor", [("A", "2010-01-01")])
         .terms("Y", "mayor", [("B", "2010-01-01")])
         .agreement("G1", ["X", "Y"], signed="2015-01-01", expires="2016-01-01",
                    relationship_id="R")
         .agreement("G2", ["X", "Y"], signed="2015-01-01", expires="2016-01-01",
                    relationship_id="R")
         .agreement("G3", ["X", "Y"], signed="2016-02-01", relationship_id="R")
         .build())
    r = renewal(s, grace=90).set_index("agreement_id")
    # G1 and G2 are signed the same day: neither succeeds the other; G3 succeeds both
    assert r["successor_id"].tolist() == ["G3", "G3"]
    assert r["days_after_expiry"].tolist() == [31, 31]


def test_renewal_shares_by_hand():
    s = renewal_shares(hand_study(), grace=90)
    # decided: I1 renewed, I2 renewed, J1 lapsed -> 2 / 3; I3 pending, K1 ended early
    assert s[["n", "n_events", "n_pending", "n_ended_early"]].iloc[0].tolist() == [3, 2, 1, 1]
    # Wilson 95% for 2/3: z^2 = 3.841459, 1 + z^2/3 = 2.280486;
    # centre (2/3 + z^2/6) / 2.280486 = 0.573084;
    # half z sqrt(2/27 + z^2/36) / 2.280486 = 0.365425 -> (0.207659, 0.938509)
    np.testing.assert_allclose(s[["estimate", "conf_low", "conf_high"]].iloc[0].to_numpy(float),
                               [2 / 3, 0.207659, 0.938509], rtol=1e-5)


def test_renewal_shares_by_administration_at_expiry():
    s = renewal_shares(hand_study(), grace=90, by="administration")
    s = s.set_index(["jurisdiction", "administration"])
    # Solo at expiry: I1 (2018-01-01) and J1 (2019-01-01) under B; I2 (2021-03-01), I3
    # (pending) and K1 (ended early) under C
    assert s.loc[("Solo", "B 2017-2020"), ["n", "n_events"]].tolist() == [2, 1]
    assert s.loc[("Solo", "C 2020-"), ["n", "n_events", "n_pending", "n_ended_early"]
                 ].tolist() == [1, 1, 1, 1]
    assert s.loc[("Xi'an", "Q 2012-"), ["n", "n_events"]].tolist() == [1, 0]


def test_renewal_shares_by_instrument():
    s = renewal_shares(hand_study(), grace=90, by="instrument").set_index("instrument")
    assert s.loc["loi", ["n", "n_events"]].tolist() == [1, 1]
    assert s.loc["mou", ["n", "n_events", "n_ended_early"]].tolist() == [2, 1, 1]
    assert s.loc["renewal", ["n", "n_pending"]].tolist() == [0, 1]
    assert np.isnan(s.loc["renewal", "estimate"])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"grace": -1}, "grace must be a whole number of days, 0 or more"),
    ({"grace": "90"}, "grace must be a whole number"),
    ({"grace": 1.5}, "grace must be a whole number"),
    ({"grace": 10**18}, "grace must be a whole number of days, at most 213,503"),
])
def test_renewal_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        renewal(hand_study(), **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"by": "relationship"}, "by must be one of 'instrument', 'jurisdiction', "
                             "'administration', not 'relationship', or None"),
    ({"conf_level": 1.0}, "conf_level must be a number strictly between 0 and 1"),
    ({"grace": None}, "grace must be a whole number"),
])
def test_renewal_shares_bad_arguments(kwargs, match):
    with pytest.raises(OptionError, match=match):
        renewal_shares(hand_study(), **kwargs)


def test_renewal_runs_on_solo():
    study = ct.datasets.load_solo()
    # the Solo record has no expiry dates: no row, and a share over nothing
    assert renewal(study).empty
    s = renewal_shares(study, by="jurisdiction")
    assert s.empty or (s["n"] == 0).all()
    assert renewal_shares(study)["n"].tolist() == [0]


def pair_study(kind, signed, as_of="2024-12-31", expires="2020-01-01"):
    # L (an LoI, 2015-01-01, expiring 2020-01-01) and one later instrument of its
    # relationship, of the given kind and signing date
    return (scenario(as_of=as_of)
            .terms("X", "mayor", [("A", "2010-01-01")])
            .terms("Y", "mayor", [("P", "2010-01-01")])
            .agreement("L", ["X", "Y"], signed="2015-01-01", expires=expires,
                       relationship_id="R", instrument="loi")
            .agreement("N", ["X", "Y"], signed=signed, relationship_id="R", instrument=kind)
            .build())


def test_an_instrument_signed_mid_life_is_not_a_renewal():
    # a work plan or an MoU entering in 2017, three years before the LoI's expiry, implements
    # it; it does not renew it. Before the fix the first later signing within expiry + grace
    # was the successor: L was "renewed" by the 2017 work plan.
    for kind in ("work_plan", "mou"):
        r = renewal(pair_study(kind, "2017-03-01"))
        assert r[["status", "renewed"]].values.tolist() == [["lapsed", False]]
        assert pd.isna(r["successor_id"].item())


def test_a_renewal_is_one_by_name_or_by_timing():
    # by name: a renewal or an extension entering any time after L's signing and by
    # expires + grace (here a year before the expiry)
    for kind in ("renewal", "extension"):
        r = renewal(pair_study(kind, "2019-01-01"))
        assert r[["successor_id", "days_after_expiry", "status"]].values.tolist() == [
            ["N", -365, "renewed"]]
    # by timing: any later instrument entering within grace (180) days of the expiry,
    # before or after it; 181 days is too far either way
    assert renewal(pair_study("mou", "2019-07-05"))["status"].item() == "renewed"  # -180
    assert renewal(pair_study("mou", "2020-06-29"))["status"].item() == "renewed"  # +180
    assert renewal(pair_study("mou", "2019-07-04"))["status"].item() == "lapsed"   # -181
    assert renewal(pair_study("mou", "2020-06-30"))["status"].item() == "lapsed"   # +181
    # a renewal by name entering after expires + grace is late: lapsed
    assert renewal(pair_study("renewal", "2020-06-30"))["status"].item() == "lapsed"


def test_the_share_does_not_favour_instruments_renewed_early():
    # as_of 2024-12-31; L1 and L2 expire 2024-10-01, so their 180-day grace runs to
    # 2025-03-30, past as_of. L1 was renewed on 2024-09-01, L2 not yet. Neither outcome is
    # final: both are pending and out of the share. Before the fix L1 counted as renewed and
    # L2 was left out: a share of 1 of 1.
    study = (scenario(as_of="2024-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("L1", ["X", "Y"], signed="2020-01-01", expires="2024-10-01",
                        relationship_id="R1")
             .agreement("N1", ["X", "Y"], signed="2024-09-01", relationship_id="R1",
                        instrument="renewal")
             .agreement("L2", ["X", "Y"], signed="2020-01-01", expires="2024-10-01",
                        relationship_id="R2")
             .build())
    r = renewal(study).set_index("agreement_id")
    assert r["status"].to_dict() == {"L1": "renewed", "L2": "pending"}
    assert r["decided"].tolist() == [False, False]
    assert r["renewed"].isna().all()
    s = renewal_shares(study)
    assert s[["n", "n_events", "n_pending"]].iloc[0].tolist() == [0, 0, 2]
