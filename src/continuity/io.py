"""Reading studies from a folder of CSV files or an Excel workbook.

Reading changes no value and guesses nothing: a file that cannot be read exactly as written (a
duplicated or padded header, a row longer than the header, a file named almost like a table, a
setting given twice) is a :class:`~continuity.errors.ReadError` naming the file and the line or
cell; the tables read are then validated by :class:`continuity.Study`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from continuity.errors import ContinuityTypeError, DependencyError, ReadError
from continuity.schema import DATE_RULES, EXTENDABLE, TABLES
from continuity.study import Study

__all__ = ["input_files", "read_settings", "read_study"]

_OPTIONAL = ("activities", "targets")
_SETTINGS = ("as_of", "offices", "allow_unknown_exposure", "date_rule", "vocabulary")
_SETTINGS_FILES = ("study.toml", "study.json")
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def _no_duplicate_keys(where: str):
    def hook(pairs):
        seen: dict = {}
        for key, value in pairs:
            if key in seen:
                raise ReadError(f"{where}: key {key!r} is given twice; keep one")
            seen[key] = value
        return seen
    return hook


def _read_text(path: Path) -> str:
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a file")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path.name}: is not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                        f"position {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _check_settings(where: str, data: Mapping) -> dict:
    """The settings as keyword arguments of a Study; each of the right kind, or a ReadError."""
    unknown = sorted(set(data) - set(_SETTINGS))
    if unknown:
        raise ReadError(f"{where}: unknown setting {', '.join(map(repr, unknown))}; "
                        f"known settings are {', '.join(_SETTINGS)}")
    out = dict(data)
    if "as_of" in out:
        if isinstance(out["as_of"], (bool, int, float, list, dict)):
            raise ReadError(f"{where}: as_of must be a date such as \"2025-12-31\", not "
                            f"{out['as_of']!r}")
        out["as_of"] = str(out["as_of"])
    offices = out.get("offices")
    if offices is not None and not (
            isinstance(offices, str) or (isinstance(offices, Mapping) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in offices.items()))):
        raise ReadError(f"{where}: offices must be one office name or a table jurisdiction = "
                        f"office, not {offices!r}")
    if "allow_unknown_exposure" in out and not isinstance(out["allow_unknown_exposure"], bool):
        raise ReadError(f"{where}: allow_unknown_exposure must be true or false, not "
                        f"{out['allow_unknown_exposure']!r}")
    vocabulary = out.get("vocabulary")
    if vocabulary is not None and not (isinstance(vocabulary, Mapping) and all(
            k in EXTENDABLE and isinstance(v, list) and all(isinstance(w, str) for w in v)
            for k, v in vocabulary.items())):
        raise ReadError(f"{where}: vocabulary must be a table of lists of words under "
                        f"{', '.join(EXTENDABLE)} (such as sectors = [\"maritime\"]), not "
                        f"{vocabulary!r}")
    if "date_rule" in out and out["date_rule"] not in DATE_RULES:
        raise ReadError(f"{where}: date_rule must be one of {', '.join(DATE_RULES)}, not "
                        f"{out['date_rule']!r}")
    return out


def read_settings(path: str | Path) -> dict:
    """Read a study's settings (``as_of``, ``offices``, ...) from ``study.toml`` or ``study.json``.

    Parameters
    ----------
    path : str or Path
        The settings file, UTF-8 text.

    Returns
    -------
    dict
        The keyword arguments for :class:`continuity.Study` found in the file.

    Raises
    ------
    ReadError
        When the file cannot be read or parsed, is not a table (object) of settings, gives a
        key twice, or holds an unknown setting or a value of the wrong kind.
    """
    path = Path(path)
    text = _read_text(path)
    try:
        if path.suffix == ".json":
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys(path.name))
        else:
            data = _toml_loads(text)
    except ReadError:
        raise
    except Exception as exc:  # the parsers raise their own error classes
        raise ReadError(f"{path.name}: cannot be parsed ({exc})") from exc
    if not isinstance(data, dict):
        raise ReadError(f"{path.name}: holds a JSON {type(data).__name__}, not an object of "
                        "settings such as {\"as_of\": \"2025-12-31\"}")
    return _check_settings(path.name, data)


def _header(where: str, cells) -> list[str]:
    """The column names of a header row, refused if one is empty, padded or given twice."""
    names = []
    for k, cell in enumerate(cells):
        if cell is None or (isinstance(cell, float) and pd.isna(cell)) or str(cell) == "":
            raise ReadError(f"{where}: column {k + 1} of the header has no name (a trailing "
                            "comma?); name it or remove it")
        name = str(cell)
        if name != name.strip():
            raise ReadError(f"{where}: header {name!r} has leading or trailing spaces; write "
                            f"{name.strip()!r}")
        if name in names:
            raise ReadError(f"{where}: header names {name!r} twice (columns "
                            f"{names.index(name) + 1} and {k + 1}); keep one")
        names.append(name)
    return names


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(path: Path) -> pd.DataFrame:
    """One CSV file, every value as text (ids keep their leading zeros; only empty cells are
    missing); the header checked by :func:`_header`."""
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a CSV file")
    try:
        raw = pd.read_csv(path, header=None, dtype=object, keep_default_na=False,
                          na_values=[""], encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path.name}: is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                        "save it as UTF-8") from exc
    except pd.errors.EmptyDataError as exc:
        raise ReadError(f"{path.name}: is empty; it needs at least a header row") from exc
    except pd.errors.ParserError as exc:
        m = _FIELDS.search(str(exc))
        if m:
            want, line, saw = m.groups()
            raise ReadError(f"{path.name}: line {line} has {saw} fields where the header has "
                            f"{want}; remove the extra fields (a trailing comma?) or quote a "
                            "value that holds a comma") from exc
        raise ReadError(f"{path.name}: cannot be read as CSV ({exc})") from exc
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    names = _header(path.name, raw.iloc[0].tolist())
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = names
    return body


def _near_miss(name: str, wanted) -> str | None:
    """The wanted name that ``name`` was probably meant to be, if any."""
    if name in wanted:
        return None
    lowered = {w.lower(): w for w in wanted}
    if name.strip().lower() in lowered:
        return lowered[name.strip().lower()]
    close = difflib.get_close_matches(name.strip().lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[close[0]] if close else None


def _refuse_near_misses(where: str, found, wanted, what: str) -> None:
    for name in found:
        meant = _near_miss(name, wanted)
        if meant is not None:
            raise ReadError(f"{where}: {what} {name!r} is not a table of a study; did you mean "
                            f"{meant!r}? (a study has {', '.join(map(repr, wanted))})")


def _read_folder(folder: Path) -> tuple[dict, dict]:
    found = sorted(p.name for p in folder.iterdir())
    files = [f"{t}.csv" for t in TABLES] + list(_SETTINGS_FILES)
    _refuse_near_misses(str(folder), [f for f in found if Path(f).suffix.lower()
                                      in (".csv", ".toml", ".json")], files, "file")
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


def _cell(col: int, row: int) -> str:
    """The Excel name of a cell: zero-based column and row to ``B3``."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _sheet_table(where: str, raw: pd.DataFrame) -> pd.DataFrame:
    if raw.empty:
        raise ReadError(f"{where}: is empty; it needs at least a header row")
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = _header(where, raw.iloc[0].tolist())
    return body.where(body.notna(), None)


