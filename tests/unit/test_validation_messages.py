"""The wording of the important validation messages, pinned: one test per error."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import continuity as ct
from continuity.errors import OptionError


def tables(**changes):
    """A small valid study's tables; keyword arguments replace whole tables."""
    base = {
        "terms": pd.DataFrame({
            "jurisdiction": ["Solo", "Solo", "Xi'an", "Xi'an"],
            "office": ["mayor", "mayor", "party_secretary", "party_secretary"],
            "holder": ["Rudyatmo", "Budi", "Wei", "Wang"],
            "start": ["2012-10-19", "2015-08-05", "2012-06-14", "2016-12-09"],
            "end": ["2015-07-28", "2016-02-17", "2016-12-09", None],
            "term_id": ["12", "13", "40", "41"],
        }),
        "agreements": pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-09-15"]}),
        "parties": pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-XIAN-LOI"],
                                 "jurisdiction": ["Surakarta", "Xi'an"]}),
    }
    base["parties"]["jurisdiction"] = ["Solo", "Xi'an"]
    base.update(changes)
    return base


def problems(**changes) -> ct.ValidationError:
    kwargs = changes.pop("kwargs", {})
    with pytest.raises(ct.ValidationError) as info:
        ct.Study(**tables(**changes), **kwargs)
    return info.value


def test_the_base_tables_are_valid():
    study = ct.Study(**tables())
    assert len(study.agreements) == 1


def test_error_is_a_value_error_and_a_continuity_error():
    err = problems(agreements=pd.DataFrame({"agreement_id": ["A"]}))
    assert isinstance(err, ValueError)
    assert isinstance(err, ct.ContinuityError)


def test_missing_required_column_names_the_columns_found():
    err = problems(agreements=pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "date": ["2015"]}))
    assert str(err) == (
        "agreements: missing required column 'signed' (columns found: 'agreement_id', 'date'); "
        "required are agreement_id, signed"
    )
    assert err.failure_cases[["table", "column", "check"]].values.tolist() == [
        ["agreements", "signed", "missing_column"]]


def test_unparseable_date_shows_the_value():
    t = tables()["terms"].assign(start=["2012-10-19", "5 August 2015", "2012-06-14", "2016-12-09"])
    err = problems(terms=t)
    assert str(err) == (
        "terms: 1 value of 'start' cannot be used as dates (term_id 13: cannot read "
        "'5 August 2015' as a date; write YYYY-MM-DD, YYYY-MM or YYYY)"
    )
    case = err.failure_cases.iloc[0]
    assert (case["row"], case["column"], case["check"], case["value"]) == (
        1, "start", "date", "5 August 2015")


def test_impossible_calendar_date():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-02-30"]})
    assert "'2015-02-30' is not a calendar date" in str(problems(agreements=a))


def test_number_where_a_date_belongs():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": [42262]})
    assert str(problems(agreements=a)) == (
        "agreements: 1 value of 'signed' cannot be used as dates (agreement_id SOLO-XIAN-LOI: "
        "42262 is a number where a date belongs; write an ISO date)"
    )


def test_ambiguous_day_month_order_is_refused():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["03/09/2015"]})
    assert "day/month order is ambiguous in '03/09/2015'; write dates as ISO YYYY-MM-DD" in str(
        problems(agreements=a))


def test_end_before_start_in_terms():
    t = tables()["terms"].assign(start=["2012-10-19", "2016-02-17", "2012-06-14", "2016-12-09"],
                                 end=["2015-07-28", "2015-02-17", "2016-12-09", None])
    err = problems(terms=t)
    assert str(err) == (
        "terms: 1 row has end before start (term_id 13: start 2016-02-17, end 2015-02-17); "
        "intervals are [start, end)"
    )


def test_end_before_start_in_targets():
    targets = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "indicator": ["visits"],
                            "period_start": ["2017-01-01"], "period_end": ["2016-01-01"],
                            "target": [2], "actual": [1]})
    assert str(problems(targets=targets)) == (
        "targets: 1 row has period_end before period_start (row 0: period_start 2017-01-01, "
        "period_end 2016-01-01); period_end must not come before period_start"
    )


