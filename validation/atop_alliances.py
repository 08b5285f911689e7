"""Validation on real data: do leader changes raise the hazard that an alliance ends?

Question of Leeds, Mattes & Vogel (2009), "Interests, Institutions, and the Reliability of
International Commitments", American Journal of Political Science 53(2): 461-476, asked again with
`continuity` on

- Archigos 4.1 (Goemans, Gleditsch & Chiozza 2009, Journal of Peace Research 46(2)): the leaders,
- ATOP 4.01 member level (Leeds, Ritter, Mitchell & Long 2002, International Interactions 28): the
  alliances,
- CHISOLS 4.0 (Mattes, Leeds & Matsumura 2016, Journal of Peace Research 53(2)): changes in the
  leader's source of support.

The data are read from a folder given on the command line and never copied into the repository
(their licences do not allow redistribution)::

    python validation/atop_alliances.py [DATA_DIR]      # default: ../shared/data/real
    python validation/atop_alliances.py [DATA_DIR] --check-r   # refit with R's coxph
    python validation/atop_alliances.py [DATA_DIR] --scale 100 # the covered study x100, timed

Every data decision is logged to stdout with its count; validation/ATOP.md holds the results and
their reading.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import continuity as ct

AS_OF = pd.Timestamp("2015-12-31")          # Archigos 4.1 ends here
CHISOLS_FROM, CHISOLS_TO = pd.Timestamp("1919-01-01"), pd.Timestamp("2008-12-31")
WINDOW = 365

# COW member codes of ATOP whose Gleditsch-Ward code differs, as periods (GW code, from, to),
# checked against the spells of the Archigos file (see ATOP.md):
# - COW 255 Germany: GW 255 up to 1945 (last Archigos spell ends 1945-05-23), and after
#   reunification GW 260 (the Federal Republic continues; COW re-uses 255 from 1990-10-03);
# - COW 345 Serbia/Yugoslavia: GW 340 Serbia up to 1918-12-01 and again from 2006-06-04
#   (Archigos SER-2006 starts that day), GW 345 Yugoslavia / Serbia and Montenegro in between;
# - COW 679 Yemen (unified, from 1990-05-22): GW 678, which Archigos continues through 2015;
# - COW 8152 (ATOP code of Annam/Vietnam in the 1874 Treaty of Saigon): GW 815, Archigos VNM.
# All other codes are the same in both systems (GW 678/680 are COW 678/680 before 1990; GW
# 816/817 are COW 816/817).
COW_TO_GW = {
    255: [(255, None, "1945-05-24"), (260, "1990-10-03", None)],
    345: [(340, None, "1918-12-01"), (345, "1918-12-01", "2006-06-04"), (340, "2006-06-04", None)],
    679: [(678, "1990-05-22", None)],
    8152: [(815, None, None)],
}


def log(msg: str) -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------------------------------------
# Archigos -> terms


def build_terms(path: Path) -> pd.DataFrame:
    a = pd.read_csv(path / "archigos_4.1_leaders.csv")
    still = a["exit"].eq("Still in Office")
    odd = still & a["enddate"].ne("2015-12-31")
    log(f"archigos: {len(a)} spells, {a['ccode'].nunique()} states; {int(still.sum())} still in "
        f"office -> open end (censored at as_of); {int(odd.sum())} of them end 2014-12-31 "
        f"({', '.join(a.loc[odd, 'obsid'])}), also treated as open")
    terms = pd.DataFrame({
        "jurisdiction": a["ccode"].astype(str),
        "office": "leader",
        "holder": a["leadid"],
        "start": a["startdate"],
        "end": a["enddate"].where(~still),
        "term_id": a["obsid"],
        "leader_name": a["leader"],
    })
    s, e = pd.to_datetime(terms["start"]), pd.to_datetime(terms["end"])
    zero = (s == e)
    log(f"archigos: {int(zero.sum())} spells last zero days (start == end: "
        f"{', '.join(terms.loc[zero, 'term_id'])}); kept (the library counts each as two "
        "leader changes on one day, into it and out of it, with no audit row)")
    order = np.lexsort((s.to_numpy(), terms["jurisdiction"].to_numpy()))
    ts = terms.iloc[order]
    same = ts["jurisdiction"].to_numpy()[1:] == ts["jurisdiction"].to_numpy()[:-1]
    e_prev = pd.to_datetime(ts["end"]).to_numpy()[:-1]
    s_next = pd.to_datetime(ts["start"]).to_numpy()[1:]
    touch = same & (e_prev == s_next)
    gap = same & (e_prev < s_next)
    over = same & ((e_prev > s_next) | np.isnat(e_prev))
    log(f"archigos: consecutive spells of one state: {int(touch.sum())} same-day handovers "
        f"(end == next start: fine for [start, end)), {int(gap.sum())} with a gap "
        f"(vacancy), {int(over.sum())} overlaps (none to trim)")
    return terms


def gw_series(terms: pd.DataFrame, cow: int) -> pd.DataFrame:
    """The leadership series of a COW code that spans several GW codes, clipped to its periods."""
    parts = []
    for gw, lo, hi in COW_TO_GW[cow]:
        t = terms[terms["jurisdiction"] == str(gw)].copy()
        s, e = pd.to_datetime(t["start"]), pd.to_datetime(t["end"])
        lo_ = pd.Timestamp(lo) if lo else pd.Timestamp.min
        hi_ = pd.Timestamp(hi) if hi else pd.Timestamp.max
        keep = ((s < hi_) & (e.isna() | (e > lo_))).to_numpy()
        s = s.clip(lower=lo_)
        e = e.where(e.isna() | (e <= hi_), hi_) if hi else e
        if hi:
            e = e.fillna(hi_)
        t["start"] = s.dt.strftime("%Y-%m-%d")
        t["end"] = e.dt.strftime("%Y-%m-%d").where(e.notna())
        parts.append(t[keep])
    out = pd.concat(parts, ignore_index=True)
    out["jurisdiction"] = f"cow{cow}"
    out["term_id"] = out["term_id"] + f"@cow{cow}"
    return out


# ------------------------------------------------------------------------------------------------
# ATOP -> agreements, parties


def _date_str(y, m, d) -> pd.Series:
    """ISO strings with their natural precision: YYYY-MM-DD, or YYYY-MM when the day is missing."""
    y = y.astype(int).astype(str).str.zfill(4)
    m = m.astype(int).astype(str).str.zfill(2)
    day = d.fillna(0).astype(int)
    full = y + "-" + m + "-" + day.astype(str).str.zfill(2)
    return full.where(day > 0, y + "-" + m)


def _lo(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.where(s.str.len() == 10, s + "-01"))


def map_member(m: pd.DataFrame) -> pd.Series:
    """GW jurisdiction of each member row (or a COW series when the row spans a code change)."""
    jur = m["member"].astype(str).copy()
    ent, ext = _lo(m["entry"]), _lo(m["exit"].fillna("2100-01-01"))
    for cow, periods in COW_TO_GW.items():
        rows = m["member"].eq(cow)
        hit = np.zeros(len(m), int)
        code = np.full(len(m), "", object)
        for gw, lo, hi in periods:
            lo_ = pd.Timestamp(lo) if lo else pd.Timestamp.min
            hi_ = pd.Timestamp(hi) if hi else pd.Timestamp.max
            ov = rows & (ent < hi_) & (ext > lo_)
            hit += ov.to_numpy()
            code = np.where(ov, str(gw), code)
        jur = jur.mask(rows & (hit == 1), pd.Series(code, index=m.index))
        jur = jur.mask(rows & (hit > 1), f"cow{cow}")
        for target, n in pd.Series(jur[rows]).value_counts().items():
            log(f"atop: COW {cow} -> {target}: {n} member rows")
    return jur


def build_alliances(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    m = pd.read_csv(path / "atop_4.01_member_level.csv")
    m = m[["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
           "bilat", "termmode"]].copy()
    log(f"atop: {len(m)} member rows, {m['atopid'].nunique()} alliances")
    m["entry"] = _date_str(m["yrent"], m["moent"], m["dayent"])
    open_ = m["yrexit"].eq(0)
    m["exit"] = _date_str(m["yrexit"].where(~open_, 1), m["moexit"].where(~open_, 1),
                          m["dayexit"]).where(~open_)
    log(f"atop: {int(m['dayent'].isna().sum())} entries and "
        f"{int((~open_ & m['dayexit'].isna()).sum())} exits known only to the month "
        f"(kept as YYYY-MM); {int(open_.sum())} member rows still in effect (exit 0)")
    m["jurisdiction"] = map_member(m)
    ent_lo = _lo(m["entry"])
    ext_lo = _lo(m["exit"].fillna("2100-01-01"))
    g = m.assign(ent_lo=ent_lo, ext_lo=ext_lo).groupby("atopid", sort=True)
    first = m.loc[g["ent_lo"].idxmin(), ["atopid", "entry"]].set_index("atopid")["entry"]
    last = m.loc[g["ext_lo"].idxmax(), ["atopid", "exit"]].set_index("atopid")["exit"]
    any_open = m["exit"].isna().groupby(m["atopid"]).any()
    agreements = pd.DataFrame({
        "agreement_id": first.index.astype(str),
        "signed": first.to_numpy(),
        "ended": last.where(~any_open).reindex(first.index).to_numpy(),
        "instrument": "alliance",
    })
    info = m.groupby("atopid").agg(bilat=("bilat", "max"), n_members=("jurisdiction", "nunique"),
                                   termmode=("termmode", "max"))
    info.index = info.index.astype(str)
    agreements = agreements.join(info, on="agreement_id")
    parties = (m[["atopid", "jurisdiction"]].drop_duplicates()
               .rename(columns={"atopid": "agreement_id"}))
    parties["agreement_id"] = parties["agreement_id"].astype(str)
    multi = int(m.duplicated(["atopid", "member"]).sum())
    late = int((m.assign(ent_lo=ent_lo).groupby("atopid")["ent_lo"].transform("min") < ent_lo)
               .sum())
    log(f"atop: parties = every member ever ({len(parties)} rows); {multi} extra rows of members "
        f"that left and re-entered merged; {late} member rows joined after the alliance began "
        "(their leader changes count from the alliance's start: the library's parties are fixed)")
    log(f"atop: {int(agreements['ended'].notna().sum())} alliances ended (all members exited), "
        f"{int(agreements['ended'].isna().sum())} still in effect")
    return agreements, parties


# ------------------------------------------------------------------------------------------------
# coverage


def coverage(agreements, parties, terms) -> pd.Series:
    """'covered', 'partial' (in Archigos but not over the whole life) or 'absent', per alliance."""
    t = terms.assign(s=pd.to_datetime(terms["start"]),
                     e=pd.to_datetime(terms["end"]).fillna(AS_OF + pd.Timedelta(days=1)))
    span = t.groupby("jurisdiction").agg(first=("s", "min"), last=("e", "max"))
    a = agreements.assign(lo=_lo(agreements["signed"]),
                          hi=_lo(agreements["ended"].fillna(str(AS_OF.date()))).clip(upper=AS_OF))
    p = parties.merge(a[["agreement_id", "lo", "hi"]], on="agreement_id").join(span,
                                                                              on="jurisdiction")
    status = np.where(p["first"].isna(), 2, np.where((p["first"] <= p["lo"]) &
                                                      (p["last"] >= p["hi"]), 0, 1))
    worst = pd.Series(status, index=p.index).groupby(p["agreement_id"]).max()
    absent = sorted(set(p.loc[p["first"].isna(), "jurisdiction"]), key=str)
    log(f"coverage: members never in Archigos: {', '.join(absent)}")
    return worst.map({0: "covered", 1: "partial", 2: "absent"}).reindex(
        agreements["agreement_id"]).set_axis(agreements.index)


# ------------------------------------------------------------------------------------------------
# CHISOLS -> source-of-support groups as the terms' ``party``


def sols_dates(path: Path) -> pd.DataFrame:
    c = pd.read_csv(path / "chisols_styr_4.0.csv", low_memory=False)
    rows = []
    for k in range(1, 8):
        sel = c[c[f"solschange{k}"] == 1]
        rows.append(pd.DataFrame({"cow": sel["ccode"], "y": sel[f"solschyr{k}"],
                                  "m": sel[f"solschmo{k}"], "d": sel[f"solschday{k}"]}))
    s = pd.concat(rows, ignore_index=True).dropna(subset=["y", "m"])
    s["date"] = pd.to_datetime(dict(year=s["y"].astype(int), month=s["m"].astype(int),
                                    day=s["d"].fillna(15).astype(int)))
    gw = s["cow"].astype(str)
    for cow, periods in COW_TO_GW.items():
        for g, lo, hi in periods:
            sel = s["cow"].eq(cow) & (s["date"] >= pd.Timestamp(lo or "1000-01-01")) & \
                (s["date"] < pd.Timestamp(hi or "2100-01-01"))
            gw = gw.mask(sel, str(g))
    s["jurisdiction"] = gw
    states = set(c["ccode"].astype(str)) | {"340", "678"}
    log(f"chisols: {len(c)} state-years, {len(s)} source-of-support changes with a date")
    return s[["jurisdiction", "date"]], states


def add_sols_party(terms: pd.DataFrame, sols: pd.DataFrame, states) -> pd.DataFrame:
    """``party``: index of the support group, +1 at each term whose start CHISOLS codes as a
    change in source of support (matched within 7 days); NA for terms outside CHISOLS (states
    not in it, terms wholly before 1919 or after 2008). The leader in office on 1919-01-01 has
    a group too: whether the next leader changed the source of support is coded by CHISOLS."""
    t = terms.copy()
    t["_s"] = pd.to_datetime(t["start"])
    t["_e"] = pd.to_datetime(t["end"])
    # one term per support change: the term of that state starting nearest the CHISOLS date
    starts = t[["jurisdiction", "_s"]].reset_index().sort_values("_s")
    m = pd.merge_asof(sols.sort_values("date"), starts, left_on="date", right_on="_s",
                      by="jurisdiction", direction="nearest", tolerance=pd.Timedelta(days=7))
    hit = m["index"].dropna().astype(int)
    t["sols_change"] = t.index.isin(hit)
    log(f"chisols: {len(hit)} of {len(sols)} support changes matched to an Archigos term start "
        f"within 7 days ({len(sols) - len(hit)} unmatched, ignored; "
        f"{int(hit.duplicated().sum())} matched a term already matched); "
        f"{int(t['sols_change'].sum())} terms start with a change of support")
    t = t.sort_values(["jurisdiction", "_s"], kind="stable")
    group = t.groupby("jurisdiction")["sols_change"].cumsum()
    inside = (t["_s"] <= CHISOLS_TO) & (t["_e"].isna() | (t["_e"] >= CHISOLS_FROM)) & \
        t["jurisdiction"].isin(states)
    log(f"chisols: {int(inside.sum())} terms in office in 1919-2008 get a support group as "
        f"`party`, {int((inside & (t['_s'] < CHISOLS_FROM)).sum())} of them begun before 1919")
    t["party"] = (t["jurisdiction"] + ":g" + group.astype(str)).where(inside)
    return t.drop(columns=["_s", "_e"]).sort_index()


# ------------------------------------------------------------------------------------------------
# analysis


def fit(ep: pd.DataFrame, covs: list[str], label: str) -> pd.DataFrame:
    d = ep.dropna(subset=covs)
    d = d.assign(**{c: d[c].astype(float) for c in covs})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ct.ConvergenceWarning)
        r = ct.cox(d, covs, cluster="agreement_id")
    out = r.summary[["term", "exp_coef", "robust_se", "conf_low", "conf_high", "p_value"]].copy()
    out.insert(0, "model", label)
    out["n_rows"], out["n_units"], out["n_events"] = r.n, r.n_clusters, r.n_events
    return out


def km_summary(ep: pd.DataFrame, label: str) -> dict:
    km = ct.kaplan_meier(ep)
    med = ct.median_survival(ep)
    out = {"sample": label}
    for yrs in (5, 10, 20):
        row = km[km["time"] <= 365.25 * yrs].tail(1)
        out[f"S({yrs}y)"] = round(float(row["estimate"].iloc[0]), 3) if len(row) else 1.0
    out["median_years"] = round(float(med["estimate"].iloc[0]) / 365.25, 1)
    return out


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    # the data folder is the first argument that is neither a flag nor the value of --scale
    skip = {argv.index("--scale") + 1} if "--scale" in argv else set()
    pos = [a for i, a in enumerate(argv[1:], 1) if not a.startswith("--") and i not in skip]
    path = Path(pos[0]) if pos else (root / ".." / "shared" / "data" / "real")
    pd.set_option("display.width", 160, "display.max_columns", 20)
    t0 = time.perf_counter()

    terms = build_terms(path)
    agreements, parties = build_alliances(path)
    extra = [gw_series(terms, int(j[3:])) for j in sorted(parties["jurisdiction"].unique())
             if j.startswith("cow")]
    terms = pd.concat([terms, *extra], ignore_index=True)
    log(f"terms: {sum(map(len, extra))} clipped spells added for COW series spanning a code "
        f"change ({', '.join(e['jurisdiction'].iloc[0] for e in extra)})")

    status = coverage(agreements, parties, terms)
    signed_lo = _lo(agreements["signed"])
    after = signed_lo > AS_OF
    log(f"coverage: {status.value_counts().to_dict()}; {int(after.sum())} alliances signed "
        f"after as_of {AS_OF.date()} (no time at risk)")

    # ---- main study: alliances whose every member is in Archigos over the alliance's life
    cov = agreements[(status == "covered") & ~after]
    cov_parties = parties[parties["agreement_id"].isin(cov["agreement_id"])]
    t = time.perf_counter()
    study = ct.Study(terms, cov, cov_parties, as_of=AS_OF)
    log(f"\nStudy (covered): built in {time.perf_counter() - t:.2f} s: "
        f"{len(cov)} alliances, {len(cov_parties)} parties, {len(terms)} terms; "
        f"its repr is {len(repr(study))} characters")
    results, kms = [], []
    for rule in ("middle", "earliest", "latest"):
        s = study if rule == "middle" else study.resolve_dates(rule)
        t = time.perf_counter()
        ep = s.episodes(level="instrument", window=WINDOW, leaders="none")
        te = time.perf_counter() - t
        t = time.perf_counter()
        results.append(fit(ep, ["post_change"], f"covered/{rule}"))
        results.append(fit(ep, ["post_change", "changes"], f"covered/{rule}"))
        tc = time.perf_counter() - t
        log(f"  {rule}: {len(ep)} episodes in {te:.2f} s, two Cox fits in {tc:.2f} s")
        kms.append(km_summary(ep, f"covered/{rule}"))
        if rule == "middle":
            ep_mid = ep
    check_episodes(study, ep_mid)
    bil = ep_mid[ep_mid["agreement_id"].isin(cov.loc[cov["bilat"] == 1, "agreement_id"])]
    results.append(fit(bil, ["post_change"], "covered/bilateral"))
    kms.append(km_summary(bil, "covered/bilateral"))

    # ---- every alliance, members outside Archigos as unknown exposure
    alive = agreements[~after]
    t = time.perf_counter()
    study_all = ct.Study(terms, alive, parties[parties["agreement_id"].isin(alive["agreement_id"])],
                         as_of=AS_OF, allow_unknown_exposure=True)
    ep_all = study_all.episodes(level="instrument", window=WINDOW, leaders="none")
    audit = ct.audit_episodes(study_all, level="instrument", window=WINDOW, leaders="none")
    log(f"Study (all, unknown exposure allowed): built + split in {time.perf_counter() - t:.2f} s;"
        f" {len(study_all.unknown_exposure)} jurisdictions without terms; {len(ep_all)} "
        f"episodes: changes NA on {int(ep_all['changes'].isna().sum())} (audit "
        f"n_unknown_exposure {int(audit['n_unknown_exposure'].sum())}, in "
        f"{int((audit['n_unknown_exposure'] > 0).sum())} alliances), post_change NA on "
        f"{int(ep_all['post_change'].isna().sum())}")
    st = status.set_axis(agreements["agreement_id"])
    cov_all = ep_all["agreement_id"].astype(str).map(st)
    pc = ep_all["post_change"].astype(object).fillna("NA")
    days = ep_all["t_stop"] - ep_all["t_start"]
    tab = pd.DataFrame({"coverage": cov_all, "post_change": pc, "days": days,
                        "event": ep_all["event"]}).groupby(["coverage", "post_change"]).agg(
        episodes=("days", "size"), days=("days", "sum"), events=("event", "sum"))
    log("  episodes by member coverage and post_change:\n" + tab.to_string())
    unit_na = ep_all["post_change"].isna().groupby(ep_all["agreement_id"], observed=True
                                                   ).transform("any").to_numpy()
    # complete cases three ways (the library's Notes: row by row keeps the True rows of partly
    # known alliances, whose False rows are NA; drop rows where `changes` is NA, or whole units)
    results.append(fit(ep_all[ep_all["changes"].notna()], ["post_change"],
                       "all/changes NA dropped"))
    results.append(fit(ep_all[~unit_na], ["post_change"], "all/alliances with NA dropped"))
    results.append(fit(ep_all, ["post_change"], "all/NA rows dropped"))
    # the rule of the library before 861a0f9 (time outside the record = no change), for the
    # record: alliances with members never in Archigos were left out then (no terms = NA)
    old = ep_all.assign(post_change=ep_all["post_change"].fillna(False))
    results.append(fit(old[(cov_all != "absent").to_numpy()], ["post_change"],
                       "all/old rule NA=False"))
    kms.append(km_summary(ep_all, "all (KM needs no exposure)"))

    # ---- CHISOLS: change of source of support, as a party change of the terms
    sols, states = sols_dates(path)
    sterms = add_sols_party(terms, sols, states)
    sc = cov[(_lo(cov["signed"]) >= CHISOLS_FROM) & (_lo(cov["signed"]) <= CHISOLS_TO)]
    sp = cov_parties[cov_parties["agreement_id"].isin(sc["agreement_id"])]
    inside = sp["jurisdiction"].isin(states)
    sc = sc[~sc["agreement_id"].isin(sp.loc[~inside, "agreement_id"])]
    sp = sp[sp["agreement_id"].isin(sc["agreement_id"])]
    s_study = ct.Study(sterms, sc, sp, as_of=CHISOLS_TO)
    tr = s_study.transitions()
    tr = tr[tr["leader_change"] & tr["party_change"].fillna(False).astype(bool)]
    log(f"CHISOLS study: {len(sc)} alliances signed 1919-2008 with every member in CHISOLS, "
        f"censored 2008-12-31; {len(tr)} leader changes with a change of support group")
    ep = s_study.episodes(level="instrument", window=WINDOW, leaders="none")
    ep = ep.assign(post_sols=window_indicator(ep, "party_changes"))
    check_post_sols(ep, tr, s_study)
    results.append(fit(ep, ["post_change"], "chisols/leader"))
    results.append(fit(ep, ["post_sols"], "chisols/sols"))
    results.append(fit(ep, ["post_change", "post_sols"], "chisols/both"))

    res = pd.concat(results, ignore_index=True)
    log("\nCox models (hazard ratios, cluster-robust 95% CI by alliance):")
    log(res.round(3).to_string(index=False))
    log("\nKaplan-Meier of alliance duration:")
    log(pd.DataFrame(kms).to_string(index=False))
    log(f"\ntotal {time.perf_counter() - t0:.1f} s")
    if "--check-r" in argv:
        check_r(ep_mid)
    if "--scale" in argv:
        scale(terms, cov, cov_parties, int(argv[argv.index("--scale") + 1]))


def check_episodes(study, ep: pd.DataFrame) -> None:
    """Invariants: person-time and events conserved; post_change rebuilt from the transitions."""
    a = study.agreements
    entry = a["signed"]
    end = a["ended"].where(a["ended"] <= study.as_of, study.as_of)
    days = int((end - entry).dt.days.sum())
    events = int((a["ended"] <= study.as_of).sum())
    pt = int((ep["t_stop"] - ep["t_start"]).sum())
    log(f"  check: person-days {pt} (expected {days}), events {int(ep['event'].sum())} "
        f"(expected {events}); {ep.shape[1]} columns with leaders='none'")
    tr = study.transitions()
    again = add_post_sols(ep, tr[tr["leader_change"]], study)["post_sols"]
    log(f"  check: post_change rebuilt from study.transitions() differs on "
        f"{int((again != ep['post_change'].astype(bool)).sum())} of {len(ep)} episodes")


def check_r(ep: pd.DataFrame) -> None:
    """Refit the main model with R's coxph (needs Rscript with survival); temp files only."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "ep.csv"
        ep[["agreement_id", "t_start", "t_stop", "event", "post_change", "changes"]].astype(
            {"post_change": int, "changes": int}).to_csv(f, index=False)
        code = (f"library(survival); d <- read.csv('{f}'); "
                "m <- coxph(Surv(t_start, t_stop, event) ~ post_change, data=d, "
                "cluster=agreement_id, ties='efron'); "
                "cat(sprintf('R coxph: HR %.6f robust se %.6f n %d events %d\\n', "
                "exp(coef(m)), sqrt(diag(m$var)), m$n, m$nevent))")
        out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True)
        log(out.stdout.strip() or out.stderr.strip())
    r = ct.cox(ep.assign(post_change=ep["post_change"].astype(float)), ["post_change"],
               cluster="agreement_id")
    log(f"continuity: HR {float(r.summary['exp_coef'].iloc[0]):.6f} robust se "
        f"{float(r.summary['robust_se'].iloc[0]):.6f} n {r.n} events {r.n_events}")