def _pairs(path: Path, sheets: dict, name: str,
           columns: tuple[str, str]) -> tuple[dict, dict]:
    """A two-column sheet (``offices``, ``settings``) as a mapping; a key given twice, an empty
    cell or other headers are a ReadError naming the cell."""
    where = f"{path.name}, sheet {name!r}"
    table = _sheet_table(where, sheets[name])
    if list(table.columns[:2]) != list(columns):
        raise ReadError(f"{where}: needs columns {', '.join(columns)} "
                        f"(found: {', '.join(map(str, table.columns))})")
    out: dict = {}
    first_row: dict = {}
    for i, (key, value) in enumerate(zip(table[columns[0]], table[columns[1]], strict=True)):
        if key is None or value is None:
            col = 0 if key is None else 1
            raise ReadError(f"{where}: cell {_cell(col, i + 1)} is empty; fill it in or remove "
                            "the row")
        key = str(key)
        if key in out:
            raise ReadError(f"{where}: {key!r} is given twice (cells "
                            f"{_cell(0, first_row[key] + 1)} and {_cell(0, i + 1)}); keep one")
        out[key], first_row[key] = value, i
    return out, first_row


def _workbook_settings(path: Path, sheets: dict) -> dict:
    settings: dict = {}
    if "offices" in sheets:
        offices, _ = _pairs(path, sheets, "offices", ("jurisdiction", "office"))
        settings["offices"] = {j: str(o) for j, o in offices.items()}
    if "settings" in sheets:
        values, rows = _pairs(path, sheets, "settings", ("setting", "value"))
        where = f"{path.name}, sheet 'settings'"
        flag = values.get("allow_unknown_exposure")
        if flag is not None and not isinstance(flag, bool):
            if str(flag).strip().lower() not in _FLAGS:
                cell = _cell(1, rows["allow_unknown_exposure"] + 1)
                raise ReadError(f"{where}: cell {cell} must be true or false, not {flag!r}")
            values["allow_unknown_exposure"] = _FLAGS[str(flag).strip().lower()]
        for key, sheet in (("offices", "'offices' (jurisdiction, office)"),
                           ("vocabulary", "'vocabulary' (vocabulary, word)")):
            if key in values:
                raise ReadError(f"{where}: give {key} in a sheet {sheet}")
        settings.update(_check_settings(where, values))
    if "vocabulary" in sheets:
        where = f"{path.name}, sheet 'vocabulary'"
        table = _sheet_table(where, sheets["vocabulary"])
        if list(table.columns[:2]) != ["vocabulary", "word"]:
            raise ReadError(f"{where}: needs columns vocabulary, word "
                            f"(found: {', '.join(map(str, table.columns))})")
        words: dict[str, list] = {}
        for key, word in zip(table["vocabulary"], table["word"], strict=True):
            words.setdefault(str(key), []).append(word if word is None else str(word))
        settings.update(_check_settings(where, {"vocabulary": words}))
    return settings


