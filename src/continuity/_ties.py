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

import numpy as np
import pandas as pd

from continuity.errors import ValidationError

__all__ = ["TOLERANCE", "merge_near_ties"]

#: R's default tolerance in ``aeqSurv`` (``sqrt(.Machine$double.eps)``).
TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def _whole_and_small(values: np.ndarray) -> bool:
    if values.size == 0:
        return True
    biggest = max(abs(float(values.min())), abs(float(values.max())))
    return biggest < 1.0 / TOLERANCE and bool(np.array_equal(values, np.floor(values)))


def _cuts(start: np.ndarray | None, stop: np.ndarray) -> np.ndarray | None:
    """The representative of every chain of tied times, sorted; None when nothing is tied."""
    pooled = stop if start is None else np.concatenate([start, stop])
    y = np.unique(pooled)
    y = y[np.isfinite(y)]
    if y.size < 2:
        return None
    dy = np.diff(y)
    scale = float(np.mean(np.abs(y)))
    tied = dy <= TOLERANCE
    if scale > 0:
        tied |= (dy / scale) <= TOLERANCE
    if not tied.any():
        return None
    return y[np.concatenate([[True], ~tied])]


def _snap(cuts: np.ndarray, values: np.ndarray) -> np.ndarray:
    return cuts[np.searchsorted(cuts, values, side="right") - 1]


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
    if _whole_and_small(stop) and (start is None or _whole_and_small(start)):
        return start, stop
    cuts = _cuts(start, stop)
    if cuts is None:
        return start, stop
    new_stop = _snap(cuts, stop)
    if start is None:
        return None, new_stop
    new_start = _snap(cuts, start)
    empty = new_start >= new_stop
    if empty.any():
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
    return new_start, new_stop
