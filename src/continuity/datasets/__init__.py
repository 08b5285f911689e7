"""Example data bundled with continuity: two real cases compiled from public reports.

``load_solo()`` returns the Surakarta (Solo) case: the mayors, deputies and caretakers of Kota
Surakarta, the party secretaries and mayors of Xi'an and Zhuhai, Solo's sister-city instruments
and the dated activities under them. ``load_bandung()`` returns the Bandung case: Bandung's
mayors with their acting and caretaker officials, its sister-city instruments with thirteen
partners, and the activities under them. Every row keeps its sources, confidence and date
precision; ``SOURCES.md`` beside each case's CSV files says where each fact comes from, what was
decided and where the record has gaps.
"""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path

__all__ = ["bandung_path", "load_bandung", "load_solo", "solo_path"]


def _case_path(name: str) -> Path:
    return Path(str(resources.files("continuity.datasets") / name))


def _load_case(name: str, settings: dict):
    """Read a bundled case; activities outside their instrument's life are audited, not warned."""
    from continuity.errors import ActivityOutsideLifeWarning
    from continuity.io import read_study

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ActivityOutsideLifeWarning)
        return read_study(_case_path(name), **settings)


def solo_path() -> Path:
    """The folder holding the Solo case's CSV files and ``study.toml``."""
    return _case_path("solo")


def bandung_path() -> Path:
    """The folder holding the Bandung case's CSV files and ``study.toml``."""
    return _case_path("bandung")


def load_solo(**settings):
    """The Surakarta (Solo) case as a :class:`~continuity.Study`.

    Parameters
    ----------
    **settings
        Keyword arguments of :class:`continuity.Study` that override the bundled
        ``study.toml`` (for example ``as_of`` or ``date_rule``).

    Returns
    -------
    Study
        A few activities of the record fall outside their instrument's life (exploratory
        visits before a letter of intent was signed); they are kept and listed in
        ``study.audit``, and ``SOURCES.md`` explains them, so this loader does not warn about
        them. Solo's leadership office is the mayor (caretakers, Plt/Plh/Pj, are terms of that
        office with their own kind); Xi'an's and Zhuhai's is the party secretary. The leaders of
        Montana (Bulgaria) and Andong (Korea) are not in the record, so their exposure is
        unknown (NA), and Zhuhai's record has gaps (before 2012; after mid-2023): see
        ``SOURCES.md``.

    Examples
    --------
    >>> import continuity as ct
    >>> study = ct.datasets.load_solo()
    >>> study.offices["Xi'an"], study.offices["Surakarta"]
    ('party_secretary', 'mayor')
    """
    return _load_case("solo", settings)


def load_bandung(**settings):
    """The Bandung case as a :class:`~continuity.Study`.

    Parameters
    ----------
    **settings
        Keyword arguments of :class:`continuity.Study` that override the bundled
        ``study.toml`` (for example ``as_of`` or ``date_rule``).

    Returns
    -------
    Study
        Bandung's mayors 2003-2025 with their acting and caretaker officials (Plh, Plt, Pj,
        Pjs; Ridwan Kamil's term is split around his 2018 campaign leave, and a detained mayor's
        term ends on the day of detention), 19 instruments with 13 partner cities (sister-city
        MoUs from 1960 on, letters of intent, renewals, an implementing agreement) and 96 dated
        activities. The partners' leaders are not in the record, so their exposure is unknown
        (NA, never 0). Activities before an instrument was signed (exploratory visits) are kept
        and listed in ``study.audit`` without a warning. The record's coverage is uneven
        (press-office years, partner websites): ``SOURCES.md`` says what that does to dormancy
        and activity metrics.

    Examples
    --------
    >>> import continuity as ct
    >>> study = ct.datasets.load_bandung()
    >>> study.offices["Bandung"], str(study.as_of.date())
    ('mayor', '2025-09-27')
    >>> mayors = study.terms.sort_values("start")
    >>> mayors.loc[mayors["kind"] == "caretaker", "holder"].tolist()
    ['Edi Siswadi', 'Muhamad Solihin', 'Bambang Tirtoyuliono', 'A. Koswara']
    """
    return _load_case("bandung", settings)
