"""target_attainment and budget_realisation on a study worked out by hand."""

import numpy as np
import pytest

from continuity import ValidationError
from continuity.errors import OptionError
from continuity.metrics import budget_realisation, target_attainment
from continuity.rates import wilson_interval
from continuity.testing import scenario


def base():
    return (scenario(as_of="2017-12-31")
            .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2016-01-01")])
            .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
            .agreement("LOI", ["Solo", "Xi'an"], signed="2015-01-01"))


def hand_study():
    # 2015 (under A): students 8 of 10, events 5 of 4 (weight 2); 2016 (under B): students
    # 10 of 10. Budgets: 2015 planned 100 realised 80; 2016 planned 200 realised 150.
    return (base()
            .targets("LOI", [("students", "2015-01-01", "2016-01-01", 10, 8),
                             ("events", "2015-01-01", "2016-01-01", 4, 5),
                             ("students", "2016-01-01", "2017-01-01", 10, 10)],
                     objective=["human_resources", "international_relations",
                                "human_resources"], weight=[1, 2, 1])
            .targets("LOI", [("budget", "2015-01-01", "2016-01-01", 100, 80),
                             ("budget", "2016-01-01", "2017-01-01", 200, 150)], weight=1)
            .build())


def test_attainment_by_hand():
    t = target_attainment(hand_study()).iloc[0]
    assert (t["n"], t["n_met"]) == (3, 2)  # 5 >= 4 and 10 >= 10; budgets are left out
    # capped: 0.8, 1, 1 with weights 1, 2, 1 -> 3.8 / 4; uncapped: 0.8 + 2 * 1.25 + 1 = 4.3
    assert t["attainment"] == pytest.approx(3.8 / 4)
    assert t["attainment_uncapped"] == pytest.approx(4.3 / 4)
    assert (t["target_total"], t["actual_total"]) == (24, 23)
    assert t["attainment_of_totals"] == pytest.approx(23 / 24)
    w = wilson_interval(2, 3).iloc[0]
    assert t["estimate"] == pytest.approx(2 / 3)
    assert (t["conf_low"], t["conf_high"]) == pytest.approx((w["conf_low"], w["conf_high"]))


def test_attainment_credited_to_the_administration_of_the_last_day():
    t = target_attainment(hand_study(), by="administration", focal="Solo")
    # periods [2015-01-01, 2016-01-01) end on 2015-12-31, under A; the 2016 one under B
    assert t["administration"].tolist() == ["A 2010-2016", "B 2016-"]
    assert t["n"].tolist() == [2, 1]
    assert t["attainment"].tolist() == pytest.approx([(0.8 + 2) / 3, 1.0])


def test_attainment_by_goal_and_year():
    t = target_attainment(hand_study(), by=["objective", "year"])
    assert t[["objective", "year", "n"]].values.tolist() == [
        ["human_resources", 2015, 1], ["human_resources", 2016, 1],
        ["international_relations", 2015, 1]]


def test_budget_realisation_by_hand():
    b = budget_realisation(hand_study())
    assert b["year"].tolist() == [2015, 2016]
    assert b["estimate"].tolist() == pytest.approx([0.8, 0.75])
    pooled = budget_realisation(hand_study(), by=None).iloc[0]
    assert (pooled["planned"], pooled["realised"]) == (300, 230)
    assert pooled["estimate"] == pytest.approx(230 / 300)
    assert pooled["n_overspent"] == 0
    adm = budget_realisation(hand_study(), by="administration", focal="Solo")
    assert adm["estimate"].tolist() == pytest.approx([0.8, 0.75])


def test_errors():
    with pytest.raises(ValidationError, match="no targets table"):
        target_attainment(base().build())
    zero = base().targets("LOI", [("students", "2015-01-01", "2016-01-01", 0, 3)]).build()
    with pytest.raises(ValidationError, match="target 0"):
        target_attainment(zero)
    with pytest.raises(ValidationError, match="no row of indicator 'budget'"):
        budget_realisation(zero)
    with pytest.raises(OptionError, match="each of by must be one of"):
        target_attainment(hand_study(), by="sector")
    with pytest.raises(OptionError, match="conf_level"):
        target_attainment(hand_study(), conf_level=95)


def test_budget_rows_can_be_kept_as_targets():
    t = target_attainment(hand_study(), budget_indicator=None).iloc[0]
    assert t["n"] == 5
    assert not np.isnan(t["attainment"])
