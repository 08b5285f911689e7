"""Read-only frames over a Study that several metrics share (private).

The rules themselves live in :mod:`continuity.lifetimes` (entry, formal end, signs of life)
and :mod:`continuity.leadership` (administrations); these functions only select and merge.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    "RENEWAL_KINDS",
    "STAGES",
    "active_on",
    "by_party",
    "check_focal",
    "check_study",
    "counted_activities",
    "observed_agreements",
    "observed_columns",
    "relationship_signs",
    "relationship_spells",
]

DAY = np.timedelta64(1, "D")

#: Columns that identify an administration in every output.
ADMIN_COLUMNS = ["administration", "administration_start"]

#: The four stages of a relationship, in order (the first four of ``schema.INSTRUMENTS``).
STAGES = ("loi", "mou", "agreement", "renewal")

#: Instruments that renew another (a renewal, or an extension of its validity).
RENEWAL_KINDS = ("renewal", "extension")

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
        raise OptionError(f"{where}: focal {focal!r} is not a party to any instrument "
                          f"(parties: {', '.join(repr(k) for k in known)}); give one of them, "
                          "or None for every party")
    return focal


def observed_agreements(study: Study) -> pd.DataFrame:
    """Instruments signed on or before ``as_of`` (those after it are not yet observed)."""
    a = observed_columns(study.agreements)
    a = a[a["signed"] <= study.as_of]
    return a.reset_index(drop=True)


def observed_columns(a: pd.DataFrame) -> pd.DataFrame:
    """The agreements with the optional columns the metrics read (NA/NaT when absent)."""
    a = a.copy()
    for col in ("instrument", "end_reason"):
        if col not in a.columns:
            a[col] = pd.Series(None, index=a.index, dtype=object)
    for col in ("effective", "expires", "ended"):
        if col not in a.columns:
            a[col] = pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
    return a


def counted_activities(study: Study, a: pd.DataFrame) -> pd.DataFrame:
    """The activities that count as signs of life of the instruments ``a``: one rule for all.

    An activity counts when it is a sign of life (:func:`continuity.lifetimes.signs_of_life`),
    its instrument is in ``a`` (from :func:`observed_agreements`), and it is dated on or after
    the instrument's entry, on or before ``as_of``, and before its formal end (the rules of
    :mod:`continuity.lifetimes`).

    Returns
    -------
    pandas.DataFrame
        ``i`` (position of the instrument in ``a``, int64), ``agreement_id``, ``date``,
        ``kind`` (None when the table has no kinds); in the order of the activities table.
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
    kind = acts["kind"].to_numpy(dtype=object) if "kind" in acts.columns else np.full(
        len(acts), None, dtype=object)
    return pd.DataFrame({"i": idx[ok],
                         "agreement_id": acts["agreement_id"].to_numpy(dtype=object)[known][ok],
                         "date": pd.Series(date[ok], dtype="datetime64[ns]"),
                         "kind": kind[known][ok]})


def by_party(study: Study, df: pd.DataFrame, *, date: str | None = None,
             focal: str | None = None, parties: pd.DataFrame | None = None,
             on: Sequence[str] = ("agreement_id",)) -> pd.DataFrame:
    """``df`` (one row per unit) with one row per party, and that party's administration.

    Merges the parties (``study.parties``, or ``parties`` keyed by the columns ``on``, e.g.
    the parties of relationship spells) on ``on`` (rows keep the order of ``df``; only the
    ``focal`` party's rows when given), adding ``jurisdiction``; with ``date`` (a column of
    ``df``), also ``administration, administration_start``: the party's administration in
    office on that date (:func:`administration_at`; NA when vacant or unknown). The one place
    the metrics group by party and administration.
    """
    on = list(on)
    if parties is None:
        parties = study.parties
    parties = parties[[*on, "jurisdiction"]]
    if focal is not None:
        parties = parties[parties["jurisdiction"] == focal]
    out = df.merge(parties, on=on, how="left" if focal is None else "inner", sort=False)
    if date is not None:
        adm = leadership.administration_at(leadership.administrations(study),
                                           out["jurisdiction"], out[date])
        out["administration"] = adm["administration"].to_numpy(dtype=object)
        out["administration_start"] = pd.Series(
            adm["administration_start"].to_numpy(), index=out.index).astype("datetime64[ns]")
    return out


