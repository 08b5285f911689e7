"""Target attainment and budget realisation, from the ``targets`` table.

A cooperation plan sets targets per indicator and period (events held, students exchanged,
investment realised) and a budget per year; these metrics compare what was done with what was
planned, per instrument, goal and administration. No public record holds targets or budgets for
Solo or Bandung: the examples use :func:`continuity.simulate.simulate_study`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity._options import DEFAULTS, check_conf_level, check_literal
from continuity.errors import OptionError, ValidationError
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["budget_realisation", "target_attainment"]

#: Groups of :func:`target_attainment`.
TargetKey = Literal["agreement_id", "relationship_id", "indicator", "objective", "year",
                    "jurisdiction", "administration"]
#: Groups of :func:`budget_realisation`.
BudgetKey = Literal["agreement_id", "relationship_id", "objective", "year", "jurisdiction",
                    "administration"]

ATTAINMENT_COLUMNS = ["n", "n_met", "estimate", "conf_low", "conf_high", "attainment",
                      "attainment_uncapped", "target_total", "actual_total",
                      "attainment_of_totals"]
BUDGET_COLUMNS = ["n", "planned", "realised", "estimate", "n_overspent"]


def keys_of(by, vocabulary, where: str) -> list[str]:
    """``by`` as a list of keys from ``vocabulary`` (OptionError otherwise)."""
    if by is None:
        return []
    if isinstance(by, str):
        keys = [by]
    elif isinstance(by, Sequence):
        keys = list(by)
    else:
        raise OptionError(f"{where}: by must be None, a key or a list of keys, not {by!r}")
    for k in keys:
        check_literal(k, vocabulary, "each of by", where)
    if len(set(keys)) != len(keys):
        raise OptionError(f"{where}: by repeats a key ({', '.join(keys)}); give each once")
    return keys


def credited(study: Study, df: pd.DataFrame, keys: list[str], focal) -> pd.DataFrame:
    """Rows of ``targets`` with ``relationship_id``, ``year`` and the credited party.

    Each row is credited to its period's last day, ``period_end`` less one day (periods are
    ``[period_start, period_end)``): ``year`` is that day's year, and the administration of
    each party (or of the focal party) in office on it (``by_party``).
    """
    rel = study.agreements[["agreement_id", "relationship_id"]]
    df = df.merge(rel, on="agreement_id", how="left")
    df["_date"] = df["period_end"] - pd.Timedelta(days=1)
    df["year"] = df["_date"].dt.year.astype(np.int64)
    if focal is not None or "jurisdiction" in keys or "administration" in keys:
        df = _views.by_party(study, df, date="_date" if "administration" in keys else None,
                        focal=focal)
    return df


def group_keys(keys: list[str]) -> list[str]:
    out = list(keys)
    if "administration" in out:
        out.insert(out.index("administration") + 1, "administration_start")
    return out


def _targets_of(study: Study, where: str) -> pd.DataFrame:
    t = study.targets
    if t is None:
        raise ValidationError([f"{where}: the study has no targets table; build it with "
                               "targets=... (agreement_id, indicator, period_start, period_end, "
                               "target, actual)"])
    return t.reset_index(drop=True)


def _check_targets(t: pd.DataFrame, where: str) -> pd.DataFrame:
    """Weights (1 when the column is absent) and targets usable for attainment."""
    zero = (t["target"] == 0).to_numpy()
    if zero.any():
        rows = ", ".join(map(str, np.flatnonzero(zero)[:5]))
        raise ValidationError([f"{where}: targets: {int(zero.sum())} rows have target 0, so "
                               f"actual / target is undefined (rows {rows}); give the planned "
                               "amount, or leave the indicator out of the table"])
    if "weight" not in t.columns:
        return t.assign(weight=1.0)
    bad = (t["weight"].isna() | (t["weight"] < 0)).to_numpy()
    if bad.any():
        rows = ", ".join(map(str, np.flatnonzero(bad)[:5]))
        raise ValidationError([f"{where}: targets: {int(bad.sum())} rows have a missing or "
                               f"negative weight (rows {rows}); give every row a weight of 0 "
                               "or more, or drop the weight column for equal weights"])
    return t


def target_attainment(
    study: Study,
    *,
    by=("agreement_id",),
    focal: str | None = None,
    budget_indicator: str | None = "budget",
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Actual against target, per indicator, instrument, goal or administration.

    Parameters
    ----------
    study : Study
        With a ``targets`` table.
    by : str, sequence of str or None, default ("agreement_id",)
        Groups, any of ``"agreement_id"``, ``"relationship_id"``, ``"indicator"``,
        ``"objective"`` (the goal), ``"year"`` (of the period's last day), ``"jurisdiction"``
        (each party: a target counts once per party) and ``"administration"`` (the party's
        administration in office on the period's last day). None pools every target.
    focal : str, optional
        Only the instruments this jurisdiction is party to; ``jurisdiction`` and
        ``administration`` then refer to it.
    budget_indicator : str or None, default "budget"
        Rows of this indicator are budgets (planned and realised amounts, see
        :func:`budget_realisation`) and are left out; None keeps every row.
    conf_level : float, default 0.95
        Level of the Wilson interval of the share of targets met.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the keys (with ``administration_start`` after
        ``administration``), then:

        ``n``, ``n_met``
            targets, and targets met (``actual >= target``).
        ``estimate``, ``conf_low``, ``conf_high``
            the share of targets met and its Wilson interval.
        ``attainment``
            the weighted mean of ``min(actual / target, 1)`` (weights ``weight``, else equal).
        ``attainment_uncapped``
            the weighted mean of ``actual / target`` (overshooting one target can make up for
            another).
        ``target_total``, ``actual_total``, ``attainment_of_totals``
            sums of targets and actuals and their ratio (meaningful when the indicators of a
            group share a unit; unchanged when a period is split in two and its target and
            actual with it).

    Raises
    ------
    continuity.ValidationError
        No targets table; a target of 0; a missing or negative weight.
    continuity.errors.OptionError
        An unknown key or option, a ``focal`` that is not a party.

    Notes
    -----
    Attainment of one target is :math:`a/t`; capped, :math:`\\min(a/t, 1)`. A group's
    attainment is :math:`\\sum_k w_k \\min(a_k/t_k, 1) / \\sum_k w_k` (NaN when the weights sum
    to 0). The share met :math:`m/n` has Wilson's interval (Wilson 1927), as R's
    ``prop.test(m, n, correct = FALSE)``; targets of one instrument are not independent, and
    the interval assumes they are. A target is credited to the administration in office on
    the last day of its period, the day its actual is known.

    Examples
    --------
    >>> import continuity as ct
    >>> sim = ct.simulate.simulate_study(200, 8, target_attainment=0.8, seed=1)
    >>> t = ct.metrics.target_attainment(sim, by=None)
    >>> t[["n", "attainment", "attainment_of_totals"]].round(2)
          n  attainment  attainment_of_totals
    0  1262        0.79                   0.8
    """
    where = "target_attainment"
    _views.check_study(study, where)
    keys = keys_of(by, TargetKey, where)
    focal = _views.check_focal(study, focal, where)
    conf_level = check_conf_level(conf_level, where)
    if budget_indicator is not None and not isinstance(budget_indicator, str):
        raise OptionError(f"{where}: budget_indicator must be an indicator name or None, not "
                          f"{budget_indicator!r}")
    t = _targets_of(study, where)
    if budget_indicator is not None:
        t = t[(t["indicator"] != budget_indicator).to_numpy()].reset_index(drop=True)
    t = _check_targets(t, where)
    _check_objective(t, keys, where)
    t = credited(study, t, keys, focal)
    ratio = t["actual"] / t["target"]
    t = t.assign(_met=(t["actual"] >= t["target"]).astype(np.int64),
                 _wcap=t["weight"] * np.minimum(ratio, 1.0), _wraw=t["weight"] * ratio)
    gk = group_keys(keys)
    g = t.assign(_g=0).groupby(gk or ["_g"], dropna=False, sort=True)
    out = g.agg(n=("_met", "size"), n_met=("_met", "sum"), _w=("weight", "sum"),
                _wcap=("_wcap", "sum"), _wraw=("_wraw", "sum"),
                target_total=("target", "sum"), actual_total=("actual", "sum")).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["attainment"] = np.where(out["_w"] > 0, out["_wcap"] / out["_w"], np.nan)
        out["attainment_uncapped"] = np.where(out["_w"] > 0, out["_wraw"] / out["_w"], np.nan)
        out["attainment_of_totals"] = out["actual_total"] / out["target_total"]
    ci = _summaries.wilson_table(out["n_met"], out["n"], conf_level)
    out[["estimate", "conf_low", "conf_high"]] = ci.to_numpy()
    out["n"] = out["n"].astype(np.int64)
    out["n_met"] = out["n_met"].astype(np.int64)
    return out[[*gk, *ATTAINMENT_COLUMNS]].reset_index(drop=True)


