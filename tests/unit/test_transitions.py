"""compute_transitions: literal expected rows for the kinds of boundary between terms."""

from __future__ import annotations

import pandas as pd

import continuity as ct
from continuity import compute_transitions
from continuity.leadership import TRANSITION_COLUMNS


def make_study(terms, as_of="2030-01-01"):
    t = pd.DataFrame(terms, columns=["jurisdiction", "holder", "start", "end", "kind", "party"])
    t["office"] = "mayor"
    t["term_id"] = [f"t{i}" for i in range(len(t))]
    a = pd.DataFrame({"agreement_id": ["X"], "signed": ["2012-01-01"]})
    p = pd.DataFrame({"agreement_id": "X", "jurisdiction": ["Solo", "Xian"]})
    return ct.Study(t, a, p, as_of=as_of)


TERMS = [
    ("Solo", "A", "2010-01-01", "2012-01-01", "elected", "PDIP"),
    ("Solo", "A", "2012-01-01", "2013-01-01", "elected", "PDIP"),     # re-elected
    ("Solo", "C", "2013-01-01", "2013-03-01", "acting", None),        # caretaker
    ("Solo", "B", "2013-04-01", "2014-01-01", "elected", "Golkar"),   # after a vacancy
    ("Solo", "(vacant)", "2014-01-01", "2014-02-01", "vacancy", None),  # a recorded vacancy
    ("Solo", "D", "2014-02-01", "2016-01-01", "elected", "PDIP"),
    ("Solo", "E", "2016-01-01", None, "elected", "PDIP"),
    ("Xian", "P", "2010-01-01", None, "appointed", "CPC"),
]


def test_each_kind_of_transition():
    tr = compute_transitions(make_study(TERMS))
    assert list(tr.columns) == TRANSITION_COLUMNS
    got = [tuple(None if pd.isna(v) else v for v in r) for r in
           tr[["date", "from_holder", "to_holder", "leader_change", "caretaker", "gap_days",
               "party_change", "transition_kind", "from_term_id", "to_term_id"]]
           .astype(object).itertuples(index=False)]
    assert got == [
        (pd.Timestamp("2012-01-01"), "A", "A", False, False, 0, False, "same_holder", "t0", "t1"),
        (pd.Timestamp("2013-01-01"), "A", "C", True, True, 0, None, "caretaker", "t1", "t2"),
        (pd.Timestamp("2013-04-01"), "C", "B", True, True, 31, None, "caretaker", "t2", "t3"),
        (pd.Timestamp("2014-02-01"), "B", "D", True, False, 31, True, "party_change", "t3", "t5"),
        (pd.Timestamp("2016-01-01"), "D", "E", True, False, 0, False, "same_party", "t5", "t6"),
    ]


def test_only_transitions_up_to_as_of_are_listed():
    tr = compute_transitions(make_study(TERMS, as_of="2015-12-31"))
    assert tr["date"].max() == pd.Timestamp("2014-02-01")
    tr = compute_transitions(make_study(TERMS, as_of="2016-01-01"))
    assert tr["date"].max() == pd.Timestamp("2016-01-01")


def test_study_transitions_delegates():
    s = make_study(TERMS)
    pd.testing.assert_frame_equal(s.transitions(), compute_transitions(s))
