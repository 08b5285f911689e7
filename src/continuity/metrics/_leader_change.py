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
    "term", "window", "estimate", "conf_low", "conf_high", "coef", "robust_se", "df", "p_value",
    "method", "conf_type", "vcov_type", "primary_test", "primary_p_value", "separation",
    "n", "n_units", "n_clusters", "n_events", "n_excluded_units", "n_placebo",
    "n_placebo_failed", "placebo_q025", "placebo_median", "placebo_q975", "placebo_p_value",
]

#: How transition_hazard_ratio fits: the rule of its Notes, or one fit forced.
HazardMethod = Literal["auto", "mle", "firth", "cr2"]

#: The rule's thresholds (see transition_hazard_ratio's Notes and validation/SMALL_SAMPLES.md).
MIN_EVENTS_MLE = 10
MIN_CLUSTERS_MLE = 20
MIN_CLUSTERS_CR0 = 50


def _rows(ep: pd.DataFrame):
    """Rows to fit: episodes with known exposure, integer keys; (rows, n_excluded)."""
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
                         "unit": units[keep],
                         "t_start": ep["t_start"].to_numpy()[keep],
                         "t_stop": ep["t_stop"].to_numpy()[keep],
                         "event": ep["event"].to_numpy()[keep].astype(np.int8),
                         "post_change": ep["post_change"].to_numpy(dtype=bool, na_value=False)[
                             keep].astype(np.int8)})
    return rows, int(bad.sum())


