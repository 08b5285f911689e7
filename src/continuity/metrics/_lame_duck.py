"""Lame-duck signing: instruments signed in the signer's last months in office, and their fate."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from continuity import leadership
from continuity._options import (
    DEFAULTS,
    Event,
    check_conf_level,
    check_days,
    check_literal,
    check_thresholds,
)
from continuity.metrics import _summaries, _views

if TYPE_CHECKING:
    from continuity.study import Study

__all__ = ["lame_duck", "lame_duck_signings", "lame_duck_survival"]

SIGNING_COLUMNS = [
    "agreement_id", "relationship_id", "instrument", "signed", "jurisdiction", "administration",
    "administration_start", "administration_end", "caretaker", "days_left", "lame_duck",
]


def lame_duck_signings(study: Study, *, window: int = 365, focal: str | None = None
                       ) -> pd.DataFrame:
    """Whether each party's leader signed each instrument in his or her last ``window`` days.

    Parameters
    ----------
    study : Study
    window : int, default 365
        Days before leaving office that count as the last months (365: the last 12 months).
    focal : str, optional
        Only this party's signer; by default every party of every instrument.

    Returns
    -------
    pandas.DataFrame
        One row per instrument signed on or before ``as_of`` and party (or the focal party), in
        the order of ``study.agreements``. Instruments signed after ``as_of`` are not yet
        observed and have no row. Columns:

        ``agreement_id, relationship_id, instrument, signed``
            the instrument.
        ``jurisdiction``
            the party.
        ``administration, administration_start, administration_end``
            the party's leader in office on the signing day (an unbroken run of one holder;
            NA when the office was vacant or the party's leaders are unknown; the end is NaT
            while still in office).
        ``caretaker``
            that administration is an acting or caretaker spell (nullable bool).
        ``days_left``
            days from signing to the end of that administration (nullable int; NA while still
            in office).
        ``lame_duck``
            ``days_left <= window`` (nullable bool): False when the leader was still in office
            ``window`` days after signing; NA when that is not known (no leader known, or
            still in office at ``as_of`` and fewer than ``window`` days have passed).

    Raises
    ------
    OptionError
        Bad ``window`` or an unknown ``focal``.

    Notes
    -----
    The end of office is the recorded one, known only after the fact: a signer did not
    necessarily know it was his or her last year. The administration is the one rule of
    :func:`continuity.administrations`, shared with
    :func:`portfolio_retention`: a re-elected leader (the same holder starting a new term)
    does not leave office, so signing in the last year of a first term is not lame-duck
    signing; nor does an incumbent who steps aside for an acting stand-in (a Plt during
    campaign leave) and returns, and an instrument signed by the stand-in belongs to the
    incumbent's administration. A caretaker appointed to a vacant office (a Pj) is an
    administration of its own; caretakers, whose spells are short, are nearly always lame
    ducks, and the ``caretaker`` column lets them be told apart.

    Examples
    --------
    >>> import continuity as ct
    >>> d = ct.metrics.lame_duck_signings(ct.datasets.load_solo(), focal="Surakarta")
    >>> d[["agreement_id", "administration", "days_left", "lame_duck"]]
                agreement_id          administration  days_left  lame_duck
    0  SOLO-MONTANA-MOU-2007   Joko Widodo 2005-2012       2051      False
    1     SOLO-XIAN-LOI-2015  Budi Suharto 2015-2015         96       True
    2   SOLO-ZHUHAI-LOI-2015  Budi Suharto 2015-2015        106       True
    3   SOLO-ANDONG-AGR-2007   Joko Widodo 2005-2012       1829      False
    """
    where = "lame_duck_signings"
    _views.check_study(study, where)
    window = check_days(window, "window", where, minimum=1)
    focal = _views.check_focal(study, focal, where)
    a = _views.observed_agreements(study)
    a = a.assign(_order=np.arange(len(a)))
    p = study.parties[["agreement_id", "jurisdiction"]]
    if focal is not None:
        p = p[p["jurisdiction"] == focal]
    d = a.merge(p, on="agreement_id", how="inner", sort=False)
    d = d.sort_values(["_order", "jurisdiction"], kind="stable").reset_index(drop=True)
    adm = leadership.administration_at(leadership.administrations(study), d["jurisdiction"],
                                       d["signed"])
    end = adm["administration_end"]
    days_left = ((end - d["signed"]) // pd.Timedelta(days=1)).astype("Int64")
    known_leader = adm["administration"].notna()
    still = known_leader & end.isna()
    lame = pd.array(np.zeros(len(d), dtype=bool), dtype="boolean")
    finite = days_left.notna().to_numpy()
    lame[finite] = (days_left[finite] <= window).to_numpy(dtype=bool)
    long_enough = (d["signed"] + pd.Timedelta(days=window) <= study.as_of).to_numpy()
    unknown = ~known_leader.to_numpy() | (still.to_numpy() & ~long_enough)
    lame[unknown] = pd.NA
    out = pd.DataFrame({
        "agreement_id": d["agreement_id"].to_numpy(),
        "relationship_id": d["relationship_id"].to_numpy(),
        "instrument": d["instrument"].to_numpy(dtype=object),
        "signed": d["signed"].to_numpy(),
        "jurisdiction": d["jurisdiction"].to_numpy(),
        "administration": adm["administration"].to_numpy(dtype=object),
        "administration_start": adm["administration_start"].to_numpy(),
        "administration_end": end.to_numpy(),
        "caretaker": adm["caretaker"].array,
        "days_left": days_left.array,
        "lame_duck": lame,
    }, columns=SIGNING_COLUMNS)
    for col in ("signed", "administration_start", "administration_end"):
        out[col] = out[col].astype("datetime64[ns]")
    return out


def lame_duck(
    study: Study,
    *,
    window: int = 365,
    focal: str | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Share of instruments signed in the signer's last ``window`` days in office, per party.

    Parameters
    ----------
    study : Study
    window : int, default 365
        As for :func:`lame_duck_signings`.
    focal : str, optional
        Only this party; by default one row per party jurisdiction.
    conf_level : float, default 0.95
        Level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per party jurisdiction, sorted. Instruments signed after ``as_of`` are not yet
        observed and are not counted (they have no row in :func:`lame_duck_signings`). Columns:

        ``jurisdiction``
            the party.
        ``n``
            instruments whose signer's status is known (int).
        ``n_events``
            of them signed in the signer's last ``window`` days (int).
        ``estimate, conf_low, conf_high``
            the share and its Wilson interval (NaN when ``n`` is 0).
        ``n_caretaker``
            lame-duck signings by an acting or caretaker leader (int).
        ``n_unknown``
            instruments left out: no known leader on the signing day, or still in office with
            fewer than ``window`` days observed (int).

    Raises
    ------
    OptionError
        Bad ``window``, ``focal`` or ``conf_level``.

    Notes
    -----
    :math:`\\hat p = \\#\\{\\text{days\\_left} \\le \\text{window}\\} / n`, Wilson's interval
    from :func:`continuity.rates.wilson_interval`. Under a fixed term length :math:`L` and
    signings spread evenly over it, the share expected by chance is about
    :math:`\\text{window}/L` (0.2 for 12 months of a five-year term).

    Examples
    --------
    >>> import continuity as ct
    >>> ct.metrics.lame_duck(ct.datasets.load_solo(), focal="Surakarta")[
    ...     ["jurisdiction", "n", "n_events", "n_caretaker", "n_unknown"]]
      jurisdiction  n  n_events  n_caretaker  n_unknown
    0    Surakarta  4         2            2          0
    """
    where = "lame_duck"
    _views.check_study(study, where)
    window = check_days(window, "window", where, minimum=1)
    focal = _views.check_focal(study, focal, where)
    conf_level = check_conf_level(conf_level, where)
    d = lame_duck_signings(study, window=window, focal=focal)
    known = d["lame_duck"].notna()
    yes = d["lame_duck"].fillna(False).astype(bool)
    d = d.assign(_n=known, _k=yes, _c=yes & d["caretaker"].fillna(False).astype(bool),
                 _u=~known)
    out = d.groupby("jurisdiction", sort=True).agg(
        n=("_n", "sum"), n_events=("_k", "sum"), n_caretaker=("_c", "sum"),
        n_unknown=("_u", "sum")).reset_index()
    for col in ("n", "n_events", "n_caretaker", "n_unknown"):
        out[col] = out[col].astype("int64")
    ci = _summaries.wilson_table(out["n_events"], out["n"], conf_level)
    return pd.concat([out[["jurisdiction", "n", "n_events"]], ci,
                      out[["n_caretaker", "n_unknown"]]], axis=1)


