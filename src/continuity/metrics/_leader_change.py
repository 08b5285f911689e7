"""Continuity across leader changes: survival after each change, and the hazard around it.

Both metrics start from the counting-process episodes of
:func:`continuity.split_episodes` (relationship level) and leave the estimation to
:mod:`continuity.survival` and :mod:`continuity.coxph`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity._options import (
    DEFAULTS,
    Event,
    check_conf_level,
    check_days,
    check_literal,
    check_seed,
    check_thresholds,
    check_whole,
)
from continuity.errors import ValidationError
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["landmark_spells", "survival_across_administrations", "transition_hazard_ratio"]

#: Which leader changes start a landmark spell: every one in the relationship's life, or the
#: first after its entry.
Changes = Literal["every", "first"]

LANDMARK_COLUMNS = [
    "relationship_id", "spell", "jurisdiction", "date", "from_holder", "to_holder",
    "transition_kind", "side", "entry", "stop", "t_stop", "event",
]
SURVIVAL_COLUMNS = [
    "group", "level", "horizon", "estimate", "conf_low", "conf_high", "n", "n_relationships",
    "n_at_risk", "n_events",
]

HAZARD_COLUMNS = [
    "term", "window", "estimate", "conf_low", "conf_high", "coef", "robust_se", "p_value",
    "n", "n_units", "n_clusters", "n_events", "n_excluded_units", "n_placebo",
    "n_placebo_failed", "placebo_q025", "placebo_median", "placebo_q975", "placebo_p_value",
]


def _fit(ep: pd.DataFrame, conf_level: float):
    """Cox fit of ``post_change`` on episodes with known exposure; (fit, rows, n_excluded)."""
    from continuity.coxph import cox

    # integer keys: the relationship's code ranked as its label sorts (the order cox's
    # clusters take from the labels), times the spell
    rel = ep["relationship_id"]
    labels = np.asarray(rel.cat.categories, dtype=str)
    rank = np.empty(len(labels), dtype=np.int64)
    rank[np.argsort(labels, kind="stable")] = np.arange(len(labels))
    rel_code = rank[rel.cat.codes.to_numpy()]
    spell = ep["spell"].to_numpy(dtype=np.int64)
    units = rel_code * (int(spell.max(initial=0)) + 1) + spell
    n_codes = int(units.max(initial=-1)) + 1
    bad = np.zeros(n_codes, dtype=bool)
    bad[units[ep["post_change"].isna().to_numpy()]] = True
    keep = ~bad[units]
    rows = pd.DataFrame({"relationship_id": rel_code[keep],
                         "t_start": ep["t_start"].to_numpy()[keep],
                         "t_stop": ep["t_stop"].to_numpy()[keep],
                         "event": ep["event"].to_numpy()[keep].astype(np.int8),
                         "post_change": ep["post_change"].to_numpy(dtype=bool, na_value=False)[
                             keep].astype(np.int8)})
    fit = cox(rows, covariates=["post_change"], cluster="relationship_id",
              conf_level=conf_level)
    n_kept = int(np.count_nonzero(np.bincount(units[keep], minlength=n_codes)))
    return fit, rows, n_kept, int(bad.sum())


def _placebo_study(study: Study, rng: np.random.Generator) -> Study:
    """The study with each jurisdiction's leadership transitions moved to random days.

    Each jurisdiction keeps its sequence of leadership terms (holders, kinds, parties), the
    start of the first and the end of the last (or ``as_of`` when open); the days between
    consecutive terms are drawn uniformly at random in between, all distinct, so terms touch.
    Only the leadership terms are replaced (:meth:`continuity.Study.with_leadership`): the
    other tables are not validated again.
    """
    lt = study.leadership_terms()
    j = lt["jurisdiction"].to_numpy()
    codes = pd.factorize(j)[0]
    n_rows = len(lt)
    first = np.ones(n_rows, dtype=bool)
    first[1:] = codes[1:] != codes[:-1]
    grp_start = np.flatnonzero(first)
    size = np.diff(np.r_[grp_start, n_rows])
    pos = np.arange(n_rows) - np.repeat(grp_start, size)
    lo_day = lt["start"].to_numpy().astype("datetime64[D]").astype(np.int64)[grp_start]
    last = grp_start + size - 1
    last_end = lt["end"].to_numpy()[last]
    as_of_day = np.datetime64(study.as_of, "D").astype(np.int64)
    hi_day = np.where(pd.isna(last_end), as_of_day,
                      last_end.astype("datetime64[D]").astype(np.int64))
    k = size - 1  # boundaries to draw per jurisdiction
    room = hi_day - lo_day - k  # draws in [1, room], then + rank: strictly increasing
    ok = room >= 1
    g = np.repeat(np.arange(len(size)), size)
    draw = pos > 0
    u = rng.random(n_rows)
    v = np.floor(u * np.maximum(room[g], 1)).astype(np.int64) + 1
    v[~draw] = 0
    order = np.lexsort((v, g))  # sort the draws within each jurisdiction
    v_sorted = np.empty_like(v)
    v_sorted[np.arange(n_rows)] = v[order]
    new_start = lo_day[g] + v_sorted + np.maximum(pos - 1, 0)
    new_start[~draw] = lo_day[g][~draw]
    keep_old = ~ok[g]
    old_start = lt["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    new_start = np.where(keep_old, old_start, new_start)
    new_end = np.empty(n_rows, dtype="datetime64[ns]")
    nxt = np.r_[new_start[1:], 0]
    new_end[:] = nxt.astype("datetime64[D]")
    new_end[last] = last_end
    new_end = np.where(keep_old, lt["end"].to_numpy(), new_end)
    lt = lt.assign(start=new_start.astype("datetime64[D]").astype("datetime64[ns]"),
                   end=pd.Series(new_end, index=lt.index, dtype="datetime64[ns]"))
    # only the leadership changes: the other tables were validated with the study
    return study.with_leadership(lt.reset_index(drop=True))


def transition_hazard_ratio(
    study: Study,
    *,
    window: int = 365,
    event: str = "formal",
    dormancy: int = 730,
    max_gap: int = 365,
    n_placebo: int = 200,
    seed=0,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Hazard ratio of a relationship ending within ``window`` days of a leader change; placebo.

    Parameters
    ----------
    study : Study
    window : int, default 365
        Days after each leader change (at any party) that count as "after a change".
    event : {"formal", "dormant"}, default "formal"
        What ends a relationship: its formal end, or its de facto end after ``dormancy`` days
        without activity (see :func:`continuity.split_episodes`).
    dormancy : int, default 730
        Days without activity that end a relationship with ``event="dormant"``.
    max_gap : int, default 365
        Longest gap between instruments for a relationship to go on.
    n_placebo : int, default 200
        Placebo draws: the model refitted with every jurisdiction's leadership transitions
        moved to random days (0 for none).
    seed : int, numpy Generator or None, default 0
        Seed of ``numpy.random.default_rng`` for the placebo draws.
    conf_level : float, default 0.95
        Level of the confidence interval of the hazard ratio.

    Returns
    -------
    pandas.DataFrame
        One row, with columns:

        ``term``
            ``"post_change"``.
        ``window``
            days (int).
        ``estimate, conf_low, conf_high``
            hazard ratio of ending while within ``window`` days of a leader change against
            other time, and its confidence limits (robust, clustered by relationship).
        ``coef, robust_se, p_value``
            log hazard ratio, its cluster-robust standard error and the two-sided p-value.
        ``n, n_units, n_clusters, n_events``
            episodes, relationship spells, relationships and ends in the fit (int).
        ``n_excluded_units``
            relationship spells left out because a party's leadership is unknown (NA
            ``post_change``) (int).
        ``n_placebo, n_placebo_failed``
            placebo draws fitted (:math:`B`), and draws whose fit failed or did not converge
            (no end inside or outside the windows, a monotone likelihood); failed draws are
            left out of the quantiles and the p-value, and counted here (int).
        ``placebo_q025, placebo_median, placebo_q975``
            quantiles of the placebo hazard ratios (NaN without draws).
        ``placebo_p_value``
            permutation p-value of the timing of the changes, :math:`(1 + k) / (1 + B)`,
            with :math:`k` the fitted draws whose hazard ratio is at least as far from 1 as
            the observed one on the log scale, :math:`|\\log HR_b| \\ge |\\log HR|`, and
            :math:`B` the fitted draws; never 0 (at least :math:`1 / (1 + B)`); NaN without
            fitted draws.

    Raises
    ------
    OptionError
        A bad option (a ``seed`` of the wrong kind: ContinuityTypeError).
    ValidationError
        No relationship with known leadership ended (nothing to fit; the message suggests
        ``event="dormant"``), or ``post_change`` does not vary.

    Warns
    -----
    continuity.ConvergenceWarning
        The observed fit did not converge or its hazard ratio looks infinite.

    Notes
    -----
    The model is a Cox proportional hazards model on the episodes of
    ``study.episodes(level="relationship", window=window, event=event, ...)``,

    .. math:: h(t \\mid x) = h_0(t) \\exp(\\beta \\cdot \\text{post\\_change}(t)),

    with time since the relationship's entry as the time scale, Efron ties and the
    cluster-robust (Lin-Wei) variance by relationship, since the spells and episodes of one
    relationship are not independent (:func:`continuity.cox`). The placebo keeps the data
    and each jurisdiction's sequence of leaders but moves the days between terms uniformly at
    random between the first term's start and the last term's end; if the observed hazard
    ratio reflects the changes themselves rather than the passage of time, it should lie in
    the tail of the placebo distribution. The p-value :math:`(1 + k) / (1 + B)` counts the
    observed data as one of the draws, so it is never 0 (Phipson & Smyth 2010, Stat. Appl.
    Genet. Mol. Biol. 9(1):39). Spells of a party whose leaders are unknown are left out, and
    counted.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import transition_hazard_ratio
    >>> s = scenario(as_of="2024-12-31").terms("X", "mayor", [("A", "2010-01-01"),
    ...     ("B", "2014-01-01"), ("C", "2018-01-01"), ("D", "2022-01-01")])
    >>> s = s.terms("Y", "mayor", [("P", "2010-01-01")])
    >>> for i, (signed, ended) in enumerate([("2011-01-01", "2014-06-01"),
    ...         ("2012-01-01", "2016-01-01"), ("2013-01-01", "2018-03-01"),
    ...         ("2015-01-01", "2020-01-01"), ("2016-01-01", "2022-05-01"),
    ...         ("2019-01-01", "2021-01-01"), ("2019-06-01", None)]):
    ...     s = s.agreement(f"G{i}", ["X", "Y"], signed=signed, ended=ended)
    >>> hr = transition_hazard_ratio(s.build(), window=365, n_placebo=10, seed=1)
    >>> hr[["estimate", "conf_low", "conf_high", "n_units", "n_events"]].round(2)
       estimate  conf_low  conf_high  n_units  n_events
    0      4.22       0.6      29.44        7         6
    """
    where = "transition_hazard_ratio"
    _views.check_study(study, where)
    event = check_literal(event, Event, "event", where)
    window = check_days(window, "window", where, minimum=1)
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    max_gap = check_days(max_gap, "max_gap", where)
    n_placebo = check_whole(n_placebo, "n_placebo", where, maximum=100_000)
    seed = check_seed(seed, where)
    conf_level = check_conf_level(conf_level, where)
    options = {"level": "relationship", "window": window, "event": event,
               "dormancy": dormancy, "max_gap": max_gap, "leaders": "none"}  # no slot columns
    ep = study.episodes(**options)
    known = ep.loc[ep["post_change"].notna()]
    if int(known["event"].sum()) == 0:
        hint = (f" (with event='formal' a relationship ends when its last instrument ended "
                f"or expired at least max_gap = {max_gap} days before as_of; try "
                "event='dormant' for the de facto end)" if event == "formal" else "")
        raise ValidationError(f"{where}: no relationship with known leadership ended by as_of "
                              f"{study.as_of.date()}, so there is no hazard to compare{hint}")
    if known["post_change"].nunique() < 2:
        raise ValidationError(f"{where}: post_change does not vary (no episode "
                              f"{'after' if not known['post_change'].any() else 'outside'} a "
                              f"{window}-day window of a leader change); a hazard ratio needs both")
    fit, _, n_units, n_excluded = _fit(ep, conf_level)
    s = fit.summary.iloc[0]
    hr = float(s["exp_coef"])

    draws = np.full(n_placebo, np.nan)
    if n_placebo:
        from continuity.coxph import ConvergenceWarning

        rng = np.random.default_rng(seed)
        for b in range(n_placebo):
            placebo = _placebo_study(study, rng)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", ConvergenceWarning)
                    pfit = _fit(placebo.episodes(**options), conf_level)[0]
                draws[b] = float(pfit.summary["exp_coef"].iloc[0])
            except (ValidationError, ConvergenceWarning):
                continue
    ok = draws[np.isfinite(draws) & (draws > 0)]
    if len(ok):
        q025, q50, q975 = np.quantile(ok, [0.025, 0.5, 0.975])
        k = int(np.sum(np.abs(np.log(ok)) >= abs(np.log(hr)) - 1e-12))
        p_perm = (1.0 + k) / (1.0 + len(ok))
    else:
        q025 = q50 = q975 = p_perm = np.nan
    out = pd.DataFrame({
        "term": ["post_change"],
        "window": [window],
        "estimate": [hr],
        "conf_low": [float(s["conf_low"])],
        "conf_high": [float(s["conf_high"])],
        "coef": [float(s["coef"])],
        "robust_se": [float(s["robust_se"])],
        "p_value": [float(s["p_value"])],
        "n": [int(fit.n)],
        "n_units": [int(n_units)],
        "n_clusters": [int(fit.n_clusters)],
        "n_events": [int(fit.n_events)],
        "n_excluded_units": [int(n_excluded)],
        "n_placebo": [len(ok)],
        "n_placebo_failed": [n_placebo - len(ok)],
        "placebo_q025": [q025],
        "placebo_median": [q50],
        "placebo_q975": [q975],
        "placebo_p_value": [p_perm],
    }, columns=HAZARD_COLUMNS)
    return out