def test_signed_after_ended():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-09-15"],
                      "ended": ["2015-01-01"]})
    assert str(problems(agreements=a)) == (
        "agreements: 1 row has ended before signed (agreement_id SOLO-XIAN-LOI: signed "
        "2015-09-15, ended 2015-01-01); an instrument cannot end before it is signed"
    )


def test_overlapping_terms():
    t = tables()["terms"].assign(end=["2015-08-10", "2016-02-17", "2016-12-09", None])
    assert str(problems(terms=t)) == (
        "terms: 2 terms of office 'mayor' overlap in Solo (rows 0 and 1: Rudyatmo until "
        "2015-08-10, Budi from 2015-08-05); terms of one office must not overlap: end the first "
        "term when the next begins"
    )


def test_an_open_term_followed_by_another_overlaps():
    t = tables()["terms"].assign(end=[None, "2016-02-17", "2016-12-09", None])
    assert "Rudyatmo until still running, Budi from 2015-08-05" in str(problems(terms=t))


def test_duplicate_agreement_id():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-XIAN-LOI"],
                      "signed": ["2015-09-15", "2016-01-01"]})
    assert str(problems(agreements=a)) == (
        "agreements: 1 agreement_id appears more than once ('SOLO-XIAN-LOI', rows 0, 1); "
        "each must be unique"
    )


def test_party_names_unknown_agreement():
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-XIAN-LOI", "SOLO-XIAN-MOU"],
                      "jurisdiction": ["Solo", "Xi'an", "Solo"]})
    assert str(problems(parties=p)) == (
        "parties: 1 row names an unknown agreement ('SOLO-XIAN-MOU'; rows 2); add it to "
        "agreements or correct the id"
    )


def test_agreement_with_fewer_than_two_parties():
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "jurisdiction": ["Solo"]})
    assert str(problems(parties=p)) == (
        "agreements: 1 agreement has fewer than two parties ('SOLO-XIAN-LOI': 1); add a row per "
        "party to parties"
    )


def test_party_with_unknown_jurisdiction_lists_the_known_ones():
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"] * 2, "jurisdiction": ["Solo", "Xian"]})
    assert str(problems(parties=p)) == (
        "parties: agreement 'SOLO-XIAN-LOI' names unknown jurisdiction 'Xian' (known: 'Solo', "
        "\"Xi'an\"); add its terms, correct the name, or pass allow_unknown_exposure=True to "
        "treat its exposure as unknown (NA)"
    )


def test_unknown_exposure_when_allowed():
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"] * 2, "jurisdiction": ["Solo", "Montana"]})
    study = ct.Study(**tables(parties=p), allow_unknown_exposure=True)
    assert study.unknown_exposure == ("Montana",)
    assert "unknown exposure (no leadership terms): Montana" in repr(study)


def test_party_without_terms_of_its_leadership_office():
    t = tables()["terms"].assign(office=["mayor", "mayor", "mayor", "mayor"])
    err = problems(terms=t, kwargs={"offices": {"Solo": "mayor", "Xi'an": "party_secretary"}})
    assert ("offices names office 'party_secretary' for Xi'an, which has no terms of it "
            "(offices found in terms: 'mayor')") in str(err)
    assert "party \"Xi'an\" has no terms of its leadership office 'party_secretary'" in str(err)


def test_several_offices_and_no_choice():
    t = pd.concat([tables()["terms"], pd.DataFrame({
        "jurisdiction": ["Solo"], "office": ["deputy_mayor"], "holder": ["Teguh"],
        "start": ["2021-02-26"], "end": [None], "term_id": ["99"]})], ignore_index=True)
    assert str(problems(terms=t)) == (
        "terms: Solo has terms of several offices ('deputy_mayor', 'mayor') and no leadership "
        "office was chosen; pass offices={'Solo': 'deputy_mayor', ...}"
    )
    study = ct.Study(**tables(terms=t), offices={"Solo": "mayor"})
    assert study.offices == {"Solo": "mayor", "Xi'an": "party_secretary"}


