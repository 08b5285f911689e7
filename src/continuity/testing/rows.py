"""Tables as literal rows, for tests that state an expected table by hand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["episode_rows"]


def _plain(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return str(v.date())
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    return v


def episode_rows(df: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    """The ``columns`` of ``df`` as a list of tuples of plain Python values.

    Dates become ISO text (``"2015-01-01"``), missing values (NA, NaT, NaN, None) become None,
    numbers become ``int`` and flags ``bool``, so that a test can compare an episode table with
    literal rows: ``assert episode_rows(ep, ["start", "changes"]) == [("2014-01-01", 0), ...]``.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.testing import episode_rows
    >>> ep = pd.DataFrame({"start": pd.to_datetime(["2014-01-01", "2015-03-01"]),
    ...                    "changes": pd.array([0, None], dtype="Int32")})
    >>> episode_rows(ep, ["start", "changes"])
    [('2014-01-01', 0), ('2015-03-01', None)]
    """
    return [tuple(_plain(v) for v in rec)
            for rec in df[list(columns)].astype(object).itertuples(index=False)]