def _check_objective(t: pd.DataFrame, keys: list[str], where: str) -> None:
    if "objective" in keys and "objective" not in t.columns:
        raise OptionError(f"{where}: by='objective' needs an objective column in targets (the "
                          "goal of each indicator); add it or leave 'objective' out of by")


def budget_realisation(
    study: Study,
    *,
    by=("agreement_id", "year"),
    focal: str | None = None,
    indicator: str = "budget",
) -> pd.DataFrame:
    """Realised against planned spending, per instrument-year, administration or goal.

    Parameters
    ----------
    study : Study
        With a ``targets`` table holding budget rows: ``indicator`` equal to ``indicator``,
        ``target`` the planned amount and ``actual`` the realised amount of the period (one
        currency throughout).
    by : str, sequence of str or None, default ("agreement_id", "year")
        Groups, any of ``"agreement_id"``, ``"relationship_id"``, ``"objective"``,
        ``"year"`` (of the period's last day), ``"jurisdiction"``, ``"administration"`` (in
        office on the period's last day); None pools every budget.
    focal : str, optional
        Only the instruments this jurisdiction is party to.
    indicator : str, default "budget"
        The indicator of the budget rows.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by the keys, then ``n`` (budget rows), ``planned``,
        ``realised`` (sums), ``estimate`` (``realised / planned``; NaN when nothing was
        planned) and ``n_overspent`` (rows with realised above planned).

    Raises
    ------
    continuity.ValidationError
        No targets table, or no row of the budget indicator (the message lists those there
        are).
    continuity.errors.OptionError
        An unknown key, a bad ``focal`` or ``indicator``.

    Notes
    -----
    Realisation is :math:`\\sum \\text{realised} / \\sum \\text{planned}` over a group's rows,
    the figure a regional budget report (*realisasi anggaran*) gives; it has no interval,
    the amounts being the accounts themselves rather than a sample.

    Examples
    --------
    >>> import continuity as ct
    >>> sim = ct.simulate.simulate_study(200, 8, budget_realisation=0.85, seed=1)
    >>> b = ct.metrics.budget_realisation(sim, by=None)
    >>> b[["n", "estimate"]].round(2)
          n  estimate
    0  1262      0.85
    """
    where = "budget_realisation"
    _views.check_study(study, where)
    keys = keys_of(by, BudgetKey, where)
    focal = _views.check_focal(study, focal, where)
    if not isinstance(indicator, str):
        raise OptionError(f"{where}: indicator must be the name of the budget indicator, not "
                          f"{indicator!r}")
    t = _targets_of(study, where)
    t = t[(t["indicator"] == indicator).to_numpy()].reset_index(drop=True)
    if t.empty:
        known = ", ".join(sorted(map(repr, _targets_of(study, where)["indicator"].unique())))
        raise ValidationError([f"{where}: targets has no row of indicator {indicator!r} "
                               f"(indicators: {known}); give indicator=... the name of the "
                               "budget rows"])
    _check_objective(t, keys, where)
    t = credited(study, t, keys, focal)
    t = t.assign(_over=(t["actual"] > t["target"]).astype(np.int64))
    gk = group_keys(keys)
    out = t.assign(_g=0).groupby(gk or ["_g"], dropna=False, sort=True).agg(
        n=("_over", "size"), planned=("target", "sum"), realised=("actual", "sum"),
        n_overspent=("_over", "sum")).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["estimate"] = np.where(out["planned"] > 0, out["realised"] / out["planned"],
                                   np.nan)
    out["n"] = out["n"].astype(np.int64)
    out["n_overspent"] = out["n_overspent"].astype(np.int64)
    return out[[*gk, *BUDGET_COLUMNS]].reset_index(drop=True)
