"""Episodes (counting-process rows): literal expected tables for the edge cases of splitting.

Dates are chosen so that day counts are easy to check: 2013-01-01 -> 2014-01-01 is 365 days,
2014-01-01 -> 2014-03-01 is 59, 2014-01-01 -> 2014-06-01 is 151.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import continuity as ct
from continuity import audit_episodes, split_episodes
from continuity.testing import episode_rows

NA = None
BASE = ["episode", "start", "stop", "t_start", "t_stop", "event", "changes", "signer_in_office",
        "days_since_change"]


def make_study(terms, agreements, parties=None, as_of="2030-01-01", **kwargs):
    """terms: (jurisdiction, holder, start, end[, kind]); agreements: dicts."""
    cols = ["jurisdiction", "holder", "start", "end", "kind", "party"][: len(terms[0])]
    t = pd.DataFrame(terms, columns=cols)
    t["office"] = "mayor"
    t["term_id"] = [f"{j}-{i}" for i, j in enumerate(t["jurisdiction"])]
    a = pd.DataFrame(agreements)
    if parties is None:
        parties = {aid: ["Solo", "Xian"] for aid in a["agreement_id"]}
    p = pd.DataFrame([(aid, j) for aid, js in parties.items() for j in js],
                     columns=["agreement_id", "jurisdiction"])
    acts = kwargs.pop("activities", None)
    return ct.Study(t, a, p, acts, as_of=as_of, **kwargs)


rows = episode_rows  # the public helper of continuity.testing


XIAN = ("Xian", "P", "2000-01-01", None)
SOLO_AB = [("Solo", "A", "2010-01-01", "2015-01-01"), ("Solo", "B", "2015-01-01", None), XIAN]


def test_transition_on_the_entry_day_is_the_entry_leader():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2015-01-01",
                              "expires": "2016-01-01"}])
    ep = split_episodes(s)
    assert rows(ep, [*BASE, "leader_1", "leader_2"]) == [
        (1, "2015-01-01", "2016-01-01", 0, 365, 1, 0, True, NA, "B", "P"),
    ]


def test_transition_on_the_exit_day_does_not_split():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01",
                              "expires": "2015-01-01"}])
    assert rows(split_episodes(s), [*BASE, "leader_1"]) == [
        (1, "2014-01-01", "2015-01-01", 0, 365, 1, 0, True, NA, "A"),
    ]


def test_terms_starting_before_and_ending_after_the_unit():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01",
                              "expires": "2016-01-01"}])
    ep = split_episodes(s)
    cols = [*BASE, "jurisdiction_1", "leader_1", "term_id_1", "jurisdiction_2", "leader_2"]
    assert rows(ep, cols) == [
        (1, "2014-01-01", "2015-01-01", 0, 365, 0, 0, True, NA, "Solo", "A", "Solo-0", "Xian",
         "P"),
        (2, "2015-01-01", "2016-01-01", 365, 730, 1, 1, False, 0, "Solo", "B", "Solo-1", "Xian",
         "P"),
    ]


def test_one_day_units_and_a_unit_with_no_time_at_risk():
    s = make_study(SOLO_AB, [
        {"agreement_id": "D1", "signed": "2014-06-01", "ended": "2014-06-02"},
        {"agreement_id": "D2", "signed": "2015-01-01", "ended": "2015-01-02"},
        {"agreement_id": "Z", "signed": "2014-06-01", "ended": "2014-06-01"},
    ])
    ep = split_episodes(s)
    assert rows(ep, ["agreement_id", *BASE, "leader_1"]) == [
        ("D1", 1, "2014-06-01", "2014-06-02", 0, 1, 1, 0, True, NA, "A"),
        ("D2", 1, "2015-01-01", "2015-01-02", 0, 1, 1, 0, True, NA, "B"),
    ]
    audit = audit_episodes(s)
    cols = ["agreement_id", "t_stop", "event", "end_type", "status", "n_episodes"]
    assert rows(audit, cols) == [
        ("D1", 1, 1, "ended", "included", 1),
        ("D2", 1, 1, "ended", "included", 1),
        ("Z", 0, 1, "ended", "no_time_at_risk", 0),
    ]


VACANCY = [("Solo", "A", "2010-01-01", "2014-01-01"), ("Solo", "B", "2014-03-01", None), XIAN]
VACANCY_EXPECTED = [
    (1, "2013-01-01", "2014-01-01", 0, 365, 0, 0, True, NA, "A", "Solo-0"),
    (2, "2014-01-01", "2014-03-01", 365, 424, 0, 0, False, NA, NA, NA),
    (3, "2014-03-01", "2015-01-01", 424, 730, 0, 1, False, 0, "B", "Solo-1"),
]


def test_a_vacancy_between_terms_has_no_leader_and_the_change_is_when_the_new_one_starts():
    s = make_study(VACANCY, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    assert rows(split_episodes(s), [*BASE, "leader_1", "term_id_1"]) == VACANCY_EXPECTED
    # the change counted is the transition listed by study.transitions()
    tr = s.transitions()
    assert tr["date"].tolist() == [pd.Timestamp("2014-03-01")]
    assert tr["leader_change"].all()


def test_a_vacancy_between_terms_is_known():
    s = make_study(VACANCY, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    ep = split_episodes(s, window=100)
    assert rows(ep, ["t_start", "changes", "party_changes", "signer_in_office", "post_change",
                     "leader_1"]) == [
        (0, 0, 0, True, False, "A"), (365, 0, 0, False, False, NA),
        (424, 1, NA, False, True, "B"), (524, 1, NA, False, False, "B")]
    assert audit_episodes(s, window=100)["n_unknown_exposure"].tolist() == [0]


def test_a_term_of_kind_vacancy_is_a_gap():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01", "elected"),
             ("Solo", "(vacant)", "2014-01-01", "2014-03-01", "vacancy"),
             ("Solo", "B", "2014-03-01", None, "elected"), (*XIAN, "elected")]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    expected = [(*r[:-1], None if r[-1] is None else {"Solo-1": "Solo-2"}.get(r[-1], r[-1]))
                for r in VACANCY_EXPECTED]
    assert rows(split_episodes(s), [*BASE, "leader_1", "term_id_1"]) == expected
    tr = s.transitions()
    assert rows(tr, ["date", "from_holder", "to_holder", "gap_days"]) == [
        ("2014-03-01", "A", "B", 59)]


def test_a_caretaker_spell_is_two_changes_and_window_edges_split():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01", "elected"),
             ("Solo", "C", "2014-01-01", "2014-06-01", "acting"),
             ("Solo", "B", "2014-06-01", None, "elected"), (*XIAN, "elected")]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01",
                            "expires": "2015-01-01"}])
    ep = split_episodes(s, window=100)
    assert rows(ep, [*BASE, "post_change", "leader_1"]) == [
        (1, "2013-01-01", "2014-01-01", 0, 365, 0, 0, True, NA, False, "A"),
        (2, "2014-01-01", "2014-04-11", 365, 465, 0, 1, False, 0, True, "C"),
        (3, "2014-04-11", "2014-06-01", 465, 516, 0, 1, False, 100, False, "C"),
        (4, "2014-06-01", "2014-09-09", 516, 616, 0, 2, False, 0, True, "B"),
        (5, "2014-09-09", "2015-01-01", 616, 730, 1, 2, False, 100, False, "B"),
    ]


def test_both_parties_changing_on_the_same_day_is_one_split_and_two_changes():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01"), ("Solo", "B", "2014-01-01", None),
             ("Xian", "P", "2010-01-01", "2014-01-01"), ("Xian", "Q", "2014-01-01", None)]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01",
                            "expires": "2015-01-01"}])
    assert rows(split_episodes(s, focal="Xian"),
                [*BASE, "own_changes", "partner_changes", "leader_1", "leader_2"]) == [
        (1, "2013-01-01", "2014-01-01", 0, 365, 0, 0, True, NA, 0, 0, "A", "P"),
        (2, "2014-01-01", "2015-01-01", 365, 730, 1, 2, False, 0, 1, 1, "B", "Q"),
    ]


def test_the_same_holder_starting_a_new_term_splits_without_a_change():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01"), ("Solo", "A", "2014-01-01", None), XIAN]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01",
                            "expires": "2015-01-01"}])
    assert rows(split_episodes(s), [*BASE, "leader_1", "term_id_1"]) == [
        (1, "2013-01-01", "2014-01-01", 0, 365, 0, 0, True, NA, "A", "Solo-0"),
        (2, "2014-01-01", "2015-01-01", 365, 730, 1, 0, True, NA, "A", "Solo-1"),
    ]


def test_an_instrument_with_three_parties_beside_one_with_two():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01"), ("Solo", "B", "2014-01-01", None),
             XIAN,
             ("Zhuhai", "Z", "2010-01-01", "2014-03-01"), ("Zhuhai", "Y", "2014-03-01", None)]
    s = make_study(terms, [{"agreement_id": "TRI", "signed": "2013-01-01",
                            "expires": "2015-01-01"},
                           {"agreement_id": "BI", "signed": "2013-01-01",
                            "expires": "2015-01-01"}],
                   parties={"TRI": ["Zhuhai", "Xian", "Solo"], "BI": ["Xian", "Zhuhai"]})
    ep = split_episodes(s)
    cols = ["agreement_id", "t_start", "t_stop", "event", "changes", "signer_in_office",
            "days_since_change", "jurisdiction_1", "leader_1", "jurisdiction_2", "leader_2",
            "jurisdiction_3", "leader_3"]
    assert rows(ep, cols) == [
        ("TRI", 0, 365, 0, 0, True, NA, "Solo", "A", "Xian", "P", "Zhuhai", "Z"),
        ("TRI", 365, 424, 0, 1, False, 0, "Solo", "B", "Xian", "P", "Zhuhai", "Z"),
        ("TRI", 424, 730, 1, 2, False, 0, "Solo", "B", "Xian", "P", "Zhuhai", "Y"),
        ("BI", 0, 424, 0, 0, True, NA, "Xian", "P", "Zhuhai", "Z", NA, NA),
        ("BI", 424, 730, 1, 1, False, 0, "Xian", "P", "Zhuhai", "Y", NA, NA),
    ]


def test_unknown_exposure_is_na_never_zero():
    terms = [("Solo", "A", "2010-01-01", "2014-01-01"), ("Solo", "B", "2014-01-01", None)]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01",
                            "expires": "2015-01-01"}],
                   parties={"X": ["Solo", "Andong"]}, allow_unknown_exposure=True)
    assert s.unknown_exposure == ("Andong",)
    ep = split_episodes(s, window=30, focal="Solo")
    assert rows(ep, ["t_start", "t_stop", "changes", "own_changes", "partner_changes",
                     "signer_in_office", "days_since_change", "post_change", "jurisdiction_1",
                     "leader_1", "jurisdiction_2", "leader_2"]) == [
        (0, 365, NA, 0, NA, NA, NA, NA, "Andong", NA, "Solo", "A"),
        # Solo's change 0 days ago is known: post_change is True whatever Andong did
        (365, 395, NA, 1, NA, False, NA, True, "Andong", NA, "Solo", "B"),
        (395, 730, NA, 1, NA, False, NA, NA, "Andong", NA, "Solo", "B"),
    ]
    assert audit_episodes(s)["n_unknown_exposure"].tolist() == [2]


def test_a_unit_without_the_focal_jurisdiction_has_na_own_and_partner_changes():
    terms = [*SOLO_AB, ("Zhuhai", "Z", "2000-01-01", None)]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2014-01-01"},
                           {"agreement_id": "Y", "signed": "2014-01-01"}],
                   parties={"X": ["Solo", "Xian"], "Y": ["Xian", "Zhuhai"]}, as_of="2016-01-01")
    ep = split_episodes(s, focal="Solo")
    assert rows(ep, ["agreement_id", "t_stop", "changes", "own_changes", "partner_changes"]) == [
        ("X", 365, 0, 0, 0), ("X", 730, 1, 1, 0), ("Y", 730, 0, NA, NA)]


def test_delayed_entry_with_observed_from_and_cuts():
    s = make_study(SOLO_AB, [
        {"agreement_id": "OLD", "signed": "2013-01-01", "expires": "2016-01-01"},
        {"agreement_id": "GONE", "signed": "2012-01-01", "expires": "2013-06-01"},
        {"agreement_id": "NEW", "signed": "2014-06-01", "expires": "2015-06-01"},
    ])
    ep = split_episodes(s, observed_from="2014-01-01", cuts=[100, 500])
    assert rows(ep, ["agreement_id", "episode", "start", "t_start", "t_stop", "event", "changes",
                     "leader_1"]) == [
        ("OLD", 1, "2014-01-01", 365, 500, 0, 0, "A"),
        ("OLD", 2, "2014-05-16", 500, 730, 0, 0, "A"),
        ("OLD", 3, "2015-01-01", 730, 1095, 1, 1, "B"),
        ("NEW", 1, "2014-06-01", 0, 100, 0, 0, "A"),
        ("NEW", 2, "2014-09-09", 100, 214, 0, 0, "A"),
        ("NEW", 3, "2015-01-01", 214, 365, 1, 1, "B"),
    ]
    audit = audit_episodes(s, observed_from="2014-01-01", cuts=[100, 500])
    assert rows(audit, ["agreement_id", "start", "t_start", "t_stop", "status", "n_episodes"]) == [
        ("OLD", "2014-01-01", 365, 1095, "included", 3),
        ("GONE", "2014-01-01", 731, 517, "ends_before_observed_from", 0),
        ("NEW", "2014-06-01", 0, 365, "included", 3),
    ]


def test_formal_end_rules_at_instrument_level():
    s = make_study(SOLO_AB, [
        {"agreement_id": "ENDED", "signed": "2014-01-01", "expires": "2020-01-01",
         "ended": "2014-03-01", "end_reason": "replaced"},
        {"agreement_id": "EXPIRED", "signed": "2014-01-01", "expires": "2014-03-01"},
        {"agreement_id": "LATER", "signed": "2014-01-01", "expires": "2016-01-01"},
        {"agreement_id": "OPEN", "signed": "2014-01-01"},
        {"agreement_id": "FUTURE", "signed": "2015-06-01"},
        {"agreement_id": "EFFECTIVE", "signed": "2013-06-01", "effective": "2014-01-01",
         "expires": "2014-03-01"},
    ], as_of="2015-01-01")
    audit = audit_episodes(s)
    assert rows(audit, ["agreement_id", "entry", "stop", "event", "end_type", "status"]) == [
        ("ENDED", "2014-01-01", "2014-03-01", 1, "ended", "included"),
        ("EXPIRED", "2014-01-01", "2014-03-01", 1, "expired", "included"),
        ("LATER", "2014-01-01", "2015-01-01", 0, "censored", "included"),
        ("OPEN", "2014-01-01", "2015-01-01", 0, "censored", "included"),
        ("FUTURE", "2015-06-01", "2015-01-01", 0, "censored", "enters_after_as_of"),
        ("EFFECTIVE", "2014-01-01", "2014-03-01", 1, "expired", "included"),
    ]
    ep = split_episodes(s)
    assert ep["agreement_id"].unique().tolist() == ["ENDED", "EXPIRED", "LATER", "OPEN",
                                                    "EFFECTIVE"]
    assert ep.groupby("agreement_id", observed=True)["event"].sum().tolist() == [1, 1, 0, 0, 1]


def relationship_study():
    agreements = [
        # R1: LoI, then an MoU 200 days after the LoI expired (within max_gap): one spell,
        # expiring 2016-01-01; as_of 2017-06-01 is more than 365 days later: event
        {"agreement_id": "R1-LOI", "relationship_id": "R1", "signed": "2013-01-01",
         "expires": "2014-01-01"},
        {"agreement_id": "R1-MOU", "relationship_id": "R1", "signed": "2014-07-20",
         "expires": "2016-01-01"},
        # R2: an LoI, then after 500 days a new MoU: two spells; the second expired less than
        # max_gap days before as_of: censored at its expiry
        {"agreement_id": "R2-LOI", "relationship_id": "R2", "signed": "2013-01-01",
         "expires": "2014-01-01"},
        {"agreement_id": "R2-MOU", "relationship_id": "R2", "signed": "2015-05-16",
         "expires": "2017-01-01"},
        # R3: a single open instrument
        {"agreement_id": "R3", "signed": "2014-06-01"},
    ]
    return make_study(SOLO_AB, agreements, as_of="2017-06-01")


def test_relationships_chain_instruments_within_max_gap():
    s = relationship_study()
    audit = audit_episodes(s, level="relationship")
    assert rows(audit, ["relationship_id", "spell", "entry", "stop", "event", "end_type",
                        "n_instruments", "n_episodes"]) == [
        ("R1", 1, "2013-01-01", "2016-01-01", 1, "expired", 2, 2),
        ("R2", 1, "2013-01-01", "2014-01-01", 1, "expired", 1, 1),
        ("R2", 2, "2015-05-16", "2017-01-01", 0, "censored", 1, 1),
        ("R3", 1, "2014-06-01", "2017-06-01", 0, "censored", 1, 2),
    ]
    ep = split_episodes(s, level="relationship")
    assert rows(ep, ["relationship_id", "spell", "episode", "t_start", "t_stop", "event",
                     "changes"]) == [
        ("R1", 1, 1, 0, 730, 0, 0), ("R1", 1, 2, 730, 1095, 1, 1),
        ("R2", 1, 1, 0, 365, 1, 0),
        ("R2", 2, 1, 0, 596, 0, 0),
        ("R3", 1, 1, 0, 214, 0, 0), ("R3", 1, 2, 214, 1096, 0, 1),
    ]
    # with a longer max_gap, R2 is one spell, and it is still in its grace period
    long = audit_episodes(s, level="relationship", max_gap=600)
    assert rows(long[long["relationship_id"] == "R2"],
                ["spell", "stop", "event", "end_type", "n_instruments"]) == [
        (1, "2017-01-01", 0, "censored", 2)]


def test_dormancy_ends_a_unit_dormancy_days_after_its_last_sign_of_life():
    acts = pd.DataFrame({"agreement_id": ["A1", "A1", "A2"],
                         "date": ["2013-03-01", "2013-06-01", "2013-02-01"]})
    s = make_study(SOLO_AB, [
        {"agreement_id": "A1", "signed": "2013-01-01"},            # quiet after 2013-06-01
        {"agreement_id": "A2", "signed": "2013-01-01", "expires": "2013-12-01"},
        {"agreement_id": "A3", "signed": "2014-01-01"},            # never active
    ], activities=acts, as_of="2016-01-01")
    audit = audit_episodes(s, event="dormant", dormancy=500)
    assert rows(audit, ["agreement_id", "stop", "t_stop", "event", "end_type"]) == [
        ("A1", "2014-10-14", 651, 1, "dormant"),
        ("A2", "2013-12-01", 334, 1, "expired"),
        ("A3", "2015-05-16", 500, 1, "dormant"),
    ]
    ep = split_episodes(s, event="dormant", dormancy=500)
    assert rows(ep, ["agreement_id", "t_start", "t_stop", "event", "changes"]) == [
        ("A1", 0, 651, 1, 0), ("A2", 0, 334, 1, 0),
        ("A3", 0, 365, 0, 0), ("A3", 365, 500, 1, 1),
    ]
    # A1's activities are on days 59 and 151: an activity exactly dormancy days after the
    # previous one is too late, one a day earlier keeps the unit alive
    assert audit_episodes(s, event="dormant", dormancy=92)["t_stop"].tolist()[0] == 59 + 92
    assert audit_episodes(s, event="dormant", dormancy=93)["t_stop"].tolist()[0] == 151 + 93


def test_changes_agree_with_study_transitions():
    terms = [("Solo", "A", "2010-01-01", "2012-01-01"), ("Solo", "B", "2012-01-01", "2013-05-01"),
             ("Solo", "B", "2013-05-01", "2014-01-01"), ("Solo", "C", "2014-02-01", None),
             ("Xian", "P", "2010-01-01", "2013-03-01"), ("Xian", "Q", "2013-03-01", None)]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2011-01-01"}], as_of="2015-01-01")
    ep = split_episodes(s)
    tr = s.transitions()
    expected = [int(((tr["date"] > pd.Timestamp("2011-01-01")) & (tr["date"] <= d)
                     & tr["leader_change"]).sum()) for d in ep["start"]]
    assert ep["changes"].tolist() == expected
    assert ep["t_start"].tolist() == [0, 365, 790, 851, 1096, 1127]


def test_output_dtypes_are_stable():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01"}])
    ep = split_episodes(s, window=10, focal="Solo")
    assert {c: str(t) for c, t in ep.dtypes.items()} == {
        "agreement_id": "category", "episode": "int32", "start": "datetime64[ns]",
        "stop": "datetime64[ns]", "t_start": "int64", "t_stop": "int64", "event": "int8",
        "changes": "Int32", "party_changes": "Int32", "own_changes": "Int32",
        "partner_changes": "Int32",
        "signer_in_office": "boolean", "days_since_change": "Int32", "post_change": "boolean",
        "jurisdiction_1": "category", "leader_1": "category", "term_id_1": "category",
        "jurisdiction_2": "category", "leader_2": "category", "term_id_2": "category",
    }


def test_study_episodes_delegates_and_nothing_is_mutated():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01"}])
    before = s.agreements
    pd.testing.assert_frame_equal(s.episodes(window=10), split_episodes(s, window=10))
    pd.testing.assert_frame_equal(s.agreements, before)


def test_no_units_gives_an_empty_table_with_the_columns():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2016-01-01"}], as_of="2015-06-01")
    ep = split_episodes(s)
    assert len(ep) == 0
    assert list(ep.columns[:7]) == ["agreement_id", "episode", "start", "stop", "t_start",
                                    "t_stop", "event"]


@pytest.mark.parametrize(("options", "message"), [
    ({"level": "treaty"}, "level must be one of 'instrument', 'relationship', not 'treaty'"),
    ({"event": "death"}, "event must be one of 'formal', 'dormant', not 'death'"),
    ({"dormancy": 0}, "dormancy must be a whole number of days, 1 or more, not 0"),
    ({"dormancy": 1.5}, "dormancy must be a whole number of days, not 1.5"),
    ({"max_gap": -1}, "max_gap must be a whole number of days, 0 or more, not -1"),
    ({"max_gap": True}, "max_gap must be a whole number of days, not True"),
    ({"window": 0}, "window must be a whole number of days, 1 or more, not 0"),
    ({"window": "30"}, "window must be a whole number of days, not '30'"),
    ({"cuts": [10, -5]}, "each cut must be a whole number of days, 1 or more, not -5"),
    ({"cuts": "365"}, "cuts must be a sequence of whole numbers of days, not '365'"),
    ({"observed_from": "soon"}, "observed_from 'soon' is not a date; give YYYY-MM-DD"),
    ({"focal": "Solo "}, "focal 'Solo ' is not a party to any agreement (parties include "
                         "'Solo', 'Xian'); give one jurisdiction as it is written in parties"),
    ({"event": "dormant"}, "event='dormant' needs dated activities, and the study has none; "
                           "pass activities= to Study, or use event='formal'"),
])
def test_options_are_checked_with_clear_errors(options, message):
    # a bad argument is an OptionError (no failure table), named after the function called
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01"}])
    for fn in (split_episodes, audit_episodes):
        with pytest.raises(ct.OptionError) as err:
            fn(s, **options)
        assert str(err.value) == f"{fn.__name__}: {message}"
    with pytest.raises(ct.OptionError) as err:
        s.episodes(**options)
    assert str(err.value) == f"split_episodes: {message}"


def test_cuts_accept_a_single_number_and_integral_floats():
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2015-06-01"}], as_of="2016-06-01")
    a = split_episodes(s, cuts=100)
    b = split_episodes(s, cuts=[100.0, 100])
    pd.testing.assert_frame_equal(a, b)
    assert a["t_start"].tolist() == [0, 100]


# --- the edges of a party's record -----------------------------------------------------------
EDGE = ["t_start", "t_stop", "changes", "signer_in_office", "days_since_change", "post_change",
        "leader_1", "leader_2"]


def test_a_unit_signed_before_a_partys_first_term_has_unknown_exposure():
    # A's record starts in 1900, B's in 1950: from 1940 B's changes are unknown; the window of
    # 365 days is inside B's record from 1951-01-01, so post_change is known from then on
    terms = [("A", "a", "1900-01-01", None), ("B", "b1", "1950-01-01", "1960-01-01"),
             ("B", "b2", "1960-01-01", None)]
    s = make_study(terms, [{"agreement_id": "X", "signed": "1940-01-01"}],
                   parties={"X": ["A", "B"]}, as_of="1970-01-01")
    ep = split_episodes(s, window=365, focal="A")
    assert rows(ep, ["start", *EDGE, "own_changes", "partner_changes"]) == [
        ("1940-01-01", 0, 3653, NA, NA, NA, NA, "a", NA, 0, NA),
        ("1950-01-01", 3653, 4018, NA, NA, NA, NA, "a", "b1", 0, NA),
        ("1951-01-01", 4018, 7305, NA, NA, NA, False, "a", "b1", 0, NA),
        ("1960-01-01", 7305, 7670, NA, NA, NA, True, "a", "b2", 0, NA),
        ("1960-12-31", 7670, 10958, NA, NA, NA, False, "a", "b2", 0, NA),
    ]
    audit = audit_episodes(s, window=365)
    assert audit["n_unknown_exposure"].tolist() == [5]
    # a unit signed once B's record has begun is fully known
    s2 = make_study(terms, [{"agreement_id": "Y", "signed": "1955-01-01"}],
                    parties={"Y": ["A", "B"]}, as_of="1970-01-01")
    assert rows(split_episodes(s2, window=365), EDGE) == [
        (0, 1826, 0, True, NA, False, "a", "b1"),
        (1826, 2191, 1, False, 0, True, "a", "b2"),
        (2191, 5479, 1, False, 365, False, "a", "b2"),
    ]


def test_a_party_whose_last_term_ended_before_as_of_with_no_successor():
    # Solo's record ends on 2014-01-01: after it, Solo's changes are unknown; its change on
    # 2013-06-01 is known, so its signer has left and, within 365 days, post_change is True
    terms = [("Solo", "A", "2010-01-01", "2013-06-01"), ("Solo", "B", "2013-06-01", "2014-01-01"),
             XIAN]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    ep = split_episodes(s, window=365, focal="Xian")
    assert rows(ep, ["start", *EDGE, "own_changes", "partner_changes"]) == [
        ("2013-01-01", 0, 151, 0, True, NA, False, "A", "P", 0, 0),
        ("2013-06-01", 151, 365, 1, False, 0, True, "B", "P", 0, 1),
        ("2014-01-01", 365, 516, NA, False, NA, True, NA, "P", 0, NA),
        ("2014-06-01", 516, 730, NA, False, NA, NA, NA, "P", 0, NA),
    ]
    # without the change, whether Solo's signer is still in office after 2014-01-01 is unknown
    s2 = make_study([("Solo", "A", "2010-01-01", "2014-01-01"), XIAN],
                    [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    assert rows(split_episodes(s2, window=365), EDGE) == [
        (0, 365, 0, True, NA, False, "A", "P"),
        (365, 730, NA, NA, NA, NA, NA, "P"),
    ]
    assert audit_episodes(s2)["n_unknown_exposure"].tolist() == [1]


def test_vacancy_rows_at_the_edges_of_a_record_are_known_and_split():
    terms = [("Solo", "(vacant)", "2012-01-01", "2013-06-01", "vacancy"),
             ("Solo", "A", "2013-06-01", "2014-01-01", "elected"),
             ("Solo", "(vacant)", "2014-01-01", "2014-06-01", "vacancy"), (*XIAN, "elected")]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    assert rows(split_episodes(s), ["start", *EDGE[:5], "leader_1"]) == [
        ("2013-01-01", 0, 151, 0, NA, NA, NA),
        ("2013-06-01", 151, 365, 0, NA, NA, "A"),
        ("2014-01-01", 365, 516, 0, NA, NA, NA),
        ("2014-06-01", 516, 730, NA, NA, NA, NA),
    ]
    # the same record written without the vacancy rows starts and ends with A's term
    s2 = make_study([terms[1][:4], XIAN], [{"agreement_id": "X", "signed": "2013-01-01"}],
                    as_of="2015-01-01")
    assert rows(split_episodes(s2), ["t_start", "changes", "leader_1"]) == [
        (0, NA, NA), (151, NA, "A"), (365, NA, NA)]


def test_party_changes_count_leader_changes_with_a_change_of_party():
    terms = [("Solo", "A", "2010-01-01", "2012-01-01", "elected", "red"),
             ("Solo", "B", "2012-01-01", "2013-01-01", "elected", "blue"),
             ("Solo", "C", "2013-01-01", "2014-01-01", "elected", "blue"),
             ("Solo", "C", "2014-01-01", "2014-06-01", "elected", "green"),
             ("Solo", "D", "2014-06-01", None, "elected", None),
             ("Xian", "P", "2000-01-01", "2013-06-01", "elected", "red"),
             ("Xian", "Q", "2013-06-01", None, "elected", "blue")]
    s = make_study(terms, [{"agreement_id": "X", "signed": "2011-01-01"}], as_of="2015-01-01")
    ep = split_episodes(s)
    # the same holder in a new party is no leader change; D's party is unknown
    assert rows(ep, ["start", "changes", "party_changes"]) == [
        ("2011-01-01", 0, 0), ("2012-01-01", 1, 1), ("2013-01-01", 2, 1),
        ("2013-06-01", 3, 2), ("2014-01-01", 3, 2), ("2014-06-01", 4, NA)]
    tr = s.transitions()
    assert rows(tr[tr["leader_change"]], ["party_change"]) == [(True,), (False,), (NA,), (True,)]


def test_leaders_none_drops_the_per_party_columns_and_keeps_the_exposure():
    s = make_study(VACANCY, [{"agreement_id": "X", "signed": "2013-01-01"}], as_of="2015-01-01")
    wide = split_episodes(s, window=30, focal="Solo")
    none = split_episodes(s, window=30, focal="Solo", leaders="none")
    slots = [c for c in wide.columns if c.rsplit("_", 1)[0] in ("jurisdiction", "leader",
                                                                 "term_id")]
    assert slots == ["jurisdiction_1", "leader_1", "term_id_1", "jurisdiction_2", "leader_2",
                     "term_id_2"]
    pd.testing.assert_frame_equal(none, wide.drop(columns=slots))
    pd.testing.assert_frame_equal(audit_episodes(s, leaders="none"), audit_episodes(s))
    pd.testing.assert_frame_equal(s.episodes(leaders="none"), split_episodes(s, leaders="none"))


@pytest.mark.parametrize("value", ["long", "None", None, 1])
def test_leaders_is_checked(value):
    s = make_study(SOLO_AB, [{"agreement_id": "X", "signed": "2014-01-01"}])
    with pytest.raises(ct.OptionError) as err:
        split_episodes(s, leaders=value)
    assert str(err.value) == (
        f"split_episodes: leaders must be one of 'wide', 'none', not {value!r}; 'none' drops "
        "the per-party columns (jurisdiction_i, leader_i, term_id_i) and keeps the exposure "
        "columns")


def test_statements_are_not_signs_of_life_for_the_de_facto_end():
    # signed 2016-01-01; a visit on 2016-06-01; a statement on 2017-03-01 that the relationship
    # has stalled. With dormancy 365 the unit ends 2017-06-01 (365 days after the visit): the
    # statement does not keep it alive (counted, it would have carried it to 2018-03-01).
    from continuity.testing import scenario

    study = (scenario(as_of="2020-12-31")
             .terms("Solo", "mayor", [("A", "2010-01-01")])
             .terms("Zhuhai", "party_secretary", [("P", "2012-01-01")])
             .agreement("LOI", ["Solo", "Zhuhai"], signed="2016-01-01")
             .activity("LOI", "2016-06-01", kind="visit_in")
             .activity("LOI", "2017-03-01", kind="statement")
             .build())
    ep = study.episodes(event="dormant", dormancy=365)
    assert ep["stop"].max() == pd.Timestamp("2017-06-01")
    assert ep["event"].sum() == 1


def test_an_instrument_entering_after_as_of_does_not_continue_a_relationship():
    # L runs 2010-01-01 .. expires 2019-10-01; M (same relationship) is signed 2020-03-01, after
    # as_of 2020-01-01. As of 2020-01-01 the spell reached 2019-10-01, less than max_gap (365)
    # before as_of, so it is censored there (a successor may still come), exactly as without M:
    # 2010-01-01 .. 2019-10-01 is 3560 days, and M is not one of its instruments.
    from continuity import audit_episodes
    from continuity.testing import scenario

    def study(with_m):
        s = (scenario(as_of="2020-01-01")
             .terms("X", "mayor", [("A", "2000-01-01")])
             .terms("Y", "mayor", [("P", "2000-01-01")])
             .agreement("L", ["X", "Y"], signed="2010-01-01", expires="2019-10-01",
                        relationship_id="R"))
        if with_m:
            s = s.agreement("M", ["X", "Y"], signed="2020-03-01", expires="2023-01-01",
                            relationship_id="R")
        return s.build()

    for with_m in (False, True):
        audit = audit_episodes(study(with_m), level="relationship")
        first = audit.iloc[0]
        assert (first["stop"], first["event"]) == (pd.Timestamp("2019-10-01"), 0)
        assert first["n_instruments"] == 1
    audit = audit_episodes(study(True), level="relationship")
    assert audit["status"].tolist()[1:] == ["enters_after_as_of"]


def test_signing_a_renewal_is_a_sign_of_life_for_the_de_facto_end():
    # relationship R: L signed 2010-01-01 (activity 2010-06-01), renewal M signed 2011-03-01,
    # next activity 2011-12-01, none after. dormancy 300: silences are 2010-06-01 -> 2011-03-01
    # (273 days, M's signing) and 2011-03-01 -> 2011-12-01 (275 days): alive; the unit goes
    # dormant 300 days after 2011-12-01, on 2012-09-26. Without M's signing as a sign of life
    # it would end 2011-03-28 (300 days after 2010-06-01).
    from continuity.testing import scenario

    study = (scenario(as_of="2015-01-01")
             .terms("X", "mayor", [("A", "2000-01-01")])
             .terms("Y", "mayor", [("P", "2000-01-01")])
             .agreement("L", ["X", "Y"], signed="2010-01-01", relationship_id="R")
             .agreement("M", ["X", "Y"], signed="2011-03-01", relationship_id="R")
             .activity("L", "2010-06-01")
             .activity("M", "2011-12-01")
             .build())
    ep = study.episodes(level="relationship", event="dormant", dormancy=300)
    assert ep["stop"].max() == pd.Timestamp("2012-09-26")
    assert ep["event"].sum() == 1


def test_one_agreement_with_200000_parties_counts_every_change():
    # issue 7: the exposure columns were computed one party slot at a time, so this agreement
    # cost 200,000 passes over its episodes; they are now running counts over its pairs.
    # Every other party gets a second leader on a day spread over 2000-2019.
    k = 200_000
    names = pd.Index([f"J{i:06d}" for i in range(k)])
    two = np.arange(k) % 2 == 1
    day = np.datetime64("2000-01-02") + (np.arange(k) * 7300) // k
    second = pd.to_datetime(day[two])
    terms = pd.DataFrame({
        "jurisdiction": np.concatenate([names, names[two]]), "office": "mayor",
        "holder": np.concatenate([names + "-a", names[two] + "-b"]),
        "start": np.concatenate([np.full(k, np.datetime64("1990-01-01", "ns")), second]),
        "end": np.concatenate([np.where(two, pd.to_datetime(day), pd.NaT),
                               np.full(two.sum(), pd.NaT)]),
    })
    agreements = pd.DataFrame({"agreement_id": ["ALL", "TWO"],
                               "signed": ["2000-01-01", "2005-01-01"]})
    parties = pd.DataFrame({"agreement_id": ["ALL"] * k + ["TWO", "TWO"],
                            "jurisdiction": [*names, names[2], names[-1]]})
    study = ct.Study(terms, agreements, parties, as_of="2025-12-31")
    ep = split_episodes(study, leaders="none")
    big = ep[ep["agreement_id"] == "ALL"]
    changed = np.sort(second.to_numpy())
    expected = np.searchsorted(changed, big["start"].to_numpy(), side="right")
    assert len(big) == len(np.unique(changed)) + 1
    assert big["changes"].to_numpy(dtype=np.int64).tolist() == expected.tolist()
    assert (big["signer_in_office"].to_numpy(dtype=bool) == (expected == 0)).all()
    assert rows(ep[ep["agreement_id"] == "TWO"], ["start", "stop", "changes"]) == [
        ("2005-01-01", "2019-12-27", 0), ("2019-12-27", "2025-12-31", 1)]  # J199999's change
