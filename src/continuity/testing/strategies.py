"""Hypothesis strategies that generate valid studies, for property-based tests.

Every strategy builds valid data by construction (nothing is generated and then rejected), so
examples are fast and shrink well: dates are sorted day offsets from 1 January 2000, and every
choice shrinks towards the simplest case (touching terms, a new holder at every term, open
terms, no fuzzy dates, one instrument per relationship). Dates lie between 2000 and 2030;
jurisdictions are a handful of real city names.

This module imports Hypothesis; ``import continuity`` does not.

Examples
--------
The strategies are meant for ``@given``; a test of one's own metric reads:

.. code-block:: python

    from hypothesis import given
    from continuity.testing import strategies as cst

    @given(cst.studies(max_agreements=3, fuzzy_dates=True))
    def test_my_metric_is_never_negative(study):
        assert (my_metric(study)["value"] >= 0).all()
"""

from __future__ import annotations

import calendar
import datetime as dt
import warnings
from collections.abc import Mapping, Sequence

import pandas as pd
from hypothesis import strategies as st

from continuity._options import check_whole
from continuity.errors import ActivityOutsideLifeWarning, ContinuityTypeError, OptionError
from continuity.study import Study

__all__ = [
    "JURISDICTIONS",
    "agreements",
    "studies",
    "study_tables",
    "terms",
]

#: Jurisdiction names the strategies draw from (a handful, with an apostrophe among them).
JURISDICTIONS = ("Surakarta", "Xi'an", "Zhuhai", "Bandung", "Semarang", "Chengdu")

_OFFICES = ("mayor", "party_secretary", "regent", "governor")
_EXTRA_OFFICE = "deputy_mayor"
_HOLDERS = ("Ani", "Budi", "Citra", "Dewi", "Eko", "Fang", "Gao", "Hui", "Indah", "Joko",
            "Kurnia", "Li", "Ming", "Nur", "Oka", "Ping")
_PARTIES = (None, "PDIP", "Golkar", "Gerindra", "CPC")
_KINDS = (None, "elected", "caretaker", "acting", "appointed")
_BASE = dt.date(2000, 1, 1)
_LAST = (dt.date(2029, 12, 31) - _BASE).days  # the last day an event may fall on
_AS_OF_LAST = (dt.date(2030, 12, 31) - _BASE).days
_PRECISIONS = ("day", "month", "year")


# --- dates ------------------------------------------------------------------------------------
def _day(offset: int) -> dt.date:
    return _BASE + dt.timedelta(days=int(offset))


def _period(offset: int, precision: str) -> tuple[int, int]:
    """First and last day (offsets) of the period of ``precision`` holding ``offset``."""
    d = _day(offset)
    if precision == "day":
        return offset, offset
    if precision == "month":
        lo = d.replace(day=1)
        hi = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    else:
        lo, hi = dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    return (lo - _BASE).days, (hi - _BASE).days


def _text(offset: int, precision: str, written_as_day: bool = False) -> str:
    d = _day(offset)
    if precision == "day" or written_as_day:
        return d.isoformat()
    return d.strftime("%Y-%m") if precision == "month" else f"{d.year:04d}"


def _fuzz(draw, values: Sequence[int | None], fuzzy: bool, strict: bool) -> list[tuple]:
    """Choose a precision for each date of one constraint group.

    A date is made fuzzy only when its period holds no other date of the group that it must not
    cross (a different date; with ``strict``, any other date), so that the study stays valid
    whatever rule resolves it. Otherwise it falls back to a finer precision (no rejection).

    Returns a list of ``(offset, precision)`` (``(None, None)`` for a missing date).
    """
    out: list[tuple[int | None, str | None]] = []
    for i, v in enumerate(values):
        if v is None:
            out.append((None, None))
            continue
        wanted = draw(st.sampled_from(_PRECISIONS)) if fuzzy else "day"
        chosen = "day"
        for p in _PRECISIONS[_PRECISIONS.index(wanted)::-1]:
            if p == "day":
                break
            lo, hi = _period(v, p)
            clash = any(
                w is not None and j != i and lo <= w <= hi and (strict or w != v)
                for j, w in enumerate(values)
            )
            if not clash:
                chosen = p
                break
        out.append((v, chosen))
    return out


def _sorted_offsets(draw, n: int, lo: int, hi: int) -> list[int]:
    return sorted(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n, unique=True)))


