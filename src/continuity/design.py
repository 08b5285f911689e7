r"""Power and design by simulation: how many relationships a study needs.

:func:`power` draws many studies from a :class:`Design` with
:func:`continuity.simulate.simulate_study`, fits the metric the study will use to each, and
summarises the fits: power with its Monte Carlo interval, the distribution of the estimate
against the truth, the events and transitions drawn. :func:`power_curve` does so over a grid of
sizes or effects, and :func:`schoenfeld_events` is the closed form of the Cox case that the
simulation is checked against.

Replications run through joblib: one after another by default, on local cores with ``n_jobs``,
and on a Dask cluster inside ``with joblib.parallel_backend("dask"):``. Each replication draws
from its own child of ``numpy.random.SeedSequence(seed)``, so the results are the same whatever
the backend and the number of workers.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from continuity._options import (
    check_conf_level,
    check_flag,
    check_literal,
    check_number,
    check_seed,
    check_whole,
)
from continuity.errors import ContinuityTypeError, DependencyError, OptionError

__all__ = [
    "Design",
    "power",
    "power_curve",
    "schoenfeld_events",
    "schoenfeld_power",
    "simulate_replications",
]

#: The metric and test of a simulated study: the transition hazard ratio (Cox on episodes with
#: ``post_change``), the pooled activity-change rate ratio, the event study's rate ratio.
PowerMetric = Literal["hazard_ratio", "activity_change", "event_study"]
#: The alternative hypothesis of the test (``"less"``: the effect is below 1).
Alternative = Literal["two-sided", "less", "greater"]
#: The Monte Carlo interval of a power: Wilson's score interval or Clopper-Pearson's exact one.
PowerInterval = Literal["wilson", "exact"]

_DAYS_PER_YEAR = 365.25
_AS_OF = pd.Timestamp("2019-12-31")


@dataclass(frozen=True)
class Design:
    """A study to be run: its size, its leadership turnover, its follow-up and activity.

    Each relationship is one instrument between two jurisdictions drawn at random, signed on a
    day uniform in the follow-up (:func:`continuity.simulate.simulate_study` gives the model).

    Parameters
    ----------
    n_relationships : int, default 2000
        Relationships (one instrument each).
    n_jurisdictions : int, default 100
        Jurisdictions, at least 2; each relationship joins two of them.
    term_years : float, default 5.0
        Mean length of a regular term of the leadership office, in years.
    caretaker_share : float, default 0.1
        Share of regular terms followed by a caretaker spell (30 to 365 days).
    reelection_share : float, default 0.3
        Share of regular terms won by the holder of the previous one (no leader change).
    median_lifetime_years : float, default 8.0
        Median lifetime of a relationship never exposed to a leader change, in years.
    follow_up_years : float, default 10.0
        Years from the first possible signing to the censoring date (2019-12-31).
    window : int, default 365
        Days after a leader change during which the effect acts and ``post_change`` is 1.
    activity_rate : float, default 4.0
        Activities per relationship-year outside the windows after a change.

    Raises
    ------
    OptionError
        A value is out of range, or no leader change is possible (every term a re-election and
        no caretakers); the message names the fix.

    Examples
    --------
    >>> from continuity.design import Design
    >>> Design(n_relationships=300, term_years=5).n_relationships
    300
    """

    n_relationships: int = 2000
    n_jurisdictions: int = 100
    term_years: float = 5.0
    caretaker_share: float = 0.1
    reelection_share: float = 0.3
    median_lifetime_years: float = 8.0
    follow_up_years: float = 10.0
    window: int = 365
    activity_rate: float = 4.0

    def __post_init__(self) -> None:
        where = "Design"
        fix = object.__setattr__
        fix(self, "n_relationships", check_whole(self.n_relationships, "n_relationships", where,
                                                 minimum=1))
        fix(self, "n_jurisdictions", check_whole(self.n_jurisdictions, "n_jurisdictions", where,
                                                 minimum=2))
        for name in ("term_years", "median_lifetime_years", "follow_up_years"):
            fix(self, name, check_number(getattr(self, name), name, where, minimum=0,
                                         exclusive=True, unit="years"))
        for name in ("caretaker_share", "reelection_share"):
            fix(self, name, _share(getattr(self, name), name, where))
        fix(self, "window", check_whole(self.window, "window", where, minimum=1, unit="days"))
        fix(self, "activity_rate", check_number(self.activity_rate, "activity_rate", where,
                                                minimum=0, unit="per relationship-year"))
        if self.reelection_share == 1.0 and self.caretaker_share == 0.0:
            raise OptionError(f"{where}: no leader change is possible: every term is won by the "
                              "previous holder (reelection_share=1) and none is followed by a "
                              "caretaker (caretaker_share=0); give reelection_share below 1 "
                              "or caretaker_share above 0")
        if self.follow_up_years * _DAYS_PER_YEAR < 2:
            raise OptionError(f"{where}: follow_up_years={self.follow_up_years:g} leaves no day "
                              "after signing for a leader change; give at least one year")

    def simulate(self, effect: float = 1.0, metric: str = "hazard_ratio", *, seed: Any = None):
        """One study drawn from this design with ``effect`` acting as ``metric`` measures it.

        With ``metric="hazard_ratio"``, ``effect`` is the hazard ratio after a leader change and
        no activities are drawn; otherwise it is the ratio of the activity rate after a change.

        Examples
        --------
        >>> from continuity.design import Design
        >>> design = Design(n_relationships=50, n_jurisdictions=10)
        >>> design.simulate(0.7, "activity_change", seed=1).summary()
                table  rows  fuzzy_dates
        0       terms    32            0
        1  agreements    50            0
        2     parties   100            0
        3  activities   833            0
        """
        from continuity.simulate import simulate_study

        on_hazard = metric == "hazard_ratio"
        start = _AS_OF - pd.Timedelta(days=round(self.follow_up_years * _DAYS_PER_YEAR))
        return simulate_study(
            self.n_relationships, self.n_jurisdictions, term_years=self.term_years,
            caretaker_share=self.caretaker_share, reelection_share=self.reelection_share,
            median_lifetime=self.median_lifetime_years * _DAYS_PER_YEAR,
            hazard_ratio=effect if on_hazard else 1.0, window=self.window,
            start=start.strftime("%Y-%m-%d"), as_of=_AS_OF.strftime("%Y-%m-%d"),
            activity_rate=None if on_hazard else self.activity_rate / _DAYS_PER_YEAR,
            activity_ratio=1.0 if on_hazard else effect, seed=seed)


def _share(value: object, name: str, where: str) -> float:
    number = check_number(value, name, where, minimum=0)
    if number > 1:
        raise OptionError(f"{where}: {name} must be a share from 0 to 1, not {number:g}")
    return number


# ------------------------------------------------------------------------ one replication
@dataclass(frozen=True)
class _Settings:
    metric: str
    alternative: str
    alpha: float
    conf_level: float
    small_sample: bool


def _replicate(design: Design, effect: float, settings: _Settings,
               seed: np.random.SeedSequence) -> dict[str, float]:
    """Draw one study, fit the metric, and return its estimate, test and counts."""
    study = design.simulate(effect, settings.metric, seed=np.random.default_rng(seed))
    fit = {"hazard_ratio": _fit_cox, "activity_change": _fit_activity,
           "event_study": _fit_event_study}[settings.metric]
    # no warnings are caught here: catch_warnings is not thread-safe, and a threaded backend
    # (Dask with processes=False) would then make the replications depend on their neighbours
    try:
        row = fit(study, design, settings)
    except ValueError:  # no events, no exposed time: nothing to estimate in this draw
        row = {"estimate": np.nan, "conf_low": np.nan, "conf_high": np.nan,
               "p_value": np.nan, "failed": True}
    row.setdefault("failed", not np.isfinite(row["estimate"]))
    row.setdefault("unstable", False)
    row["unit_years"] = _unit_years(study)
    return row


def _unit_years(study) -> float:
    agreements = study.agreements
    stop = agreements["ended"].fillna(study.as_of)
    return float((stop - agreements["signed"]).dt.days.sum() / _DAYS_PER_YEAR)


def _final_changes(units: pd.Series, changes: pd.Series) -> int:
    """Leader changes each unit went through, summed: the last row of each unit's count."""
    key = units.to_numpy()
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    return int(changes.to_numpy()[last].sum())