def relationship_spells(study: Study, max_gap: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The relationship spells of the episode split, and the instruments of each.

    The spells are the units of ``audit_episodes(level="relationship", event="formal",
    max_gap=max_gap)``: the one rule of what a relationship spell is, when it enters and how
    it ends formally. Each instrument belongs to the spell of its relationship that entered
    last on or before its own entry (the split chains instruments in order of entry, so the
    spells of one relationship partition its instruments in that order).

    Returns
    -------
    spells : pandas.DataFrame
        The audit rows with ``status == "included"``: ``relationship_id`` (str),
        ``spell, entry, stop, event, end_type, n_instruments``.
    members : pandas.DataFrame
        ``agreement_id, relationship_id, spell`` for every instrument of an included spell.
    """
    from continuity.episodes import audit_episodes

    units = audit_episodes(study, level="relationship", event="formal", max_gap=max_gap,
                           leaders="none")
    units = units.assign(relationship_id=units["relationship_id"].astype(str))
    a = study.agreements
    inst = pd.DataFrame({"agreement_id": a["agreement_id"].astype(str).to_numpy(),
                         "relationship_id": a["relationship_id"].astype(str).to_numpy(),
                         "_entry": lifetimes.entry(a).to_numpy(dtype="datetime64[ns]")})
    right = units[["relationship_id", "spell", "entry", "status"]].rename(
        columns={"entry": "_entry"}).sort_values("_entry", kind="stable")
    members = pd.merge_asof(inst.sort_values("_entry", kind="stable"), right, on="_entry",
                            by="relationship_id", direction="backward")
    members = members[members["status"] == "included"]
    members = members[["agreement_id", "relationship_id", "spell"]].reset_index(drop=True)
    spells = units[units["status"] == "included"].reset_index(drop=True)
    spells = spells[["relationship_id", "spell", "entry", "stop", "event", "end_type",
                     "n_instruments"]]
    return spells, members


def relationship_signs(study: Study, max_gap: int
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Relationship spells in force by as_of, their signs of life, and their parties.

    The one reading of a relationship's life for the metrics: its spells
    (:func:`relationship_spells`: ``relationship_id, spell, n_instruments, signed`` (first
    signing), ``entry``, ``formal_end`` (NaT when formally alive at ``as_of``)).

    Signs of life: activities of the spell's instruments dated in ``[entry, as_of]`` and
    before the spell's formal end (``activity`` True), and the entry into force of each of
    its instruments (``activity`` False); ``i`` is the row of the spell. The parties of a
    spell are those of its own instruments (``relationship_id, spell, jurisdiction``).
    """
    as_of = study.as_of
    spells, members = relationship_spells(study, max_gap)
    key = ["relationship_id", "spell"]
    a = observed_columns(study.agreements)
    inst = members.merge(pd.DataFrame({
        "agreement_id": a["agreement_id"].to_numpy(dtype=object),
        "signed": a["signed"].to_numpy(dtype="datetime64[ns]"),
        "_entry": lifetimes.entry(a).to_numpy(dtype="datetime64[ns]")}), on="agreement_id")
    first = inst.groupby(key, sort=False)["signed"].min()
    formal_end = spells["stop"].where(spells["event"].to_numpy() == 1)
    units = pd.DataFrame({
        "relationship_id": spells["relationship_id"].to_numpy(dtype=object),
        "spell": spells["spell"].to_numpy(dtype=np.int64),
        "n_instruments": spells["n_instruments"].to_numpy(dtype=np.int64),
        "signed": pd.MultiIndex.from_frame(spells[key]).map(first).to_numpy(
            dtype="datetime64[ns]"),
        "entry": spells["entry"].to_numpy(dtype="datetime64[ns]"),
        "formal_end": formal_end.to_numpy(dtype="datetime64[ns]"),
    })
    pos = pd.Series(np.arange(len(units)), index=pd.MultiIndex.from_frame(units[key]))
    inst["i"] = pd.MultiIndex.from_frame(inst[key]).map(pos).to_numpy(dtype=np.int64)
    acts = lifetimes.signs_of_life(study)
    acts = pd.DataFrame({"agreement_id": acts["agreement_id"].to_numpy(dtype=object),
                         "date": acts["date"].to_numpy(dtype="datetime64[ns]")})
    acts = acts.merge(inst[["agreement_id", "i"]], on="agreement_id")
    i = acts["i"].to_numpy(dtype=np.int64)
    date = acts["date"].to_numpy(dtype="datetime64[ns]")
    end = units["formal_end"].to_numpy(dtype="datetime64[ns]")[i]
    ok = ((date >= units["entry"].to_numpy(dtype="datetime64[ns]")[i])
          & (date <= np.datetime64(as_of)) & ~(date >= end))
    signs = pd.concat([
        pd.DataFrame({"i": i[ok], "date": date[ok], "activity": True}),
        pd.DataFrame({"i": inst["i"].to_numpy(dtype=np.int64),
                      "date": inst["_entry"].to_numpy(dtype="datetime64[ns]"),
                      "activity": False}),
    ], ignore_index=True)
    parties = inst[[*key, "agreement_id"]].merge(
        study.parties[["agreement_id", "jurisdiction"]], on="agreement_id")
    parties = parties[[*key, "jurisdiction"]].drop_duplicates().reset_index(drop=True)
    return units, signs, parties


def active_on(units: pd.DataFrame, signs: pd.DataFrame, i: np.ndarray, dates: np.ndarray,
              threshold: int) -> np.ndarray:
    """Whether unit ``i`` was formally alive and not dormant on each date (the handover).

    ``units`` and ``signs`` as from :func:`relationship_signs`. Alive: entered on or before
    the date and no formal end on or before it. Not dormant: a sign of life on or before the
    date, fewer than ``threshold`` days before it (entry is a sign of life), as
    :func:`continuity.metrics.dormancy` judges dormancy at ``as_of``.
    """
    i = np.asarray(i, dtype=np.int64)
    dates = np.asarray(dates, dtype="datetime64[ns]")
    entry_ = units["entry"].to_numpy(dtype="datetime64[ns]")[i]
    end = units["formal_end"].to_numpy(dtype="datetime64[ns]")[i]
    alive = (entry_ <= dates) & ~(end <= dates)
    si = signs["i"].to_numpy(dtype=np.int64)
    sd = signs["date"].to_numpy(dtype="datetime64[ns]")
    o = np.lexsort((sd, si))
    span = np.int64(1) << np.int64(40)  # days: far beyond any date difference
    key = si[o] * span + sd[o].astype("datetime64[D]").astype(np.int64)
    q = i * span + dates.astype("datetime64[D]").astype(np.int64)
    pos = np.searchsorted(key, q, side="right") - 1
    found = (pos >= 0) & (si[o][np.maximum(pos, 0)] == i) if len(key) else np.zeros(len(i),
                                                                                   dtype=bool)
    last = np.where(found, sd[o][np.maximum(pos, 0)] if len(key) else entry_, entry_)
    last = np.maximum(last, entry_)
    quiet = (dates - last) // np.timedelta64(1, "D")
    return alive & (quiet < threshold)
