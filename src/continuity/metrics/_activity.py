"""Activity intensity, and activity around a leader change.

"Ganti kepala daerah, ganti kebijakan": every change of regional head changes policy. These
metrics count the activities carried out under each instrument against its exposure, to the day,
and compare the activity after each leadership transition with the activity before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from continuity import leadership
from continuity._options import DEFAULTS, Level, check_conf_level, check_days, check_literal
from continuity.errors import OptionError
from continuity.metrics import _exposure as x
from continuity.metrics import _views
from continuity.metrics._targets import keys_of
from continuity.rates import poisson_rates, rate_ratios

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["activity_change", "activity_rates"]

#: Groups of :func:`activity_rates`: the unit, the party and its administration, and columns of
#: the activities table.
RateKey = Literal["agreement_id", "relationship_id", "jurisdiction", "administration", "kind",
                  "sector", "objective", "side"]
#: Which leadership transitions :func:`activity_change` looks at.
Changes = Literal["all", "focal", "partner"]
#: How :func:`activity_change` treats a transition close to another change.
Close = Literal["drop", "midpoint"]
#: How :func:`activity_change` cuts its windows at the edges of a unit's life.
Cut = Literal["symmetric", "each"]
#: Groups of :func:`activity_change`.
ChangeKey = Literal["transition", "relationship_id", "agreement_id", "jurisdiction", "side"]

ACTIVITY_KEYS = ("kind", "sector", "objective", "side")
RATE_COLUMNS = ["n", "n_activities", "exposure_days", "exposure_years", "estimate", "conf_low",
                "conf_high"]
CHANGE_COLUMNS = ["exposure_before", "exposure_after", "n_before", "n_after", "rate_before",
                  "rate_after", "estimate", "conf_low", "conf_high", "p_value"]


def check_level_keys(keys: list[str], level: str, study: Study, where: str) -> None:
    if "agreement_id" in keys and level != "instrument":
        raise OptionError(f"{where}: by='agreement_id' needs level='instrument' (with "
                          "level='relationship' the unit is the relationship; group by "
                          "'relationship_id')")
    acts = study.activities
    cols = () if acts is None else acts.columns
    for k in keys:
        if k in ACTIVITY_KEYS and k not in cols:
            hint = " (the party that hosted or initiated it)" if k == "side" else ""
            raise OptionError(f"{where}: by={k!r} groups by the activities' {k!r} column, which "
                              f"this study's activities do not have; add it{hint} or leave "
                              f"{k!r} out of by")


def activity_rates(
    study: Study,
    *,
    by=("relationship_id",),
    level: str = "relationship",
    focal: str | None = None,
    before_entry: str = "exclude",
    after_end: str = "exclude",
    dormant_time: str = "include",
    threshold: int = DEFAULTS.dormancy,
    min_confidence: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Activities per year of exposure, with exact Poisson intervals.

    Parameters
    ----------
    study : Study
    by : str, sequence of str or None, default ("relationship_id",)
        Groups, any of ``"agreement_id"`` (with ``level="instrument"``), ``"relationship_id"``,
        ``"jurisdiction"`` (each party: a unit counts once for each of its parties),
        ``"administration"`` (the party's administration in office: exposure is split at its
        changes and each activity is credited to the administration in office on its date),
        and the activities' own ``"kind"``, ``"sector"``, ``"objective"``, ``"side"``.
        None pools everything.
    level : {"relationship", "instrument"}, default "relationship"
        The unit exposed: a relationship (its life is the union of its instruments' lives) or
        each instrument.
    focal : str, optional
        Only the units this jurisdiction is party to; ``"jurisdiction"`` and
        ``"administration"`` then refer to it alone.
    before_entry : {"exclude", "extend"}, default "exclude"
        Activities dated before their instrument's entry (an exploratory visit before the
        signing): left out, or counted with the instrument's life extended back to the earliest
        of them, so that the exposure that produced them is counted too.
    after_end : {"exclude", "extend"}, default "exclude"
        Activities dated on or after the formal end: left out, or counted with the life
        extended to the day after the latest of them (never past ``as_of``).
    dormant_time : {"include", "exclude"}, default "include"
        Whether dormant time counts as exposure. ``"include"``: a quiet relationship has a low
        rate, which is what the metric shows. ``"exclude"``: exposure stops ``threshold`` days
        after each sign of life (entry or activity) and resumes at the next activity, so the
        rate is that of the unit while it is awake.
    threshold : int, default 730
        Days without activity after which time is dormant (for ``dormant_time="exclude"``).
    min_confidence : {"low", "medium", "high"}, optional
        Count only activities whose ``confidence`` is at least this (rows without one do not
        pass). Default: every activity.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group (every combination of the units' groups with the levels of the
        activity columns seen among counted activities), sorted by the keys. Columns: the keys
        of ``by`` (with ``administration_start`` after ``administration``), then

        ``n``
            units with exposure in the group (int).
        ``n_activities``
            activities counted (int); a reported event named twice through ``same_event_as``
            counts once in a group.
        ``exposure_days``, ``exposure_years``
            exposure (days; years of 365.25 days).
        ``estimate``, ``conf_low``, ``conf_high``
            activities per year, with the exact Poisson interval (NaN without exposure).

    Raises
    ------
    continuity.errors.OptionError
        An unknown option, a key of ``by`` the study does not hold, a ``focal`` that is not a
        party, ``min_confidence`` without a ``confidence`` column.
    continuity.ValidationError
        A ``same_event_as`` that names no ``activity_id``.

    Notes
    -----
    Exposure is counted in days. An instrument's life runs from its entry (``effective``, else
    ``signed``; the day of entry included) to its formal end (``ended``, else ``expires``;
    excluded), or through ``as_of`` (included) when it is formally alive then; a relationship's
    life is the union of its instruments' lives. An activity counts when it is dated within the
    life of its unit, on or before ``as_of``. Activities of a kind in
    :data:`continuity.schema.PASSIVE_KINDS` (``"statement"``: a report that the relationship
    has stalled) are not activity. The activity on the day of signing (the signing visit)
    counts; with the defaults the activities counted are those of
    :func:`continuity.metrics.dormancy`. With :math:`x` activities in :math:`T` years the
    rate is :math:`x/T` and its interval :math:`(G^{-1}_{x}(\\alpha/2), G^{-1}_{x+1}(1 -
    \\alpha/2))/T` (Garwood 1936), as R's ``poisson.test(x, T)``. Activities of one unit are
    not independent events; the interval assumes a Poisson process.

    Examples
    --------
    >>> import continuity as ct
    >>> r = ct.metrics.activity_rates(ct.datasets.load_solo())
    >>> r[["relationship_id", "n_activities", "exposure_years", "estimate"]].round(2)
        relationship_id  n_activities  exposure_years  estimate
    0   REL-SOLO-ANDONG            14           18.37      0.76
    1  REL-SOLO-MONTANA             1           18.98      0.05
    2     REL-SOLO-XIAN             5           10.38      0.48
    3   REL-SOLO-ZHUHAI             4           10.41      0.38
    """
    where = "activity_rates"
    _views.check_study(study, where)
    keys = keys_of(by, RateKey, where)
    level = check_literal(level, Level, "level", where)
    check_level_keys(keys, level, study, where)
    focal = _views.check_focal(study, focal, where)
    conf_level = check_conf_level(conf_level, where)
    rules = x.check_rules(where, before_entry=before_entry, after_end=after_end,
                          dormant_time=dormant_time, threshold=threshold,
                          min_confidence=min_confidence)
    lives = x.build_lives(study, rules, level, where)
    exposure, acts = x.keyed_rows(study, lives, keys, focal)
    return _rate_table(exposure, acts, keys, conf_level)


