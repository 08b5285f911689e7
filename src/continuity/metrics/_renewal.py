"""Renewal at expiry: is an expiring instrument followed by a successor in time?

Under PP 28/2018 a renewal is a new document: continuity across an expiry is visible only as a
successor instrument of the same relationship.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import lifetimes
from continuity._options import DEFAULTS, check_conf_level, check_days, check_literal
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["renewal", "renewal_shares"]

RENEWAL_COLUMNS = [
    "agreement_id", "relationship_id", "instrument", "signed", "expires", "ended",
    "successor_id", "successor_signed", "successor_entry", "days_after_expiry", "status",
    "decided", "renewed",
]

#: Outcomes of an expiry, in the order they are decided.
STATUSES = ("renewed", "lapsed", "ended_early", "pending")

#: Instruments that are renewals whenever they enter (by the predecessor's expiry + grace).
RENEWAL_KINDS = _views.RENEWAL_KINDS

#: How renewal_shares groups: by kind of instrument, party, or administration at expiry.
ShareBy = Literal["instrument", "jurisdiction", "administration"]

#: The default grace, in days: see the Notes of :func:`renewal`.
GRACE = 180


def renewal(study: Study, *, grace: int = GRACE) -> pd.DataFrame:
    """Whether each instrument that expired by ``as_of`` was renewed within a grace period.

    Parameters
    ----------
    study : Study
    grace : int, default 180
        Days either side of the expiry within which a later instrument of the relationship
        entering into force is its renewal, and days after the expiry by which a renewal
        (``instrument`` ``"renewal"`` or ``"extension"``) must enter. See Notes for the
        default.

    Returns
    -------
    pandas.DataFrame
        One row per instrument signed on or before ``as_of`` whose ``expires`` is on or before
        ``as_of``, in the order of ``study.agreements``. Instruments signed after ``as_of`` are
        not yet observed and have no row, nor are they successors. Columns:

        ``agreement_id, relationship_id, instrument, signed, expires, ended``
            the instrument (``ended`` NaT when not recorded).
        ``successor_id, successor_signed, successor_entry``
            its renewal: the earliest-entering later instrument of the same relationship
            (signed after this one, by ``as_of``) that is a renewal (see Notes); NA, NaT
            when none.
        ``days_after_expiry``
            ``successor_entry - expires`` in days, negative when the renewal came first
            (nullable int).
        ``status``
            ``"renewed"``: a renewal exists; ``"ended_early"``: none, and ``ended`` is before
            ``expires`` (terminated, withdrawn); ``"lapsed"``: none, and ``expires + grace``
            is on or before ``as_of``; ``"pending"``: none yet, and the grace period runs
            past ``as_of``.
        ``decided``
            the outcome is final at ``as_of``: the grace period ended on or before it
            (``expires + grace <= as_of``) and the instrument did not end early (bool). A
            renewal inside a grace period still running is recorded but not decided:
            whether its unrenewed peers will be renewed is not known yet either.
        ``renewed``
            for decided instruments, True when renewed and False when lapsed; NA otherwise
            (nullable bool).

    Raises
    ------
    OptionError
        ``grace`` is not a whole number of days, 0 to 213,503.

    Notes
    -----
    With :math:`x_i` the expiry of instrument :math:`i` and :math:`e_j` the entry into force
    (``effective``, else ``signed``) of a later instrument :math:`j` of its relationship
    (signed after :math:`i`), :math:`j` renews :math:`i` when

    .. math::

        |e_j - x_i| \\le \\text{grace}
        \\quad\\text{or}\\quad
        (j \\text{ is a renewal or an extension and } e_j \\le x_i + \\text{grace}).

    An implementing instrument signed mid-life (a work plan, an MoU a year into a five-year
    LoI) is not a renewal: a later document is one only when it says so or when it takes
    over at the expiry. Under PP 28/2018 a renewal is a new document, negotiated and signed
    like the first, and Indonesian regional registries flag documents "expiring within three
    months": a renewal is prepared from about then, and its signing may run past the expiry
    (the Solo LoIs of 2015 were still at a renewal workshop in October 2021, see the Solo
    sources). **Default grace: 180 days**, six months either side of the expiry: twice the
    three-month warning, so that a renewal prepared from it, or signed a few months after a
    lapse, counts; narrow enough that a document entering a year before or after the expiry
    (a budget year away) is not read as its renewal. It is half the relationship's ``max_gap``
    (365), the longest gap across
    which :func:`continuity.split_episodes` still chains two instruments into one
    relationship: an instrument can be unrenewed yet its relationship go on. Report results
    at other graces (e.g. 90 and 365) beside it.

    The share renewed (:func:`renewal_shares`) is taken over decided instruments only,
    renewed or lapsed: an instrument still inside its grace period is left out whether or not
    it has been renewed yet, so early renewals do not inflate the share.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import renewal
    >>> study = (scenario(as_of="2024-12-31")
    ...          .terms("Solo", "mayor", [("A", "2010-07-28"), ("C", "2021-02-26")])
    ...          .terms("Zhuhai", "party_secretary", [("P", "2012-02-15")])
    ...          .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15",
    ...                     expires="2020-09-15", relationship_id="R", instrument="loi")
    ...          .agreement("PLAN", ["Solo", "Zhuhai"], signed="2017-03-01",
    ...                     relationship_id="R", instrument="work_plan")
    ...          .agreement("MOU", ["Solo", "Zhuhai"], signed="2020-12-01",
    ...                     relationship_id="R", instrument="mou")
    ...          .build())
    >>> renewal(study, grace=90)[["agreement_id", "successor_id", "days_after_expiry",
    ...                          "status"]]
      agreement_id successor_id  days_after_expiry   status
    0          LOI          MOU                 77  renewed

    The work plan of 2017, signed mid-life, is not the LoI's renewal; the MoU entering 77
    days after the expiry is.
    """
    where = "renewal"
    _views.check_study(study, where)
    grace = check_days(grace, "grace", where)
    a = _views.observed_agreements(study)
    as_of = study.as_of
    succ = _renewals(a, grace)
    a = pd.concat([a, succ], axis=1)
    a = a[a["expires"].notna() & (a["expires"] <= as_of)]
    deadline = a["expires"] + pd.Timedelta(days=grace)
    renewed = a["successor_id"].notna()
    early = ~renewed & a["ended"].notna() & (a["ended"] < a["expires"])
    decided = (deadline <= as_of) & ~early
    lapsed = ~renewed & ~early & decided
    status = np.select([renewed, early, lapsed], ["renewed", "ended_early", "lapsed"],
                       "pending")
    flag = pd.array(renewed.to_numpy(), dtype="boolean")
    flag[~decided.to_numpy()] = pd.NA
    days = ((a["successor_entry"] - a["expires"]) // pd.Timedelta(days=1)).astype("Int64")
    out = pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy(),
        "relationship_id": a["relationship_id"].to_numpy(),
        "instrument": a["instrument"].to_numpy(dtype=object),
        "signed": a["signed"].to_numpy(),
        "expires": a["expires"].to_numpy(),
        "ended": a["ended"].to_numpy(),
        "successor_id": a["successor_id"].to_numpy(dtype=object),
        "successor_signed": a["successor_signed"].to_numpy(),
        "successor_entry": a["successor_entry"].to_numpy(),
        "days_after_expiry": days.to_numpy(),
        "status": status.astype(object),
        "decided": decided.to_numpy(dtype=bool),
        "renewed": flag,
    }, columns=RENEWAL_COLUMNS)
    for col in ("signed", "expires", "ended", "successor_signed", "successor_entry"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def _renewals(a: pd.DataFrame, grace: int) -> pd.DataFrame:
    """Per instrument of ``a`` (same index): ``successor_id, successor_signed,
    successor_entry`` of its renewal (see :func:`renewal`), NA/NaT when none."""
    g = pd.Timedelta(days=grace)
    left = pd.DataFrame({"_row": np.arange(len(a)), "relationship_id": a["relationship_id"],
                         "signed": a["signed"], "expires": a["expires"]})
    left = left[left["expires"].notna()]
    right = pd.DataFrame({"relationship_id": a["relationship_id"],
                          "successor_id": a["agreement_id"].astype(object),
                          "successor_signed": a["signed"], "successor_entry": lifetimes.entry(a),
                          "_kind": a["instrument"].isin(RENEWAL_KINDS).to_numpy()})
    pair = left.merge(right, on="relationship_id")
    x, e = pair["expires"], pair["successor_entry"]
    near = (e >= x - g) & (e <= x + g)
    named = pair["_kind"] & (e <= x + g)
    pair = pair[(pair["successor_signed"] > pair["signed"]) & (near | named)]
    pair = pair.sort_values(["_row", "successor_entry", "successor_signed", "successor_id"],
                            kind="stable").drop_duplicates("_row")
    cols = ["successor_id", "successor_signed", "successor_entry"]
    out = pair.set_index("_row")[cols].reindex(np.arange(len(a)))
    out.index = a.index
    out["successor_id"] = out["successor_id"].astype(object)
    return out


def renewal_shares(
    study: Study,
    *,
    grace: int = GRACE,
    by: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
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
            expiries left out of the share: grace period still running at ``as_of`` (renewed
            already or not: ``decided`` False in :func:`renewal`), or the
            instrument ended before it expired without a successor (int).

    Raises
    ------
    OptionError
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
    grace = check_days(grace, "grace", where)
    if by is not None:
        check_literal(by, ShareBy, "by", where, hint=", or None for no grouping")
    conf_level = check_conf_level(conf_level, where)
    r = renewal(study, grace=grace)
    keys: list[str] = []
    if by == "instrument":
        keys = ["instrument"]
    elif by in ("jurisdiction", "administration"):
        r = _views.by_party(study, r, date="expires" if by == "administration" else None)
        keys = ["jurisdiction"] + (_views.ADMIN_COLUMNS if by == "administration" else [])
    decided = r["decided"].to_numpy(dtype=bool)
    r = r.assign(_n=decided,
                 _k=decided & (r["status"] == "renewed").to_numpy(),
                 _p=~decided & (r["status"] != "ended_early").to_numpy(),
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