def landmark_spells(
    study: Study,
    *,
    focal: str | None = None,
    changes: str = "every",
    event: str = "formal",
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
) -> pd.DataFrame:
    """One spell per leader change inside a relationship's life: from the change to its end.

    Parameters
    ----------
    study : Study
    focal : str, optional
        A jurisdiction: ``side`` says whether a change is its own or a partner's.
    changes : {"every", "first"}, default "every"
        Every leader change of a party inside the relationship spell starts a landmark spell
        (pooling), or only the first one after the spell's entry.
    event, dormancy, max_gap
        What ends a relationship, as in :func:`continuity.split_episodes`
        (``level="relationship"``).

    Returns
    -------
    pandas.DataFrame
        One row per relationship spell (of :func:`continuity.audit_episodes`) and
        leader change of one of the spell's parties dated strictly after the spell's entry and
        before its end (with ``changes="first"``, the earliest such change only; of changes
        of two parties on one day, that of the first jurisdiction by name), sorted by
        relationship, spell and date. The parties of a spell are the parties of its own
        instruments, all signed by ``as_of`` (as in
        :func:`continuity.split_episodes`): a party only to an instrument signed
        after ``as_of``, or only to another spell of the relationship, starts no spell here.
        Columns:

        ``relationship_id, spell``
            the unit.
        ``jurisdiction, date, from_holder, to_holder, transition_kind``
            the change (see :func:`continuity.compute_transitions`).
        ``side``
            ``"own"`` (the focal jurisdiction's change) or ``"partner"``; NA without ``focal``
            and for spells the focal jurisdiction is not a party to.
        ``entry, stop``
            the relationship spell's entry and the day its at-risk time ends.
        ``t_stop``
            days from the change to ``stop`` (int, > 0).
        ``event``
            the relationship ended at ``stop`` (1) or was censored there (0) (int8).

    Raises
    ------
    OptionError
        Bad options or an unknown ``focal``.

    Notes
    -----
    This is a landmark analysis (van Houwelingen, Scand. J. Stat. 34, 2007, 70-85): each change
    is a new time origin, and the relationships alive at it are followed from there. With
    ``changes="every"`` a relationship alive across several changes contributes one spell per
    change, so the spells are not independent (:func:`survival_across_administrations`
    clusters them by relationship); with ``changes="first"`` each relationship spell
    contributes at most one.

    Examples
    --------
    >>> import continuity as ct
    >>> sp = ct.metrics.landmark_spells(ct.datasets.load_solo(), changes="first",
    ...                                 event="dormant")
    >>> sp[["relationship_id", "jurisdiction", "date", "to_holder", "t_stop", "event"]]
       relationship_id jurisdiction       date         to_holder  t_stop  event
    0    REL-SOLO-XIAN    Surakarta 2015-12-31  Budi Yulistianto     913      1
    1  REL-SOLO-ZHUHAI    Surakarta 2015-12-31  Budi Yulistianto     623      1

    Both 2015 letters of intent were signed under a caretaker; the first change after
    signing is the next caretaker's arrival, and both relationships went quiet (730 days
    without a sign of life) within three years of it.
    """
    from continuity.episodes import audit_episodes

    where = "landmark_spells"
    _views.check_study(study, where)
    changes = check_literal(changes, Changes, "changes", where)
    event = check_literal(event, Event, "event", where)
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    max_gap = check_days(max_gap, "max_gap", where)
    focal = _views.check_focal(study, focal, where)
    units = audit_episodes(study, level="relationship", event=event, dormancy=dormancy,
                           max_gap=max_gap)
    units = units[units["status"] == "included"]
    units = units[["relationship_id", "spell", "entry", "start", "stop", "event"]].copy()
    units["relationship_id"] = units["relationship_id"].astype(str)
    # the parties of a spell are those of its own instruments (as in split_episodes)
    _, members = _views.relationship_spells(study, max_gap)
    key = ["relationship_id", "spell"]
    parties = members.merge(study.parties[["agreement_id", "jurisdiction"]].astype(
        {"agreement_id": str, "jurisdiction": str}), on="agreement_id")
    parties = parties[[*key, "jurisdiction"]].drop_duplicates()
    tr = study.transitions()
    tr = tr.loc[tr["leader_change"].to_numpy(dtype=bool),
                ["jurisdiction", "date", "from_holder", "to_holder", "transition_kind"]]
    tr = tr.astype({"jurisdiction": str})
    x = units.merge(parties, on=key).merge(tr, on="jurisdiction")
    x = x[(x["date"] > x["start"]) & (x["date"] < x["stop"])]
    x = x.sort_values(["relationship_id", "spell", "date", "jurisdiction"], kind="stable")
    if changes == "first":  # the first change after the spell's entry, one per spell
        x = x.drop_duplicates(key, keep="first")
    side = pd.Series(pd.NA, index=x.index, dtype=object)
    if focal is not None:
        has_focal = parties.loc[parties["jurisdiction"] == focal, key]
        mine = pd.MultiIndex.from_frame(x[key]).isin(pd.MultiIndex.from_frame(has_focal))
        side[mine] = np.where(x.loc[mine, "jurisdiction"] == focal, "own", "partner")
    out = pd.DataFrame({
        "relationship_id": x["relationship_id"].to_numpy(),
        "spell": x["spell"].to_numpy(),
        "jurisdiction": x["jurisdiction"].to_numpy(),
        "date": x["date"].to_numpy(),
        "from_holder": x["from_holder"].to_numpy(),
        "to_holder": x["to_holder"].to_numpy(),
        "transition_kind": x["transition_kind"].to_numpy(),
        "side": side.to_numpy(),
        "entry": x["entry"].to_numpy(),
        "stop": x["stop"].to_numpy(),
        "t_stop": ((x["stop"] - x["date"]) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64),
        "event": x["event"].to_numpy(dtype=np.int8),
    }, columns=LANDMARK_COLUMNS)
    for col in ("date", "entry", "stop"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def survival_across_administrations(
    study: Study,
    *,
    horizon=DEFAULTS.horizons,
    focal: str | None = None,
    changes: str = "every",
    event: str = "formal",
    dormancy: int = DEFAULTS.dormancy,
    max_gap: int = DEFAULTS.max_gap,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Share of relationships still alive ``horizon`` days after a leader change.

    Parameters
    ----------
    study : Study
    horizon : int or sequence of int, default (365, 730, 1825)
        Days after the change (1, 2 and 5 years).
    focal : str, optional
        A jurisdiction: also report its own changes apart from its partners'.
    changes : {"every", "first"}, default "every"
        Pool every leader change inside a relationship's life (the share alive ``horizon``
        days after a change, any change), or take only the first change after its entry
        (after signing: one spell per relationship spell). See :func:`landmark_spells`.
    event : {"formal", "dormant"}, default "formal"
        What ends a relationship: its formal end, or its de facto end after ``dormancy`` days
        without activity (see :func:`continuity.split_episodes`).
    dormancy : int, default 730
        Days without activity that end a relationship with ``event="dormant"``.
    max_gap : int, default 365
        Longest gap between instruments for a relationship to go on.
    conf_level : float, default 0.95
        Level of the pointwise (log-log) confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per grouping, level and horizon, with columns:

        ``group``
            ``"overall"``, ``"transition_kind"`` or (with ``focal``) ``"side"``.
        ``level``
            ``"all"``; the kind of change (``"regular"``, ``"caretaker"``, ``"same_party"``,
            ``"party_change"``); or ``"own"`` / ``"partner"``.
        ``horizon``
            days after the change (int).
        ``estimate, conf_low, conf_high``
            Kaplan-Meier share of relationships alive ``horizon`` days after a change, with
            its log-log interval from the cluster-robust standard error (clusters:
            relationships; see Notes); NaN limits before the first end; all NaN when
            ``horizon`` is past the level's last follow-up time and some spell was still
            alive then (the curve is not extended, as in R's ``summary(survfit, times =)``).
        ``n``
            landmark spells: pairs of a change and a relationship alive at it (int).
        ``n_relationships``
            distinct relationships among them (int).
        ``n_at_risk``
            spells still followed after ``horizon`` days (int).
        ``n_events``
            spells whose relationship ended within ``horizon`` days (int).

    Raises
    ------
    OptionError
        Bad options or an unknown ``focal``.

    Notes
    -----
    Every leader change of a party that falls inside a relationship's life (or, with
    ``changes="first"``, the first one after its entry) starts a landmark spell from the
    change to the relationship's end or censoring (:func:`landmark_spells`); the
    Kaplan-Meier estimate over these spells,
    :math:`\\hat S(h) = \\prod_{t_j \\le h} (1 - d_j / n_j)` with time measured from the
    change (:func:`continuity.survival.kaplan_meier`), is the share of relationships alive
    ``h`` days after a change. With ``changes="every"`` a relationship alive across several
    changes contributes several spells, which are **not independent**, so the variance is
    the cluster-robust (infinitesimal jackknife) one with the relationship as the cluster,
    as R's ``survfit(Surv(t_stop, event) ~ 1, cluster = relationship_id,
    conf.type = "log-log")``; Greenwood's would treat the spells as independent and be too
    narrow. The same robust variance is used with ``changes="first"``, where it guards the
    spells of one relationship revived after ``max_gap`` (with one spell per relationship it
    is the unclustered jackknife variance, close to Greenwood's). Changes of parties whose
    leaders are unknown are not in the record and start no spell.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import survival_across_administrations
    >>> study = (scenario(as_of="2024-12-31")
    ...          .terms("Solo", "mayor", [("A", "2010-01-01"), ("B", "2015-01-01")])
    ...          .terms("Zhuhai", "mayor", [("P", "2010-01-01")])
    ...          .agreement("G1", ["Solo", "Zhuhai"], signed="2012-01-01", ended="2015-06-01")
    ...          .agreement("G2", ["Solo", "Zhuhai"], signed="2013-01-01", ended="2017-01-01")
    ...          .build())
    >>> survival_across_administrations(study, horizon=365)[
    ...     ["group", "level", "estimate", "n", "n_events"]]
                 group    level  estimate  n  n_events
    0          overall      all       0.5  2         1
    1  transition_kind  regular       0.5  2         1
    """
    where = "survival_across_administrations"
    _views.check_study(study, where)
    horizons = check_thresholds(horizon, "horizon", where)
    focal = _views.check_focal(study, focal, where)
    changes = check_literal(changes, Changes, "changes", where)
    event = check_literal(event, Event, "event", where)
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    max_gap = check_days(max_gap, "max_gap", where)
    conf_level = check_conf_level(conf_level, where)
    spells = landmark_spells(study, focal=focal, changes=changes, event=event,
                             dormancy=dormancy, max_gap=max_gap)
    parts = []
    groupings = [("overall", None), ("transition_kind", "transition_kind")]
    if focal is not None:
        groupings.append(("side", "side"))
    for name, col in groupings:
        df = spells[["relationship_id", "t_stop", "event"]].copy()
        df["level"] = "all" if col is None else spells[col].to_numpy()
        df = df[df["level"].notna()]
        if df.empty:
            continue
        df["level"] = df["level"].astype(object)
        res = _summaries.km_at(df, horizons, "level", conf_level, cluster="relationship_id")
        nrel = df.groupby("level")["relationship_id"].nunique()
        res["n_relationships"] = res["level"].map(nrel).astype("int64")
        res.insert(0, "group", name)
        parts.append(res)
    if not parts:
        return pd.DataFrame({col: pd.Series([], dtype=object) for col in SURVIVAL_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["level"] = out["level"].astype(object)
    return out[SURVIVAL_COLUMNS]
