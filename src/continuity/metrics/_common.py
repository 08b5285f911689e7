"""Shared pieces of the metrics: argument checks, administrations, instrument lives.

Private: the public metrics re-export what users need. Nothing here estimates anything; the
estimators live in :mod:`continuity.survival` and :mod:`continuity.rates`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity._options import check_conf_level as check_conf_level  # for the metrics
from continuity.errors import ContinuityTypeError, OptionError, ValidationError
from continuity.schema import CARETAKER_KINDS, PASSIVE_KINDS

if TYPE_CHECKING:
    from continuity.study import Study

__all__: list[str] = []

DAY = np.timedelta64(1, "D")

#: Columns that identify an administration in every output.
ADMIN_COLUMNS = ["administration", "administration_start"]

#: The four stages of a relationship, in order (the first four of ``schema.INSTRUMENTS``).
STAGES = ("loi", "mou", "agreement", "renewal")

#: Instruments that renew another (a renewal, or an extension of its validity).
RENEWAL_KINDS = ("renewal", "extension")


# --- argument checks ---------------------------------------------------------------------------
def fail(message: str) -> ValidationError:
    """A ValidationError with one message."""
    return ValidationError([message])


def check_study(study, where: str) -> None:
    from continuity.study import Study

    if not isinstance(study, Study):
        raise ContinuityTypeError(f"{where}: study must be a continuity.Study, not "
                        f"{type(study).__name__}; build one with continuity.Study(...), "
                        "continuity.read_study(...) or continuity.testing.scenario().build()")


def check_choice(value, choices: Sequence, name: str, where: str):
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        shown = ", ".join(repr(c) for c in choices)
        raise fail(f"{where}: {name} must be one of {shown}, not {value!r}")
    return value


def check_days(value, name: str, where: str, *, allow_zero: bool = True) -> int:
    """A whole number of days (an int, or a float with no fraction), non-negative."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok:
        f = float(value)
        ok = np.isfinite(f) and f == int(f) and (f > 0 or (allow_zero and f == 0))
    if not ok:
        lower = "0 or more" if allow_zero else "1 or more"
        raise fail(f"{where}: {name} must be a whole number of days, {lower}, not {value!r}")
    return int(value)


