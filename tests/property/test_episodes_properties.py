"""Properties of split_episodes over generated studies (continuity.testing.strategies).

Each property is checked against a slow, row-by-row restatement of the rules written here, not
against the vectorised code: tiling, conservation of person-time and events, boundaries exactly
at transitions, window edges and cuts, exposure columns, idempotence under re-splitting, and
invariance under row order and id labels.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import continuity as ct
from continuity import audit_episodes, split_episodes
from continuity.testing import strategies as cst

DAY = pd.Timedelta(days=1)


@st.composite
def cases(draw, allow_unknown_exposure=True):
    """A study (with an as_of drawn anywhere in its span) and options for split_episodes."""
    tables, kwargs = draw(cst.study_tables(
        max_agreements=4, max_parties=3, max_terms=5, with_activities=True,
        allow_unknown_exposure=draw(st.booleans()) if allow_unknown_exposure else False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ct.ActivityOutsideLifeWarning)
        study = ct.Study(**tables, **kwargs)
        dates = pd.concat([study.terms["start"], study.agreements["signed"]])
        earliest = dates.min()
        span = max((study.as_of - earliest).days, 0)
        back = draw(st.integers(0, span))
        if back:
            kwargs = dict(kwargs, as_of=str((study.as_of - back * DAY).date()))
            study = ct.Study(**tables, **kwargs)
    options = draw(st.fixed_dictionaries({}, optional={
        "level": st.sampled_from(["instrument", "relationship"]),
        "event": st.sampled_from(["formal", "dormant"]),
        "dormancy": st.integers(1, 1500),
        "max_gap": st.one_of(st.just(0), st.integers(0, 800)),
        "window": st.integers(1, 1000),
        "cuts": st.lists(st.integers(1, 4000), max_size=4),
        "observed_from": st.integers(0, 30 * 365).map(
            lambda d: str(dt.date(2000, 1, 1) + dt.timedelta(days=d))),
    }))
    js = sorted(study.parties["jurisdiction"].unique())
    if draw(st.booleans()):
        options["focal"] = draw(st.sampled_from(js))
    return tables, kwargs, study, options


def unit_key(df, level):
    return ["agreement_id"] if level == "instrument" else ["relationship_id", "spell"]


def slot_columns(ep):
    k = sum(c.startswith("jurisdiction_") for c in ep.columns)
    return [(f"jurisdiction_{i}", f"leader_{i}", f"term_id_{i}") for i in range(1, k + 1)]


@given(cases())
def test_episodes_tile_the_at_risk_time_and_conserve_it(case):
    _, _, study, options = case
    level = options.get("level", "instrument")
    ep = split_episodes(study, **options)
    audit = audit_episodes(study, **options)
    key = unit_key(ep, level)
    inc = audit[audit["status"] == "included"].reset_index(drop=True)
    assert audit["n_episodes"].sum() == len(ep)
    assert (audit.loc[audit["status"] != "included", "n_episodes"] == 0).all()
    assert (inc["t_stop"] > inc["t_start"]).all()
    # one unit after the other, in the audit's order, episodes numbered 1..k in time order
    units = ep[key].astype(object).drop_duplicates()
    assert units.reset_index(drop=True).equals(inc[key].astype(object))
    g = ep.groupby(key, sort=False, observed=True)
    assert (ep["episode"].to_numpy() == g.cumcount().to_numpy() + 1).all()
    assert (ep["t_stop"] > ep["t_start"]).all()
    assert ((ep["stop"] - ep["start"]).dt.days == ep["t_stop"] - ep["t_start"]).all()
    same = np.zeros(len(ep), dtype=bool)
    if len(ep) > 1:
        same[1:] = (g.ngroup().to_numpy()[1:] == g.ngroup().to_numpy()[:-1])
    # no gap and no overlap: each episode starts where the previous one of its unit stopped
    assert (ep["t_start"].to_numpy()[same] == ep["t_stop"].to_numpy()[np.roll(same, -1)]).all()
    first, last = g.head(1), g.tail(1)
    assert first["t_start"].tolist() == inc["t_start"].tolist()
    assert first["start"].tolist() == inc["start"].tolist()
    assert last["t_stop"].tolist() == inc["t_stop"].tolist()
    assert last["event"].tolist() == inc["event"].tolist()
    assert ep["event"].sum() == inc["event"].sum()
    not_last = np.roll(same, -1)  # the next row is of the same unit
    assert (ep["event"].to_numpy()[not_last] == 0).all()
    assert (ep["t_stop"] - ep["t_start"]).sum() == (inc["t_stop"] - inc["t_start"]).sum()


def terms_by_jurisdiction(study):
    lead = study.leadership_terms()
    lead = lead[lead["kind"].astype(object).ne("vacancy")]
    return {j: t.reset_index(drop=True) for j, t in lead.groupby("jurisdiction", sort=False)}


def records(study):
    """Each jurisdiction's record: (first day of its first row, end of its last or None)."""
    out = {}
    for j, t in study.leadership_terms().groupby("jurisdiction", sort=False):
        out[j] = (t["start"].min(), None if t["end"].isna().any() else t["end"].max())
    return out


