"""The scenario builder of continuity.testing."""

import pandas as pd
import pytest

from continuity.errors import ValidationError
from continuity.study import Study
from continuity.testing import Scenario, scenario


def usage_study():
    # verbatim from USAGE.md, "In their own tests"
    return (scenario(as_of="2024-12-31")
            .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05", "caretaker"),
                                     ("A", "2016-02-17"), ("C", "2021-02-26")])
            .terms("Xi'an", "party_secretary", [("P", "2012-06-14"), ("Q", "2016-12-09")])
            .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15", ended="2022-01-01")
            .build())


def test_usage_example_has_three_changes_in_the_life_of_the_loi():
    study = usage_study()
    assert isinstance(study, Study)
    assert study.as_of == pd.Timestamp("2024-12-31")
    loi = study.agreements.set_index("agreement_id").loc["LOI"]
    tr = study.transitions()
    inside = tr[(tr["date"] >= loi["signed"]) & (tr["date"] < loi["ended"])]
    assert len(inside) == 3
    assert list(zip(inside["from_holder"], inside["to_holder"], strict=True)) == [
        ("B", "A"), ("A", "C"), ("P", "Q")]


def test_terms_touch_and_the_last_runs_to_end_or_stays_open():
    s = (scenario()
         .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05", "caretaker")],
                end="2016-02-17", parties=["PDIP", None])
         .terms("Zhuhai", "mayor", [("P", "2012-01-01")]))
    t = s.tables()["terms"]
    assert list(t["start"]) == ["2010-07-28", "2015-08-05", "2012-01-01"]
    assert list(t["end"]) == ["2015-08-05", "2016-02-17", None]
    assert list(t["kind"]) == [None, "caretaker", None]
    assert list(t["party"]) == ["PDIP", None, None]


def test_scenario_is_immutable():
    base = scenario(as_of="2020-12-31").terms("Solo", "mayor", [("A", "2010-01-01")])
    more = base.terms("Zhuhai", "mayor", [("P", "2011-01-01")])
    assert len(base.tables()["terms"]) == 1
    assert len(more.tables()["terms"]) == 2
    with pytest.raises(AttributeError):
        base.as_of = "2021-01-01"


def test_tables_are_new_frames_each_time():
    s = scenario().terms("Solo", "mayor", [("A", "2010-01-01")])
    t = s.tables()
    t["terms"].loc[0, "holder"] = "Z"
    assert s.tables()["terms"].loc[0, "holder"] == "A"


def test_agreement_options_activities_targets_and_extra_columns():
    s = (scenario(as_of="2023-12-31")
         .terms("Solo", "mayor", [("A", "2010-01-01")])
         .terms("Zhuhai", "mayor", [("P", "2011-01-01")])
         .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09", instrument="loi",
                    relationship_id="R1", ended="2018-01-01", end_reason="replaced",
                    title="Letter of intent")
         .agreement("MOU", ["Solo", "Zhuhai"], signed="2018-01-01", effective="2018-02-01",
                    expires="2023-01-31", instrument="mou", relationship_id="R1")
         .activity("MOU", "2019-03-04", kind="visit", cost=10.0)
         .target("MOU", "exchanges", "2019-01-01", "2019-12-31", 4, 3, objective="welfare"))
    t = s.tables()
    assert set(t) == {"terms", "agreements", "parties", "activities", "targets"}
    a = t["agreements"].set_index("agreement_id")
    assert a.loc["LOI", "title"] == "Letter of intent"
    assert pd.isna(a.loc["MOU", "title"])
    study = s.build()
    assert list(study.agreements["relationship_id"]) == ["R1", "R1"]
    assert study.agreements.loc[0, "signed_precision"] == "month"
    assert study.activities.loc[0, "kind"] == "visit"
    assert study.targets.loc[0, "objective"] == "welfare"


