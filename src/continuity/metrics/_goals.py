"""Goals, sectors and reciprocity: what the activity of a relationship covers, and who carries it.

Indonesia's rules for regional cooperation abroad name four goals (``objective``: community
welfare, public services, human-resource capacity, international relations) and ask cities to
map the sectors of the cooperation. These metrics say which goals and sectors saw activity, how
broad the activity is, and how it is shared between the two sides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity._options import DEFAULTS, Level, check_conf_level, check_literal
from continuity.errors import OptionError, ValidationError
from continuity.metrics import _exposure as x
from continuity.metrics import _summaries, _views
from continuity.metrics._activity import check_level_keys
from continuity.metrics._targets import group_keys, keys_of
from continuity.rates import binom_two_sided, clopper_pearson
from continuity.schema import OBJECTIVES

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["goal_breadth", "goal_coverage", "reciprocity"]

#: Groups of the goal and reciprocity metrics.
GoalKey = Literal["agreement_id", "relationship_id", "jurisdiction", "administration"]
#: The activity column whose coverage is measured.
Dimension = Literal["objective", "sector"]
#: The sides an activity can name.
SIDES = ("focal", "partner")


def _activities(study: Study, where: str, *, by, level, focal, min_confidence):
    """Checked keys, and the counted activities credited to their unit, party, administration.

    Returns ``(keys, groups, acts)``: ``groups`` are the distinct groups with exposure, so that
    a group without activity has a row.
    """
    _views.check_study(study, where)
    keys = keys_of(by, GoalKey, where)
    level = check_literal(level, Level, "level", where)
    check_level_keys(keys, level, study, where)
    focal = _views.check_focal(study, focal, where)
    rules = x.check_rules(where, before_entry="exclude", after_end="exclude",
                          dormant_time="include", threshold=DEFAULTS.dormancy,
                          min_confidence=min_confidence)
    lives = x.build_lives(study, rules, level, where)
    rows, acts = x.keyed_rows(study, lives, keys, focal)
    gk = group_keys(keys)
    groups = rows[rows["exposure"] > 0][gk].drop_duplicates() if gk else pd.DataFrame(index=[0])
    return gk, groups.reset_index(drop=True), acts


def _levels(study: Study, acts: pd.DataFrame, dimension: str) -> list:
    seen = [v for v in pd.unique(acts[dimension].astype(object)) if pd.notna(v)]
    base = list(OBJECTIVES) if dimension == "objective" else []
    if dimension == "sector" and study.activities is not None:
        base = sorted({v for v in study.activities["sector"].dropna().astype(str)})
    extra = sorted(str(v) for v in seen if v not in base)
    return base + extra + ([None] if acts[dimension].isna().any() else [])


def goal_coverage(
    study: Study,
    *,
    dimension: str = "objective",
    by=("relationship_id",),
    level: str = "relationship",
    focal: str | None = None,
    min_confidence: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Which goals (or sectors) saw activity, per relationship and administration.

    Parameters
    ----------
    study : Study
    dimension : {"objective", "sector"}, default "objective"
        The activities' goal (the four of :data:`continuity.schema.OBJECTIVES`, always listed)
        or sector (every sector named in the study's activities).
    by : str, sequence of str or None, default ("relationship_id",)
        Groups: ``"agreement_id"`` (with ``level="instrument"``), ``"relationship_id"``,
        ``"jurisdiction"``, ``"administration"`` (in office on the activity's date), or None.
    level : {"relationship", "instrument"}, default "relationship"
    focal : str, optional
        Only this jurisdiction's relationships; ``administration`` is then its own.
    min_confidence : {"low", "medium", "high"}, optional
        As in :func:`activity_rates`.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group (every group with exposure, active or not) and level of the
        dimension, sorted: the keys, the dimension's column (NA for activities that name no
        goal or sector, when there are any), then ``n_activities`` (the group's activities),
        ``n_events`` (those of this level), ``covered`` (``n_events > 0``), ``estimate``,
        ``conf_low``, ``conf_high`` (the share ``n_events / n_activities`` and its Wilson
        interval; NaN without activity).

    Raises
    ------
    continuity.errors.OptionError
        An unknown option; a ``dimension`` the activities table does not hold.

    Notes
    -----
    Activities are counted as in :func:`activity_rates` with its defaults (within the unit's
    life, statements left out, each reported event once per group through
    ``same_event_as``), and credited to the administration in office on their date.

    Examples
    --------
    >>> import continuity as ct
    >>> g = ct.metrics.goal_coverage(ct.datasets.load_solo(), dimension="sector")
    >>> g[g["relationship_id"] == "REL-SOLO-XIAN"][["sector", "n_events", "covered"]]
            sector  n_events  covered
    12     culture         0    False
    13     economy         0    False
    14  governance         3     True
    15      health         0    False
    16       other         0    False
    17     tourism         2     True
    """
    where = "goal_coverage"
    dimension = check_literal(dimension, Dimension, "dimension", where)
    _need_column(study, dimension, where)
    conf_level = check_conf_level(conf_level, where)
    gk, groups, acts = _activities(study, where, by=by, level=level, focal=focal,
                                   min_confidence=min_confidence)
    levels = pd.DataFrame({dimension: pd.Series(_levels(study, acts, dimension), dtype=object)})
    acts = acts.assign(**{dimension: acts[dimension].astype(object)})
    table = groups.merge(levels, how="cross")
    total = x.count_events(acts, gk, "n_activities")
    per = x.count_events(acts, [*gk, dimension], "n_events")
    table = _attach(_attach(table, total, gk), per, [*gk, dimension])
    table["covered"] = table["n_events"] > 0
    ci = _summaries.wilson_table(table["n_events"], table["n_activities"], conf_level)
    table[["estimate", "conf_low", "conf_high"]] = ci.to_numpy()
    table = table.sort_values(gk, kind="stable") if gk else table  # levels stay in order
    return table[[*gk, dimension, "n_activities", "n_events", "covered", "estimate",
                  "conf_low", "conf_high"]].reset_index(drop=True)