def inside(record, day):
    lo, hi = record
    return lo <= day and (hi is None or day < hi)


@given(cases())
def test_boundaries_are_exactly_the_transitions_window_edges_and_cuts(case):
    _, _, study, options = case
    level = options.get("level", "instrument")
    ep = split_episodes(study, **options)
    terms = terms_by_jurisdiction(study)
    rec = records(study)
    tr = study.transitions()
    changes = tr[tr["leader_change"]]
    window, cuts = options.get("window"), options.get("cuts", [])
    for _, unit in ep.groupby(unit_key(ep, level), sort=False, observed=True):
        lo, hi = unit["start"].iloc[0], unit["stop"].iloc[-1]
        entry = lo - unit["t_start"].iloc[0] * DAY
        allowed = set()
        for jcol, _, _ in slot_columns(ep):
            j = unit[jcol].iloc[0]
            if pd.isna(j) or j in study.unknown_exposure:
                continue
            t = terms[j]
            allowed |= set(t["start"]) | set(t["end"].dropna())
            allowed |= {d for d in rec[j] if d is not None}
            if window is not None and entry < rec[j][0]:
                allowed.add(rec[j][0] + window * DAY)
            if window is not None:
                c = changes.loc[(changes["jurisdiction"] == j) & (changes["date"] > entry), "date"]
                allowed |= {d + window * DAY for d in c}
        allowed |= {entry + c * DAY for c in cuts}
        expected = sorted(d for d in allowed if lo < d < hi)
        assert unit["start"].iloc[1:].tolist() == expected


@given(cases())
def test_exposure_columns_follow_their_definitions(case):
    _, _, study, options = case
    ep = split_episodes(study, **options)
    terms = terms_by_jurisdiction(study)
    rec = records(study)
    tr = study.transitions()
    changes = tr[tr["leader_change"]]
    unknown = set(study.unknown_exposure)
    window, focal = options.get("window"), options.get("focal")

    def holder_term(j, day):
        t = terms[j]
        hit = t[(t["start"] <= day) & (t["end"].isna() | (t["end"] > day))]
        assert len(hit) <= 1
        return (None, None) if hit.empty else (hit["holder"].iloc[0], hit["term_id"].iloc[0])

    for row in ep.astype(object).itertuples(index=False):
        r = row._asdict()
        entry = r["start"] - r["t_start"] * DAY
        total, na, last, signer = 0, False, None, True
        party_total, party_na, window_na = 0, False, False
        own, partner, partner_na, has_focal = None, 0, False, False
        for jcol, lcol, tcol in slot_columns(ep):
            j = r[jcol]
            if pd.isna(j) or j in unknown:
                assert pd.isna(r[lcol])
                assert pd.isna(r[tcol])
            if pd.isna(j):
                continue
            if j in unknown:
                na = window_na = True
                signer = False if signer is False else None
                ch = None
            else:
                h, t = holder_term(j, r["start"])
                assert (None if pd.isna(r[lcol]) else r[lcol]) == h
                assert (None if pd.isna(r[tcol]) else r[tcol]) == t
                in_rec = inside(rec[j], r["start"])
                if not in_rec:
                    assert h is None
                c = changes[(changes["jurisdiction"] == j) & (changes["date"] > entry)
                            & (changes["date"] <= r["start"])]
                ch = len(c)
                total += ch
                party_total += int(c["party_change"].fillna(False).sum())
                party_na |= bool(c["party_change"].isna().any())
                if ch:
                    last = c["date"].max() if last is None else max(last, c["date"].max())
                if window is not None:
                    since = max(entry, r["start"] - window * DAY)
                    window_na |= not (in_rec and rec[j][0] <= since)
                known = in_rec and rec[j][0] <= entry
                na |= not known
                h0, _ = holder_term(j, entry)
                if h0 is not None and (ch > 0 or (in_rec and h != h0)):
                    signer = False
                elif (h0 is None or not in_rec) and signer is True:
                    signer = None
                ch = ch if known else None
            if j == focal:
                own, has_focal = ch, True
            else:
                partner = None if ch is None or partner is None else partner + ch
                partner_na |= ch is None
        assert (None if pd.isna(r["changes"]) else r["changes"]) == (None if na else total)
        assert ((None if pd.isna(r["party_changes"]) else r["party_changes"])
                == (None if na or party_na else party_total))
        got_signer = None if pd.isna(r["signer_in_office"]) else bool(r["signer_in_office"])
        assert got_signer == signer
        dsc = None if na or last is None else (r["start"] - last).days
        assert (None if pd.isna(r["days_since_change"]) else r["days_since_change"]) == dsc
        if window is not None:
            # a recorded change in the window decides; else unknown if some window is
            recent = last is not None and (r["start"] - last).days < window
            post = True if recent else (None if window_na else False)
            assert (None if pd.isna(r["post_change"]) else bool(r["post_change"])) == post
        if focal is not None:
            exp_own = own if has_focal else None
            exp_partner = None if not has_focal or partner_na else partner
            assert (None if pd.isna(r["own_changes"]) else r["own_changes"]) == exp_own
            assert (None if pd.isna(r["partner_changes"]) else r["partner_changes"]) == exp_partner


