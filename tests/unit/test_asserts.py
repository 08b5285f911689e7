"""The assertions of continuity.testing.asserts, passing and failing."""

import pandas as pd
import pytest

from continuity.testing import scenario
from continuity.testing.asserts import assert_episodes_valid, assert_study_equal


def base():
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
            .terms("Zhuhai", "mayor", [("P", "2012-01")])
            .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15")
            .agreement("MOU", ["Solo", "Zhuhai"], signed="2017-03-01"))


# --- assert_study_equal -----------------------------------------------------------------------
def test_equal_studies_pass():
    assert_study_equal(base().build(), base().build())


def test_row_order_can_be_ignored():
    t = base().tables()
    shuffled = {k: v.iloc[::-1].reset_index(drop=True) for k, v in t.items()}
    shuffled["terms"]["term_id"] = ["t2", "t1", "t0"]
    t["terms"]["term_id"] = ["t0", "t1", "t2"]
    from continuity.study import Study

    a = Study(**t, as_of="2020-12-31")
    b = Study(**shuffled, as_of="2020-12-31")
    with pytest.raises(AssertionError, match="studies differ in terms"):
        assert_study_equal(a, b)
    assert_study_equal(a, b, check_row_order=False)


def test_column_order_can_be_ignored():
    t = base().tables()
    from continuity.study import Study

    a = Study(**t)
    t["agreements"] = t["agreements"][["signed", "agreement_id"]]
    b = Study(**t)
    with pytest.raises(AssertionError, match="studies differ in agreements"):
        assert_study_equal(a, b)
    assert_study_equal(a, b, check_column_order=False)


@pytest.mark.parametrize(("other", "match"), [
    (lambda s: s.build(as_of="2021-01-01"), r"as_of: Timestamp\('2020-12-31"),
    (lambda s: s.build(date_rule="latest"), "date_rule: 'middle' != 'latest'"),
    (lambda s: s.activity("LOI", "2016-01-01").build(), "activities: the left study has none"),
    (lambda s: s.terms("Zhuhai", "mayor", [("X", "2011-01-01")], end="2012-01-01").build(),
     "differ in terms"),
    (lambda s: s.agreement("MOU2", ["Solo", "Zhuhai"], signed="2018-01-01").build(),
     "differ in agreements"),
])
def test_differences_are_named(other, match):
    with pytest.raises(AssertionError, match=match):
        assert_study_equal(base().build(), other(base()))


def test_offices_differ():
    s = base().terms("Solo", "deputy", [("D", "2010-07-28")])
    with pytest.raises(AssertionError, match="offices"):
        assert_study_equal(s.build(offices={"Solo": "mayor"}),
                           s.build(offices={"Solo": "deputy"}).resolve_dates("middle"))


def test_study_equal_wants_studies():
    with pytest.raises(TypeError, match="right must be a continuity Study"):
        assert_study_equal(base().build(), base().tables())


# --- assert_episodes_valid --------------------------------------------------------------------
def episodes(**changes):
    ep = pd.DataFrame({
        "agreement_id": ["A", "A", "A", "B"],
        "episode": [1, 2, 3, 1],
        "start": pd.to_datetime(["2015-01-01", "2015-01-11", "2015-01-31", "2016-01-01"]),
        "stop": pd.to_datetime(["2015-01-11", "2015-01-31", "2015-02-10", "2016-01-06"]),
        "t_start": [0.0, 10.0, 30.0, 0.0],
        "t_stop": [10.0, 30.0, 40.0, 5.0],
        "event": [0, 0, 1, 0],
    })
    return ep.assign(**changes)


def test_valid_episodes_pass_in_any_row_order():
    assert_episodes_valid(episodes())
    assert_episodes_valid(episodes().iloc[[3, 2, 0, 1]])
    assert_episodes_valid(episodes().iloc[:0])


def test_delayed_entry_and_relationship_unit():
    ep = episodes(t_start=[5.0, 10.0, 30.0, 2.0]).rename(columns={"agreement_id":
                                                                  "relationship_id"})
    ep["start"] = ep["start"] + pd.to_timedelta([5, 0, 0, 2], unit="D")
    assert_episodes_valid(ep)


@pytest.mark.parametrize(("changes", "message"), [
    ({"t_start": [-1.0, 10.0, 30.0, 0.0]},
     "agreement_id 'A': the first episode starts before time 0 (row 0: t_start -1)"),
    ({"t_stop": [10.0, 30.0, 40.0, 0.0]},
     "agreement_id 'B': t_stop is not after t_start; an episode must have positive length "
     "(row 3: 0 to 0)"),
    ({"t_stop": [12.0, 30.0, 40.0, 5.0]},
     "agreement_id 'A': t_stop does not equal the next t_start (rows 0 and 1: 12 then 10); "
     "episodes must touch, with no gap or overlap"),
    ({"t_stop": [9.0, 30.0, 40.0, 5.0]},
     "agreement_id 'A': t_stop does not equal the next t_start (rows 0 and 1: 9 then 10)"),
    ({"event": [1, 0, 1, 0]},
     "agreement_id 'A': an event before the last episode (row 0); after an event the unit "
     "is no longer at risk"),
    ({"event": [0, 0, 2, 0]}, "agreement_id 'A': event is not 0 or 1 (row 2: 2)"),
    ({"episode": [1, 1, 3, 1]},
     "agreement_id 'A': episode numbers do not increase with t_start (rows 0 and 1: "
     "episode 1 then 1)"),
    ({"stop": pd.to_datetime(["2015-01-12", "2015-01-31", "2015-02-10", "2016-01-06"])},
     "agreement_id 'A': stop does not equal the next start (rows 0 and 1: 2015-01-12 then "
     "2015-01-11)"),
    ({"stop": pd.to_datetime(["2015-01-11", "2015-01-31", "2015-02-10", "2015-12-31"])},
     "agreement_id 'B': stop is not after start (row 3: 2016-01-01 to 2015-12-31)"),
])
def test_each_broken_rule_is_named(changes, message):
    with pytest.raises(AssertionError) as info:
        assert_episodes_valid(episodes(**changes))
    assert message in str(info.value)
    assert str(info.value).startswith("episodes do not tile the at-risk time")


