"""Risk tables: rows at risk, events and exits at each distinct time, per group.

The counting core under every non-parametric estimator (Kaplan-Meier, Nelson-Aalen,
Aalen-Johansen, log-rank). A row is at risk at ``t`` when ``t_start < t <= t_stop``. Counts are
numbers of rows, or sums of case weights when weights are given.

Two paths, chosen per call. Whole-number times (days, the unit of :mod:`continuity`) in a modest
range are counted on a grid of groups x days with ``np.bincount``: no sort. Other times take one
sort of the exits, of the event exits and of the entries per group, and binary searches of the
distinct times in them. Near-tied times (R's timefix, :mod:`continuity._ties`) are never merged
row by row: the distinct times are the representatives of the chains the exits fall in, and a
count of raw times below a representative needs no merging.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from continuity._ties import TOLERANCE, Chains

__all__ = ["RiskTable", "risk_table", "risk_tables"]


@dataclass(frozen=True)
class RiskTable:
    """Counts at sorted distinct times, for one or several groups (``code`` says which)."""

    code: np.ndarray
    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    exits: np.ndarray


class _Sorted:
    """Sorted values with the cumulative weight below each position (counts when unweighted)."""

    def __init__(self, values: np.ndarray, weights: np.ndarray | None):
        if weights is None:
            self.values, self.cumw = np.sort(values), None
        else:
            order = np.argsort(values, kind="stable")
            self.values = values[order]
            self.cumw = np.concatenate([[0.0], np.cumsum(weights[order])])

    @classmethod
    def presorted(cls, values: np.ndarray) -> _Sorted:
        out = cls.__new__(cls)
        out.values, out.cumw = values, None
        return out

    @property
    def total(self):
        return self.values.size if self.cumw is None else self.cumw[-1]

    def _at(self, pos: np.ndarray) -> np.ndarray:
        return pos if self.cumw is None else self.cumw[pos]

    def below(self, times: np.ndarray) -> np.ndarray:
        """Count (weight) of values ``< t`` for each ``t``."""
        return self._at(np.searchsorted(self.values, times, side="left"))

    def upto(self, times: np.ndarray, chains: Chains | None) -> np.ndarray:
        """Count (weight) of values in the chain of ``t`` or below (``<= t`` without chains)."""
        if chains is None:
            return self._at(np.searchsorted(self.values, times, side="right"))
        nxt = np.searchsorted(chains.cuts, times, side="right")
        upper = np.append(chains.cuts, np.inf)[nxt]
        return self._at(np.searchsorted(self.values, upper, side="left"))


def _distinct_exit_times(stops: _Sorted, chains: Chains | None):
    """Distinct exit times (chain representatives) and the position of the first exit of each."""
    s = stops.values
    if chains is None:
        first = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
        return s[first], first
    chain = np.searchsorted(chains.cuts, s, side="right") - 1
    first = np.flatnonzero(np.concatenate([[True], chain[1:] != chain[:-1]]))
    return chains.cuts[chain[first]], first


def _sorted_exits_with_events(stop, event):
    """Exit times sorted, with the event flag of each, from one sort of 64-bit keys.

    For times >= 0 the bits of a float64 sort as the number does, and leave the top bit free:
    the key ``bits * 2 + event`` carries the flag through the sort (a sort of plain integers,
    several times faster than an argsort). None for negative times.
    """
    if stop.size == 0 or not stop.min() >= 0:
        return None
    bits = (stop + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0
    key = np.sort((bits << np.uint64(1)) | event.view(np.uint8).astype(np.uint64))
    return (key >> np.uint64(1)).view(np.float64), (key & np.uint64(1)).astype(np.int64)


def _at_exit_times(start, stop, event, chains: Chains | None):
    """The unweighted risk table at the distinct exit times: one keyed sort of the exits, one
    sort of the entries, one binary search (the path of large continuous data)."""
    sorted_exits = _sorted_exits_with_events(stop, event)
    if sorted_exits is None:
        return None
    s, flags = sorted_exits
    times, first = _distinct_exit_times(_Sorted.presorted(s), chains)
    events = np.add.reduceat(flags, first) if s.size else flags
    exits = np.diff(np.append(first, s.size))
    entered = s.size if start is None else np.searchsorted(np.sort(start), times, side="left")
    return times, entered - first, events, exits


def risk_table(start, stop, event, chains: Chains | None, weights=None, times=None):
    """``times, at_risk, events, exits`` of one group, at its distinct exit times or at the
    given sorted ``times`` (which must be chain representatives when ``chains`` is given)."""
    if times is None and weights is None:
        fast = _at_exit_times(start, stop, event, chains)
        if fast is not None:
            return fast
    stops = _Sorted(stop, weights)
    ev = _Sorted(stop[event], None if weights is None else weights[event])
    if times is None:
        times, first = _distinct_exit_times(stops, chains)
        left = stops._at(first)
        exits = np.diff(np.append(left, stops.total))
        below = ev.below(times)
        events = np.diff(np.append(below, ev.total))
    else:
        left = stops.below(times)
        exits = stops.upto(times, chains) - left
        events = ev.upto(times, chains) - ev.below(times)
    entered = stops.total if start is None else _Sorted(start, weights).below(times)
    at_risk = entered - left  # start < t minus stop < t (stop < t implies start < t)
    return times, at_risk, events, exits


def _day_grid(rows):
    """Risk tables of all groups on a grid of whole-number times, by counting (no sort).

    Used when every time is a whole number below :math:`1/\\epsilon` in magnitude (so that no
    two are near-tied) and the grid of groups x (last time - first time + 1) is no larger than
    about twice the rows. Returns ``None`` otherwise, or ``(first, at_risk, events, exits)``:
    the first time of the grid and three ``(groups, grid)`` arrays.
    """
    stop, start, w = rows.stop, rows.start, rows.weights
    lo = stop.min() if start is None else min(start.min(), stop.min())
    width = stop.max() - lo + 1
    if rows.n_groups * width > 2 * rows.n_rows + 100_000:
        return None
    if max(abs(lo), abs(stop.max())) >= 1.0 / TOLERANCE:
        return None
    if not np.array_equal(stop, np.floor(stop)):
        return None
    if start is not None and not np.array_equal(start, np.floor(start)):
        return None
    width = int(width)
    size = rows.n_groups * width
    base = rows.codes * width
    key_stop = (stop - lo).astype(np.intp) + base

    def count(keys, mask=None):
        wt = w if mask is None or w is None else w[mask]
        keys = keys if mask is None else keys[mask]
        out = np.bincount(keys, weights=wt, minlength=size).reshape(rows.n_groups, width)
        return out if w is not None else out.astype(np.int64)

    exits = count(key_stop)
    events = count(key_stop, rows.event)
    left = np.cumsum(exits, axis=1) - exits  # rows with t_stop < t
    if start is None:
        entered = np.bincount(rows.codes, weights=w, minlength=rows.n_groups)[:, None]
    else:
        entries = count((start - lo).astype(np.intp) + base)
        entered = np.cumsum(entries, axis=1) - entries  # rows with t_start < t
    return float(lo), entered - left, events, exits


def risk_tables(rows, times=None) -> RiskTable:
    """Risk tables of every group of ``rows`` (a :class:`continuity._rows.Rows`).

    At each group's distinct exit times when ``times`` is None; else at the given sorted times,
    the same for every group (all of them listed, with zero counts where nothing happens).
    """
    grid = _day_grid(rows)
    if grid is not None:
        lo, at_risk, events, exits = grid
        if times is None:
            code, col = np.nonzero(exits)
        else:
            col = np.tile((times - lo).astype(np.intp), rows.n_groups)
            code = np.repeat(np.arange(rows.n_groups), times.size)
        return RiskTable(code, lo + col, at_risk[code, col], events[code, col], exits[code, col])
    chains = rows.chains
    parts = [
        (g, *risk_table(s, t, e, chains, w, times)) for g, s, t, e, w in rows.groups()
    ]
    code = np.concatenate([np.full(p[1].size, p[0], dtype=np.intp) for p in parts])
    cols = [np.concatenate([np.asarray(p[i]) for p in parts]) for i in range(1, 5)]
    return RiskTable(code, *cols)
