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

__all__ = ["binom_two_sided", "clopper_pearson", "poisson_rates", "rate_ratio", "rate_ratios",
           "wilson_interval"]

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


# --- vectorised forms: one row per element, for the metrics over many units -------------------
def _as_times(value, name: str, fn: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    bad = ~(arr >= 0) | ~np.isfinite(arr)
    if bad.any():
        raise ValidationError([f"{fn}: {name} must be finite person-times, 0 or more; "
                               f"{int(bad.sum())} are not (first: {arr[bad].ravel()[0]!r})"])
    return arr


def clopper_pearson(successes, trials, conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) limits of binomial proportions, as R's ``binom.test``.

    Vectorised over arrays of counts (floats holding whole numbers); NaN where ``trials`` is 0.
    The lower limit is 0 when there is no success and the upper 1 when every trial succeeded.
    """
    from scipy import stats  # lazily, as in rate_ratio

    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    alpha = (1.0 - conf_level) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x == 0, 0.0, stats.beta.ppf(alpha, x, n - x + 1))
        high = np.where(x == n, 1.0, stats.beta.ppf(1.0 - alpha, x + 1, n - x))
    empty = n == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def binom_two_sided(successes, trials, p) -> np.ndarray:
    """Two-sided exact binomial p-values, R's ``binom.test`` rule, vectorised.

    The probability of every outcome no more likely than the one observed (within a relative
    tolerance of 1e-7). The binomial probabilities
    fall monotonically away from the mean on each side, so the outcomes as unlikely on the far
    side form a tail whose edge is found by bisection, for every element at once. NaN where
    ``trials`` is 0.
    """
    from scipy import stats  # lazily, as in rate_ratio

    x, n, p = np.broadcast_arrays(np.asarray(successes, dtype=float),
                                  np.asarray(trials, dtype=float), np.asarray(p, dtype=float))
    x, n, p = x.ravel(), n.ravel(), p.ravel()
    d = stats.binom.pmf(x, n, p) * (1.0 + 1e-7)  # R's relErr
    m = n * p
    below = x < m
    # far side: [ceil(m), n] (pmf non-increasing) when x < m, [0, floor(m)] (non-decreasing)
    lo = np.where(below, np.ceil(m), 0.0)
    hi = np.where(below, n, np.floor(m))
    # find the first index of [lo, hi] whose pmf is <= d (x < m), or the last (x > m)
    a, b = lo.copy(), hi + 1.0  # below: answer in [lo, hi + 1]; hi + 1 means none
    a2, b2 = lo - 1.0, hi  # above: answer in [lo - 1, hi]; lo - 1 means none
    left = np.where(below, a, a2)
    right = np.where(below, b, b2)
    while np.any(right - left > 0):
        if below.any():
            mid = np.floor((left + right) / 2.0)
            ok = stats.binom.pmf(mid, n, p) <= d
            go = below & (right - left > 0)
            right = np.where(go & ok, mid, right)
            left = np.where(go & ~ok, mid + 1.0, left)
        if (~below).any():
            mid = np.ceil((left + right) / 2.0)
            ok = stats.binom.pmf(mid, n, p) <= d
            go = ~below & (right - left > 0)
            left = np.where(go & ok, mid, left)
            right = np.where(go & ~ok, mid - 1.0, right)
    y = np.where(below, n - left + 1.0, left - lo + 1.0)  # outcomes as unlikely, far side
    with np.errstate(invalid="ignore"):
        pv = np.where(below, stats.binom.cdf(x, n, p) + stats.binom.sf(n - y, n, p),
                      stats.binom.cdf(y - 1.0, n, p) + stats.binom.sf(x - 1.0, n, p))
    pv = np.where(x == m, 1.0, np.minimum(1.0, pv))
    return np.where(n == 0, np.nan, pv)


def poisson_rates(events, time, *, conf_level: float = 0.95) -> pd.DataFrame:
    """Poisson rates with exact intervals, vectorised: R's ``poisson.test(x, T)``.

    Parameters
    ----------
    events : int or array-like of int
        Event counts, non-negative whole numbers.
    time : float or array-like of float
        Person-time of each, 0 or more (broadcast against ``events``), in any one unit.
    conf_level : float, default 0.95
        Level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per element: ``events``, ``time``, ``estimate`` (``events / time``, per unit of
        time), ``conf_low``, ``conf_high``; NaN where ``time`` is 0 (no rate without time).

    Raises
    ------
    continuity.ValidationError
        A count that is negative or not whole, a time that is negative or not finite.
    continuity.errors.OptionError
        ``conf_level`` outside (0, 1).

    Notes
    -----
    The exact interval of a Poisson mean :math:`\\mu` from :math:`x` events is
    :math:`(G^{-1}_{x}(\\alpha/2),\\ G^{-1}_{x+1}(1-\\alpha/2))` with :math:`G_k` the gamma
    distribution of shape :math:`k` (the lower limit 0 when :math:`x = 0`), divided by the
    time (Garwood, Biometrika 28, 1936, 437-442); this is R's ``poisson.test(x, T)$conf.int``.

    Examples
    --------
    >>> from continuity.rates import poisson_rates
    >>> poisson_rates([0, 4], [2.0, 2.0]).round(4)
       events  time  estimate  conf_low  conf_high
    0     0.0   2.0       0.0    0.0000     1.8444
    1     4.0   2.0       2.0    0.5449     5.1208
    """
    from scipy import stats  # lazily, as in rate_ratio

    fn = "poisson_rates"
    conf_level = check_conf_level(conf_level, fn)
    x = _counts(events, "events", fn).astype(float)
    t = _as_times(time, "time", fn)
    x, t = (a.ravel() for a in np.broadcast_arrays(x, t))
    alpha = (1.0 - conf_level) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x == 0, 0.0, stats.gamma.ppf(alpha, np.maximum(x, 1))) / t
        high = stats.gamma.ppf(1.0 - alpha, x + 1) / t
        est = x / t
    none = t == 0
    return pd.DataFrame({"events": x, "time": t, "estimate": np.where(none, np.nan, est),
                         "conf_low": np.where(none, np.nan, low),
                         "conf_high": np.where(none, np.nan, high)})


def rate_ratios(events_a, time_a, events_b, time_b, *, conf_level: float = 0.95) -> pd.DataFrame:
    """:func:`rate_ratio` for arrays: one exact conditional comparison per element.

    Parameters
    ----------
    events_a, time_a, events_b, time_b : array-like
        Counts (non-negative whole numbers) and person-times (0 or more) of each comparison,
        broadcast against each other.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per element, the columns of :func:`rate_ratio`. Where no comparison can be made
        (no event in either group, or no time in one of them) ``estimate, conf_low, conf_high,
        p_value`` are NaN rather than an error, so that one empty group does not stop a table.

    Examples
    --------
    >>> from continuity.rates import rate_ratios
    >>> rate_ratios([10, 0], [100.0, 5.0], [5, 0], [120.0, 5.0]).round(4)
       estimate  conf_low  conf_high  p_value  events_a  time_a  events_b  time_b
    0       2.4    0.7474     8.9488   0.1216      10.0   100.0       5.0   120.0
    1       NaN       NaN        NaN      NaN       0.0     5.0       0.0     5.0
    """
    fn = "rate_ratios"
    conf_level = check_conf_level(conf_level, fn)
    a = _counts(events_a, "events_a", fn).astype(float)
    b = _counts(events_b, "events_b", fn).astype(float)
    ta = _as_times(time_a, "time_a", fn)
    tb = _as_times(time_b, "time_b", fn)
    a, ta, b, tb = (v.ravel() for v in np.broadcast_arrays(a, ta, b, tb))
    n = a + b
    ok = (n > 0) & (ta > 0) & (tb > 0)
    p_low, p_high = clopper_pearson(np.where(ok, a, 0.0), np.where(ok, n, 1.0), conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = tb / ta
        low = p_low / (1.0 - p_low) * scale
        high = np.where(p_high == 1.0, np.inf, p_high / (1.0 - p_high) * scale)
        est = np.where(b == 0, np.inf, (a / ta) / (b / tb))
        share = ta / (ta + tb)
    pv = binom_two_sided(np.where(ok, a, 0.0), np.where(ok, n, 1.0), np.where(ok, share, 0.5))
    nan = np.nan
    return pd.DataFrame({"estimate": np.where(ok, est, nan), "conf_low": np.where(ok, low, nan),
                         "conf_high": np.where(ok, high, nan), "p_value": np.where(ok, pv, nan),
                         "events_a": a, "time_a": ta, "events_b": b, "time_b": tb})