def _fit_cox(study, design: Design, settings: _Settings) -> dict[str, float]:
    from continuity.coxph import cox

    ep = study.episodes(window=design.window)
    small = settings.small_sample
    fit = cox(ep, ["post_change"], cluster="agreement_id", conf_level=settings.conf_level,
              vcov_type="cr2" if small else "cr0", ties="breslow" if small else "efron")
    row = fit.summary.iloc[0]
    events = ep["event"].to_numpy(dtype=bool)
    exposed = ep["post_change"].to_numpy(dtype=bool)
    return {"estimate": float(row["exp_coef"]), "conf_low": float(row["conf_low"]),
            "conf_high": float(row["conf_high"]),
            "p_value": _one_sided(float(row["p_value"]), float(row["coef"]), settings),
            "n_events": float(events.sum()),
            "n_transitions": float(_final_changes(ep["agreement_id"], ep["changes"])),
            "exposed_event_share": float(exposed[events].mean()) if events.any() else np.nan,
            "unstable": bool(not fit.converged or row["separation"])}


def _fit_activity(study, design: Design, settings: _Settings) -> dict[str, float]:
    from continuity.metrics import activity_change

    row = activity_change(study, window=design.window, by=None, level="instrument",
                          conf_level=settings.conf_level).iloc[0]
    n_after, n_before = int(row["n_after"]), int(row["n_before"])
    p = float(row["p_value"])
    if settings.alternative != "two-sided" and n_after + n_before > 0:
        share = row["exposure_after"] / (row["exposure_after"] + row["exposure_before"])
        p = float(stats.binom.cdf(n_after, n_after + n_before, share)
                  if settings.alternative == "less"
                  else stats.binom.sf(n_after - 1, n_after + n_before, share))
    return {"estimate": float(row["estimate"]), "conf_low": float(row["conf_low"]),
            "conf_high": float(row["conf_high"]), "p_value": p,
            "n_events": float(n_after + n_before), "n_transitions": float(row["n_transitions"])}


