"""Exact Poisson rate ratios and Wilson intervals for proportions.

:func:`rate_ratio` compares two event rates (events per unit of person-time), e.g. agreements
ending per year under a new leader against under the signing leader, with the exact conditional
test of R's ``poisson.test``. :func:`wilson_interval` gives the score interval of a proportion
(e.g. the share of targets met), as R's ``prop.test(correct = FALSE)``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import special

from continuity._options import check_conf_level, check_whole
from continuity.errors import OptionError, ValidationError

__all__ = ["rate_ratio", "wilson_interval"]

#: Counts above this are held exactly as int64 neither in numpy nor in the result columns.
_MAX_COUNT = np.iinfo(np.int64).max


def _count(value: object, name: str, fn: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise OptionError(f"{fn}: {name} must be a whole number of events, got {value!r}")
    return check_whole(value, name, fn, minimum=0, maximum=_MAX_COUNT, unit="events")


def _time(value: object, name: str, fn: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise OptionError(f"{fn}: {name} must be a positive person-time, got {value!r}")
    if not np.isfinite(float(value)) or float(value) <= 0:
        raise OptionError(
            f"{fn}: {name} must be a positive finite person-time, got {value!r}; a rate needs "
            "time at risk"
        )
    return float(value)


def _counts(value: object, name: str, fn: str) -> np.ndarray:
    """Whole non-negative counts as an exact int64 array (never through a rounding float)."""
    arr = np.asarray(value)
    if arr.dtype == object and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in arr.ravel()
    ):
        if any(abs(int(v)) > _MAX_COUNT for v in arr.ravel()):
            raise ValidationError(f"{fn}: {name} must be at most 2**63 - 1; larger counts are "
                                  "not supported")
        arr = arr.astype(np.int64)
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise ValidationError(f"{fn}: {name} must be whole numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.floor(arr)) | (arr >= 2.0**63)
    else:
        bad = (arr < 0) | (arr > _MAX_COUNT)
    if bad.any():
        raise ValidationError(
            f"{fn}: {name} must be non-negative whole numbers below 2**63; {int(bad.sum())} are "
            f"not (first: {arr[bad].ravel()[0]!r})"
        )
    return arr.astype(np.int64)


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
    continuity.OptionError
        If a count is negative, not whole, above 2**63 - 1, or both counts are 0; if a time is
        not positive and finite; if ``conf_level`` is not in (0, 1).

    Notes
    -----
    Given :math:`a + b` events, :math:`a` is binomial with probability
    :math:`\\pi = t_a \\rho/(t_a \\rho + t_b)` where :math:`\\rho` is the rate ratio. The
    Clopper-Pearson interval :math:`(\\pi_L, \\pi_U)` for :math:`\\pi` maps to
    :math:`\\rho = \\pi/(1-\\pi) \\cdot t_b/t_a`, and the p-value is the exact two-sided binomial
    test of :math:`\\pi = t_a/(t_a + t_b)` (outcomes no more likely than the one observed). This is
    R's ``poisson.test(c(a, b), c(t_a, t_b))`` (Fay, "Two-sided exact tests and matching
    confidence intervals for discrete data", R Journal 2(1), 2010, 53-58), computed with
    :func:`scipy.stats.binomtest` and its ``proportion_ci(method="exact")``; time and memory do
    not grow with the counts.

    Examples
    --------
    >>> from continuity.rates import rate_ratio
    >>> rate_ratio(10, 100.0, 5, 120.0).round(4)
       estimate  conf_low  conf_high  p_value  events_a  time_a  events_b  time_b
    0       2.4    0.7474     8.9488   0.1216        10   100.0         5   120.0
    """
    from scipy import stats  # lazily: importing continuity does not load scipy.stats

    fn = "rate_ratio"
    a = _count(events_a, "events_a", fn)
    b = _count(events_b, "events_b", fn)
    ta = _time(time_a, "time_a", fn)
    tb = _time(time_b, "time_b", fn)
    conf_level = check_conf_level(conf_level, fn)
    if a + b == 0:
        raise OptionError(
            f"{fn}: events_a and events_b are both 0; a rate ratio needs at least one event"
        )
    # given a + b events, a is binomial(a + b, ta / (ta + tb)) when the rates are equal; scipy's
    # binomtest applies R's binom.test rules (two-sided: outcomes no more likely than a, relative
    # tolerance 1e-7) by a binary search, with no array over the outcomes
    test = stats.binomtest(a, a + b, ta / (ta + tb))
    ci = test.proportion_ci(confidence_level=conf_level, method="exact")
    with np.errstate(divide="ignore"):
        scale = tb / ta
        low = ci.low / (1.0 - ci.low) * scale
        high = np.inf if ci.high == 1.0 else ci.high / (1.0 - ci.high) * scale
        estimate = np.inf if b == 0 else (a / ta) / (b / tb)
    return pd.DataFrame(
        {
            "estimate": [float(estimate)],
            "conf_low": [float(low)],
            "conf_high": [float(high)],
            "p_value": [float(test.pvalue)],
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
        If a count is negative, missing, not whole or 2**63 or more, ``successes > trials``,
        ``trials`` is 0, or the shapes do not broadcast.
    continuity.OptionError
        If ``conf_level`` is not in (0, 1).

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
    arrays = [_counts(successes, "successes", fn), _counts(trials, "trials", fn)]
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
    z = special.ndtri((1.0 + conf_level) / 2.0)
    p = x / n  # int64 / int64 divides in float: no integer product can overflow
    z22n = z * z / (2.0 * n)
    centre = p + z22n
    half = z * np.sqrt(p * (1.0 - p) / n + z22n / (2.0 * n))
    low = np.where(x == 0, 0.0, (centre - half) / (1.0 + 2.0 * z22n))
    high = np.where(x == n, 1.0, (centre + half) / (1.0 + 2.0 * z22n))
    return pd.DataFrame(
        {
            "successes": x,
            "trials": n,
            "estimate": p,
            "conf_low": low,
            "conf_high": high,
        }
    )
