"""Invariants of a Study over generated valid studies (continuity.testing.strategies)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.dates import parse_dates
from continuity.errors import ActivityOutsideLifeWarning, OptionError
from continuity.schema import TABLES
from continuity.study import Study
from continuity.testing import assert_study_equal
from continuity.testing import strategies as cst

# A Study takes tens of milliseconds to build, and each example builds two or three.

any_tables = st.booleans().flatmap(
    lambda fuzzy: cst.study_tables(fuzzy_dates=fuzzy, with_targets=True))


def date_columns(name, df):
    return [c for c in TABLES[name].dates if c in df.columns]


@given(drawn=any_tables)
def test_generated_studies_are_valid_under_every_date_rule(drawn):
    tables, kwargs = drawn
    mid = Study(**tables, **kwargs)
    lo, hi = mid.resolve_dates("earliest"), mid.resolve_dates("latest")
    assert lo.as_of == mid.as_of == hi.as_of
    assert (lo.date_rule, mid.date_rule, hi.date_rule) == ("earliest", "middle", "latest")
    for name, raw in tables.items():
        a, m, b = (getattr(s, name) for s in (lo, mid, hi))
        for col in date_columns(name, raw):
            x, y, z = (t[col].to_numpy() for t in (a, m, b))
            missing = np.isnat(y)
            assert (np.isnat(x) == missing).all()
            assert (np.isnat(z) == missing).all()
            assert (x[~missing] <= y[~missing]).all(), (name, col)
            assert (y[~missing] <= z[~missing]).all(), (name, col)
            # every resolved date lies in the period it was written as
            p = parse_dates(raw[col], raw.get(f"{col}_precision"))
            for t in (x, y, z):
                assert (t[~missing] >= p.lo[~missing]).all(), (name, col)
                assert (t[~missing] <= p.hi[~missing]).all(), (name, col)
            assert list(a[f"{col}_precision"]) == list(m[f"{col}_precision"])


@given(drawn=cst.study_tables(fuzzy_dates=True), rule=st.sampled_from(["earliest", "latest"]))
def test_resolve_dates_equals_building_with_the_rule(drawn, rule):
    tables, kwargs = drawn
    kwargs = dict(kwargs, as_of=Study(**tables, **kwargs).as_of)
    assert_study_equal(Study(**tables, **kwargs).resolve_dates(rule),
                       Study(**tables, **kwargs, date_rule=rule))


def shuffled(df, data):
    perm = data.draw(st.permutations(range(len(df))))
    return df.iloc[list(perm)]  # the index is shuffled too, not reset


@given(drawn=any_tables, data=st.data())
def test_row_order_changes_nothing(drawn, data):
    tables, kwargs = drawn
    a = Study(**tables, **kwargs)
    b = Study(**{k: shuffled(v, data) for k, v in tables.items()}, **kwargs)
    assert_study_equal(a, b, check_row_order=False)
    pd.testing.assert_frame_equal(a.transitions(), b.transitions())
    pd.testing.assert_frame_equal(a.leadership_terms(), b.leadership_terms())


NEW_PLACES = ["Ambon", "Wuhan", "Kota Baru", "Ürümqi", "'s-Hertogenbosch", "Zz", "aa",
              "Medan", "Tianjin"]


def bijection(labels, pool, data):
    labels = sorted(set(labels))
    new = data.draw(st.permutations(pool))[: len(labels)]
    return dict(zip(labels, new, strict=True))


def relabel(tables, kwargs, data):
    t = {k: v.copy() for k, v in tables.items()}
    juris = set(t["terms"]["jurisdiction"]) | set(t["parties"]["jurisdiction"])
    jmap = bijection(juris, NEW_PLACES, data)
    aids = set(t["agreements"]["agreement_id"])
    amap = bijection(aids, [f"{k:03d}" for k in range(len(aids) * 2)], data)
    rmap = bijection(set(t["agreements"]["relationship_id"]),
                     [f"rel {k}" for k in range(2 * len(t["agreements"]))], data)
    tmap = bijection(set(t["terms"]["term_id"]), [str(k) for k in range(2 * len(t["terms"]))],
                     data)
    t["terms"]["jurisdiction"] = t["terms"]["jurisdiction"].map(jmap)
    t["terms"]["term_id"] = t["terms"]["term_id"].map(tmap)
    t["parties"]["jurisdiction"] = t["parties"]["jurisdiction"].map(jmap)
    t["agreements"]["relationship_id"] = t["agreements"]["relationship_id"].map(rmap)
    for name in ("agreements", "parties", "activities", "targets"):
        if name in t:
            t[name]["agreement_id"] = t[name]["agreement_id"].map(amap)
    kw = dict(kwargs)
    if "offices" in kw:
        kw["offices"] = {jmap[j]: o for j, o in kw["offices"].items()}
    return t, kw, jmap, amap, tmap


def back(df, **maps):
    df = df.copy()
    for col, m in maps.items():
        inverse = {v: k for k, v in m.items()}
        df[col] = df[col].map(inverse).astype(df[col].dtype)
    return df


def canonical(df, by):
    return df.sort_values(by, kind="stable").reset_index(drop=True)


@given(drawn=any_tables, data=st.data())
def test_relabelling_ids_and_jurisdictions_changes_nothing(drawn, data):
    tables, kwargs = drawn
    t, kw, jmap, amap, tmap = relabel(tables, kwargs, data)
    a, b = Study(**tables, **kwargs), Study(**t, **kw)
    assert b.offices == {jmap[j]: o for j, o in a.offices.items()}
    assert sorted(b.unknown_exposure) == sorted(jmap[j] for j in a.unknown_exposure)
    assert b.as_of == a.as_of
    tr_b = back(b.transitions(), jurisdiction=jmap, from_term_id=tmap, to_term_id=tmap)
    pd.testing.assert_frame_equal(canonical(a.transitions(), ["jurisdiction", "date"]),
                                  canonical(tr_b, ["jurisdiction", "date"]))
    lt_b = back(b.leadership_terms(), jurisdiction=jmap, term_id=tmap)
    pd.testing.assert_frame_equal(canonical(a.leadership_terms(), ["jurisdiction", "start"]),
                                  canonical(lt_b, ["jurisdiction", "start"]))
    pa = back(b.parties, jurisdiction=jmap, agreement_id=amap)
    pd.testing.assert_frame_equal(canonical(a.parties, ["agreement_id", "jurisdiction"]),
                                  canonical(pa, ["agreement_id", "jurisdiction"]))


# --- the strategies themselves ----------------------------------------------------------------
@given(drawn=cst.study_tables(activities_outside_life=True, allow_unknown_exposure=True))
def test_activities_outside_the_life_warn_and_are_audited(drawn):
    tables, kwargs = drawn
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study = Study(**tables, **kwargs)
    outside = [w for w in caught if issubclass(w.category, ActivityOutsideLifeWarning)]
    assert len(caught) == len(outside)
    assert (len(outside) > 0) == (len(study.audit) > 0)
    assert set(study.unknown_exposure) <= set(study.parties["jurisdiction"])
    assert not set(study.unknown_exposure) & set(study.leadership_terms()["jurisdiction"])


@given(study=cst.studies(activities_outside_life=True, max_agreements=2, max_parties=2))
def test_studies_silences_the_outside_life_warning(study):
    assert isinstance(study, Study)
    assert (study.parties.groupby("agreement_id").size() == 2).all()


@given(df=cst.terms(["Surakarta", "Zhuhai"], min_size=2, max_size=4))
def test_terms_strategy(df):
    assert set(df["jurisdiction"]) == {"Surakarta", "Zhuhai"}
    assert df["term_id"].is_unique
    for _, g in df.groupby("jurisdiction"):
        instant = (g["start"] == g["end"]).to_numpy()
        assert 2 <= (~instant).sum() <= 4
        assert instant.sum() <= 1
        assert (g.loc[instant, "kind"] == "acting").all()
        assert g["office"].nunique() == 1
        start, end = list(g["start"]), list(g["end"])
        assert start == sorted(start)
        pairs = zip(start, end, start[1:], strict=False)  # the last term has no next
        assert all(e is not None and s <= e <= n for s, e, n in pairs)
        assert end[-1] is None or end[-1] > start[-1]


@given(tables=cst.agreements(["Surakarta", "Xi'an", "Zhuhai", "Bandung"], min_size=2,
                             max_size=3, max_parties=4, with_activities=True))
def test_agreements_strategy(tables):
    a, p, acts = tables["agreements"], tables["parties"], tables["activities"]
    assert 2 <= len(a) <= 3
    assert a["agreement_id"].is_unique
    n = p.groupby("agreement_id").size()
    assert ((n >= 2) & (n <= 4)).all()
    for r in a.to_dict("records"):
        if r["effective"] is not None:
            assert r["signed"] <= r["effective"]
        if r["expires"] is not None:
            assert max(r["signed"], r["effective"] or r["signed"]) <= r["expires"]
        if r["ended"] is not None:
            assert max(r["signed"], r["effective"] or r["signed"]) <= r["ended"]
        dates = acts.loc[acts["agreement_id"] == r["agreement_id"], "date"]
        assert (dates >= r["signed"]).all()
        if r["ended"] is not None:
            assert (dates < r["ended"]).all()
    for _, g in a.groupby("relationship_id"):
        assert g["signed"].is_monotonic_increasing
        parties = [frozenset(p.loc[p["agreement_id"] == i, "jurisdiction"])
                   for i in g["agreement_id"]]
        assert len(set(parties)) == 1


@pytest.mark.parametrize(("make", "error"), [
    (lambda: cst.terms(min_size=0), "min_size"),
    (lambda: cst.terms(["Solo"], min_size=3, max_size=2), "min_size"),
    (lambda: cst.agreements(["Solo"]), "at least 2"),
    (lambda: cst.agreements(max_parties=1), "max_parties"),
    (lambda: cst.study_tables(min_agreements=0), "min_size"),
    (lambda: cst.study_tables(max_terms=0), "max_terms"),
])
def test_strategy_arguments_are_checked_when_the_strategy_is_made(make, error):
    with pytest.raises(OptionError, match=error):  # an OptionError, not a bare ValueError
        make()


# --- minimal cases the properties above found -------------------------------------------------
def spell_of_no_length(c_start="2015-01-10"):
    """A until 2015-01-10, B acting for no time on that day, C from ``c_start``."""
    from continuity.testing import scenario

    tables = (scenario()
              .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2015-01-10", "acting"),
                                       ("C", c_start)])
              .terms("Zhuhai", "mayor", [("P", "2012-01-01")])
              .agreement("LOI", ["Solo", "Zhuhai"], signed="2014-01-01")).tables()
    tables["terms"].loc[1, "end"] = "2015-01-10"
    return tables


def test_a_spell_of_no_length_is_valid_in_any_row_order():
    tables = spell_of_no_length()
    a = Study(**tables)
    b = Study(**{**tables, "terms": tables["terms"].iloc[[0, 2, 1, 3]]})
    pd.testing.assert_frame_equal(a.transitions(), b.transitions())


@pytest.mark.parametrize("rule", ["earliest", "middle", "latest"])
def test_a_fuzzy_start_does_not_cross_a_spell_of_no_length(rule):
    # C took office in January 2015, after B's spell on the 10th: every rule must keep it so
    study = Study(**spell_of_no_length(c_start="2015-01"), date_rule=rule)
    assert list(study.transitions()["to_holder"]) == ["B", "C"]
