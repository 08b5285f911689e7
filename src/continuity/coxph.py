"""Cox proportional hazards on counting-process rows (episodes), agreeing with R's ``coxph``.

The model is fitted to rows ``(t_start, t_stop, event, covariates...)`` of the kind that
``survival::survSplit`` / ``tmerge`` produce and that :mod:`continuity` builds from leadership
transitions. :func:`cox` is an outline of phases: the checks (:mod:`continuity._cox_data`), the
partial likelihood and Newton-Raphson (:mod:`continuity._cox_design`), the robust variance and
the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from continuity._cox_data import _CoxData
from continuity._cox_design import _Design, _NewtonResult, newton, quadratic, refuse_singular
from continuity._options import Ties, check_conf_level, check_literal, check_whole
from continuity.errors import ConvergenceWarning, OptionError

__all__ = ["CoxResult", "cox"]


@dataclass(frozen=True, eq=False)
class CoxResult:
    """A fitted Cox proportional hazards model (see :func:`cox`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per covariate, columns ``term``, ``coef`` (log hazard ratio), ``exp_coef`` (hazard
        ratio), ``std_error`` (model-based standard error of ``coef``, from the inverse
        information), ``robust_se`` (cluster-robust standard error; NA without ``cluster``), ``z``
        (``coef`` over the standard error used), ``p_value`` (two-sided, normal), ``conf_low`` and
        ``conf_high`` (confidence limits of the hazard ratio at ``conf_level``).
    tests : pandas.DataFrame
        Global tests of all coefficients being zero, columns ``test`` (``likelihood_ratio``,
        ``wald``, ``score`` and, with ``cluster``, ``robust_score``), ``statistic`` (chi-square),
        ``df`` and ``p_value``. With ``cluster`` the Wald test uses the robust variance, as in R.
    var : pandas.DataFrame
        Covariance matrix of the coefficients used for inference (robust with ``cluster``),
        indexed by term on both axes.
    naive_var : pandas.DataFrame
        The model-based covariance matrix (inverse information), indexed by term.
    loglik : tuple of float
        Log partial likelihood at zero and at the estimate.
    n : int
        Number of rows used.
    n_events : int
        Number of events.
    n_clusters : int or None
        Number of distinct clusters, None without ``cluster``.
    iterations : int
        Newton-Raphson iterations, counted as R counts them.
    converged : bool
        Whether the relative change of the log-likelihood fell below ``eps``.
    ties : str
        ``"efron"`` or ``"breslow"``.
    conf_level : float
        Level of the confidence limits.
    """

    summary: pd.DataFrame
    tests: pd.DataFrame
    var: pd.DataFrame
    naive_var: pd.DataFrame
    loglik: tuple[float, float]
    n: int
    n_events: int
    n_clusters: int | None
    iterations: int
    converged: bool
    ties: str
    conf_level: float

    @property
    def coef(self) -> pd.Series:
        """The coefficients (log hazard ratios) as a Series indexed by term."""
        return pd.Series(self.summary["coef"].to_numpy(), index=self.summary["term"], name="coef")


# --------------------------------------------------------------------------------------------
# the public function


def cox(
    df: pd.DataFrame,
    covariates: str | Sequence[str],
    *,
    cluster: str | None = None,
    strata: str | Sequence[str] | None = None,
    ties: Ties = "efron",
    start: str = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    conf_level: float = 0.95,
    max_iter: int = 20,
    eps: float = 1e-9,
    timefix: bool = True,
) -> CoxResult:
    """Fit a Cox proportional hazards model to counting-process rows.

    Each row is an interval ``(start, stop]`` of one unit with covariates constant inside it and
    ``event`` saying whether the unit's event happened at ``stop``. A row is at risk at time ``t``
    when ``start < t <= stop`` (R's rule), so a unit split into consecutive episodes is one
    unit, and splitting rows further at any times changes neither the estimates nor the robust
    errors.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows; not modified.
    covariates : str or list of str
        Numeric or boolean columns. Categorical or text columns are refused: code them as dummy
        columns first.
    cluster : str, optional, keyword-only (as every argument after ``covariates``)
        Column identifying clusters (e.g. the instrument or relationship). When given, the
        cluster-robust (grouped sandwich) variance is used for ``z``, ``p_value``, the confidence
        limits and the Wald test, as R's ``coxph(..., cluster = id)`` does.
    strata : str or list of str, optional
        Column(s) defining strata; each stratum has its own baseline hazard.
    ties : {"efron", "breslow"}
        Handling of tied event times.
    start, stop, event : str
        Names of the interval columns (numeric, any time unit) and of the event indicator
        (0/1 or boolean).
    conf_level : float
        Level of the confidence limits of the hazard ratios, in (0, 1).
    max_iter : int
        Maximum Newton-Raphson iterations (R's ``iter.max``).
    eps : float
        Convergence when the relative change of the log partial likelihood is at most ``eps``
        (R's ``coxph.control(eps)``).
    timefix : bool
        Treat times that differ by less than about 1.5e-8 (absolutely or relative to their mean)
        as tied, as R's ``coxph.control(timefix = TRUE)`` does.

    Returns
    -------
    CoxResult
        ``summary`` (columns ``term, coef, exp_coef, std_error, robust_se, z, p_value, conf_low,
        conf_high``; ``coef`` is a log hazard ratio per unit of the covariate, ``exp_coef`` and the
        limits are hazard ratios), ``tests`` (``test, statistic, df, p_value``), ``var``,
        ``naive_var``, ``loglik``, ``n``, ``n_events``, ``n_clusters``, ``iterations``,
        ``converged``; see :class:`CoxResult`.

    Raises
    ------
    OptionError
        An option is unknown or out of range (``ties``, ``conf_level``, ``max_iter``, ``eps``),
        ``covariates`` is empty or names a column twice.
    ContinuityTypeError
        ``df`` is not a DataFrame, or a column name is not a string.
    ValidationError
        A column is missing, not numeric (covariates, times, event), has missing or infinite
        values; a row has ``stop <= start``; ``event`` is not 0/1; there are no events; or a
        covariate is constant, collinear with the others or constant within every risk set (R
        would report its coefficient as NA; here the fit is refused, naming it).

    Warns
    -----
    ConvergenceWarning
        The iterations ran out before convergence, or a coefficient seems to be infinite
        (monotone likelihood), with R's rule ``|U V| > sqrt(eps) (1 + |coef|)``.

    Notes
    -----
    With risk scores :math:`r_i = \\exp(x_i'\\beta)`, risk set :math:`R_k` and :math:`d_k` tied
    events :math:`D_k` at event time :math:`t_k`, Efron's log partial likelihood is

    .. math::

        \\ell(\\beta) = \\sum_k \\Big[\\sum_{i \\in D_k} x_i'\\beta
            - \\sum_{j=0}^{d_k-1} \\log\\Big(\\sum_{i\\in R_k} r_i
            - \\tfrac{j}{d_k}\\sum_{i\\in D_k} r_i\\Big)\\Big]

    and Breslow's drops the :math:`j/d_k` term. It is maximised by Newton-Raphson from
    :math:`\\beta = 0` with R's step-halving and stopping rule (relative change of
    :math:`\\ell` at most ``eps``). The model-based variance is the inverse information
    :math:`V`. The robust variance is :math:`D'D`, where :math:`D` holds per cluster the sums of
    the rows' dfbeta :math:`L_i V`, and :math:`L_i = \\int (x_i - \\bar x(t))\\,dM_i(t)` is the
    score residual of row :math:`i` (Lin and Wei 1989), with no small-sample factor. The robust
    score test is :math:`u'(L_0'L_0)^{-1}u` with score residuals summed per cluster at
    :math:`\\beta = 0`. Results agree with R's ``survival::coxph`` to 1e-6 relative.

    References: Therneau and Grambsch (2000), *Modeling Survival Data: Extending the Cox Model*,
    Springer, ch. 3 and 7; Efron (1977), JASA 72:557-565; Lin and Wei (1989), JASA 84:1074-1078.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.coxph import cox
    >>> rows = pd.DataFrame({
    ...     "id":      [1, 1, 2, 3, 3, 4, 5, 6, 7, 7],
    ...     "t_start": [0, 4, 0, 0, 2, 0, 0, 0, 0, 3],
    ...     "t_stop":  [4, 9, 5, 2, 7, 3, 8, 6, 3, 10],
    ...     "event":   [0, 1, 1, 0, 1, 0, 0, 1, 0, 0],
    ...     "changed": [0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
    ... })
    >>> fit = cox(rows, ["changed"], cluster="id")
    >>> cols = ["term", "exp_coef", "std_error", "robust_se", "conf_low", "conf_high"]
    >>> fit.summary[cols].round(4)
          term  exp_coef  std_error  robust_se  conf_low  conf_high
    0  changed    0.7026     1.2359     1.1907    0.0681     7.2485
    >>> fit.tests.round(4)
                   test  statistic  df  p_value
    0  likelihood_ratio     0.0783   1   0.7797
    1              wald     0.0879   1   0.7669
    2             score     0.0824   1   0.7741
    3      robust_score     0.0798   1   0.7776

    The same numbers as R's ``summary(coxph(Surv(t_start, t_stop, event) ~ changed,
    data = rows, cluster = id))``.
    """
    _check_options(ties, conf_level, max_iter, eps)
    data = _CoxData.from_frame(df, covariates, cluster=cluster, strata=strata, start=start,
                               stop=stop, event=event, timefix=timefix)
    design = _Design(data.x, data.start, data.stop, data.event, data.strata,
                     efron=(ties == "efron"))
    first = design.evaluate(np.zeros(len(data.names)))
    refuse_singular(design, first, data.names)
    fit = newton(design.evaluate, np.zeros(len(data.names)), first, max_iter=max_iter, eps=eps)
    naive = _inverse(fit.fit.info)
    _warn_if_not_converged(fit, naive, data.names, max_iter, eps)
    robust = _robust(design, fit, naive, data)
    return _result(data, fit, naive, robust, ties=ties, conf_level=conf_level)


# --------------------------------------------------------------------------------------------
# the phases after the fit


class _Robust(NamedTuple):
    """The variance used for inference and, with clusters, the robust score test."""

    var: np.ndarray
    robust_se: np.ndarray  # NA without clusters
    robust_score: float | None


def _check_options(ties: object, conf_level: object, max_iter: object, eps: object) -> None:
    check_literal(ties, Ties, "ties", "cox")
    check_conf_level(conf_level, "cox")
    check_whole(max_iter, "max_iter", "cox", minimum=1)
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < 1:
        raise OptionError(f"cox: eps must be a number in (0, 1), e.g. 1e-9, not {eps!r}")


def _inverse(info: np.ndarray) -> np.ndarray:
    inv = np.linalg.inv(info)
    return (inv + inv.T) / 2


def _warn_if_not_converged(
    fit: _NewtonResult, naive: np.ndarray, names: list[str], max_iter: int, eps: float
) -> None:
    """R's two warnings: iterations ran out, or a coefficient seems infinite."""
    if not fit.converged:
        warnings.warn(
            f"cox: Newton-Raphson did not converge in {max_iter} iterations; the estimates are "
            "from the last iteration (raise max_iter)",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif max_iter > 1:
        step = np.abs(fit.fit.score @ naive)
        infinite = ~np.isfinite(fit.fit.score) | (step > np.sqrt(eps) * (1 + np.abs(fit.beta)))
        if infinite.any():
            listed = ", ".join(repr(names[i]) for i in np.flatnonzero(infinite))
            warnings.warn(
                f"cox: the log-likelihood converged before covariate(s) {listed}; their "
                "coefficient may be infinite (no events, or only events, at some level)",
                ConvergenceWarning,
                stacklevel=3,
            )


def _cluster_sums(values: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    return np.column_stack(
        [np.bincount(cluster, weights=values[:, k], minlength=n_clusters)
         for k in range(values.shape[1])]
    )


def _robust(design: _Design, fit: _NewtonResult, naive: np.ndarray, data: _CoxData) -> _Robust:
    """The grouped sandwich (Lin and Wei 1989) and the robust score test, with clusters."""
    if data.cluster is None or data.n_clusters is None:
        return _Robust(naive, np.full(len(data.names), np.nan), None)
    dfbeta = _cluster_sums(design.residuals(fit.fit), data.cluster, data.n_clusters) @ naive
    var = dfbeta.T @ dfbeta
    resid0 = _cluster_sums(design.residuals(fit.first), data.cluster, data.n_clusters)
    score = quadratic(resid0.T @ resid0, resid0.sum(axis=0))
    return _Robust(var, np.sqrt(np.diag(var)), score)


def _result(
    data: _CoxData, fit: _NewtonResult, naive: np.ndarray, robust: _Robust, *, ties: str,
    conf_level: float,
) -> CoxResult:
    names, beta, p = data.names, fit.beta, len(data.names)
    se_naive = np.sqrt(np.diag(naive))
    se = robust.robust_se if data.cluster is not None else se_naive
    z = beta / se
    crit = special.ndtri(0.5 + conf_level / 2)
    with np.errstate(over="ignore"):  # a diverging coefficient: limits are inf, as in R
        hr_low, hr_high = np.exp(beta - crit * se), np.exp(beta + crit * se)
    summary = pd.DataFrame(
        {"term": names, "coef": beta, "exp_coef": np.exp(beta), "std_error": se_naive,
         "robust_se": robust.robust_se, "z": z, "p_value": 2 * special.ndtr(-np.abs(z)),
         "conf_low": hr_low, "conf_high": hr_high}
    )
    loglik = (float(fit.loglik0), float(fit.fit.loglik))
    rows = [("likelihood_ratio", 2 * (loglik[1] - loglik[0])),
            ("wald", quadratic(robust.var, beta)), ("score", fit.score_test)]
    if robust.robust_score is not None:
        rows.append(("robust_score", robust.robust_score))
    tests = pd.DataFrame(
        {"test": [t for t, _ in rows], "statistic": [s for _, s in rows], "df": p,
         "p_value": [float(special.chdtrc(p, s)) for _, s in rows]}
    )
    return CoxResult(
        summary=summary, tests=tests,
        var=pd.DataFrame(robust.var, index=names, columns=names),
        naive_var=pd.DataFrame(naive, index=names, columns=names),
        loglik=loglik, n=data.n, n_events=data.n_events, n_clusters=data.n_clusters,
        iterations=int(fit.iterations), converged=bool(fit.converged), ties=ties,
        conf_level=float(conf_level),
    )
