"""Portfolio retention: does the next administration keep its predecessor's relationships?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import _options, leadership, lifetimes
from continuity.errors import OptionError
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["portfolio_retention"]

RETENTION_COLUMNS = [
    "jurisdiction", "administration", "administration_start", "next_administration",
    "next_start", "next_observed_days", "next_complete", "n", "n_events", "estimate",
    "conf_low", "conf_high",
]


def portfolio_retention(
    study: Study,
    *,
    basis: str = "activity",
    include_caretakers: bool = False,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Share of one administration's active relationships still active under the next.

    Parameters
    ----------
    study : Study
    basis : {"activity", "formal"}, default "activity"
        When a relationship is active under an administration. ``"activity"``: an activity
        under one of its instruments, or the signing of one, is dated within the
        administration's time in office (de facto); activities count by the rule of
        :func:`dormancy` (dated on or after the instrument's entry, on or before ``as_of``
        and before its formal end; statements are not signs of life). ``"formal"``: one of
        its instruments is formally in force on some day of it (signed, and not yet ended or
        expired).
    include_caretakers : bool, default False
        Keep acting and caretaker administrations in the sequence. By default they are left
        out, so the pair compares the elected (or appointed) leaders on either side of a
        caretaker spell, and what happened during the spell counts for neither. When the same
        holder is on both sides of the spell, his or her two runs are one administration
        (the same holder returning is not a leader change).
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per jurisdiction and pair of consecutive administrations that both began on or
        before ``as_of``, sorted by jurisdiction and start. Instruments signed after
        ``as_of`` are not yet observed and are not counted. Columns:

        ``jurisdiction``
            the party whose portfolio it is.
        ``administration, administration_start``
            the earlier administration (``"<holder> <first year>-<last year>"``) and its first
            day.
        ``next_administration, next_start``
            the one that followed it.
        ``next_observed_days``
            days the next administration was in office, up to its end or ``as_of`` (int;
            without the time between the runs of a merged administration).
        ``next_complete``
            the next administration ended on or before ``as_of`` (bool); when False, retention
            is measured over a shorter spell and tends to be lower.
        ``n``
            relationships of the jurisdiction active under ``administration`` (int).
        ``n_events``
            of them, active under ``next_administration`` too (int).
        ``estimate, conf_low, conf_high``
            the share retained ``n_events / n`` and its Wilson interval (NaN when ``n`` is 0).

    Raises
    ------
    ValidationError
        Unknown ``basis``, a non-bool ``include_caretakers``, or a ``conf_level`` outside (0, 1).

    Notes
    -----
    With :math:`A_k` the set of the jurisdiction's relationships active under its
    :math:`k`-th administration, retention is :math:`|A_k \\cap A_{k+1}| / |A_k|`, with
    Wilson's interval (:func:`continuity.rates.wilson_interval`). An administration is an
    unbroken run of one holder in the leadership office; it is in office on
    ``[administration_start, administration_end)``, cut at ``as_of`` (inclusive). Vacancies
    between administrations belong to neither. Consecutive runs of one holder in the
    sequence (around a left-out caretaker spell, or a vacancy) are merged into one
    administration, labelled from the first run's start to the last run's end, in office on
    the union of its runs. A relationship is every instrument sharing its
    ``relationship_id``; it belongs to the portfolio of each of its parties. Jurisdictions
    without leadership terms (unknown exposure) have no row.

    Examples
    --------
    >>> import continuity as ct
    >>> r = ct.metrics.portfolio_retention(ct.datasets.load_solo())
    >>> solo = r[r["jurisdiction"] == "Surakarta"]
    >>> print(solo[["administration", "next_administration", "n", "n_events"]].to_string())
                         administration               next_administration  n  n_events
    0             Joko Widodo 2005-2012        FX Hadi Rudyatmo 2012-2021  2         1
    1        FX Hadi Rudyatmo 2012-2021  Gibran Rakabuming Raka 2021-2024  3         3
    2  Gibran Rakabuming Raka 2021-2024           Teguh Prakosa 2024-2025  3         0
    3           Teguh Prakosa 2024-2025                Respati Ardi 2025-  0         0
    """
    where = "portfolio_retention"
    _views.check_study(study, where)
    _options.check_literal(basis, Literal["activity", "formal"], "basis", where)
    if not isinstance(include_caretakers, (bool, np.bool_)):
        raise OptionError(f"{where}: include_caretakers must be True or False, not "
                     f"{include_caretakers!r}")
    conf_level = _options.check_conf_level(conf_level, where)
    as_of = study.as_of
    last_day = as_of + pd.Timedelta(days=1)  # in office through as_of: [start, as_of + 1 day)

    adm = leadership.administrations(study)
    adm = adm[adm["administration_start"] <= as_of]
    if not include_caretakers:
        adm = adm[~adm["caretaker"].to_numpy(dtype=bool)]
    adm = adm.sort_values(["jurisdiction", "administration_start"], kind="stable")
    adm = adm.reset_index(drop=True)
    stop = adm["administration_end"].where(adm["administration_end"].notna()
                                           & (adm["administration_end"] <= last_day), last_day)
    adm["_stop"] = stop.astype("datetime64[ns]")
    # consecutive runs of one holder (around a caretaker spell left out, or a vacancy) are one
    # administration here: the same holder returning is not a leader change
    jj = adm["jurisdiction"].to_numpy(dtype=object)
    hh = adm["holder"].to_numpy(dtype=object)
    new = np.ones(len(adm), dtype=bool)
    new[1:] = (jj[1:] != jj[:-1]) | (hh[1:] != hh[:-1])
    adm["_k"] = np.cumsum(new) - 1

    a = _views.observed_agreements(study)
    parties = study.parties[["agreement_id", "jurisdiction"]]
    # (jurisdiction, relationship) pairs of every portfolio
    if basis == "activity":
        acts = _views.counted_activities(study, a)[["agreement_id", "date"]]
        sign = a[["agreement_id", "signed"]].rename(columns={"signed": "date"})
        ev = pd.concat([acts, sign], ignore_index=True)
        ev = ev.merge(a[["agreement_id", "relationship_id"]], on="agreement_id")
        first = a.groupby("relationship_id")["signed"].min()
        ev = ev[(ev["date"] <= as_of) & (ev["date"] >= ev["relationship_id"].map(first))]
        ev = ev.merge(parties, on="agreement_id")
        at = leadership.administration_at(adm.drop(columns=["_stop", "_k"]), ev["jurisdiction"],
                                 ev["date"])
        ev = ev.assign(administration_start=at["administration_start"].to_numpy())
        ev = ev[ev["administration_start"].notna()]
        ev = ev.merge(adm[["jurisdiction", "administration_start", "_k"]],
                      on=["jurisdiction", "administration_start"])
        active = ev[["_k", "relationship_id"]].drop_duplicates()
    else:
        end = lifetimes.formal_end(a, as_of)
        inst = a[["agreement_id", "relationship_id", "signed"]].assign(
            _end=end.where(end.notna(), last_day))
        inst = inst.merge(parties, on="agreement_id")
        pair = inst.merge(adm[["jurisdiction", "administration_start", "_stop", "_k"]],
                          on="jurisdiction")
        overlap = ((pair["signed"] < pair["_stop"])
                   & (pair["_end"] > pair["administration_start"]))
        active = pair.loc[overlap, ["_k", "relationship_id"]].drop_duplicates()

    grp = _merged(adm)
    same_next = np.zeros(len(grp), dtype=bool)
    if len(grp) > 1:
        j = grp["jurisdiction"].to_numpy()
        same_next[:-1] = j[:-1] == j[1:]
    k = np.flatnonzero(same_next)
    nxt = k + 1
    kept = active[active["_k"].isin(k)]
    n = kept.groupby("_k").size().reindex(k, fill_value=0).to_numpy()
    moved = kept.assign(_k=kept["_k"] + 1).merge(active, on=["_k", "relationship_id"])
    n_events = (moved.groupby("_k").size().reindex(nxt, fill_value=0).to_numpy())
    nstart = grp["administration_start"].to_numpy()[nxt]
    nend = grp["administration_end"].to_numpy()[nxt]
    out = pd.DataFrame({
        "jurisdiction": grp["jurisdiction"].to_numpy(dtype=object)[k],
        "administration": grp["administration"].to_numpy(dtype=object)[k],
        "administration_start": grp["administration_start"].to_numpy()[k],
        "next_administration": grp["administration"].to_numpy(dtype=object)[nxt],
        "next_start": nstart,
        "next_observed_days": grp["_days"].to_numpy()[nxt].astype("int64"),
        "next_complete": ~pd.isna(nend) & (nend <= np.datetime64(as_of)),
        "n": n.astype("int64"),
        "n_events": n_events.astype("int64"),
    })
    out = pd.concat([out, _summaries.wilson_table(out["n_events"], out["n"], conf_level)], axis=1)
    for col in ("administration_start", "next_start"):
        out[col] = out[col].astype("datetime64[ns]")
    return out[RETENTION_COLUMNS]