def _fit_event_study(study, design: Design, settings: _Settings) -> dict[str, float]:
    from continuity.event_studies import event_study

    panel = study.panel(freq="year")
    result = event_study(panel, conf_level=settings.conf_level)
    row = result.table.set_index("relative").loc[0]
    return {"estimate": float(row["estimate"]), "conf_low": float(row["conf_low"]),
            "conf_high": float(row["conf_high"]),
            "p_value": _one_sided(float(row["p_value"]), float(row["coef"]), settings),
            "n_events": float(panel["n_activities"].sum()),
            "n_transitions": float(_final_changes(panel["agreement_id"], panel["changes"]))}


def _one_sided(p_two: float, coef: float, settings: _Settings) -> float:
    """The one-sided p-value from a symmetric two-sided one (a z or t test of ``coef``)."""
    if settings.alternative == "two-sided" or not np.isfinite(p_two):
        return p_two
    toward = coef < 0 if settings.alternative == "less" else coef > 0
    return p_two / 2 if toward else 1 - p_two / 2


# --------------------------------------------------------------------------- arguments
def _check_design(design: object, where: str) -> Design:
    if not isinstance(design, Design):
        raise ContinuityTypeError(f"{where}: design must be a continuity.Design, not "
                                  f"{type(design).__name__}; build one with "
                                  "continuity.Design(n_relationships=..., ...)")
    return design


