"""Properties of study.panel over generated studies: it agrees with the episodes.

Exposure in the panel sums to the episodes' person-time per unit; leader changes sum to the
episodes' ``changes`` at the end of each unit (and are NA exactly when those are); periods after
``as_of`` never appear; a unit's rows are consecutive calendar periods.
"""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import continuity as ct
from continuity.testing import strategies as cst

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def cases(draw):
    tables, kwargs = draw(cst.study_tables(
        max_agreements=4, max_parties=3, max_terms=5, with_activities=True,
        allow_unknown_exposure=draw(st.booleans())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ct.ActivityOutsideLifeWarning)
        study = ct.Study(**tables, **kwargs)
    options = {
        "level": draw(st.sampled_from(["instrument", "relationship"])),
        "event": draw(st.sampled_from(["formal", "dormant"])),
        "dormancy": draw(st.integers(1, 1500)),
        "max_gap": draw(st.integers(0, 800)),
    }
    return study, options, draw(st.sampled_from(["year", "quarter", "month"]))


def _keys(level):
    return ["agreement_id"] if level == "instrument" else ["relationship_id", "spell"]


@SETTINGS
@given(cases())
def test_exposure_sums_to_episode_person_time(case):
    study, options, freq = case
    ep = study.episodes(leaders="none", **options)
    panel = study.panel(freq=freq, leaders="none", **options)
    keys = _keys(options["level"])
    want = (ep["t_stop"] - ep["t_start"]).groupby([ep[k].astype(object) for k in keys]).sum()
    got = panel.groupby([panel[k].astype(object) for k in keys])["exposure_days"].sum()
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)
    events = ep.groupby([ep[k].astype(object) for k in keys])["event"].sum()
    ended = panel.groupby([panel[k].astype(object) for k in keys])["ended"].sum()
    assert (ended.sort_index().to_numpy() == events.sort_index().to_numpy()).all()


@SETTINGS
@given(cases())
def test_changes_sum_to_episode_changes(case):
    study, options, freq = case
    ep = study.episodes(leaders="none", **options)
    panel = study.panel(freq=freq, leaders="none", **options)
    keys = _keys(options["level"])
    # the changes at the unit's last episode, NA included (GroupBy.last would skip an NA and
    # take an earlier, known count)
    last = ep.groupby([ep[k].astype(object) for k in keys])["changes"].agg(lambda s: s.iloc[-1])
    grouped = panel.groupby([panel[k].astype(object) for k in keys])["changes"]
    total = grouped.sum(min_count=1)
    unknown = grouped.apply(lambda s: s.isna().any())
    for key, value in last.items():
        if pd.isna(value):
            assert unknown[key], key
        else:
            assert not unknown[key], key
            assert total[key] == value, (key, total[key], value)


@SETTINGS
@given(cases())
def test_rows_are_consecutive_periods_before_as_of(case):
    study, options, freq = case
    panel = study.panel(freq=freq, leaders="none", **options)
    assert (panel["period_start"] <= study.as_of).all()
    assert (panel["exposure_days"] >= 1).all()
    assert ((panel["period_stop"] - panel["period_start"]).dt.days >= panel["exposure_days"]).all()
    keys = _keys(options["level"])
    for _, rows in panel.groupby([panel[k].astype(object) for k in keys]):
        steps = rows["periods_since_entry"].diff().dropna()
        assert (steps == 1).all()
        assert rows["periods_since_entry"].iloc[0] == 0
        assert rows["ended"].iloc[:-1].sum() == 0