# --- terms ------------------------------------------------------------------------------------
def _office_terms(draw, jurisdiction, office, n, fuzzy, ids):
    """Rows of ``n`` consecutive terms of one office (touching or with gaps).

    Now and then a zero-length acting spell ``[s, s)`` is added on the day a term starts.
    """
    starts = _sorted_offsets(draw, n, 0, _LAST - 1)
    ends: list[int | None] = []
    for i, s in enumerate(starts):
        if i + 1 < len(starts):
            nxt = starts[i + 1]
            gap = nxt - s > 1 and draw(st.booleans())
            ends.append(draw(st.integers(s + 1, nxt - 1)) if gap else nxt)
        else:
            ends.append(draw(st.integers(s + 1, _LAST)) if draw(st.booleans()) else None)
    holders: list[str] = []
    new = 0
    for i in range(n):
        back = draw(st.integers(0, min(i, 2)))  # 0: a new holder; 1: re-elected; 2: returns
        if back == 0:
            holders.append(_HOLDERS[new % len(_HOLDERS)] + ("" if new < len(_HOLDERS)
                                                            else str(new)))
            new += 1
        else:
            holders.append(holders[i - back])
    kinds = [draw(st.sampled_from(_KINDS)) for _ in range(n)]
    if n >= 2 and draw(st.integers(0, 3)) == 3:
        # an acting spell of no length, [s, s), on the day the next holder takes office (as
        # leader lists record an acting head for a few hours)
        k = draw(st.integers(1, n - 1))
        starts.insert(k, starts[k])
        ends.insert(k, starts[k])
        holders.insert(k, "Acting " + holders[k - 1])
        kinds.insert(k, "acting")
    group: list[int | None] = [x for pair in zip(starts, ends, strict=True) for x in pair]
    fuzzed = _fuzz(draw, group, fuzzy, strict=False)
    rows = []
    for i in range(len(starts)):
        (s, ps), (e, pe) = fuzzed[2 * i], fuzzed[2 * i + 1]
        row = {"term_id": next(ids), "jurisdiction": jurisdiction, "office": office,
               "holder": holders[i], "kind": kinds[i],
               "party": draw(st.sampled_from(_PARTIES))}
        for col, v, p in (("start", s, ps), ("end", e, pe)):
            if v is None:
                row[col], row[f"{col}_precision"] = None, None
                continue
            declared = p != "day" and draw(st.booleans())
            row[col] = _text(v, p, written_as_day=declared)
            row[f"{col}_precision"] = p if declared else None
        rows.append(row)
    return rows


def _ids(prefix: str):
    k = 0
    while True:
        k += 1
        yield f"{prefix}{k}"


_TERM_COLUMNS = ["term_id", "jurisdiction", "office", "holder", "start", "end", "kind", "party",
                 "start_precision", "end_precision"]


def _terms_frame(rows: list[dict], fuzzy: bool) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=_TERM_COLUMNS).astype(object)
    df = df.where(df.notna(), None)
    if not fuzzy:
        df = df.drop(columns=["start_precision", "end_precision"])
    return df


def terms(
    jurisdictions: Sequence[str] = JURISDICTIONS[:3],
    *,
    min_size: int = 1,
    max_size: int = 5,
    offices: str | Mapping[str, str] | None = None,
    fuzzy_dates: bool = False,
) -> st.SearchStrategy[pd.DataFrame]:
    """Terms of office of the leadership office of each jurisdiction.

    Parameters
    ----------
    jurisdictions : sequence of str
        The jurisdictions; each gets between ``min_size`` and ``max_size`` terms.
    min_size, max_size : int
        How many terms each jurisdiction has (``1 <= min_size <= max_size``).
    offices : str or mapping, optional
        The office of every jurisdiction, or of each; by default one is drawn per jurisdiction
        (mayor, party_secretary, regent, governor).
    fuzzy_dates : bool, default False
        Write some dates to the month (``"2015-09"``) or year (``"2015"``) only, or as a day
        with a declared coarser ``start_precision``/``end_precision``. A date is made fuzzy only
        where no neighbouring date of the same office falls in its period, so the terms stay
        valid under every resolution rule.

    Returns
    -------
    SearchStrategy of pandas.DataFrame
        The ``terms`` table: ``term_id`` (``T1``, ``T2``, ...), ``jurisdiction, office, holder,
        start, end`` (ISO strings; ``end`` None for an open last term), ``kind`` (None,
        elected, caretaker, acting, appointed), ``party``, and with ``fuzzy_dates``
        ``start_precision, end_precision``. Terms of one office never overlap; consecutive
        terms touch or leave a gap; the same holder is sometimes re-elected or returns; now
        and then an acting spell of no length (``start == end``, kind acting) sits on the day
        the next term starts, as leader lists record a head acting for a few hours. Each
        jurisdiction has ``min_size`` to ``max_size`` terms, plus that spell.

    Examples
    --------
    .. code-block:: python

        @given(cst.terms(["Surakarta", "Zhuhai"], max_size=3))
        def test_terms(terms): ...
    """
    _check_sizes(min_size, max_size, "terms", least=1)
    jurisdictions = _check_jurisdictions(jurisdictions, 1, "terms")
    if offices is not None and not isinstance(offices, (str, Mapping)):
        raise ContinuityTypeError("terms: offices must be one office name or a mapping "
                                  "jurisdiction -> office")
    for j in jurisdictions:
        if isinstance(offices, Mapping) and j not in offices:
            raise OptionError(f"terms: offices names no office for {j!r}; give one office name "
                              "or a mapping with every jurisdiction")

    @st.composite
    def draw_terms(draw):
        ids = _ids("T")
        rows: list[dict] = []
        for j in jurisdictions:
            office = _office_of(draw, j, offices)
            n = draw(st.integers(min_size, max_size))
            rows += _office_terms(draw, j, office, n, fuzzy_dates, ids)
        return _terms_frame(rows, fuzzy_dates)

    return draw_terms()