def _rate_table(exposure: pd.DataFrame, acts: pd.DataFrame, keys: list[str],
                conf_level: float) -> pd.DataFrame:
    """Sum exposure per unit group, cross with activity levels, count events, add intervals."""
    gkeys = [k for k in keys if k not in ACTIVITY_KEYS]
    akeys = [k for k in keys if k in ACTIVITY_KEYS]
    if "administration" in gkeys:
        gkeys.insert(gkeys.index("administration") + 1, "administration_start")
    exposure = exposure.assign(_u=exposure["u"].where(exposure["exposure"] > 0))
    if gkeys:
        table = (exposure.groupby(gkeys, dropna=False, sort=False)
                 .agg(n=("_u", "nunique"), exposure_days=("exposure", "sum")).reset_index())
    else:
        table = pd.DataFrame({"n": [exposure["_u"].nunique()],
                              "exposure_days": [exposure["exposure"].sum()]})
    table["n"] = table["n"].astype(np.int64)
    for k in akeys:  # every unit group, with every level seen (NA included)
        levels = pd.DataFrame({k: pd.unique(acts[k].astype(object))})
        table = table.merge(levels, how="cross")
    counts = x.count_events(acts, gkeys + akeys, "n_activities")
    if gkeys + akeys:
        for k in [*akeys, *(g for g in gkeys if g != "administration_start")]:
            counts[k] = counts[k].astype(object)  # NA-only keys are float otherwise
            table[k] = table[k].astype(object)
        table = table.merge(counts, on=gkeys + akeys, how="left")
    else:
        table = pd.concat([table, counts], axis=1)
    table["n_activities"] = table["n_activities"].fillna(0).astype(np.int64)
    table["exposure_days"] = table["exposure_days"].astype(np.int64)
    table["exposure_years"] = table["exposure_days"] / x.DAYS_PER_YEAR
    ci = poisson_rates(table["n_activities"], table["exposure_years"], conf_level=conf_level)
    table[["estimate", "conf_low", "conf_high"]] = ci[["estimate", "conf_low", "conf_high"]]
    cols = [*gkeys, *akeys]
    for k in cols:
        if k != "administration_start":
            table[k] = table[k].astype(object)
    table = table.sort_values(cols, kind="stable", na_position="last") if cols else table
    return table[[*cols, *RATE_COLUMNS]].reset_index(drop=True)


