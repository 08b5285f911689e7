"""Exact Poisson rate ratios and Wilson intervals for proportions.

:func:`rate_ratio` compares two event rates (events per unit of person-time), e.g. agreements
ending per year under a new leader against under the signing leader, with the exact conditional
test of R's ``poisson.test``. :func:`wilson_interval` gives the score interval of a proportion
(e.g. the share of targets met), as R's ``prop.test(correct = FALSE)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from continuity._options import check_conf_level
from continuity.errors import ValidationError

__all__ = ["rate_ratio", "wilson_interval"]

#: Relative tolerance of R's ``binom.test`` when it collects outcomes "as likely or less".
_REL_ERR = 1.0 + 1e-7


def _count(value: object, name: str, fn: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValidationError([f"{fn}: {name} must be a whole number of events, got {value!r}"])
    if not np.isfinite(value) or value < 0 or value != int(value):
        raise ValidationError(
            [f"{fn}: {name} must be a non-negative whole number of events, got {value!r}"]
        )
    return int(value)


def _time(value: object, name: str, fn: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValidationError([f"{fn}: {name} must be a positive person-time, got {value!r}"])
    if not np.isfinite(value) or value <= 0:
        raise ValidationError(
            [
                f"{fn}: {name} must be a positive finite person-time, got {value!r}; a rate needs "
                "time at risk"
            ]
        )
    return float(value)


def _binom_two_sided(x: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value, R's ``binom.test`` rule.

    The probability of every outcome no more likely than the one observed (within a relative
    tolerance of 1e-7).
    """
    d = stats.binom.pmf(x, n, p)
    m = n * p
    if x == m:
        return 1.0
    if x < m:
        i = np.arange(int(np.ceil(m)), n + 1)
        y = int(np.sum(stats.binom.pmf(i, n, p) <= d * _REL_ERR))
        pval = stats.binom.cdf(x, n, p) + stats.binom.sf(n - y, n, p)
    else:
        i = np.arange(0, int(np.floor(m)) + 1)
        y = int(np.sum(stats.binom.pmf(i, n, p) <= d * _REL_ERR))
        pval = stats.binom.cdf(y - 1, n, p) + stats.binom.sf(x - 1, n, p)
    return float(min(1.0, pval))


