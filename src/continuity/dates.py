"""Dates at day resolution, with their precision.

Real registries give dates to the day (``2015-09-15``), to the month (``2015-09``) or to the year
(``2015``). Each date is read as the period it names, ``[lo, hi]`` (first and last day), with its
precision, and resolved to one day by a rule:

``"middle"`` (the default)
    the middle day of the period: ``lo + (hi - lo) // 2`` (the 15th of a 30-day month, 2 July
    of a common year);
``"earliest"`` / ``"latest"``
    the first / last day of the period.

A resolved date never crosses a neighbouring date it must not cross (a term's end and the next
term's start, an interval's start and end): see :func:`order_pairs`. Computing a result at the
earliest and at the latest resolution shows how much the fuzziness matters.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from continuity._options import check_literal
from continuity.schema import DateRule

__all__ = ["ParsedDates", "order_pairs", "parse_dates", "resolve"]

_DAY = np.timedelta64(1, "D")
_NS = "datetime64[ns]"
_RANK = {"day": 0, "month": 1, "year": 2}

_ISO_DAY = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_MONTH = r"\d{4}-\d{2}"
_ISO_YEAR = r"\d{4}"
_AMBIGUOUS = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"


@dataclass(frozen=True)
class ParsedDates:
    """One date column read as periods.

    Attributes
    ----------
    lo, hi : numpy.ndarray of datetime64[ns]
        First and last day of each date's period (NaT where the value is missing or bad).
    precision : numpy.ndarray of object
        ``"day"``, ``"month"``, ``"year"``, or None where missing or bad.
    missing : numpy.ndarray of bool
        The value is empty.
    problem : numpy.ndarray of object
        Why a value could not be read (None where it was read or is missing).
    aware : numpy.ndarray of bool
        The value carried a timezone (it is held as its local calendar day).
    naive : numpy.ndarray of bool
        The value was a date or time without a timezone.
    """

    lo: np.ndarray
    hi: np.ndarray
    precision: np.ndarray
    missing: np.ndarray
    problem: np.ndarray
    aware: np.ndarray
    naive: np.ndarray


def _scalar(v):
    """A numpy scalar as the Python value it holds (for messages)."""
    return v.item() if isinstance(v, np.generic) else v


def _period_end(lo: np.ndarray, unit: str) -> np.ndarray:
    """Last day of the month or year that starts at ``lo``."""
    start = lo.astype(f"datetime64[{unit}]")
    return ((start + 1).astype("datetime64[D]") - _DAY).astype(_NS)


def _widen(lo: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Periods ``[lo, hi]`` of the given precision that contain ``lo``."""
    lo = lo.copy()
    hi = lo.copy()
    for unit, name in (("M", "month"), ("Y", "year")):
        m = precision == name
        if m.any():
            lo[m] = lo[m].astype(f"datetime64[{unit}]").astype(_NS)
            hi[m] = _period_end(lo[m], unit)
    return lo, hi


def _classify_objects(values: np.ndarray) -> np.ndarray:
    """The kind of each value of an object array: (s)tring, (t)ime, (n)umber or (o)ther."""
    kinds = np.fromiter(
        (
            "s" if isinstance(v, str)
            else "t" if isinstance(v, (_dt.date, np.datetime64))
            else "n" if isinstance(v, (int, float, np.number, bool, np.bool_))
            else "o"
            for v in values
        ),
        dtype="<U1",
        count=len(values),
    )
    return kinds