def activity_change(
    study: Study,
    *,
    window: int = 365,
    focal: str | None = None,
    changes: str = "all",
    by: str | None = "transition",
    level: str = "relationship",
    close: str = "drop",
    cut: str = "symmetric",
    before_entry: str = "exclude",
    after_end: str = "exclude",
    dormant_time: str = "include",
    threshold: int = DEFAULTS.dormancy,
    min_confidence: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Activity in the ``window`` days after each leader change against the days before it.

    The direct test of "ganti kepala daerah, ganti kebijakan" on activity: for every
    leadership transition of a party during the life of a relationship (a new administration
    taking office), the activities after it and before it, and their rate ratio with its exact
    conditional interval, per transition or pooled.

    Parameters
    ----------
    study : Study
    window : int, default 365
        Days after the change compared with as many days before it (at most; see ``cut``).
    focal : str, optional
        The focal jurisdiction: only its relationships, and ``side`` says whether a change was
        the focal party's or a partner's.
    changes : {"all", "focal", "partner"}, default "all"
        Which transitions: of every party, of the focal party only, or of its partners only
        (the last two need ``focal``).
    by : {"transition", "relationship_id", "agreement_id", "jurisdiction", "side", None}
        One row per unit and transition (default), or pooled per unit, per jurisdiction whose
        leader changed, per side, or over everything (None).
    level : {"relationship", "instrument"}, default "relationship"
        The unit whose activity is compared, as in :func:`activity_rates`.
    close : {"drop", "midpoint"}, default "drop"
        A transition close to another leader change of any party of the unit: ``"drop"`` leaves
        it out of the pooled rows (``included`` False) when another change falls in the
        ``2 * window`` days before it or the ``window`` days after it, so that its before
        window was not the after window of another change and its after window holds one
        change; ``"midpoint"`` keeps every transition and gives each day between two changes
        to the nearer one (the earlier on a tie), so no day is counted twice.
    cut : {"symmetric", "each"}, default "symmetric"
        At the start and end of the unit's life (entry, formal end, ``as_of``) and at the
        midpoints of ``close="midpoint"``: ``"symmetric"`` shortens both windows to the same
        length, so that the exposure before and after is equal and the pooled comparison is
        exact whatever the rates of the units; ``"each"`` cuts each window on its own and
        compares the exposure that remains.
    before_entry, after_end, dormant_time, threshold, min_confidence
        The exposure rules of :func:`activity_rates`.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        With ``by="transition"``, one row per unit and transition during the unit's life
        (the change of day ``date`` at ``entry <= date < end``), sorted by unit and date:
        ``relationship_id`` (or ``agreement_id``), ``jurisdiction``, ``side`` (``"focal"``,
        ``"partner"``, NA without ``focal``), ``date``, ``from_administration``,
        ``to_administration``, ``included`` (bool: pooled in the other ``by``),
        ``window_before``, ``window_after`` (days of the windows after the cuts), then the
        columns below. Pooled (other ``by``): the key, ``n_transitions`` (included),
        ``n_excluded`` (left out by ``close="drop"``), then:

        ``exposure_before``, ``exposure_after``
            days of exposure in the windows (less than the windows when the unit was not
            exposed all through them, e.g. dormant time excluded or between instruments).
        ``n_before``, ``n_after``
            activities (pooled: each reported event once, through ``same_event_as``).
        ``rate_before``, ``rate_after``
            per year (NaN without exposure).
        ``estimate``, ``conf_low``, ``conf_high``, ``p_value``
            the rate ratio after / before, its exact conditional interval and the two-sided
            p-value of equal rates (R's ``poisson.test``); NaN without activity or without
            exposure on one side.

    Raises
    ------
    continuity.errors.OptionError
        An unknown option; ``changes`` other than ``"all"`` without ``focal``.

    Notes
    -----
    A transition is the start of an administration (see
    :func:`continuity.metrics.portfolio_retention` for the rule) after an earlier one of the
    same jurisdiction; each activity is credited by its date. With :math:`a` activities in
    :math:`T_a` days after and :math:`b` in :math:`T_b` before, the rate ratio is
    :math:`\\rho = (a/T_a)/(b/T_b)`; given :math:`a + b`, :math:`a` is binomial with
    probability :math:`T_a\\rho/(T_a\\rho + T_b)`, whose Clopper-Pearson interval gives the
    exact conditional interval of :math:`\\rho` (R's ``poisson.test(c(a, b), c(T_a, T_b))``).
    Pooled rows sum counts and exposures over transitions; with ``cut="symmetric"``,
    :math:`T_a = T_b` in every transition, so the pooled comparison stays exact when rates
    differ between units. Activities of one unit are assumed to be a Poisson process; repeated
    transitions of one relationship are not independent draws of its leadership.

    Examples
    --------
    >>> import continuity as ct
    >>> ch = ct.metrics.activity_change(ct.datasets.load_solo(), window=730, close="midpoint",
    ...                                 by=None)
    >>> ch[["n_transitions", "n_before", "n_after", "exposure_before", "exposure_after"]]
       n_transitions  n_before  n_after  exposure_before  exposure_after
    0             35         4        3             3350            3350
    """
    where = "activity_change"
    _views.check_study(study, where)
    window = check_days(window, "window", where, minimum=1)
    focal = _views.check_focal(study, focal, where)
    check_literal(changes, Changes, "changes", where)
    if changes != "all" and focal is None:
        raise OptionError(f"{where}: changes={changes!r} needs focal, the jurisdiction whose "
                          "side is focal; give focal=... or changes='all'")
    if by is not None:
        check_literal(by, ChangeKey, "by", where)
    level = check_literal(level, Level, "level", where)
    check_level_keys([by] if by in ("agreement_id",) else [], level, study, where)
    check_literal(close, Close, "close", where)
    check_literal(cut, Cut, "cut", where)
    conf_level = check_conf_level(conf_level, where)
    rules = x.check_rules(where, before_entry=before_entry, after_end=after_end,
                          dormant_time=dormant_time, threshold=threshold,
                          min_confidence=min_confidence)
    lives = x.build_lives(study, rules, level, where)
    rows = _transitions_in_life(study, lives, focal, changes)
    rows = _windows(rows, lives, window, close, cut)
    table = _transition_table(rows, lives, conf_level)
    if by == "transition":
        return table
    return _pooled(rows, table, lives, by, conf_level)


def _transitions_in_life(study: Study, lives: x.Lives, focal, changes: str) -> pd.DataFrame:
    """Every change of a party's administration during each unit's life, and its neighbours."""
    adm = leadership.administrations(study)
    j = adm["jurisdiction"].to_numpy(dtype=object)
    later = np.zeros(len(adm), dtype=bool)
    later[1:] = j[1:] == j[:-1]
    tr = pd.DataFrame({"jurisdiction": j[later],
                       "day": x.to_days(adm["administration_start"])[later],
                       "from_administration": adm["administration"].to_numpy(dtype=object)[
                           np.flatnonzero(later) - 1],
                       "to_administration": adm["administration"].to_numpy(dtype=object)[later]})
    up = x.unit_parties(study, lives, None)
    if focal is not None:
        up = up[up["u"].isin(up.loc[up["jurisdiction"] == focal, "u"])]
    rows = up.merge(tr, on="jurisdiction", how="inner").merge(
        lives.units[["life_start", "life_stop"]].assign(u=np.arange(len(lives.units))), on="u")
    rows = rows[(rows["day"] >= rows["life_start"]) & (rows["day"] < rows["life_stop"])]
    rows = rows.sort_values(["u", "day", "jurisdiction"], kind="stable").reset_index(drop=True)
    rows = rows.astype({"u": np.int64, "day": np.int64})  # also when no transition is left
    u = rows["u"].to_numpy(np.int64)
    day = rows["day"].to_numpy(np.int64)
    prev = np.full(len(rows), -x.FAR, dtype=np.int64)
    nxt = np.full(len(rows), x.FAR, dtype=np.int64)
    same = u[1:] == u[:-1]
    prev[1:] = np.where(same, day[:-1], -x.FAR)
    nxt[:-1] = np.where(same, day[1:], x.FAR)
    rows["prev"], rows["next"] = prev, nxt
    side = np.where(rows["jurisdiction"] == focal, "focal", "partner") if focal else None
    rows["side"] = pd.Series(side if focal else [None] * len(rows), dtype=object)
    if changes != "all":
        rows = rows[rows["side"] == changes].reset_index(drop=True)
    return rows


def _windows(rows: pd.DataFrame, lives: x.Lives, window: int, close: str,
             cut: str) -> pd.DataFrame:
    """The before and after windows of each transition, cut by the rules, and their exposure."""
    day, prev, nxt = (rows[k].to_numpy(np.int64) for k in ("day", "prev", "next"))
    lo, hi = day - window, day + window
    if close == "drop":
        included = (prev < day - 2 * window) & (nxt >= day + window)
    else:
        included = np.ones(len(rows), dtype=bool)
        lo = np.maximum(lo, (prev + day + 1) // 2)
        hi = np.minimum(hi, (day + nxt + 1) // 2)
    u = rows["u"].to_numpy(np.int64)
    if cut == "symmetric":
        spans = lives.spans
        su, sstart, sstop = (spans[k].to_numpy(np.int64) for k in ("u", "start", "stop"))
        k = np.searchsorted(su * x.SCALE + sstart + x.SHIFT, u * x.SCALE + day + x.SHIFT,
                            side="right") - 1
        kk = np.maximum(k, 0)
        inside = (k >= 0) & (su[kk] == u) & (day < sstop[kk]) if len(su) else k < -1
        back = np.where(inside, day - sstart[kk], 0)
        fwd = np.where(inside, sstop[kk] - day, 0)
        half = np.minimum.reduce([day - lo, hi - day, back, fwd])
        lo, hi = day - half, day + half
    rows = rows.assign(included=included, lo=lo, hi=hi, window_before=day - lo,
                       window_after=hi - day,
                       exposure_before=lives.exposure(u, lo, day),
                       exposure_after=lives.exposure(u, day, hi),
                       n_before=lives.count(u, lo, day), n_after=lives.count(u, day, hi))
    return rows


def _ratio_columns(df: pd.DataFrame, conf_level: float) -> pd.DataFrame:
    ya = df["exposure_after"].to_numpy(float) / x.DAYS_PER_YEAR
    yb = df["exposure_before"].to_numpy(float) / x.DAYS_PER_YEAR
    with np.errstate(invalid="ignore", divide="ignore"):
        df["rate_before"] = np.where(yb > 0, df["n_before"] / yb, np.nan)
        df["rate_after"] = np.where(ya > 0, df["n_after"] / ya, np.nan)
    rr = rate_ratios(df["n_after"], ya, df["n_before"], yb, conf_level=conf_level)
    df[["estimate", "conf_low", "conf_high", "p_value"]] = rr[
        ["estimate", "conf_low", "conf_high", "p_value"]].to_numpy()
    return df


def _unit_column(lives: x.Lives) -> str:
    return "agreement_id" if lives.level == "instrument" else "relationship_id"


def _transition_table(rows: pd.DataFrame, lives: x.Lives, conf_level: float) -> pd.DataFrame:
    unit = _unit_column(lives)
    u = rows["u"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({unit: lives.units["unit"].to_numpy(dtype=object)[u]})
    if unit == "agreement_id":
        out["relationship_id"] = lives.units["relationship_id"].to_numpy(dtype=object)[u]
    out["jurisdiction"] = rows["jurisdiction"].to_numpy(dtype=object)
    out["side"] = rows["side"].to_numpy(dtype=object)
    out["date"] = pd.Series(rows["day"].to_numpy(np.int64).astype("datetime64[D]"),
                            dtype="datetime64[ns]")
    for col in ("from_administration", "to_administration", "included", "window_before",
                "window_after", "exposure_before", "exposure_after", "n_before", "n_after"):
        out[col] = rows[col].to_numpy()
    for col in ("window_before", "window_after", "exposure_before", "exposure_after",
                "n_before", "n_after"):
        out[col] = out[col].astype(np.int64)
    out["included"] = out["included"].astype(bool)
    return _ratio_columns(out, conf_level)


def _pooled(rows: pd.DataFrame, table: pd.DataFrame, lives: x.Lives, by, conf_level: float):
    """Sums over the included transitions of each group; each reported event counted once.

    Every group with a transition has a row (zeros when all were left out); ``by=None`` always
    gives one row.
    """
    key = [] if by is None else [by]
    if by in ("relationship_id", "agreement_id") and by not in table.columns:
        key = [_unit_column(lives)]
    gk = key or ["_g"]
    inc = table["included"].to_numpy(dtype=bool)
    t = table.assign(_g=0, _inc=inc.astype(np.int64), _exc=(~inc).astype(np.int64),
                     _eb=np.where(inc, table["exposure_before"], 0),
                     _ea=np.where(inc, table["exposure_after"], 0))
    if not len(t) and not key:
        t = t.reindex([0]).assign(_g=0, _inc=0, _exc=0, _eb=0, _ea=0)
    out = t.groupby(gk, dropna=False, sort=True).agg(
        n_transitions=("_inc", "sum"), n_excluded=("_exc", "sum"),
        exposure_before=("_eb", "sum"), exposure_after=("_ea", "sum")).reset_index()
    counts = _distinct_counts(rows, table.assign(_g=0), lives, gk)
    out = out.merge(counts, on=gk, how="left")
    for col in ("n_transitions", "n_excluded", "exposure_before", "exposure_after", "n_before",
                "n_after"):
        out[col] = out[col].fillna(0).astype(np.int64)
    out = _ratio_columns(out, conf_level)
    cols = [*key, "n_transitions", "n_excluded", *CHANGE_COLUMNS]
    return out[cols].reset_index(drop=True)


def _distinct_counts(rows: pd.DataFrame, t: pd.DataFrame, lives: x.Lives, gk: list[str]):
    """Events before and after per group: each activity in the window of at most one
    included transition of its unit (the rules keep the windows of a unit apart)."""
    inc = np.flatnonzero(t["included"].to_numpy())
    r = rows.iloc[inc]
    ru, rlo, rhi, rday = (r[k].to_numpy(np.int64) for k in ("u", "lo", "hi", "day"))
    order = np.lexsort((rlo, ru))
    ru, rlo, rhi, rday = ru[order], rlo[order], rhi[order], rday[order]
    groups = t.iloc[inc][gk].iloc[order].reset_index(drop=True)
    au, aday = lives.acts["u"].to_numpy(np.int64), lives.acts["day"].to_numpy(np.int64)
    k = np.searchsorted(ru * x.SCALE + rlo + x.SHIFT, au * x.SCALE + aday + x.SHIFT,
                        side="right") - 1
    kk = np.maximum(k, 0)
    hit = (k >= 0) & (ru[kk] == au) & (aday < rhi[kk]) if len(ru) else k < -1
    a = groups.iloc[kk[hit]].reset_index(drop=True)
    a["_after"] = aday[hit] >= rday[kk[hit]]
    a["_event"] = lives.acts["_event"].to_numpy()[hit]
    n = a.groupby([*gk, "_after"], dropna=False)["_event"].nunique().unstack("_after")
    n = n.reindex(columns=[False, True]).fillna(0).astype(np.int64)
    n.columns = ["n_before", "n_after"]
    return n.reset_index()
