"""Writing tables as CSV files that a spreadsheet opens safely.

Every CSV file the library writes goes through :func:`write_csv`. A text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel, LibreOffice
and Google Sheets (CSV or formula injection, OWASP); :func:`neutralise_formulas` prefixes such
cells with a single quote, which spreadsheets show as text, in every column (ids included) and
in the header. Numbers, dates and missing values are written as they are.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from continuity._options import TableFormat, choices
from continuity.errors import DependencyError, OptionError, WriteError

__all__ = ["FORMATS", "FORMULA_STARTS", "neutralise_formulas", "write_csv", "write_table"]

#: The file formats tables are written in: CSV (formulas neutralised) or Parquet (the
#: ``parquet`` extra).
FORMATS = choices(TableFormat)

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutral(value):
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell or column name starts like a formula.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        The same values, except that text (in any column, and the column names) starting with
        one of :data:`FORMULA_STARTS` (after spaces) gets a leading ``'``. ``df`` is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"agreement_id": ["=HYPERLINK(\\"x\\")", "A-1"], "n": [-1, 2]})
    >>> neutralise_formulas(df)
           agreement_id  n
    0  '=HYPERLINK("x") -1
    1               A-1  2
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or \
                isinstance(s.dtype, pd.CategoricalDtype):
            values = s.astype(object).to_numpy()
            out[col] = pd.Series(np.array([_neutral(v) for v in values], dtype=object),
                                 index=s.index, dtype=object)
    out.columns = [_neutral(c) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` to ``path`` as UTF-8 CSV without the index, formulas neutralised.

    Parameters
    ----------
    df : pandas.DataFrame
    path : str or Path
        The file to write; missing parent folders are created.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    WriteError
        ``path`` is a folder, or cannot be written (the message names it and says why).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> p = write_csv(pd.DataFrame({"title": ["+62 cooperation"]}), folder / "t.csv")
    >>> p.read_text()
    "title\\n'+62 cooperation\\n"
    """
    path = Path(path)
    if path.is_dir():
        raise WriteError(f"{path}: is a folder; give a file name such as {path / 'table.csv'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        neutralise_formulas(df).to_csv(path, index=False, encoding="utf-8")
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
    return path


def _has_pyarrow() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def write_table(df: pd.DataFrame, path: str | Path, format: str = "csv") -> Path:
    """Write ``df`` as CSV (through :func:`write_csv`) or as Parquet.

    Parameters
    ----------
    df : pandas.DataFrame
    path : str or Path
        The file to write; the suffix is not changed.
    format : {"csv", "parquet"}
        Parquet keeps the column types (dates, nullable integers) and needs pyarrow
        (``python -m pip install 'continuity[parquet]'``); a Parquet file is data, never run as
        a formula, so its cells are written as they are.

    Returns
    -------
    Path

    Raises
    ------
    OptionError
        An unknown ``format``.
    DependencyError
        Parquet without pyarrow.
    WriteError
        ``path`` is a folder or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> p = write_table(pd.DataFrame({"n": [1]}), pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_text()
    'n\\n1\\n'
    """
    if format not in FORMATS:
        raise OptionError(f"write_table: format must be one of {', '.join(map(repr, FORMATS))}, "
                          f"not {format!r}")
    if format == "csv":
        return write_csv(df, path)
    if not _has_pyarrow():  # pandas writes Parquet through pyarrow
        raise DependencyError("writing Parquet needs pyarrow: python -m pip install "
                              "'continuity[parquet]'")
    path = Path(path)
    if path.is_dir():
        raise WriteError(f"{path}: is a folder; give a file name such as {path / 'table.parquet'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_parquet(path, index=False)
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
    return path