@given(cases(), st.data())
def test_splitting_again_at_existing_boundaries_changes_nothing(case, data):
    _, _, study, options = case
    level = options.get("level", "instrument")
    ep = split_episodes(study, **options)
    if ep.empty:
        return
    key = unit_key(ep, level)
    # one unit, re-split at its own interior boundaries (as cuts) and at the cuts again
    labels = ep[key].astype(object).drop_duplicates()
    pick = labels.iloc[data.draw(st.integers(0, len(labels) - 1))]
    mine = (ep[key].astype(object) == pick.to_numpy()).all(axis=1).to_numpy()
    again = dict(options, cuts=sorted({*options.get("cuts", []),
                                       *ep.loc[mine, "t_start"].iloc[1:].tolist()}))
    ep2 = split_episodes(study, **again)
    mine2 = (ep2[key].astype(object) == pick.to_numpy()).all(axis=1).to_numpy()
    pd.testing.assert_frame_equal(ep2[mine2].reset_index(drop=True),
                                  ep[mine].reset_index(drop=True))
    twice = dict(options, cuts=2 * options.get("cuts", []))
    pd.testing.assert_frame_equal(split_episodes(study, **twice), ep)


def canonical(ep, key):
    out = ep.astype({c: object for c in ep.columns if isinstance(ep[c].dtype, pd.CategoricalDtype)})
    return out.sort_values([*key, "episode"], kind="stable").reset_index(drop=True)


@given(cases(), st.randoms(use_true_random=False))
def test_row_order_and_id_labels_change_nothing(case, rnd):
    tables, kwargs, study, options = case
    level = options.get("level", "instrument")
    ep = split_episodes(study, **options)
    shuffled = {}
    for name, df in tables.items():
        if df is None:
            shuffled[name] = None
            continue
        order = list(range(len(df)))
        rnd.shuffle(order)
        shuffled[name] = df.iloc[order].reset_index(drop=True)
    # relabel agreements, relationships and terms
    new_a = {a: f"agr-{i}" for i, a in enumerate(reversed(tables["agreements"]["agreement_id"]))}
    for name in ("agreements", "parties", "activities", "targets"):
        if shuffled.get(name) is not None and "agreement_id" in shuffled[name]:
            shuffled[name] = shuffled[name].assign(
                agreement_id=shuffled[name]["agreement_id"].map(new_a))
    a = shuffled["agreements"]
    if "relationship_id" in a:
        a = a.assign(relationship_id=a["relationship_id"].map(lambda r: f"rel-{r}"[::-1]
                                                              if isinstance(r, str) else r))
        shuffled["agreements"] = a
    if "term_id" in shuffled["terms"]:
        shuffled["terms"] = shuffled["terms"].assign(
            term_id=shuffled["terms"]["term_id"].map(lambda t: f"T{t}"[::-1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ct.ActivityOutsideLifeWarning)
        study2 = ct.Study(**shuffled, **kwargs)
    ep2 = split_episodes(study2, **options)
    back_a = {v: k for k, v in new_a.items()}
    if level == "instrument":
        ep2["agreement_id"] = ep2["agreement_id"].map(back_a)
    else:
        ids = study.agreements[["agreement_id", "relationship_id"]]
        back_r = {}
        for aid, rid in ids.itertuples(index=False):
            a2 = a.loc[a["agreement_id"] == new_a[aid]]
            rid2 = a2["relationship_id"].iloc[0] if "relationship_id" in a2 and \
                not pd.isna(a2["relationship_id"].iloc[0]) else new_a[aid]
            back_r[rid2] = rid
        ep2["relationship_id"] = ep2["relationship_id"].map(back_r)
    for _, _, tcol in slot_columns(ep2):
        ep2[tcol] = ep2[tcol].map(lambda t: t if pd.isna(t) else t[::-1][1:])
    key = unit_key(ep, level)
    pd.testing.assert_frame_equal(canonical(ep2, key), canonical(ep, key), check_dtype=False)
