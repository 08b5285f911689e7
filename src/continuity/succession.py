"""The terms of one office as an ordered chain: resolving their fuzzy dates together.

The terms of one office follow each other: ``start_1 <= end_1 <= start_2 <= end_2 ...``. A
date known only to the month or the year may lie anywhere in its period; resolving each date
alone (see :func:`continuity.dates.resolve`) can put a term's end after its successor's start.
:func:`resolve_succession` resolves the dates of each office as one chain instead, so that the
rule never invents an overlap the data do not contain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from continuity.dates import ParsedDates, resolve

__all__ = ["Succession", "resolve_succession"]

_NEVER = np.iinfo(np.int64).max  # an open end sorts after every date


@dataclass(frozen=True)
class Succession:
    """Terms in order of succession, with their dates resolved as chains.

    Attributes
    ----------
    order : numpy.ndarray of int
        Row positions of the terms, sorted by jurisdiction, office and order of succession.
    same : numpy.ndarray of bool
        ``same[i]``: the term ``order[i]`` holds the same office as ``order[i - 1]``.
    start, end : numpy.ndarray of datetime64[ns]
        The resolved dates, in row order (``end`` NaT for an open term).
    """

    order: np.ndarray
    same: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _chain(order, same, lo, hi, rule):
    """Resolve one ordering of the terms' dates as chains.

    ``lo``, ``hi`` and ``rule`` hold two int64 day-stamps a term (start, end), in row order.
    Returns the resolved stamps in row order and, per row, whether its office's chain is
    feasible in this order.
    """
    group = np.repeat(np.cumsum(~same) - 1, 2)
    idx = np.column_stack([2 * order, 2 * order + 1]).ravel()
    lo, hi, rule = lo[idx], hi[idx], rule[idx]
    lower = pd.Series(lo).groupby(group).cummax().to_numpy()
    upper = pd.Series(hi[::-1]).groupby(group[::-1]).cummin().to_numpy()[::-1]
    value = np.clip(rule, lower, np.maximum(upper, lower))
    value = pd.Series(value).groupby(group).cummax().to_numpy()
    ok = pd.Series(lower <= upper).groupby(group).transform("all").to_numpy()
    out = np.empty_like(value)
    out[idx] = value
    feasible = np.empty(len(ok) // 2, dtype=bool)
    feasible[order] = ok[0::2]
    return out, feasible


def _same_office(order, jur, off) -> np.ndarray:
    same = np.zeros(len(order), dtype=bool)
    if len(order) > 1:
        same[1:] = (jur[order][1:] == jur[order][:-1]) & (off[order][1:] == off[order][:-1])
    return same


def resolve_succession(
    jurisdiction: pd.Series,
    office: pd.Series,
    start: ParsedDates,
    end: ParsedDates,
    resolved_start: np.ndarray,
    resolved_end: np.ndarray,
) -> Succession:
    """Resolve the dates of each office's terms as one ordered chain.

    Parameters
    ----------
    jurisdiction, office : pandas.Series
        The terms' jurisdiction and office, in row order.
    start, end : ParsedDates
        The terms' start and end read as periods (an empty ``end``: still in office).
    resolved_start, resolved_end : numpy.ndarray of datetime64[ns]
        Each date resolved alone by the study's rule.

    Returns
    -------
    Succession

    Notes
    -----
    Each date may lie anywhere in its period ``[lo, hi]``. For an order of succession the chain
    narrows those bounds (a running maximum of ``lo`` forwards, a running minimum of ``hi``
    backwards); each date is resolved by the rule and clipped into its narrowed bounds, and a
    running maximum keeps the chain in order. Dates known to the day never move, and no date
    leaves its period. The order of succession is that of the earliest possible starts; where
    that order cannot be satisfied, that of the latest possible starts, then of the middles
    (the same order under every rule). An office whose chain cannot be ordered at all (an
    overlap) keeps the rule's dates, for validation to report. An open term sorts last.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from continuity.dates import parse_dates, resolve
    >>> s = parse_dates(pd.Series(["2010-07-28", "2016-12-09"]))
    >>> e = parse_dates(pd.Series(["2016-12", None]))  # the first term ended in December
    >>> chain = resolve_succession(pd.Series(["X", "X"]), pd.Series(["ps", "ps"]), s, e,
    ...                            resolve(s.lo, s.hi), resolve(e.lo, e.hi))
    >>> str(chain.end[0])[:10]  # the middle of December, held back at the next known start
    '2016-12-09'
    """
    e_lo = np.where(np.isnat(end.lo), _NEVER, end.lo.view("i8"))
    e_hi = np.where(np.isnat(end.lo), _NEVER, end.hi.view("i8"))
    lo = np.column_stack([start.lo.view("i8"), e_lo]).ravel()
    hi = np.column_stack([start.hi.view("i8"), e_hi]).ravel()
    open_end = np.isnat(end.lo)
    rule = np.column_stack([resolved_start.view("i8"),
                            np.where(open_end, _NEVER, resolved_end.view("i8"))]).ravel()
    jur = jurisdiction.astype(str).to_numpy()
    off = office.astype(str).to_numpy()
    known = ~np.isnat(start.lo)  # an unreadable or missing start is reported elsewhere
    keys = (start.lo.view("i8"), start.hi.view("i8"),
            resolve(start.lo, start.hi, "middle").view("i8"))
    value, chosen = rule.copy(), keys[0].copy()
    done = np.zeros(len(jur), dtype=bool)
    for key in keys:
        trial = np.lexsort((e_hi, e_lo, key, off, jur))
        got, feasible = _chain(trial, _same_office(trial, jur, off), lo, hi, rule)
        take = pd.Series(feasible & known).groupby([jur, off]).transform("all").to_numpy(copy=True)
        take &= ~done
        value[np.repeat(take, 2)] = got[np.repeat(take, 2)]
        chosen[take] = key[take]
        done |= take
        if done.all():
            break
    order = np.lexsort((e_hi, e_lo, chosen, off, jur))
    nat = np.datetime64("NaT", "ns").view("i8")
    return Succession(
        order=order,
        same=_same_office(order, jur, off),
        start=value[0::2].view("datetime64[ns]"),
        end=np.where(open_end, nat, value[1::2]).view("datetime64[ns]"),
    )
