"""Event studies of activity around leader changes, and discrete-time hazards, on a panel.

Estimators: a DataFrame in (a panel of :func:`continuity.build_panel`, or any table with the
same columns), a tidy result out; they never see the Study. Every estimate and standard error
agrees with R's ``glm``/``lm`` with factor fixed effects and ``sandwich::vcovCL`` (see
``tests/parity/r/glm.R``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from continuity._glm import fit_glm
from continuity._options import check_conf_level, check_literal, check_whole
from continuity.errors import ContinuityTypeError, OptionError, ValidationError

__all__ = ["EventStudyResult", "discrete_hazard", "event_study"]

#: The model of an event study: Poisson pseudo-maximum likelihood of counts, or least squares.
Model = Literal["poisson", "ols"]
#: Two-way fixed effects on the whole panel, or stacked clean comparisons per change cohort.
Estimator = Literal["twfe", "stacked"]
#: The link of a discrete-time hazard.
Link = Literal["cloglog", "logit"]
#: The baseline hazard: one level per period since entry, or a constant.
Baseline = Literal["duration", "none"]

TABLE_COLUMNS = ["relative", "term", "reference", "estimate", "coef", "std_error", "z",
                 "p_value", "conf_low", "conf_high", "n"]
HAZARD_COLUMNS = ["term", "estimate", "coef", "std_error", "z", "p_value", "conf_low",
                  "conf_high", "n", "n_events"]


@dataclass(frozen=True)
class EventStudyResult:
    """An event study: one row per relative period, a pre-trend test and what was fitted.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per relative period from ``bins[0]`` to ``bins[1]``: ``relative`` (the period;
        the two ends stand for themselves and everything beyond), ``term`` (``rel_m3``,
        ``rel_0``, ...), ``reference`` (bool: the omitted period, estimate 1 or 0 and no
        standard error), ``estimate`` (a rate ratio for ``model="poisson"``, a difference for
        ``"ols"``), ``coef`` (the log rate ratio or the difference), ``std_error`` (of ``coef``,
        clustered), ``z``, ``p_value``, ``conf_low``, ``conf_high`` (on the scale of
        ``estimate``), ``n`` (rows in that relative period).
    pretrend : pandas.DataFrame
        One row: ``statistic`` (Wald chi-square that every pre-change coefficient is 0),
        ``df``, ``p_value``.
    model, estimator : str
    reference : int
    n_obs, n_units, n_clusters : int
        Rows, units and clusters fitted.
    dropped : pandas.DataFrame
        ``reason, n_rows``: rows left out of the fit and why (none are left out silently).
    """

    table: pd.DataFrame
    pretrend: pd.DataFrame
    model: str
    estimator: str
    reference: int
    n_obs: int
    n_units: int
    n_clusters: int
    dropped: pd.DataFrame


# ------------------------------------------------------------------------------- arguments


def _unit_columns(panel: pd.DataFrame, unit) -> list[str]:
    if unit is not None:
        return [unit] if isinstance(unit, str) else list(unit)
    if "relationship_id" in panel.columns and "spell" in panel.columns:
        return ["relationship_id", "spell"]
    if "agreement_id" in panel.columns:
        return ["agreement_id"]
    raise OptionError("event_study: give unit=, the column(s) naming a unit of the panel "
                      "(a panel of study.panel() has agreement_id or relationship_id, spell)")


def _default_cluster(panel: pd.DataFrame, units: list[str], cluster) -> str:
    if cluster is not None:
        return cluster
    return "relationship_id" if "relationship_id" in panel.columns else units[0]


def _check_frame(panel, where: str) -> None:
    if not isinstance(panel, pd.DataFrame):
        raise ContinuityTypeError(f"{where}: panel must be a pandas DataFrame (from "
                                  f"study.panel()), not {type(panel).__name__}")


def _check_columns(panel: pd.DataFrame, columns: list[str], where: str) -> None:
    _check_frame(panel, where)
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise OptionError(f"{where}: the panel has no column {', '.join(map(repr, missing))}; "
                          f"columns include {', '.join(map(repr, list(panel.columns)[:12]))}")


def _check_bins(bins, reference) -> tuple[int, int, int]:
    if not isinstance(bins, (tuple, list)) or len(bins) != 2:
        raise OptionError(f"event_study: bins must be a pair (lo, hi) of whole numbers of "
                          f"periods, e.g. (-3, 3), not {bins!r}")
    lo = check_whole(bins[0], "bins[0]", "event_study", minimum=-10**6)
    hi = check_whole(bins[1], "bins[1]", "event_study", minimum=-10**6)
    ref = check_whole(reference, "reference", "event_study", minimum=-10**6)
    if not lo <= ref <= hi or lo >= hi:
        raise OptionError(f"event_study: bins {(lo, hi)} leave no reference period: "
                          f"reference={ref} must lie within [lo, hi] and lo < hi; give e.g. "
                          f"bins=(-3, 3) with reference=-1 (the period before the change)")
    return lo, hi, ref


# ------------------------------------------------------------------------------ event study


def event_study(
    panel: pd.DataFrame,
    outcome: str = "n_activities",
    *,
    relative: str = "periods_since_change",
    bins: tuple[int, int] = (-3, 3),
    reference: int = -1,
    changes: str | None = None,
    model: Model = "poisson",
    estimator: Estimator = "twfe",
    exposure: str | None = "exposure_days",
    unit: str | list[str] | None = None,
    period: str = "period",
    cluster: str | None = None,
    conf_level: float = 0.95,
) -> EventStudyResult:
    """Outcome by period relative to a leader change, with unit and period fixed effects.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel of :func:`continuity.build_panel` (``study.panel()``), or a table with the
        columns named below.
    outcome : str, default "n_activities"
        A count for ``model="poisson"`` (non-negative whole numbers), any number for ``"ols"``.
    relative : str, default "periods_since_change"
        Periods relative to the change (negative before it). Rows where it is NA belong to
        units with no change (controls, every dummy 0) when ``changes`` is 0 throughout the
        unit; other NA rows are left out and counted in ``dropped``.
    bins : (int, int), default (-3, 3)
        Relative periods at or beyond an end are binned into it.
    reference : int, default -1
        The omitted relative period (the period before the change).
    changes : str, optional
        The count of changes per row that ``relative`` is the clock of; default ``relative``
        with ``periods_since_change`` read as ``changes`` (``changes``, ``own_changes``,
        ``changes_2``, ...). It finds the units with no change (controls) and, for the
        stacked estimator, the clean controls.
    model : {"poisson", "ols"}, default "poisson"
        Poisson pseudo-maximum likelihood with offset ``log(exposure)`` (a rate ratio per
        relative period), or least squares (a difference, for continuous outcomes such as
        target attainment; no offset).
    estimator : {"twfe", "stacked"}, default "twfe"
        Two-way fixed effects on the whole panel, or the stacked estimator (see Notes).
    exposure : str or None, default "exposure_days"
        The exposure whose log is the Poisson offset; None for none.
    unit : str or list of str, optional
        The unit columns; default ``relationship_id, spell`` or ``agreement_id``.
    period : str, default "period"
        The calendar period column (period fixed effects).
    cluster : str, optional
        The cluster of the standard errors; default ``relationship_id`` when present, else the
        unit.
    conf_level : float, default 0.95

    Returns
    -------
    EventStudyResult
        ``.table`` (one row per relative period), ``.pretrend`` (the joint Wald test of the
        pre-change coefficients), ``.dropped``; see :class:`EventStudyResult`.

    Raises
    ------
    OptionError
        An unknown ``model`` or ``estimator``, ``bins`` that leave no reference period, a
        column that is not in the panel.
    ValidationError
        The outcome is not a count (for Poisson), or no row is in a relative period other than
        the reference (no variation in treatment), or a relative period cannot be told apart
        from the fixed effects.

    Notes
    -----
    The two-way fixed-effects (TWFE) fit is R's ``glm(y ~ rel_m3 + rel_m2 + rel_0 + ... +
    factor(unit) + factor(period) + offset(log(exposure)), family = poisson)`` with
    ``sandwich::vcovCL(fit, cluster = ~cluster)`` (HC0 with the G/(G-1) adjustment; for
    ``"ols"``, ``lm`` and HC1), fitted by iteratively reweighted least squares. Units whose
    outcome is 0 in every row carry no information under Poisson (their fixed effect is minus
    infinity) and are left out, as fixest does; ``dropped`` counts them.

    **Staggered changes.** When units change leader in different periods and the effect of a
    change varies with time since it or across cohorts, each TWFE coefficient is a weighted
    mix of the effects at its own relative period and, with weights that can be negative, of
    the effects at other relative periods, because earlier-changed units serve as controls
    for later ones (Sun and Abraham, "Estimating dynamic treatment effects in event studies
    with heterogeneous treatment effects", Journal of Econometrics 225(2), 2021;
    Goodman-Bacon, Journal of Econometrics 225(2), 2021). Leader changes also recur, so that
    the clock here is the nearest change. ``estimator="stacked"`` avoids the forbidden
    comparisons: for each cohort of units whose first change falls in period c it builds a
    data set of those units and of clean controls (units with no change, and no unknown
    changes, from c + lo to c + hi), keeps the periods c + lo .. c + hi, stacks the data sets
    with unit-by-stack and period-by-stack fixed effects, and fits the same model, clustered
    by the same cluster (Cengiz, Dube, Lindner and Zipperer, "The effect of minimum wages on
    low-wage jobs", Quarterly Journal of Economics 134(3), 2019; Baker, Larcker and Wang,
    Journal of Financial Economics 144(2), 2022). Its estimate at each relative period is a
    variance-weighted average of clean comparisons of the treated cohorts.

    Examples
    --------
    A synthetic panel: 200 units over 10 years, 150 of them changing leader in year 3-7, with
    activity 40% lower from the change on:

    >>> import numpy as np, pandas as pd
    >>> import continuity as ct
    >>> rng = np.random.default_rng(1)
    >>> unit, year = np.repeat(np.arange(200), 10), np.tile(np.arange(10), 200)
    >>> change = np.where(np.arange(200) < 150, rng.integers(3, 8, 200), -99)
    >>> rel = pd.array(np.where(change[unit] >= 0, year - change[unit], 0), dtype="Int64")
    >>> rel[change[unit] < 0] = pd.NA
    >>> rate = np.exp(1 + rng.normal(0, 0.5, 200)[unit] + np.log(0.6) * (rel.fillna(-1) >= 0))
    >>> panel = pd.DataFrame({"agreement_id": unit, "period": year, "exposure_days": 365,
    ...                       "periods_since_change": rel, "changes": (rel == 0).fillna(False),
    ...                       "n_activities": rng.poisson(np.asarray(rate, dtype=float))})
    >>> fit = ct.event_study(panel, bins=(-2, 2))
    >>> cols = ["relative", "reference", "estimate", "n"]
    >>> print(fit.table[cols].round(2).to_string(index=False))
     relative  reference  estimate   n
           -2      False      0.98 626
           -1       True      1.00 150
            0      False      0.65 150
            1      False      0.67 150
            2      False      0.66 424
    >>> fit.pretrend["df"].item()
    1
    """
    where = "event_study"
    _check_frame(panel, where)
    check_literal(model, Model, "model", where)
    check_literal(estimator, Estimator, "estimator", where)
    conf_level = check_conf_level(conf_level, where)
    lo, hi, ref = _check_bins(bins, reference)
    units = _unit_columns(panel, unit)
    cluster = _default_cluster(panel, units, cluster)
    changes = changes if changes is not None else _changes_column(relative)
    needed = [outcome, relative, period, cluster, changes, *units]
    if model == "poisson" and exposure is not None:
        needed.append(exposure)
    _check_columns(panel, needed, where)
    data, reasons = _event_rows(panel, outcome, relative, changes, units)
    _check_outcome(data, outcome, model)
    terms = [_term(k) for k in range(lo, hi + 1) if k != ref]
    if estimator == "stacked":
        data = _stack(data, relative, changes, period, units, lo, hi)
    if model == "poisson":
        stacked = ["stack"] if estimator == "stacked" else []
        data = _drop_all_zero(data, outcome, [*units, *stacked], [period, *stacked], reasons)
    dropped = pd.DataFrame({"reason": list(reasons), "n_rows": list(reasons.values())},
                           columns=["reason", "n_rows"])
    binned = np.clip(data[relative].to_numpy(dtype=float), lo, hi)
    dummies = np.column_stack([(binned == k) for k in range(lo, hi + 1) if k != ref]) \
        .astype(float)
    n_in = [int(np.sum(binned == k)) for k in range(lo, hi + 1)]
    if not dummies.any():
        raise ValidationError([f"{where}: no variation in treatment: no row of the panel has "
                               f"{relative} in [{lo}, {hi}] other than the reference {ref} "
                               "(no unit changes leader in its rows); an event study needs "
                               "changes, e.g. a longer panel or relative='periods_since_change'"])
    if n_in[ref - lo] == 0:
        raise ValidationError([f"{where}: no row is in the reference period {relative} = "
                               f"{ref}; choose another reference= among the periods with rows"])
    present = dummies.any(axis=0)
    fitted = [t for t, p in zip(terms, present, strict=True) if p]
    fit = _fit_event(data, dummies[:, present], fitted, outcome, units, period, cluster, model,
                     exposure, estimator)
    coef = np.full(len(terms), np.nan)
    coef[present] = fit.coef
    se = np.full(len(terms), np.nan)
    se[present] = np.sqrt(np.diag(fit.vcov))
    table = _event_table(lo, hi, ref, coef, se, n_in, model, conf_level)
    leads = [i for i, k in enumerate(k for k in range(lo, hi + 1) if k != ref)
             if k < 0 and present[i]]
    pretrend = _wald(fit, present, leads)
    return EventStudyResult(table, pretrend, model, estimator, ref, fit.n,
                            int(data.groupby(units, observed=True).ngroups), fit.n_clusters,
                            dropped)


def _term(k: int) -> str:
    return f"rel_m{-k}" if k < 0 else f"rel_{k}"


def _changes_column(relative: str) -> str:
    return relative.replace("periods_since_change", "changes")


def _event_rows(panel, outcome, relative, changes, units) -> tuple[pd.DataFrame, dict]:
    """The rows that enter the fit, and a count of those left out by reason."""
    data = panel.reset_index(drop=True)
    reasons: dict[str, int] = {}
    rel_na = data[relative].isna().to_numpy()
    never = (data[changes].fillna(1) == 0).groupby([data[u] for u in units], observed=True) \
        .transform("all").to_numpy()
    control = rel_na & never
    out = rel_na & ~control
    if out.any():
        reasons[f"{relative} is NA in a unit with a change or unknown changes"] = int(out.sum())
    y_na = data[outcome].isna().to_numpy() & ~out
    if y_na.any():
        reasons[f"{outcome} is NA"] = int(y_na.sum())
    return data[~out & ~y_na].reset_index(drop=True), reasons


def _drop_all_zero(data, outcome, units, periods, reasons) -> pd.DataFrame:
    """Leave out units, then periods, whose outcome is 0 in every row, until none is left.

    Their fixed effect is minus infinity under Poisson and they carry no information on the
    other coefficients (fixest does the same).
    """
    y = data[outcome].astype(float)
    for _ in range(100):
        gone = 0
        for cols, what in ((units, "unit"), (periods, "period")):
            total = y.groupby([data[c] for c in cols], observed=True).transform("sum")
            zero = (total == 0).to_numpy()
            if zero.any():
                why = f"{outcome} is 0 in every row of the {what} (no information under Poisson)"
                reasons[why] = reasons.get(why, 0) + int(zero.sum())
                data, y = data[~zero], y[~zero]
                gone += int(zero.sum())
        if not gone:
            break
    return data.reset_index(drop=True)


def _check_outcome(data: pd.DataFrame, outcome: str, model: str) -> None:
    y = pd.to_numeric(data[outcome], errors="coerce") if not pd.api.types.is_bool_dtype(
        data[outcome]) else data[outcome].astype(float)
    bad_type = y.isna() & data[outcome].notna()
    if bad_type.any():
        raise ValidationError([f"event_study: outcome column {outcome!r} is not numeric "
                               f"({int(bad_type.sum())} rows, e.g. row "
                               f"{int(np.flatnonzero(bad_type.to_numpy())[0])})"])
    if model != "poisson":
        return
    v = y.to_numpy(dtype=float)
    bad = (v < 0) | (v != np.round(v))
    if bad.any():
        rows = np.flatnonzero(bad)
        raise ValidationError([f"event_study: outcome {outcome!r} is not a count: "
                               f"{len(rows)} rows are negative or not whole (rows "
                               f"{', '.join(map(str, rows[:5]))}: {v[rows[0]]!r}, ...); "
                               "model='poisson' needs counts, use model='ols' for a continuous "
                               "outcome"])


def _codes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    return frame.groupby(columns, observed=True, sort=False).ngroup().to_numpy()


def _fit_event(data, dummies, names, outcome, units, period, cluster, model, exposure,
               estimator):
    unit_cols = [*units, "stack"] if estimator == "stacked" else units
    period_cols = [period, "stack"] if estimator == "stacked" else [period]
    fixed = [_codes(data, unit_cols), _codes(data, period_cols)]
    y = data[outcome].to_numpy(dtype=float)
    offset = None
    if model == "poisson" and exposure is not None:
        offset = np.log(data[exposure].to_numpy(dtype=float))
    return fit_glm(y, dummies, fixed, data[cluster].astype(object).to_numpy(),
                   family="poisson" if model == "poisson" else "gaussian", offset=offset,
                   vcov_type="HC0" if model == "poisson" else "HC1", names=names,
                   where="event_study")


def _event_table(lo, hi, ref, coef, se, n_in, model, conf_level) -> pd.DataFrame:
    ks = [k for k in range(lo, hi + 1) if k != ref]
    z = coef / se
    q = stats.norm.ppf(0.5 + conf_level / 2)
    rows = pd.DataFrame({"relative": ks, "term": [_term(k) for k in ks], "reference": False,
                         "coef": coef, "std_error": se, "z": z,
                         "p_value": 2 * stats.norm.sf(np.abs(z)),
                         "low": coef - q * se, "high": coef + q * se})
    rows = pd.concat([rows, pd.DataFrame({"relative": [ref], "term": [_term(ref)],
                                          "reference": [True], "coef": [0.0]})],
                     ignore_index=True).sort_values("relative", ignore_index=True)
    scale = np.exp if model == "poisson" else (lambda v: v)
    rows["estimate"] = scale(rows["coef"])
    rows["conf_low"] = scale(rows["low"])
    rows["conf_high"] = scale(rows["high"])
    rows["n"] = np.asarray(n_in, dtype=np.int64)
    return rows[TABLE_COLUMNS]


def _wald(fit, present, leads) -> pd.DataFrame:
    idx = np.cumsum(present) - 1
    pick = idx[leads]
    if not len(pick):
        return pd.DataFrame({"statistic": [np.nan], "df": [0], "p_value": [np.nan]})
    b = fit.coef[pick]
    v = fit.vcov[np.ix_(pick, pick)]
    stat = float(b @ np.linalg.solve(v, b))
    return pd.DataFrame({"statistic": [stat], "df": [len(pick)],
                         "p_value": [float(stats.chi2.sf(stat, len(pick)))]})


def _stack(data: pd.DataFrame, relative: str, changes: str, period: str, units: list[str],
           lo: int, hi: int) -> pd.DataFrame:
    """One data set per cohort of first change: its units and the clean controls, stacked."""
    col = data[period]
    ordinal = (col.array.asi8 if isinstance(col.dtype, pd.PeriodDtype)
               else col.to_numpy(dtype=np.int64))
    keys = _codes(data, units)
    rel = data[relative].to_numpy(dtype=float)
    first = pd.Series(np.where(rel == 0, ordinal, np.iinfo(np.int64).max)).groupby(keys).min()
    cohort = first.reindex(keys).to_numpy()
    busy = (data[changes].isna() | (data[changes].fillna(0) > 0)).to_numpy()
    pieces = []
    for s, c in enumerate(sorted(set(first[first < np.iinfo(np.int64).max].tolist()))):
        window = (ordinal >= c + lo) & (ordinal <= c + hi)
        dirty = pd.Series(busy & window).groupby(keys).transform("any").to_numpy()
        treated = (cohort == c) & window
        control = ~dirty & (cohort != c) & window
        piece = data[treated | control].copy()
        piece[relative] = np.where(treated[treated | control], ordinal[treated | control] - c,
                                   np.nan)
        piece["stack"] = s
        pieces.append(piece)
    if not pieces:
        raise ValidationError(["event_study: no variation in treatment: no unit has a change "
                               f"({relative} = 0) in its rows"])
    return pd.concat(pieces, ignore_index=True)



# --------------------------------------------------------------------------- discrete hazard


def discrete_hazard(
    panel: pd.DataFrame,
    covariates: list[str],
    *,
    link: Link = "cloglog",
    event: str = "ended",
    duration: str = "periods_since_entry",
    baseline: Baseline = "duration",
    cluster: str | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Discrete-time hazard of a unit's end, by binary regression on the unit-period panel.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel of :func:`continuity.build_panel`: one row per unit and period at risk, the
        event in the unit's last row (``ended``; build it with ``event="dormant"`` for the de
        facto end).
    covariates : list of str
        Numeric or boolean columns (e.g. ``own_changes``, ``caretaker``).
    link : {"cloglog", "logit"}, default "cloglog"
        ``"cloglog"``: the grouped-time proportional hazards model, whose ``estimate`` is a
        hazard ratio comparable with Cox's; ``"logit"``: odds ratios.
    event : str, default "ended"
    duration : str, default "periods_since_entry"
        The duration clock of the baseline.
    baseline : {"duration", "none"}, default "duration"
        One intercept per value of ``duration`` (a free baseline hazard), or one intercept.
        Durations with no event carry no information on the covariates (their baseline is
        minus infinity) and are left out; ``n`` counts the rows used.
    cluster : str, optional
        Cluster of the robust standard errors; default ``relationship_id`` when present, else
        ``agreement_id``.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per covariate: ``term``, ``estimate`` (hazard ratio or odds ratio), ``coef``,
        ``std_error`` (clustered), ``z``, ``p_value``, ``conf_low``, ``conf_high`` (on the
        scale of ``estimate``), ``n`` (rows), ``n_events``.

    Raises
    ------
    OptionError
        An unknown ``link`` or ``baseline``, a column not in the panel.
    ValidationError
        A covariate is NA or not numeric in some rows (the message names them; drop whole
        units, not rows), or the event is not 0/1.

    Notes
    -----
    R's ``glm(ended ~ x + factor(duration), family = binomial(link = "cloglog"))`` with
    ``sandwich::vcovCL(fit, cluster = ~cluster)`` (HC0, G/(G-1)); Allison, "Discrete-time
    methods for the analysis of event histories", Sociological Methodology 13, 1982;
    Prentice and Gloeckler, Biometrics 34(1), 1978, for the complementary log-log link.

    Examples
    --------
    >>> import continuity as ct
    >>> sim = ct.simulate.simulate_study(400, 40, hazard_ratio=1.0, seed=2)
    >>> panel = sim.panel(freq="year")
    >>> fit = ct.discrete_hazard(panel, ["changes"], cluster="agreement_id")
    >>> fit.columns.tolist()[:4], int(fit["n_events"].item()) == int(panel["ended"].sum())
    (['term', 'estimate', 'coef', 'std_error'], True)
    """
    where = "discrete_hazard"
    check_literal(link, Link, "link", where)
    check_literal(baseline, Baseline, "baseline", where)
    conf_level = check_conf_level(conf_level, where)
    if isinstance(covariates, str):
        covariates = [covariates]
    if cluster is None:
        cluster = "relationship_id" if "relationship_id" in panel.columns else "agreement_id"
    _check_columns(panel, [event, cluster, *covariates]
                   + ([duration] if baseline == "duration" else []), where)
    x = _covariate_matrix(panel, covariates)
    y = _binary(panel[event], event)
    keep = np.ones(len(panel), dtype=bool)
    fixed = []
    if baseline == "duration":
        d = panel[duration].to_numpy()
        has = pd.Series(y).groupby(d).transform("sum").to_numpy() > 0
        keep = has
        fixed = [pd.factorize(d[keep], sort=True)[0]]
    fit = fit_glm(y[keep], x[keep], fixed, panel[cluster].astype(object).to_numpy()[keep],
                  family=link, names=list(covariates), where=where)
    se = np.sqrt(np.diag(fit.vcov))
    z = fit.coef / se
    q = stats.norm.ppf(0.5 + conf_level / 2)
    return pd.DataFrame({
        "term": list(covariates), "estimate": np.exp(fit.coef), "coef": fit.coef,
        "std_error": se, "z": z, "p_value": 2 * stats.norm.sf(np.abs(z)),
        "conf_low": np.exp(fit.coef - q * se), "conf_high": np.exp(fit.coef + q * se),
        "n": fit.n, "n_events": int(y[keep].sum()),
    }, columns=HAZARD_COLUMNS)


