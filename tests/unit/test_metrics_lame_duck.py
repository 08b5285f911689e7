"""continuity.metrics.lame_duck_signings, lame_duck and lame_duck_survival, by hand."""

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError
from continuity.metrics import (
    lame_duck,
    lame_duck_signings,
    lame_duck_survival,
    portfolio_retention,
)
from continuity.testing import scenario


def hand_study():
    # as_of 2020-12-31. Solo: A from 2010, caretaker X 2015-01-01, B 2015-03-01 (in office).
    # Zhuhai: P from 2010, Q 2016-06-01 (in office). Instruments, all Solo-Zhuhai:
    #   G1 signed 2014-06-01, ended 2016-06-01
    #   G2 signed 2015-02-01, ended 2018-02-01
    #   G3 signed 2016-01-01, ended 2017-01-01
    #   G4 signed 2020-06-01 (under 365 days before as_of)
    #   G5 signed 2016-02-01, open
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("X", "2015-01-01", "caretaker"),
                                     ("B", "2015-03-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01"), ("Q", "2016-06-01")])
            .agreement("G1", ["Solo", "Zhuhai"], signed="2014-06-01", ended="2016-06-01")
            .agreement("G2", ["Solo", "Zhuhai"], signed="2015-02-01", ended="2018-02-01")
            .agreement("G3", ["Solo", "Zhuhai"], signed="2016-01-01", ended="2017-01-01")
            .agreement("G4", ["Solo", "Zhuhai"], signed="2020-06-01")
            .agreement("G5", ["Solo", "Zhuhai"], signed="2016-02-01")
            .build())


def test_lame_duck_signings_by_hand():
    d = lame_duck_signings(hand_study(), window=365).set_index(["agreement_id", "jurisdiction"])
    # days left in office after signing:
    #   G1: Solo A leaves 2015-01-01: 2014-06-01 -> 2015-01-01 = 30+31+31+30+31+30+31 = 214
    #       Zhuhai P leaves 2016-06-01: 2 years with 2016-02-29 = 731
    #   G2: Solo caretaker X leaves 2015-03-01: 28; Zhuhai P: 365 + 29+31+30+31 = 486
    #   G3: Solo B in office through as_of, and 2016-01-01 + 365 <= as_of: not a lame duck
    #       Zhuhai P: 31+29+31+30+31 = 152
    #   G4: both in office at as_of and fewer than 365 days observed: unknown
    #   G5: Solo B: not; Zhuhai P: 29+31+30+31 = 121
    known = d["days_left"].dropna().astype(int).to_dict()
    assert known == {("G1", "Solo"): 214, ("G1", "Zhuhai"): 731, ("G2", "Solo"): 28,
                     ("G2", "Zhuhai"): 486, ("G3", "Zhuhai"): 152, ("G5", "Zhuhai"): 121}
    lame = d["lame_duck"]
    assert [lame[(g, "Solo")] for g in ["G1", "G2", "G3", "G5"]] == [True, True, False, False]
    assert [lame[(g, "Zhuhai")] for g in ["G1", "G2", "G3", "G5"]] == [False, False, True,
                                                                       True]
    assert lame.loc[("G4", slice(None))].isna().all()
    assert d.loc[("G2", "Solo"), "caretaker"]
    assert d.loc[("G2", "Solo"), "administration"] == "X 2015-2015"


def test_lame_duck_window_edge():
    # 214 days left: a lame duck at window 214, not at 213
    s = hand_study()
    d = lame_duck_signings(s, window=214, focal="Solo").set_index("agreement_id")
    assert d.loc["G1", "lame_duck"]
    d = lame_duck_signings(s, window=213, focal="Solo").set_index("agreement_id")
    assert not d.loc["G1", "lame_duck"]