def _office_of(draw, jurisdiction, offices) -> str:
    if offices is None:
        return draw(st.sampled_from(_OFFICES))
    if isinstance(offices, str):
        return offices
    if isinstance(offices, Mapping) and jurisdiction in offices:
        return offices[jurisdiction]
    raise OptionError(f"terms: offices names no office for {jurisdiction!r}; give one office "
                      "name or a mapping with every jurisdiction")


def _check_sizes(lo, hi, what, least=0) -> None:
    if not isinstance(lo, int) or not isinstance(hi, int) or lo < least or hi < lo:
        raise OptionError(f"{what}: need integers {least} <= min_size <= max_size, got "
                          f"min_size={lo!r}, max_size={hi!r}")


def _check_jurisdictions(jurisdictions, least, where) -> list[str]:
    if isinstance(jurisdictions, str) or not isinstance(jurisdictions, Sequence):
        raise ContinuityTypeError(f"{where}: jurisdictions must be a list of names, e.g. "
                                  "['Surakarta', 'Zhuhai']")
    js = list(dict.fromkeys(jurisdictions))
    if len(js) < least:
        raise OptionError(f"{where}: jurisdictions: need at least {least} distinct names, got "
                          f"{js!r}")
    return js


# --- agreements -------------------------------------------------------------------------------
_NEXT_STAGE = {None: None, "loi": "mou", "mou": "agreement", "agreement": "renewal",
               "renewal": "renewal"}