def _merged(adm: pd.DataFrame) -> pd.DataFrame:
    """One row per ``_k``: the runs of one holder merged, labelled by first start, last end.

    ``_days`` is the days in office of its runs up to ``_stop`` (time between them, such as
    a caretaker spell left out, is not counted).
    """
    days = ((adm["_stop"] - adm["administration_start"]) // pd.Timedelta(days=1))
    g = adm.assign(_d=days.astype("int64")).groupby("_k", sort=True)
    out = pd.DataFrame({
        "jurisdiction": g["jurisdiction"].first().to_numpy(dtype=object),
        "holder": g["holder"].first().to_numpy(dtype=object),
        "administration_start": g["administration_start"].first().astype("datetime64[ns]"
                                                                        ).to_numpy(),
        "_days": g["_d"].sum().to_numpy(),
    })
    # the last run decides the end: NaT (in office at as_of) when it is open
    last = adm.groupby("_k", sort=True).tail(1)
    out["administration_end"] = last["administration_end"].to_numpy(dtype="datetime64[ns]")
    start = pd.Series(out["administration_start"])
    end = pd.Series(out["administration_end"])
    end_year = np.where(end.isna().to_numpy(), "",
                        end.dt.year.fillna(0).astype("int64").astype(str).to_numpy(dtype=object))
    out["administration"] = (pd.Series(out["holder"], dtype=object).astype(str) + " "
                             + start.dt.year.astype(str) + "-"
                             + pd.Series(end_year, dtype=object)).to_numpy(dtype=object)
    return out