def scale(terms, agreements, parties, times: int) -> None:
    """The covered study replicated ``times`` times (ids relabelled) to time the pipeline."""
    reps = np.repeat(np.arange(times), len(agreements))
    big_a = agreements.iloc[np.tile(np.arange(len(agreements)), times)].reset_index(drop=True)
    big_a["agreement_id"] = big_a["agreement_id"] + "_" + reps.astype(str)
    rp = np.repeat(np.arange(times), len(parties))
    big_p = parties.iloc[np.tile(np.arange(len(parties)), times)].reset_index(drop=True)
    big_p["agreement_id"] = big_p["agreement_id"] + "_" + rp.astype(str)
    log(f"\nscale x{times}: {len(big_a)} alliances, {len(big_p)} parties")
    t = time.perf_counter()
    study = ct.Study(terms, big_a, big_p, as_of=AS_OF)
    log(f"  Study built in {time.perf_counter() - t:.2f} s")
    for leaders in ("wide", "none"):   # wide last ran in the first version of this script
        t = time.perf_counter()
        ep = study.episodes(level="instrument", window=WINDOW, leaders=leaders)
        log(f"  leaders={leaders!r}: {len(ep)} episodes, {ep.shape[1]} columns, in "
            f"{time.perf_counter() - t:.2f} s ({ep.memory_usage(deep=True).sum() / 1e6:.0f} MB)")
        if leaders == "wide":
            del ep
    t = time.perf_counter()
    fit(ep, ["post_change"], "scale")
    log(f"  Cox (cluster-robust) in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    ct.kaplan_meier(ep)
    log(f"  Kaplan-Meier in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    study.resolve_dates("earliest")
    log(f"  resolve_dates('earliest') in {time.perf_counter() - t:.2f} s")


def window_indicator(ep: pd.DataFrame, count: str) -> pd.Series:
    """A count since entry went up in the last WINDOW days: ``count`` at the episode's start
    minus ``count`` at start - WINDOW (0 before entry). Exact, because the library splits
    episodes at every change, so the count is constant within an episode (boolean; NA where
    either count is NA)."""
    e = pd.DataFrame({"agreement_id": ep["agreement_id"].astype(str).to_numpy(),
                      "t_lag": (ep["t_start"] - WINDOW).to_numpy(),
                      "i": np.arange(len(ep))})
    lk = pd.DataFrame({"agreement_id": e["agreement_id"], "t_lag": ep["t_start"].to_numpy(),
                       "lag": ep[count].to_numpy()})
    m = pd.merge_asof(e.sort_values("t_lag"), lk.sort_values("t_lag"), on="t_lag",
                      by="agreement_id", direction="backward").sort_values("i")
    lag = m["lag"].astype("Int64").mask(m["t_lag"].to_numpy() < 0, 0)
    return pd.Series(ep[count].astype("Int64").to_numpy() - lag.to_numpy() > 0,
                     index=ep.index, dtype="boolean")


def check_post_sols(ep: pd.DataFrame, tr: pd.DataFrame, study) -> None:
    """``post_sols`` from the library's ``party_changes`` against the same indicator rebuilt
    from ``study.transitions()`` (leader changes with ``party_change`` True, NA as False)."""
    again = add_post_sols(ep.drop(columns="post_sols"), tr, study)["post_sols"]
    lib = ep["post_sols"]
    na = lib.isna()
    log(f"  check: post_sols from episodes' party_changes is NA on {int(na.sum())} episodes "
        f"and differs from the rebuild from transitions on "
        f"{int((lib[~na].astype(bool) != again[~na]).sum())} of {int((~na).sum())} others")
    tr_all = study.transitions()
    unk = tr_all[tr_all["leader_change"] & tr_all["party_change"].isna() &
                 tr_all["jurisdiction"].isin(study.parties["jurisdiction"]) &
                 tr_all["date"].between(CHISOLS_FROM, study.as_of)]
    log(f"  check: {len(unk)} leader changes of members in 1919-2008 have an unknown "
        f"party_change; {int(ep['party_changes'].isna().sum())} episodes have party_changes NA")


def add_post_sols(ep: pd.DataFrame, tr: pd.DataFrame, study) -> pd.DataFrame:
    """``post_sols``: one of the transitions ``tr`` at any party in (entry, start], within
    WINDOW days before the episode's start, rebuilt from ``study.transitions()`` and
    ``study.parties`` (an independent check of the library's episodes; no wide columns needed).
    Vectorised over (episode, party) pairs."""
    long = ep[["agreement_id", "start"]].assign(
        agreement_id=ep["agreement_id"].astype(str)).reset_index().merge(
        study.parties[["agreement_id", "jurisdiction"]].astype(str), on="agreement_id")
    entry = ep.groupby("agreement_id", observed=True)["start"].min()
    entry.index = entry.index.astype(str)
    long["entry"] = long["agreement_id"].map(entry).to_numpy()
    ch = tr[["jurisdiction", "date"]].astype({"jurisdiction": str}).sort_values("date")
    long = pd.merge_asof(long.sort_values("start"), ch, left_on="start", right_on="date",
                         by="jurisdiction", direction="backward")
    ok = long["date"] > long["entry"]
    latest = long["date"].where(ok).groupby(long["index"]).max()
    days = (ep["start"] - latest.reindex(ep.index)).dt.days
    return ep.assign(post_sols=(days < WINDOW).fillna(False))


if __name__ == "__main__":
    main(sys.argv)
