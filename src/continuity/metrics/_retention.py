"""Portfolio retention: does the next administration keep its predecessor's relationships?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import leadership, lifetimes
from continuity._options import DEFAULTS, check_conf_level, check_days, check_literal
from continuity.errors import OptionError
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["portfolio_retention"]

#: When a relationship is active under an administration: at its end (not dormant at the
#: handover), any sign of life during it, or formally in force during it.
Basis = Literal["handover", "activity", "formal"]

RETENTION_COLUMNS = [
    "jurisdiction", "administration", "administration_start", "next_administration",
    "next_start", "next_observed_days", "next_complete", "n", "n_events", "estimate",
    "conf_low", "conf_high",
]


def portfolio_retention(
    study: Study,
    *,
    basis: str = "handover",
    include_caretakers: bool = False,
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Share of one administration's relationships still active under the next.

    Parameters
    ----------
    study : Study
    basis : {"handover", "activity", "formal"}, default "handover"
        When a relationship counts as active under an administration. ``"handover"``: active
        at its end, the handover (formally alive and not dormant: a sign of life in the
        ``dormancy`` days up to the day the administration ended, or up to ``as_of`` while
        it is in office; relationship level, as ``dormancy(level="relationship")``).
        ``"activity"``: any sign of life during it (an activity under one of its instruments,
        counted by the rule of :func:`dormancy`, or the signing of one, dated within the
        administration's time in office). ``"formal"``: one of its instruments is formally in
        force on some day of it (signed, and not yet ended or expired). See Notes for the
        default.
    include_caretakers : bool, default False
        Keep caretaker administrations in the sequence. By default they are left out, so the
        pair compares the administrations on either side of a caretaker spell, and what
        happened during the spell counts for neither. (A stand-in acting for a holder on
        leave is part of that holder's administration either way; see
        :func:`continuity.administrations`.)
    dormancy : int, default 730
        With ``basis="handover"``: days without a sign of life after which a relationship is
        dormant (the design's de facto end).
    max_gap : int, default 365
        With ``basis="handover"``: the relationship spells, as in
        :func:`continuity.split_episodes`.
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
            days the next administration was in office, up to its end or ``as_of`` (int).
        ``next_complete``
            the next administration ended on or before ``as_of`` (bool); when False, retention
            is measured over a shorter spell (with ``basis="handover"``, at ``as_of``).
        ``n``
            relationships of the jurisdiction active under ``administration`` (int).
        ``n_events``
            of them, active under ``next_administration`` too (int).
        ``estimate, conf_low, conf_high``
            the share retained ``n_events / n`` and its Wilson interval (NaN when ``n`` is 0).

    Raises
    ------
    OptionError
        Unknown ``basis``, a non-bool ``include_caretakers``, bad ``dormancy`` or ``max_gap``,
        or a ``conf_level`` outside (0, 1).

    Notes
    -----
    With :math:`A_k` the set of the jurisdiction's relationships active under its
    :math:`k`-th administration, retention is :math:`|A_k \\cap A_{k+1}| / |A_k|`, with
    Wilson's interval (:func:`continuity.rates.wilson_interval`).

    **Why "handover" is the default.** The question is what the next administration does
    with what it inherits. At the handover, :math:`A_k` is exactly the inheritance, and a
    relationship is retained when the successor hands it on alive in turn. On the
    ``"activity"`` basis a relationship with one visit early in administration :math:`k`
    that died soon after counts as active under :math:`k` and as lost by :math:`k+1`: a
    loss under the predecessor is charged to the successor, and a longer administration
    has more chances to show a sign of life. The ``"activity"`` basis needs no threshold
    and reads sparse records generously; it is offered for that.

    An administration is one holder's uninterrupted hold on the office (the rule of
    :func:`lame_duck_signings` too); it is in office on ``[administration_start,
    administration_end)``, cut at ``as_of`` (inclusive). Vacancies between administrations
    belong to neither. A relationship is every instrument sharing its ``relationship_id``; it
    belongs to the portfolio of each party to its instruments (with ``"handover"``, to those
    of its current spell). Jurisdictions without leadership terms (unknown exposure) have no
    row.

    Examples
    --------
    >>> import continuity as ct
    >>> r = ct.metrics.portfolio_retention(ct.datasets.load_solo())
    >>> solo = r[r["jurisdiction"] == "Surakarta"]
    >>> print(solo[["administration", "next_administration", "n", "n_events"]].to_string())
                         administration               next_administration  n  n_events
    0             Joko Widodo 2005-2012        FX Hadi Rudyatmo 2012-2015  1         1
    1        FX Hadi Rudyatmo 2012-2015        FX Hadi Rudyatmo 2016-2021  1         0
    2        FX Hadi Rudyatmo 2016-2021  Gibran Rakabuming Raka 2021-2024  1         0
    3  Gibran Rakabuming Raka 2021-2024           Teguh Prakosa 2024-2025  2         2
    4           Teguh Prakosa 2024-2025                Respati Ardi 2025-  2         0

    Rudyatmo's first administration ended with his term in July 2015; caretakers held the
    office until he returned, re-elected, in February 2016: two administrations of one
    holder. Gibran handed over the Xi'an and Andong relationships alive in July 2024 (Zhuhai
    had been quiet since October 2021); Teguh Prakosa handed both on alive, and under
    Respati Ardi, still in office, both have passed 730 days without a sign of life.
    """
    where = "portfolio_retention"
    _views.check_study(study, where)
    basis = check_literal(basis, Basis, "basis", where)
    if not isinstance(include_caretakers, (bool, np.bool_)):
        raise OptionError(f"{where}: include_caretakers must be True or False, not "
                          f"{include_caretakers!r}")
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    max_gap = check_days(max_gap, "max_gap", where)
    conf_level = check_conf_level(conf_level, where)
    adm = _sequence(study, include_caretakers)
    if basis == "handover":
        active = _active_at_handover(study, adm, dormancy, max_gap)
    elif basis == "activity":
        active = _active_by_activity(study, adm)
    else:
        active = _active_formally(study, adm)
    return _pairs(adm, active, study.as_of, conf_level)