def _agreement_rows(draw, jurisdictions, n, max_parties, fuzzy, with_activities,
                    outside, with_targets):
    """Rows of agreements (chains of instruments), their parties, activities and targets."""
    agreements, parties, activities, targets = [], [], [], []
    ids = _ids("A")
    rel_ids = _ids("R")
    chain_end = -1
    rel = None
    members: list[str] = []
    stage = None
    prev: dict | None = None
    for i in range(n):
        extend = i > 0 and chain_end < _LAST and draw(st.booleans())
        if extend:
            signed = draw(st.integers(chain_end, min(_LAST, chain_end + 6 * 365)))
            stage = _NEXT_STAGE[stage] if stage is not None else None
            if prev is not None and prev["ended"] is None and draw(st.booleans()):
                prev["ended"], prev["end_reason"] = signed, "replaced"
        else:
            rel = next(rel_ids)
            members = draw(st.lists(st.sampled_from(jurisdictions), min_size=2,
                                    max_size=min(max_parties, len(jurisdictions)), unique=True))
            signed = draw(st.integers(0, _LAST))
            stage = draw(st.sampled_from((None, "loi", "mou", "agreement")))
        effective = (None if not draw(st.booleans())
                     else min(_LAST, signed + draw(st.integers(0, 90))))
        start = signed if effective is None else effective
        expires = (None if not draw(st.booleans())
                   else min(_LAST, start + draw(st.integers(0, 5 * 365))))
        ended, reason = None, None
        if draw(st.booleans()):
            # on or after the entry: an instrument cannot end before it takes effect
            ended = min(_LAST, start + draw(st.integers(0, 8 * 365)))
            reason = draw(st.sampled_from((None, "expired", "terminated", "withdrawn")))
        row = {"agreement_id": next(ids), "relationship_id": rel, "instrument": stage,
               "signed": signed, "effective": effective, "expires": expires, "ended": ended,
               "end_reason": reason, "_members": members}
        agreements.append(row)
        prev = row
        chain_end = start  # a successor signed from here on may end this one ("replaced")
    for row in agreements:
        aid = row["agreement_id"]
        parties += [{"agreement_id": aid, "jurisdiction": j} for j in row.pop("_members")]
        life_end = _LAST + 1 if row["ended"] is None else row["ended"]
        dates: list[int] = []
        if with_activities and life_end > row["signed"]:
            k = draw(st.integers(0, 3))
            dates = [draw(st.integers(row["signed"], min(life_end - 1, _LAST)))
                     for _ in range(k)]
        if outside and draw(st.booleans()):
            before = row["signed"] > 0 and (row["ended"] is None or draw(st.booleans()))
            if before:
                dates.append(draw(st.integers(max(0, row["signed"] - 365), row["signed"] - 1)))
            elif row["ended"] is not None:
                dates.append(draw(st.integers(row["ended"], min(_LAST, row["ended"] + 365))))
        group = [row["signed"], row["effective"], row["expires"], row["ended"], *dates]
        fuzzed = _fuzz(draw, group, fuzzy, strict=True)
        cols = ("signed", "effective", "expires", "ended")
        for col, (v, p) in zip(cols, fuzzed[:4], strict=True):
            row[col] = None if v is None else _text(v, p)
        for v, p in fuzzed[4:]:
            activities.append({"agreement_id": aid, "date": _text(v, p),
                               "kind": draw(st.sampled_from((None, "visit", "training",
                                                             "exchange")))})
        if with_targets and draw(st.booleans()):
            a = draw(st.integers(0, _LAST))
            b = draw(st.integers(a, min(_LAST, a + 365)))
            targets.append({"agreement_id": aid, "indicator": "exchanges",
                            "period_start": _text(a, "day"), "period_end": _text(b, "day"),
                            "target": float(draw(st.integers(0, 10))),
                            "actual": float(draw(st.integers(0, 10)))})
    return agreements, parties, activities, targets


def _frame(rows, columns) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns).astype(object)
    return df.where(df.notna(), None)


_AGREEMENT_COLUMNS = ["agreement_id", "relationship_id", "instrument", "signed", "effective",
                      "expires", "ended", "end_reason"]


def agreements(
    jurisdictions: Sequence[str] = JURISDICTIONS[:3],
    *,
    min_size: int = 1,
    max_size: int = 4,
    max_parties: int = 3,
    fuzzy_dates: bool = False,
    with_activities: bool = False,
) -> st.SearchStrategy[dict[str, pd.DataFrame]]:
    """Instruments between the given jurisdictions, with their parties.

    Parameters
    ----------
    jurisdictions : sequence of str
        The jurisdictions that may be parties (at least two).
    min_size, max_size : int
        How many instruments.
    max_parties : int, default 3
        Each relationship has between 2 and ``max_parties`` parties.
    fuzzy_dates : bool, default False
        Write some dates to the month or year only, where no other date of the same instrument
        (or activity under it) falls in the period.
    with_activities : bool, default False
        Also draw up to three activities per instrument, inside its life ``[signed, ended)``.

    Returns
    -------
    SearchStrategy of dict of str to pandas.DataFrame
        ``agreements`` (``agreement_id`` A1, A2, ...; ``relationship_id`` R1, ...;
        ``instrument``; ``signed, effective, expires, ended`` as ISO strings or None;
        ``end_reason``), ``parties`` (``agreement_id, jurisdiction``) and, with
        ``with_activities``, ``activities`` (``agreement_id, date, kind``). Instruments of one
        relationship follow each other (LoI, MoU, agreement, renewal) between the same
        parties; a successor signed while its predecessor runs sometimes ends it ("replaced").
        Dates satisfy ``signed <= effective <= expires`` and ``signed <= effective <= ended``
        (``effective`` where given); a successor is signed on or after its predecessor's
        entry.

    Examples
    --------
    .. code-block:: python

        @given(cst.agreements(["Surakarta", "Xi'an", "Zhuhai"], max_size=2))
        def test_agreements(tables):
            assert set(tables) == {"agreements", "parties"}
    """
    _check_sizes(min_size, max_size, "agreements", least=0)
    js = _check_jurisdictions(jurisdictions, 2, "agreements")
    max_parties = check_whole(max_parties, "max_parties", "agreements", minimum=2)

    @st.composite
    def draw_agreements(draw):
        n = draw(st.integers(min_size, max_size))
        a, p, acts, _ = _agreement_rows(draw, js, n, max_parties, fuzzy_dates, with_activities,
                                        outside=False, with_targets=False)
        out = {"agreements": _frame(a, _AGREEMENT_COLUMNS),
               "parties": _frame(p, ["agreement_id", "jurisdiction"])}
        if with_activities:
            out["activities"] = _frame(acts, ["agreement_id", "date", "kind"])
        return out

    return draw_agreements()


