"""One rule for times that differ only by floating-point noise, shared by every estimator.

``2`` and ``sqrt(2)**2`` differ in the last bit; so do ages computed as ``(b - a) / 365.25`` along
two paths. R's ``survival`` package treats such times as one (``aeqSurv``, used by ``survfit``,
``survdiff`` and ``coxph`` unless ``timefix = FALSE``), and so does :mod:`continuity`: the
Kaplan-Meier curve, its median and RMST, the log-rank test, the Nelson-Aalen and Aalen-Johansen
estimators and ``cox`` all pass their times through :func:`merge_near_ties` first.

The rule, as R's: sort the distinct finite times :math:`y_1 < \\dots < y_m`; two neighbours are
tied when :math:`y_{k+1} - y_k \\le \\epsilon` or :math:`(y_{k+1} - y_k) / \\bar{|y|} \\le
\\epsilon`, with :math:`\\epsilon = \\sqrt{\\text{machine eps}} \\approx 1.5 \\times 10^{-8}` and
:math:`\\bar{|y|}` the mean absolute distinct time; each chain of tied neighbours becomes its
smallest member. Entry and exit times are pooled, so an entry and an exit that differ by noise
become the same time. Whole-number times (days) below :math:`1/\\epsilon` can never be tied by
this rule and are returned as they are, at the cost of one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from continuity.errors import ValidationError

__all__ = [
    "TOLERANCE",
    "Chains",
    "check_no_empty_interval",
    "merge_near_ties",
    "near_tie_chains",
    "snap",
]

#: R's default tolerance in ``aeqSurv`` (``sqrt(.Machine$double.eps)``).
TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def _whole_and_small(values: np.ndarray) -> bool:
    if values.size == 0:
        return True
    head = values[:1000]
    if not np.array_equal(head, np.floor(head)):  # most continuous data stop here
        return False
    biggest = max(abs(float(values.min())), abs(float(values.max())))
    return biggest < 1.0 / TOLERANCE and bool(np.array_equal(values, np.floor(values)))


@dataclass(frozen=True)
class Chains:
    """Chains of tied times: ``cuts``, the smallest member of each (sorted), and ``span``, the
    widest chain (its largest minus its smallest member)."""

    cuts: np.ndarray
    span: float


def near_tie_chains(stop: np.ndarray, start: np.ndarray | None = None) -> Chains | None:
    """The chains of tied times among the entry and exit times.

    None when no two times are tied, which is also the answer for whole numbers below
    :math:`1/\\epsilon`. A time ``t`` belongs to the chain of the largest cut ``<= t``; for a cut
    ``c``, ``merged(t) < c`` exactly when ``t < c``, so counts of raw times below a cut need no
    merging.
    """
    if _whole_and_small(stop) and (start is None or _whole_and_small(start)):
        return None
    pooled = stop if start is None else np.concatenate([start, stop])
    y = np.unique(pooled)  # the estimators pass finite times only
    if y.size < 2:
        return None
    dy = np.diff(y)
    scale = float(np.mean(y) if y[0] >= 0 else np.mean(np.abs(y)))
    # dy <= tol or dy / scale <= tol, in one pass
    tied = dy <= (TOLERANCE * max(scale, 1.0) if scale > 0 else TOLERANCE)
    del dy
    if not tied.any():
        return None
    head = np.flatnonzero(np.concatenate([[True], ~tied]))
    tail = np.append(head[1:], y.size) - 1
    return Chains(y[head], float(np.max(y[tail] - y[head])))


def snap(chains: Chains | None, values: np.ndarray) -> np.ndarray:
    """Each value replaced by the representative of its chain (fast when values are sorted)."""
    if chains is None:
        return values
    return chains.cuts[np.searchsorted(chains.cuts, values, side="right") - 1]


def check_no_empty_interval(
    chains: Chains | None,
    start: np.ndarray | None,
    stop: np.ndarray,
    *,
    where: str,
    index: pd.Index | None = None,
) -> None:
    """Refuse rows whose entry and exit fall in one chain (R: "an interval has effective length
    0"). Only rows shorter than the longest chain can, so only those are looked up."""
    if chains is None or start is None:
        return
    short = np.flatnonzero(stop - start <= 2.0 * chains.span)
    if short.size == 0:
        return
    empty = np.zeros(stop.size, dtype=bool)
    empty[short] = snap(chains, start[short]) >= snap(chains, stop[short])
    if not empty.any():
        return
    labels = index if index is not None else pd.RangeIndex(stop.size)
    shown = ", ".join(str(v) for v in labels[empty][:5]) + (", ..." if empty.sum() > 5 else "")
    raise ValidationError(
        [
            f"{where}: {int(empty.sum())} row(s) (rows {shown}) enter and leave at times "
            f"that differ by less than the tolerance of the time rounding ({TOLERANCE:.1e}, "
            "absolute or relative to the mean time; such times are merged as ties, as R's "
            "timefix does), which would leave an interval of length 0; round the times or "
            "pass timefix=False"
        ]
    )


def merge_near_ties(
    stop: np.ndarray,
    start: np.ndarray | None = None,
    *,
    where: str,
    index: pd.Index | None = None,
) -> tuple[np.ndarray | None, np.ndarray]:
    """``(start, stop)`` with near-tied times merged as R's ``aeqSurv`` merges them.

    Parameters
    ----------
    stop : numpy.ndarray
        Exit times (float).
    start : numpy.ndarray, optional
        Entry times of the same rows, each below its exit time; None for right-censored data.
    where : str
        The public function calling, for the error message.
    index : pandas.Index, optional
        Labels of the rows, to name them in the error message (positions if None).

    Returns
    -------
    tuple of numpy.ndarray
        ``(start, stop)``; the inputs themselves when nothing is tied (never modified).

    Raises
    ------
    continuity.ValidationError
        If merging would give a row an interval of length 0 (R: "aeqSurv exception, an interval
        has effective length 0").

    Examples
    --------
    >>> import numpy as np
    >>> _, stop = merge_near_ties(np.array([1.0, 2.0, np.sqrt(2) ** 2]), where="example")
    >>> stop.tolist()
    [1.0, 2.0, 2.0]
    """
    chains = near_tie_chains(stop, start)
    if chains is None:
        return start, stop
    check_no_empty_interval(chains, start, stop, where=where, index=index)
    return (None if start is None else snap(chains, start)), snap(chains, stop)