def check_thresholds(value, where: str, name: str = "thresholds") -> tuple[int, ...]:
    """One or more positive whole numbers of days, distinct, sorted."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        value = [value]
    out = tuple(check_days(v, f"each of {name}", where, allow_zero=False) for v in value)
    if not out:
        raise fail(f"{where}: {name} is empty; give one or more numbers of days, e.g. "
                   "(365, 730, 1095)")
    if len(set(out)) != len(out):
        raise fail(f"{where}: {name} repeat a value ({', '.join(map(str, out))}); give "
                   "each number of days once")
    return tuple(sorted(out))


def check_focal(study: Study, focal, where: str) -> str | None:
    if focal is None:
        return None
    known = sorted(study.parties["jurisdiction"].unique())
    if not isinstance(focal, str) or focal not in known:
        raise OptionError(f"{where}: focal {focal!r} is not a party to any instrument "
                          f"(parties: {', '.join(repr(k) for k in known)}); give one of them, "
                          "or None for every party")
    return focal


def check_seed(value, where: str):
    if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise fail(f"{where}: seed must be a non-negative int, a numpy Generator or None, "
               f"not {value!r}")


# --- tables ------------------------------------------------------------------------------------
def observed_agreements(study: Study) -> pd.DataFrame:
    """Instruments signed on or before ``as_of`` (those after it are not yet observed)."""
    a = observed_columns(study.agreements)
    a = a[a["signed"] <= study.as_of]
    return a.reset_index(drop=True)


def observed_columns(a: pd.DataFrame) -> pd.DataFrame:
    """The agreements with the optional columns the metrics read (NA/NaT when absent)."""
    a = a.copy()
    for col in ("instrument", "end_reason"):
        if col not in a.columns:
            a[col] = pd.Series(None, index=a.index, dtype=object)
    for col in ("effective", "expires", "ended"):
        if col not in a.columns:
            a[col] = pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
    return a


def activities(study: Study) -> pd.DataFrame:
    """The study's activities that are signs of life, or an empty table with the two columns.

    Activities of a kind in :data:`continuity.schema.PASSIVE_KINDS` (statements about the
    relationship) are left out: they report on it rather than carry it out.
    """
    acts = study.activities
    if acts is None:
        return pd.DataFrame({"agreement_id": pd.Series([], dtype=object),
                             "date": pd.Series([], dtype="datetime64[ns]")})
    if "kind" in acts.columns:
        acts = acts[~acts["kind"].isin(PASSIVE_KINDS).to_numpy()]
    return acts


def counted_activities(study: Study, a: pd.DataFrame) -> pd.DataFrame:
    """The activities that count as signs of life of the instruments ``a``: one rule for all.

    An activity counts when it is a sign of life (:func:`activities`: not a passive kind),
    its instrument is in ``a`` (from :func:`observed_agreements`), and it is dated on or after
    the instrument's :func:`entry`, on or before ``as_of``, and before its :func:`formal_end`.

    Returns
    -------
    pandas.DataFrame
        ``i`` (position of the instrument in ``a``, int64), ``agreement_id``, ``date``,
        ``kind`` (None when the table has no kinds); in the order of the activities table.
    """
    acts = activities(study)
    as_of = study.as_of
    pos = pd.Series(np.arange(len(a)), index=a["agreement_id"].to_numpy())
    i = acts["agreement_id"].map(pos)
    known = i.notna().to_numpy()
    idx = i[known].to_numpy(dtype=np.int64)
    date = acts["date"].to_numpy(dtype="datetime64[ns]")[known]
    end = formal_end(a, as_of).to_numpy(dtype="datetime64[ns]")[idx]
    begin = entry(a).to_numpy(dtype="datetime64[ns]")[idx]
    ok = (date >= begin) & (date <= np.datetime64(as_of)) & ~(date >= end)
    kind = acts["kind"].to_numpy(dtype=object) if "kind" in acts.columns else np.full(
        len(acts), None, dtype=object)
    return pd.DataFrame({"i": idx[ok],
                         "agreement_id": acts["agreement_id"].to_numpy(dtype=object)[known][ok],
                         "date": pd.Series(date[ok], dtype="datetime64[ns]"),
                         "kind": kind[known][ok]})


def entry(a: pd.DataFrame) -> pd.Series:
    """Each instrument's entry into force: ``effective`` when given, else ``signed``.

    The same rule as :func:`continuity.timeline.split_episodes`.
    """
    return a["effective"].where(a["effective"].notna(), a["signed"])


def formal_end(a: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each instrument's formal end on or before ``as_of``: ``ended``, else ``expires``.

    NaT where the instrument is formally alive at ``as_of`` (no end, or an end after it).
    """
    end = a["ended"].where(a["ended"].notna(), a["expires"])
    return end.where(end <= as_of)


#: Term kinds of a stand-in: an official acting for a holder who keeps the office (in
#: Indonesia a Plt or Plh, e.g. during the incumbent's campaign leave). A caretaker appointed to
#: a vacant office (a Pj after the end of a term) is not a stand-in.
STAND_IN_KINDS = ("acting",)


