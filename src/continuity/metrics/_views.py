"""Read-only frames over a Study that several metrics share (private).

The rules themselves live in :mod:`continuity.lifetimes` (entry, formal end, signs of life)
and :mod:`continuity.leadership` (administrations); these functions only select and merge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity import leadership, lifetimes
from continuity.errors import ContinuityTypeError, OptionError

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = [
    "ADMIN_COLUMNS",
    "DAY",
    "STAGES",
    "by_party",
    "check_focal",
    "check_study",
    "counted_activities",
    "observed_agreements",
]

DAY = np.timedelta64(1, "D")

#: Columns that identify an administration in every output.
ADMIN_COLUMNS = ["administration", "administration_start"]

#: The four stages of a relationship, in order (the first four of ``schema.INSTRUMENTS``).
STAGES = ("loi", "mou", "agreement", "renewal")


def check_study(study: object, where: str) -> None:
    """A ContinuityTypeError unless ``study`` is a :class:`continuity.Study`."""
    from continuity.study import Study

    if not isinstance(study, Study):
        raise ContinuityTypeError(
            f"{where}: study must be a continuity.Study, not {type(study).__name__}; build one "
            "with continuity.Study(...), continuity.read_study(...) or "
            "continuity.testing.scenario().build()")


def check_focal(study: Study, focal: object, where: str) -> str | None:
    """``focal`` if it is a party jurisdiction of the study (or None), else an OptionError."""
    if focal is None:
        return None
    known = sorted(study.parties["jurisdiction"].unique())
    if not isinstance(focal, str) or focal not in known:
        raise OptionError(f"{where}: focal {focal!r} is not a party to any instrument (parties: "
                   f"{', '.join(repr(k) for k in known)}); give one of them, or None for "
                   "every party")
    return focal



def observed_agreements(study: Study) -> pd.DataFrame:
    """Instruments signed on or before ``as_of`` (those after it are not yet observed)."""
    a = study.agreements
    if "instrument" not in a.columns:
        a["instrument"] = pd.Series(None, index=a.index, dtype=object)
    for col in ("effective", "expires", "ended"):
        if col not in a.columns:
            a[col] = pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
    a = a[a["signed"] <= study.as_of]
    return a.reset_index(drop=True)



def counted_activities(study: Study, a: pd.DataFrame) -> pd.DataFrame:
    """The activities that count as signs of life of the instruments ``a``: one rule for all.

    An activity counts when it is a sign of life (:func:`continuity.lifetimes.signs_of_life`),
    its instrument is in ``a`` (from :func:`observed_agreements`), and it is dated on or after
    the instrument's entry, on or before ``as_of``, and before its formal end (the rules of
    :mod:`continuity.lifetimes`).

    Returns
    -------
    pandas.DataFrame
        ``i`` (position of the instrument in ``a``, int64), ``agreement_id``, ``date``; in the
        order of the activities table.
    """
    acts = lifetimes.signs_of_life(study)
    as_of = study.as_of
    pos = pd.Series(np.arange(len(a)), index=a["agreement_id"].to_numpy())
    i = acts["agreement_id"].map(pos)
    known = i.notna().to_numpy()
    idx = i[known].to_numpy(dtype=np.int64)
    date = acts["date"].to_numpy(dtype="datetime64[ns]")[known]
    end = lifetimes.formal_end(a, as_of).to_numpy(dtype="datetime64[ns]")[idx]
    begin = lifetimes.entry(a).to_numpy(dtype="datetime64[ns]")[idx]
    ok = (date >= begin) & (date <= np.datetime64(as_of)) & ~(date >= end)
    return pd.DataFrame({"i": idx[ok],
                         "agreement_id": acts["agreement_id"].to_numpy(dtype=object)[known][ok],
                         "date": pd.Series(date[ok], dtype="datetime64[ns]")})



def by_party(study: Study, df: pd.DataFrame, *, date: str | None = None,
             focal: str | None = None) -> pd.DataFrame:
    """``df`` (one row per instrument) with one row per party, and that party's administration.

    Merges ``study.parties`` on ``agreement_id`` (rows keep the order of ``df``; only the
    ``focal`` party's rows when given), adding ``jurisdiction``; with ``date`` (a column of
    ``df``), also ``administration, administration_start``: the party's administration in
    office on that date (:func:`continuity.leadership.administration_at`; NA when vacant or
    unknown). The one place
    the metrics group by party and administration.
    """
    parties = study.parties[["agreement_id", "jurisdiction"]]
    if focal is not None:
        parties = parties[parties["jurisdiction"] == focal]
    out = df.merge(parties, on="agreement_id", how="left" if focal is None else "inner",
                   sort=False)
    if date is not None:
        adm = leadership.administration_at(leadership.administrations(study), out["jurisdiction"],
                                           out[date])
        out["administration"] = adm["administration"].to_numpy(dtype=object)
        out["administration_start"] = pd.Series(
            adm["administration_start"].to_numpy(), index=out.index).astype("datetime64[ns]")
    return out
