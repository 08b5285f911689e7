"""Studies with known ground truth: leadership terms, instruments and their ends, simulated.

:func:`simulate_study` draws a whole :class:`~continuity.study.Study` from a stated model, so that
an estimator can be checked against the truth it should recover (the transition hazard ratio
above all). Everything is drawn from one seeded :func:`numpy.random.default_rng` and vectorised
across jurisdictions and instruments: there is no Python loop per term, instrument or activity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from continuity._days import KeyCodec, expand, to_ns
from continuity._options import check_days, check_number, check_seed, check_whole
from continuity.dates import FIRST_DAY, LAST_DAY
from continuity.errors import OptionError
from continuity.schema import OBJECTIVES
from continuity.study import Study

__all__ = ["simulate_study"]

_DAYS_PER_YEAR = 365.25
_OFFICE = "head"
#: Term lengths are gamma with this shape around ``term_years`` (coefficient of variation 0.2),
#: clipped to [0.5, 1.5] times the mean so that the number of terms is bounded.
_TERM_SHAPE = 25.0
#: Caretaker spells last a whole number of days drawn uniformly from this range.
_CARETAKER_DAYS = (30, 365)
#: Median lifetime used when neither ``baseline_hazard`` nor ``median_lifetime`` is given.
_DEFAULT_MEDIAN_DAYS = 2922  # 8 years


_WHERE = "simulate_study"


def _fail(message: str) -> OptionError:
    return OptionError(f"{_WHERE}: {message}")


def _share(name: str, value: object) -> float:
    """A probability: a number from 0 to 1."""
    share = check_number(value, name, _WHERE, minimum=0)
    if share > 1:
        raise OptionError(f"{_WHERE}: {name} must be a number from 0 to 1, not {value!r}")
    return share


def _rate(name: str, value: object) -> float:
    """A finite number above 0."""
    return check_number(value, name, _WHERE, minimum=0, exclusive=True)


def _day(name: str, value) -> int:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts) or ts != ts.normalize():
        raise _fail(f"{name} must be a day (e.g. '2000-01-01'), not {value!r}")
    day = np.datetime64(ts.date(), "D")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(f"{name} {value!r} is outside the dates continuity can hold "
                    f"({FIRST_DAY} to {LAST_DAY})")
    return int(day.astype(np.int64))


def _period(start, as_of, term_years: float) -> tuple[int, int]:
    """Day numbers of ``start`` and ``as_of``, with room for the first terms before ``start``."""
    lo, hi = _day("start", start), _day("as_of", as_of)
    if hi <= lo:
        raise _fail(f"as_of ({as_of}) must come after start ({start})")
    # the first term of office began up to 1.5 x term_years before start (_draw_terms)
    earliest = FIRST_DAY + int(np.ceil(1.5 * term_years * _DAYS_PER_YEAR))
    if lo < earliest.astype(np.int64):
        raise _fail(f"start {start!r} leaves no room for the terms of office that began before "
                    f"it (up to 1.5 x term_years); give a start on or after {earliest}")
    return lo, hi


def _baseline(baseline_hazard, median_lifetime, baseline_cuts) -> tuple[np.ndarray, np.ndarray]:
    """The baseline rates per day and the cuts (days since signing) between them."""
    if baseline_cuts is None:
        cuts = np.empty(0, dtype=np.int64)
    else:
        if isinstance(baseline_cuts, (str, bytes)) or np.ndim(baseline_cuts) != 1:
            raise _fail(f"baseline_cuts must be a sequence of whole numbers of days, "
                        f"not {baseline_cuts!r}")
        cuts = np.array([check_days(c, "each baseline cut", _WHERE, minimum=1)
                         for c in baseline_cuts], dtype=np.int64)
        if np.any(np.diff(cuts) <= 0):
            raise _fail(f"baseline_cuts must increase strictly, not {cuts.tolist()}")
    if baseline_hazard is not None and median_lifetime is not None:
        raise _fail("give baseline_hazard (per day) or median_lifetime (days), not both")
    if baseline_hazard is None:
        median = _DEFAULT_MEDIAN_DAYS if median_lifetime is None else median_lifetime
        median = _rate("median_lifetime", median)
        if len(cuts):
            raise _fail("median_lifetime sets a constant baseline; with baseline_cuts give "
                        "baseline_hazard, one rate per day for each piece")
        return np.array([np.log(2.0) / median]), cuts
    rates = np.atleast_1d(np.asarray(baseline_hazard, dtype=object))
    if rates.ndim != 1 or len(rates) != len(cuts) + 1:
        raise _fail(f"baseline_hazard must hold {len(cuts) + 1} rate(s) per day, one for each "
                    f"piece between baseline_cuts {cuts.tolist()}, not {baseline_hazard!r}")
    return np.array([_rate("baseline_hazard", r) for r in rates]), cuts


def _draw_terms(rng, n_j, lo, hi, term_years, caretaker_share, reelection_share):
    """Terms of every jurisdiction's leadership office, contiguous and covering [lo, hi).

    Returns the terms table and the leader changes as (jurisdiction code, day) pairs sorted by
    jurisdiction and day.
    """
    mean = term_years * _DAYS_PER_YEAR
    shortest = max(0.5 * mean, 1.0)
    # enough regular terms to reach ``hi`` whatever the draws (each lasts at least ``shortest``)
    m = int(np.ceil((hi - lo + 1.5 * mean) / shortest)) + 1
    regular = rng.gamma(_TERM_SHAPE, mean / _TERM_SHAPE, size=(n_j, m))
    regular = np.maximum(np.rint(np.clip(regular, shortest, 1.5 * mean)), 1).astype(np.int64)
    has_caretaker = rng.random((n_j, m)) < caretaker_share
    caretaker = rng.integers(_CARETAKER_DAYS[0], _CARETAKER_DAYS[1] + 1, size=(n_j, m))
    caretaker = np.where(has_caretaker, caretaker, 0)
    reelected = rng.random((n_j, m)) < reelection_share
    reelected[:, 0] = False
    # the first term began before ``lo``: a uniform share of it has already run
    first = lo - np.floor(rng.random(n_j) * regular[:, 0]).astype(np.int64)

    # spells: regular term k (column 2k) then its caretaker spell (column 2k + 1, may be empty)
    length = np.empty((n_j, 2 * m), dtype=np.int64)
    length[:, 0::2], length[:, 1::2] = regular, caretaker
    start = first[:, None] + np.cumsum(length, axis=1) - length
    is_care = np.zeros((n_j, 2 * m), dtype=bool)
    is_care[:, 1::2] = True
    holder_no = np.zeros((n_j, 2 * m), dtype=np.int64)
    holder_no[:, 0::2] = np.cumsum(~reelected, axis=1)  # reelected: the previous holder again
    holder_no[:, 1::2] = np.cumsum(has_caretaker, axis=1)
    keep = (length > 0) & (start < hi)

    jj, kk = np.nonzero(keep)  # row-major: by jurisdiction, then in time order
    t_start = start[jj, kk]
    t_end = t_start + length[jj, kk]
    last = np.ones(len(jj), dtype=bool)
    last[:-1] = jj[1:] != jj[:-1]
    care = is_care[jj, kk]
    # a leader change: the holder differs from the previous spell's (same jurisdiction)
    code = np.where(care, -holder_no[jj, kk], holder_no[jj, kk])
    change = np.zeros(len(jj), dtype=bool)
    change[1:] = (jj[1:] == jj[:-1]) & (code[1:] != code[:-1])

    width = len(str(n_j))
    jnames = np.array([f"J{i:0{width}d}" for i in range(1, n_j + 1)], dtype=object)
    jn = jnames[jj]
    holder = (pd.Series(jn) + np.where(care, "-caretaker-", "-leader-")
              + pd.Series(holder_no[jj, kk]).astype(str)).to_numpy(dtype=object)
    end = to_ns(t_end).astype("datetime64[ns]")
    end[last] = np.datetime64("NaT")
    terms = pd.DataFrame({
        "term_id": np.arange(1, len(jj) + 1),
        "jurisdiction": jn,
        "office": _OFFICE,
        "holder": holder,
        "start": to_ns(t_start),
        "end": end,
        "kind": np.where(care, "caretaker", "elected").astype(object),
    })
    return terms, jnames, jj[change], t_start[change]


def _end_times(rng, entry, parties, cj, cday, hi, window, hazard_ratio, rates, cuts):
    """Exact draws of each instrument's end under the piecewise-constant hazard.

    Returns the continuous end time (day number, float) and whether it falls before ``hi``.
    """
    n = len(entry)
    codec = KeyCodec(int(max(cj.max(initial=0), parties.max(initial=0))) + 1)
    ckey = codec.pack(cj, cday)
    # leader changes of each party strictly after the instrument's entry and before ``hi``
    p_inst = np.repeat(np.arange(n), parties.shape[1])
    p_j = parties.ravel()
    lo_i = np.searchsorted(ckey, codec.pack(p_j, entry[p_inst]), side="right")
    hi_i = np.searchsorted(ckey, codec.pack(p_j, hi), side="left")
    k = np.maximum(hi_i - lo_i, 0)
    idx = expand(lo_i, k)
    c_inst = np.repeat(p_inst, k)
    c_day = cday[idx]
    # breakpoints: entry (delta 0), each change (+1 open window), its window's end (-1), cuts
    cut_day = (entry[:, None] + cuts[None, :]).ravel()
    cut_inst = np.repeat(np.arange(n), len(cuts))
    inst = np.concatenate([np.arange(n), c_inst, c_inst, cut_inst])
    day = np.concatenate([entry, c_day, c_day + window, cut_day])
    delta = np.concatenate([np.zeros(n, np.int64), np.ones(len(c_day), np.int64),
                            -np.ones(len(c_day), np.int64), np.zeros(len(cut_day), np.int64)])
    # one int64 key orders (instrument, day): days lie within 2**40 of the earliest entry
    key = (inst << 40) + (day - entry.min())
    order = np.argsort(key, kind="stable")
    inst, day, delta = inst[order], day[order], delta[order]
    first = np.ones(len(inst), dtype=bool)
    first[1:] = inst[1:] != inst[:-1]
    head = np.flatnonzero(first)  # entry is each instrument's first breakpoint (changes > entry)
    size = np.diff(np.r_[head, len(inst)])
    # open windows in force from each breakpoint on (deltas of one day all applied at its last)
    active = np.cumsum(delta)
    nxt = np.empty_like(day)
    nxt[:-1] = day[1:]
    nxt[np.r_[head[1:] - 1, len(inst) - 1]] = hi  # each instrument's last piece runs to ``hi``
    seg_lo = np.minimum(day, hi)
    length = np.maximum(np.minimum(nxt, hi) - seg_lo, 0).astype(float)
    rate = rates[np.searchsorted(cuts, day - entry[inst], side="right")]
    rate = rate * np.where(active > 0, hazard_ratio, 1.0)
    cum = np.cumsum(rate * length)
    base = np.repeat(np.r_[0.0, cum[head[1:] - 1]], size)
    cum_end = cum - base  # cumulative hazard from entry to each piece's end
    e = rng.exponential(size=n)
    below = cum_end < e[inst]
    kth = np.bincount(inst, weights=below, minlength=n).astype(np.int64)
    ended = kth < size
    t = np.full(n, np.nan)
    row = head[ended] + kth[ended]
    before = cum_end[row] - rate[row] * length[row]
    t[ended] = seg_lo[row] + (e[ended] - before) / rate[row]
    return t, ended


def _activities(rng, ids, entry, stop, rate, exposed=None, ratio=1.0):
    """Poisson activity from each instrument's entry to its stop (exclusive), at ``rate`` a day.

    With ``exposed(inst, day) -> bool`` and ``ratio`` other than 1, the rate is multiplied by
    ``ratio`` on exposed days: activities are drawn at the higher of the two rates and each is
    kept with probability (its rate) / (the higher rate) (thinning; Lewis and Shedler, Naval
    Research Logistics Quarterly 26, 1979).
    """
    top = rate * max(1.0, ratio)
    span = (stop - entry).astype(float)
    count = rng.poisson(top * span)
    inst = np.repeat(np.arange(len(ids)), count)
    date = entry[inst] + np.floor(rng.random(len(inst)) * span[inst]).astype(np.int64)
    if exposed is not None and ratio != 1.0:
        keep_p = np.where(exposed(inst, date), rate * ratio, rate) / top
        keep = rng.random(len(inst)) < keep_p
        inst, date = inst[keep], date[keep]
    order = np.lexsort((date, inst))
    return pd.DataFrame({"agreement_id": ids[inst[order]], "date": to_ns(date[order]),
                         "kind": "activity"})


#: Sectors drawn for simulated activities.
_SECTORS = ("tourism", "culture", "education", "economy", "health")


def _describe(rng, acts: pd.DataFrame, ids, parties, jnames) -> pd.DataFrame:
    """Goal and sector of each activity (uniform) and its host (either party, equally likely)."""
    n = len(acts)
    inst = pd.Index(ids).get_indexer(acts["agreement_id"])
    return acts.assign(
        objective=np.asarray(OBJECTIVES, dtype=object)[rng.integers(0, len(OBJECTIVES), n)],
        sector=np.asarray(_SECTORS, dtype=object)[rng.integers(0, len(_SECTORS), n)],
        side=jnames[parties[inst, rng.integers(0, 2, n)]])


def _exposure_test(entry, parties, cj, cday, window):
    """``exposed(inst, day)``: a leader change of a party of ``inst`` strictly after its entry
    and at most ``window - 1`` days before ``day`` (the day is in ``[c, c + window)``)."""
    codec = KeyCodec(int(parties.max()) + 1 if parties.size else 1)
    ckey = codec.pack(cj, cday)

    def exposed(inst, day):
        out = np.zeros(len(inst), dtype=bool)
        for side in range(parties.shape[1]):
            j = parties[inst, side]
            k = np.searchsorted(ckey, codec.pack(j, day), side="right") - 1
            kk = np.maximum(k, 0)
            c = cday[kk] if len(cday) else np.zeros(len(kk), dtype=np.int64)
            hit = (k >= 0) & (cj[kk] == j) & (c > entry[inst]) & (day < c + window) \
                if len(cday) else out
            out |= hit
        return out

    return exposed




def _targets(rng, ids, entry, stop, attainment, realisation):
    """Targets and budgets per instrument and calendar year of its life, with known truth.

    Each instrument-year (the part of a calendar year in ``[entry, stop)``) has an
    ``"outputs"`` target of :math:`1 + \\text{Poisson}(4)` with an actual drawn
    :math:`\\text{Binomial}(\\text{target}, \\text{attainment})`, and a ``"budget"`` row
    whose target (planned, in rupiah) is log-normal and whose actual (realised) is the planned
    amount times a :math:`\\text{Beta}(20r, 20(1 - r))` share with mean :math:`r` =
    ``realisation``. Objectives are drawn uniformly from :data:`continuity.schema.OBJECTIVES`.
    """
    year0 = (to_ns(entry).astype("datetime64[Y]").astype(np.int64))
    year1 = (to_ns(stop - 1).astype("datetime64[Y]").astype(np.int64))
    n_years = year1 - year0 + 1
    inst = np.repeat(np.arange(len(ids)), n_years)
    year = expand(year0, n_years)
    jan1 = np.datetime64("1970-01-01", "D").astype(np.int64)  # day 0
    y_start = (year.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - jan1)
    y_stop = ((year + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
              - jan1)
    p_start = np.maximum(y_start, entry[inst])
    p_stop = np.minimum(y_stop, stop[inst])
    keep = p_stop > p_start
    inst, p_start, p_stop = inst[keep], p_start[keep], p_stop[keep]
    rows = []
    m = len(inst)
    objective = np.asarray(OBJECTIVES, dtype=object)[rng.integers(0, len(OBJECTIVES), size=m)]
    if attainment is not None:
        target = 1 + rng.poisson(4.0, size=m)
        rows.append(pd.DataFrame({"agreement_id": ids[inst], "indicator": "outputs",
                                  "period_start": to_ns(p_start), "period_end": to_ns(p_stop),
                                  "target": target.astype(float),
                                  "actual": rng.binomial(target, attainment).astype(float),
                                  "objective": objective}))
    if realisation is not None:
        planned = np.round(np.exp(rng.normal(np.log(5e7), 0.5, size=m)), -3)
        share = rng.beta(20 * realisation, 20 * (1 - realisation), size=m) \
            if realisation < 1 else np.ones(m)
        rows.append(pd.DataFrame({"agreement_id": ids[inst], "indicator": "budget",
                                  "period_start": to_ns(p_start), "period_end": to_ns(p_stop),
                                  "target": planned, "actual": np.round(planned * share, -3),
                                  "objective": objective}))
    return pd.concat(rows, ignore_index=True)


def simulate_study(
    n_instruments: int = 500,
    n_jurisdictions: int = 20,
    *,
    term_years: float = 4.0,
    caretaker_share: float = 0.1,
    reelection_share: float = 0.3,
    baseline_hazard=None,
    median_lifetime: float | None = None,
    baseline_cuts=None,
    hazard_ratio: float = 1.0,
    window: int = 365,
    start="2000-01-01",
    as_of="2019-12-31",
    activity_rate: float | None = None,
    activity_ratio: float = 1.0,
    target_attainment: float | None = None,
    budget_realisation: float | None = None,
    formal_end_share: float = 1.0,
    seed=None,
) -> Study:
    r"""A study drawn from a known model of leadership turnover and instrument survival.

    Parameters
    ----------
    n_instruments : int, default 500
        Instruments (agreements), each between two distinct jurisdictions.
    n_jurisdictions : int, default 20
        Jurisdictions, at least 2, named ``J01``, ``J02``, ... (zero-padded).
    term_years : float, default 4.0
        Mean length of a regular term of office, in years.
    caretaker_share : float, default 0.1
        Probability that a regular term is followed by a caretaker spell before the next one.
    reelection_share : float, default 0.3
        Probability that a regular term is held by the holder of the previous regular term (a
        transition that is not a leader change unless a caretaker spell came in between).
    baseline_hazard : float or sequence of float, optional
        Hazard of ending per day without a recent leader change: one rate, or one rate for each
        piece between ``baseline_cuts``. Give this or ``median_lifetime``.
    median_lifetime : float, optional
        Median lifetime in days of an instrument never exposed to a leader change; sets a
        constant ``baseline_hazard = log(2) / median_lifetime``. Default when neither is given:
        2922 days (8 years).
    baseline_cuts : sequence of int, optional
        Days since signing at which the baseline hazard steps to its next rate.
    hazard_ratio : float, default 1.0
        The multiplicative effect on the hazard of ending in the ``window`` days after a leader
        change at any party (1: no effect).
    window : int, default 365
        Days after a leader change during which the hazard is multiplied by ``hazard_ratio``.
    start, as_of : date-like, default "2000-01-01", "2019-12-31"
        The period: instruments are signed on days drawn uniformly from ``[start, as_of)``;
        the study is censored at ``as_of``. Both lie within :data:`continuity.dates.FIRST_DAY`
        .. :data:`~continuity.dates.LAST_DAY`, ``start`` at least 1.5 x ``term_years`` after
        the first (the first terms of office began before it).
    activity_rate : float, optional
        When given, each instrument has activities (table ``activities``, ``kind`` "activity")
        as a Poisson process at this rate per day from signing until its end (its de facto
        end) or ``as_of``.
    activity_ratio : float, default 1.0
        With ``activity_rate``: the activity rate is multiplied by this in the ``window`` days
        after a leader change at either party (strictly after signing): below 1, the known drop
        in activity after a change that :func:`continuity.metrics.activity_change` should
        recover.
    target_attainment : float, optional
        When given (in [0, 1]), a ``targets`` table: per instrument and calendar year of its
        life, an ``"outputs"`` target whose actual is binomial with this probability, so that
        the expected attainment (actual / target) is this number.
    budget_realisation : float, optional
        When given (in (0, 1]), a ``"budget"`` row per instrument-year in ``targets``: planned
        amount (``target``) and realised amount (``actual``), with expected realised share this
        number.
    formal_end_share : float, default 1.0
        Probability that an instrument's end is recorded as a formal end (``ended``); the others
        stop without one and stay formally open (paper partnerships, seen only through their
        activities). The draw is independent of everything else, but an instrument that
        stopped unrecorded stays at risk of a formal end it will never have, so below 1 a Cox
        model of the formal end estimates an effect diluted towards no effect, not
        ``hazard_ratio``.
    seed : int, numpy.random.Generator or None
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same study.

    Returns
    -------
    Study
        With ``as_of`` as given and ``offices`` ``"head"``. Its tables:

        ``terms``
            ``term_id, jurisdiction, office ("head"), holder, start, end, kind`` ("elected" or
            "caretaker"). Terms of one jurisdiction touch, cover ``[start, as_of]``, and the
            last is open (``end`` empty).
        ``agreements``
            ``agreement_id`` (``A0001``, ...), ``signed`` (entry), ``instrument`` ("mou"),
            ``ended`` (the day after the end, so that the last day at risk is the day it ended;
            empty when censored at ``as_of`` or not recorded), ``end_reason`` ("terminated" or
            empty), ``true_end`` (the simulated end as a date, recorded or not, for checks;
            empty when censored).
        ``parties``
            ``agreement_id, jurisdiction``: two rows per instrument.
        ``activities``
            with ``activity_rate``: ``agreement_id, date, kind`` ("activity"), ``objective``
            (one of the four goals) and ``sector`` (tourism, culture, education, economy,
            health), each uniform, and ``side`` (the hosting party: either, equally likely).
        ``targets``
            with ``target_attainment`` or ``budget_realisation``: ``agreement_id, indicator
            ("outputs" or "budget"), period_start, period_end, target, actual, objective``,
            one row per indicator and instrument-year (the part of a calendar year in the
            instrument's life, ``[period_start, period_end)``).

    Raises
    ------
    OptionError
        An option is out of range; the message says which and what is allowed.
    ContinuityTypeError
        ``seed`` is not a seed.

    Notes
    -----
    **Leadership.** Each jurisdiction has one office, ``"head"``. Its regular terms last
    :math:`\text{Gamma}(25, \mu/25)` days with mean :math:`\mu` = ``term_years`` x 365.25 days
    (coefficient of variation 0.2), clipped to :math:`[\mu/2, 3\mu/2]` and rounded to days; each
    is followed with probability ``caretaker_share`` by a caretaker spell of 30 to 365 days
    (uniform), and held with probability ``reelection_share`` by the previous regular holder.
    The first term began before ``start`` (a uniform share of it has already run). A *leader
    change* of jurisdiction :math:`j` is a day :math:`c` on which a term starts whose holder
    differs from the previous term's, as :func:`continuity.compute_transitions`
    defines it.

    **Instruments.** Instrument :math:`i` joins two distinct jurisdictions drawn uniformly and is
    signed on a day :math:`s_i` uniform in ``[start, as_of)``. With :math:`C_i` the leader changes
    of either party strictly after :math:`s_i` (as :func:`continuity.split_episodes`
    counts them), its hazard of ending at time :math:`u` (days, continuous) is

    .. math::

        h_i(u) = h_0(u - s_i)\, \theta^{x_i(u)}, \qquad
        x_i(u) = \mathbf{1}\{\exists\, c \in C_i : c \le u < c + w\},

    with :math:`h_0` the piecewise-constant baseline (``baseline_hazard`` between
    ``baseline_cuts``), :math:`\theta` = ``hazard_ratio`` and :math:`w` = ``window``. The
    hazard is constant between breakpoints (signing, each :math:`c` and :math:`c + w`, each
    cut), so the end time is drawn exactly by inversion: with :math:`E_i \sim \text{Exp}(1)`,
    it is the :math:`u` at which the cumulative hazard :math:`H_i(u) = \int_{s_i}^u h_i` reaches
    :math:`E_i`, found piece by piece for all instruments at once (the piecewise exponential
    model; Bender, Augustin and Blettner, "Generating survival times to simulate Cox
    proportional hazards models", Statistics in Medicine 24, 2005). If :math:`H_i(\text{as\_of})
    < E_i` the instrument is censored at ``as_of``. An end during day :math:`d` gives ``ended``
    = :math:`d + 1`, so the at-risk interval ``[signed, ended)`` includes that day and the
    exposure of the episode ending there is the exposure under which it ended. ``post_change``
    of ``study.episodes(window=w)`` is exactly :math:`x_i`, and the log hazard ratio of a Cox
    model of it estimates :math:`\log\theta` (with ``formal_end_share=1``).

    **Activities.** With ``activity_rate`` :math:`\lambda`, instrument :math:`i` has
    :math:`N_i \sim \text{Poisson}(\lambda (e_i - s_i))` activities on days drawn uniformly from
    ``[signed, e_i)``, where :math:`e_i` is ``ended`` (recorded or not) or ``as_of``. A dormancy
    end (``event="dormant"``) comes ``dormancy`` days after the last of them, so its timing
    relative to leader changes is not :math:`x_i`. With ``activity_ratio`` :math:`\kappa`, the
    activity rate on day :math:`u` is :math:`\lambda \kappa^{x_i(u)}` (the same :math:`x_i` and
    ``window`` as the hazard), drawn by thinning.

    **Targets and budgets.** No public record holds them for a real city; the ones drawn here
    have a known truth: :math:`E[\text{actual}/\text{target}]` is ``target_attainment`` for
    the outputs and ``budget_realisation`` for the budgets. Objectives are drawn uniformly from
    the four goals (welfare, public_services, human_resources, international_relations).

    Examples
    --------
    >>> import numpy as np
    >>> import continuity as ct
    >>> from continuity.simulate import simulate_study
    >>> study = simulate_study(400, 10, hazard_ratio=2.0, seed=1)
    >>> study.summary()
            table  rows  fuzzy_dates
    0       terms    65            0
    1  agreements   400            0
    2     parties   800            0
    >>> ep = study.episodes(window=365)
    >>> fit = ct.cox(ep, ["post_change"], cluster="agreement_id")
    >>> round(float(fit.coef["post_change"]), 2), round(float(np.log(2.0)), 2)
    (0.44, 0.69)

    The estimate is one draw; ``validation/recover_transition_hazard.py`` (in the
    repository) checks over many that its confidence interval covers ``log(hazard_ratio)``
    95% of the time.
    """
    n_instruments = check_whole(n_instruments, "n_instruments", _WHERE, minimum=1)
    n_jurisdictions = check_whole(n_jurisdictions, "n_jurisdictions", _WHERE, minimum=2)
    term_years = _rate("term_years", term_years)
    caretaker_share = _share("caretaker_share", caretaker_share)
    reelection_share = _share("reelection_share", reelection_share)
    rates, cuts = _baseline(baseline_hazard, median_lifetime, baseline_cuts)
    hazard_ratio = _rate("hazard_ratio", hazard_ratio)
    window = check_days(window, "window", _WHERE, minimum=1)
    if activity_rate is not None:
        activity_rate = check_number(activity_rate, "activity_rate", _WHERE, minimum=0)
    activity_ratio = _rate("activity_ratio", activity_ratio)
    if target_attainment is not None:
        target_attainment = _share("target_attainment", target_attainment)
    if budget_realisation is not None:
        budget_realisation = _rate("budget_realisation", budget_realisation)
        if budget_realisation > 1:
            raise _fail(f"budget_realisation must be above 0 and at most 1, not "
                        f"{budget_realisation!r}")
    formal_end_share = _share("formal_end_share", formal_end_share)
    lo, hi = _period(start, as_of, term_years)
    seed = check_seed(seed, _WHERE)
    rng = np.random.default_rng(seed)

    terms, jnames, cj, cday = _draw_terms(rng, n_jurisdictions, lo, hi, term_years,
                                          caretaker_share, reelection_share)
    a = rng.integers(0, n_jurisdictions, size=n_instruments)
    b = (a + rng.integers(1, n_jurisdictions, size=n_instruments)) % n_jurisdictions
    parties = np.sort(np.column_stack([a, b]), axis=1)
    entry = lo + rng.integers(0, hi - lo, size=n_instruments)
    t, ended = _end_times(rng, entry, parties, cj.astype(np.int64), cday, hi, window,
                          hazard_ratio, rates, cuts)
    end_day = np.full(n_instruments, hi, dtype=np.int64)
    end_day[ended] = np.minimum(np.floor(t[ended]).astype(np.int64) + 1, hi)
    recorded = ended & (rng.random(n_instruments) < formal_end_share)

    width = len(str(n_instruments))
    ids = np.array([f"A{i:0{max(width, 4)}d}" for i in range(1, n_instruments + 1)],
                   dtype=object)
    nat = np.datetime64("NaT", "ns")
    agreements = pd.DataFrame({
        "agreement_id": ids,
        "signed": to_ns(entry),
        "instrument": "mou",
        "ended": np.where(recorded, to_ns(end_day), nat),
        "end_reason": pd.Series(np.where(recorded, "terminated", None),  # type: ignore[call-overload]
                                dtype=object),
        "true_end": np.where(ended, to_ns(end_day - 1), nat),
    })
    party_table = pd.DataFrame({"agreement_id": np.repeat(ids, 2),
                                "jurisdiction": jnames[parties.ravel()]})
    activities = None
    if activity_rate is not None:
        exposed = _exposure_test(entry, parties, cj.astype(np.int64), cday, window)
        activities = _activities(rng, ids, entry, end_day, activity_rate, exposed,
                                 activity_ratio)
        activities = _describe(rng, activities, ids, parties, jnames)
    targets = None
    if target_attainment is not None or budget_realisation is not None:
        targets = _targets(rng, ids, entry, end_day, target_attainment, budget_realisation)
    return Study(terms, agreements, party_table, activities, targets, as_of=to_ns([hi])[0],
                 offices=_OFFICE)