def administrations(study: Study) -> pd.DataFrame:
    """One holder's uninterrupted hold on each jurisdiction's leadership office, as known at as_of.

    The one rule of what an administration is, for every metric. A holder starting a new
    term the day his or her previous one ends (re-election, an acting term turned elected)
    continues the same administration. So does a holder who steps aside for a stand-in and
    returns: when the terms between two runs of the same holder are all of a kind in
    :data:`STAND_IN_KINDS` (``"acting"``: a Plt standing in during campaign leave) and touch
    both runs and each other, the stand-in spells belong to the holder's administration,
    which runs from the first run's start to the last run's end. A caretaker appointed to a
    vacant office (kind ``"caretaker"``: a Pj after the end of a term), a gap between terms
    or a term of kind ``"vacancy"`` interrupts the hold: the holder's return starts a new
    administration. Only what is known at ``as_of`` is used: terms starting after it are
    left out, and an end recorded after it is unknown at ``as_of`` (the holder is still in
    office, end NaT).

    Returns
    -------
    pandas.DataFrame
        ``jurisdiction, administration, administration_start, administration_end, holder,
        caretaker``; ``administration`` is ``"<holder> <start year>-<end year>"`` (no end year
        while in office at ``as_of``), ``administration_end`` is NaT while in office, and
        ``caretaker`` says every term of it is an acting or caretaker spell (an acting
        official standing in between two different holders is an administration of its
        own, a caretaker one). Sorted by jurisdiction and start.
    """
    lead = study.leadership_terms()
    as_of = study.as_of
    cols = ["jurisdiction", "administration", "administration_start", "administration_end",
            "holder", "caretaker"]
    kind = lead["kind"] if "kind" in lead.columns else pd.Series(None, index=lead.index,
                                                                   dtype=object)
    keep = (kind != "vacancy").to_numpy(dtype=bool) & (lead["start"] <= as_of).to_numpy()
    lead = lead[keep].reset_index(drop=True)
    kind = kind[keep].reset_index(drop=True)
    if lead.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    end = lead["end"].where(lead["end"] <= as_of).astype("datetime64[ns]")  # NaT: unknown
    j = lead["jurisdiction"].to_numpy(dtype=object)
    h = lead["holder"].to_numpy(dtype=object)
    start_v = lead["start"].to_numpy(dtype="datetime64[ns]")
    end_v = end.to_numpy()
    new = np.ones(len(lead), dtype=bool)
    # NaT never equals a start: a term after an open one starts a new run
    new[1:] = (j[1:] != j[:-1]) | (h[1:] != h[:-1]) | (start_v[1:] != end_v[:-1])
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(lead) - 1]
    run = np.cumsum(new) - 1
    care = pd.Series(kind.isin(CARETAKER_KINDS).to_numpy()).groupby(run).all().to_numpy()
    stand_in = pd.Series(kind.isin(STAND_IN_KINDS).to_numpy()).groupby(run).all().to_numpy()
    adm = np.cumsum(~_returns_after_stand_in(j[first], h[first], start_v[first],
                                             end_v[last], stand_in)) - 1
    a_first = first[np.r_[0, np.flatnonzero(np.diff(adm)) + 1]]
    a_last = last[np.r_[np.flatnonzero(np.diff(adm)), len(adm) - 1]]
    stop = pd.Series(end_v[a_last], dtype="datetime64[ns]")
    start_s = pd.Series(start_v[a_first], dtype="datetime64[ns]")
    return pd.DataFrame({
        "jurisdiction": j[a_first],
        "administration": administration_label(h[a_first], start_s, stop),
        "administration_start": start_s,
        "administration_end": stop,
        "holder": h[a_first],
        "caretaker": pd.Series(care).groupby(adm).all().to_numpy(),
    }, columns=cols)


def _returns_after_stand_in(j: np.ndarray, holder: np.ndarray, start: np.ndarray,
                            end: np.ndarray, stand_in: np.ndarray) -> np.ndarray:
    """Per run (sorted by jurisdiction and start): True when it continues the run before it.

    A block of touching stand-in runs continues the run before it, and the run after it
    continues too, when that run returns the same holder and touches the block. A stand-in
    run is never the anchor of such a block.
    """
    n = len(j)
    joins = np.zeros(n, dtype=bool)
    touch = np.zeros(n, dtype=bool)  # run k starts the day run k - 1 ends, same jurisdiction
    touch[1:] = (j[1:] == j[:-1]) & (start[1:] == end[:-1])
    k = 1
    while k < n - 1:
        if not (stand_in[k] and touch[k] and not stand_in[k - 1]):
            k += 1
            continue
        m = k
        while m + 1 < n and stand_in[m + 1] and touch[m + 1]:
            m += 1
        back = m + 1
        if back < n and touch[back] and holder[back] == holder[k - 1] and not stand_in[back]:
            joins[k:back + 1] = True
        k = back
    return joins