def _covariate_matrix(panel: pd.DataFrame, covariates: list[str]) -> np.ndarray:
    cols = []
    for c in covariates:
        s = panel[c]
        v = pd.to_numeric(s.astype("Float64") if pd.api.types.is_bool_dtype(s) else s,
                          errors="coerce")
        bad = v.isna().to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad)
            raise ValidationError([f"discrete_hazard: covariate {c!r} is NA or not a number "
                                   f"in {len(rows)} row{'s' if len(rows) > 1 else ''} (rows "
                                   f"{', '.join(map(str, rows[:5]))}); "
                                   "NA means the party's record does not cover the period: "
                                   "leave out whole units whose covariates are unknown "
                                   "(complete cases), never single rows"])
        cols.append(v.to_numpy(dtype=float))
    return np.column_stack(cols) if cols else np.empty((len(panel), 0))


def _binary(values: pd.Series, name: str) -> np.ndarray:
    v = pd.to_numeric(values.astype("Float64") if pd.api.types.is_bool_dtype(values)
                      else values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(v, (0.0, 1.0))
    if bad.any():
        raise ValidationError([f"discrete_hazard: event column {name!r} must be 0/1 or "
                               f"True/False; {int(bad.sum())} rows are not (row "
                               f"{int(np.flatnonzero(bad)[0])})"])
    return v
