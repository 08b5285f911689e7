"""Exact (Clopper-Pearson) intervals for proportions, for shares built on a handful of units."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaincinv

from continuity._options import check_conf_level
from continuity.errors import OptionError

__all__ = ["clopper_pearson", "exact_proportion"]


def clopper_pearson(successes, trials, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson limits for ``successes`` out of ``trials`` (arrays; not necessarily
    whole numbers, as with an effective sample size), as R's ``binom.test``."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    alpha = 1.0 - conf_level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x > 0, betaincinv(x, n - x + 1.0, alpha / 2.0), 0.0)
        high = np.where(x < n, betaincinv(x + 1.0, n - x, 1.0 - alpha / 2.0), 1.0)
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def exact_proportion(successes, trials, *, conf_level: float = 0.95) -> pd.DataFrame:
    """A share with its exact (Clopper-Pearson) interval, honest with one or two units.

    Parameters
    ----------
    successes, trials : int or array-like of int
        Counts, ``0 <= successes <= trials``, ``trials >= 1``.
    conf_level : float, default 0.95
        Level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``n_events`` (successes), ``n`` (trials), ``estimate`` (the share),
        ``conf_low``, ``conf_high``: the interval that covers the true share with probability
        at least ``conf_level`` whatever the share (Clopper and Pearson, Biometrika 26, 1934,
        404-413), equal to R's ``binom.test(x, n)$conf.int``.

    Raises
    ------
    continuity.OptionError
        If a count is not a whole number, negative, or above its number of trials.

    Examples
    --------
    >>> from continuity import exact_proportion
    >>> exact_proportion(1, 2).round(4)
       n_events  n  estimate  conf_low  conf_high
    0         1  2       0.5    0.0126     0.9874
    """
    fn = "exact_proportion"
    conf_level = check_conf_level(conf_level, fn)
    x = np.atleast_1d(np.asarray(successes))
    n = np.atleast_1d(np.asarray(trials))
    ok = x.shape == n.shape and x.dtype.kind in "iuf" and n.dtype.kind in "iuf"
    ok = ok and bool(np.all(x == np.floor(x)) and np.all(n == np.floor(n)))
    ok = ok and bool(np.all((x >= 0) & (x <= n) & (n >= 1)))
    if not ok:
        raise OptionError(
            f"{fn}: successes and trials must be whole numbers of the same shape with "
            f"0 <= successes <= trials and trials >= 1, got {successes!r} and {trials!r}"
        )
    low, high = clopper_pearson(x, n, conf_level)
    return pd.DataFrame(
        {"n_events": x.astype(np.int64), "n": n.astype(np.int64), "estimate": x / n,
         "conf_low": low, "conf_high": high}
    )