# --- studies ----------------------------------------------------------------------------------
def _latest_day(tables: Mapping[str, pd.DataFrame]) -> int:
    """The last day (offset) any date of the tables may resolve to."""
    last = 0
    for df in tables.values():
        for col in df.columns:
            if col.endswith("_precision") or col not in _DATE_COLUMNS:
                continue
            pcol = df[f"{col}_precision"] if f"{col}_precision" in df.columns else None
            for i, v in enumerate(df[col]):
                if v is None:
                    continue
                d = dt.date.fromisoformat(v) if len(v) == 10 else (
                    dt.date(int(v[:4]), int(v[5:7]), 1) if len(v) == 7 else dt.date(int(v), 1, 1))
                p = ("day" if len(v) == 10 else "month" if len(v) == 7 else "year")
                if pcol is not None and pcol.iloc[i] is not None:
                    p = pcol.iloc[i]
                last = max(last, _period((d - _BASE).days, p)[1])
    return last


_DATE_COLUMNS = ("start", "end", "signed", "effective", "expires", "ended", "date",
                 "period_start", "period_end")


def study_tables(
    *,
    min_agreements: int = 1,
    max_agreements: int = 4,
    max_parties: int = 3,
    max_terms: int = 5,
    with_activities: bool = True,
    with_targets: bool = False,
    activities_outside_life: bool = False,
    fuzzy_dates: bool = False,
    allow_unknown_exposure: bool = False,
) -> st.SearchStrategy[tuple[dict[str, pd.DataFrame], dict]]:
    """The raw tables of a valid study, and the keyword arguments to build it.

    Parameters
    ----------
    min_agreements, max_agreements : int
        How many instruments.
    max_parties : int, default 3
        The most parties of one instrument (at least 2).
    max_terms : int, default 5
        The most terms of the leadership office of one jurisdiction.
    with_activities : bool, default True
        Draw up to three activities per instrument, inside its life.
    with_targets : bool, default False
        Draw a target for some instruments.
    activities_outside_life : bool, default False
        Also draw activities dated before signing or on or after the end. Building the study
        from these tables then warns :class:`~continuity.ActivityOutsideLifeWarning`; expect it
        in the test. (:func:`studies` silences it: the activities are listed in
        ``study.audit``.)
    fuzzy_dates : bool, default False
        Write some dates to the month or year only (see :func:`terms`).
    allow_unknown_exposure : bool, default False
        Leave some party jurisdictions without terms; the kwargs then hold
        ``allow_unknown_exposure=True``.

    Returns
    -------
    SearchStrategy of tuple (dict of str to pandas.DataFrame, dict)
        ``(tables, kwargs)`` such that ``Study(**tables, **kwargs)`` is valid. ``tables`` has
        ``terms`` (see :func:`terms`; some jurisdictions also have a deputy mayor, and then
        ``kwargs["offices"]`` names the leadership office of those), ``agreements``,
        ``parties``, ``activities`` (when drawn), ``targets`` (when drawn); ``kwargs`` has
        ``as_of`` (an ISO day on or after every date, or None) and, when needed, ``offices``
        and ``allow_unknown_exposure``.

    Examples
    --------
    .. code-block:: python

        @given(cst.study_tables())
        def test_row_order_does_not_matter(drawn):
            tables, kwargs = drawn
            shuffled = {k: v.sample(frac=1, random_state=0) for k, v in tables.items()}
            ...Study(**shuffled, **kwargs)...
    """
    _check_sizes(min_agreements, max_agreements, "study_tables", least=1)
    max_parties = check_whole(max_parties, "max_parties", "study_tables", minimum=2)
    max_terms = check_whole(max_terms, "max_terms", "study_tables", minimum=1)

    @st.composite
    def draw_study_tables(draw):
        js = draw(st.lists(st.sampled_from(JURISDICTIONS), min_size=2,
                           max_size=min(len(JURISDICTIONS), max_parties + 1), unique=True))
        n = draw(st.integers(min_agreements, max_agreements))
        a, p, acts, tg = _agreement_rows(draw, js, n, max_parties, fuzzy_dates, with_activities,
                                         activities_outside_life, with_targets)
        in_parties = list(dict.fromkeys(r["jurisdiction"] for r in p))
        without = set()
        if allow_unknown_exposure:
            without = set(draw(st.lists(st.sampled_from(in_parties),
                                        max_size=len(in_parties) - 1, unique=True)))
        ids = _ids("T")
        rows: list[dict] = []
        offices: dict[str, str] = {}
        for j in js:
            if j in without:
                continue
            office = draw(st.sampled_from(_OFFICES))
            n_terms = draw(st.integers(1, max_terms))
            rows += _office_terms(draw, j, office, n_terms, fuzzy_dates, ids)
            if draw(st.integers(0, 3)) == 3:
                n_extra = draw(st.integers(1, 2))
                rows += _office_terms(draw, j, _EXTRA_OFFICE, n_extra, fuzzy_dates, ids)
                offices[j] = office
        tables = {"terms": _terms_frame(rows, fuzzy_dates),
                  "agreements": _frame(a, _AGREEMENT_COLUMNS),
                  "parties": _frame(p, ["agreement_id", "jurisdiction"])}
        if with_activities or activities_outside_life:
            tables["activities"] = _frame(acts, ["agreement_id", "date", "kind"])
        if with_targets:
            tables["targets"] = _frame(tg, ["agreement_id", "indicator", "period_start",
                                            "period_end", "target", "actual"])
        kwargs: dict = {}
        if draw(st.integers(0, 4)) > 0:
            last = _latest_day(tables)
            kwargs["as_of"] = _text(draw(st.integers(last, max(last, _AS_OF_LAST))), "day")
        else:
            kwargs["as_of"] = None
        if offices:
            kwargs["offices"] = offices
        if allow_unknown_exposure:
            kwargs["allow_unknown_exposure"] = True
        return tables, kwargs

    return draw_study_tables()


