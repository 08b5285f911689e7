"""Renewal at expiry: is an expiring instrument followed by a successor in time?

Under PP 28/2018 a renewal is a new document: continuity across an expiry is visible only as a
successor instrument of the same relationship.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import _options
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["renewal", "renewal_shares"]

RENEWAL_COLUMNS = [
    "agreement_id", "relationship_id", "instrument", "signed", "expires", "ended",
    "successor_id", "successor_signed", "days_after_expiry", "status", "renewed",
]

#: Outcomes of an expiry, in the order they are decided.
STATUSES = ("renewed", "lapsed", "ended_early", "pending")


def renewal(study: Study, *, grace: int = 180) -> pd.DataFrame:
    """Whether each instrument that expired by ``as_of`` was renewed within a grace period.

    Parameters
    ----------
    study : Study
    grace : int, default 180
        Days after expiry within which a successor still counts as a renewal (six months; a
        successor signed before the expiry always counts).

    Returns
    -------
    pandas.DataFrame
        One row per instrument signed on or before ``as_of`` whose ``expires`` is on or before
        ``as_of``, in the order of ``study.agreements``. Instruments signed after ``as_of`` are
        not yet observed and have no row. Columns:

        ``agreement_id, relationship_id, instrument, signed, expires, ended``
            the instrument (``ended`` NaT when not recorded).
        ``successor_id, successor_signed``
            the first instrument of the same relationship signed after this one (NA, NaT when
            none by ``as_of``).
        ``days_after_expiry``
            ``successor_signed - expires`` in days, negative when the successor came first
            (nullable int).
        ``status``
            ``"renewed"``: a successor was signed after this instrument and no later than
            ``expires + grace``; ``"lapsed"``: none by then, and ``expires + grace`` is on or
            before ``as_of``; ``"ended_early"``: not renewed and ``ended`` before ``expires``
            (terminated, withdrawn); ``"pending"``: no successor yet, the grace period runs
            past ``as_of``.
        ``renewed``
            True for renewed, False for lapsed, NA otherwise (nullable bool).

    Raises
    ------
    ValidationError
        ``grace`` is not a whole number of days, 0 or more.

    Notes
    -----
    With :math:`s_i` the signing and :math:`x_i` the expiry of instrument :math:`i`, and
    :math:`s_{\\text{next}}` the first signing of its relationship after :math:`s_i`,
    instrument :math:`i` is renewed when :math:`s_{\\text{next}} \\le x_i + \\text{grace}`.
    The share renewed (:func:`renewal_shares`) is taken over the decided instruments, renewed
    or lapsed.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import renewal
    >>> study = (scenario(as_of="2024-12-31")
    ...          .terms("Solo", "mayor", [("A", "2010-07-28"), ("C", "2021-02-26")])
    ...          .terms("Zhuhai", "party_secretary", [("P", "2012-02-15")])
    ...          .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15",
    ...                     expires="2020-09-15", relationship_id="R", instrument="loi")
    ...          .agreement("MOU", ["Solo", "Zhuhai"], signed="2020-12-01",
    ...                     relationship_id="R", instrument="mou")
    ...          .build())
    >>> renewal(study, grace=90)[["agreement_id", "successor_id", "days_after_expiry", "status"]]
      agreement_id successor_id  days_after_expiry   status
    0          LOI          MOU                 77  renewed
    """
    where = "renewal"
    _views.check_study(study, where)
    grace = _options.check_days(grace, "grace", where)
    a = _views.observed_agreements(study)
    as_of = study.as_of
    # the next signing of the same relationship: sort by relationship and signing, shift
    order = a.sort_values(["relationship_id", "signed", "agreement_id"], kind="stable")
    rel = order["relationship_id"].to_numpy()
    signed = order["signed"].to_numpy()
    # for ties on the signing day, the successor is the next instrument signed strictly later
    nxt = _next_strictly_later(rel, signed)
    has = nxt >= 0
    succ_id = np.where(has, order["agreement_id"].to_numpy(dtype=object)[np.maximum(nxt, 0)],
                       None)
    succ_signed = np.where(has, signed[np.maximum(nxt, 0)], np.datetime64("NaT"))
    order = order.assign(successor_id=succ_id,
                         successor_signed=pd.Series(succ_signed, index=order.index,
                                                    dtype="datetime64[ns]"))
    a = order.sort_index()
    a = a[a["expires"].notna() & (a["expires"] <= as_of)]
    deadline = a["expires"] + pd.Timedelta(days=grace)
    renewed = a["successor_signed"].notna() & (a["successor_signed"] <= deadline)
    early = ~renewed & a["ended"].notna() & (a["ended"] < a["expires"])
    lapsed = ~renewed & ~early & (deadline <= as_of)
    status = np.select([renewed, lapsed, early], ["renewed", "lapsed", "ended_early"],
                       "pending")
    flag = pd.array(renewed.to_numpy(), dtype="boolean")
    flag[~(renewed | lapsed).to_numpy()] = pd.NA
    days = ((a["successor_signed"] - a["expires"]) // pd.Timedelta(days=1)).astype("Int64")
    out = pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy(),
        "relationship_id": a["relationship_id"].to_numpy(),
        "instrument": a["instrument"].to_numpy(dtype=object),
        "signed": a["signed"].to_numpy(),
        "expires": a["expires"].to_numpy(),
        "ended": a["ended"].to_numpy(),
        "successor_id": a["successor_id"].to_numpy(dtype=object),
        "successor_signed": a["successor_signed"].to_numpy(),
        "days_after_expiry": days.to_numpy(),
        "status": status.astype(object),
        "renewed": flag,
    }, columns=RENEWAL_COLUMNS)
    for col in ("signed", "expires", "ended", "successor_signed"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def _next_strictly_later(group: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Position of the first later row of the same group with a strictly later time, or -1.

    Rows must be sorted by group then time.
    """
    n = len(times)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # the first row of each run of equal (group, time); a row's successor is the first row of
    # the next run when that run is in the same group
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (group[1:] != group[:-1]) | (times[1:] != times[:-1])
    run = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    next_start = np.r_[starts[1:], -1]
    cand = next_start[run]
    ok = cand >= 0
    same_group = np.zeros(n, dtype=bool)
    same_group[ok] = group[cand[ok]] == group[ok]
    return np.where(ok & same_group, cand, -1)


