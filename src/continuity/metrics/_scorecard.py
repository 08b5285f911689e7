"""The per-administration scorecard: the table a city government puts in its evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity import leadership
from continuity._options import DEFAULTS, check_conf_level, check_days
from continuity.errors import OptionError
from continuity.metrics import _exposure as x
from continuity.metrics import _views
from continuity.metrics._activity import activity_rates
from continuity.metrics._targets import budget_realisation, target_attainment

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["administration_scorecard"]

SCORECARD_COLUMNS = [
    "administration", "administration_start", "administration_end", "holder", "caretaker",
    "days", "n_inherited", "n_kept", "n_signed", "n_instruments_signed", "n_renewed",
    "n_dormant", "n_ended", "n_activities", "exposure_years", "estimate", "conf_low",
    "conf_high", "attainment", "targets_met", "budget_realisation",
]


def administration_scorecard(
    study: Study,
    *,
    focal: str | None = None,
    threshold: int = DEFAULTS.dormancy,
    min_confidence: str | None = None,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """One row per administration of the focal jurisdiction: what it inherited, did and left.

    Parameters
    ----------
    study : Study
    focal : str
        The jurisdiction whose administrations are scored (the city doing the evaluation);
        required.
    threshold : int, default 730
        Days without activity after which a relationship has gone dormant.
    min_confidence : {"low", "medium", "high"}, optional
        Count only activities of at least this confidence (as :func:`activity_rates`).
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per administration of ``focal`` known at ``as_of``, in order:

        ``administration, administration_start, administration_end, holder, caretaker``
            as :func:`portfolio_retention` names them (``administration_end`` NaT while in
            office).
        ``days``
            days in office up to ``as_of`` (int).
        ``n_inherited``
            relationships of ``focal`` in force on the first day.
        ``n_kept``
            of them, still in force on the last day (or at ``as_of``).
        ``n_signed``
            relationships begun (first instrument's entry) in office.
        ``n_instruments_signed``
            instruments signed in office (of relationships old or new).
        ``n_renewed``
            instruments signed in office that continue an existing relationship (a renewal,
            an MoU after an LoI).
        ``n_dormant``
            relationships that went dormant in office: ``threshold`` days after their last
            sign of life (entry or activity), while formally in force.
        ``n_ended``
            relationships whose formal life ended in office.
        ``n_activities, exposure_years, estimate, conf_low, conf_high``
            activities credited to the administration (dated in office), relationship-years of
            exposure in office, and the rate per year with its exact Poisson interval (as
            :func:`activity_rates` with ``by="administration"``).
        ``attainment, targets_met``
            weighted capped attainment and share of targets met (:func:`target_attainment`),
            NaN without targets.
        ``budget_realisation``
            realised / planned (:func:`budget_realisation`), NaN without budget rows.

    Raises
    ------
    continuity.errors.OptionError
        ``focal`` missing or not a party; a bad option.

    Notes
    -----
    A relationship is in force on a day when one of its instruments is (entry to formal end,
    or through ``as_of``). Dormancy uses the rule of :func:`dormancy`: the first day of the
    ``threshold``-th day without a sign of life. Every count is of relationships, except the
    instruments signed and renewed. Activities, targets and budgets are credited to the
    administration in office on their date (a target on the last day of its period).

    Examples
    --------
    >>> import continuity as ct
    >>> s = ct.metrics.administration_scorecard(ct.datasets.load_solo(), focal="Surakarta")
    >>> s[["holder", "n_inherited", "n_signed", "n_dormant", "n_activities"]].tail(4)
                       holder  n_inherited  n_signed  n_dormant  n_activities
    5                  Ahyani            4         0          0             0
    6  Gibran Rakabuming Raka            4         0          1             5
    7           Teguh Prakosa            4         0          0             0
    8            Respati Ardi            4         0          2             0
    """
    where = "administration_scorecard"
    _views.check_study(study, where)
    if focal is None:
        raise OptionError(f"{where}: give focal, the jurisdiction whose administrations are "
                          "scored")
    focal = _views.check_focal(study, focal, where)
    threshold = check_days(threshold, "threshold", where, minimum=1)
    conf_level = check_conf_level(conf_level, where)
    rules = x.check_rules(where, before_entry="exclude", after_end="exclude",
                          dormant_time="include", threshold=threshold,
                          min_confidence=min_confidence)
    adm = leadership.administrations(study)
    adm = adm[adm["jurisdiction"] == focal].reset_index(drop=True)
    lives = x.build_lives(study, rules, "relationship", where)
    card = _portfolio(study, adm, lives, focal, threshold)
    rates = activity_rates(study, by="administration", focal=focal,
                           min_confidence=min_confidence, conf_level=conf_level)
    card = card.merge(rates[["administration_start", "n_activities", "exposure_years",
                             "estimate", "conf_low", "conf_high"]],
                      on="administration_start", how="left")
    card["n_activities"] = card["n_activities"].fillna(0).astype(np.int64)
    card["exposure_years"] = card["exposure_years"].fillna(0.0)
    return _with_targets(study, card, focal)[SCORECARD_COLUMNS]


def _portfolio(study: Study, adm: pd.DataFrame, lives: x.Lives, focal: str,
               threshold: int) -> pd.DataFrame:
    """Relationship counts per administration (inherited, kept, signed, dormant, ended)."""
    last = x.to_days([study.as_of])[0] + 1
    s = x.to_days(adm["administration_start"])
    e = np.where(adm["administration_end"].isna().to_numpy(), last,
                 x.to_days(adm["administration_end"].fillna(study.as_of)))
    e = np.minimum(e, last)
    up = x.unit_parties(study, lives, focal)
    u = up["u"].to_numpy(np.int64)
    k, m = len(adm), len(u)
    uu, ss, ee = np.tile(u, k), np.repeat(s, m), np.repeat(e, m)

    def alive(day):
        return x.cumulative(lives.spans, uu, day + 1) > x.cumulative(lives.spans, uu, day)

    stop = lives.units["life_stop"].to_numpy(np.int64)[uu]
    begin = lives.units["life_start"].to_numpy(np.int64)[uu]
    inherited = alive(ss) & (begin < ss)
    kept = inherited & alive(ee - 1)
    dormant_day = _dormant_starts(lives, threshold)
    went = np.zeros(len(uu), dtype=bool)
    if len(dormant_day):
        du, dd = dormant_day["u"].to_numpy(np.int64), dormant_day["day"].to_numpy(np.int64)
        key = du * x.SCALE + dd + x.SHIFT
        order = np.argsort(key)
        key = key[order]
        went = (np.searchsorted(key, uu * x.SCALE + ee + x.SHIFT, side="left")
                > np.searchsorted(key, uu * x.SCALE + ss + x.SHIFT, side="left"))
    card = adm.drop(columns=["jurisdiction"]).copy()
    card["days"] = (e - s).astype(np.int64)
    per = np.repeat(np.arange(k), m)
    for name, flag in (("n_inherited", inherited), ("n_kept", kept),
                       ("n_signed", (begin >= ss) & (begin < ee)), ("n_dormant", went),
                       ("n_ended", (stop >= ss) & (stop < ee) & (stop < last))):
        card[name] = np.bincount(per[flag], minlength=k).astype(np.int64)
    signed, renewed = _signings(study, focal, s, e)
    card["n_instruments_signed"], card["n_renewed"] = signed, renewed
    return card


def _dormant_starts(lives: x.Lives, threshold: int) -> pd.DataFrame:
    """The days relationships went dormant: ``threshold`` days after a sign of life with no
    next sign of life by then, while in force."""
    awake = x.awake_spans(lives.spans, lives.acts, threshold)
    su, sstart, sstop = (lives.spans[k].to_numpy(np.int64) for k in ("u", "start", "stop"))
    au, astop = awake["u"].to_numpy(np.int64), awake["stop"].to_numpy(np.int64)
    k = np.searchsorted(su * x.SCALE + sstart + x.SHIFT, au * x.SCALE + astop - 1 + x.SHIFT,
                        side="right") - 1
    cut = astop < sstop[k]  # the awake span ends before the life does: dormancy began
    return pd.DataFrame({"u": au[cut], "day": astop[cut]})


def _signings(study: Study, focal: str, s: np.ndarray, e: np.ndarray):
    """Instruments of ``focal`` signed in each administration, and those continuing a
    relationship begun earlier."""
    a = _views.observed_agreements(study)
    mine = set(study.parties.loc[study.parties["jurisdiction"] == focal, "agreement_id"])
    a = a[a["agreement_id"].isin(mine)]
    day = x.to_days(a["signed"])
    first = a.groupby("relationship_id")["signed"].transform("min")
    later = (a["signed"] > first).to_numpy()
    inside = (day[None, :] >= s[:, None]) & (day[None, :] < e[:, None])
    return inside.sum(axis=1).astype(np.int64), (inside & later[None, :]).sum(axis=1).astype(
        np.int64)


def _with_targets(study: Study, card: pd.DataFrame, focal: str) -> pd.DataFrame:
    card = card.assign(attainment=np.nan, targets_met=np.nan, budget_realisation=np.nan)
    t = study.targets
    if t is None:
        return card
    key = ["administration_start"]
    if (t["indicator"] != "budget").any():
        att = target_attainment(study, by="administration", focal=focal)
        att = att.rename(columns={"estimate": "targets_met"})[[*key, "attainment",
                                                               "targets_met"]]
        card = card.drop(columns=["attainment", "targets_met"]).merge(att, on=key, how="left")
    if (t["indicator"] == "budget").any():
        bud = budget_realisation(study, by="administration", focal=focal)
        bud = bud.rename(columns={"estimate": "budget_realisation"})[[*key,
                                                                      "budget_realisation"]]
        card = card.drop(columns=["budget_realisation"]).merge(bud, on=key, how="left")
    return card