def _sequence(study: Study, include_caretakers: bool) -> pd.DataFrame:
    """The administrations in sequence, numbered ``_k``, with ``_stop`` (end, cut at as_of)."""
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
    return adm.assign(_stop=stop.astype("datetime64[ns]"), _k=np.arange(len(adm)))


def _active_at_handover(study: Study, adm: pd.DataFrame, dormancy: int, max_gap: int
                        ) -> pd.DataFrame:
    """``_k, relationship_id``: relationships alive and not dormant when ``_k`` ended."""
    units, signs, parties = _views.relationship_signs(study, max_gap)
    pos = units[["relationship_id", "spell"]].assign(_i=np.arange(len(units)))
    pair = parties.merge(pos, on=["relationship_id", "spell"]).merge(
        adm[["jurisdiction", "_k", "administration_end"]].astype({"jurisdiction": str}),
        on="jurisdiction")
    end = pair["administration_end"].to_numpy(dtype="datetime64[ns]")
    at = np.where(pd.isna(end), np.datetime64(study.as_of, "ns"), end)
    ok = _views.active_on(units, signs, pair["_i"].to_numpy(), at, dormancy)
    return pair.loc[ok, ["_k", "relationship_id"]].drop_duplicates()


def _active_by_activity(study: Study, adm: pd.DataFrame) -> pd.DataFrame:
    """``_k, relationship_id``: a sign of life (activity or signing) in ``_k``'s time."""
    as_of = study.as_of
    a = _views.observed_agreements(study)
    parties = study.parties[["agreement_id", "jurisdiction"]]
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
    return ev[["_k", "relationship_id"]].drop_duplicates()


def _active_formally(study: Study, adm: pd.DataFrame) -> pd.DataFrame:
    """``_k, relationship_id``: an instrument formally in force on some day of ``_k``."""
    as_of = study.as_of
    a = _views.observed_agreements(study)
    end = lifetimes.formal_end(a, as_of)
    inst = a[["agreement_id", "relationship_id", "signed"]].assign(
        _end=end.where(end.notna(), as_of + pd.Timedelta(days=1)))
    inst = inst.merge(study.parties[["agreement_id", "jurisdiction"]], on="agreement_id")
    pair = inst.merge(adm[["jurisdiction", "administration_start", "_stop", "_k"]],
                      on="jurisdiction")
    overlap = ((pair["signed"] < pair["_stop"])
               & (pair["_end"] > pair["administration_start"]))
    return pair.loc[overlap, ["_k", "relationship_id"]].drop_duplicates()


def _pairs(adm: pd.DataFrame, active: pd.DataFrame, as_of: pd.Timestamp,
           conf_level: float) -> pd.DataFrame:
    """One row per pair of consecutive administrations of a jurisdiction: the shares."""
    same_next = np.zeros(len(adm), dtype=bool)
    if len(adm) > 1:
        j = adm["jurisdiction"].to_numpy(dtype=object)
        same_next[:-1] = j[:-1] == j[1:]
    k = np.flatnonzero(same_next)
    nxt = k + 1
    active = active.astype({"relationship_id": str})
    kept = active[active["_k"].isin(k)]
    n = kept.groupby("_k").size().reindex(k, fill_value=0).to_numpy()
    moved = kept.assign(_k=kept["_k"] + 1).merge(active, on=["_k", "relationship_id"])
    n_events = moved.groupby("_k").size().reindex(nxt, fill_value=0).to_numpy()
    days = ((adm["_stop"] - adm["administration_start"]) // pd.Timedelta(days=1))
    nend = adm["administration_end"].to_numpy(dtype="datetime64[ns]")[nxt]
    out = pd.DataFrame({
        "jurisdiction": adm["jurisdiction"].to_numpy(dtype=object)[k],
        "administration": adm["administration"].to_numpy(dtype=object)[k],
        "administration_start": adm["administration_start"].to_numpy()[k],
        "next_administration": adm["administration"].to_numpy(dtype=object)[nxt],
        "next_start": adm["administration_start"].to_numpy()[nxt],
        "next_observed_days": days.to_numpy()[nxt].astype("int64"),
        "next_complete": ~pd.isna(nend) & (nend <= np.datetime64(as_of)),
        "n": n.astype("int64"),
        "n_events": n_events.astype("int64"),
    })
    out = pd.concat([out, _summaries.wilson_table(out["n_events"], out["n"], conf_level)], axis=1)
    for col in ("administration_start", "next_start"):
        out[col] = out[col].astype("datetime64[ns]")
    return out[RETENTION_COLUMNS]
