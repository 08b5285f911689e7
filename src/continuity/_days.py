"""Day numbers and the integer keys built on them (private).

Every date of a validated study is a ``datetime64[ns]`` at day resolution. The vectorised code
(episodes, lifetimes, leadership, simulate) works on *day numbers*, days since 1970-01-01 as
int64, and orders pairs such as (unit, day) or (unit, day, tag) by packing them into one int64
key with :class:`KeyCodec`, so that one :func:`numpy.sort` or :func:`numpy.searchsorted` does
what a lexicographic sort of several columns would.

The ranges that make the packing exact:

* a ``datetime64[ns]`` day number lies within +-106,752 (1677-09-21 to 2262-04-11);
* :data:`OPEN` (2**17) stands for "no end yet" and :data:`NONE` for "no such day"; a key may
  hold any day in ``[-SHIFT, SHIFT)`` (``SHIFT`` = 2**18), which covers both real days and
  ``OPEN``;
* a key holds ``(unit * SPAN + day + SHIFT) * n_tags + tag`` with ``SPAN`` = 2**19, so keys
  order by unit, then day, then tag; :class:`KeyCodec` refuses a number of units and tags
  whose largest key would not fit in an int64.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "NONE",
    "NS_PER_DAY",
    "OPEN",
    "SHIFT",
    "SPAN",
    "DateLike",
    "KeyCodec",
    "expand",
    "group_starts",
    "searchsorted_by",
    "to_days",
    "to_ns",
]

NS_PER_DAY = 86_400 * 10**9
#: The day number standing for "no end" (later than any datetime64[ns] day).
OPEN = 1 << 17
#: "No such day" (e.g. no leader change yet): below every real day.
NONE = int(np.iinfo(np.int64).min)
#: Added to a day so that every day a key holds is non-negative.
SHIFT = 1 << 18
#: The room one unit takes in a key: days ``[-SHIFT, SHIFT)`` shifted to ``[0, SPAN)``.
SPAN = 1 << 19
_INT64_MAX = int(np.iinfo(np.int64).max)

#: A date: an ISO string (``"2016-01-01"``, ``"2016-01"``, ``"2016"``), a date or a Timestamp.
DateLike = str | dt.date | pd.Timestamp | np.datetime64


def to_days(values) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (int64) of a datetime column, and its NaT mask.

    Examples
    --------
    >>> days, nat = to_days(np.array(["1970-01-02", "NaT"], dtype="datetime64[ns]"))
    >>> int(days[0]), nat.tolist()
    (1, [False, True])
    """
    arr = np.asarray(values).astype("datetime64[D]")
    nat = np.isnat(arr)
    return arr.astype(np.int64), nat


def to_ns(days) -> np.ndarray:
    """``datetime64[ns]`` of day numbers (no check: day numbers come from dates).

    Examples
    --------
    >>> to_ns(np.array([0, 365]))
    array(['1970-01-01T00:00:00.000000000', '1971-01-01T00:00:00.000000000'],
          dtype='datetime64[ns]')
    """
    return (np.asarray(days, dtype=np.int64) * NS_PER_DAY).view("datetime64[ns]")


