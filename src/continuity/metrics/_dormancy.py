"""Dormancy: the de facto end of an instrument, and paper partnerships.

Indonesian regional cooperation does not end in law when the leadership changes (PP 28/2018,
art. 9(2)); discontinuity shows up as silence. These metrics measure that silence from the
activities table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import _options, lifetimes
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["dormancy", "dormancy_shares"]

DORMANCY_COLUMNS = [
    "agreement_id", "relationship_id", "instrument", "signed", "entry", "formal_end",
    "formally_alive",
    "reference_date", "n_activities", "last_activity", "days_inactive", "threshold", "dormant",
    "dormant_since", "activated", "paper_partnership",
]

SHARE_MEASURES = ("dormant", "paper_partnership")


def dormancy(study: Study, *, thresholds=(365, 730, 1095)) -> pd.DataFrame:
    """Last activity, time since it, and dormancy of every instrument, at each threshold.

    Parameters
    ----------
    study : Study
    thresholds : int or sequence of int, default (365, 730, 1095)
        Numbers of days without activity after which an instrument counts as dormant (12, 24
        and 36 months; the design's default de facto end is 730 days).

    Returns
    -------
    pandas.DataFrame
        One row per instrument in force by ``study.as_of`` (its ``entry`` on or before it)
        and per threshold, in the order of ``study.agreements`` then of the thresholds
        (ascending). Instruments signed after ``as_of`` are not yet observed and have no row;
        nor have instruments signed by then whose entry into force (``effective``) is after
        it: their life has not begun. Columns:

        ``agreement_id, relationship_id, instrument``
            the instrument (``instrument`` NA when the study does not record it).
        ``signed``
            date of signing.
        ``entry``
            the start of its life: ``effective`` when given, else ``signed`` (as in
            :func:`continuity.split_episodes`).
        ``formal_end``
            the formal end on or before ``as_of``: ``ended``, else ``expires``; NaT when the
            instrument is formally alive at ``as_of``.
        ``formally_alive``
            ``formal_end`` is NaT (bool).
        ``reference_date``
            the date dormancy is measured at: ``formal_end`` if any, else ``as_of``.
        ``n_activities``
            activities counted: dated on or after ``entry``, on or before ``as_of`` and before
            ``formal_end`` (int).
        ``last_activity``
            the latest of them (NaT when none).
        ``days_inactive``
            days from the last sign of life, ``max(entry, last_activity)``, to
            ``reference_date`` (int, days).
        ``threshold``
            the threshold of this row (int, days).
        ``dormant``
            ``days_inactive >= threshold``: no activity in the ``threshold`` days up to
            ``reference_date`` (bool).
        ``dormant_since``
            the day the current dormant spell began, ``max(entry, last_activity) +
            threshold``; NaT when not dormant. The de facto end of
            ``split_episodes(event="dormant", dormancy=threshold)`` is the *first* dormant
            day, earlier than this when the instrument went quiet and later revived.
        ``activated``
            an activity was dated after the day of entry and within ``threshold`` days of it
            (the signing itself does not activate an instrument; nullable bool, NA when fewer
            than ``threshold`` days were observed and there was no activity yet).
        ``paper_partnership``
            formally alive at ``as_of`` and never active within ``threshold`` days of entry
            (nullable bool: ``formally_alive & ~activated``; NA when alive and not yet observed
            for ``threshold`` days without activity).

    Raises
    ------
    ValidationError
        ``thresholds`` holds something other than positive whole numbers of days, or repeats one.

    Notes
    -----
    With :math:`s` the entry, :math:`a` the last counted activity, :math:`r` the
    reference date and :math:`T` the threshold,

    .. math::

        \\text{days\\_inactive} = r - \\max(s, a), \\qquad
        \\text{dormant} = [\\,\\text{days\\_inactive} \\ge T\\,], \\qquad
        \\text{paper} = [\\,\\text{formally alive at as\\_of}\\,] \\wedge
        [\\,\\text{no activity in } [s, s + T)\\,].

    Entry into force counts as a sign of life, so an instrument never active is dormant ``T``
    days after it entered. A paper partnership is an instrument that is formally alive but was
    never active within the threshold of its entry: it exists on paper only. One that was
    active and then went quiet is ``dormant`` but not a paper partnership. Statements about
    the relationship (activity kinds in :data:`continuity.schema.PASSIVE_KINDS`, such as a
    report that it has stalled) are not signs of life and are not counted. Activities before
    entry (exploratory visits before signing, listed in ``study.audit``) and from the formal
    end on are not counted.

    Examples
    --------
    >>> import continuity as ct
    >>> d = ct.metrics.dormancy(ct.datasets.load_solo(), thresholds=730)
    >>> d[["agreement_id", "last_activity", "days_inactive", "dormant"]]
                agreement_id last_activity  days_inactive  dormant
    0  SOLO-MONTANA-MOU-2007    2007-02-19           6931     True
    1     SOLO-XIAN-LOI-2015    2023-05-12           1005     True
    2   SOLO-ZHUHAI-LOI-2015    2021-10-21           1573     True
    3   SOLO-ANDONG-AGR-2007    2023-11-17            816     True
    """
    where = "dormancy"
    _views.check_study(study, where)
    thresholds = _options.check_thresholds(thresholds, "thresholds", where)
    as_of = study.as_of
    a = _views.observed_agreements(study)
    a = a[(lifetimes.entry(a) <= as_of).to_numpy()].reset_index(drop=True)  # in force by as_of
    end = lifetimes.formal_end(a, as_of)
    reference = end.where(end.notna(), as_of)

    acts = _views.counted_activities(study, a)
    begin = lifetimes.entry(a)
    idx = acts["i"].to_numpy(dtype=np.int64)
    by_i = acts.groupby(idx)["date"]
    n_acts = by_i.size().reindex(range(len(a)), fill_value=0).to_numpy()
    last = by_i.max().reindex(range(len(a)))
    # the first activity after the day of entry (the signing itself does not activate)
    later = acts["date"].to_numpy() > begin.to_numpy()[idx]
    first = acts[later].groupby(idx[later])["date"].min().reindex(range(len(a)))

    signed = a["signed"]
    alive_since = pd.concat([begin, last.set_axis(begin.index)], axis=1).max(axis=1)
    days_inactive = ((reference - alive_since) // pd.Timedelta(days=1)).astype("int64")

    k, m = len(a), len(thresholds)
    rep = np.repeat(np.arange(k), m)
    t = np.tile(np.asarray(thresholds, dtype=np.int64), k)
    di = days_inactive.to_numpy()[rep]
    dormant = di >= t
    since = alive_since.to_numpy()[rep] + t * _views.DAY
    first_r = first.to_numpy()[rep]
    signed_r = signed.to_numpy()[rep]
    begin_r = begin.to_numpy()[rep]
    ref_r = reference.to_numpy()[rep]
    in_time = ~pd.isna(first_r) & (first_r < begin_r + t * _views.DAY)
    observed = begin_r + t * _views.DAY <= ref_r
    activated = pd.array(in_time, dtype="boolean")
    activated[~in_time & ~observed] = pd.NA
    alive = end.isna().to_numpy()
    out = pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy()[rep],
        "relationship_id": a["relationship_id"].to_numpy()[rep],
        "instrument": a["instrument"].to_numpy(dtype=object)[rep],
        "signed": signed_r,
        "entry": begin_r,
        "formal_end": end.to_numpy()[rep],
        "formally_alive": alive[rep],
        "reference_date": ref_r,
        "n_activities": n_acts[rep].astype("int64"),
        "last_activity": last.to_numpy()[rep],
        "days_inactive": di.astype("int64"),
        "threshold": t,
        "dormant": dormant,
        "dormant_since": np.where(dormant, since, np.datetime64("NaT")),
        "activated": activated,
        "paper_partnership": _paper(alive[rep], activated),
    }, columns=DORMANCY_COLUMNS)
    for col in ("signed", "entry", "formal_end", "reference_date", "last_activity",
                "dormant_since"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def _paper(alive: np.ndarray, activated: pd.api.extensions.ExtensionArray):
    """Formally alive and never activated; NA where that is not yet known."""
    paper = pd.array(alive, dtype="boolean") & ~activated
    paper[~alive] = False
    return paper


def dormancy_shares(
    study: Study,
    *,
    by: str | None = "jurisdiction",
    thresholds=(365, 730, 1095),
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Shares of dormant instruments and of paper partnerships, with Wilson intervals.

    Parameters
    ----------
    study : Study
    by : {"jurisdiction", "administration", None}, default "jurisdiction"
        Group per party jurisdiction (an instrument counts once for each of its parties), per
        administration at signing (the leader of each party in office on the signing day; see
        Notes), or not at all.
    thresholds : int or sequence of int, default (365, 730, 1095)
        As for :func:`dormancy`.
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group, threshold and measure. Instruments signed after ``as_of`` are not yet
        observed and are not counted (they have no row in :func:`dormancy`). Columns:

        ``jurisdiction``
            the party (with ``by`` set).
        ``administration, administration_start``
            with ``by="administration"``: ``"<holder> <first year>-<last year>"`` and the day it
            began; NA for a party whose leaders are unknown or whose office was vacant then.
        ``threshold``
            days (int).
        ``measure``
            ``"dormant"`` (among every instrument observed) or ``"paper_partnership"`` (among
            instruments formally alive at ``as_of`` whose first ``threshold`` days were
            observed).
        ``n``
            instruments in the denominator (int).
        ``n_events``
            of them dormant, or paper partnerships (int).
        ``estimate, conf_low, conf_high``
            the share ``n_events / n`` and its Wilson interval (NaN when ``n`` is 0).

    Raises
    ------
    ValidationError
        An unknown ``by``, bad ``thresholds`` or a ``conf_level`` outside (0, 1).

    Notes
    -----
    The share is :math:`\\hat p = x/n`; Wilson's interval (Wilson 1927, JASA 22:209-212) is

    .. math::

        \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    with :math:`z` the normal quantile at :math:`(1 + \\text{conf\\_level})/2`, computed by
    :func:`continuity.rates.wilson_interval`. An administration is an unbroken run of one
    holder in the leadership office (a re-elected leader, or an acting leader then elected,
    stays one administration). Instruments of one relationship or one administration are not
    independent observations; the intervals assume they are.

    Examples
    --------
    >>> import continuity as ct
    >>> s = ct.metrics.dormancy_shares(ct.datasets.load_solo(), by=None, thresholds=730)
    >>> s[["measure", "n", "n_events", "estimate"]]
                 measure  n  n_events  estimate
    0            dormant  4         4       1.0
    1  paper_partnership  4         2       0.5
    """
    where = "dormancy_shares"
    _views.check_study(study, where)
    _options.check_literal(by, Literal["jurisdiction", "administration", None], "by", where)
    thresholds = _options.check_thresholds(thresholds, "thresholds", where)
    conf_level = _options.check_conf_level(conf_level, where)
    d = dormancy(study, thresholds=thresholds)
    keys: list[str] = []
    if by is not None:
        d = _views.by_party(study, d, date="signed" if by == "administration" else None)
        keys = ["jurisdiction"] + (_views.ADMIN_COLUMNS if by == "administration" else [])
    long = pd.concat([
        d.assign(measure="dormant", _in=True, _yes=d["dormant"]),
        d.assign(measure="paper_partnership",
                 _in=d["formally_alive"] & d["paper_partnership"].notna(),
                 _yes=d["paper_partnership"].fillna(False)),
    ], ignore_index=True)
    long["_in"] = long["_in"].astype(bool)
    long["_yes"] = long["_yes"].astype(bool) & long["_in"]
    g = long.groupby([*keys, "threshold", "measure"], dropna=False, sort=True)
    out = g.agg(n=("_in", "sum"), n_events=("_yes", "sum")).reset_index()
    out["n"] = out["n"].astype("int64")
    out["n_events"] = out["n_events"].astype("int64")
    out = pd.concat([out, _summaries.wilson_table(out["n_events"], out["n"], conf_level)], axis=1)
    return out