def renewal_shares(
    study: Study,
    *,
    grace: int = 180,
    by: str | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Share of expired instruments renewed within the grace period, with Wilson intervals.

    Parameters
    ----------
    study : Study
    grace : int, default 180
        As for :func:`renewal`.
    by : {None, "instrument", "jurisdiction", "administration"}, default None
        Group by kind of instrument, by party jurisdiction (an instrument counts once for each
        party), or by the administration of each party in office on the day the instrument
        expired: the one that had to renew it.
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group (one row without ``by``). Instruments signed after ``as_of`` are not
        yet observed and are not counted (they have no row in :func:`renewal`). With the
        grouping columns (``instrument``; ``jurisdiction``; ``jurisdiction, administration,
        administration_start``), then:

        ``n``
            decided expiries, renewed or lapsed (int).
        ``n_events``
            renewed (int).
        ``estimate, conf_low, conf_high``
            the share renewed and its Wilson interval (NaN when ``n`` is 0).
        ``n_pending, n_ended_early``
            expiries left out of the share: grace period still running at ``as_of``, or the
            instrument ended before it expired without a successor (int).

    Raises
    ------
    ValidationError
        Bad ``grace``, ``by`` or ``conf_level``.

    Notes
    -----
    :math:`\\hat p = \\text{renewed} / (\\text{renewed} + \\text{lapsed})`, with Wilson's
    interval from :func:`continuity.rates.wilson_interval`. Expiries of one relationship are
    not independent; the interval assumes they are.

    Examples
    --------
    >>> import continuity as ct
    >>> ct.metrics.renewal_shares(ct.datasets.load_solo())  # no instrument records an expiry
       n  n_events  estimate  conf_low  conf_high  n_pending  n_ended_early
    0  0         0       NaN       NaN        NaN          0              0
    """
    where = "renewal_shares"
    _views.check_study(study, where)
    grace = _options.check_days(grace, "grace", where)
    _options.check_literal(by, Literal[None, "instrument", "jurisdiction", "administration"],
                           "by", where)
    conf_level = _options.check_conf_level(conf_level, where)
    r = renewal(study, grace=grace)
    keys: list[str] = []
    if by == "instrument":
        keys = ["instrument"]
    elif by in ("jurisdiction", "administration"):
        r = _views.by_party(study, r, date="expires" if by == "administration" else None)
        keys = ["jurisdiction"] + (_views.ADMIN_COLUMNS if by == "administration" else [])
    r = r.assign(_n=r["status"].isin(["renewed", "lapsed"]),
                 _k=r["status"] == "renewed",
                 _p=r["status"] == "pending",
                 _e=r["status"] == "ended_early")
    if keys:
        out = r.groupby(keys, dropna=False, sort=True).agg(
            n=("_n", "sum"), n_events=("_k", "sum"), n_pending=("_p", "sum"),
            n_ended_early=("_e", "sum")).reset_index()
    else:
        out = pd.DataFrame({"n": [r["_n"].sum()], "n_events": [r["_k"].sum()],
                            "n_pending": [r["_p"].sum()], "n_ended_early": [r["_e"].sum()]})
    for col in ("n", "n_events", "n_pending", "n_ended_early"):
        out[col] = out[col].astype("int64")
    ci = _summaries.wilson_table(out["n_events"], out["n"], conf_level)
    out = pd.concat([out[[*keys, "n", "n_events"]], ci,
                     out[["n_pending", "n_ended_early"]]], axis=1)
    return out