def expand(left: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(left[i], left[i] + n[i])`` for every i (negative n: none).

    Examples
    --------
    >>> expand(np.array([10, 20]), np.array([2, 3])).tolist()
    [10, 11, 20, 21, 22]
    """
    n = np.maximum(n, 0)
    total = int(n.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(n) - n
    return np.repeat(left - offsets, n) + np.arange(total, dtype=np.int64)


def group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Mask of the positions where a new value starts in a sorted array.

    Examples
    --------
    >>> group_starts(np.array([1, 1, 2, 5, 5])).tolist()
    [True, False, True, True, False]
    """
    new = np.ones(len(sorted_codes), dtype=bool)
    if len(sorted_codes) > 1:
        new[1:] = sorted_codes[1:] != sorted_codes[:-1]
    return new


def searchsorted_by(a: np.ndarray, q: np.ndarray, order: np.ndarray, side: str) -> np.ndarray:
    """``np.searchsorted(a, q)``, querying in ``order``: sorted queries search much faster."""
    out = np.empty(len(q), dtype=np.int64)
    out[order] = np.searchsorted(a, q[order], side=side)  # type: ignore[call-overload]
    return out


@dataclass(frozen=True)
class KeyCodec:
    """Packs (unit, day, tag) triples into int64 keys that sort as the triples do.

    ``key = (unit * SPAN + day + SHIFT) * n_tags + tag``, for ``0 <= unit < n_units``, ``-SHIFT
    <= day < SHIFT`` and ``0 <= tag < n_tags``. The packing is linear, so a key may be built
    as the sum of a unit part (:meth:`unit_part`) and a day part (:meth:`day_part`) computed
    once each and repeated; the tags of the two parts add up.

    Raises
    ------
    OverflowError
        When the largest key of ``n_units`` units and ``n_tags`` tags does not fit in an int64.

    Examples
    --------
    >>> codec = KeyCodec(n_units=3, n_tags=4)
    >>> keys = codec.pack(np.array([0, 2, 2]), np.array([5, -1, 7]), np.array([3, 0, 1]))
    >>> bool((np.diff(keys) > 0).all())
    True
    >>> [a.tolist() for a in codec.unpack(keys)]
    [[0, 2, 2], [5, -1, 7], [3, 0, 1]]
    """

    n_units: int
    n_tags: int = 1

    def __post_init__(self) -> None:
        if self.n_units < 0 or self.n_tags < 1:
            raise ValueError(f"KeyCodec needs n_units >= 0 and n_tags >= 1, not "
                             f"{self.n_units} and {self.n_tags}")
        largest = (max(self.n_units, 1) * SPAN) * self.n_tags - 1
        if largest > _INT64_MAX:
            raise OverflowError(
                f"{self.n_units:,} units with {self.n_tags:,} tags need keys up to "
                f"{largest:,}, beyond an int64 ({_INT64_MAX:,}); split the study")

    # --- building ---------------------------------------------------------------------------
    def pack(self, unit, day, tag=None) -> np.ndarray:
        """The keys of ``(unit, day, tag)`` (tag 0 when None)."""
        key = (np.asarray(unit, dtype=np.int64) * SPAN + day + SHIFT) * self.n_tags
        return key if tag is None else key + tag

    def unit_part(self, unit, tag=None) -> np.ndarray:
        """The part of a key that says the unit (and part of a tag): ``pack(unit, -SHIFT)``."""
        part = np.asarray(unit, dtype=np.int64) * (SPAN * self.n_tags)
        return part if tag is None else part + tag

    def day_part(self, day, tag=None) -> np.ndarray:
        """The part of a key that says the day (and part of a tag): ``pack(0, day)``."""
        part = (np.asarray(day, dtype=np.int64) + SHIFT) * self.n_tags
        return part if tag is None else part + tag

    # --- reading ----------------------------------------------------------------------------
    def split_tag(self, key: np.ndarray, *, inplace: bool = False
                  ) -> tuple[np.ndarray, np.ndarray]:
        """``(unit, day)`` keys of a codec with one tag, and the tags.

        With ``inplace``, ``key`` (int64) is divided in place and returned: no second array of
        keys is allocated.
        """
        tag = key % self.n_tags
        if inplace:
            key //= self.n_tags
            return key, tag
        return key // self.n_tags, tag

    def unit(self, key) -> np.ndarray:
        """The unit of keys packed with one tag (``n_tags`` 1, or after :meth:`split_tag`)."""
        return np.asarray(key) // SPAN

    def day(self, key) -> np.ndarray:
        """The day of keys packed with one tag (``n_tags`` 1, or after :meth:`split_tag`)."""
        return np.asarray(key) % SPAN - SHIFT

    def unpack(self, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(unit, day, tag)`` of each key: the inverse of :meth:`pack`."""
        base, tag = self.split_tag(np.asarray(key, dtype=np.int64))
        return self.unit(base), self.day(base), tag
