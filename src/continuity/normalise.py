"""Defaults of the data model, filled in after the checks have read the tables.

These derive values the data model promises but a registry may leave out; they never change a
value that was given:

- ``terms.term_id``: ``"jurisdiction/office/k"``, the k-th term of that office in order of
  succession (so the ids do not depend on the order of the rows);
- ``terms.kind`` and ``terms.party``: empty columns when absent;
- ``agreements.relationship_id``: the instrument's own id where it is absent or empty (an
  instrument with no declared relationship is a relationship of its own).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from continuity.succession import Succession

__all__ = ["default_term_ids", "fill_agreements", "fill_terms"]


def default_term_ids(terms: pd.DataFrame, succession: Succession) -> pd.Series:
    """``"jurisdiction/office/k"`` for each term: the k-th of its office in order of succession.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from continuity.succession import Succession
    >>> terms = pd.DataFrame({"jurisdiction": ["Solo", "Solo"], "office": ["mayor", "mayor"]})
    >>> chain = Succession(order=np.array([1, 0]), same=np.array([False, True]),
    ...                    start=None, end=None)  # the second row took office first
    >>> default_term_ids(terms, chain).tolist()
    ['Solo/mayor/2', 'Solo/mayor/1']
    """
    n = len(terms)
    k = np.empty(n, dtype=np.int64)
    group = np.cumsum(~succession.same) - 1
    first = np.flatnonzero(~succession.same)
    k[succession.order] = np.arange(n) - first[group] + 1
    return (terms["jurisdiction"].astype(str) + "/" + terms["office"].astype(str) + "/"
            + pd.Series(k, index=terms.index).astype(str))


def fill_terms(terms: pd.DataFrame, succession: Succession) -> pd.DataFrame:
    """The terms with ``term_id``, ``kind`` and ``party`` present (a new frame)."""
    out = terms.copy(deep=False)
    if "term_id" not in out.columns:
        out["term_id"] = default_term_ids(out, succession)
    for col in ("kind", "party"):
        if col not in out.columns:
            out[col] = pd.Series(None, index=out.index, dtype=object)
    return out


def fill_agreements(agreements: pd.DataFrame) -> pd.DataFrame:
    """The agreements with ``relationship_id`` filled by the instrument's own id where empty."""
    out = agreements.copy(deep=False)
    own = out["agreement_id"]
    out["relationship_id"] = (own if "relationship_id" not in out.columns
                              else out["relationship_id"].where(out["relationship_id"].notna(),
                                                                own))
    return out
