"""Assertions for tests of code built on continuity.

Each raises :class:`AssertionError` with a message that names what differs and where, and
returns None when all is well, in the manner of :mod:`pandas.testing`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from continuity.study import Study

__all__ = ["assert_episodes_valid", "assert_study_equal"]

_TABLES = ("terms", "agreements", "parties", "activities", "targets")
_SHOW = 5


def _sorted_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order: sorted by every column, compared as text."""
    if len(df) == 0:
        return df.reset_index(drop=True)
    keys = []
    for c in df.columns:
        v = df[c].astype(object)
        missing = v.isna().to_numpy()
        keys += [missing, np.where(missing, "", v.astype(str).to_numpy(dtype=object)).astype(str)]
    order = np.lexsort(keys[::-1])
    return df.iloc[order].reset_index(drop=True)


def assert_study_equal(
    left: Study,
    right: Study,
    *,
    check_row_order: bool = True,
    check_column_order: bool = True,
) -> None:
    """Assert that two studies hold the same tables and settings.

    Parameters
    ----------
    left, right : Study
    check_row_order : bool, default True
        When False, rows of each table are compared in a canonical order (sorted by every
        column), so a study built from shuffled tables equals the original one. Term ids are
        part of the rows and are compared as they are: the default ids (no ``term_id``
        column) are ``"jurisdiction/office/k"``, the k-th term of that office in order of
        succession, so they do not depend on the order of the rows either.
    check_column_order : bool, default True
        When False, columns are matched by name.

    Raises
    ------
    AssertionError
        Naming the first setting or table that differs, and how.

    Examples
    --------
    >>> from continuity.testing import scenario
    >>> from continuity.testing.asserts import assert_study_equal
    >>> s = (scenario(as_of="2020-12-31")
    ...      .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
    ...      .terms("Zhuhai", "mayor", [("P", "2012-01")])
    ...      .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-09-15"))
    >>> assert_study_equal(s.build(), s.build())
    >>> list(s.build().terms["term_id"])
    ['Solo/mayor/1', 'Solo/mayor/2', 'Zhuhai/mayor/1']
    >>> assert_study_equal(s.build(), s.build(date_rule="earliest"))
    Traceback (most recent call last):
    ...
    AssertionError: studies differ in date_rule: 'middle' != 'earliest'
    """
    for name, s in (("left", left), ("right", right)):
        if not isinstance(s, Study):
            raise TypeError(f"{name} must be a continuity Study, not {type(s).__name__}")
    for attr in ("as_of", "offices", "unknown_exposure", "date_rule"):
        a, b = getattr(left, attr), getattr(right, attr)
        if a != b:
            raise AssertionError(f"studies differ in {attr}: {a!r} != {b!r}")
    for name in _TABLES:
        a, b = getattr(left, name), getattr(right, name)
        if a is None or b is None:
            if (a is None) != (b is None):
                which = "left" if a is None else "right"
                raise AssertionError(f"studies differ in {name}: the {which} study has none")
            continue
        if not check_column_order:
            if set(a.columns) != set(b.columns):
                raise AssertionError(
                    f"studies differ in {name}: columns only in left "
                    f"{sorted(set(a.columns) - set(b.columns))}, only in right "
                    f"{sorted(set(b.columns) - set(a.columns))}")
            b = b[list(a.columns)]
        if not check_row_order:
            a, b = _sorted_rows(a), _sorted_rows(b)
        try:
            pd.testing.assert_frame_equal(a, b)
        except AssertionError as e:
            raise AssertionError(f"studies differ in {name}: {e}") from None


def _unit_columns(episodes: pd.DataFrame, unit: str | Sequence[str] | None) -> list[str]:
    """The columns that together identify a unit: ``unit``, and ``spell`` when present."""
    if unit is not None and not isinstance(unit, str):
        if isinstance(unit, bytes) or not isinstance(unit, Sequence) or not unit or not all(
                isinstance(c, str) for c in unit):
            raise TypeError(f"unit must be a column name or a non-empty list of column names, "
                            f"not {unit!r}")
        cols = list(dict.fromkeys(unit))
    elif unit is not None:
        cols = [unit]
    else:
        found = [c for c in ("agreement_id", "relationship_id") if c in episodes.columns]
        if not found:
            raise AssertionError("episodes: no unit id column (agreement_id or relationship_id); "
                                 "pass unit= to name it")
        if len(found) > 1:
            raise ValueError("episodes has both agreement_id and relationship_id; pass "
                             "unit='agreement_id' or unit='relationship_id' to say which is the "
                             "unit")
        cols = found
    absent = [c for c in cols if c not in episodes.columns]
    if absent:
        raise ValueError(f"unit column {absent[0]!r} is not in the episodes table (columns: "
                         f"{', '.join(map(str, episodes.columns))})")
    if (unit is None or isinstance(unit, str)) and "spell" in episodes.columns and (
            cols != ["spell"]):
        # relationship-level episodes: each spell of a relationship is a unit of its own, with
        # its own time origin
        cols.append("spell")
    return cols


