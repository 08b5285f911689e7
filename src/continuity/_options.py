"""Option vocabularies, defaults and the one set of argument checkers.

Every public function checks its own keyword arguments here, before it delegates, so that one bad
value gets one wording wherever it is passed. A bad argument raises :class:`OptionError` (or
:class:`ContinuityTypeError` for an object of the wrong kind); bad *data* raises
:class:`~continuity.errors.ValidationError` with its failure table, never these.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from continuity.errors import ContinuityTypeError, OptionError

__all__ = [
    "DEFAULTS",
    "MAX_DAYS",
    "ConfType",
    "Event",
    "Extend",
    "Freq",
    "Lang",
    "LeaderRule",
    "Leaders",
    "Level",
    "SurvivalConfType",
    "TableFormat",
    "Ties",
    "check_conf_level",
    "check_days",
    "check_flag",
    "check_literal",
    "check_number",
    "check_seed",
    "check_thresholds",
    "check_whole",
    "choices",
]

#: The level of the unit at risk: one instrument, or a relationship (a chain of instruments).
Level = Literal["instrument", "relationship"]
#: The end that counts as the event: the formal end, or the de facto end by dormancy.
Event = Literal["formal", "dormant"]
#: The per-party columns of the episode table: all of them, or none.
Leaders = Literal["wide", "none"]
#: The scale of a Kaplan-Meier confidence interval (R's ``conf.type``).
ConfType = Literal["log-log", "log", "plain"]
#: How tied event times are handled in the Cox partial likelihood.
Ties = Literal["efron", "breslow"]
#: The calendar period of a panel.
Freq = Literal["year", "quarter", "month"]
#: Which leader a panel period is credited to when the office changed hands in it.
LeaderRule = Literal["first", "last", "longest"]

#: The language of a report's own words: English or Indonesian.
Lang = Literal["en", "id"]

#: The file format of written tables.
TableFormat = Literal["csv", "parquet"]

#: The span of dates continuity can hold (datetime64[ns], 1677-09-21 to 2262-04-11), in days: no
#: duration in days can usefully be longer.
MAX_DAYS = 213_503


@dataclass(frozen=True)
class _Defaults:
    dormancy: int = 730
    max_gap: int = 365
    thresholds: tuple[int, ...] = (365, 730, 1095)
    horizons: tuple[int, ...] = (365, 730, 1825)
    conf_level: float = 0.95


#: The defaults shared by every function that takes these arguments.
DEFAULTS = _Defaults()


def choices(alias: Any) -> tuple[str | None, ...]:
    """The values of a ``Literal`` vocabulary, in order.

    Examples
    --------
    >>> choices(Event)
    ('formal', 'dormant')
    """
    return tuple(get_args(alias))


def check_literal(value: object, alias: Any, name: str, where: str, hint: str = "") -> Any:
    """``value`` if it is one of the vocabulary ``alias``, else an OptionError naming them all.

    A vocabulary may hold None (``Literal[None, "administration"]``): then None is allowed.

    Examples
    --------
    >>> check_literal("dormant", Event, "event", "split_episodes")
    'dormant'
    """
    allowed = choices(alias)
    ok = (value is None and None in allowed) or (isinstance(value, str) and value in allowed)
    if not ok:
        shown = ", ".join(map(repr, allowed))
        raise OptionError(f"{where}: {name} must be one of {shown}, not {value!r}{hint}")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_whole(value: object, name: str, where: str, *, minimum: int = 0,
                maximum: int | None = None, unit: str = "") -> int:
    """A whole number (an int, or a float with no fraction) within ``[minimum, maximum]``.

    Examples
    --------
    >>> check_whole(3.0, "n_sim", "power", minimum=1)
    3
    """
    what = f"a whole number{' of ' + unit if unit else ''}"
    ok = _is_number(value) and bool(np.isfinite(float(value)))  # type: ignore[arg-type]
    if ok:
        ok = float(value) == int(value)  # type: ignore[arg-type]
    if not ok:
        raise OptionError(f"{where}: {name} must be {what}, not {value!r}")
    number = int(value)  # type: ignore[call-overload]
    if number < minimum:
        raise OptionError(f"{where}: {name} must be {what}, {minimum} or more, not {number}")
    if maximum is not None and number > maximum:
        raise OptionError(f"{where}: {name} must be {what}, at most {maximum:,}, not {number:,}")
    return number


def check_days(value: object, name: str, where: str, *, minimum: int = 0) -> int:
    """A whole number of days, ``minimum`` or more and at most :data:`MAX_DAYS`.

    Examples
    --------
    >>> check_days(365, "window", "split_episodes", minimum=1)
    365
    >>> check_days(10**18, "window", "split_episodes")
    Traceback (most recent call last):
    ...
    continuity.errors.OptionError: split_episodes: window must be a whole number of days, at most 213,503, not 1,000,000,000,000,000,000
    """
    return check_whole(value, name, where, minimum=minimum, maximum=MAX_DAYS, unit="days")


def check_thresholds(value: object, name: str, where: str) -> tuple[int, ...]:
    """One or more positive whole numbers of days, distinct, sorted.

    Examples
    --------
    >>> check_thresholds([730, 365], "thresholds", "dormancy")
    (365, 730)
    """
    values = [value] if isinstance(value, (str, bytes)) or not isinstance(value, Iterable) \
        else list(value)
    out = tuple(check_days(v, f"each of {name}", where, minimum=1) for v in values)
    if not out:
        raise OptionError(f"{where}: {name} is empty; give one or more numbers of days, "
                          "e.g. (365, 730, 1095)")
    if len(set(out)) != len(out):
        raise OptionError(f"{where}: {name} repeat a value ({', '.join(map(str, out))}); give "
                          "each number of days once")
    return tuple(sorted(out))


def check_conf_level(conf_level: object, where: str) -> float:
    """``conf_level`` as a float strictly between 0 and 1.

    Examples
    --------
    >>> check_conf_level(0.9, "kaplan_meier")
    0.9
    """
    if not _is_number(conf_level) or not 0.0 < float(conf_level) < 1.0:  # type: ignore[arg-type]
        raise OptionError(f"{where}: conf_level must be a number strictly between 0 and 1, got "
                          f"{conf_level!r}; use e.g. conf_level=0.95 for a 95% interval")
    return float(conf_level)  # type: ignore[arg-type]


def check_seed(value: object, where: str) -> int | np.random.Generator | np.random.SeedSequence \
        | None:
    """A seed: None, a non-negative int, a numpy ``Generator`` or ``SeedSequence``.

    Examples
    --------
    >>> check_seed(7, "transition_hazard_ratio")
    7
    """
    if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise ContinuityTypeError(f"{where}: seed must be a non-negative int, a numpy Generator or "
                              f"None, not {value!r}")


def check_flag(value: object, name: str, where: str) -> bool:
    """``value`` if it is True or False (a numpy bool included), else an OptionError.

    Examples
    --------
    >>> check_flag(True, "allow_unknown_exposure", "Study")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise OptionError(f"{where}: {name} must be True or False, not {value!r}")
    return bool(value)


def check_number(value: object, name: str, where: str, *, minimum: float | None = None,
                 exclusive: bool = False, unit: str = "") -> float:
    """A finite real number, at least ``minimum`` (above it when ``exclusive``), as a float.

    Examples
    --------
    >>> check_number(365, "horizon", "rmst", minimum=0, exclusive=True)
    365.0
    """
    what = "a finite number" + (f" (in {unit})" if unit else "")
    if minimum is not None:
        what += f" {'above' if exclusive else 'at least'} {minimum:g}"
    ok = _is_number(value) and bool(np.isfinite(float(value)))  # type: ignore[arg-type]
    if ok and minimum is not None:
        number = float(value)  # type: ignore[arg-type]
        ok = number > minimum if exclusive else number >= minimum
    if not ok:
        raise OptionError(f"{where}: {name} must be {what}, not {value!r}")
    return float(value)  # type: ignore[arg-type]

#: The scale of a Kaplan-Meier interval, or "exact": Clopper-Pearson on the effective sample size.
SurvivalConfType = Literal["log-log", "log", "plain", "exact"]
#: What RMST does with a horizon past the last follow-up of a curve still above 0.
Extend = Literal["no", "flat"]