def test_lame_duck_shares_by_hand():
    s = lame_duck(hand_study()).set_index("jurisdiction")
    # Solo: G1, G2 of G1, G2, G3, G5 (G4 unknown) -> 2/4, one by the caretaker X
    # Zhuhai: G3, G5 of the same four -> 2/4
    assert s.loc["Solo", ["n", "n_events", "n_caretaker", "n_unknown"]].tolist() == [4, 2, 1, 1]
    assert s.loc["Zhuhai", ["n", "n_events", "n_caretaker", "n_unknown"]].tolist() == [
        4, 2, 0, 1]
    # Wilson 95% for 2/4: centre (0.5 + z^2/8) / (1 + z^2/4) = 0.5; half-width
    # z sqrt(0.0625 + z^2/64) / (1 + z^2/4) = 1.959964 * 0.350033 / 1.960365 = 0.349961
    np.testing.assert_allclose(s.loc["Solo", ["estimate", "conf_low", "conf_high"]]
                               .to_numpy(float), [0.5, 0.150039, 0.849961], rtol=1e-5)
    f = lame_duck(hand_study(), focal="Zhuhai")
    assert f["jurisdiction"].tolist() == ["Zhuhai"]


def test_lame_duck_survival_by_hand():
    s = lame_duck_survival(hand_study(), focal="Solo", horizon=(730, 1100))
    s = s.set_index(["lame_duck", "horizon"])
    # lame (Solo's signer): G1 ends after 731 days, G2 after 1096 (2016 is a leap year)
    # rest: G3 ends after 366 days, G5 censored after 1795 (2016-02-01 .. 2020-12-31); G4 left out
    # KM lame: 1 until 731, then 1/2, then 0 at 1096. rest: 1/2 from 366 on.
    assert s["estimate"].to_dict() == {(True, 730): 1.0, (True, 1100): 0.0,
                                       (False, 730): 0.5, (False, 1100): 0.5}
    assert s.loc[(True, 730), ["n", "n_events", "events_total", "person_days"]].tolist() == [
        2, 0, 2, 731 + 1096]
    assert s.loc[(False, 730), ["n", "n_events", "events_total", "person_days"]].tolist() == [
        2, 1, 1, 366 + 1795]
    # rate ratio (2 / 1827) / (1 / 2161) = 2 * 2161 / 1827
    np.testing.assert_allclose(s["rate_ratio"].unique(), [2 * 2161 / 1827], rtol=1e-12)
    np.testing.assert_allclose(s.loc[(True, 730), "rate"], 2 / 1827 * 365.25)
    # log-rank: day 366 (4 at risk, 2 lame): E = 1/2, V = 2*2*1*3 / (16*3) = 1/4, O = 0;
    # day 731 (3 at risk, 2 lame): E = 2/3, V = 2*1*1*2 / (9*2) = 2/9, O = 1;
    # day 1096 (2 at risk, 1 lame): E = 1/2, V = 1/4, O = 1.
    # O - E = 2 - 5/3 = 1/3; V = 13/18; chi2 = (1/9) / (13/18) = 2/13
    np.testing.assert_allclose(s["logrank_statistic"].unique(), [2 / 13], rtol=1e-12)


def test_lame_duck_survival_without_focal_uses_any_party():
    s = lame_duck_survival(hand_study(), horizon=730)
    # any party's signer a lame duck: G1, G2 (Solo), G3, G5 (Zhuhai): all four; none is "rest"
    assert s["lame_duck"].tolist() == [True]
    assert s["n"].item() == 4
    assert np.isnan(s["rate_ratio"].item())
    assert np.isnan(s["logrank_p_value"].item())