def administration_label(holder, start: pd.Series, end: pd.Series) -> np.ndarray:
    """``"<holder> <start year>-<end year>"``, no end year where ``end`` is NaT."""
    start = pd.Series(np.asarray(start, dtype="datetime64[ns]"))
    end = pd.Series(np.asarray(end, dtype="datetime64[ns]"))
    end_year = np.where(end.isna().to_numpy(), "",
                        end.dt.year.fillna(0).astype("int64").astype(str).to_numpy(dtype=object))
    label = (pd.Series(np.asarray(holder, dtype=object), dtype=object).astype(str) + " "
             + start.dt.year.astype(str) + "-" + pd.Series(end_year, dtype=object))
    return label.to_numpy(dtype=object)


def administration_at(admins: pd.DataFrame, jurisdiction: pd.Series,
                      dates: pd.Series) -> pd.DataFrame:
    """The administration of ``jurisdiction`` in office on each date (NA when none).

    Returns a frame aligned with the inputs (same length, positional), with the columns of
    :func:`administrations` except ``jurisdiction``.
    """
    cols = ["administration", "administration_start", "administration_end", "holder",
            "caretaker"]
    left = pd.DataFrame({"_pos": np.arange(len(dates)),
                         "jurisdiction": np.asarray(jurisdiction, dtype=object),
                         "_date": pd.Series(np.asarray(dates, dtype="datetime64[ns]"))})
    left["jurisdiction"] = left["jurisdiction"].astype(object)
    known = left["_date"].notna()
    right = admins.rename(columns={"administration_start": "_astart"}).copy()
    right["administration_start"] = right["_astart"]
    right["jurisdiction"] = right["jurisdiction"].astype(object)
    lk = left[known].sort_values("_date", kind="stable")
    merged = pd.merge_asof(lk, right.sort_values("_astart", kind="stable"),
                           left_on="_date", right_on="_astart", by="jurisdiction",
                           direction="backward")
    inside = merged["administration_end"].isna() | (merged["_date"]
                                                     < merged["administration_end"])
    inside &= merged["_astart"].notna()
    merged = merged.set_index("_pos")
    out = pd.DataFrame(index=np.arange(len(dates)))
    for c in cols:
        out[c] = merged[c].where(inside.to_numpy()).reindex(out.index)
    out["administration_start"] = out["administration_start"].astype("datetime64[ns]")
    out["administration_end"] = out["administration_end"].astype("datetime64[ns]")
    out["caretaker"] = out["caretaker"].astype("boolean")
    out["administration"] = out["administration"].astype(object)
    out["holder"] = out["holder"].astype(object)
    return out.reset_index(drop=True)


def by_party(study: Study, df: pd.DataFrame, *, date: str | None = None,
             focal: str | None = None, parties: pd.DataFrame | None = None,
             on: Sequence[str] = ("agreement_id",)) -> pd.DataFrame:
    """``df`` (one row per unit) with one row per party, and that party's administration.

    Merges the parties (``study.parties``, or ``parties`` keyed by the columns ``on``, e.g.
    the parties of relationship spells) on ``on`` (rows keep the order of ``df``; only the
    ``focal`` party's rows when given), adding ``jurisdiction``; with ``date`` (a column of
    ``df``), also ``administration, administration_start``: the party's administration in
    office on that date (:func:`administration_at`; NA when vacant or unknown). The one place
    the metrics group by party and administration.
    """
    on = list(on)
    if parties is None:
        parties = study.parties
    parties = parties[[*on, "jurisdiction"]]
    if focal is not None:
        parties = parties[parties["jurisdiction"] == focal]
    out = df.merge(parties, on=on, how="left" if focal is None else "inner", sort=False)
    if date is not None:
        adm = administration_at(administrations(study), out["jurisdiction"], out[date])
        out["administration"] = adm["administration"].to_numpy(dtype=object)
        out["administration_start"] = pd.Series(
            adm["administration_start"].to_numpy(), index=out.index).astype("datetime64[ns]")
    return out


