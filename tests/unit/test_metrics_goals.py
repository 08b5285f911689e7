"""goal_coverage, goal_breadth, reciprocity and administration_scorecard by hand."""

import math

import pytest
from scipy import stats

from continuity import ValidationError
from continuity.errors import OptionError
from continuity.metrics import administration_scorecard, goal_breadth, goal_coverage, reciprocity
from continuity.testing import scenario


def study():
    # LOI from 2015-01-01. Activities: welfare/tourism (Solo hosts) 2015-03-01,
    # welfare/culture (Xi'an) 2015-06-01, human_resources/tourism (Solo) 2016-05-01,
    # and one with neither goal nor side 2016-06-01.
    return (scenario(as_of="2017-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
            .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01", relationship_id="R")
            .activities("LOI", ["2015-03-01", "2015-06-01", "2016-05-01", "2016-06-01"],
                        objective=["welfare", "welfare", "human_resources", None],
                        sector=["tourism", "culture", "tourism", None],
                        side=["Solo", "Xi'an", "Solo", None])
            .build())


def test_goal_coverage_lists_every_goal():
    g = goal_coverage(study())
    assert g["objective"].tolist()[:4] == ["welfare", "public_services", "human_resources",
                                           "international_relations"]
    assert g["n_events"].tolist() == [2, 0, 1, 0, 1]  # the last row: no goal named
    assert g["covered"].tolist()[:4] == [True, False, True, False]
    assert (g["n_activities"] == 4).all()
    assert g["estimate"].iloc[0] == pytest.approx(0.5)


def test_goal_coverage_by_administration():
    g = goal_coverage(study(), by="administration", focal="Solo")
    welfare = g[g["objective"] == "welfare"]
    assert welfare["administration"].tolist() == ["A 2010-2016", "B 2016-"]
    assert welfare["n_events"].tolist() == [2, 0]


def test_breadth_by_hand():
    b = goal_breadth(study()).iloc[0]
    # sectors: tourism 2, culture 1 (one activity names none)
    p = [2 / 3, 1 / 3]
    h = -sum(q * math.log(q) for q in p)
    assert (b["n_activities"], b["n_unknown"], b["n_levels"]) == (4, 1, 2)
    assert b["shannon"] == pytest.approx(h)
    assert b["effective_number"] == pytest.approx(math.exp(h))


def test_reciprocity_by_hand():
    r = reciprocity(study(), focal="Solo").iloc[0]
    assert (r["n"], r["n_focal"], r["n_partner"], r["n_unknown"]) == (3, 2, 1, 1)
    assert r["estimate"] == pytest.approx(2 / 3)
    assert r["conf_low"] == pytest.approx(stats.beta.ppf(0.025, 2, 2))
    assert r["conf_high"] == pytest.approx(stats.beta.ppf(0.975, 3, 1))
    assert r["p_value"] == pytest.approx(1.0)


def test_reciprocity_errors():
    with pytest.raises(OptionError, match="give focal"):
        reciprocity(study())
    no_side = (scenario(as_of="2017-12-31").terms("Solo", "mayor", [("A", "2010-01-01")])
               .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
               .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01")
               .activity("LOI", "2016-01-01").build())
    with pytest.raises(ValidationError, match="no side column"):
        reciprocity(no_side, focal="Solo")
    stranger = (scenario(as_of="2017-12-31").terms("Solo", "mayor", [("A", "2010-01-01")])
                .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
                .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01")
                .activity("LOI", "2016-01-01", side="Solo")
                .activity("LOI", "2016-02-01", side="Zhuhai"))
    try:
        s = stranger.build()
    except ValidationError:  # validation may already refuse it, which is as good
        return
    with pytest.raises(ValidationError, match="neither 'focal', 'partner' nor a party"):
        reciprocity(s, focal="Solo")


def test_scorecard_by_hand():
    s = (scenario(as_of="2017-12-31")
         .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
         .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
         .agreement("L1", ["Solo", "Xi'an"], signed="2012-01-01", ended="2016-06-01")
         .agreement("L2", ["Solo", "Xi'an"], signed="2015-01-01")
         .agreement("L3", ["Solo", "Xi'an"], signed="2016-03-01", relationship_id="L2")
         .activities("L2", ["2015-03-01", "2016-05-01"])
         .build())
    card = administration_scorecard(s, focal="Solo", threshold=365).set_index("holder")
    # A (2010-2016): nothing in force at its start; L1 and L2 begun; L1 silent from 2012:
    #   dormant on 2013-01-01; nothing ended under A. 1 activity.
    # B (2016-): inherits L1 and L2; keeps L2 (L1 ends 2016-06-01); L3 renews relationship L2;
    #   L2 silent 2015-03-01 .. 2016-05-01 (dormant from 2016-03-01), again from 2017-05-01.
    a, b = card.loc["A"], card.loc["B"]
    assert (a["n_inherited"], a["n_signed"], a["n_dormant"], a["n_ended"]) == (0, 2, 1, 0)
    assert (b["n_inherited"], b["n_kept"], b["n_ended"]) == (2, 1, 1)
    assert (b["n_instruments_signed"], b["n_renewed"], b["n_signed"]) == (1, 1, 0)
    assert b["n_dormant"] == 1
    assert (a["n_activities"], b["n_activities"]) == (1, 1)
    assert math.isnan(a["attainment"])
    assert math.isnan(b["budget_realisation"])


def test_scorecard_needs_focal():
    with pytest.raises(OptionError, match="give focal"):
        administration_scorecard(study(), focal=None)