def lame_duck_survival(
    study: Study,
    *,
    window: int = 365,
    focal: str | None = None,
    event: str = "formal",
    dormancy: int = DEFAULTS.dormancy,
    horizon=DEFAULTS.horizons,
    conf_level: float = DEFAULTS.conf_level,
) -> pd.DataFrame:
    """Survival of instruments signed by a lame duck against the rest.

    Parameters
    ----------
    study : Study
    window : int, default 365
        As for :func:`lame_duck_signings`.
    focal : str, optional
        Group by the focal party's signer; by default an instrument is a lame-duck signing
        when any party's signer was a lame duck (and not one when every party's was not).
    event : {"formal", "dormant"}, default "formal"
        What ends an instrument (see :func:`continuity.split_episodes`).
    dormancy : int, default 730
        Days without activity that end an instrument with ``event="dormant"``.
    horizon : int or sequence of int, default (365, 730, 1825)
        Days after entry at which survival is reported.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group (``lame_duck`` True, then False; a group with no instrument has no
        row) and horizon. Instruments signed after ``as_of`` are not yet observed and are not
        counted (they have no row in :func:`lame_duck_signings`). Columns:

        ``lame_duck``
            the group (bool).
        ``horizon``
            days after entry (int).
        ``estimate, conf_low, conf_high``
            Kaplan-Meier survival at the horizon and its (log-log) interval
            (:func:`continuity.survival.kaplan_meier`; NaN limits before the first end; all
            NaN when ``horizon`` is past the group's last follow-up time and some of it is
            still alive then: the curve is not extended, as in R's ``summary(survfit,
            times =)``).
        ``n, n_at_risk, n_events``
            instruments, those still at risk after ``horizon`` days, ends within it (int).
        ``events_total, person_days``
            ends at any time, and days at risk, in the group (int).
        ``rate``
            ends per 365.25 days at risk (per instrument-year).
        ``rate_ratio, rate_ratio_low, rate_ratio_high, rate_ratio_p_value``
            rate of ends of lame-duck signings over the rest, exact conditional interval and
            p-value (:func:`continuity.rates.rate_ratio`); NaN when it is undefined (no end
            at all, or a group missing). Equal on every row.
        ``logrank_statistic, logrank_p_value``
            the log-rank test of equal hazards of the two groups
            (:func:`continuity.survival.logrank`); NaN when undefined. Equal on every row.

    Raises
    ------
    OptionError
        Bad options or an unknown ``focal``.

    Notes
    -----
    Instruments are the units of ``continuity.audit_episodes(level="instrument",
    event=event, dormancy=dormancy)``, followed from entry (``effective``, else ``signed``) to
    their end or ``as_of``. Those whose lame-duck status is unknown are left out. The rate
    ratio assumes constant hazards within each group; the log-rank test does not. Both treat
    instruments as independent, though those of one relationship or one signer are not.

    Examples
    --------
    >>> import continuity as ct
    >>> s = ct.metrics.lame_duck_survival(ct.datasets.load_solo(), focal="Surakarta",
    ...                                   event="dormant", horizon=1095)
    >>> s[["lame_duck", "estimate", "n", "n_events", "person_days"]]
       lame_duck  estimate  n  n_events  person_days
    0       True       0.0  2         2         1740
    1      False       0.0  2         2         1736
    """
    from continuity.episodes import audit_episodes
    from continuity.rates import rate_ratio
    from continuity.survival import logrank

    where = "lame_duck_survival"
    _views.check_study(study, where)
    window = check_days(window, "window", where, minimum=1)
    focal = _views.check_focal(study, focal, where)
    event = check_literal(event, Event, "event", where)
    dormancy = check_days(dormancy, "dormancy", where, minimum=1)
    horizons = check_thresholds(horizon, "horizon", where)
    conf_level = check_conf_level(conf_level, where)
    d = lame_duck_signings(study, window=window, focal=focal)
    flag = d["lame_duck"]
    g = pd.DataFrame({"agreement_id": d["agreement_id"].to_numpy(),
                      "_yes": flag.fillna(False).to_numpy(dtype=bool),
                      "_no": (flag == False).fillna(False).to_numpy(dtype=bool)})  # noqa: E712
    g = g.groupby("agreement_id", sort=False).agg(any_yes=("_yes", "any"),
                                                  all_no=("_no", "all"))
    group = pd.Series(pd.NA, index=g.index, dtype="boolean")
    group[g["any_yes"].to_numpy()] = True
    group[g["all_no"].to_numpy() & ~g["any_yes"].to_numpy()] = False
    units = audit_episodes(study, level="instrument", event=event, dormancy=dormancy)
    units = units[units["status"] == "included"].copy()
    units["agreement_id"] = units["agreement_id"].astype(str).astype(object)
    units["lame_duck"] = units["agreement_id"].map(group)
    units = units[units["lame_duck"].notna()]
    rows = pd.DataFrame({"lame_duck": units["lame_duck"].astype(bool).to_numpy(),
                         "t_stop": (units["t_stop"] - units["t_start"]).to_numpy(np.int64),
                         "event": units["event"].to_numpy(np.int8)})
    cols = ["lame_duck", "horizon", "estimate", "conf_low", "conf_high", "n", "n_at_risk",
            "n_events", "events_total", "person_days", "rate", "rate_ratio", "rate_ratio_low",
            "rate_ratio_high", "rate_ratio_p_value", "logrank_statistic", "logrank_p_value"]
    if rows.empty:
        return pd.DataFrame({col: pd.Series([], dtype=object) for col in cols})
    res = _summaries.km_at(rows, horizons, "lame_duck", conf_level)
    tot = rows.groupby("lame_duck").agg(events_total=("event", "sum"),
                                        person_days=("t_stop", "sum"))
    res = res.join(tot, on="lame_duck")
    res["events_total"] = res["events_total"].astype("int64")
    res["person_days"] = res["person_days"].astype("int64")
    res["rate"] = res["events_total"] / res["person_days"] * 365.25
    rr = dict.fromkeys(("estimate", "conf_low", "conf_high", "p_value"), np.nan)
    lr = {"statistic": np.nan, "p_value": np.nan}
    if len(tot) == 2 and tot["events_total"].sum() > 0:
        r = rate_ratio(int(tot.loc[True, "events_total"]), float(tot.loc[True, "person_days"]),
                       int(tot.loc[False, "events_total"]),
                       float(tot.loc[False, "person_days"]), conf_level=conf_level)
        rr = r.iloc[0].to_dict()
        test = logrank(rows, by="lame_duck", start=None)
        lr = test.iloc[0].to_dict()
    res["rate_ratio"] = float(rr["estimate"])
    res["rate_ratio_low"] = float(rr["conf_low"])
    res["rate_ratio_high"] = float(rr["conf_high"])
    res["rate_ratio_p_value"] = float(rr["p_value"])
    res["logrank_statistic"] = float(lr["statistic"])
    res["logrank_p_value"] = float(lr["p_value"])
    res = res.sort_values(["lame_duck", "horizon"], ascending=[False, True], kind="stable")
    return res[cols].reset_index(drop=True)