def assert_episodes_valid(
    episodes: pd.DataFrame,
    *,
    unit: str | Sequence[str] | None = None,
    columns: Sequence[str] = ("episode", "start", "stop", "t_start", "t_stop", "event"),
) -> None:
    """Assert that episodes tile each unit's at-risk time, in counting-process form.

    Per unit, with its episodes sorted by ``t_start``: the first ``t_start >= 0``; every
    ``t_stop > t_start``; each ``t_stop`` equals the next ``t_start`` (no gap, no overlap);
    ``episode`` numbers increase with time; the calendar dates ``start, stop`` follow the same
    rule (``start < stop``, each ``stop`` the next ``start``); ``event`` is 0 or 1, and 1 only
    on the last episode. At the relationship level the unit is a spell of a relationship,
    ``(relationship_id, spell)``: each spell has its own episodes, numbered from 1 and timed
    from its own entry, and a gap between two spells is not a gap in either.

    Parameters
    ----------
    episodes : pandas.DataFrame
        As :meth:`continuity.study.Study.episodes` returns: a unit id column (and ``spell`` at
        the relationship level) and ``episode, start, stop, t_start, t_stop, event``.
    unit : str or sequence of str, optional
        The unit id column; by default ``agreement_id`` or ``relationship_id``, whichever is
        present (name it when both are). A ``spell`` column, when present, is part of the unit
        too. A list of columns names the whole unit exactly, spell or not.
    columns : sequence of str
        The columns that must be present besides the unit (all of them are checked when
        present; ``start`` and ``stop`` may be left out of this list to skip the calendar
        check).

    Raises
    ------
    AssertionError
        Listing every broken rule, each with the first few units and row positions.

    Examples
    --------
    >>> import pandas as pd
    >>> from continuity.testing.asserts import assert_episodes_valid
    >>> ep = pd.DataFrame({
    ...     "agreement_id": ["A", "A", "B"], "episode": [1, 2, 1],
    ...     "start": pd.to_datetime(["2015-09-15", "2016-02-17", "2016-01-01"]),
    ...     "stop": pd.to_datetime(["2016-02-17", "2017-01-01", "2016-06-01"]),
    ...     "t_start": [0, 155, 0], "t_stop": [155, 474, 152], "event": [0, 1, 0]})
    >>> assert_episodes_valid(ep)
    >>> assert_episodes_valid(ep.assign(t_start=[0, 150, 0]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: episodes do not tile the at-risk time (1 problem):
      agreement_id 'A': t_stop does not equal the next t_start (rows 0 and 1: 155 then 150); ...

    Relationship-level episodes of a relationship revived after more than ``max_gap`` days,
    in two spells:

    >>> from continuity.testing import scenario
    >>> study = (scenario(as_of="2020-12-31")
    ...          .terms("Solo", "mayor", [("A", "2010-07-28"), ("B", "2015-08-05")])
    ...          .terms("Zhuhai", "mayor", [("P", "2012-01-01")])
    ...          .agreement("LOI", ["Solo", "Zhuhai"], signed="2015-01-01", ended="2016-01-01",
    ...                     relationship_id="R")
    ...          .agreement("MOU", ["Solo", "Zhuhai"], signed="2016-06-01", relationship_id="R")
    ...          .build())
    >>> ep = study.episodes(level="relationship", max_gap=30)
    >>> ep[["relationship_id", "spell", "episode", "t_start", "t_stop", "event"]]
      relationship_id  spell  episode  t_start  t_stop  event
    0               R      1        1        0     216      0
    1               R      1        2      216     365      1
    2               R      2        1        0    1674      0
    >>> assert_episodes_valid(ep)
    """
    if not isinstance(episodes, pd.DataFrame):
        raise TypeError(f"episodes must be a pandas DataFrame, not {type(episodes).__name__}")
    ucols = _unit_columns(episodes, unit)
    missing = [c for c in columns if c not in episodes.columns]
    if missing:
        raise AssertionError(f"episodes: missing {', '.join(map(repr, missing))} (columns: "
                             f"{', '.join(map(str, episodes.columns))})")
    problems: list[str] = []
    cols = list(dict.fromkeys([*ucols, *columns]))
    na = episodes[cols].isna().to_numpy()
    if na.any():
        rows, which = np.nonzero(na)
        problems.append(f"{len(set(rows))} rows have missing values in "
                        f"{', '.join(sorted({cols[k] for k in which}))} (rows "
                        f"{_rows(np.unique(rows))})")
        raise AssertionError(_message(problems))
    if len(episodes) == 0:
        return
    ids = [episodes[c].to_numpy() for c in ucols]
    t0 = episodes["t_start"].to_numpy(dtype=float)
    t1 = episodes["t_stop"].to_numpy(dtype=float)
    key = np.zeros(len(episodes), dtype=np.int64)
    for c in ucols:  # one integer per distinct combination of the unit columns
        codes, uniques = pd.factorize(episodes[c])
        key = key * len(uniques) + codes
        key = pd.factorize(key)[0]
    order = np.lexsort((t0, key))
    k, s0, s1 = key[order], t0[order], t1[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = k[1:] != k[:-1]
    nxt = np.flatnonzero(~last)  # positions (in order) followed by the same unit

    def report(mask_positions, what, detail, fix=""):
        pos = np.asarray(mask_positions)
        if len(pos) == 0:
            return
        units = list(dict.fromkeys(zip(*(v[order[pos]].tolist() for v in ids), strict=True)))
        examples = "; ".join(detail(p) for p in pos[:_SHOW])
        more = f"; and {len(pos) - _SHOW} more" if len(pos) > _SHOW else ""
        if len(units) == 1:
            head = ", ".join(f"{c} {v!r}" for c, v in zip(ucols, units[0], strict=True))
        else:
            shown = [repr(x[0]) if len(x) == 1 else repr(x) for x in units[:_SHOW]]
            head = (f"{len(units)} units ({', '.join(ucols)}{':' if len(ucols) > 1 else ''} "
                    f"{', '.join(shown)}{', ...' if len(units) > _SHOW else ''})")
        problems.append(f"{head}: {what} ({examples}{more}){'; ' + fix if fix else ''}")

    def num(x):
        return f"{x:g}"

    report(np.flatnonzero(first & (s0 < 0)), "the first episode starts before time 0",
           lambda p: f"row {order[p]}: t_start {num(s0[p])}")
    report(np.flatnonzero(s1 <= s0), "t_stop is not after t_start; an episode must have "
           "positive length", lambda p: f"row {order[p]}: {num(s0[p])} to {num(s1[p])}")
    report(nxt[s1[nxt] != s0[nxt + 1]],
           "t_stop does not equal the next t_start",
           lambda p: f"rows {order[p]} and {order[p + 1]}: {num(s1[p])} then {num(s0[p + 1])}",
           fix="episodes must touch, with no gap or overlap")
    if "episode" in episodes.columns:
        e = episodes["episode"].to_numpy()[order]
        report(nxt[~(e[nxt + 1] > e[nxt])], "episode numbers do not increase with t_start",
               lambda p: f"rows {order[p]} and {order[p + 1]}: episode {e[p]} then {e[p + 1]}")
    if "start" in episodes.columns and "stop" in episodes.columns:
        c0 = pd.to_datetime(episodes["start"]).to_numpy()[order]
        c1 = pd.to_datetime(episodes["stop"]).to_numpy()[order]

        def day(x):
            return str(x)[:10]

        report(np.flatnonzero(c1 <= c0), "stop is not after start",
               lambda p: f"row {order[p]}: {day(c0[p])} to {day(c1[p])}")
        report(nxt[c1[nxt] != c0[nxt + 1]], "stop does not equal the next start",
               lambda p: f"rows {order[p]} and {order[p + 1]}: {day(c1[p])} then "
                         f"{day(c0[p + 1])}", fix="episodes must touch, with no gap or overlap")
    if "event" in episodes.columns:
        ev = episodes["event"].to_numpy()[order]
        bad = ~np.isin(ev, [0, 1])
        report(np.flatnonzero(bad), "event is not 0 or 1",
               lambda p: f"row {order[p]}: {ev[p]}")
        report(np.flatnonzero(~bad & (ev == 1) & ~last), "an event before the last episode",
               lambda p: f"row {order[p]}", fix="after an event the unit is no longer at risk")
    if problems:
        raise AssertionError(_message(problems))


def _rows(rows) -> str:
    rows = list(rows)
    return ", ".join(map(str, rows[:_SHOW])) + (", ..." if len(rows) > _SHOW else "")


def _message(problems: list[str]) -> str:
    n = len(problems)
    return (f"episodes do not tile the at-risk time ({n} problem{'s' if n > 1 else ''}):\n"
            + "\n".join(f"  {p}" for p in problems))
