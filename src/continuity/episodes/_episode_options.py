"""The options of the episode split: one frozen dataclass, checked once, documented once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from continuity._options import DEFAULTS, Event, Leaders, Level, check_days, check_literal
from continuity.errors import OptionError

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["EpisodeOptions"]

_LEADERS_HINT = ("; 'none' drops the per-party columns (jurisdiction_i, leader_i, term_id_i) "
                 "and keeps the exposure columns")


@dataclass(frozen=True)
class EpisodeOptions:
    """The options of :func:`continuity.split_episodes` and :func:`continuity.audit_episodes`.

    The one description of these options: ``split_episodes``, ``audit_episodes`` and
    :meth:`continuity.Study.episodes` take them as keyword arguments with these names and
    defaults. A value out of its range raises :class:`~continuity.errors.OptionError`.

    Parameters
    ----------
    level : {"instrument", "relationship"}, default "instrument"
        The unit: each instrument (agreement row), or each relationship (the instruments sharing
        a ``relationship_id``, chained as described in the Notes of ``split_episodes``).
    event : {"formal", "dormant"}, default "formal"
        What ends a unit: its formal end, or its de facto end (``dormancy`` days without
        activity, or the formal end if that comes first).
    dormancy : int, default 730
        Days without activity after which a unit is dormant (``event="dormant"`` only).
    max_gap : int, default 365
        Relationship level: the longest gap, in days, between the end of one instrument and the
        start of the next for the relationship to go on.
    window : int, optional
        Also split ``window`` days after each leader change since entry, and add ``post_change``.
    cuts : int or sequence of int, optional
        Also split at these times, in days since the unit's entry (as ``survSplit``'s ``cut``).
    observed_from : date-like, optional
        The start of observation: units that began earlier enter on this date (delayed entry,
        ``t_start > 0`` on their first episode); units that ended by then yield no rows.
        A date known to the month or year is its first day.
    focal : str, optional
        A jurisdiction: count its leader changes (``own_changes``) apart from its partners'
        (``partner_changes``).
    leaders : {"wide", "none"}, default "wide"
        ``"wide"`` adds ``jurisdiction_i, leader_i, term_id_i`` for every party slot i up to
        the largest number of parties of any unit; ``"none"`` leaves them out (for studies of
        large multilateral agreements, where one agreement of 40 parties gives every row 120
        such columns). The exposure columns are the same either way. The time and memory of
        ``"wide"`` grow with the number of parties of the largest unit (three columns per party
        slot over every row); those of ``"none"`` do not: one agreement of 200,000 parties
        splits in under a second.

    Examples
    --------
    >>> from continuity.episodes import EpisodeOptions
    >>> opts = EpisodeOptions(level="relationship", cuts=[730, 365.0])
    >>> opts.level, opts.cuts, opts.max_gap
    ('relationship', (365, 730), 365)
    """

    level: Level = "instrument"
    event: Event = "formal"
    dormancy: int = DEFAULTS.dormancy
    max_gap: int = DEFAULTS.max_gap
    window: int | None = None
    cuts: Any = ()
    observed_from: Any = None
    focal: str | None = None
    leaders: Leaders = "wide"
    _observed_day: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, value in _checked(self.__dict__, "EpisodeOptions").items():
            object.__setattr__(self, name, value)

    @property
    def observed_day(self) -> int | None:
        """``observed_from`` as a day number (None when not given)."""
        return self._observed_day

    @property
    def cut_days(self) -> np.ndarray:
        """``cuts`` as a sorted int64 array."""
        return np.asarray(self.cuts, dtype=np.int64)

    @classmethod
    def checked(cls, study: Study, where: str, **values: Any) -> EpisodeOptions:
        """The options ``values``, checked (messages start with ``where``), for ``study``."""
        checked = _checked(values, where)
        checked.pop("_observed_day")
        opts = cls(**checked)
        if opts.event == "dormant" and study.view("activities") is None:
            raise OptionError(f"{where}: event='dormant' needs dated activities, and the study "
                              "has none; pass activities= to Study, or use event='formal'")
        if opts.focal is not None:
            known = study.view("parties")["jurisdiction"]
            if not isinstance(opts.focal, str) or not known.eq(opts.focal).any():
                some = ", ".join(map(repr, sorted(known.unique())[:6]))
                raise OptionError(f"{where}: focal {opts.focal!r} is not a party to any "
                                  f"agreement (parties include {some}); give one jurisdiction "
                                  "as it is written in parties")
        return opts


def _checked(values: dict[str, Any], where: str) -> dict[str, Any]:
    """The options in ``values``, checked and normalised, with ``_observed_day``."""
    out = dict(values)
    if "leaders" in out:
        check_literal(out["leaders"], Leaders, "leaders", where, _LEADERS_HINT)
    if "level" in out:
        check_literal(out["level"], Level, "level", where)
    if "event" in out:
        check_literal(out["event"], Event, "event", where)
    if "dormancy" in out:
        out["dormancy"] = check_days(out["dormancy"], "dormancy", where, minimum=1)
    if "max_gap" in out:
        out["max_gap"] = check_days(out["max_gap"], "max_gap", where, minimum=0)
    if out.get("window") is not None:
        out["window"] = check_days(out["window"], "window", where, minimum=1)
    if "cuts" in out:
        out["cuts"] = _cuts(out["cuts"], where)
    out["_observed_day"] = None
    if out.get("observed_from") is not None:
        out["_observed_day"] = _day_of(out["observed_from"])
        if out["_observed_day"] is None:
            raise OptionError(f"{where}: observed_from {out['observed_from']!r} is not a date; "
                              "give YYYY-MM-DD")
    return out


def _cuts(cuts: Any, where: str) -> tuple[int, ...]:
    if cuts is None:
        return ()
    if isinstance(cuts, (str, bytes)) or np.ndim(cuts) > 1:
        raise OptionError(f"{where}: cuts must be a sequence of whole numbers of days, not "
                          f"{cuts!r}")
    values = [cuts] if np.ndim(cuts) == 0 else list(np.asarray(cuts, dtype=object))
    return tuple(sorted({check_days(c, "each cut", where, minimum=1) for c in values}))


def _day_of(value: Any) -> int | None:
    """Day number of a date-like scalar; fuzzy dates (``"2016"``) resolve to their first day."""
    from continuity.dates import parse_dates

    p = parse_dates(pd.Series([value], dtype=object))
    if p.problem[0] is not None or p.missing[0]:
        return None
    return int(p.lo[0].astype("datetime64[D]").astype(np.int64))