def _first_spells(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of each relationship's first spell with known exposure (one unit each)."""
    rel = rows["relationship_id"].to_numpy()
    unit = rows["unit"].to_numpy()
    first = np.full(int(rel.max(initial=-1)) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, rel, unit)  # units sort by spell within a relationship
    return rows[unit == first[rel]]


def _fit(rows: pd.DataFrame, conf_level: float, how: str):
    """Cox fit of ``post_change`` as ``how`` says; (fit, n_units)."""
    from continuity.coxph import cox

    if how == "firth":  # model-based: one spell per relationship, so no cluster is needed
        rows = _first_spells(rows)
        fit = cox(rows, covariates=["post_change"], method="firth", conf_level=conf_level)
    elif how == "cr2":
        fit = cox(rows, covariates=["post_change"], cluster="relationship_id",
                  vcov_type="cr2", ties="breslow", conf_level=conf_level)
    else:
        fit = cox(rows, covariates=["post_change"], cluster="relationship_id",
                  conf_level=conf_level)
    return fit, int(rows["unit"].nunique())


def _choose(rows: pd.DataFrame, conf_level: float, method: str):
    """The screening MLE (CR0) and the fit the rule picks; (how, screen, separated, warned)."""
    from continuity.coxph import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        screen, _ = _fit(rows, conf_level, "mle")
    warned = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    for w in caught:  # only the MLE's convergence warnings wait for the choice
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    separated = bool(screen.summary["separation"].fillna(False).any())
    if method != "auto":
        return method, screen, separated, warned
    n_clusters = int(screen.n_clusters)
    if separated or screen.n_events < MIN_EVENTS_MLE or n_clusters < MIN_CLUSTERS_MLE:
        return "firth", screen, separated, warned
    return ("cr2" if n_clusters < MIN_CLUSTERS_CR0 else "mle"), screen, separated, warned


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
    method: str = "auto",
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
    method : {"auto", "mle", "firth", "cr2"}, default "auto"
        How the hazard ratio is fitted and tested. ``"auto"`` follows the rule of the Notes
        from the data's size; the other values force one fit: ``"mle"`` the partial-likelihood
        estimate with Lin-Wei (CR0) cluster-robust Wald limits and a normal test; ``"cr2"`` the
        same estimate (Breslow ties) with the bias-reduced CR2 variance and a t test on
        Satterthwaite degrees of freedom; ``"firth"`` Firth's penalised estimate with profile
        penalised-likelihood limits, fitted on the first spell of each relationship.

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
            other time, and its confidence limits (``conf_type``: cluster-robust Wald
            limits by relationship, or profile penalised-likelihood limits with Firth).
        ``coef, robust_se, df, p_value``
            log hazard ratio; its cluster-robust standard error (NaN with Firth, whose
            inference is model-based); the degrees of freedom of the test's t distribution
            (``inf``: normal; finite with CR2); and the two-sided p-value of that test (with
            Firth, the penalised likelihood-ratio test).
        ``method``
            the estimator, ``"mle"`` or ``"firth"``.
        ``conf_type``
            the interval, ``"wald"`` or ``"profile"``.
        ``vcov_type``
            the small-sample correction of the variance: ``"cr0"`` (none, Lin-Wei),
            ``"cr2"`` (Bell-McCaffrey with Satterthwaite df) or ``"model"`` (Firth's
            model-based information, no clustering).
        ``primary_test, primary_p_value``
            which p-value to read first and its value: ``"placebo"`` (the permutation
            p-value below, primary with Firth when some draw was fitted),
            ``"penalized_likelihood_ratio"`` (Firth without draws), ``"robust_t"`` (CR2) or
            ``"robust_z"`` (CR0).
        ``separation``
            the partial-likelihood (MLE) estimate runs to infinity (monotone likelihood:
            every end inside, or every end outside, the windows); one reason for Firth.
        ``n, n_units, n_clusters, n_events``
            episodes, relationship spells, relationships and ends in the fit (int); with
            Firth the fit keeps one spell per relationship, so ``n_units == n_clusters``.
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
        A bad option, e.g. an unknown ``method`` (a ``seed`` of the wrong kind:
        ContinuityTypeError).
    ValidationError
        No relationship with known leadership ended (nothing to fit; the message suggests
        ``event="dormant"``), or ``post_change`` does not vary.

    Warns
    -----
    continuity.ConvergenceWarning
        The observed fit did not converge or its hazard ratio looks infinite (only when the
        MLE is reported: ``method="auto"`` turns to Firth on separation).

    Notes
    -----
    The model is a Cox proportional hazards model on the episodes of
    ``study.episodes(level="relationship", window=window, event=event, ...)``,

    .. math:: h(t \\mid x) = h_0(t) \\exp(\\beta \\cdot \\text{post\\_change}(t)),

    with time since the relationship's entry as the time scale (:func:`continuity.cox`).

    **Which fit** (``method="auto"``). A screening fit, the MLE with Efron ties and the
    Lin-Wei (CR0) variance clustered by relationship, gives the numbers behind the choice
    (``separation``, ``n_events``, ``n_clusters``):

    1. With separation, fewer than 10 ends (events per covariate: there is one covariate),
       or fewer than 20 relationships: Firth's penalised partial likelihood (Heinze &
       Schemper 2001, Biometrics 57:114-119) with profile penalised-likelihood limits, and
       the placebo p-value as the primary test.
    2. Otherwise, with fewer than 50 relationships: the MLE with Breslow ties and the CR2
       variance, t test on Satterthwaite degrees of freedom (Bell & McCaffrey 2002, Survey
       Methodology 28:169-181; Pustejovsky & Tipton 2018, J. Bus. Econ. Stat. 36:672-683).
    3. Otherwise: the screening fit itself (CR0, normal test), as R's
       ``coxph(..., cluster = relationship_id)``.

    The thresholds come from ``validation/SMALL_SAMPLES.md`` (500 simulated studies per
    size, true hazard ratio 2). The Wald interval of the MLE covers 0.40 at 5 relationships
    (3 ends in the median sample, 60% separated) and 0.84 at 10 (6 ends), but 0.95 at 20 (13
    ends); Firth's profile interval covers 0.95-0.99 at 5-10 relationships with a finite
    estimate. So 10 ends lies between the 6 where Wald fails and the 13 where it holds.
    With clustered data (three instruments sharing a frailty per relationship) CR0 covers
    0.85-0.92 at 5-10 relationships and 0.92-0.94 at 20-50, where CR2 covers 0.94-0.97;
    under 50 clusters CR2 is the safer of the two.

    **Firth without clusters.** A relationship's episodes in one spell are one chain of
    at-risk intervals, for which the partial likelihood needs no clustering; only several
    spells of one relationship (revived after ``max_gap``) are dependent. Firth's profile
    limits are model-based and :func:`continuity.cox` does not cluster them, so the Firth fit
    keeps each relationship's first spell with known leadership and leaves its later spells
    out (compare ``n_units`` with the MLE's). What this fit still assumes is that the
    relationships are independent of one another given ``post_change``: ties through a
    shared jurisdiction are not modelled. The placebo does not rest on that assumption or on
    large-sample theory, which is why it is the primary test there.

    **Placebo.** The placebo keeps the data
    and each jurisdiction's sequence of leaders but moves the days between terms uniformly at
    random between the first term's start and the last term's end; if the observed hazard
    ratio reflects the changes themselves rather than the passage of time, it should lie in
    the tail of the placebo distribution. Each draw is refitted as the observed data were
    (same ``method``, chosen once on the observed data). The p-value
    :math:`(1 + k) / (1 + B)` counts the observed data as one of the draws, so it is never 0
    (Phipson & Smyth 2010, Stat. Appl. Genet. Mol. Biol. 9(1):39). Spells of a party whose
    leaders are unknown are left out, and counted.

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
    >>> hr[["estimate", "conf_low", "conf_high", "method", "conf_type", "n_events"]].round(2)
       estimate  conf_low  conf_high method conf_type  n_events
    0      3.54      0.42      41.65  firth   profile         6
    >>> hr[["primary_test", "primary_p_value", "p_value"]].round(3)
      primary_test  primary_p_value  p_value
    0      placebo            0.182    0.237

    Six ends among seven relationships are too few for the partial-likelihood estimate and
    its Wald interval, so the rule fits Firth's penalised estimate and reads the placebo
    first. Forcing the MLE gives the larger estimate and the narrower cluster-robust interval
    the Wald theory promises but, at this size, does not deliver:

    >>> mle = transition_hazard_ratio(s.build(), window=365, n_placebo=0, method="mle")
    >>> mle[["estimate", "conf_low", "conf_high", "method", "vcov_type"]].round(2)
       estimate  conf_low  conf_high method vcov_type
    0      4.22       0.6      29.44    mle       cr0
    """
    where = "transition_hazard_ratio"
    _views.check_study(study, where)
    event = check_literal(event, Event, "event", where)
    window = check_days(window, "window", where, minimum=1)
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    max_gap = check_days(max_gap, "max_gap", where)
    n_placebo = check_whole(n_placebo, "n_placebo", where, maximum=100_000)
    seed = check_seed(seed, where)
    method = check_literal(method, HazardMethod, "method", where)
    conf_level = check_conf_level(conf_level, where)
    options = {"level": "relationship", "window": window, "event": event,
               "dormancy": dormancy, "max_gap": max_gap, "leaders": "none"}  # no slot columns
    ep = study.episodes(**options)
    known = ep.loc[ep["post_change"].notna()]
    if int(known["event"].sum()) == 0:
        hint = (" (with event='formal' a relationship ends when its last instrument was "
                "terminated or withdrawn, or ended otherwise at least max_gap = "
                f"{max_gap} days before as_of; try event='dormant' for the de facto end)"
                if event == "formal" else "")
        raise ValidationError(f"{where}: no relationship with known leadership ended by as_of "
                              f"{study.as_of.date()}, so there is no hazard to compare{hint}")
    if known["post_change"].nunique() < 2:
        raise ValidationError(f"{where}: post_change does not vary (no episode "
                              f"{'after' if not known['post_change'].any() else 'outside'} a "
                              f"{window}-day window of a leader change); a hazard ratio needs both")
    rows, n_excluded = _rows(ep)
    how, screen, separated, warned = _choose(rows, conf_level, method)
    if how == "mle":
        fit, n_units = screen, int(rows["unit"].nunique())
        for w in warned:  # the screening fit is the fit: its warnings stand
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    else:
        fit, n_units = _fit(rows, conf_level, how)
    hr = float(fit.summary["exp_coef"].iloc[0])
    placebo = _placebo_draws(study, options, conf_level, how, n_placebo, seed, hr)
    return _hazard_row(fit, how, window, separated, n_units, n_excluded, n_placebo, placebo)


def _placebo_draws(study: Study, options: dict, conf_level: float, how: str, n_placebo: int,
                   seed, hr: float) -> dict:
    """Placebo hazard ratios refitted as ``how``: fitted draws, quantiles and p-value."""
    draws = np.full(n_placebo, np.nan)
    if n_placebo:
        from continuity.coxph import ConvergenceWarning

        rng = np.random.default_rng(seed)
        for b in range(n_placebo):
            placebo = _placebo_study(study, rng)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", ConvergenceWarning)
                    pfit = _fit(_rows(placebo.episodes(**options))[0], conf_level, how)[0]
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
    return {"n_placebo": len(ok), "q025": q025, "q50": q50, "q975": q975, "p": p_perm}


def _hazard_row(fit, how: str, window: int, separated: bool, n_units: int, n_excluded: int,
                n_placebo: int, placebo: dict) -> pd.DataFrame:
    """The one-row result of transition_hazard_ratio."""
    s = fit.summary.iloc[0]
    if how == "firth" and placebo["n_placebo"]:
        primary, primary_p = "placebo", placebo["p"]
    else:
        primary = {"firth": "penalized_likelihood_ratio", "cr2": "robust_t",
                   "mle": "robust_z"}[how]
        primary_p = float(s["p_value"])
    return pd.DataFrame({
        "term": ["post_change"],
        "window": [window],
        "estimate": [float(s["exp_coef"])],
        "conf_low": [float(s["conf_low"])],
        "conf_high": [float(s["conf_high"])],
        "coef": [float(s["coef"])],
        "robust_se": [float(s["robust_se"]) if how != "firth" else np.nan],
        "df": [float(s["df"])],
        "p_value": [float(s["p_value"])],
        "method": ["firth" if how == "firth" else "mle"],
        "conf_type": [fit.conf_type],
        "vcov_type": [fit.vcov_type if fit.vcov_type is not None else "model"],
        "primary_test": [primary],
        "primary_p_value": [primary_p],
        "separation": [separated],
        "n": [int(fit.n)],
        "n_units": [int(n_units)],
        "n_clusters": [int(fit.n_clusters) if fit.n_clusters is not None else int(n_units)],
        "n_events": [int(fit.n_events)],
        "n_excluded_units": [int(n_excluded)],
        "n_placebo": [placebo["n_placebo"]],
        "n_placebo_failed": [n_placebo - placebo["n_placebo"]],
        "placebo_q025": [placebo["q025"]],
        "placebo_median": [placebo["q50"]],
        "placebo_q975": [placebo["q975"]],
        "placebo_p_value": [placebo["p"]],
    }, columns=HAZARD_COLUMNS)


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
