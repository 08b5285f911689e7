"""Profile-likelihood intervals and tests for :func:`continuity.cox` (ordinary or penalised).

The profile of coefficient :math:`k` at value :math:`b` is the (penalised) log partial
likelihood maximised over the other coefficients with :math:`\\beta_k = b`. The confidence limits
are the two values where :math:`2(\\hat\\ell - \\ell_{prof}(b))` equals the chi-square quantile
with one degree of freedom; a limit is infinite when the profile never falls that far (monotone
likelihood in that direction). The likelihood-ratio test of :math:`\\beta_k = 0` is
:math:`2(\\hat\\ell - \\ell_{prof}(0))`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from continuity._cox_design import _Evaluation, newton

#: How far (on the log hazard ratio scale) a limit is searched before it is called infinite.
_SEARCH = 50.0
#: Convergence of the inner refits: the largest Newton step on the other coefficients.
_STEP_TOL = 1e-10


class Profile:
    """The profile log-likelihood of each coefficient, refitting the others by Newton-Raphson."""

    def __init__(self, evaluate: Callable[[np.ndarray], _Evaluation], beta: np.ndarray,
                 loglik: float):
        self.evaluate, self.beta, self.loglik = evaluate, beta, loglik

    def at(self, k: int, value: float) -> float:
        """The profile log-likelihood of coefficient ``k`` at ``value``."""
        start = self.beta.copy()
        start[k] = value
        first = self.evaluate(start)
        if start.size == 1 or not np.isfinite(first.loglik):
            return float(first.loglik)
        free = np.ones(start.size, bool)
        free[k] = False
        fit = newton(self.evaluate, start, first, max_iter=200, eps=0.0, free=free,
                     step_tol=_STEP_TOL)
        return float(fit.fit.loglik)

    def lr_statistic(self, k: int, value: float = 0.0) -> float:
        """:math:`2(\\hat\\ell - \\ell_{prof}(value))`, the likelihood-ratio statistic."""
        return 2.0 * (self.loglik - self.at(k, value))

    def limit(self, k: int, cut: float, direction: int, scale: float) -> float:
        """The confidence limit of coefficient ``k`` on one side (``direction`` -1 or +1)."""
        from scipy.optimize import brentq  # lazily: importing continuity stays fast

        def excess(b: float) -> float:
            value = self.lr_statistic(k, b) - cut
            return value if np.isfinite(value) else np.inf

        centre = float(self.beta[k])
        step = min(max(scale, 0.05), 1.0)
        inner = centre
        while abs(step) <= _SEARCH:
            outer = centre + direction * step
            if excess(outer) > 0:
                lo, hi = sorted((inner, outer))
                return float(brentq(excess, lo, hi, xtol=1e-12, rtol=4 * np.finfo(float).eps))
            inner, step = outer, 2 * step
        return direction * np.inf

    def interval(self, k: int, cut: float, scale: float) -> tuple[float, float]:
        """Both limits of coefficient ``k`` (log hazard ratio scale)."""
        return self.limit(k, cut, -1, scale), self.limit(k, cut, +1, scale)
