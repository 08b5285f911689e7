"""Phase 4 of the split: the episode table and the audit table, column by column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from continuity._days import NONE, to_ns
from continuity.episodes._boundaries import Grid
from continuity.episodes._episode_options import EpisodeOptions
from continuity.episodes._exposure import Exposure, categorical
from continuity.episodes._pairs import Pairs
from continuity.lifetimes import AUDIT_STATUSES, END_TYPES, Units

__all__ = ["audit_frame", "episode_frame", "unknown_per_unit"]


def episode_frame(units: Units, pairs: Pairs, grid: Grid, expo: Exposure,
                  opts: EpisodeOptions) -> pd.DataFrame:
    """The columns of :func:`continuity.split_episodes`, in order."""
    n_ep, inc = grid.n_ep, pairs.inc
    cols: dict[str, object] = {}
    cols[units.id_name] = categorical(np.repeat(np.asarray(units.ids.codes)[inc], n_ep),
                                      units.ids.dtype)
    if units.spell is not None:
        cols["spell"] = np.repeat(units.spell[inc], n_ep)
    cols["episode"] = (np.arange(1, grid.n_episodes + 1, dtype=np.int32)
                       - np.repeat(grid.offsets.astype(np.int32), n_ep))
    cols["start"] = to_ns(grid.start)
    cols["stop"] = to_ns(grid.stop)
    entry = np.repeat(pairs.entry, n_ep)
    cols["t_start"] = grid.start - entry
    cols["t_stop"] = grid.stop - entry
    del entry
    event = np.zeros(grid.n_episodes, dtype=np.int8)
    event[grid.offsets + n_ep - 1] = units.event[inc]
    cols["event"] = event
    cols["changes"] = pd.arrays.IntegerArray(expo.changes, expo.changes_na)
    cols["party_changes"] = pd.arrays.IntegerArray(expo.party_changes,
                                                   expo.changes_na | expo.party_na)
    if expo.focal is not None:
        cols["own_changes"] = pd.arrays.IntegerArray(expo.focal.own, expo.focal.own_na)
        cols["partner_changes"] = pd.arrays.IntegerArray(expo.focal.partner,
                                                         expo.focal.partner_na)
    cols["signer_in_office"] = pd.arrays.BooleanArray(~expo.in_false,
                                                      ~expo.in_false & expo.in_na)
    has_change = grid.last_change > NONE
    dsc = np.where(has_change, grid.start - grid.last_change, 0).astype(np.int32)
    cols["days_since_change"] = pd.arrays.IntegerArray(dsc, ~has_change | expo.changes_na)
    if opts.window is not None and expo.win_na is not None:
        # a recorded change inside the window decides, whatever is unknown elsewhere
        post = has_change & (dsc < opts.window)
        cols["post_change"] = pd.arrays.BooleanArray(post, ~post & expo.win_na)
    cols.update(expo.slot_cols)
    return pd.DataFrame(cols, copy=False)


def unknown_per_unit(grid: Grid, expo: Exposure) -> np.ndarray:
    """Per included unit: its episodes whose ``changes`` is NA."""
    cum_na = np.append(0, np.cumsum(expo.changes_na, dtype=np.int64))
    return cum_na[grid.offsets + grid.n_ep] - cum_na[grid.offsets]


def audit_frame(units: Units, inc: np.ndarray, n_ep: np.ndarray,
                n_unknown: np.ndarray) -> pd.DataFrame:
    """The columns of :func:`continuity.audit_episodes`, one row per unit."""
    n_units = len(units.entry)
    cols: dict[str, object] = {units.id_name: units.ids}
    if units.spell is not None:
        cols["spell"] = units.spell
    cols["entry"] = to_ns(units.entry)
    cols["start"] = to_ns(units.lo)
    cols["stop"] = to_ns(units.stop)
    cols["t_start"] = units.lo - units.entry
    cols["t_stop"] = units.stop - units.entry
    cols["event"] = units.event
    cols["end_type"] = pd.Categorical.from_codes(units.end_type, categories=list(END_TYPES))
    cols["status"] = pd.Categorical.from_codes(units.status, categories=list(AUDIT_STATUSES))
    cols["n_instruments"] = units.n_instruments
    cols["n_parties"] = np.bincount(units.pair_unit, minlength=n_units)
    n_episodes = np.zeros(n_units, dtype=np.int64)
    n_episodes[inc] = n_ep
    cols["n_episodes"] = n_episodes
    n_unknown_exposure = np.zeros(n_units, dtype=np.int64)
    n_unknown_exposure[inc] = n_unknown
    cols["n_unknown_exposure"] = n_unknown_exposure
    return pd.DataFrame(cols)
