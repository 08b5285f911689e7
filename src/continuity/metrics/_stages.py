"""Stage progression of a relationship: LoI -> MoU -> agreement -> renewal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity._options import DEFAULTS, check_conf_level, check_literal, check_thresholds
from continuity.errors import ValidationError
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["stage_entries", "stage_progression", "stage_timing"]

#: How the stage shares group: by the administration of each party when the stage was reached.
StageBy = Literal["administration"]

ENTRY_COLUMNS = ["relationship_id", "stage", "next_stage", "signed", "agreement_id",
                 "next_signed", "next_agreement_id", "days_to_next", "progressed"]


def stage_entries(study: Study) -> pd.DataFrame:
    """When each relationship first reached each stage, and when it next moved on.

    Parameters
    ----------
    study : Study
        Its agreements need the ``instrument`` column; instruments other than ``"loi"``,
        ``"mou"``, ``"agreement"`` and ``"renewal"`` (work plans, addenda, ...) are not stages.

    Returns
    -------
    pandas.DataFrame
        One row per relationship and stage it reached (signed on or before ``as_of``), sorted by
        relationship and stage order. Instruments signed after ``as_of`` are not yet observed
        and have no row. Columns:

        ``relationship_id``
        ``stage``
            ``"loi"``, ``"mou"``, ``"agreement"`` or ``"renewal"`` (a renewal of an
            agreement; see Notes).
        ``next_stage``
            the stages that count as progress: ``"mou+"`` (an MoU, agreement or renewal),
            ``"agreement+"``, ``"renewal"``; NA for ``"renewal"``, the last stage.
        ``signed, agreement_id``
            the first instrument of the stage.
        ``next_signed, next_agreement_id``
            the first instrument of a later stage signed strictly after ``signed`` (NaT, NA
            when none by ``as_of``).
        ``days_to_next``
            ``next_signed - signed`` in days (nullable int).
        ``progressed``
            a later stage followed (bool).

    Raises
    ------
    ValidationError
        The study has no ``instrument`` column, or no instrument of any stage.

    Notes
    -----
    The order is that of ``continuity.schema.INSTRUMENTS``. Stages may be skipped: a
    relationship that goes from LoI straight to an agreement has progressed from its LoI, and
    has no MoU stage. A later-stage instrument signed on the same day does not count as
    progress from the earlier one. A renewal (``instrument`` ``"renewal"`` or
    ``"extension"``) renews the stage the relationship had reached by its signing: after an
    agreement it is the renewal stage; after an MoU it is that MoU renewed, an MoU again,
    **not** progress to the agreement stage (likewise after an LoI). A renewal with no
    earlier stage instrument on record stays the renewal stage.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import stage_entries
    >>> s = (scenario(as_of="2024-12-31")
    ...      .terms("Solo", "mayor", [("A", "2010-01-01")])
    ...      .terms("Zhuhai", "mayor", [("P", "2010-01-01")])
    ...      .agreement("M", ["Solo", "Zhuhai"], signed="2016-01-01", instrument="mou",
    ...                 relationship_id="R", expires="2019-01-01")
    ...      .agreement("M2", ["Solo", "Zhuhai"], signed="2018-12-01", instrument="renewal",
    ...                 relationship_id="R")
    ...      .build())
    >>> stage_entries(s)[["stage", "next_stage", "agreement_id", "progressed"]]
      stage  next_stage agreement_id  progressed
    0   mou  agreement+            M       False

    The MoU's renewal keeps the relationship at the MoU stage: no progress to an agreement.
    """
    where = "stage_entries"
    _views.check_study(study, where)
    if "instrument" not in study.agreements.columns:
        raise ValidationError(f"{where}: the agreements have no 'instrument' column; add one "
                              f"with the kind of each instrument "
                              f"({', '.join(map(repr, _views.STAGES))}, ...)")
    a = _ranked(_views.observed_agreements(study))
    if a.empty:
        raise ValidationError(f"{where}: no instrument signed by as_of is a stage "
                     f"({', '.join(map(repr, _views.STAGES))}, or an extension); check the "
                     "'instrument' column")
    a = a.sort_values(["relationship_id", "_rank", "signed", "agreement_id"], kind="stable")
    first = a.drop_duplicates(["relationship_id", "_rank"]).reset_index(drop=True)
    # the first later-stage signing after each stage's first signing: pair every stage entry
    # with the instruments of higher rank of its relationship and keep the earliest later one
    pairs = first[["relationship_id", "_rank", "signed"]].reset_index().merge(
        a[["relationship_id", "_rank", "signed", "agreement_id"]],
        on="relationship_id", suffixes=("", "_n"))
    pairs = pairs[(pairs["_rank_n"] > pairs["_rank"]) & (pairs["signed_n"] > pairs["signed"])]
    pairs = pairs.sort_values(["index", "signed_n", "_rank_n", "agreement_id"], kind="stable")
    nxt = pairs.drop_duplicates("index").set_index("index")
    next_signed = nxt["signed_n"].reindex(first.index)
    next_id = nxt["agreement_id"].reindex(first.index)
    labels = {0: "mou+", 1: "agreement+", 2: "renewal"}
    out = pd.DataFrame({
        "relationship_id": first["relationship_id"].to_numpy(),
        "stage": np.asarray(_views.STAGES, dtype=object)[first["_rank"].to_numpy()],
        "next_stage": first["_rank"].map(labels).to_numpy(dtype=object),
        "signed": first["signed"].to_numpy(),
        "agreement_id": first["agreement_id"].to_numpy(),
        "next_signed": next_signed.to_numpy(),
        "next_agreement_id": next_id.to_numpy(dtype=object),
        "days_to_next": ((next_signed - first["signed"]) // pd.Timedelta(days=1)
                         ).astype("Int64").array,
        "progressed": next_signed.notna().to_numpy(),
    }, columns=ENTRY_COLUMNS)
    out["next_signed"] = out["next_signed"].astype("datetime64[ns]")
    out["signed"] = out["signed"].astype("datetime64[ns]")
    return out


def _ranked(a: pd.DataFrame) -> pd.DataFrame:
    """The stage instruments of ``a`` with their stage rank ``_rank`` (0 loi .. 3 renewal).

    A renewal (or an extension) renews the stage its relationship had reached: it is the
    renewal stage after an agreement, and an MoU (or an LoI) again after an MoU (or an
    LoI), never progress past it. With no earlier stage instrument on record it stays a
    renewal.
    """
    rank = a["instrument"].map({s: i for i, s in enumerate(_views.STAGES)})
    renews = a["instrument"].isin(_views.RENEWAL_KINDS).to_numpy()
    a = a.assign(_rank=rank.where(~renews, len(_views.STAGES) - 1), _renews=renews)
    a = a[a["_rank"].notna()].reset_index(drop=True)
    a["_rank"] = a["_rank"].astype(np.int64)
    base = a.loc[~a["_renews"], ["relationship_id", "signed", "_rank"]]
    ren = a.loc[a["_renews"], ["relationship_id", "signed"]].reset_index()
    prior = ren.merge(base, on="relationship_id", suffixes=("", "_b"))
    prior = prior[prior["signed_b"] <= prior["signed"]].groupby("index")["_rank"].max()
    reached = prior.reindex(ren["index"]).to_numpy(dtype=float)
    known = ~np.isnan(reached)
    renewal_rank = len(_views.STAGES) - 1
    a.loc[ren["index"].to_numpy()[known], "_rank"] = np.where(
        reached[known] >= renewal_rank - 1, renewal_rank, reached[known]).astype(np.int64)
    return a.drop(columns="_renews")


def _grouped(study: Study, by, focal, where) -> tuple[pd.DataFrame, list[str]]:
    if by is not None:
        check_literal(by, StageBy, "by", where, hint=", or None for no grouping")
    focal = _views.check_focal(study, focal, where)
    e = stage_entries(study)
    e = e[e["stage"] != "renewal"].reset_index(drop=True)
    keys = ["stage", "next_stage"]
    if by == "administration":
        e = _views.by_party(study, e, date="signed", focal=focal)
        keys = ["jurisdiction", *_views.ADMIN_COLUMNS, *keys]
    order = {s: i for i, s in enumerate(_views.STAGES)}
    e["_order"] = e["stage"].map(order)
    return e, keys


def stage_progression(
    study: Study,
    *,
    by: str | None = None,
    focal: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Conversion shares: relationships that moved past each stage among those that reached it.

    Parameters
    ----------
    study : Study
    by : {None, "administration"}, default None
        Group by the administration of each party (or of ``focal``) in office when the
        relationship reached the stage.
    focal : str, optional
        With ``by="administration"``: only this party's administrations.
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per stage (``loi``, ``mou``, ``agreement``) reached by some relationship, and
        group. Instruments signed after ``as_of`` are not yet observed and are not counted (they
        have no row in :func:`stage_entries`). Columns: with ``by``, ``jurisdiction, administration,
        administration_start``; then ``stage``, ``next_stage`` (``"mou+"``,
        ``"agreement+"``, ``"renewal"``), ``n`` (relationships that reached the stage),
        ``n_events`` (of them, progressed to a later stage by ``as_of``), ``estimate,
        conf_low, conf_high`` (the share and its Wilson interval).

    Raises
    ------
    OptionError
        Bad options.
    ValidationError
        No ``instrument`` column (see :func:`stage_entries`).

    Notes
    -----
    :math:`\\hat p_k = \\#\\{\\text{reached } k \\text{ and later a stage} > k\\} /
    \\#\\{\\text{reached } k\\}`, with Wilson's interval
    (:func:`continuity.rates.wilson_interval`). Relationships that reached a stage shortly
    before ``as_of`` have had little time to move on, so the share understates eventual
    progression; :func:`stage_timing` accounts for that time.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.metrics import stage_progression
    >>> s = (scenario(as_of="2024-12-31")
    ...      .terms("Solo", "mayor", [("A", "2010-01-01")])
    ...      .terms("Zhuhai", "mayor", [("P", "2010-01-01")]))
    >>> s = (s.agreement("L1", ["Solo", "Zhuhai"], signed="2015-01-01", instrument="loi",
    ...                  relationship_id="R1")
    ...       .agreement("M1", ["Solo", "Zhuhai"], signed="2016-01-01", instrument="mou",
    ...                  relationship_id="R1")
    ...       .agreement("L2", ["Solo", "Zhuhai"], signed="2015-06-01", instrument="loi",
    ...                  relationship_id="R2"))
    >>> stage_progression(s.build())[["stage", "next_stage", "n", "n_events", "estimate"]]
      stage  next_stage  n  n_events  estimate
    0   loi        mou+  2         1       0.5
    1   mou  agreement+  1         0       0.0
    """
    where = "stage_progression"
    _views.check_study(study, where)
    conf_level = check_conf_level(conf_level, where)
    e, keys = _grouped(study, by, focal, where)
    out = e.groupby(keys, dropna=False, sort=False).agg(
        n=("progressed", "size"), n_events=("progressed", "sum"),
        _order=("_order", "first")).reset_index()
    sort = [k for k in keys if k not in ("stage", "next_stage")] + ["_order"]
    out = out.sort_values(sort, kind="stable").drop(columns="_order").reset_index(drop=True)
    out["n"] = out["n"].astype("int64")
    out["n_events"] = out["n_events"].astype("int64")
    return pd.concat([out, _summaries.wilson_table(out["n_events"], out["n"], conf_level)], axis=1)