def test_as_of_before_the_earliest_date():
    assert str(problems(kwargs={"as_of": "2000-01-01"})) == (
        "study: as_of 2000-01-01 is before the earliest date in the study (2012-06-14); nothing "
        "would be observed. Give a later as_of or leave it out to use the latest date in the data"
    )


def test_timezone_aware_mixed_with_naive():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"],
                      "signed": [pd.Timestamp("2015-09-15", tz="Asia/Jakarta")]})
    assert str(problems(agreements=a)) == (
        "study: timezone-aware dates (agreements.signed) are mixed with naive ones "
        "(terms.start, terms.end); give every date without a timezone, as local calendar days"
    )


def test_empty_required_field():
    t = tables()["terms"].assign(holder=["Rudyatmo", "  ", "Wei", None])
    assert str(problems(terms=t)) == (
        "terms: 2 rows have an empty required field 'holder' (term_id 13, term_id 41); fill it in"
    )


def test_all_problems_are_collected_into_one_error():
    t = tables()["terms"].assign(end=["2015-08-10", "2016-02-17", "2016-12-09", None])
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"] * 2, "jurisdiction": ["Solo", "Xian"]})
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2016-02-17"],
                      "ended": ["2015-02-17"]})
    err = problems(terms=t, parties=p, agreements=a)
    text = str(err)
    assert text.startswith("3 problems in the study\n  terms: 2 terms of office 'mayor' overlap")
    assert "\n  agreements: 1 row has ended before signed" in text
    assert "\n  parties: agreement 'SOLO-XIAN-LOI' names unknown jurisdiction 'Xian'" in text
    assert list(err.failure_cases.columns) == [
        "table", "row", "column", "check", "value", "message"]
    assert sorted(err.failure_cases["check"].unique()) == [
        "end_before_start", "no_leadership_terms", "overlap"]


def test_unknown_vocabulary():
    t = tables()["terms"].assign(kind=["elected", "plt", "elected", "elected"])
    assert str(problems(terms=t)) == (
        "terms: 1 row has an unknown kind ('plt'); allowed are elected, acting, appointed, "
        "caretaker, vacancy"
    )


def test_declared_precision_finer_than_the_value():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-09"],
                      "signed_precision": ["day"]})
    assert "precision is declared 'day' but '2015-09' is known only to the month" in str(
        problems(agreements=a))


def test_activity_outside_life_is_kept_with_a_warning_and_audited():
    acts = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-XIAN-LOI"],
                         "date": ["2013-07-19", "2016-01-01"]})
    with pytest.warns(ct.ActivityOutsideLifeWarning, match=r"1 activity is dated outside its"):
        study = ct.Study(**tables(), activities=acts)
    assert len(study.activities) == 2
    assert study.audit.to_dict("records") == [{
        "table": "activities", "row": 0, "id": "SOLO-XIAN-LOI", "check": "before_signing",
        "detail": "activity on 2013-07-19 before the instrument began on 2015-09-15"}]


def test_activity_naming_unknown_agreement():
    acts = pd.DataFrame({"agreement_id": ["NOPE"], "date": ["2016-01-01"]})
    assert str(problems(activities=acts)) == (
        "activities: 1 row names an unknown agreement ('NOPE'; rows 0); add it to agreements or "
        "correct the id"
    )


def test_not_a_dataframe():
    assert str(problems(parties=[("A", "Solo")])) == (
        "parties: expected a pandas DataFrame, got list")


def test_datetimes_and_timestamps_are_accepted_at_day_resolution():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"],
                      "signed": [dt.datetime(2015, 9, 15, 13, 30)]})
    study = ct.Study(**tables(agreements=a))
    assert study.agreements["signed"].iloc[0] == pd.Timestamp("2015-09-15")
    assert study.agreements["signed_precision"].iloc[0] == "day"


