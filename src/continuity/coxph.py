"""Cox proportional hazards on counting-process rows (episodes), agreeing with R's ``coxph``.

The model is fitted to rows ``(t_start, t_stop, event, covariates...)`` of the kind that
``survival::survSplit`` / ``tmerge`` produce and that :mod:`continuity` builds from leadership
transitions. :func:`cox` is an outline of phases: the checks (:mod:`continuity._cox_data`), the
partial likelihood and Newton-Raphson (:mod:`continuity._cox_design`), the robust variance and
the result.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from continuity._cox_cr2 import MAX_CELLS, cr2, expanded_size
from continuity._cox_data import _CoxData
from continuity._cox_design import (
    _Design,
    _Evaluation,
    _NewtonResult,
    aliased_columns,
    newton,
    quadratic,
)
from continuity._cox_firth import FirthObjective
from continuity._cox_profile import Profile
from continuity._cox_residuals import ResidualType, _FitState, residuals
from continuity._cox_survfit import predict_survival
from continuity._cox_zph import ZphTransform, zph
from continuity._options import Ties, check_conf_level, check_literal, check_whole
from continuity.errors import ContinuityWarning, ConvergenceWarning, OptionError, ValidationError

__all__ = ["CoxConfType", "CoxMethod", "CoxResult", "CoxVcovType", "cox"]

#: How the coefficients are estimated: the partial likelihood, or Firth's penalised one.
CoxMethod = Literal["mle", "firth"]
#: How the confidence limits are found: Wald (estimate +- z se), or the profile likelihood.
CoxConfType = Literal["wald", "profile"]
#: The cluster-robust variance: Lin and Wei's (CR0, as R's coxph), or bias-reduced CR2 with
#: Satterthwaite degrees of freedom for few clusters.
CoxVcovType = Literal["cr0", "cr2"]


@dataclass(frozen=True, eq=False)
class CoxResult:
    """A fitted Cox proportional hazards model (see :func:`cox`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per covariate, columns ``term``, ``coef`` (log hazard ratio), ``exp_coef`` (hazard
        ratio), ``std_error`` (model-based standard error of ``coef``, from the inverse
        information), ``robust_se`` (cluster-robust standard error; NA without ``cluster``), ``z``
        (``coef`` over the standard error used), ``p_value`` (two-sided, normal; with Firth's
        method the penalised likelihood-ratio test of the term), ``conf_low`` and ``conf_high``
        (confidence limits of the hazard ratio at ``conf_level``, Wald or profile), and
        ``separation`` (True when the partial-likelihood estimate runs to infinity: monotone
        likelihood; z, p_value and Wald limits are then NA with ``method="mle"``). ``df`` holds
        the degrees of freedom of the t reference distribution (``inf``: normal; finite with
        ``vcov_type="cr2"``).
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
    method : str
        ``"mle"`` or ``"firth"``.
    conf_type : str
        ``"wald"`` or ``"profile"``.
    vcov_type : str or None
        The cluster-robust variance used, ``"cr0"`` or ``"cr2"``; None without ``cluster``.
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
    method: str = "mle"
    conf_type: str = "wald"
    vcov_type: str | None = None
    _state: _FitState | None = field(default=None, repr=False)

    @property
    def coef(self) -> pd.Series:
        """The coefficients (log hazard ratios) as a Series indexed by term."""
        return pd.Series(self.summary["coef"].to_numpy(), index=self.summary["term"], name="coef")

    def residuals(self, type: ResidualType = "martingale", *,
                  collapse: bool | None = None) -> pd.DataFrame:
        """Residuals of the fit, as R's ``residuals.coxph``.

        Parameters
        ----------
        type : {"martingale", "deviance", "score", "dfbeta", "schoenfeld", "scaledsch"}
            Martingale and deviance residuals (one column, named after the type), score and
            dfbeta residuals (one column per term) are per row of the data, in its order and
            with its index; Schoenfeld and scaled Schoenfeld residuals are per event, in the
            order of the event times, with columns ``row`` (the row's index label), ``time`` and
            one per term.
        collapse : bool, optional
            Sum the per-row residuals over each cluster (index: the cluster values, sorted), as
            R's ``collapse = id``; by default when the fit has ``cluster``. A deviance residual
            of a cluster comes from its summed martingale residual and event count.

        Returns
        -------
        pandas.DataFrame

        Notes
        -----
        dfbeta uses the model-based variance (R's ``naive.var``). Scaled Schoenfeld residuals
        are :math:`d\\,V r_i + \\hat\\beta` with :math:`d` events, whose smoothed trend over
        time estimates :math:`\\beta(t)` (Grambsch and Therneau 1994). All agree with R's
        ``residuals.coxph`` to 1e-6 (``tests/parity/r/cox_residuals.R``).

        Examples
        --------
        >>> import pandas as pd
        >>> from continuity.coxph import cox
        >>> rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5], "event": [1, 1, 0, 1],
        ...                      "x": [1.0, 0.0, 1.0, 0.0]})
        >>> cox(rows, ["x"]).residuals("martingale").round(4)
           martingale
        0      0.7071
        1      0.5000
        2     -0.7071
        3     -0.5000
        """
        if self._state is None:
            raise OptionError("CoxResult.residuals: this result holds no fit state")
        return residuals(self._state, type, collapse)

    def predict_survival(self, newdata: pd.DataFrame | None = None, *,
                         conf_level: float | None = None) -> pd.DataFrame:
        """Survival curves for given covariate values, as R's ``survfit.coxph``.

        Parameters
        ----------
        newdata : pandas.DataFrame, optional
            One row per curve, with a column per (non-aliased) covariate. By default one
            curve at R's default: the covariates' means over the rows, except 0 for a
            covariate that only takes 0 and 1. A row of zeros gives the baseline survival.
        conf_level : float, optional
            Level of the limits; the fit's ``conf_level`` by default.

        Returns
        -------
        pandas.DataFrame
            One row per curve and event time (of each stratum): ``curve`` (the position of the
            row of ``newdata``), ``stratum`` (the stratum's code, 0 without strata, in the
            sorted order of the strata values), ``time``, ``n_at_risk`` (rows at risk),
            ``n_events``, ``estimate`` (survival probability just after ``time``), ``cumhaz``
            (cumulative hazard), ``std_error`` (standard error of ``cumhaz``), ``conf_low``
            and ``conf_high`` (limits of the survival, on the log scale as R's default
            ``conf.type = "log"``). Between event times the curve stays level.

        Notes
        -----
        The hazard increments use the fit's handling of ties (Efron's split, or Breslow's),
        as ``survfit.coxph`` does by default; the variance adds the uncertainty of the
        coefficients (Tsiatis 1981). Agrees with R to 1e-6
        (``tests/parity/r/cox_survfit.R``).

        Examples
        --------
        >>> import pandas as pd
        >>> from continuity.coxph import cox
        >>> rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5], "event": [1, 1, 0, 1],
        ...                      "x": [1.0, 0.0, 1.0, 0.0]})
        >>> fit = cox(rows, ["x"])
        >>> curves = fit.predict_survival(pd.DataFrame({"x": [0.0]}))
        >>> curves[["time", "n_at_risk", "estimate", "cumhaz"]].round(4)
           time  n_at_risk  estimate  cumhaz
        0   2.0        4.0    0.8129  0.2071
        1   3.0        3.0    0.6065  0.5000
        2   5.0        1.0    0.2231  1.5000
        """
        if self._state is None:
            raise OptionError("CoxResult.predict_survival: this result holds no fit state")
        if self._state.data.weights is not None:
            raise OptionError("CoxResult.predict_survival: not offered for a fit with weights= "
                              "yet (its variance is not checked against R)")
        level = self.conf_level if conf_level is None else check_conf_level(
            conf_level, "CoxResult.predict_survival")
        return predict_survival(self._state, newdata, level)

    def proportional_hazards_test(self, transform: ZphTransform = "km") -> pd.DataFrame:
        """Test of proportional hazards per term and globally, as R's ``cox.zph``.

        Parameters
        ----------
        transform : {"km", "identity", "rank", "log"}
            The function of time the hazard ratio is tested against: one minus the
            Kaplan-Meier curve of all rows (R's default), time, its rank, or its log.

        Returns
        -------
        pandas.DataFrame
            One row per term and a last row ``GLOBAL``: ``term``, ``statistic`` (chi-square),
            ``df`` and ``p_value``. A small p-value says the term's hazard ratio changes over
            time; plot the scaled Schoenfeld residuals (``residuals("scaledsch")``) against
            time to see how.

        Notes
        -----
        The score test, at the estimate, of adding :math:`x_k g(t)` to the model (survival
        3.x's ``cox.zph``), with :math:`g` centred over the events. Agrees with R to 1e-6
        (``tests/parity/r/cox_zph.R``).

        Examples
        --------
        >>> import pandas as pd
        >>> from continuity.coxph import cox
        >>> rows = pd.DataFrame({"t_start": 0, "t_stop": [2, 3, 4, 5, 6, 7],
        ...                      "event": [1, 1, 0, 1, 1, 0], "x": [1.0, 0, 1, 0, 1, 0]})
        >>> cox(rows, ["x"]).proportional_hazards_test().round(4)
             term  statistic  df  p_value
        0       x     0.0215   1   0.8834
        1  GLOBAL     0.0215   1   0.8834
        """
        if self._state is None:
            raise OptionError("CoxResult.proportional_hazards_test: no fit state")
        if self._state.data.weights is not None:
            raise OptionError("CoxResult.proportional_hazards_test: not offered for a fit with "
                              "weights= yet")
        check_literal(transform, ZphTransform, "transform", "CoxResult.proportional_hazards_test")
        return zph(self._state, transform)


# --------------------------------------------------------------------------------------------
# the public function


def cox(
    df: pd.DataFrame,
    covariates: str | Sequence[str],
    *,
    cluster: str | None = None,
    strata: str | Sequence[str] | None = None,
    weights: str | None = None,
    ties: Ties = "efron",
    method: CoxMethod = "mle",
    conf_type: CoxConfType | None = None,
    vcov_type: CoxVcovType = "cr0",
    start: str = "t_start",
    stop: str = "t_stop",
    event: str = "event",
    conf_level: float = 0.95,
    max_iter: int | None = None,
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
    weights : str, optional
        Column of positive case weights (sampling or inverse-probability weights), as R's
        ``coxph(weights = )``: each row counts as many times as its weight in the likelihood
        (with Efron's ties, each tied event slot carries the mean weight of the tied events).
        Weighted score residuals make the robust variance, as in R; with weights that are not
        whole numbers and no ``cluster``, every row is its own cluster and the variance is
        robust (R's rule: such weights are not frequencies). Not yet with
        ``vcov_type="cr2"``, :meth:`CoxResult.predict_survival` or
        :meth:`CoxResult.proportional_hazards_test`.
    ties : {"efron", "breslow"}
        Handling of tied event times.
    method : {"mle", "firth"}
        ``"mle"`` maximises the partial likelihood, as R's ``coxph``. ``"firth"`` maximises
        Firth's penalised partial likelihood (Heinze and Schemper 2001), whose estimates stay
        finite when a covariate separates events from non-events (monotone likelihood); its
        ``p_value`` is the penalised likelihood-ratio test of each term. Not with ``cluster``.
    conf_type : {"wald", "profile"}, optional
        ``"wald"``: ``coef +- z * se``. ``"profile"``: the values where the (penalised) profile
        log-likelihood falls by half the chi-square quantile; a limit is ``inf`` (or 0) when it
        never falls that far, as on the side a separating covariate runs to. Defaults to
        ``"profile"`` with ``method="firth"``, else ``"wald"``. ``"profile"`` is not offered with
        ``cluster`` (the profile is model-based).
    vcov_type : {"cr0", "cr2"}
        With ``cluster``: ``"cr0"`` is Lin and Wei's robust variance with normal tests, as R's
        ``coxph``; ``"cr2"`` is the bias-reduced CR2 variance with a t test on Satterthwaite
        (Bell-McCaffrey) degrees of freedom per term, for few clusters (say under 50). CR2 is
        defined on the Poisson form of Breslow's likelihood, so with tied event times it needs
        ``ties="breslow"``; it agrees with R's ``clubSandwich`` on that form to 1e-6.
    start, stop, event : str
        Names of the interval columns (numeric, any time unit) and of the event indicator
        (0/1 or boolean).
    conf_level : float
        Level of the confidence limits of the hazard ratios, in (0, 1).
    max_iter : int, optional
        Maximum Newton-Raphson iterations (R's ``iter.max``): 20 by default, 100 with
        ``method="firth"`` (its steps converge linearly; they stop when no coefficient moves by
        more than 1e-10).
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
        conf_high, separation``; ``coef`` is a log hazard ratio per unit of the covariate,
        ``exp_coef`` and the limits are hazard ratios; ``separation`` flags a coefficient whose
        partial-likelihood estimate runs to infinity), ``tests`` (``test, statistic, df,
        p_value``), ``var``, ``naive_var``, ``loglik``, ``n``, ``n_events``, ``n_clusters``,
        ``iterations``, ``converged``, ``method``, ``conf_type``; see :class:`CoxResult`.

    Raises
    ------
    OptionError
        An option is unknown or out of range (``ties``, ``conf_level``, ``max_iter``, ``eps``),
        ``covariates`` is empty or names a column twice.
    ContinuityTypeError
        ``df`` is not a DataFrame, or a column name is not a string.
    ValidationError
        A column is missing, not numeric (covariates, times, event), has missing or infinite
        values; a row has ``stop <= start``; ``event`` is not 0/1; there are no events; or every
        covariate is constant within every risk set.

    Warns
    -----
    ContinuityWarning
        A covariate is constant, collinear with the covariates before it, or constant within
        every risk set: as R does, its row of ``summary`` (and of ``var``) is NA and the model
        is fitted without it.
    ConvergenceWarning
        The iterations ran out before convergence, or a coefficient seems to be infinite
        (monotone likelihood), with R's rule ``|U V| > sqrt(eps) (1 + |coef|)``. Such a term is
        flagged in the ``separation`` column and, with ``method="mle"``, its ``z``,
        ``p_value`` and Wald limits are NA (and so is the global Wald test): they mean nothing.

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

    Firth's method maximises :math:`\\ell(\\beta) + \\tfrac12\\log\\det I(\\beta)`, with the
    information :math:`I` as the Newton step's Hessian (Heinze and Schemper 2001); its
    ``loglik`` is the penalised one. Profile limits refit the other coefficients at each trial
    value by Newton-Raphson and find the cut with Brent's method. Both agree to 1e-6 with
    references computed in R from ``coxph`` (``tests/parity/r/cox_firth_profile.R``).

    References: Therneau and Grambsch (2000), *Modeling Survival Data: Extending the Cox Model*,
    Springer, ch. 3 and 7; Efron (1977), JASA 72:557-565; Lin and Wei (1989), JASA 84:1074-1078;
    Heinze and Schemper (2001), Biometrics 57:114-119.

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

    With few events, Firth's estimate and profile-likelihood limits:

    >>> firth = cox(rows, ["changed"], method="firth")
    >>> firth.summary[["term", "exp_coef", "p_value", "conf_low", "conf_high"]].round(4)
          term  exp_coef  p_value  conf_low  conf_high
    0  changed    0.5864   0.6195    0.0759     6.5375
    """
    opts = _Settings.check(ties=ties, method=method, conf_type=conf_type, conf_level=conf_level,
                           max_iter=max_iter, eps=eps, cluster=cluster, vcov_type=vcov_type)
    data = _CoxData.from_frame(df, covariates, cluster=cluster, strata=strata, start=start,
                               stop=stop, event=event, timefix=timefix, weights=weights)
    data = _rows_as_clusters(data)
    all_names = data.names
    data, design, first = _drop_aliased(data, efron=(ties == "efron"))
    zero = np.zeros(len(data.names))
    mle = newton(design.evaluate, zero, first, max_iter=opts.max_iter_mle, eps=eps)
    separated = _separated(mle, opts.max_iter_mle, eps)
    if opts.method == "mle":
        fit, evaluate = mle, design.evaluate
        _warn_if_not_converged(fit, separated, data.names, opts.max_iter)
    else:
        evaluate = FirthObjective(design)
        fit = newton(evaluate, zero, evaluate(zero), max_iter=opts.max_iter, eps=eps,
                     step_tol=_FIRTH_STEP_TOL)
        _warn_if_not_converged(fit, np.zeros(len(zero), bool), data.names, opts.max_iter)
    # Firth: the model-based variance is the inverse information at the estimate (coxphf)
    naive = _inverse(fit.fit.info if opts.method == "mle" else design.evaluate(fit.beta).info)
    robust = _robust(design, fit, naive, data, opts.vcov_type)
    inference = _infer(evaluate, fit, naive, robust, separated, opts)
    result = _result(data, design, fit, naive, robust, inference, first, separated, opts)
    return _with_aliased(result, all_names)


# --------------------------------------------------------------------------------------------
# the phases around the fit


def _rows_as_clusters(data: _CoxData) -> _CoxData:
    """R's rule: non-integer case weights and no cluster make every row its own cluster, so
    the variance is robust (sampling or inverse-probability weights are not frequencies)."""
    w = data.weights
    if data.cluster is not None or w is None or np.array_equal(w, np.floor(w)):
        return data
    return dataclasses.replace(data, cluster=np.arange(data.n), n_clusters=data.n,
                               cluster_labels=data.index)


def _drop_aliased(data: _CoxData, *, efron: bool) -> tuple[_CoxData, _Design, _Evaluation]:
    """Leave out covariates whose information is redundant (R reports NA for them), warning."""
    design = _design(data, efron)
    first = design.evaluate(np.zeros(len(data.names)))
    aliased = aliased_columns(design, first)
    if not aliased:
        return data, design, first
    listed = ", ".join(repr(data.names[i]) for i in aliased)
    if len(aliased) == len(data.names):
        raise ValidationError(
            f"cox: every covariate ({listed}) is constant within every risk set; there is "
            "nothing to estimate"
        )
    warnings.warn(
        f"cox: covariate(s) {listed} are collinear with the covariates before them or constant "
        "within every risk set (the information matrix is singular); their coefficients are NA, "
        "as in R, and the model is fitted without them",
        ContinuityWarning,
        stacklevel=3,
    )
    keep = [i for i in range(len(data.names)) if i not in aliased]
    data = dataclasses.replace(data, names=[data.names[i] for i in keep], x=data.x[:, keep])
    design = _design(data, efron)
    return data, design, design.evaluate(np.zeros(len(keep)))


def _design(data: _CoxData, efron: bool) -> _Design:
    return _Design(data.x, data.start, data.stop, data.event, data.strata, efron=efron,
                   weights=data.weights)


def _with_aliased(result: CoxResult, names: list[str]) -> CoxResult:
    """The result with a row of NA (and NA variances) for each aliased covariate."""
    if len(names) == len(result.summary):
        return result
    summary = result.summary.set_index("term").reindex(names).rename_axis("term").reset_index()
    summary["separation"] = summary["separation"].astype("boolean")
    return dataclasses.replace(
        result, summary=summary, var=result.var.reindex(index=names, columns=names),
        naive_var=result.naive_var.reindex(index=names, columns=names),
    )

#: Firth's Newton steps use the information, not the exact Hessian of the penalised likelihood,
#: so they converge linearly: stop on the size of the step, not on the change of the likelihood.
_FIRTH_STEP_TOL = 1e-10


@dataclass(frozen=True)
class _Settings:
    """The checked options of one call."""

    ties: str
    method: str
    conf_type: str
    vcov_type: str
    conf_level: float
    max_iter: int
    max_iter_mle: int
    eps: float

    @classmethod
    def check(cls, *, ties: object, method: object, conf_type: object, conf_level: object,
              max_iter: object, eps: object, cluster: object, vcov_type: object) -> _Settings:
        check_literal(ties, Ties, "ties", "cox")
        check_literal(method, CoxMethod, "method", "cox")
        if conf_type is None:
            conf_type = "profile" if method == "firth" else "wald"
        check_literal(conf_type, CoxConfType, "conf_type", "cox")
        check_literal(vcov_type, CoxVcovType, "vcov_type", "cox")
        if vcov_type == "cr2" and cluster is None:
            raise OptionError("cox: vcov_type='cr2' corrects a cluster-robust variance; name "
                              "the cluster column with cluster=")
        level = check_conf_level(conf_level, "cox")
        default_iter = 100 if method == "firth" else 20
        n_iter = default_iter if max_iter is None else check_whole(
            max_iter, "max_iter", "cox", minimum=1)
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < 1:
            raise OptionError(f"cox: eps must be a number in (0, 1), e.g. 1e-9, not {eps!r}")
        if cluster is not None and (method == "firth" or conf_type == "profile"):
            raise OptionError(
                "cox: cluster= gives cluster-robust Wald inference, but method='firth' and "
                "conf_type='profile' give model-based (profile) likelihood inference; drop "
                "cluster= (one row chain per unit needs none), or use method='mle', "
                "conf_type='wald'"
            )
        return cls(str(ties), str(method), str(conf_type), str(vcov_type), level, n_iter,
                   n_iter if method == "mle" else 20, float(eps))


class _Robust(NamedTuple):
    """The variance used for inference and, with clusters, the robust score test."""

    var: np.ndarray
    robust_se: np.ndarray  # NA without clusters
    robust_score: float | None
    df: np.ndarray  # degrees of freedom of each t statistic; inf for the normal


class _Inference(NamedTuple):
    """Per-term z, p-value and confidence limits of the coefficient (log scale)."""

    z: np.ndarray
    p_value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    lr_global: float  # (penalised) likelihood-ratio statistic of all coefficients zero


def _inverse(info: np.ndarray) -> np.ndarray:
    inv = np.linalg.inv(info)
    return (inv + inv.T) / 2


def _separated(fit: _NewtonResult, max_iter: int, eps: float) -> np.ndarray:
    """Terms whose coefficient runs to infinity (monotone likelihood), by R's rule.

    R's ``coxph`` warns when, at convergence, the next Newton step of a coefficient is larger
    than ``sqrt(eps) (1 + |coef|)``: the log-likelihood has stopped moving while the coefficient
    still does. The same rule is applied when the iterations ran out with the log-likelihood
    standing still (changed by less than 1e-6 in the last step), as happens when a coefficient
    runs away (its relative change is no guide when the log-likelihood tends to 0).
    """
    p = fit.beta.size
    if max_iter <= 1:
        return np.zeros(p, bool)
    with np.errstate(all="ignore"):
        step = np.abs(fit.fit.score @ _inverse(fit.fit.info))
    if not np.all(np.isfinite(step)):
        return np.ones(p, bool)
    running = step > np.sqrt(eps) * (1 + np.abs(fit.beta))
    still = fit.last_change <= 1e-6 * max(1.0, abs(fit.fit.loglik))
    return running if (fit.converged or still) else np.zeros(p, bool)


def _warn_if_not_converged(fit: _NewtonResult, separated: np.ndarray, names: list[str],
                           max_iter: int) -> None:
    """R's two warnings: iterations ran out, or a coefficient seems infinite."""
    if not fit.converged:
        warnings.warn(
            f"cox: Newton-Raphson did not converge in {max_iter} iterations; the estimates are "
            "from the last iteration (raise max_iter)",
            ConvergenceWarning,
            stacklevel=3,
        )
    if separated.any():
        listed = ", ".join(repr(names[i]) for i in np.flatnonzero(separated))
        warnings.warn(
            f"cox: the log-likelihood converged before covariate(s) {listed}; their "
            "coefficient may be infinite (no events, or only events, at some level). Their z, "
            "p_value and Wald limits are NA (the 'separation' column says which); use "
            "method='firth', or conf_type='profile' for limits that can be infinite",
            ConvergenceWarning,
            stacklevel=3,
        )


def _cluster_sums(values: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    return np.column_stack(
        [np.bincount(cluster, weights=values[:, k], minlength=n_clusters)
         for k in range(values.shape[1])]
    )


def _robust(design: _Design, fit: _NewtonResult, naive: np.ndarray, data: _CoxData,
            vcov_type: str) -> _Robust:
    """The grouped sandwich (Lin and Wei 1989) or CR2, and the robust score test."""
    p = len(data.names)
    if data.cluster is None or data.n_clusters is None:
        return _Robust(naive, np.full(p, np.nan), None, np.full(p, np.inf))
    w = np.ones(data.n) if data.weights is None else data.weights
    resid0 = _cluster_sums(design.residuals(fit.first) * w[:, None], data.cluster,
                           data.n_clusters)
    score = quadratic(resid0.T @ resid0, resid0.sum(axis=0))
    if vcov_type == "cr2":
        if data.weights is not None:
            raise OptionError("cox: vcov_type='cr2' is not offered with weights= yet; use "
                              "vcov_type='cr0'")
        _check_cr2(design, design.efron)
        small = cr2(design, fit.fit, data.cluster[design.used])
        return _Robust(small.var, np.sqrt(np.diag(small.var)), score, small.df)
    dfbeta = _cluster_sums(design.residuals(fit.fit) * w[:, None], data.cluster,
                           data.n_clusters) @ naive
    var = dfbeta.T @ dfbeta
    return _Robust(var, np.sqrt(np.diag(var)), score, np.full(p, np.inf))


def _check_cr2(design: _Design, efron: bool) -> None:
    if efron and np.any(design.deaths > 1):
        raise OptionError(
            "cox: vcov_type='cr2' is defined through the Poisson form of Breslow's likelihood, "
            "and these data have tied event times, where Efron's differs from it; pass "
            "ties='breslow' with vcov_type='cr2'"
        )
    if expanded_size(design) > MAX_CELLS:
        raise OptionError(
            f"cox: vcov_type='cr2' would build a design of {expanded_size(design):,} cells "
            f"(more than {MAX_CELLS:,}); with this many rows CR2 and CR0 barely differ: use "
            "vcov_type='cr0'"
        )


def _infer(evaluate, fit: _NewtonResult, naive: np.ndarray, robust: _Robust,
           separated: np.ndarray, opts: _Settings) -> _Inference:
    """Wald or profile limits; Wald p-values, or penalised likelihood-ratio ones for Firth."""
    beta = fit.beta
    se = np.sqrt(np.diag(robust.var))
    z = beta / se
    df = robust.df
    crit = np.where(np.isinf(df), special.ndtri(0.5 + opts.conf_level / 2),
                    special.stdtrit(np.where(np.isinf(df), 1.0, df), 0.5 + opts.conf_level / 2))
    low, high = beta - crit * se, beta + crit * se
    p_value = 2 * np.where(np.isinf(df), special.ndtr(-np.abs(z)),
                           special.stdtr(np.where(np.isinf(df), 1.0, df), -np.abs(z)))
    profile = Profile(evaluate, beta, fit.fit.loglik)
    if opts.conf_type == "profile":
        cut = special.ndtri(0.5 + opts.conf_level / 2) ** 2  # chi-square(1) quantile
        limits = [profile.interval(k, cut, float(se[k])) for k in range(beta.size)]
        low, high = np.array([lo for lo, _ in limits]), np.array([hi for _, hi in limits])
    if opts.method == "firth":
        stats = np.array([profile.lr_statistic(k) for k in range(beta.size)])
        p_value = special.chdtrc(1, np.maximum(stats, 0.0))
    else:
        z, p_value = np.where(separated, np.nan, z), np.where(separated, np.nan, p_value)
        if opts.conf_type == "wald":
            low, high = np.where(separated, np.nan, low), np.where(separated, np.nan, high)
    lr_global = 2 * (fit.fit.loglik - fit.first.loglik)
    return _Inference(z, p_value, low, high, lr_global)


def _tests(data: _CoxData, fit: _NewtonResult, robust: _Robust, inference: _Inference,
           first: _Evaluation, separated: np.ndarray, opts: _Settings) -> pd.DataFrame:
    p = len(data.names)
    lr_name = "penalised_likelihood_ratio" if opts.method == "firth" else "likelihood_ratio"
    wald = np.nan if separated.any() and opts.method == "mle" else quadratic(robust.var, fit.beta)
    step = np.linalg.solve(first.info, first.score)
    rows = [(lr_name, inference.lr_global), ("wald", wald), ("score", float(first.score @ step))]
    if robust.robust_score is not None:
        rows.append(("robust_score", robust.robust_score))
    return pd.DataFrame(
        {"test": [t for t, _ in rows], "statistic": [s for _, s in rows], "df": p,
         "p_value": [float(special.chdtrc(p, s)) for _, s in rows]}
    )


def _result(data: _CoxData, design: _Design, fit: _NewtonResult, naive: np.ndarray,
            robust: _Robust,
            inference: _Inference, first: _Evaluation, separated: np.ndarray,
            opts: _Settings) -> CoxResult:
    names, beta = data.names, fit.beta
    with np.errstate(over="ignore"):  # a diverging coefficient: limits are inf, as in R
        hr_low, hr_high = np.exp(inference.low), np.exp(inference.high)
    summary = pd.DataFrame(
        {"term": names, "coef": beta, "exp_coef": np.exp(beta),
         "std_error": np.sqrt(np.diag(naive)), "robust_se": robust.robust_se,
         "z": inference.z, "p_value": inference.p_value, "conf_low": hr_low,
         "conf_high": hr_high, "df": robust.df, "separation": separated}
    )
    return CoxResult(
        summary=summary, tests=_tests(data, fit, robust, inference, first, separated, opts),
        var=pd.DataFrame(robust.var, index=names, columns=names),
        naive_var=pd.DataFrame(naive, index=names, columns=names),
        loglik=(float(fit.loglik0), float(fit.fit.loglik)), n=data.n, n_events=data.n_events,
        n_clusters=data.n_clusters, iterations=int(fit.iterations),
        converged=bool(fit.converged), ties=opts.ties, conf_level=opts.conf_level,
        method=opts.method, conf_type=opts.conf_type,
        vcov_type=opts.vcov_type if data.cluster is not None else None,
        _state=_FitState(data, design, fit.fit, beta, naive),
    )
