"""Reading studies from a folder of CSV files or an Excel workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from continuity.errors import ContinuityTypeError, DependencyError, ReadError
from continuity.schema import TABLES
from continuity.study import Study

__all__ = ["read_settings", "read_study"]

_OPTIONAL = ("activities", "targets")
_SETTINGS = ("as_of", "offices", "allow_unknown_exposure", "date_rule")


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def read_settings(path: str | Path) -> dict:
    """Read a study's settings (``as_of``, ``offices``, ...) from ``study.toml`` or ``study.json``.

    Parameters
    ----------
    path : str or Path
        The settings file.

    Returns
    -------
    dict
        The keyword arguments for :class:`continuity.Study` found in the file.

    Raises
    ------
    ReadError
        When the file cannot be parsed or holds an unknown setting.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else _toml_loads(text)
    except Exception as exc:  # the parsers raise their own error classes
        raise ReadError(f"{path.name}: cannot be parsed ({exc})") from exc
    unknown = sorted(set(data) - set(_SETTINGS))
    if unknown:
        raise ReadError(
            f"{path.name}: unknown setting {', '.join(map(repr, unknown))}; "
            f"known settings are {', '.join(_SETTINGS)}"
        )
    if "as_of" in data and not isinstance(data["as_of"], str):
        data["as_of"] = str(data["as_of"])
    return data


def _read_csv(path: Path) -> pd.DataFrame:
    # Every value is read as text, so that ids keep their leading zeros and no value is
    # converted before validation sees it; only empty cells become missing.
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                           encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path.name}: is not UTF-8 text ({exc}); save it as UTF-8") from exc
    except pd.errors.ParserError as exc:
        raise ReadError(f"{path.name}: cannot be read as CSV ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise ReadError(f"{path.name}: is empty; it needs at least a header row") from exc


def _read_folder(folder: Path) -> tuple[dict, dict]:
    found = sorted(p.name for p in folder.iterdir())
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            tables[name] = _read_csv(path)
        elif name not in _OPTIONAL:
            raise ReadError(
                f"{folder}: no {name}.csv (files found: {', '.join(found) or 'none'}); a study "
                "folder holds terms.csv, agreements.csv, parties.csv and optionally "
                "activities.csv, targets.csv and study.toml"
            )
    settings: dict = {}
    toml, js = folder / "study.toml", folder / "study.json"
    if toml.exists() and js.exists():
        raise ReadError(f"{folder}: both study.toml and study.json are present; keep one")
    for path in (toml, js):
        if path.exists():
            settings = read_settings(path)
    return tables, settings


def _read_workbook(path: Path) -> tuple[dict, dict]:
    try:
        import openpyxl  # noqa: F401  (pandas needs it to read .xlsx)
    except ImportError as exc:
        raise DependencyError(
            "reading an Excel workbook needs openpyxl: pip install 'continuity[excel]'"
        ) from exc
    sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    tables = {}
    for name in TABLES:
        if name in sheets:
            df = sheets[name]
            tables[name] = df.where(df.notna(), None)
        elif name not in _OPTIONAL:
            raise ReadError(
                f"{path.name}: no sheet {name!r} (sheets found: {', '.join(sheets)}); a study "
                "workbook has one sheet per table: terms, agreements, parties and optionally "
                "activities, targets, plus optional sheets 'offices' (jurisdiction, office) and "
                "'settings' (setting, value)"
            )
    settings: dict = {}
    if "offices" in sheets:
        off = sheets["offices"]
        if list(off.columns[:2]) != ["jurisdiction", "office"]:
            raise ReadError(f"{path.name}: sheet 'offices' needs columns jurisdiction, office "
                            f"(found: {', '.join(map(str, off.columns))})")
        settings["offices"] = dict(zip(off["jurisdiction"].astype(str), off["office"].astype(str),
                                       strict=True))
    if "settings" in sheets:
        st = sheets["settings"]
        if list(st.columns[:2]) != ["setting", "value"]:
            raise ReadError(f"{path.name}: sheet 'settings' needs columns setting, value "
                            f"(found: {', '.join(map(str, st.columns))})")
        for key, value in zip(st["setting"], st["value"], strict=True):
            if key not in ("as_of", "allow_unknown_exposure", "date_rule"):
                raise ReadError(f"{path.name}: sheet 'settings' has unknown setting {key!r}; "
                                "known are as_of, allow_unknown_exposure, date_rule")
            if key == "allow_unknown_exposure":
                value = str(value).strip().lower() in ("true", "1", "yes")
            settings[key] = value
    return tables, settings


def read_study(path: str | Path, **settings) -> Study:
    """Read a study from a folder of CSV files or from an Excel workbook.

    Parameters
    ----------
    path : str or Path
        A folder holding ``terms.csv``, ``agreements.csv``, ``parties.csv`` and optionally
        ``activities.csv``, ``targets.csv`` and ``study.toml`` (or ``study.json``) with
        ``as_of``, ``offices`` (a table jurisdiction -> office), ``allow_unknown_exposure`` and
        ``date_rule``; or an ``.xlsx`` workbook with one sheet per table and optional sheets
        ``offices`` (columns ``jurisdiction, office``) and ``settings`` (``setting, value``).
    **settings
        Keyword arguments of :class:`continuity.Study`; they override the file's settings.

    Returns
    -------
    Study

    Raises
    ------
    ReadError
        A file is missing or cannot be parsed.
    DependencyError
        A workbook is given and openpyxl is not installed.
    ValidationError
        The tables break the data model (every problem listed).
    ContinuityTypeError
        A keyword argument is not a setting of a study.

    Notes
    -----
    Reading changes no value: CSV cells are read as text (ids keep their leading zeros, ``NA``
    stays the text ``NA``; only empty cells are missing) and validated by the Study, which
    refuses dates whose day/month order is ambiguous (``03/04/2015``) instead of guessing.

    Examples
    --------
    >>> import warnings
    >>> import continuity as ct
    >>> from continuity.datasets import solo_path
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     study = ct.read_study(solo_path())
    >>> study.offices["Surakarta"]
    'mayor'
    >>> caught[0].category.__name__  # two visits predate the letter of intent: see study.audit
    'ActivityOutsideLifeWarning'
    """
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file or folder")
    if path.is_dir():
        tables, found = _read_folder(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        tables, found = _read_workbook(path)
    else:
        raise ReadError(f"{path}: expected a folder of CSV files or an .xlsx workbook")
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        raise ContinuityTypeError(f"read_study() got unknown settings {', '.join(unknown)}; "
                                  f"known settings are {', '.join(_SETTINGS)}")
    return Study(**tables, **{**found, **settings})