def rate_ratio(
    events_a: int,
    time_a: float,
    events_b: int,
    time_b: float,
    *,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Ratio of two Poisson rates with its exact conditional interval and p-value.

    Parameters
    ----------
    events_a, events_b : int
        Event counts, non-negative whole numbers, not both zero.
    time_a, time_b : float
        Person-time at risk of each group, positive, in one unit (the ratio does not depend on
        which).
    conf_level : float, default 0.95
        Level of the confidence interval.

    Returns
    -------
    pandas.DataFrame
        One row with columns ``estimate`` (the rate ratio
        :math:`(a/t_a)/(b/t_b)`, unitless; ``inf`` when ``events_b`` is 0), ``conf_low``,
        ``conf_high`` (exact conditional interval; ``conf_high`` is ``inf`` when ``events_b`` is
        0), ``p_value`` (two-sided, of the hypothesis of equal rates), and the inputs
        ``events_a, time_a, events_b, time_b``.

    Raises
    ------
    continuity.ValidationError
        If a count is negative, not whole, or both counts are 0; if a time is not positive and
        finite; if ``conf_level`` is not in (0, 1).

    Notes
    -----
    Given :math:`a + b` events, :math:`a` is binomial with probability
    :math:`\\pi = t_a \\rho/(t_a \\rho + t_b)` where :math:`\\rho` is the rate ratio. The
    Clopper-Pearson interval :math:`(\\pi_L, \\pi_U)` for :math:`\\pi` maps to
    :math:`\\rho = \\pi/(1-\\pi) \\cdot t_b/t_a`, and the p-value is the exact two-sided binomial
    test of :math:`\\pi = t_a/(t_a + t_b)` (outcomes no more likely than the one observed). This is
    R's ``poisson.test(c(a, b), c(t_a, t_b))`` (Fay, "Two-sided exact tests and matching
    confidence intervals for discrete data", R Journal 2(1), 2010, 53-58).

    Examples
    --------
    >>> from continuity.rates import rate_ratio
    >>> rate_ratio(10, 100.0, 5, 120.0).round(4)
       estimate  conf_low  conf_high  p_value  events_a  time_a  events_b  time_b
    0       2.4    0.7474     8.9488   0.1216        10   100.0         5   120.0
    """
    fn = "rate_ratio"
    a = _count(events_a, "events_a", fn)
    b = _count(events_b, "events_b", fn)
    ta = _time(time_a, "time_a", fn)
    tb = _time(time_b, "time_b", fn)
    conf_level = check_conf_level(conf_level, fn)
    if a + b == 0:
        raise ValidationError(
            [f"{fn}: events_a and events_b are both 0; a rate ratio needs at least one event"]
        )
    n = a + b
    alpha = (1.0 - conf_level) / 2.0
    p_low = 0.0 if a == 0 else stats.beta.ppf(alpha, a, n - a + 1)
    p_high = 1.0 if a == n else stats.beta.ppf(1.0 - alpha, a + 1, n - a)
    with np.errstate(divide="ignore"):
        scale = tb / ta
        low = p_low / (1.0 - p_low) * scale
        high = np.inf if p_high == 1.0 else p_high / (1.0 - p_high) * scale
        estimate = np.inf if b == 0 else (a / ta) / (b / tb)
    p_value = _binom_two_sided(a, n, ta / (ta + tb))
    return pd.DataFrame(
        {
            "estimate": [float(estimate)],
            "conf_low": [float(low)],
            "conf_high": [float(high)],
            "p_value": [p_value],
            "events_a": [a],
            "time_a": [ta],
            "events_b": [b],
            "time_b": [tb],
        }
    )


def wilson_interval(
    successes,
    trials,
    *,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Wilson score interval of a proportion, vectorised over arrays.

    Parameters
    ----------
    successes, trials : int or array-like of int
        Counts, broadcast against each other; ``0 <= successes <= trials`` and ``trials >= 1``.
    conf_level : float, default 0.95
        Level of the confidence interval.

    Returns
    -------
    pandas.DataFrame
        One row per (broadcast) element, columns ``successes``, ``trials``, ``estimate``
        (``successes / trials``, a proportion), ``conf_low`` and ``conf_high``.

    Raises
    ------
    continuity.ValidationError
        If a count is negative, missing or not whole, ``successes > trials``, ``trials`` is 0,
        the shapes do not broadcast, or ``conf_level`` is not in (0, 1).

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z` the normal quantile,

    .. math::

        \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n},

    with the lower limit 0 when :math:`x = 0` and the upper 1 when :math:`x = n` (Wilson, JASA 22,
    1927, 209-212). This is R's ``prop.test(x, n, correct = FALSE)$conf.int``.

    Examples
    --------
    >>> from continuity.rates import wilson_interval
    >>> wilson_interval([0, 3, 10], 10).round(4)
       successes  trials  estimate  conf_low  conf_high
    0          0      10       0.0    0.0000     0.2775
    1          3      10       0.3    0.1078     0.6032
    2         10      10       1.0    0.7225     1.0000
    """
    fn = "wilson_interval"
    conf_level = check_conf_level(conf_level, fn)
    arrays = []
    for name, value in (("successes", successes), ("trials", trials)):
        arr = np.asarray(value)
        if arr.dtype == bool or not (
            np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
        ):
            raise ValidationError([f"{fn}: {name} must be whole numbers, got dtype {arr.dtype}"])
        arr = arr.astype(float)
        bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.floor(arr))
        if bad.any():
            raise ValidationError(
                [
                    f"{fn}: {name} must be non-negative whole numbers; {int(bad.sum())} are not "
                    f"(first: {arr[bad].ravel()[0]!r})"
                ]
            )
        arrays.append(arr)
    try:
        x, n = np.broadcast_arrays(*arrays)
    except ValueError as err:
        raise ValidationError(
            [
                f"{fn}: successes (shape {arrays[0].shape}) and trials (shape {arrays[1].shape}) "
                "do not broadcast to one shape"
            ]
        ) from err
    x, n = x.ravel(), n.ravel()
    if (n == 0).any():
        raise ValidationError(
            [f"{fn}: {int((n == 0).sum())} trials are 0; a proportion needs at least one trial"]
        )
    over = x > n
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ValidationError(
            [
                f"{fn}: {int(over.sum())} elements have successes > trials (first at position "
                f"{i}: {int(x[i])} > {int(n[i])})"
            ]
        )
    z = stats.norm.ppf((1.0 + conf_level) / 2.0)
    p = x / n
    z22n = z * z / (2.0 * n)
    centre = p + z22n
    half = z * np.sqrt(p * (1.0 - p) / n + z22n / (2.0 * n))
    low = np.where(x == 0, 0.0, (centre - half) / (1.0 + 2.0 * z22n))
    high = np.where(x == n, 1.0, (centre + half) / (1.0 + 2.0 * z22n))
    return pd.DataFrame(
        {
            "successes": x.astype(np.int64),
            "trials": n.astype(np.int64),
            "estimate": p,
            "conf_low": low,
            "conf_high": high,
        }
    )