def relationship_spells(study: Study, max_gap: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The relationship spells of the episode split, and the instruments of each.

    The spells are the units of ``audit_episodes(level="relationship", event="formal",
    max_gap=max_gap)``: the one rule of what a relationship spell is, when it enters and how
    it ends formally. Each instrument belongs to the spell of its relationship that entered
    last on or before its own entry (the split chains instruments in order of entry, so the
    spells of one relationship partition its instruments in that order).

    Returns
    -------
    spells : pandas.DataFrame
        The audit rows with ``status == "included"``: ``relationship_id`` (object),
        ``spell, entry, stop, event, end_type, n_instruments``.
    members : pandas.DataFrame
        ``agreement_id, relationship_id, spell`` for every instrument of an included spell.
    """
    from continuity.timeline import audit_episodes

    units = audit_episodes(study, level="relationship", event="formal", max_gap=max_gap,
                           leaders="none")
    units = units.assign(relationship_id=units["relationship_id"].astype(str).astype(object))
    a = study.agreements
    inst = pd.DataFrame({"agreement_id": a["agreement_id"].astype(str).to_numpy(),
                         "relationship_id": a["relationship_id"].astype(str).to_numpy(),
                         "_entry": entry(observed_columns(a)).to_numpy(dtype="datetime64[ns]")})
    right = units[["relationship_id", "spell", "entry", "status"]].rename(
        columns={"entry": "_entry"}).sort_values("_entry", kind="stable")
    # one key dtype on both sides, whatever pandas inferred (an empty column stays object)
    inst["relationship_id"] = inst["relationship_id"].astype(object)
    right["relationship_id"] = right["relationship_id"].astype(object)
    members = pd.merge_asof(inst.sort_values("_entry", kind="stable"), right, on="_entry",
                            by="relationship_id", direction="backward")
    members = members[members["status"] == "included"]
    members = members[["agreement_id", "relationship_id", "spell"]].reset_index(drop=True)
    spells = units[units["status"] == "included"].reset_index(drop=True)
    spells = spells[["relationship_id", "spell", "entry", "stop", "event", "end_type",
                     "n_instruments"]]
    return spells, members


def relationship_signs(study: Study, max_gap: int
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Relationship spells in force by as_of, their signs of life, and their parties.

    The one reading of a relationship's life for the metrics: its spells
    (:func:`relationship_spells`: ``relationship_id, spell, n_instruments, signed`` (first
    signing), ``entry``, ``formal_end`` (NaT when formally alive at ``as_of``)).

    Signs of life: activities of the spell's instruments dated in ``[entry, as_of]`` and
    before the spell's formal end (``activity`` True), and the entry into force of each of
    its instruments (``activity`` False); ``i`` is the row of the spell. The parties of a
    spell are those of its own instruments (``relationship_id, spell, jurisdiction``).
    """
    as_of = study.as_of
    spells, members = relationship_spells(study, max_gap)
    key = ["relationship_id", "spell"]
    a = observed_columns(study.agreements)
    inst = members.merge(pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy(dtype=object),
        "signed": a["signed"].to_numpy(dtype="datetime64[ns]"),
        "_entry": entry(a).to_numpy(dtype="datetime64[ns]")}), on="agreement_id")
    first = inst.groupby(key, sort=False)["signed"].min()
    formal_end = spells["stop"].where(spells["event"].to_numpy() == 1)
    units = pd.DataFrame({
        "relationship_id": spells["relationship_id"].to_numpy(dtype=object),
        "spell": spells["spell"].to_numpy(dtype=np.int64),
        "n_instruments": spells["n_instruments"].to_numpy(dtype=np.int64),
        "signed": spells[key].merge(first.rename("signed").reset_index(), on=key,
                                    how="left")["signed"].to_numpy(dtype="datetime64[ns]"),
        "entry": spells["entry"].to_numpy(dtype="datetime64[ns]"),
        "formal_end": formal_end.to_numpy(dtype="datetime64[ns]"),
    })
    pos = pd.Series(np.arange(len(units)), index=pd.MultiIndex.from_frame(units[key]))
    inst["i"] = pd.MultiIndex.from_frame(inst[key]).map(pos).to_numpy(dtype=np.int64)
    acts = activities(study)
    acts = pd.DataFrame({"agreement_id": acts["agreement_id"].to_numpy(dtype=object),
                         "date": acts["date"].to_numpy(dtype="datetime64[ns]")})
    acts = acts.merge(inst[["agreement_id", "i"]], on="agreement_id")
    i = acts["i"].to_numpy(dtype=np.int64)
    date = acts["date"].to_numpy(dtype="datetime64[ns]")
    end = units["formal_end"].to_numpy(dtype="datetime64[ns]")[i]
    ok = ((date >= units["entry"].to_numpy(dtype="datetime64[ns]")[i])
          & (date <= np.datetime64(as_of)) & ~(date >= end))
    signs = pd.concat([
        pd.DataFrame({"i": i[ok], "date": date[ok], "activity": True}),
        pd.DataFrame({"i": inst["i"].to_numpy(dtype=np.int64),
                      "date": inst["_entry"].to_numpy(dtype="datetime64[ns]"),
                      "activity": False}),
    ], ignore_index=True)
    parties = inst[[*key, "agreement_id"]].merge(
        study.parties[["agreement_id", "jurisdiction"]], on="agreement_id")
    parties = parties[[*key, "jurisdiction"]].drop_duplicates().reset_index(drop=True)
    return units, signs, parties


