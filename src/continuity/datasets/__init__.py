"""Example data bundled with continuity.

``load_solo()`` returns the Surakarta (Solo) case: the mayors, deputies and caretakers of Kota
Surakarta, the party secretaries and mayors of Xi'an and Zhuhai, Solo's sister-city instruments
and the dated activities under them, compiled from public reports with each row's sources,
confidence and date precision (see ``SOURCES.md`` beside the CSV files).
"""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path

__all__ = ["load_solo", "solo_path"]


def solo_path() -> Path:
    """The folder holding the Solo case's CSV files and ``study.toml``."""
    return Path(str(resources.files("continuity.datasets") / "solo"))


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
    from continuity.errors import ActivityOutsideLifeWarning
    from continuity.io import read_study

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ActivityOutsideLifeWarning)
        return read_study(solo_path(), **settings)