def test_build_passes_offices_and_overrides_as_of():
    s = (scenario(as_of="2020-12-31")
         .terms("Xi'an", "party_secretary", [("P", "2012-06-14")])
         .terms("Xi'an", "mayor", [("M", "2013-01-01")])
         .terms("Solo", "mayor", [("A", "2010-07-28")])
         .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15"))
    with pytest.raises(ValidationError, match="several offices"):
        s.build()
    study = s.build(offices={"Xi'an": "party_secretary"}, as_of="2021-06-30")
    assert study.offices == {"Solo": "mayor", "Xi'an": "party_secretary"}
    assert study.as_of == pd.Timestamp("2021-06-30")


def test_a_corrupted_table_fails_validation():
    s = (scenario(as_of="2020-12-31")
         .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
         .terms("Zhuhai", "mayor", [("P", "2012-01-01")])
         .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15"))
    t = s.tables()
    t["parties"].loc[1, "jurisdiction"] = "Zhuhia"
    with pytest.raises(ValidationError, match="unknown jurisdiction 'Zhuhia'"):
        Study(**t, as_of=s.as_of)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda s: s.terms("Solo", "mayor", []), TypeError, "non-empty list"),
    (lambda s: s.terms("Solo", "mayor", [("A",)]), TypeError, r"holders\[0\]"),
    (lambda s: s.terms("Solo", "mayor", [("A", "2010-01-01", "king")]), ValueError, "kind"),
    (lambda s: s.terms("Solo", "mayor", [("A", 2010)]), TypeError, "must be a date"),
    (lambda s: s.terms("Solo", "mayor", [("A", "2010"), ("B", "2012")], parties=["X"]),
     ValueError, "one per term"),
    (lambda s: s.agreement("LOI", "Solo", signed="2015"), TypeError, "list of the agreement"),
    (lambda s: s.agreement("", ["Solo", "X"], signed="2015"), TypeError, "agreement_id"),
    (lambda s: s.activity("LOI", 20150101), TypeError, "date must be a date"),
])
def test_wrong_arguments_say_what_to_write(call, error, match):
    with pytest.raises(error, match=match):
        call(scenario())


def test_as_of_must_be_a_date():
    with pytest.raises(TypeError, match="as_of must be a date"):
        scenario(as_of=2020)
    assert isinstance(scenario(), Scenario)
    assert "0 agreements" in repr(scenario())


def test_no_submodule_of_testing_is_named_like_a_public_name():
    # a submodule re-imported under its own name (pytest's doctest collection does it) is set
    # as an attribute of the package, and would hide the function of the same name
    import pkgutil

    import continuity.testing as ct

    submodules = {m.name for m in pkgutil.iter_modules(ct.__path__)}
    assert not submodules & set(ct.__all__)


def test_reimporting_the_builders_module_keeps_scenario_callable():
    import importlib
    import sys

    import continuity.testing as ct

    name = "continuity.testing.builders"
    saved = sys.modules.pop(name)
    try:
        importlib.import_module(name)
        from continuity.testing import scenario as again

        assert callable(again)
        assert again is ct.scenario
    finally:
        sys.modules[name] = saved
        ct.builders = saved


def test_term_kinds_are_the_schema_vocabulary():
    from continuity import schema
    from continuity.testing import builders

    # one declaration, used everywhere: the builder has no copy of its own to drift
    assert builders.TERM_KINDS is schema.TERM_KINDS
    with pytest.raises(ValueError, match=", ".join(schema.TERM_KINDS)):
        scenario().terms("Solo", "mayor", [("A", "2010-01-01", "king")])
    for kind in schema.TERM_KINDS:
        s = (scenario(as_of="2020-12-31")
             .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2015-01-01", kind)])
             .terms("Zhuhai", "mayor", [("P", "2011-01-01")])
             .agreement("LOI", ["Solo", "Zhuhai"], signed="2014-01-01"))
        assert list(s.build().terms["kind"].dropna()) == [kind]