def parse_dates(values: pd.Series, precision: pd.Series | None = None) -> ParsedDates:
    """Read one column of dates as periods with their precision.

    Parameters
    ----------
    values : pandas.Series
        ISO strings (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or an ISO date-time, held at its
        day), ``datetime.date``/``datetime.datetime`` objects, pandas timestamps, or a
        datetime64 column. Missing values (None, NaN, NaT, empty strings) are allowed here;
        whether a column may be empty is decided by validation.
    precision : pandas.Series, optional
        Declared precision of each value (``day``, ``month``, ``year``). A declared precision
        coarser than the written value widens the period (``2015-09-01`` declared ``month`` means
        September 2015); one finer than the written value is a problem.

    Returns
    -------
    ParsedDates

    Examples
    --------
    >>> import pandas as pd
    >>> p = parse_dates(pd.Series(["2015-09-15", "2015-09", "2015", None, "15/09/2015"]))
    >>> [str(x)[:10] for x in p.lo]
    ['2015-09-15', '2015-09-01', '2015-01-01', 'NaT', 'NaT']
    >>> [str(x)[:10] for x in p.hi]
    ['2015-09-15', '2015-09-30', '2015-12-31', 'NaT', 'NaT']
    >>> list(p.precision)
    ['day', 'month', 'year', None, None]
    >>> p.problem[4]
    "day/month order is ambiguous in '15/09/2015'; write dates as ISO YYYY-MM-DD"
    """
    n = len(values)
    lo = np.full(n, np.datetime64("NaT"), dtype=_NS)
    prec = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    aware = np.zeros(n, dtype=bool)
    naive = np.zeros(n, dtype=bool)
    s = values.reset_index(drop=True)

    if isinstance(s.dtype, pd.DatetimeTZDtype):
        missing = s.isna().to_numpy(copy=True)
        lo = s.dt.tz_localize(None).dt.normalize().to_numpy(dtype=_NS, copy=True)
        prec[~missing] = "day"
        aware[~missing] = True
    elif pd.api.types.is_datetime64_dtype(s.dtype):
        missing = s.isna().to_numpy(copy=True)
        lo = s.dt.normalize().to_numpy(dtype=_NS, copy=True)
        prec[~missing] = "day"
        naive[~missing] = True
    elif pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        missing = s.isna().to_numpy(copy=True)
        for i in np.flatnonzero(~missing):
            problem[i] = (f"{_scalar(s.iloc[i])!r} is a number where a date belongs; "
                          "write an ISO date")
    else:
        arr = s.to_numpy(dtype=object)
        missing = pd.isna(s).to_numpy(copy=True)
        kinds = _classify_objects(arr)
        is_str = (kinds == "s") & ~missing
        if is_str.any():
            text = pd.Series(arr[is_str], dtype=object).str.strip()
            blank = (text == "").to_numpy()
            idx = np.flatnonzero(is_str)
            missing[idx[blank]] = True
            text = text[~blank]
            idx = idx[~blank]
            for pattern, fmt, name in (
                (_ISO_DAY, "%Y-%m-%d", "day"),
                (_ISO_MONTH, "%Y-%m", "month"),
                (_ISO_YEAR, "%Y", "year"),
            ):
                m = text.str.fullmatch(pattern).to_numpy()
                if not m.any():
                    continue
                head = text[m].str.slice(0, len(fmt) + 2 if name == "day" else None)
                got = pd.to_datetime(head, format=fmt, errors="coerce").to_numpy(dtype=_NS)
                ok = ~np.isnat(got)
                lo[idx[m][ok]] = got[ok]
                prec[idx[m][ok]] = name
                naive[idx[m][ok]] = True
                for i in idx[m][~ok]:
                    problem[i] = f"{arr[i]!r} is not a calendar date"
            unread = np.isnat(lo[idx]) & np.array([problem[i] is None for i in idx], dtype=bool)
            for i in idx[unread]:
                text_i = str(arr[i]).strip()
                if pd.Series([text_i]).str.fullmatch(_AMBIGUOUS).iloc[0]:
                    problem[i] = (
                        f"day/month order is ambiguous in {text_i!r}; "
                        "write dates as ISO YYYY-MM-DD"
                    )
                else:
                    problem[i] = (
                        f"cannot read {text_i!r} as a date; write YYYY-MM-DD, YYYY-MM or YYYY"
                    )
        for i in np.flatnonzero((kinds == "t") & ~missing):
            ts = pd.Timestamp(arr[i])
            if ts.tzinfo is not None:
                aware[i] = True
                ts = ts.tz_localize(None)
            else:
                naive[i] = True
            lo[i] = ts.normalize().to_datetime64()
            prec[i] = "day"
        for i in np.flatnonzero((kinds == "n") & ~missing):
            problem[i] = f"{_scalar(arr[i])!r} is a number where a date belongs; write an ISO date"
        for i in np.flatnonzero((kinds == "o") & ~missing):
            problem[i] = f"cannot read {arr[i]!r} as a date; write YYYY-MM-DD, YYYY-MM or YYYY"

    if precision is not None:
        declared = precision.reset_index(drop=True).to_numpy(dtype=object)
        given = ~pd.isna(declared) & (prec != None)  # noqa: E711 (elementwise)
        for i in np.flatnonzero(given):
            d = declared[i]
            if d not in _RANK:
                continue  # vocabulary is checked by validation
            if _RANK[d] < _RANK[prec[i]]:
                problem[i] = (
                    f"precision is declared {d!r} but {values.iloc[i]!r} is known only "
                    f"to the {prec[i]}"
                )
            else:
                prec[i] = d
    bad = np.array([p is not None for p in problem], dtype=bool)
    lo[bad] = np.datetime64("NaT")
    prec[bad] = None
    lo, hi = _widen(lo, prec)
    return ParsedDates(lo, hi, prec, missing, problem, aware, naive)