def _check_effect(effect: object, alternative: str, where: str) -> float:
    value = check_number(effect, "effect", where, minimum=0, exclusive=True, unit="ratio")
    if alternative == "greater" and value < 1:
        raise OptionError(f"{where}: effect={value:g} is a drop (below 1) but "
                          "alternative='greater' tests for a rise; give alternative='less' "
                          "or 'two-sided', or an effect of 1 or more")
    if alternative == "less" and value > 1:
        raise OptionError(f"{where}: effect={value:g} is a rise (above 1) but "
                          "alternative='less' tests for a drop; give alternative='greater' "
                          "or 'two-sided', or an effect of 1 or less")
    return value


def _settings(metric: object, alternative: object, alpha: object, conf_level: object,
              small_sample: object, where: str) -> _Settings:
    metric = check_literal(metric, PowerMetric, "metric", where)
    small = check_flag(small_sample, "small_sample", where)
    if small and metric != "hazard_ratio":
        raise OptionError(f"{where}: small_sample applies to metric='hazard_ratio' (the CR2 "
                          f"test of the Cox fit), not {metric!r}; leave it False")
    alpha = check_number(alpha, "alpha", where, minimum=0, exclusive=True)
    if alpha >= 1:
        raise OptionError(f"{where}: alpha must be a level strictly between 0 and 1, not "
                          f"{alpha:g}; use e.g. alpha=0.05")
    return _Settings(metric, check_literal(alternative, Alternative, "alternative", where),
                     float(alpha), check_conf_level(conf_level, where), small)


def _children(seed: object, n_sim: int, where: str) -> list[np.random.SeedSequence]:
    seed = check_seed(seed, where)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return root.spawn(n_sim)


def _check_jobs(n_jobs: object, where: str) -> int | None:
    if n_jobs is None:
        return None
    number = check_number(n_jobs, "n_jobs", where)
    if number == 0 or number != int(number):
        raise OptionError(f"{where}: n_jobs must be a whole number of workers other than 0 "
                          f"(-1 for every core), or None to run serially, not {n_jobs!r}")
    return int(number)