def test_unknown_agreement_and_too_few_parties_are_both_named_right():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-ZHUHAI-LOI"],
                      "signed": ["2015-09-15", "2015-09-15"]})
    p = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI", "SOLO-XIAN-LOI", "SOLO-ZHUHAI-LOI",
                                       "NOPE", "NOPE2"],
                      "jurisdiction": ["Solo", "Xi'an", "Solo", "Solo", "Solo"]})
    text = str(problems(agreements=a, parties=p))
    assert "parties: 2 rows name 2 unknown agreements ('NOPE', 'NOPE2'; rows 3, 4)" in text
    assert ("agreements: 1 agreement has fewer than two parties ('SOLO-ZHUHAI-LOI': 1)"
            in text)


def test_allow_unknown_exposure_must_be_a_bool():
    # a bad argument, not bad data: an OptionError without a failure table
    with pytest.raises(OptionError) as info:
        ct.Study(**tables(), allow_unknown_exposure="false")
    assert str(info.value) == "Study: allow_unknown_exposure must be True or False, not 'false'"


def test_date_rule_must_be_a_rule():
    with pytest.raises(OptionError) as info:
        ct.Study(**tables(), date_rule="first")
    assert str(info.value) == (
        "Study: date_rule must be one of 'middle', 'earliest', 'latest', not 'first'")


def test_effective_after_ended():
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-01-01"],
                      "effective": ["2016-01-01"], "ended": ["2015-06-01"]})
    assert str(problems(agreements=a)) == (
        "agreements: 1 row has ended before effective (agreement_id SOLO-XIAN-LOI: effective "
        "2016-01-01, ended 2015-06-01); ended must not come before effective"
    )