def _open_workbook(path: Path) -> dict:
    try:
        import openpyxl  # noqa: F401  (pandas needs it to read .xlsx)
    except ImportError as exc:
        raise DependencyError(
            "reading an Excel workbook needs openpyxl: pip install 'continuity[excel]'"
        ) from exc
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a workbook")
    try:
        return pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # zipfile, openpyxl and OS errors of every kind
        raise ReadError(f"{path.name}: cannot be read as an Excel workbook "
                        f"({type(exc).__name__}: {exc})") from exc


def _read_workbook(path: Path) -> tuple[dict, dict]:
    sheets = _open_workbook(path)
    wanted = [*TABLES, "offices", "settings", "vocabulary"]
    _refuse_near_misses(path.name, list(sheets), wanted, "sheet")
    tables = {}
    for name in TABLES:
        if name in sheets:
            tables[name] = _sheet_table(f"{path.name}, sheet {name!r}", sheets[name])
        elif name not in _OPTIONAL:
            raise ReadError(
                f"{path.name}: no sheet {name!r} (sheets found: {', '.join(sheets)}); a study "
                "workbook has one sheet per table: terms, agreements, parties and optionally "
                "activities, targets, plus optional sheets 'offices' (jurisdiction, office) and "
                "'settings' (setting, value)"
            )
    return tables, _workbook_settings(path, sheets)


def read_study(path: str | Path, **settings) -> Study:
    """Read a study from a folder of CSV files or from an Excel workbook.

    Parameters
    ----------
    path : str or Path
        A folder holding ``terms.csv``, ``agreements.csv``, ``parties.csv`` and optionally
        ``activities.csv``, ``targets.csv`` and ``study.toml`` (or ``study.json``) with
        ``as_of``, ``offices`` (a table jurisdiction -> office), ``allow_unknown_exposure``,
        ``date_rule`` and ``vocabulary`` (a table: ``sectors = ["maritime"]`` adds a sector);
        or an ``.xlsx`` workbook with one sheet per table and optional sheets ``offices``
        (columns ``jurisdiction, office``), ``settings`` (``setting, value``) and
        ``vocabulary`` (``vocabulary, word``: one row per added word).
    **settings
        Keyword arguments of :class:`continuity.Study`; they override the file's settings.

    Returns
    -------
    Study

    Raises
    ------
    ReadError
        A file is missing, cannot be parsed, or is not exactly what it should be: a header
        with an empty, padded or repeated name; a row with more fields than the header; a file
        or sheet named almost like a table (``activity.csv``); a settings file that is not
        UTF-8 or not an object; a setting or an office given twice. The message names the
        file and the line or cell.
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
    refuses dates whose day/month order is ambiguous (``03/04/2015``) instead of guessing. A
    UTF-8 byte-order mark (as spreadsheet programs write) is dropped. Files other than the
    tables and the settings are ignored, unless named almost like one of them.

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
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        raise ContinuityTypeError(f"read_study() got unknown settings {', '.join(unknown)}; "
                                  f"known settings are {', '.join(_SETTINGS)}")
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file or folder")
    if path.is_dir():
        tables, found = _read_folder(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        tables, found = _read_workbook(path)
    else:
        raise ReadError(f"{path}: expected a folder of CSV files or an .xlsx workbook")
    return Study(**tables, **{**found, **settings})


def input_files(path: str | Path) -> list[Path]:
    """The files :func:`read_study` reads (or would create meaning) for ``path``, resolved.

    For a folder: its table CSVs and settings files, whether present or not (a file written
    there under one of those names would become input); for a workbook: the workbook.
    """
    path = Path(path).resolve()
    if path.is_dir():
        return [path / f"{t}.csv" for t in TABLES] + [path / f for f in _SETTINGS_FILES]
    return [path]
