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

__all__ = ["FIRST_DAY", "LAST_DAY", "ParsedDates", "order_pairs", "parse_dates", "resolve"]

_DAY = np.timedelta64(1, "D")
_NS = "datetime64[ns]"
_D = "datetime64[D]"
_RANK = {"day": 0, "month": 1, "year": 2}

#: The first and last day continuity can hold: dates are held as datetime64[ns], whose span is
#: 1677-09-21 00:12 to 2262-04-11 23:47. A date outside is refused, never wrapped.
FIRST_DAY = np.datetime64("1677-09-22", "D")
LAST_DAY = np.datetime64("2262-04-11", "D")

_TIME = r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?"
_ISO_DAY = r"\d{4}-\d{2}-\d{2}" + _TIME
_ANY_TIME = r"\d{4}-\d{2}-\d{2}[T ].*"
_ISO_MONTH = r"\d{4}-\d{2}"
_ISO_YEAR = r"\d{4}"
_AMBIGUOUS = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
_FORMATS = ((_ISO_DAY, "%Y-%m-%d", "day"), (_ISO_MONTH, "%Y-%m", "month"),
            (_ISO_YEAR, "%Y", "year"))


@dataclass(frozen=True)
class ParsedDates:
    """One date column read as periods.

    Attributes
    ----------
    lo, hi : numpy.ndarray of datetime64[ns]
        First and last day of each date's period (NaT where the value is missing or bad, or
        where the period reaches outside :data:`FIRST_DAY` .. :data:`LAST_DAY`).
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


def _widen(day: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Periods ``[lo, hi]`` (datetime64[D]) of the given precision that contain ``day``."""
    lo, hi = day.copy(), day.copy()
    for unit, name in (("M", "month"), ("Y", "year")):
        m = precision == name
        if m.any():
            start = day[m].astype(f"datetime64[{unit}]")
            lo[m] = start.astype(_D)
            hi[m] = (start + 1).astype(_D) - _DAY
    return lo, hi