def _emitted_codes():
    """The check codes written in calls ``problems.add(table, "code", ...)`` of the validation
    modules, and the calls whose code is not a literal."""
    import ast
    import inspect

    import continuity.validation as v

    codes, computed = set(), []
    for node in ast.walk(ast.parse(inspect.getsource(v))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add" and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "problems"):
            code = node.args[1]
            if isinstance(code, ast.Constant):
                codes.add(code.value)
            else:
                computed.append(node.lineno)
    return codes, computed


def test_validation_emits_only_declared_check_codes():
    from continuity.errors import CHECK_CODES

    codes, computed = _emitted_codes()
    assert computed == [], "write each check code as a literal, so it can be checked"
    assert codes <= set(CHECK_CODES), sorted(codes - set(CHECK_CODES))
    assert set(CHECK_CODES) <= codes, f"declared but never emitted: {set(CHECK_CODES) - codes}"


def test_an_undeclared_check_code_is_a_programming_error():
    from continuity.validation import Problems

    with pytest.raises(RuntimeError, match="undeclared check code 'made_up'"):
        Problems().add("terms", "made_up", "a message")


# --- activities and targets (issue 9) -----------------------------------------------------------

def activities(**columns):
    base = {"agreement_id": ["SOLO-XIAN-LOI"], "date": ["2016-01-01"]}
    base.update(columns)
    return pd.DataFrame(base)


def targets(**columns):
    base = {"agreement_id": ["SOLO-XIAN-LOI"], "indicator": ["visits"],
            "period_start": ["2016-01-01"], "period_end": ["2016-12-31"], "target": [2],
            "actual": [1]}
    base.update(columns)
    return pd.DataFrame(base)


def test_negative_cost():
    assert str(problems(activities=activities(cost=["-5"]))) == (
        "activities: 1 value of 'cost' is negative (row 0: '-5'); cost is 0 or more")


def test_negative_count_of_participants():
    err = problems(activities=activities(participants=[-3]))
    assert str(err) == (
        "activities: 1 value of 'participants' is negative (row 0: -3); participants is 0 or "
        "more")
    assert err.failure_cases[["column", "check", "value"]].values.tolist() == [
        ["participants", "negative", "-3"]]


def test_infinite_cost():
    assert str(problems(activities=activities(cost=[float("inf")]))) == (
        "activities: 1 value of 'cost' is infinite (row 0: inf); give a finite number")


def test_negative_target_and_infinite_actual():
    err = problems(targets=targets(target=[-2], actual=[float("-inf")]))
    assert err.problems == [
        "targets: 1 value of 'target' is negative (row 0: -2); target is 0 or more",
        "targets: 1 value of 'actual' is infinite (row 0: -inf); give a finite number",
    ]


def test_an_actual_without_a_target():
    err = problems(targets=targets(target=[None], actual=[3]))
    assert str(err) == (
        "targets: 1 row has actual but no target (row 0: 3); give the target the actual is "
        "measured against, or leave the row out")
    assert list(err.failure_cases["check"]) == ["actual_without_target"]


def test_a_target_of_zero_is_a_plan_but_not_a_ratio():
    from continuity.validation import check_targets_for_attainment

    study = ct.Study(**tables(), targets=targets(target=[0], actual=[1]))
    with pytest.raises(ct.ValidationError) as info:
        check_targets_for_attainment(study.targets)
    assert str(info.value) == (
        "targets: 1 row has a target of 0, so attainment (actual / target) is undefined (row 0: "
        "'SOLO-XIAN-LOI' 'visits'); give a positive target, or leave the row out of "
        "target_attainment")
    assert list(info.value.failure_cases["check"]) == ["zero_target"]


def test_goal_outside_the_vocabulary():
    assert str(problems(activities=activities(objective=["friendship"]))) == (
        "activities: 1 row has an unknown objective ('friendship'); allowed are welfare, "
        "public_services, human_resources, international_relations; or add it to the study's "
        "vocabulary (objectives = [...] under [vocabulary] in study.toml)")


def test_sector_outside_the_vocabulary_and_extended():
    err = problems(activities=activities(sector=["maritime"]))
    assert "activities: 1 row has an unknown sector ('maritime'); allowed are agriculture," in (
        str(err))
    study = ct.Study(**tables(), activities=activities(sector=["maritime"]),
                     vocabulary={"sectors": ["maritime"]})
    assert study.activities.loc[0, "sector"] == "maritime"
    a = pd.DataFrame({"agreement_id": ["SOLO-XIAN-LOI"], "signed": ["2015-09-15"],
                      "sector": ["maritime"]})
    ct.Study(**tables(agreements=a), vocabulary={"sectors": ["maritime"]})


def test_a_bad_vocabulary_argument():
    with pytest.raises(OptionError, match="vocabulary names 'kinds', which cannot be extended; "
                                          "extendable are sectors, objectives"):
        ct.Study(**tables(), vocabulary={"kinds": ["x"]})
    with pytest.raises(OptionError, match="vocabulary 'sectors' holds ' x'"):
        ct.Study(**tables(), vocabulary={"sectors": [" x"]})
    with pytest.raises(ct.ContinuityError, match="vocabulary must be a mapping") as info:
        ct.Study(**tables(), vocabulary=["maritime"])
    assert isinstance(info.value, TypeError)


def test_activity_naming_another_relationship():
    assert str(problems(activities=activities(relationship_id=["REL-SOLO-ZHUHAI"]))) == (
        "activities: 1 row names a relationship_id that is not its instrument's (row 0: "
        "'REL-SOLO-ZHUHAI' under 'SOLO-XIAN-LOI', which belongs to 'SOLO-XIAN-LOI'); correct "
        "the relationship_id or the agreement_id")


def test_activity_naming_an_unknown_side():
    err = problems(activities=activities(side=["Zhuhai"]))
    assert str(err) == (
        "activities: 1 row has a side that is not a party to its instrument (row 0: 'Zhuhai' "
        "under 'SOLO-XIAN-LOI'); a side is one of the instrument's parties (its jurisdiction)")
    assert list(err.failure_cases["check"]) == ["unknown_side"]
    study = ct.Study(**tables(), activities=activities(side=["Xi'an"]))
    assert study.activities.loc[0, "side"] == "Xi'an"