def _need_column(study: Study, column: str, where: str) -> None:
    acts = study.activities
    if acts is None or column not in acts.columns:
        raise OptionError(f"{where}: the study's activities have no {column!r} column; add it "
                          "to the activities table")


def _attach(table: pd.DataFrame, counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    name = next(col for col in counts.columns if col not in keys)
    # keys of the same type on both sides (an all-NA goal column counts as float otherwise)
    counts = counts.astype({k: table[k].dtype for k in keys if counts[k].dtype != table[k].dtype})
    out = table.merge(counts, on=keys, how="left") if keys else table.assign(
        **{name: counts[name].iloc[0]})
    out[name] = out[name].fillna(0).astype(np.int64)
    return out


def goal_breadth(
    study: Study,
    *,
    dimension: str = "sector",
    by=("relationship_id",),
    level: str = "relationship",
    focal: str | None = None,
    min_confidence: str | None = None,
) -> pd.DataFrame:
    """Breadth of a relationship's activity over sectors (or goals): Shannon diversity.

    Parameters
    ----------
    study : Study
    dimension : {"sector", "objective"}, default "sector"
    by, level, focal, min_confidence
        As in :func:`goal_coverage`.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted: the keys, then ``n_activities``, ``n_unknown`` (activities
        naming no level; left out of the diversity), ``n_levels`` (levels with activity),
        ``shannon`` (nats; 0 with one level, NaN without activity) and ``effective_number``
        (``exp(shannon)``: the number of equally active levels that would give the same
        diversity).

    Raises
    ------
    continuity.errors.OptionError
        An unknown option; a ``dimension`` the activities table does not hold.

    Notes
    -----
    With :math:`p_k` the share of the activities naming level :math:`k`,
    :math:`H = -\\sum_k p_k \\ln p_k` (Shannon 1948) and the effective number is :math:`e^H`
    (Hill's number of order 1; Hill, Ecology 54, 1973, 427-432). It is the plug-in estimate,
    biased low with few activities.

    Examples
    --------
    >>> import continuity as ct
    >>> b = ct.metrics.goal_breadth(ct.datasets.load_solo())
    >>> b[["relationship_id", "n_activities", "n_levels", "effective_number"]].round(2)
        relationship_id  n_activities  n_levels  effective_number
    0   REL-SOLO-ANDONG            14         2              1.29
    1  REL-SOLO-MONTANA             1         1              1.00
    2     REL-SOLO-XIAN             5         2              1.96
    3   REL-SOLO-ZHUHAI             4         2              1.75
    """
    where = "goal_breadth"
    dimension = check_literal(dimension, Dimension, "dimension", where)
    _need_column(study, dimension, where)
    gk, groups, acts = _activities(study, where, by=by, level=level, focal=focal,
                                   min_confidence=min_confidence)
    known = acts[acts[dimension].notna()].assign(**{dimension: lambda d: d[dimension].astype(str)})
    per = x.count_events(known, [*gk, dimension], "n")
    with np.errstate(divide="ignore", invalid="ignore"):
        tot = per.groupby(gk, sort=False)["n"].transform("sum") if gk else per["n"].sum()
        p = per["n"] / tot
        per["_h"] = -p * np.log(p)
    h = per.groupby(gk, sort=False).agg(shannon=("_h", "sum"), n_levels=("n", "size")) \
        .reset_index() if gk else pd.DataFrame({"shannon": [per["_h"].sum()],
                                                 "n_levels": [len(per)]})
    table = _attach(groups, x.count_events(acts, gk, "n_activities"), gk)
    table = _attach(table, x.count_events(acts[acts[dimension].isna()], gk, "n_unknown"), gk)
    table = table.merge(h, on=gk, how="left") if gk else pd.concat([table, h], axis=1)
    table["n_levels"] = table["n_levels"].fillna(0).astype(np.int64)
    table.loc[table["n_levels"] == 0, "shannon"] = np.nan
    table["shannon"] = table["shannon"].astype(float) + 0.0  # -0.0 of one level reads 0
    table["effective_number"] = np.exp(table["shannon"])
    table = table.sort_values(gk, kind="stable") if gk else table
    return table[[*gk, "n_activities", "n_unknown", "n_levels", "shannon",
                  "effective_number"]].reset_index(drop=True)


def _sides(study: Study, raw: pd.DataFrame, acts: pd.DataFrame, focal, where: str):
    """Each counted activity's side as ``"focal"``, ``"partner"`` or None (unknown).

    A side is ``"focal"`` or ``"partner"`` as given, or a party of the activity's instrument:
    the focal jurisdiction's name reads as ``"focal"``, another party's as ``"partner"``.
    """
    parties = study.parties[["agreement_id", "jurisdiction"]].astype(str)
    pair = set(zip(parties["agreement_id"], parties["jurisdiction"], strict=True))
    side = raw["side"]
    named = side.notna() & ~side.isin(SIDES)
    ok = [(str(a), str(j)) in pair for a, j in zip(raw["agreement_id"][named], side[named],
                                                     strict=True)]
    bad = np.flatnonzero(named.to_numpy())[~np.asarray(ok, dtype=bool)]
    if len(bad):
        shown = ", ".join(f"row {i}: {raw['side'].iloc[i]!r}" for i in bad[:5])
        raise ValidationError([f"{where}: activities: {len(bad)} rows name a side that is "
                               f"neither 'focal', 'partner' nor a party of their instrument "
                               f"({shown}); name the hosting party, or leave it empty"])
    s_act = acts["side"].astype(object)
    by_name = s_act.notna() & ~s_act.isin(SIDES)
    if by_name.any() and focal is None:
        raise OptionError(f"{where}: the activities name their side by jurisdiction; give "
                          "focal=... (the city whose side is 'focal') to measure the balance")
    out = s_act.where(~by_name, np.where(s_act == focal, "focal", "partner"))
    return out.where(s_act.notna(), None).to_numpy(dtype=object)


def reciprocity(
    study: Study,
    *,
    by=("relationship_id",),
    level: str = "relationship",
    focal: str | None = None,
    min_confidence: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """The balance of activities hosted or initiated by each side, with an exact interval.

    Parameters
    ----------
    study : Study
        Its activities name their side in a ``side`` column: the party of the instrument that
        hosted or initiated the activity (as the bundled cases do), or ``"focal"`` /
        ``"partner"``; empty where unknown.
    focal : str, optional
        The city whose side is "focal" (needed when sides name jurisdictions); only its
        relationships are counted.
    by, level, min_confidence
        As in :func:`goal_coverage`.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted: the keys, then ``n`` (activities whose side is known),
        ``n_focal``, ``n_partner``, ``n_unknown`` (side not named; left out), ``estimate``
        (the focal side's share ``n_focal / n``), ``conf_low``, ``conf_high`` (exact
        Clopper-Pearson interval), ``p_value`` (two-sided exact test of an even balance, 0.5);
        NaN where ``n`` is 0.

    Raises
    ------
    continuity.ValidationError
        The activities have no ``side`` column, or a side other than focal or partner.
    continuity.errors.OptionError
        An unknown option.

    Notes
    -----
    Given :math:`n` activities with a known side, the focal side's count is taken as binomial
    :math:`(n, \\pi)`; the interval is Clopper and Pearson's (Biometrika 26, 1934) and the
    p-value the two-sided exact test of :math:`\\pi = 1/2`, as R's ``binom.test(n_focal, n)``.
    Reports in one city's press over-represent visits it hosted or sent (see the coverage bias
    in the case notes), which shifts this share; compare it between administrations rather
    than against one half.

    Examples
    --------
    >>> import continuity as ct
    >>> from continuity.testing import scenario
    >>> study = (scenario(as_of="2020-12-31")
    ...          .terms("Solo", "mayor", [("A", "2010-01-01")])
    ...          .terms("Xi'an", "party_secretary", [("P", "2010-01-01")])
    ...          .agreement("LOI", ["Solo", "Xi'an"], signed="2015-09-15")
    ...          .activity("LOI", "2016-05-02", side="Solo")
    ...          .activity("LOI", "2017-05-02", side="Solo")
    ...          .activity("LOI", "2018-05-02", side="Xi'an")
    ...          .build())
    >>> r = ct.metrics.reciprocity(study, focal="Solo")
    >>> r[["n_focal", "n_partner", "estimate", "p_value"]]
       n_focal  n_partner  estimate  p_value
    0        2          1  0.666667      1.0
    """
    where = "reciprocity"
    acts_raw = study.activities
    if acts_raw is None or "side" not in acts_raw.columns:
        raise ValidationError([f"{where}: activities have no side column; give each activity "
                               "the party that hosted or initiated it (a jurisdiction of the "
                               "instrument, or 'focal' / 'partner') to measure reciprocity"])
    conf_level = check_conf_level(conf_level, where)
    gk, groups, acts = _activities(study, where, by=by, level=level, focal=focal,
                                   min_confidence=min_confidence)
    acts = acts.assign(side=_sides(study, acts_raw, acts, focal, where))
    table = groups
    for side, name in (("focal", "n_focal"), ("partner", "n_partner"), (None, "n_unknown")):
        part = acts[acts["side"].isna()] if side is None else acts[acts["side"] == side]
        table = _attach(table, x.count_events(part, gk, name), gk)
    table["n"] = table["n_focal"] + table["n_partner"]
    n = table["n"].to_numpy(float)
    k = table["n_focal"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["estimate"] = np.where(n > 0, k / n, np.nan)
    low, high = clopper_pearson(k, n, conf_level)
    table["conf_low"], table["conf_high"] = low, high
    table["p_value"] = binom_two_sided(k, n, 0.5)
    table = table.sort_values(gk, kind="stable") if gk else table
    return table[[*gk, "n", "n_focal", "n_partner", "n_unknown", "estimate", "conf_low",
                  "conf_high", "p_value"]].reset_index(drop=True)