# ----------------------------------------------------------------------------- running
def _progress(items, total: int, show: bool | None, label: str):
    """``items`` with a tqdm bar when asked, or by default when stderr is a terminal."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, total=total, desc=label, leave=False)


def _run(tasks: list[tuple], n_jobs: int | None, show: bool | None, label: str) -> list[dict]:
    """``_replicate(*task)`` for every task, in order, serially or through joblib."""
    try:
        import joblib
    except ImportError:
        joblib = None
    if joblib is None:
        if n_jobs not in (None, 1):
            raise DependencyError(f"{label}: n_jobs={n_jobs} needs joblib: "
                                  "python -m pip install 'continuity[parallel]'")
        return [_replicate(*task) for task in _progress(tasks, len(tasks), show, label)]
    parallel = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
    out = parallel(joblib.delayed(_replicate)(*task) for task in tasks)
    return list(_progress(out, len(tasks), show, label))


def simulate_replications(
    design: Design,
    effect: float,
    *,
    metric: PowerMetric = "hazard_ratio",
    n_sim: int = 200,
    seed: Any = None,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    conf_level: float = 0.95,
    small_sample: bool = False,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """One row per simulated study: the estimate, its interval and test, the counts drawn.

    The replications behind :func:`power`; the arguments are :func:`power`'s.

    Returns
    -------
    pandas.DataFrame
        ``replication`` (0, 1, ...), ``estimate`` (the ratio), ``conf_low``, ``conf_high``,
        ``p_value`` (of the ``alternative``), ``rejected`` (``p_value < alpha``), ``covered``
        (the interval holds the true ``effect``; NA for the event study, whose truth is not
        ``effect``), ``n_events``, ``n_transitions``, ``unit_years`` (relationship-years of
        follow-up), ``exposed_event_share`` (Cox only: share of events in ``post_change``
        time), ``failed`` (nothing to estimate in that draw), ``unstable`` (Cox only: the
        fit did not converge or its coefficient runs to infinity).

    Examples
    --------
    >>> from continuity.design import Design, simulate_replications
    >>> reps = simulate_replications(Design(n_relationships=100, n_jurisdictions=10), 2.0,
    ...                              n_sim=3, seed=1)
    >>> reps[["replication", "rejected", "failed"]]
       replication  rejected  failed
    0            0      True   False
    1            1      True   False
    2            2     False   False
    """
    where = "simulate_replications"
    design = _check_design(design, where)
    settings = _settings(metric, alternative, alpha, conf_level, small_sample, where)
    effect = _check_effect(effect, settings.alternative, where)
    n_sim = check_whole(n_sim, "n_sim", where, minimum=1, unit="replications")
    n_jobs = _check_jobs(n_jobs, where)
    tasks = [(design, effect, settings, child) for child in _children(seed, n_sim, where)]
    rows = pd.DataFrame(_run(tasks, n_jobs, progress, f"power ({metric})"))
    rows.insert(0, "replication", np.arange(n_sim))
    if "exposed_event_share" not in rows:
        rows["exposed_event_share"] = np.nan
    rows["rejected"] = rows["p_value"].lt(settings.alpha)
    truth = np.nan if settings.metric == "event_study" else effect
    covered = (rows["conf_low"] <= truth) & (truth <= rows["conf_high"])
    rows["covered"] = covered.where(~rows["failed"] & np.isfinite(truth), pd.NA)
    cols = ["replication", "estimate", "conf_low", "conf_high", "p_value", "rejected",
            "covered", "n_events", "n_transitions", "unit_years", "exposed_event_share",
            "failed", "unstable"]
    return rows[cols]


# ----------------------------------------------------------------------------- summaries
def _mc_interval(successes: int, trials: int, interval: str, conf_level: float) -> tuple:
    if trials == 0:
        return np.nan, np.nan
    if interval == "exact":
        from continuity.proportions import exact_proportion

        out = exact_proportion(successes, trials, conf_level=conf_level)
    else:
        from continuity.rates import wilson_interval

        out = wilson_interval(successes, trials, conf_level=conf_level)
    return float(out["conf_low"].iloc[0]), float(out["conf_high"].iloc[0])


def schoenfeld_power(n_events: float, exposed_share: float, effect: float, *,
                     alpha: float = 0.05, alternative: str = "two-sided") -> float:
    r"""Power of the Cox test of a binary exposure by Schoenfeld's formula, given the events.

    See :func:`schoenfeld_events` for the formula; this solves it for the power.

    Examples
    --------
    >>> from continuity.design import schoenfeld_power
    >>> round(schoenfeld_power(191.0, 0.5, 1.5), 3)
    0.8
    """
    if not (np.isfinite(n_events) and 0 < exposed_share < 1):
        return np.nan
    z_alpha = stats.norm.ppf(1 - alpha / (2 if alternative == "two-sided" else 1))
    signal = np.sqrt(n_events * exposed_share * (1 - exposed_share)) * abs(np.log(effect))
    return float(stats.norm.cdf(signal - z_alpha))


def _summarise(reps: pd.DataFrame, design: Design, effect: float, settings: _Settings,
               interval: str) -> dict[str, Any]:
    """One row of :func:`power` from the replications."""
    n_sim = len(reps)
    ok = reps[~reps["failed"]]
    n_rejected = int(reps["rejected"].sum())
    low, high = _mc_interval(n_rejected, n_sim, interval, settings.conf_level)
    log_est = np.log(ok["estimate"].to_numpy(dtype=float))
    z = stats.norm.ppf(0.5 + settings.conf_level / 2)
    se = (np.log(ok["conf_high"].to_numpy(dtype=float))
          - np.log(ok["conf_low"].to_numpy(dtype=float))) / (2 * z)
    covered = ok["covered"].dropna().astype(bool)
    truth = np.nan if settings.metric == "event_study" else effect
    share = float(ok["exposed_event_share"].mean())
    events = float(reps["n_events"].mean())
    return {
        "metric": settings.metric, "effect": effect, "alternative": settings.alternative,
        "alpha": settings.alpha, **dataclasses.asdict(design),
        "n_sim": n_sim, "n_failed": int(reps["failed"].sum()), "n_rejected": n_rejected,
        "power": n_rejected / n_sim, "power_low": low, "power_high": high,
        "estimate_mean": float(ok["estimate"].mean()),
        "estimate_median": float(ok["estimate"].median()),
        "log_bias": float(np.mean(log_est) - np.log(truth)) if len(ok) else np.nan,
        "log_sd": float(np.std(log_est, ddof=1)) if len(ok) > 1 else np.nan,
        "log_se_mean": float(np.mean(se[np.isfinite(se)])) if np.isfinite(se).any() else np.nan,
        "coverage": float(covered.mean()) if len(covered) else np.nan,
        "n_events": events, "n_transitions": float(reps["n_transitions"].mean()),
        "unit_years": float(reps["unit_years"].mean()),
        "schoenfeld_power": schoenfeld_power(events, share, effect, alpha=settings.alpha,
                                             alternative=settings.alternative)
        if settings.metric == "hazard_ratio" else np.nan,
        "n_unstable": int(reps["unstable"].sum()),
    }


def power(
    design: Design,
    effect: float,
    *,
    metric: PowerMetric = "hazard_ratio",
    n_sim: int = 200,
    seed: Any = None,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    conf_level: float = 0.95,
    small_sample: bool = False,
    interval: PowerInterval = "wilson",
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    r"""Power of a study by simulation, with the distribution of its estimate.

    Draws ``n_sim`` studies from ``design`` with the true ``effect``, fits ``metric`` to each
    and tests it at level ``alpha``.

    Parameters
    ----------
    design : Design
        The study to be run.
    effect : float
        The true ratio: with ``metric="hazard_ratio"`` the hazard ratio of ending in the
        ``design.window`` days after a leader change; with the activity metrics the ratio of
        the activity rate in those days to the rate outside them (0.7: a 30% drop).
    metric : {"hazard_ratio", "activity_change", "event_study"}, default "hazard_ratio"
        ``"hazard_ratio"``: :func:`continuity.cox` of ``post_change`` on the relationships'
        episodes, clustered by relationship (with ``small_sample``, the CR2 variance and its
        Satterthwaite t test, Breslow ties). ``"activity_change"``: the pooled rate ratio of
        :func:`continuity.metrics.activity_change` (activities in the ``window`` days after
        each leader change against as many days before it) with its exact conditional test.
        ``"event_study"``: the rate ratio of the year of the change in
        :func:`continuity.event_study` of the yearly panel (Poisson, two-way fixed effects);
        its target is not ``effect`` (the year mixes days inside and outside the window), so
        its bias and coverage are not reported, only its power.
    n_sim : int, default 200
        Replications, 1 or more. The Monte Carlo standard error of a power :math:`p` is
        :math:`\sqrt{p(1-p)/n_{sim}}`: 0.028 at 80% with 200.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Replication :math:`k` draws from child :math:`k` of ``numpy.random.SeedSequence(seed)``,
        so the results do not depend on ``n_jobs`` or the backend.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        The test's alternative: ``"less"`` for a drop (``effect`` at most 1).
    alpha : float, default 0.05
        The level of the test.
    conf_level : float, default 0.95
        Of the estimate's interval (its coverage is reported) and of the power's interval.
    small_sample : bool, default False
        With ``metric="hazard_ratio"``: the CR2 small-sample test of :func:`continuity.cox`.
    interval : {"wilson", "exact"}, default "wilson"
        The Monte Carlo interval of the power: Wilson's score interval or Clopper-Pearson's.
    n_jobs : int, optional
        Workers of ``joblib.Parallel`` (-1: every core). None runs serially, or on the backend
        of an enclosing ``joblib.parallel_backend(...)`` block, e.g. ``"dask"`` with a
        ``dask.distributed.Client`` open (the ``distributed`` extra).
    progress : bool, optional
        A progress bar (tqdm, when installed); by default only when stderr is a terminal.

    Returns
    -------
    pandas.DataFrame
        One row: ``metric``, ``effect``, ``alternative``, ``alpha``, the fields of ``design``,
        then

        ``n_sim``, ``n_failed``, ``n_rejected``
            replications; those with nothing to estimate (no event, no exposed time), which
            count as not rejected; those rejected.
        ``power``, ``power_low``, ``power_high``
            the share rejected and its Monte Carlo interval at ``conf_level``.
        ``estimate_mean``, ``estimate_median``
            of the estimated ratio over the replications that did not fail.
        ``log_bias``, ``log_sd``, ``log_se_mean``
            mean log estimate minus the log of ``effect``; the standard deviation of the log
            estimates; the mean standard error of a log estimate, read from its interval (close
            to ``log_sd`` when the errors are right).
        ``coverage``
            share of intervals that hold ``effect`` (NaN for the event study).
        ``n_events``, ``n_transitions``, ``unit_years``
            per replication, on average: events (ends for the hazard ratio, activities in the
            compared windows for ``activity_change``, all activities for the event study),
            leader changes the relationships went through (``activity_change``: the changes it
            pooled), relationship-years of follow-up.
        ``schoenfeld_power``
            for the hazard ratio, the power that Schoenfeld's formula gives for the mean number
            of events and the share of them after a change (see Notes); NaN otherwise.
        ``n_unstable``
            replications whose Cox fit did not converge or whose coefficient runs to infinity
            (separation); their warnings are shown as Python shows any warning.

    Raises
    ------
    OptionError
        ``n_sim`` below 1, an ``effect`` on the wrong side of 1 for a one-sided
        ``alternative``, an unknown ``metric``, a ``design`` in which no leader change is
        possible (raised by :class:`Design`); the message names the fix.
    ContinuityTypeError
        ``design`` is not a :class:`Design`.
    DependencyError
        ``n_jobs`` other than 1 without joblib (the ``parallel`` extra).

    Notes
    -----
    **Schoenfeld's formula.** For a Cox test of a binary exposure at level :math:`\alpha`,
    the power with :math:`D` events of which a share :math:`\pi` are exposed is about

    .. math::

        1 - \beta = \Phi\left(\sqrt{D\,\pi(1-\pi)}\;|\log\theta| - z_{1-\alpha/2}\right),

    (Schoenfeld, "Sample-size formula for the proportional-hazards regression model",
    Biometrics 39, 1983); :func:`schoenfeld_events` solves it for :math:`D`. With a
    time-varying exposure the information per event is the mean over event times of
    :math:`\pi_t(1-\pi_t)`, a little below :math:`\pi(1-\pi)` of the pooled share, so the
    formula is slightly optimistic. Against the simulation (``validation/POWER.md``, four
    designs sized by the formula for 80% power, 40 replications each): the formula's power
    (0.79 to 0.82) lies inside the 95% Monte Carlo interval of the simulated power (0.75 to
    0.80) at every point, the largest gap 0.053 against a Monte Carlo standard error of 0.063;
    ``tests/unit/test_power.py`` checks the agreement on a small design within three Monte
    Carlo standard errors.

    Examples
    --------
    >>> import continuity as ct
    >>> design = ct.Design(n_relationships=200, n_jurisdictions=20)
    >>> out = ct.power(design, 2.0, n_sim=4, seed=1)
    >>> out[["n_sim", "n_rejected", "power", "coverage"]]
       n_sim  n_rejected  power  coverage
    0      4           4    1.0       1.0
    """
    where = "power"
    interval = check_literal(interval, PowerInterval, "interval", where)
    reps = simulate_replications(design, effect, metric=metric, n_sim=n_sim, seed=seed,
                                 alternative=alternative, alpha=alpha, conf_level=conf_level,
                                 small_sample=small_sample, n_jobs=n_jobs, progress=progress)
    settings = _settings(metric, alternative, alpha, conf_level, small_sample, where)
    return pd.DataFrame([_summarise(reps, design, float(effect), settings, interval)])


def power_curve(
    design: Design,
    effect: float,
    *,
    vary: str = "n_relationships",
    values=(),
    **options: Any,
) -> pd.DataFrame:
    """:func:`power` at each point of a grid of sizes (or any field of the design) or effects.

    Parameters
    ----------
    design : Design
        The design at every point but for the field ``vary``.
    effect : float
        The true effect (unless ``vary="effect"``).
    vary : str, default "n_relationships"
        ``"effect"`` or a field of :class:`Design` (``n_relationships``, ``follow_up_years``,
        ``term_years``, ...).
    values : sequence
        The values of ``vary``, at least one.
    **options
        The keyword arguments of :func:`power` (``metric``, ``n_sim``, ``seed``, ``n_jobs``,
        ...). Every point uses the same ``seed`` (common random numbers), so the curve is
        smoother than independent draws would make it.

    Returns
    -------
    pandas.DataFrame
        One row of :func:`power` per value, in the order given.

    Examples
    --------
    >>> import continuity as ct
    >>> design = ct.Design(n_relationships=100, n_jurisdictions=20)
    >>> curve = ct.power_curve(design, 2.0, values=[100, 300], n_sim=3, seed=1)
    >>> curve[["n_relationships", "n_sim"]]
       n_relationships  n_sim
    0              100      3
    1              300      3
    """
    where = "power_curve"
    design = _check_design(design, where)
    fields = [f.name for f in dataclasses.fields(Design)]
    vary = check_literal(vary, Literal[("effect", *fields)], "vary", where)  # type: ignore[misc]
    values = list(np.atleast_1d(np.asarray(values, dtype=object)))
    if not values:
        raise OptionError(f"{where}: values is empty; give the values of {vary} to compute "
                          "the power at, e.g. values=[500, 1000, 2000]")
    rows = []
    for value in values:
        point = (design, value) if vary == "effect" else (
            dataclasses.replace(design, **{vary: value}), effect)
        rows.append(power(*point, **options))
    return pd.concat(rows, ignore_index=True)


def schoenfeld_events(effect: float, *, power: float = 0.8, alpha: float = 0.05,
                      exposed_share: float = 0.5, alternative: Alternative = "two-sided") -> float:
    r"""Events a Cox test needs to detect ``effect`` with ``power``, by Schoenfeld's formula.

    .. math::

        D = \frac{(z_{1-\alpha/2} + z_{1-\beta})^2}{\pi(1-\pi)\,(\log\theta)^2}

    with :math:`\pi` = ``exposed_share``, the share of events that are exposed (after a
    leader change), and :math:`z_{1-\alpha}` for a one-sided test (Schoenfeld, Biometrics 39,
    1983).

    Examples
    --------
    >>> from continuity.design import schoenfeld_events
    >>> round(schoenfeld_events(1.5), 1)
    191.0
    >>> round(schoenfeld_events(2.0, exposed_share=0.2), 1)
    102.1
    """
    where = "schoenfeld_events"
    alternative = check_literal(alternative, Alternative, "alternative", where)
    effect = check_number(effect, "effect", where, minimum=0, exclusive=True)
    if effect == 1:
        raise OptionError(f"{where}: effect=1 is no effect and needs infinitely many events; "
                          "give a ratio other than 1")
    for name, value in (("power", power), ("alpha", alpha), ("exposed_share", exposed_share)):
        if check_number(value, name, where, minimum=0, exclusive=True) >= 1:
            raise OptionError(f"{where}: {name} must lie strictly between 0 and 1, "
                              f"not {value!r}")
    z_alpha = stats.norm.ppf(1 - alpha / (2 if alternative == "two-sided" else 1))
    z_beta = stats.norm.ppf(power)
    return float((z_alpha + z_beta) ** 2
                 / (exposed_share * (1 - exposed_share) * np.log(effect) ** 2))