def _classify_objects(values: np.ndarray) -> np.ndarray:
    """The kind of each value of an object array: (s)tring, (t)ime, (n)umber or (o)ther."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return np.full(len(values), "s", dtype="<U1")  # the usual case, without a Python loop
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


@dataclass
class _Reading:
    """One column being read: days (datetime64[D]) and what is known of each value."""

    day: np.ndarray
    precision: np.ndarray
    missing: np.ndarray
    problem: np.ndarray
    aware: np.ndarray
    naive: np.ndarray

    @classmethod
    def empty(cls, n: int) -> _Reading:
        return cls(np.full(n, np.datetime64("NaT"), dtype=_D), np.full(n, None, dtype=object),
                   np.zeros(n, dtype=bool), np.full(n, None, dtype=object),
                   np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))


def _read_datetime_column(s: pd.Series, r: _Reading) -> None:
    """A datetime64 column of any unit, naive or timezone-aware (held at its local day)."""
    r.missing[:] = s.isna().to_numpy()
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
        r.aware[~r.missing] = True
    else:
        r.naive[~r.missing] = True
    r.day[:] = s.to_numpy().astype(_D)  # floors to the day, in the column's own unit
    r.precision[~r.missing] = "day"


def _read_strings(text: pd.Series, idx: np.ndarray, r: _Reading) -> None:
    """ISO strings at positions ``idx``; each distinct string is parsed once."""
    raw_codes, raw = pd.factorize(text)
    stripped_codes, uniques = pd.factorize(pd.Series(raw, dtype=object).str.strip())
    codes = stripped_codes[raw_codes]
    u = pd.Series(uniques, dtype=object)
    blank = (u == "").to_numpy()
    day = np.full(len(u), np.datetime64("NaT"), dtype=_D)
    prec = np.full(len(u), None, dtype=object)
    problem = np.full(len(u), None, dtype=object)
    for pattern, fmt, name in _FORMATS:
        m = u.str.fullmatch(pattern).to_numpy() & np.isnat(day)
        if not m.any():
            continue
        head = u[m].str.slice(0, len(fmt) + 2 if name == "day" else None)
        got = pd.to_datetime(head, format=fmt, errors="coerce").to_numpy().astype(_D)
        day[m] = got
        prec[np.flatnonzero(m)[~np.isnat(got)]] = name
        for i in np.flatnonzero(m)[np.isnat(got)]:
            problem[i] = f"{u[i]!r} is not a calendar date"
    for i in np.flatnonzero(np.isnat(day) & ~blank & (problem == None)):  # noqa: E711
        problem[i] = _unreadable(u[i])
    r.missing[idx[blank[codes]]] = True
    r.day[idx] = day[codes]
    r.precision[idx] = prec[codes]
    r.problem[idx] = problem[codes]
    r.naive[idx] = ~np.isnat(day[codes])


def _unreadable(text: str) -> str:
    if pd.Series([text]).str.fullmatch(_AMBIGUOUS).iloc[0]:
        return f"day/month order is ambiguous in {text!r}; write dates as ISO YYYY-MM-DD"
    if pd.Series([text]).str.fullmatch(_ANY_TIME).iloc[0]:
        return (f"{text!r} has no valid time of day (hours 00-23, minutes and seconds 00-59); "
                "write YYYY-MM-DD")
    return f"cannot read {text!r} as a date; write YYYY-MM-DD, YYYY-MM or YYYY"


def _one_day(v) -> tuple[np.datetime64, bool]:
    """A date, datetime, Timestamp or datetime64 as its calendar day; whether it was aware."""
    if isinstance(v, np.datetime64):
        return v.astype(_D), False
    if isinstance(v, _dt.datetime):
        return np.datetime64(v.date(), "D"), v.tzinfo is not None
    return np.datetime64(v, "D"), False


def _read_objects(s: pd.Series, r: _Reading) -> None:
    """A column of mixed Python objects: strings, dates and times, numbers, others."""
    arr = s.to_numpy(dtype=object)
    r.missing[:] = pd.isna(s).to_numpy()
    kinds = _classify_objects(arr)
    is_str = (kinds == "s") & ~r.missing
    if is_str.any():
        _read_strings(pd.Series(arr[is_str], dtype=object), np.flatnonzero(is_str), r)
    for i in np.flatnonzero((kinds == "t") & ~r.missing):
        r.day[i], aware = _one_day(arr[i])
        r.aware[i], r.naive[i] = aware, not aware
        r.precision[i] = "day"
    for i in np.flatnonzero((kinds == "n") & ~r.missing):
        r.problem[i] = f"{_scalar(arr[i])!r} is a number where a date belongs; write an ISO date"
    for i in np.flatnonzero((kinds == "o") & ~r.missing):
        r.problem[i] = f"cannot read {arr[i]!r} as a date; write YYYY-MM-DD, YYYY-MM or YYYY"


def _ranks(precision: np.ndarray) -> np.ndarray:
    """0, 1, 2 for day, month, year; -1 for anything else (missing, an unknown word)."""
    p = np.asarray(precision, dtype=object)
    return np.select([p == name for name in _RANK], list(_RANK.values()), -1)


def _apply_declared(values: pd.Series, declared: pd.Series, r: _Reading) -> None:
    """A declared precision widens the period; one finer than the written value is a problem."""
    d = declared.reset_index(drop=True).to_numpy(dtype=object)
    rank_d, rank_w = _ranks(d), _ranks(r.precision)
    given = (rank_d >= 0) & (rank_w >= 0)  # an unknown word is reported by validation
    for i in np.flatnonzero(given & (rank_d < rank_w) & (r.problem == None)):  # noqa: E711
        r.problem[i] = (f"precision is declared {d[i]!r} but {values.iloc[i]!r} is known only "
                        f"to the {r.precision[i]}")
    wider = given & (rank_d > rank_w)
    r.precision[wider] = d[wider]


def _check_range(values: pd.Series, lo: np.ndarray, hi: np.ndarray, r: _Reading) -> None:
    outside = ~np.isnat(lo) & ((lo < FIRST_DAY) | (hi > LAST_DAY))
    for i in np.flatnonzero(outside & (r.problem == None)):  # noqa: E711
        v = values.iloc[i]
        shown = repr(v) if isinstance(v, str) else f"the date {r.day[i]}"
        r.problem[i] = (f"{shown} is outside the dates continuity can hold "
                        f"({FIRST_DAY} to {LAST_DAY})")


def parse_dates(values: pd.Series, precision: pd.Series | None = None) -> ParsedDates:
    """Read one column of dates as periods with their precision.

    Parameters
    ----------
    values : pandas.Series
        ISO strings (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or an ISO date-time, held at its
        day), ``datetime.date``/``datetime.datetime`` objects, pandas timestamps, or a
        datetime64 column of any unit. Missing values (None, NaN, NaT, empty strings) are
        allowed here; whether a column may be empty is decided by validation.
    precision : pandas.Series, optional
        Declared precision of each value (``day``, ``month``, ``year``). A declared precision
        coarser than the written value widens the period (``2015-09-01`` declared ``month`` means
        September 2015); one finer than the written value is a problem.

    Returns
    -------
    ParsedDates

    Notes
    -----
    A value is a problem, never silently another date, when it is not a calendar date
    (``2015-02-30``), has an impossible time of day (``2016-01-10T25:99``), or its period
    reaches outside :data:`FIRST_DAY` .. :data:`LAST_DAY` (the span of datetime64[ns]; a year
    1500 or 9999). Each distinct string is parsed once.

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
    >>> parse_dates(pd.Series(["1500-01-01"])).problem[0]
    "'1500-01-01' is outside the dates continuity can hold (1677-09-22 to 2262-04-11)"
    """
    s = values.reset_index(drop=True)
    r = _Reading.empty(len(s))
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        _read_datetime_column(s, r)
    elif pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        r.missing[:] = s.isna().to_numpy()
        for i in np.flatnonzero(~r.missing):
            r.problem[i] = (f"{_scalar(s.iloc[i])!r} is a number where a date belongs; "
                            "write an ISO date")
    else:
        _read_objects(s, r)
    _check_range(s, *_widen(r.day, r.precision), r)  # as written
    if precision is not None:
        _apply_declared(s, precision, r)
    lo, hi = _widen(r.day, r.precision)
    _check_range(s, lo, hi, r)  # as declared
    bad = r.problem != None  # noqa: E711 (elementwise)
    lo[bad], hi[bad] = np.datetime64("NaT"), np.datetime64("NaT")
    r.precision[bad] = None
    return ParsedDates(lo.astype(_NS), hi.astype(_NS), r.precision, r.missing, r.problem,
                       r.aware, r.naive)


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
    rank1, rank2 = _ranks(first_precision), _ranks(second_precision)
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