def active_on(units: pd.DataFrame, signs: pd.DataFrame, i: np.ndarray, dates: np.ndarray,
              threshold: int) -> np.ndarray:
    """Whether unit ``i`` was formally alive and not dormant on each date (the handover).

    ``units`` and ``signs`` as from :func:`relationship_signs`. Alive: entered on or before
    the date and no formal end on or before it. Not dormant: a sign of life on or before the
    date, fewer than ``threshold`` days before it (entry is a sign of life), as
    :func:`continuity.metrics.dormancy` judges dormancy at ``as_of``.
    """
    i = np.asarray(i, dtype=np.int64)
    dates = np.asarray(dates, dtype="datetime64[ns]")
    entry_ = units["entry"].to_numpy(dtype="datetime64[ns]")[i]
    end = units["formal_end"].to_numpy(dtype="datetime64[ns]")[i]
    alive = (entry_ <= dates) & ~(end <= dates)
    si = signs["i"].to_numpy(dtype=np.int64)
    sd = signs["date"].to_numpy(dtype="datetime64[ns]")
    o = np.lexsort((sd, si))
    span = np.int64(1) << np.int64(40)  # days: far beyond any date difference
    key = si[o] * span + sd[o].astype("datetime64[D]").astype(np.int64)
    q = i * span + dates.astype("datetime64[D]").astype(np.int64)
    pos = np.searchsorted(key, q, side="right") - 1
    found = (pos >= 0) & (si[o][np.maximum(pos, 0)] == i) if len(key) else np.zeros(len(i),
                                                                                   dtype=bool)
    last = np.where(found, sd[o][np.maximum(pos, 0)] if len(key) else entry_, entry_)
    last = np.maximum(last, entry_)
    quiet = (dates - last) // np.timedelta64(1, "D")
    return alive & (quiet < threshold)


def wilson_table(n_events, n, conf_level: float) -> pd.DataFrame:
    """``estimate, conf_low, conf_high`` of shares ``n_events / n`` by Wilson's interval.

    A thin adapter over :func:`continuity.rates.wilson_interval`; NaN where ``n`` is 0.
    """
    from continuity.rates import wilson_interval

    k = np.asarray(n_events, dtype=np.int64)
    m = np.asarray(n, dtype=np.int64)
    est = np.full(len(k), np.nan)
    lo = np.full(len(k), np.nan)
    hi = np.full(len(k), np.nan)
    ok = m > 0
    if ok.any():
        res = wilson_interval(k[ok], m[ok], conf_level=conf_level)
        est[ok] = np.asarray(res["estimate"], dtype=float)
        lo[ok] = np.asarray(res["conf_low"], dtype=float)
        hi[ok] = np.asarray(res["conf_high"], dtype=float)
    return pd.DataFrame({"estimate": est, "conf_low": lo, "conf_high": hi})