def studies(
    *,
    min_agreements: int = 1,
    max_agreements: int = 4,
    max_parties: int = 3,
    max_terms: int = 5,
    with_activities: bool = True,
    with_targets: bool = False,
    activities_outside_life: bool = False,
    fuzzy_dates: bool = False,
    allow_unknown_exposure: bool = False,
) -> st.SearchStrategy[Study]:
    """Valid :class:`~continuity.study.Study` objects.

    Parameters
    ----------
    min_agreements, max_agreements, max_parties, max_terms, with_activities, with_targets,
    activities_outside_life, fuzzy_dates, allow_unknown_exposure
        As for :func:`study_tables`.

    Returns
    -------
    SearchStrategy of Study
        Studies of 2 to ``max_parties + 1`` jurisdictions (at most 6), each with 1 to
        ``max_terms`` terms of its leadership office (touching or with gaps, some caretaker or
        acting, the same holder sometimes re-elected, now and then an acting spell of no length
        on the day a term starts), instruments with 2 to ``max_parties``
        parties in chains of LoI, MoU, agreement and renewal, dates between 2000 and 2030, and
        activities inside each instrument's life.

    Examples
    --------
    .. code-block:: python

        from hypothesis import given, settings
        from continuity.testing import strategies as cst

        @settings(max_examples=50, deadline=None)
        @given(cst.studies(fuzzy_dates=True))
        def test_transitions_are_sorted(study):
            tr = study.transitions()
            assert tr.equals(tr.sort_values(["jurisdiction", "date"], kind="stable"))
    """
    return study_tables(
        min_agreements=min_agreements, max_agreements=max_agreements, max_parties=max_parties,
        max_terms=max_terms, with_activities=with_activities, with_targets=with_targets,
        activities_outside_life=activities_outside_life, fuzzy_dates=fuzzy_dates,
        allow_unknown_exposure=allow_unknown_exposure,
    ).map(_build)


def _build(drawn) -> Study:
    tables, kwargs = drawn
    with warnings.catch_warnings():
        # activities drawn outside their instrument's life are the point here: they are kept
        # and listed in study.audit
        warnings.simplefilter("ignore", ActivityOutsideLifeWarning)
        return Study(**tables, **kwargs)