@pytest.mark.parametrize(("fn", "kwargs", "match"), [
    (lame_duck_signings, {"window": 0}, "window must be a whole number of days, 1 or more"),
    (lame_duck_signings, {"focal": "Xian"}, "focal 'Xian' is not a party"),
    (lame_duck, {"conf_level": -0.1}, "conf_level must be a number strictly between 0 and 1"),
    (lame_duck, {"window": "12 months"}, "window must be a whole number"),
    (lame_duck_survival, {"event": "dormancy"}, "event must be one of 'formal', 'dormant'"),
    (lame_duck_survival, {"horizon": ()}, "horizon is empty"),
    (lame_duck_survival, {"dormancy": 2.5}, "dormancy must be a whole number"),
    (lame_duck_signings, {"window": 10**18}, "window must be a whole number of days, at most"),
])
def test_lame_duck_bad_arguments(fn, kwargs, match):
    with pytest.raises(OptionError, match=match):
        fn(hand_study(), **kwargs)


def test_lame_duck_runs_on_solo():
    study = ct.datasets.load_solo()
    d = lame_duck_signings(study, focal="Surakarta").set_index("agreement_id")
    # both 2015 letters of intent were signed by the caretaker Budi Suharto (Plt, then Pj)
    assert d.loc["SOLO-XIAN-LOI-2015", "lame_duck"]
    assert d.loc["SOLO-ZHUHAI-LOI-2015", "caretaker"]
    shares = lame_duck(study)
    assert set(shares["jurisdiction"]) == {"Andong", "Montana", "Surakarta", "Xi'an", "Zhuhai"}
    surv = lame_duck_survival(study, focal="Surakarta", event="dormant", horizon=1095)
    assert surv["n"].sum() == 4
    assert 0 <= surv["logrank_p_value"].iloc[0] <= 1