def resolve(lo: np.ndarray, hi: np.ndarray, rule: DateRule = "middle") -> np.ndarray:
    """Resolve periods ``[lo, hi]`` to one day each.

    Parameters
    ----------
    lo, hi : numpy.ndarray of datetime64[ns]
    rule : {"middle", "earliest", "latest"}

    Returns
    -------
    numpy.ndarray of datetime64[ns]

    Raises
    ------
    OptionError
        ``rule`` is not one of the rules.

    Examples
    --------
    >>> import numpy as np
    >>> lo = np.array(["2015-09-01", "2015-01-01"], dtype="datetime64[ns]")
    >>> hi = np.array(["2015-09-30", "2015-12-31"], dtype="datetime64[ns]")
    >>> resolve(lo, hi).astype("datetime64[D]").tolist()
    [datetime.date(2015, 9, 15), datetime.date(2015, 7, 2)]
    """
    check_literal(rule, DateRule, "rule", "resolve")
    if rule == "earliest":
        return lo.copy()
    if rule == "latest":
        return hi.copy()
    out = lo.copy()
    ok = ~np.isnat(lo) & ~np.isnat(hi)
    half = ((hi[ok] - lo[ok]) // _DAY) // 2
    out[ok] = lo[ok] + half.astype("timedelta64[D]").astype("timedelta64[ns]")
    return out


def order_pairs(
    first: np.ndarray,
    first_bounds: tuple[np.ndarray, np.ndarray],
    first_precision: np.ndarray,
    second: np.ndarray,
    second_bounds: tuple[np.ndarray, np.ndarray],
    second_precision: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Move resolved fuzzy dates so that ``first <= second`` where their periods allow it.

    Where ``first > second``, the fuzzier of the two (year before month before day; the second
    on a tie) moves onto the other, if the other lies inside its period. A pair that cannot be
    ordered this way is left as it is, for validation to report.

    Returns
    -------
    tuple of numpy.ndarray
        The new ``first`` and ``second``.

    Examples
    --------
    >>> import numpy as np
    >>> d = lambda *s: np.array(s, dtype="datetime64[ns]")
    >>> p = lambda *s: np.array(s, dtype=object)
    >>> # a term ending "2016-12" (resolved 2016-12-16); the next starts 2016-12-09
    >>> f, s = order_pairs(d("2016-12-16"), (d("2016-12-01"), d("2016-12-31")), p("month"),
    ...                    d("2016-12-09"), (d("2016-12-09"), d("2016-12-09")), p("day"))
    >>> str(f[0])[:10], str(s[0])[:10]
    ('2016-12-09', '2016-12-09')
    """
    first = first.copy()
    second = second.copy()
    rank1 = np.array([_RANK.get(p, -1) if p is not None else -1 for p in first_precision])
    rank2 = np.array([_RANK.get(p, -1) if p is not None else -1 for p in second_precision])
    clash = ~np.isnat(first) & ~np.isnat(second) & (first > second)
    if not clash.any():
        return first, second
    move_first = clash & (rank1 > rank2) & (second >= first_bounds[0])
    first[move_first] = second[move_first]
    clash &= ~move_first
    move_second = clash & (rank2 > 0) & (first <= second_bounds[1])
    second[move_second] = first[move_second]
    clash &= ~move_second
    move_first = clash & (rank1 > 0) & (second >= first_bounds[0])
    first[move_first] = second[move_first]
    return first, second
