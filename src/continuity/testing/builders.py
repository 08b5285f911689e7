"""A fluent builder of tiny studies for unit tests.

A test that pins down what a metric means needs a study small enough to reason about by hand:
two or three jurisdictions, a handful of terms of office, one or two instruments.
:func:`scenario` writes one in a few lines, where each term starts when the previous one
ends, as they do in a leader list.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from continuity.schema import TERM_KINDS
from continuity.study import Study

__all__ = ["Scenario", "scenario"]


def _check_date(value, what: str) -> None:
    import datetime as dt

    if value is None or isinstance(value, (str, dt.date, pd.Timestamp)):
        return
    raise TypeError(f"{what} must be a date (an ISO string such as '2015-09-15', '2015-09' or "
                    f"'2015', a datetime.date or a pandas Timestamp), not {type(value).__name__}")


def _check_name(value, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{what} must be a non-empty string, not {value!r}")


def _pick(value, i: int, n: int, name: str):
    """``value`` for every row, or its ``i``-th item when it is a list of one per row."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} has {len(value)} values for {n} rows; give one per row, "
                             "or one value for all")
        return value[i]
    return value


@dataclass(frozen=True)
class Scenario:
    """An immutable recipe for a :class:`~continuity.study.Study`; build one with :func:`scenario`.

    Every method returns a new Scenario and leaves this one as it was, so a base scenario can be
    shared between tests and extended in each.
    """

    as_of: Any = None
    _terms: tuple[dict, ...] = field(default=(), repr=False)
    _agreements: tuple[dict, ...] = field(default=(), repr=False)
    _parties: tuple[dict, ...] = field(default=(), repr=False)
    _activities: tuple[dict, ...] = field(default=(), repr=False)
    _targets: tuple[dict, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        juris = sorted({t["jurisdiction"] for t in self._terms})
        return (f"<continuity.testing.Scenario: {len(self._terms)} terms in {len(juris)} "
                f"jurisdictions, {len(self._agreements)} agreements, {len(self._activities)} "
                f"activities, {len(self._targets)} targets, as_of {self.as_of!r}>")

    # --- building -----------------------------------------------------------------------------
    def terms(
        self,
        jurisdiction: str,
        office: str,
        holders: Sequence[tuple],
        *,
        end=None,
        parties: str | Sequence[str | None] | None = None,
    ) -> Scenario:
        """Add consecutive terms of one office in one jurisdiction.

        Parameters
        ----------
        jurisdiction, office : str
            Where, and which office (``"mayor"``, ``"party_secretary"``, ...).
        holders : sequence of tuples
            ``(holder, start)`` or ``(holder, start, kind)`` in the order they held the office;
            ``kind`` is one of :data:`continuity.schema.TERM_KINDS` (elected, acting,
            appointed, caretaker, vacancy). Each term ends the day the next one starts (the
            terms touch: intervals are ``[start, end)``).
        end : date-like, optional
            When the last term ended; by default it is still running.
        parties : str or sequence, optional
            The political party of every holder (one string), or of each term in turn
            (None where unknown).

        Returns
        -------
        Scenario

        Examples
        --------
        >>> from continuity.testing import scenario
        >>> s = scenario().terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
        >>> s.tables()["terms"]
          jurisdiction office holder       start         end  kind
        0         Solo  mayor      A  2010-07-28  2015-08-05  None
        1         Solo  mayor      B  2015-08-05        None  None
        """
        _check_name(jurisdiction, "jurisdiction")
        _check_name(office, "office")
        _check_date(end, "end")
        if isinstance(holders, (str, bytes)) or not isinstance(holders, Sequence) or not holders:
            raise TypeError("holders must be a non-empty list of (holder, start) or "
                            "(holder, start, kind) tuples")
        rows = []
        for i, h in enumerate(holders):
            if not isinstance(h, (tuple, list)) or len(h) not in (2, 3):
                raise TypeError(f"holders[{i}] must be (holder, start) or (holder, start, kind), "
                                f"not {h!r}")
            holder, start = h[0], h[1]
            kind = h[2] if len(h) == 3 else None
            _check_name(holder, f"holders[{i}] holder")
            _check_date(start, f"holders[{i}] start")
            if kind is not None and kind not in TERM_KINDS:
                raise ValueError(f"holders[{i}] kind must be one of {', '.join(TERM_KINDS)}, "
                                 f"not {kind!r}")
            rows.append({"jurisdiction": jurisdiction, "office": office, "holder": holder,
                         "start": start, "end": None, "kind": kind})
        for a, b in itertools.pairwise(rows):
            a["end"] = b["start"]
        rows[-1]["end"] = end
        if parties is not None:
            if isinstance(parties, str):
                parties = [parties] * len(rows)
            if len(parties) != len(rows):
                raise ValueError(f"parties has {len(parties)} entries for {len(rows)} terms; "
                                 "give one per term, or one string for all")
            for r, p in zip(rows, parties, strict=True):
                r["party"] = p
        return replace(self, _terms=self._terms + tuple(rows))

    def agreement(
        self,
        agreement_id: str,
        jurisdictions: Sequence[str],
        *,
        signed,
        ended=None,
        expires=None,
        effective=None,
        relationship_id: str | None = None,
        instrument: str | None = None,
        end_reason: str | None = None,
        **extra,
    ) -> Scenario:
        """Add one instrument and its parties.

        Parameters
        ----------
        agreement_id : str
            The instrument's id.
        jurisdictions : sequence of str
            Its parties (two or more).
        signed : date-like
            When it was signed.
        ended, expires, effective : date-like, optional
            When it ended (formally), when it is due to expire, when it took effect.
        relationship_id : str, optional
            The relationship (chain of instruments) it belongs to; by default its own id.
        instrument : str, optional
            ``"loi"``, ``"mou"``, ``"agreement"``, ``"renewal"``, ...
        end_reason : str, optional
            ``"expired"``, ``"terminated"``, ``"replaced"``, ...
        **extra
            Further columns of the agreements table (``title``, ``sector``, ...).

        Returns
        -------
        Scenario

        Examples
        --------
        >>> from continuity.testing import scenario
        >>> s = scenario().agreement("LOI", ["Solo", "Xi'an"], signed="2015-09", instrument="loi")
        >>> s.tables()["parties"]
          agreement_id jurisdiction
        0          LOI         Solo
        1          LOI        Xi'an
        """
        _check_name(agreement_id, "agreement_id")
        if isinstance(jurisdictions, str) or not isinstance(jurisdictions, Sequence):
            raise TypeError("jurisdictions must be a list of the agreement's parties, e.g. "
                            "['Solo', \"Xi'an\"]")
        for j in jurisdictions:
            _check_name(j, "each jurisdiction")
        for name, value in (("signed", signed), ("ended", ended), ("expires", expires),
                            ("effective", effective)):
            _check_date(value, name)
        row = {"agreement_id": agreement_id, "signed": signed}
        optional = {"relationship_id": relationship_id, "instrument": instrument,
                    "effective": effective, "expires": expires, "ended": ended,
                    "end_reason": end_reason}
        row.update({k: v for k, v in optional.items() if v is not None})
        row.update(extra)
        parties = tuple({"agreement_id": agreement_id, "jurisdiction": j} for j in jurisdictions)
        return replace(self, _agreements=(*self._agreements, row),
                       _parties=self._parties + parties)

    def activity(self, agreement_id: str, date, **extra) -> Scenario:
        """Add one dated activity under an instrument.

        Parameters
        ----------
        agreement_id : str
        date : date-like
        **extra
            Further columns (``kind``, ``sector``, ``objective``, ``cost``, ``participants``).

        Returns
        -------
        Scenario
        """
        _check_name(agreement_id, "agreement_id")
        _check_date(date, "date")
        row = {"agreement_id": agreement_id, "date": date, **extra}
        return replace(self, _activities=(*self._activities, row))

    def activities(self, agreement_id: str, dates: Sequence, **columns) -> Scenario:
        """Add several activities under one instrument, one per date.

        Parameters
        ----------
        agreement_id : str
        dates : sequence of date-like
        **columns
            Further columns: one value for every activity, or a list with one per date
            (``kind=["visit", "meeting"]``, ``side="Solo"``).

        Returns
        -------
        Scenario

        Examples
        --------
        >>> from continuity.testing import scenario
        >>> s = scenario().activities("LOI", ["2016-05-02", "2017-03-01"], kind=["visit", "fair"])
        >>> s.tables()["activities"]
          agreement_id        date   kind
        0          LOI  2016-05-02  visit
        1          LOI  2017-03-01   fair
        """
        if isinstance(dates, (str, bytes)) or not isinstance(dates, Sequence):
            raise TypeError("dates must be a list of dates, e.g. ['2016-05-02', '2017-03-01']")
        out = self
        for i, date in enumerate(dates):
            row = {k: _pick(v, i, len(dates), k) for k, v in columns.items()}
            out = out.activity(agreement_id, date, **row)
        return out

    def targets(self, agreement_id: str, rows: Sequence[tuple], **columns) -> Scenario:
        """Add several targets of one instrument.

        Parameters
        ----------
        agreement_id : str
        rows : sequence of tuples
            ``(indicator, period_start, period_end, target, actual)``, one per target.
        **columns
            Further columns (``objective``, ``weight``): one value for every row, or a list
            with one per row.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> from continuity.testing import scenario
        >>> s = scenario().targets("LOI", [("students", "2016-01-01", "2017-01-01", 10, 8),
        ...                                ("budget", "2016-01-01", "2017-01-01", 100, 80)],
        ...                        objective="human_resources")
        >>> s.tables()["targets"][["indicator", "target", "actual", "objective"]]
          indicator target actual        objective
        0  students     10      8  human_resources
        1    budget    100     80  human_resources
        """
        if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
            raise TypeError("rows must be a list of (indicator, period_start, period_end, "
                            "target, actual) tuples")
        out = self
        for i, r in enumerate(rows):
            if not isinstance(r, (tuple, list)) or len(r) != 5:
                raise TypeError(f"rows[{i}] must be (indicator, period_start, period_end, "
                                f"target, actual), not {r!r}")
            extra = {k: _pick(v, i, len(rows), k) for k, v in columns.items()}
            out = out.target(agreement_id, *r, **extra)
        return out

    def target(
        self,
        agreement_id: str,
        indicator: str,
        period_start,
        period_end,
        target: float,
        actual: float,
        **extra,
    ) -> Scenario:
        """Add one target of an instrument for one period.

        Parameters
        ----------
        agreement_id, indicator : str
        period_start, period_end : date-like
        target, actual : float
        **extra
            Further columns (``objective``, ``weight``).

        Returns
        -------
        Scenario
        """
        _check_name(agreement_id, "agreement_id")
        _check_name(indicator, "indicator")
        _check_date(period_start, "period_start")
        _check_date(period_end, "period_end")
        row = {"agreement_id": agreement_id, "indicator": indicator,
               "period_start": period_start, "period_end": period_end,
               "target": target, "actual": actual, **extra}
        return replace(self, _targets=(*self._targets, row))

    # --- output -------------------------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        """The raw tables, as a user would read them from a registry (dates as given).

        Returns
        -------
        dict of str to pandas.DataFrame
            ``terms``, ``agreements``, ``parties``, and ``activities`` and ``targets`` when the
            scenario has any. New frames on every call: corrupt one and pass them all to
            :class:`~continuity.study.Study` to test an error.

        Examples
        --------
        >>> import pytest
        >>> from continuity import ValidationError
        >>> from continuity.study import Study
        >>> from continuity.testing import scenario
        >>> s = (scenario(as_of="2020-12-31")
        ...      .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
        ...      .terms("Zhuhai", "mayor", [("P", "2012-01-01")])
        ...      .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15"))
        >>> t = s.tables()
        >>> t["terms"].loc[0, "end"] = "2009-01-01"
        >>> with pytest.raises(ValidationError, match="end before start"):
        ...     Study(**t, as_of=s.as_of)
        """
        def frame(rows, columns):
            cols = list(columns)
            for r in rows:
                cols += [k for k in r if k not in cols]
            df = pd.DataFrame([dict(r) for r in rows], columns=cols).astype(object)
            return df.where(df.notna(), None)  # absent values are None, as in the rows

        out = {
            "terms": frame(self._terms, ["jurisdiction", "office", "holder", "start", "end",
                                         "kind"]),
            "agreements": frame(self._agreements, ["agreement_id", "signed"]),
            "parties": frame(self._parties, ["agreement_id", "jurisdiction"]),
        }
        if self._activities:
            out["activities"] = frame(self._activities, ["agreement_id", "date"])
        if self._targets:
            out["targets"] = frame(self._targets, ["agreement_id", "indicator", "period_start",
                                                   "period_end", "target", "actual"])
        return out

    def build(self, **study_kwargs) -> Study:
        """Validate the scenario and return it as a :class:`~continuity.study.Study`.

        Parameters
        ----------
        **study_kwargs
            Passed to :class:`~continuity.study.Study`: ``offices`` (needed only where a
            jurisdiction has terms of several offices), ``allow_unknown_exposure``,
            ``date_rule``, and ``as_of`` to override the scenario's.

        Returns
        -------
        Study

        Raises
        ------
        ValidationError
            When the scenario breaks the data model (every problem listed).

        Examples
        --------
        >>> from continuity.testing import scenario
        >>> study = (scenario(as_of="2024-12-31")
        ...          .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05", "caretaker"),
        ...                                   ("A", "2016-02-17"), ("C", "2021-02-26")])
        ...          .terms("Xi'an", "party_secretary", [("P", "2012-06-14"), ("Q", "2016-12-09")])
        ...          .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15", ended="2022-01-01")
        ...          .build())
        >>> tr = study.transitions()
        >>> life = (tr["date"] >= "2015-09-15") & (tr["date"] < "2022-01-01")
        >>> tr.loc[life, ["jurisdiction", "date", "from_holder", "to_holder"]]
          jurisdiction       date from_holder to_holder
        1         Solo 2016-02-17           B         A
        2         Solo 2021-02-26           A         C
        3        Xi'an 2016-12-09           P         Q
        """
        if "offices" in study_kwargs and study_kwargs["offices"] is not None and not isinstance(
                study_kwargs["offices"], (str, Mapping)):
            raise TypeError("offices must be one office name or a mapping jurisdiction -> office")
        kwargs = {"as_of": self.as_of, **study_kwargs}
        return Study(**self.tables(), **kwargs)


def scenario(as_of=None) -> Scenario:
    """Start a tiny study for a unit test.

    Parameters
    ----------
    as_of : date-like, optional
        The censoring date of the study; by default the latest date in it.

    Returns
    -------
    Scenario
        Chain ``.terms(...)``, ``.agreement(...)``, ``.activity(...)``, ``.target(...)``, then
        ``.build()`` for a :class:`~continuity.study.Study` or ``.tables()`` for the raw tables.
        A Scenario is immutable: each call returns a new one.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> base = (scenario(as_of="2024-12-31")
    ...         .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05", "caretaker"),
    ...                                  ("A", "2016-02-17"), ("C", "2021-02-26")])
    ...         .terms("Xi'an", "party_secretary", [("P", "2012-06-14"), ("Q", "2016-12-09")]))
    >>> study = (base.agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15",
    ...                         ended="2022-01-01", instrument="loi", end_reason="expired")
    ...          .activity("LOI", "2016-05-02", kind="visit")
    ...          .build())
    >>> study.offices
    {'Solo': 'mayor', "Xi'an": 'party_secretary'}
    >>> len(study.transitions())
    4
    """
    import datetime as dt

    if as_of is not None and not isinstance(as_of, (str, dt.date, pd.Timestamp)):
        raise TypeError(f"as_of must be a date (an ISO string, datetime.date or pandas "
                        f"Timestamp), not {type(as_of).__name__}")
    return Scenario(as_of=as_of)