def test_a_gap_between_terms_of_one_holder_is_a_vacancy():
    # X: A 2010-01-01 to 2014-01-01, no one recorded until A again from 2014-06-01.
    #   H signed 2013-06-01: A's first administration ends 2014-01-01:
    #     30 + 31 + 31 + 30 + 31 + 30 + 31 = 214 days left, a lame duck at window 365
    #   G signed 2014-03-01, in the gap: the office is vacant, no administration
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01")], end="2014-01-01")
             .terms("X", "mayor", [("A", "2014-06-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("H", ["X", "Y"], signed="2013-06-01")
             .agreement("G", ["X", "Y"], signed="2014-03-01")
             .build())
    d = lame_duck_signings(study, focal="X").set_index("agreement_id")
    assert d.loc["H", "administration"] == "A 2010-2014"
    assert d.loc["H", "days_left"] == 214
    assert d.loc["H", "lame_duck"]
    assert pd.isna(d.loc["G", "administration"])
    assert pd.isna(d.loc["G", "lame_duck"])


def test_a_vacancy_term_is_no_administration():
    # X: A from 2010, a recorded vacancy 2012-01-01 to 2013-01-01, then B.
    #   G signed 2012-06-01 falls in the vacancy: no administration, lame_duck NA
    #   H signed 2011-06-01: A leaves 2012-01-01, 30 + 31 + 31 + 30 + 31 + 30 + 31 = 214 days
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01"), ("(vacant)", "2012-01-01", "vacancy"),
                                   ("B", "2013-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2012-06-01")
             .agreement("H", ["X", "Y"], signed="2011-06-01")
             .build())
    d = lame_duck_signings(study, focal="X").set_index("agreement_id")
    assert pd.isna(d.loc["G", "administration"])
    assert pd.isna(d.loc["G", "days_left"])
    assert d.loc["H", "administration"] == "A 2010-2012"
    assert d.loc["H", "days_left"] == 214


def test_a_term_end_after_as_of_is_unknown_at_as_of():
    # X: A from 2010, B from 2022-01-01, after as_of 2020-12-31: at as_of A is still in office.
    #   G signed 2020-06-01: fewer than 365 days observed, still in office: unknown (with the
    #     future end it would be 579 days left, not a lame duck)
    #   H signed 2019-01-01: still in office 365 days later: not a lame duck, days_left NA
    study = (scenario(as_of="2020-12-31")
             .terms("X", "mayor", [("A", "2010-01-01"), ("B", "2022-01-01")])
             .terms("Y", "mayor", [("P", "2010-01-01")])
             .agreement("G", ["X", "Y"], signed="2020-06-01")
             .agreement("H", ["X", "Y"], signed="2019-01-01")
             .build())
    d = lame_duck_signings(study, focal="X").set_index("agreement_id")
    assert d.loc["G", "administration"] == "A 2010-"
    assert pd.isna(d.loc["G", "administration_end"])
    assert pd.isna(d.loc["G", "days_left"])
    assert pd.isna(d.loc["G", "lame_duck"])
    assert pd.isna(d.loc["H", "days_left"])
    assert not d.loc["H", "lame_duck"]


def test_km_at_does_not_extend_past_the_last_follow_up():
    # Group a: an end on day 10 (S = 1 - 1/2 = 0.5), censored on day 20: S is 0.5 up to day
    #   20 and unknown after it (R's summary(survfit, times = 30) leaves the time out).
    # Group b: ends on days 5 and 8: S = 0 from day 8 on, known at any later horizon.
    from continuity.metrics._summaries import km_at

    df = pd.DataFrame({"g": ["a", "a", "b", "b"], "t_stop": [10, 20, 5, 8],
                       "event": [1, 0, 1, 1]})
    r = km_at(df, [15, 20, 30], "g", 0.95).set_index(["g", "horizon"])
    assert r.loc[("a", 15), "estimate"] == 0.5
    assert r.loc[("a", 20), "estimate"] == 0.5
    assert np.isnan(r.loc[("a", 30), ["estimate", "conf_low", "conf_high"]].astype(float)).all()
    assert r.loc[("a", 30), ["n", "n_at_risk", "n_events"]].tolist() == [2, 0, 1]
    assert r.loc[("b", 30), "estimate"] == 0.0


def campaign_leave_study():
    # Solo: A elected 2010-01-01; A takes campaign leave and X acts for A (kind "acting", a
    # Plt) 2014-10-01 .. 2014-12-01; A back until 2019-01-01; B from then (as_of 2020-12-31).
    # Zhuhai: P throughout. G1 signed by A 2014-08-01; G2 signed by the Plt 2014-11-01; both
    # active in 2016 and 2019.
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("X", "2014-10-01", "acting"),
                                     ("A", "2014-12-01"), ("B", "2019-01-01")])
            .terms("Zhuhai", "party_secretary", [("P", "2010-01-01")])
            .agreement("G1", ["Solo", "Zhuhai"], signed="2014-08-01")
            .agreement("G2", ["Solo", "Zhuhai"], signed="2014-11-01")
            .activity("G1", "2016-01-01").activity("G1", "2019-06-01")
            .activity("G2", "2016-01-01").activity("G2", "2019-06-01")
            .build())


def test_campaign_leave_does_not_end_an_administration():
    # one administration "A 2010-2019" (2010-01-01 .. 2019-01-01): G1 signed 1614 days
    # before its end, not a lame duck (before the fix: "A 2010-2014", 61 days left, a lame
    # duck); G2, signed by the Plt, belongs to A's administration, 1522 days left
    study = campaign_leave_study()
    d = lame_duck_signings(study, focal="Solo").set_index("agreement_id")
    assert d["administration"].tolist() == ["A 2010-2019", "A 2010-2019"]
    assert d["days_left"].tolist() == [1614, 1522]
    assert d["lame_duck"].tolist() == [False, False]
    assert d["caretaker"].tolist() == [False, False]
    assert lame_duck(study, focal="Solo")[["n", "n_events"]].values.tolist() == [[2, 0]]
    # the same rule in portfolio_retention: one pair A 2010-2019 -> B 2019-
    for basis in ("activity", "handover", "formal"):
        r = portfolio_retention(study, basis=basis, include_caretakers=True)
        assert r[["administration", "next_administration"]].values.tolist() == [
            ["A 2010-2019", "B 2019-"]]