def test_every_problem_is_listed():
    with pytest.raises(AssertionError, match=r"\(2 problems\)") as info:
        assert_episodes_valid(episodes(t_start=[-1.0, 10.0, 30.0, 0.0], event=[1, 0, 1, 0]))
    assert "before time 0" in str(info.value)
    assert "event before the last" in str(info.value)


def test_many_units_are_summarised():
    ep = pd.DataFrame({"agreement_id": [f"A{i}" for i in range(8)], "episode": 1,
                       "start": pd.Timestamp("2015-01-01"), "stop": pd.Timestamp("2015-01-02"),
                       "t_start": -1.0, "t_stop": 1.0, "event": 0})
    with pytest.raises(AssertionError, match=r"8 units \(agreement_id 'A0', .*, \.\.\.\).*"
                                             r"and 3 more"):
        assert_episodes_valid(ep)


def test_missing_columns_and_values():
    with pytest.raises(AssertionError, match="missing 'event'"):
        assert_episodes_valid(episodes().drop(columns="event"))
    with pytest.raises(AssertionError, match=r"missing values in t_stop \(rows 1\)"):
        assert_episodes_valid(episodes(t_stop=[10.0, None, 40.0, 5.0]))
    with pytest.raises(AssertionError, match="no unit id column"):
        assert_episodes_valid(episodes().drop(columns="agreement_id"))


def test_unit_must_be_named_when_ambiguous():
    ep = episodes(relationship_id="R")
    with pytest.raises(ValueError, match="pass unit="):
        assert_episodes_valid(ep)
    assert_episodes_valid(ep, unit="agreement_id")
    with pytest.raises(AssertionError, match="relationship_id 'R'"):
        assert_episodes_valid(ep, unit="relationship_id")
    with pytest.raises(ValueError, match="unit column 'x'"):
        assert_episodes_valid(ep, unit="x")
    with pytest.raises(ValueError, match="unit column 'x'"):
        assert_episodes_valid(ep, unit=["agreement_id", "x"])
    with pytest.raises(TypeError, match="list of column names"):
        assert_episodes_valid(ep, unit=5)
    assert_episodes_valid(ep, unit=["agreement_id"])


def test_calendar_check_can_be_skipped():
    ep = episodes().drop(columns=["start", "stop"])
    assert_episodes_valid(ep, columns=["episode", "t_start", "t_stop", "event"])


# --- relationship-level episodes: the unit is (relationship_id, spell) ------------------------
def two_spells():
    """One relationship whose MoU comes more than ``max_gap`` days after the LoI ended."""
    return (scenario(as_of="2020-12-31")
            .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05"),
                                     ("C", "2017-01-01")])
            .terms("Zhuhai", "mayor", [("P", "2012-01-01")])
            .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-01-01", ended="2016-01-01",
                       relationship_id="R")
            .agreement("MOU", ["Solo", "Zhuhai"], signed="2016-06-01", relationship_id="R")
            .build())


def test_relationship_episodes_with_two_spells_pass():
    ep = two_spells().episodes(level="relationship", max_gap=30)
    assert list(ep["spell"]) == [1, 1, 2, 2]  # the scenario does make two spells
    assert list(ep["event"]) == [0, 1, 0, 0]
    assert_episodes_valid(ep)
    assert_episodes_valid(ep.iloc[[3, 0, 2, 1]])
    assert_episodes_valid(ep, unit="relationship_id")  # the spell is still part of the unit
    assert_episodes_valid(ep, unit=["relationship_id", "spell"])


def test_without_the_spell_two_spells_do_not_tile():
    ep = two_spells().episodes(level="relationship", max_gap=30)
    with pytest.raises(AssertionError, match="relationship_id 'R': t_stop does not equal"):
        assert_episodes_valid(ep.drop(columns="spell"))


def test_a_broken_spell_is_named_with_its_relationship():
    ep = two_spells().episodes(level="relationship", max_gap=30)
    ep["event"] = ep["event"].astype("int64")
    ep.loc[2, "event"] = 1
    with pytest.raises(AssertionError) as info:
        assert_episodes_valid(ep)
    assert ("relationship_id 'R', spell 2: an event before the last episode (row 2)"
            in str(info.value))
    ep.loc[0, "event"] = 1
    with pytest.raises(AssertionError, match=r"2 units \(relationship_id, spell: \('R', 1\), "
                                             r"\('R', 2\)\): an event before the last"):
        assert_episodes_valid(ep)
    with pytest.raises(AssertionError, match="missing values in spell"):
        assert_episodes_valid(ep.assign(spell=[1, None, 2, 2]))


def test_default_term_ids_do_not_depend_on_row_order():
    # without a term_id column the ids are "jurisdiction/office/k", k in order of succession
    from continuity.study import Study

    t = base().tables()
    shuffled = {k: v.iloc[::-1].reset_index(drop=True) for k, v in t.items()}
    a, b = Study(**t), Study(**shuffled)
    assert sorted(b.terms["term_id"]) == ["Solo/mayor/1", "Solo/mayor/2", "Zhuhai/mayor/1"]
    with pytest.raises(AssertionError, match="studies differ in terms"):
        assert_study_equal(a, b)
    assert_study_equal(a, b, check_row_order=False)
