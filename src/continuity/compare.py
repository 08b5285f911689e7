"""Log-rank tests: k groups, stratified, and the Harrington-Fleming G-rho family.

As R's ``survdiff(Surv(time, status) ~ group + strata(s), rho = rho)``, and on counting-process
rows ``(t_start, t_stop]`` (which ``survdiff`` refuses) the same formulas over the risk sets of
delayed entry. Near-tied times are merged as R does (``timefix``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import chdtrc

from continuity._options import check_number
from continuity._risk import risk_tables
from continuity._rows import Rows, by_names, group_counts, prepare_rows
from continuity._ties import snap
from continuity.errors import OptionError, ValidationError

__all__ = ["logrank", "logrank_table"]


class _Design:
    """Rows grouped by ``by`` x ``strata``, with the group and the stratum of each cell."""

    def __init__(self, rows: Rows, by: list[str], strata: list[str], fn: str):
        self.rows = rows
        keys = rows.keys
        self.group, group_keys = _factorize(keys[by])
        self.stratum: np.ndarray = (
            _factorize(keys[strata])[0] if strata else np.zeros(len(keys), dtype=np.intp)
        )
        self.group_keys = group_keys
        self.n_groups = len(group_keys)
        if self.n_groups < 2:
            raise ValidationError(
                [f"{fn}: by={by} has a single value in the data; the test compares at least two "
                 "groups"]
            )


def _factorize(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    codes = keys.groupby(list(keys.columns), sort=True, observed=True, dropna=False).ngroup()
    first = keys.drop_duplicates().sort_values(list(keys.columns)).reset_index(drop=True)
    return codes.to_numpy(dtype=np.intp), first


def _event_times(rows: Rows) -> np.ndarray:
    times = np.unique(rows.stop[rows.event])
    return np.unique(snap(rows.chains, times))


def _parts(design: _Design, rho: float):
    """Observed, expected (per group, summed over strata) and the covariance of O - E."""
    rows = design.rows
    times = _event_times(rows)
    tab = risk_tables(rows, times=times)
    cells = rows.n_groups
    at_risk = np.asarray(tab.at_risk, dtype=float).reshape(cells, times.size)
    deaths = np.asarray(tab.events, dtype=float).reshape(cells, times.size)
    k = design.n_groups
    observed, expected, variance = np.zeros(k), np.zeros(k), np.zeros((k, k))
    for s in np.unique(design.stratum):
        cell = np.flatnonzero(design.stratum == s)
        g = design.group[cell]
        n_g = np.zeros((k, times.size))
        d_g = np.zeros((k, times.size))
        np.add.at(n_g, g, at_risk[cell])
        np.add.at(d_g, g, deaths[cell])
        n, d = n_g.sum(axis=0), d_g.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(n > 0, d / n, 0.0)
            wt = np.ones_like(n)
            if rho != 0:  # the pooled Kaplan-Meier of the stratum just before t, to the rho
                wt = np.concatenate([[1.0], np.cumprod(1.0 - share)[:-1]]) ** rho
            w = np.where(n > 1, wt**2 * d * (n - d) / (n * n * (n - 1.0)), 0.0)
        observed += d_g @ wt
        expected += n_g @ (wt * share)
        weighted = n_g * w
        variance += np.diag(weighted @ n) - weighted @ n_g.T
    return observed, expected, variance


def _prepare(df, by, strata, rho, start, stop, event, timefix, fn):
    by_cols = by_names(by, fn, required=True)
    strata_cols = by_names(strata, fn, required=False, what="strata")
    rho = check_number(rho, "rho", fn, minimum=0)
    overlap = set(by_cols) & set(strata_cols)
    if overlap:
        raise OptionError(f"{fn}: {sorted(overlap)} named in both by= and strata=")
    rows = prepare_rows(df, by_cols + strata_cols, start, stop, event, fn, timefix=timefix)
    return _Design(rows, by_cols, strata_cols, fn), rho


def logrank_table(
    df: pd.DataFrame,
    by: str | Sequence[str],
    *,
    strata: str | Sequence[str] | None = None,
    rho: float = 0.0,
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
) -> pd.DataFrame:
    """Observed and expected events per group, the parts of the log-rank test.

    Parameters
    ----------
    df, start, stop, event, timefix
        As in :func:`continuity.kaplan_meier`.
    by : str or list of str
        Column(s) defining the groups. They may change over a subject's rows (a time-varying
        group, e.g. "signing leader still in office"): each row counts in its own group.
    strata : str or list of str, optional
        Column(s) defining strata: groups are compared within each stratum, and the observed,
        expected and variance are summed over strata (R's ``strata()`` in ``survdiff``).
    rho : float, default 0
        The G-rho weight: each event time counts with the pooled Kaplan-Meier estimate of its
        stratum just before it, to the power ``rho`` (R's ``survdiff(rho=)``); 0 is the
        log-rank test, 1 the Peto-Peto modification of the Gehan-Wilcoxon test.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, then ``n`` (rows), ``observed`` (events,
        weighted by the G-rho weight), ``expected`` (weighted events expected under equal
        hazards, :math:`\\sum_j w_j d_j n_{gj}/n_j`) and ``variance`` (the diagonal of the
        covariance matrix of observed - expected), as R's ``survdiff`` ``obs``, ``exp`` and
        ``diag(var)`` (summed over strata).

    Raises
    ------
    continuity.ValidationError
        As :func:`continuity.kaplan_meier`, and if ``by`` has a single value.
    continuity.OptionError
        If ``by`` is missing, a column is named in both ``by`` and ``strata``, or ``rho`` is
        negative or not a number.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import logrank_table
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    >>> logrank_table(rows, by="arm", start=None)
      arm  n  observed  expected  variance
    0   a  2       2.0  1.333333  0.722222
    1   b  2       2.0  2.666667  0.722222
    """
    fn = "logrank_table"
    design, rho = _prepare(df, by, strata, rho, start, stop, event, timefix, fn)
    observed, expected, variance = _parts(design, rho)
    n, _ = group_counts(design.rows)
    n_by = np.bincount(design.group, weights=n, minlength=design.n_groups).astype(np.int64)
    body = pd.DataFrame(
        {"n": n_by, "observed": observed, "expected": expected, "variance": np.diag(variance)}
    )
    return pd.concat([design.group_keys, body], axis=1)


def logrank(
    df: pd.DataFrame,
    by: str | Sequence[str],
    *,
    strata: str | Sequence[str] | None = None,
    rho: float = 0.0,
    start: str | None = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    timefix: bool = True,
) -> pd.DataFrame:
    """The k-group log-rank test of equal hazards, stratified or G-rho weighted if asked.

    Parameters
    ----------
    df, start, stop, event, timefix
        As in :func:`continuity.kaplan_meier`.
    by : str or list of str
        Column(s) defining the groups; they may vary over a subject's rows.
    strata, rho
        As in :func:`logrank_table`.

    Returns
    -------
    pandas.DataFrame
        One row, columns ``statistic`` (the chi-square statistic), ``df`` (its degrees of
        freedom: the number of groups with a positive expected count, minus 1), ``p_value``
        (upper tail of the chi-square distribution; NaN when df is 0), ``n`` (rows),
        ``n_events`` and ``rho``.

    Raises
    ------
    continuity.ValidationError, continuity.OptionError
        As :func:`logrank_table`.

    Notes
    -----
    At each distinct event time :math:`t_j` of a stratum, with :math:`n_j` rows at risk
    (``t_start < t_j <= t_stop``), :math:`d_j` events, :math:`n_{gj}`, :math:`d_{gj}` in group
    :math:`g` and the weight :math:`w_j = \\hat S(t_j-)^\\rho` (the pooled Kaplan-Meier
    estimate of the stratum), :math:`U_g = \\sum_j w_j (d_{gj} - d_j n_{gj}/n_j)` has the
    covariance

    .. math::

        V_{gh} = \\sum_j w_j^2 \\frac{d_j (n_j - d_j)}{n_j^2 (n_j - 1)}
        \\big(n_j n_{gj} \\delta_{gh} - n_{gj} n_{hj}\\big),

    both summed over strata; the statistic is :math:`U^\\top V^{-1} U` over the groups with
    positive expected count, less one (Mantel 1966; Peto and Peto 1972; Harrington and
    Fleming, Biometrika 69, 1982, 553-566). On right-censored data it equals R's
    ``survdiff``. ``survdiff`` refuses counting-process data; there the same formula on the
    ``(t_start, t_stop]`` risk sets was checked against a direct computation in R and, for
    ``rho = 0``, found to equal the score test of ``coxph(Surv(t_start, t_stop, event) ~
    factor(group), ties = "exact")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.survival import logrank
    >>> rows = pd.DataFrame({"t_stop": [1, 2, 3, 4], "event": 1, "arm": ["a", "b", "a", "b"]})
    >>> logrank(rows, by="arm", start=None).round(4)
       statistic  df  p_value  n  n_events  rho
    0     0.6154   1   0.4328  4         4  0.0
    """
    fn = "logrank"
    design, rho = _prepare(df, by, strata, rho, start, stop, event, timefix, fn)
    observed, expected, variance = _parts(design, rho)
    statistic, dof = _chi_square(observed, expected, variance)
    rows = design.rows
    return pd.DataFrame(
        {
            "statistic": [statistic],
            "df": [dof],
            "p_value": [float(chdtrc(dof, statistic)) if dof > 0 else np.nan],
            "n": [rows.n_rows],
            "n_events": [int(rows.event.sum())],
            "rho": [rho],
        }
    )


def _chi_square(observed, expected, variance) -> tuple[float, int]:
    keep = np.flatnonzero(expected > 0)
    dof = max(keep.size - 1, 0)
    if dof == 0:
        return 0.0, 0
    u = (observed - expected)[keep][1:]
    v = variance[np.ix_(keep, keep)][1:, 1:]
    try:
        return float(u @ np.linalg.solve(v, u)), dof
    except np.linalg.LinAlgError:
        return float(u @ np.linalg.pinv(v) @ u), int(np.linalg.matrix_rank(v))