def stage_timing(
    study: Study,
    *,
    horizon=DEFAULTS.horizons,
    by: str | None = None,
    focal: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Kaplan-Meier share of relationships that moved past each stage within ``horizon`` days.

    Parameters
    ----------
    study : Study
    horizon : int or sequence of int, default (365, 730, 1825)
        Days after reaching the stage.
    by, focal
        As for :func:`stage_progression`.
    conf_level : float, default 0.95
        Level of the (log-log) confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per stage, group and horizon. Instruments signed after ``as_of`` are not yet
        observed and are not counted (they have no row in :func:`stage_entries`). Columns: the
        grouping columns of :func:`stage_progression`, then ``horizon`` (days), ``estimate,
        conf_low, conf_high`` (the Kaplan-Meier estimate of the share that reached a later stage
        within ``horizon`` days, :math:`1 - \\hat S(h)`, and its interval; NaN limits before the
        first progression; all NaN when ``horizon`` is past the group's last follow-up time and
        some relationship was still waiting then: the curve is not extended), ``n``
        (relationships that reached the stage strictly before ``as_of``: the ``n`` of
        :func:`stage_progression` less those that reached it on ``as_of`` itself, which have no
        time observed; a group with only such relationships has no row), ``n_at_risk`` (still
        waiting after ``horizon`` days), ``n_events`` (progressed within ``horizon`` days).

    Raises
    ------
    OptionError
        Bad options.
    ValidationError
        No ``instrument`` column.

    Notes
    -----
    Time runs from the first signing of the stage to the first signing of a later stage
    (the event), or to ``as_of`` (censored), whatever happened to the instruments meanwhile: a
    lapsed relationship may still be revived by a new document. :math:`\\hat S` is
    :func:`continuity.survival.kaplan_meier` on these times, and a relationship reaching a
    stage on ``as_of`` itself (no time observed) is left out of the timing.
    """
    where = "stage_timing"
    _views.check_study(study, where)
    horizons = check_thresholds(horizon, "horizon", where)
    conf_level = check_conf_level(conf_level, where)
    e, keys = _grouped(study, by, focal, where)
    end = e["next_signed"].where(e["progressed"], study.as_of)
    e["t_stop"] = ((end - e["signed"]) // pd.Timedelta(days=1)).astype(np.int64)
    e["event"] = e["progressed"].astype(np.int8)
    e = e[e["t_stop"] > 0]
    e = e.assign(_group=e.groupby(keys, dropna=False, sort=False).ngroup().to_numpy())
    res = _summaries.km_at(e[["_group", "t_stop", "event"]], horizons, "_group", conf_level)
    first = e.drop_duplicates("_group").set_index("_group")[[*keys, "_order"]]
    res = res.join(first, on="_group")
    res["estimate"] = 1.0 - res["estimate"]
    res["conf_low"], res["conf_high"] = 1.0 - res["conf_high"], 1.0 - res["conf_low"]
    sort = [k for k in keys if k not in ("stage", "next_stage")] + ["_order", "horizon"]
    res = res.sort_values(sort, kind="stable").reset_index(drop=True)
    cols = [*keys, "horizon", "estimate", "conf_low", "conf_high", "n", "n_at_risk",
            "n_events"]
    return res[cols]