def km_at(df: pd.DataFrame, horizons: Sequence[int], by: str | None,
          conf_level: float, cluster: str | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival at each horizon, per group, from right-censored rows.

    With ``cluster`` (a column of ``df``), the intervals use the cluster-robust
    (infinitesimal jackknife) standard error of :func:`km_robust_se` instead of Greenwood's,
    on the same log-log scale, as R's ``survfit(..., cluster =, conf.type = "log-log")``.

    ``df`` holds ``t_stop`` (days from the origin, > 0) and ``event``, and ``by`` when given.
    Returns the ``by`` column, then ``horizon, estimate, conf_low, conf_high, n, n_at_risk,
    n_events`` (rows; rows still at risk just after the horizon, ``t_stop > horizon``; events
    at or before the horizon). The curve is read as a step function (its value at the last
    exit time on or before the horizon; 1 before the first, with no interval). Past a group's
    last follow-up time the curve is not extended: when the horizon is after it and the
    estimate there is above 0 (the last rows were censored), ``estimate, conf_low,
    conf_high`` are NaN (``n_at_risk`` is 0), as R's ``summary(survfit, times =)`` leaves such
    times out by default; when every row ended (estimate 0) the 0 is kept, being known.
    """
    from continuity.survival import kaplan_meier

    keys = [by] if by is not None else []
    h = np.asarray(horizons, dtype=float)
    if df.empty:
        return pd.DataFrame(columns=[*keys, "horizon", "estimate", "conf_low", "conf_high", "n",
                                     "n_at_risk", "n_events"])
    curve = kaplan_meier(df, by=by, conf_level=conf_level, start=None)
    # every (group, horizon) at once: order rows by a combined key code * span + time
    if by is None:
        levels = pd.Index([None], dtype=object)
        dcode = np.zeros(len(df), dtype=np.int64)
        ccode = np.zeros(len(curve), dtype=np.int64)
    else:
        levels = pd.Index(pd.unique(df[by])).sort_values()
        dcode = levels.get_indexer(df[by])
        ccode = levels.get_indexer(curve[by])
    t_stop = df["t_stop"].to_numpy(dtype=float)
    span = float(max(t_stop.max(initial=0.0), h.max(initial=0.0))) + 1.0
    ctime = curve["time"].to_numpy(dtype=float)
    ckey = ccode * span + ctime  # curve rows are sorted by group, then time
    g = np.repeat(np.arange(len(levels)), len(h))
    hk = g * span + np.tile(h, len(levels))
    i = np.searchsorted(ckey, hk, side="right") - 1
    found = (i >= 0) & (ccode[np.maximum(i, 0)] == g)
    pick = np.maximum(i, 0)
    est = np.where(found, curve["estimate"].to_numpy(dtype=float)[pick], 1.0)
    lo = np.where(found, curve["conf_low"].to_numpy(dtype=float)[pick], np.nan)
    hi = np.where(found, curve["conf_high"].to_numpy(dtype=float)[pick], np.nan)
    last_t = pd.Series(t_stop).groupby(dcode).max().reindex(
        np.arange(len(levels))).to_numpy(dtype=float)
    beyond = (np.tile(h, len(levels)) > last_t[g]) & (est > 0)
    est = np.where(beyond, np.nan, est)
    lo = np.where(beyond, np.nan, lo)
    hi = np.where(beyond, np.nan, hi)
    dkey = np.sort(dcode * span + t_stop)
    ev = df["event"].to_numpy().astype(bool)
    ekey = np.sort(dcode[ev] * span + t_stop[ev])
    size = np.bincount(dcode, minlength=len(levels))
    group_end = np.cumsum(size)[g]
    at_risk = group_end - np.searchsorted(dkey, hk, side="right")
    n_ev = np.searchsorted(ekey, hk, side="right") - np.searchsorted(ekey, g * span, side="left")
    if cluster is not None:
        from continuity.survival import _confint

        se = km_robust_se(df, h, dcode, len(levels), df[cluster].to_numpy())
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = _confint(est, se / est, conf_level, "log-log")
    out = pd.DataFrame({"horizon": np.tile(np.asarray(horizons, dtype=np.int64), len(levels)),
                        "estimate": est, "conf_low": lo, "conf_high": hi,
                        "n": size[g].astype(np.int64), "n_at_risk": at_risk.astype(np.int64),
                        "n_events": n_ev.astype(np.int64)})
    if by is not None:
        out.insert(0, by, levels.to_numpy()[g])
    return out


def km_robust_se(df: pd.DataFrame, horizons: np.ndarray, code: np.ndarray, n_groups: int,
                 cluster: np.ndarray) -> np.ndarray:
    """Cluster-robust standard error of the Kaplan-Meier estimate at each group and horizon.

    The infinitesimal jackknife: with :math:`n_j, d_j` the number at risk and of events at
    event time :math:`t_j`, row :math:`i`'s influence on :math:`\\hat S(h)` is

    .. math::

        U_i(h) = -\\hat S(h) \\Big( \\frac{\\delta_i [t_i \\le h]}{n(t_i) - d(t_i)}
                 - \\sum_{t_j \\le \\min(t_i, h)} \\frac{d_j}{n_j (n_j - d_j)} \\Big),

    and the variance is :math:`\\sum_c (\\sum_{i \\in c} U_i(h))^2` over clusters
    :math:`c`: R's ``survfit(Surv(t, e) ~ 1, cluster = c)`` (Therneau, survival package,
    ``survfit`` robust variance). Rows of ``df`` hold ``t_stop`` (right-censored times from
    0) and ``event``; ``code`` numbers their groups ``0 .. n_groups - 1``. Returns one value
    per group and horizon, groups outer (as :func:`km_at`); NaN where the estimate is 0.
    """
    t = df["t_stop"].to_numpy(dtype=float)
    e = df["event"].to_numpy().astype(bool)
    out = np.full(n_groups * len(horizons), np.nan)
    _, cl = np.unique(np.asarray(cluster, dtype=object).astype(str), return_inverse=True)
    for g in range(n_groups):
        rows = np.flatnonzero(code == g)
        tg, eg, cg = t[rows], e[rows], cl[rows]
        times = np.unique(tg[eg])
        n_j = len(tg) - np.searchsorted(np.sort(tg), times, side="left")
        d_j = np.bincount(np.searchsorted(times, tg[eg]), minlength=len(times))
        live = n_j > d_j
        with np.errstate(divide="ignore", invalid="ignore"):
            surv = np.cumprod(1.0 - d_j / n_j)
            step = np.where(live, d_j / (n_j * (n_j - d_j)), 0.0)
            jump = np.where(live, 1.0 / (n_j - d_j), 0.0)
        h2 = np.cumsum(step)
        k_i = np.searchsorted(times, tg, side="right") - 1  # last event time <= t_i
        for m, hor in enumerate(horizons):
            k_h = np.searchsorted(times, hor, side="right") - 1
            if k_h < 0:
                out[g * len(horizons) + m] = 0.0
                continue
            s_h = surv[k_h]
            k = np.minimum(k_i, k_h)
            own = np.where(eg & (tg <= hor), jump[np.maximum(k_i, 0)], 0.0)
            u = -s_h * (own - np.where(k >= 0, h2[np.maximum(k, 0)], 0.0))
            per_cluster = np.bincount(cg, weights=u)
            out[g * len(horizons) + m] = np.sqrt(np.sum(per_cluster ** 2)) if s_h > 0 \
                else np.nan
    return out
