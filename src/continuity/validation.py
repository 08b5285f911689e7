"""Checks of each table and across tables.

:func:`prepare_tables` reads the raw tables of a study, checks every rule of the data model,
collects every problem, and either raises one :class:`~continuity.errors.ValidationError` listing
them all or returns the tables ready for use: ids as strings, dates resolved to days with their
precision kept in ``<column>_precision``.

It runs the named stages of :data:`_STAGES` in order, in the manner of pandera's checks: each
stage reads and extends one working state and adds what it finds to one list of problems. A
stage that needs readable tables (or no problem at all) says so, and the loop stops before it
when that is not the case.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from continuity import normalise
from continuity._options import check_flag, check_literal
from continuity.dates import ParsedDates, order_pairs, parse_dates, resolve
from continuity.errors import (
    CHECK_CODES,
    FAILURE_COLUMNS,
    ActivityOutsideLifeWarning,
    CheckCode,
    ContinuityTypeError,
    OptionError,
    ValidationError,
)
from continuity.schema import EXTENDABLE, INTERVALS, NEEDS, TABLES, Column, DateRule, TableSchema
from continuity.succession import Succession, resolve_succession

__all__ = ["AUDIT_COLUMNS", "Prepared", "Problems", "check_targets_for_attainment",
           "prepare_tables"]

#: Columns of a study's audit table.
AUDIT_COLUMNS = ["table", "row", "id", "check", "detail"]

_SHOW = 3  # how many rows a message names before "..."
_CORE = ("terms", "agreements", "parties")


def _fmt_date(x) -> str:
    return "NaT" if pd.isna(x) else str(pd.Timestamp(x).date())


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


def _unknown(n_rows: int, ids) -> str:
    """'1 row names an unknown agreement' / '3 rows name 2 unknown agreements'."""
    ids = list(ids)
    verb = "names" if n_rows == 1 else "name"
    what = "an unknown agreement" if len(ids) == 1 else f"{len(ids)} unknown agreements"
    return f"{_plural(n_rows, 'row')} {verb} {what}"


def _first(items, k: int = _SHOW) -> str:
    items = list(items)
    text = ", ".join(str(i) for i in items[:k])
    return text + (", ..." if len(items) > k else "")


class Problems:
    """Collects the problems of a study; raises them all at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.cases: list[dict] = []

    def add(self, table: str, check: CheckCode, message: str, rows=(), column=None,
            values=None) -> None:
        """Record one problem covering ``rows`` (positions in the table as given)."""
        if check not in CHECK_CODES:  # a programming error, not a data error
            raise RuntimeError(f"undeclared check code {check!r}; declare it in errors.CheckCode")
        self.messages.append(f"{table}: {message}")
        rows = list(rows)
        values = list(values) if values is not None else [None] * len(rows)
        if not rows:
            rows, values = [pd.NA], [None]
        for r, v in zip(rows, values, strict=True):
            self.cases.append(
                {"table": table, "row": r, "column": column, "check": check,
                 "value": None if v is None else str(v), "message": f"{table}: {message}"}
            )

    def __bool__(self) -> bool:
        return bool(self.messages)

    def raise_if_any(self) -> None:
        """Raise one ValidationError listing every problem, if there is any."""
        if self.messages:
            cases = pd.DataFrame(self.cases, columns=FAILURE_COLUMNS)
            cases["row"] = cases["row"].astype("Int64")
            raise ValidationError(self.messages, cases)


@dataclass(frozen=True)
class Prepared:
    """Validated tables of a study and what was derived from them."""

    tables: dict[str, pd.DataFrame]
    as_of: pd.Timestamp
    as_of_source: str
    offices: dict[str, str]
    unknown_exposure: tuple[str, ...]
    audit: pd.DataFrame


@dataclass
class _State:
    """What the stages read and build: the settings, then the tables as they are checked."""

    raw: Mapping[str, Any]
    as_of: Any
    offices: Any
    allow_unknown_exposure: bool
    date_rule: str
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    parsed: dict[str, dict[str, ParsedDates]] = field(default_factory=dict)
    succession: Succession | None = None
    chosen: dict[str, str] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    as_of_ts: pd.Timestamp | None = None
    as_of_source: str = ""
    audit: pd.DataFrame | None = None

    @property
    def readable(self) -> bool:
        """The three required tables are DataFrames with their required columns."""
        return all(self.tables.get(n) is not None for n in _CORE)

    def prepared(self) -> Prepared:
        return Prepared(
            tables={k: v for k, v in self.tables.items() if v is not None},
            as_of=pd.Timestamp(self.as_of_ts),
            as_of_source=self.as_of_source,
            offices=self.chosen,
            unknown_exposure=self.unknown,
            audit=self.audit if self.audit is not None else pd.DataFrame(columns=AUDIT_COLUMNS),
        )


def _row_label(df: pd.DataFrame, i: int, key: str | None) -> str:
    if key and key in df.columns and not pd.isna(df[key].iloc[i]):
        return f"{key} {df[key].iloc[i]}"
    return f"row {i}"


def _check_frame(name: str, df, problems: Problems) -> pd.DataFrame | None:
    """Check that ``df`` is a DataFrame with the required columns; return a working copy."""
    schema = TABLES[name]
    if not isinstance(df, pd.DataFrame):
        problems.add(name, "type", f"expected a pandas DataFrame, got {type(df).__name__}")
        return None
    missing = [c for c in schema.required if c not in df.columns]
    if missing:
        problems.add(
            name, "missing_column",
            f"missing required {'column' if len(missing) == 1 else 'columns'} "
            f"{_first(map(repr, missing), 9)} "
            f"(columns found: {_first(map(repr, df.columns), 20) or 'none'}); "
            f"required are {', '.join(schema.required)}",
            column=",".join(missing),
        )
        return None
    if df.columns.duplicated().any():
        dup = list(df.columns[df.columns.duplicated()])
        problems.add(name, "duplicate_column", f"column {_first(map(repr, dup))} appears twice",
                     column=",".join(map(str, dup)))
        return None
    return df.reset_index(drop=True).copy()


def _id_text(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@dataclass(frozen=True)
class _Values:
    """One column as codes (-1 where missing) into its distinct values, so that each check
    runs once per distinct value rather than once per row (registries repeat their ids, names
    and dates)."""

    codes: np.ndarray
    uniques: pd.Series

    @classmethod
    def of(cls, s: pd.Series) -> _Values:
        try:
            codes, uniques = pd.factorize(s.to_numpy(dtype=object))
        except TypeError:  # unhashable cells (lists): every row is its own value
            codes = np.where(s.isna().to_numpy(), -1, np.arange(len(s)))
            uniques = s.to_numpy(dtype=object)
        return cls(codes, pd.Series(uniques, dtype=object))

    def per_row(self, per_value, missing=False) -> np.ndarray:
        """A result per distinct value spread back to the rows; ``missing`` where missing."""
        return np.append(np.asarray(per_value, dtype=object if missing is None else None),
                         missing)[self.codes]

    @cached_property
    def all_text(self) -> bool:
        """Every distinct value is a string (the usual case: no Python loop needed)."""
        return pd.api.types.infer_dtype(self.uniques, skipna=False) in ("string", "empty")

    @cached_property
    def blank_values(self) -> np.ndarray:
        """Per distinct value: an empty (or all-blank) string."""
        u = self.uniques
        if self.all_text:
            return ((u == "") | u.str.isspace()).to_numpy(dtype=bool)
        is_text = np.fromiter((isinstance(v, str) for v in u), bool, len(u))
        out = np.zeros(len(u), dtype=bool)
        t = u[is_text]
        out[is_text] = ((t == "") | t.str.isspace()).to_numpy(dtype=bool)
        return out

    def blank(self) -> np.ndarray:
        """Per distinct value: an empty (or all-blank) string."""
        return self.blank_values

    def text(self) -> pd.Series:
        """Per distinct value: the value as an id (text; integral floats as integers)."""
        if self.all_text:
            return self.uniques
        return pd.Series([_id_text(v) for v in self.uniques], dtype=object)


def _as_id(values: _Values) -> np.ndarray:
    """Ids as strings; integral floats (``12.0``) written as integers; missing kept missing."""
    return values.per_row(values.text().to_numpy(dtype=object), missing=None)


def _check_required(name, df, col, blank, key, problems) -> None:
    if not blank.any():
        return
    rows = np.flatnonzero(blank)
    labels = [_row_label(df, i, key) for i in rows]
    problems.add(
        name, "empty_required",
        f"{_plural(len(rows), 'row')} {_has(len(rows))} an empty "
        f"required field {col!r} ({_first(labels)}); fill it in",
        rows=rows, column=col,
    )


def _plain(v):
    """A numpy scalar as the Python value it holds, so that messages show ``-3``."""
    return v.item() if isinstance(v, np.generic) else v


def _values_of(df, col, rows, key, values) -> str:
    return _first(f"{_row_label(df, i, key)}: {_plain(values.iloc[i])!r}" for i in rows)


def _about(df, col, rows, key, s, what, fix="") -> dict:
    """The message and cases of a problem with some values of one column."""
    return {"message": f"{_plural(len(rows), 'value')} of {col!r} "
                       f"{'is' if len(rows) == 1 else 'are'} {what} "
                       f"({_values_of(df, col, rows, key, s)}){fix}",
            "rows": rows, "column": col, "values": s.iloc[rows]}


def _to_numbers(name, df, column, values: _Values, key, problems) -> np.ndarray:
    """A number column as floats; text, infinite values and values below the column's minimum
    are reported. Each distinct value is converted once."""
    col, s = column.name, df[column.name]
    blank_u = values.blank()
    u = values.uniques.where(~blank_u)
    num = values.per_row(pd.to_numeric(u, errors="coerce").astype(float).to_numpy(),
                         np.nan).astype(float)
    blank = values.per_row(blank_u, True).astype(bool)
    rows = np.flatnonzero(np.isnan(num) & ~blank)
    if len(rows):
        problems.add(name, "not_a_number", **_about(df, col, rows, key, s, "not a number"))
    rows = np.flatnonzero(np.isinf(num))
    if len(rows):
        problems.add(name, "not_finite", **_about(df, col, rows, key, s, "infinite",
                                                  "; give a finite number"))
    if column.minimum is not None:
        rows = np.flatnonzero(num < column.minimum)
        if len(rows):
            problems.add(name, "negative", **_about(df, col, rows, key, s, "negative",
                                                    f"; {col} is {column.minimum:g} or more"))
    return num


def _check_padding(name, df, col, values: _Values, key, problems) -> None:
    """Ids and names with leading or trailing spaces would silently name another entity."""
    s = df[col]
    text = values.text()
    padded = (text.str.strip() != text).to_numpy(dtype=bool) & ~values.blank()
    bad = values.per_row(padded, False).astype(bool)
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    problems.add(
        name, "whitespace",
        f"{_plural(len(rows), 'value')} of {col!r} {_has(len(rows))} leading or trailing "
        f"spaces ({_values_of(df, col, rows, key, s)}); remove them: "
        f"{_first(map(repr, s[bad].unique()))} would name another {col} than the same text "
        "without them",
        rows=rows, column=col, values=s.iloc[rows],
    )


def _check_vocabulary(name, df, col: Column, vocabulary, problems) -> None:
    v = df[col.name]
    bad = v.notna().to_numpy() & ~v.isin(vocabulary).to_numpy()
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    found = sorted(set(v[bad].astype(str)))
    extend = (f"; or add {'it' if len(found) == 1 else 'them'} to the study's vocabulary "
              f"({col.extendable} = [...] under [vocabulary] in study.toml)"
              if col.extendable else "")
    problems.add(
        name, "vocabulary",
        f"{_plural(len(rows), 'row')} {_has(len(rows))} an unknown "
        f"{col.name} ({_first(map(repr, found))}); allowed are {', '.join(vocabulary)}{extend}",
        rows=rows, column=col.name, values=v[bad],
    )


def _check_needs(name, df, blanks, key, problems) -> dict[str, np.ndarray]:
    """A value that needs another in the same row (an actual needs its target). Returns, per
    column, the rows reported here, which the required check then leaves out."""
    excused: dict[str, np.ndarray] = {}
    for a, b in NEEDS.get(name, ()):
        if a not in blanks or b not in blanks:
            continue
        bad = ~blanks[a] & blanks[b]
        if bad.any():
            rows = np.flatnonzero(bad)
            problems.add(
                name, "actual_without_target",
                f"{_plural(len(rows), 'row')} {_has(len(rows))} {a} but no {b} "
                f"({_values_of(df, a, rows, key, df[a])}); give the {b} the {a} is measured "
                "against, or leave the row out",
                rows=rows, column=b, values=df[a].iloc[rows],
            )
            excused[b] = bad
    return excused


def _read_dates(name, df, key, problems) -> dict[str, ParsedDates]:
    parsed: dict[str, ParsedDates] = {}
    for col in TABLES[name].dates:
        if col not in df.columns:
            continue
        pcol = f"{col}_precision"
        p = parse_dates(df[col], df[pcol] if pcol in df.columns else None)
        bad = np.array([x is not None for x in p.problem], dtype=bool)
        if bad.any():
            rows = np.flatnonzero(bad)
            problems.add(
                name, "date",
                f"{_plural(len(rows), 'value')} of {col!r} cannot be used as dates "
                f"({_first(f'{_row_label(df, i, key)}: {p.problem[i]}' for i in rows)})",
                rows=rows, column=col, values=df[col].iloc[rows],
            )
        parsed[col] = p
    return parsed


def _typed_columns(name: str, df: pd.DataFrame, problems: Problems,
                   vocabulary: Mapping[str, tuple[str, ...]]) -> dict[str, ParsedDates]:
    """Ids to text, numbers to floats, dates read as periods; report what cannot be read.

    ``vocabulary`` holds the words a study adds to the extendable vocabularies."""
    schema: TableSchema = TABLES[name]
    key = schema.key[0] if len(schema.key) == 1 else None
    present = [col for col in schema.columns if col.name in df.columns]
    values = {col.name: _Values.of(df[col.name]) for col in present}
    blanks = {c: v.per_row(v.blank(), True).astype(bool) for c, v in values.items()}
    excused = _check_needs(name, df, blanks, key, problems)
    for col in present:
        blank = blanks[col.name]
        if col.required:
            unexcused = blank & ~excused.get(col.name, np.zeros(len(df), dtype=bool))
            _check_required(name, df, col.name, unexcused, key, problems)
        if col.kind in ("id", "text", "precision"):
            ids = _as_id(values[col.name])
            if col.exact:
                _check_padding(name, df, col.name, values[col.name], key, problems)
            df[col.name] = pd.Series(ids, index=df.index, dtype=object)
        elif col.kind == "number":
            df[col.name] = pd.Series(_to_numbers(name, df, col, values[col.name], key, problems),
                                     index=df.index, dtype=float)
        if col.vocabulary is not None:
            words = col.vocabulary + tuple(vocabulary.get(col.extendable or "", ()))
            _check_vocabulary(name, df, col, words, problems)
    return _read_dates(name, df, key, problems)


def _resolve_table(name, parsed, rule):
    """Resolve each date column; order interval ends within rows."""
    resolved = {c: resolve(p.lo, p.hi, rule) for c, p in parsed.items()}
    for a, b in INTERVALS.get(name, ()):
        if a in parsed and b in parsed:
            resolved[a], resolved[b] = order_pairs(
                resolved[a], (parsed[a].lo, parsed[a].hi), parsed[a].precision,
                resolved[b], (parsed[b].lo, parsed[b].hi), parsed[b].precision,
            )
    return resolved


def _check_intervals(name, df, resolved, problems, key):
    for a, b in INTERVALS.get(name, ()):
        if a not in resolved or b not in resolved:
            continue
        x, y = resolved[a], resolved[b]
        bad = ~np.isnat(x) & ~np.isnat(y) & (y < x)
        if not bad.any():
            continue
        rows = np.flatnonzero(bad)
        what = (f"{_plural(len(rows), 'row')} {'has' if len(rows) == 1 else 'have'} "
                f"{b} before {a}")
        detail = _first(
            f"{_row_label(df, i, key)}: {a} {_fmt_date(x[i])}, {b} {_fmt_date(y[i])}" for i in rows
        )
        fix = ("intervals are [start, end)" if name == "terms"
               else "an instrument cannot end before it is signed" if a == "signed" and b == "ended"
               else f"{b} must not come before {a}")
        problems.add(name, "end_before_start", f"{what} ({detail}); {fix}",
                     rows=rows, column=b, values=[_fmt_date(y[i]) for i in rows])


def _check_overlaps(terms, resolved, order, same, problems):
    start, end = resolved["start"], resolved["end"]
    prev, nxt = order[:-1][same[1:]], order[1:][same[1:]]
    e = end[prev]
    readable = ~np.isnat(start[prev]) & ~np.isnat(start[nxt])  # others are reported already
    overlap = readable & (np.isnat(e) | (e > start[nxt]))
    for p_, n_ in zip(prev[overlap], nxt[overlap], strict=True):
        j, o = terms["jurisdiction"].iloc[p_], terms["office"].iloc[p_]
        until = "still running" if np.isnat(end[p_]) else _fmt_date(end[p_])
        problems.add(
            "terms", "overlap",
            f"2 terms of office {o!r} overlap in {j} (rows {p_} and {n_}: "
            f"{terms['holder'].iloc[p_]} until {until}, {terms['holder'].iloc[n_]} from "
            f"{_fmt_date(start[n_])}); terms of one office must not overlap: end the first "
            "term when the next begins",
            rows=[p_, n_], column="start",
        )


def _codes(df: pd.DataFrame, cols) -> np.ndarray:
    """One integer per row identifying its combination of ``cols`` (missing values included)."""
    code = np.zeros(len(df), dtype=np.int64)
    for c in cols:
        k, uniques = pd.factorize(df[c], use_na_sentinel=False)
        code = code * (len(uniques) + 1) + k
    return code


def _check_unique(name, df, cols, problems, what):
    dup = pd.Series(_codes(df, cols)).duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    rows = np.flatnonzero(dup)
    keys = df.loc[dup, list(cols)].astype(str).agg(" / ".join, axis=1).unique()
    verb = "appears" if len(keys) == 1 else "appear"
    problems.add(name, "duplicate", f"{_plural(len(keys), what)} {verb} "
                 f"more than once ({_first(map(repr, keys))}, rows {_first(rows)}); "
                 "each must be unique", rows=rows, column=",".join(cols))


def _choose_offices(terms, parties, offices, problems) -> dict[str, str]:
    held: dict[str, set[str]] = {}
    pairs = terms[["jurisdiction", "office"]].drop_duplicates()
    for j, o in zip(pairs["jurisdiction"], pairs["office"], strict=True):
        held.setdefault(j, set()).add(str(o))
    found = {j: sorted(held[j]) for j in sorted(held)}
    chosen: dict[str, str] = {}
    if offices is not None and not isinstance(offices, (str, Mapping)):
        problems.add("study", "offices", "offices must be one office name or a mapping "
                     f"jurisdiction -> office, not {type(offices).__name__}")
        offices = None
    if isinstance(offices, Mapping):
        known = set(found)
        if parties is not None:
            known |= set(parties["jurisdiction"].dropna())
        for j, o in offices.items():
            if j not in known:
                problems.add("study", "offices",
                             f"offices names unknown jurisdiction {j!r} "
                             f"(known: {_first(map(repr, sorted(known)), 8)})")
            elif j in found and o not in found[j]:
                problems.add("study", "offices",
                             f"offices names office {o!r} for {j}, which has no terms of it "
                             f"(offices found in terms: {', '.join(map(repr, found[j]))})")
    for j, offs in found.items():
        if isinstance(offices, str):
            chosen[j] = offices
        elif isinstance(offices, Mapping) and j in offices:
            chosen[j] = offices[j]
        elif len(offs) == 1:
            chosen[j] = offs[0]
        else:
            problems.add(
                "terms", "several_offices",
                f"{j} has terms of several offices ({', '.join(map(repr, offs))}) and no "
                "leadership office was chosen; pass offices={" + f"{j!r}: {offs[0]!r}" + ", ...}"
            )
    if isinstance(offices, Mapping):
        for j, o in offices.items():
            chosen.setdefault(j, o)
    return chosen


def _check_parties(tables, offices, allow_unknown, problems) -> tuple[str, ...]:
    agreements, parties, terms = tables["agreements"], tables["parties"], tables["terms"]
    ids = agreements["agreement_id"].dropna().unique()
    _check_known_agreements("parties", parties, agreements, problems)
    pos = _positions(pd.Series(ids, dtype=object), parties["agreement_id"])
    pair = pd.Series(_codes(parties, ("agreement_id", "jurisdiction")))
    first = (pos >= 0) & ~pair.duplicated().to_numpy()
    n = pd.Series(np.bincount(pos[first], minlength=len(ids)), index=ids)
    few = n[n < 2]
    if len(few):
        rows = np.flatnonzero(agreements["agreement_id"].isin(few.index).to_numpy())
        problems.add("agreements", "parties",
                     f"{_plural(len(few), 'agreement')} {'has' if len(few) == 1 else 'have'} fewer "
                     f"than two parties ({_first(f'{a!r}: {k}' for a, k in few.items())}); "
                     "add a row per party to parties", rows=rows, column="agreement_id",
                     values=agreements["agreement_id"].iloc[rows])
    lead = terms[terms["office"].to_numpy() == terms["jurisdiction"].map(offices).to_numpy()]
    with_terms = set(lead["jurisdiction"])
    all_j = set(terms["jurisdiction"])
    undecided = all_j - set(offices)  # several offices, no choice: reported already
    named = set(parties["jurisdiction"].dropna().unique())
    missing = sorted(named - with_terms - undecided)
    if missing and not allow_unknown:
        for j in missing:
            rows = np.flatnonzero(parties["jurisdiction"].eq(j).to_numpy())
            ids = parties["agreement_id"].iloc[rows].unique()
            if j in all_j:
                what = (f"party {j!r} has no terms of its leadership office {offices.get(j)!r}")
            else:
                near = sorted(all_j)
                what = (f"agreement {_first(map(repr, ids))} names unknown jurisdiction {j!r} "
                        f"(known: {_first(map(repr, near), 6)})")
            problems.add("parties", "no_leadership_terms",
                         f"{what}; add its terms, correct the name, or pass "
                         "allow_unknown_exposure=True to treat its exposure as unknown (NA)",
                         rows=rows, column="jurisdiction", values=[j] * len(rows))
        return ()
    return tuple(missing)


def _positions(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """The position in ``keys`` (its first occurrence) of each of ``values``; -1 where a value
    is missing or not among the keys. One factorisation of both, no per-row lookup."""
    codes, uniques = pd.factorize(np.concatenate([keys.to_numpy(dtype=object),
                                                  values.to_numpy(dtype=object)]))
    k, v = codes[:len(keys)], codes[len(keys):]
    first = np.full(len(uniques) + 1, -1, dtype=np.int64)
    first[k[::-1]] = np.arange(len(k))[::-1]
    first[-1] = -1  # the slot of missing values
    return first[v]


def _check_known_agreements(name, df, agreements, problems) -> np.ndarray:
    """Report rows of ``df`` naming an agreement that is not in ``agreements``; return the
    position of each row's agreement in ``agreements`` (-1 where unknown or missing)."""
    pos = _positions(agreements["agreement_id"], df["agreement_id"])
    known = pos >= 0
    bad = ~known & df["agreement_id"].notna().to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad)
        ids = df["agreement_id"].iloc[rows].unique()
        problems.add(name, "unknown_agreement",
                     f"{_unknown(len(rows), ids)} ({_first(map(repr, ids))}; rows "
                     f"{_first(rows)}); add {'it' if len(ids) == 1 else 'them'} to agreements "
                     "or correct the id", rows=rows, column="agreement_id",
                     values=df["agreement_id"].iloc[rows])
    return pos


def _audit_details(date, begin, end, before, rows) -> np.ndarray:
    """'activity on D before the instrument began on B' / '... after ... ended on E'."""
    def day(s: pd.Series) -> np.ndarray:
        return np.datetime_as_string(s.to_numpy(dtype="datetime64[ns]")[rows], unit="D")
    on = np.char.add("activity on ", day(date))
    return np.where(before[rows],
                    np.char.add(np.char.add(on, " before the instrument began on "), day(begin)),
                    np.char.add(np.char.add(on, " after the instrument ended on "), day(end))
                    ).astype(object)


def _audit_activities(tables, problems) -> pd.DataFrame:
    acts, agreements = tables["activities"], tables["agreements"]
    if acts is None or len(acts) == 0:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    pos = _check_known_agreements("activities", acts, agreements, problems)
    known = pos >= 0

    def of_agreement(col: str) -> pd.Series:
        if col not in agreements.columns:
            return pd.Series(pd.NaT, index=acts.index, dtype="datetime64[ns]")
        values = agreements[col].to_numpy()[np.maximum(pos, 0)]
        return pd.Series(np.where(known, values, np.datetime64("NaT")), index=acts.index,
                         dtype="datetime64[ns]")

    begin = of_agreement("signed")
    if "effective" in agreements.columns:
        begin = pd.concat([begin, of_agreement("effective")], axis=1).min(axis=1)
    end = of_agreement("ended")
    date = acts["date"]
    before = known & (date < begin).to_numpy()
    after = known & (date >= end).to_numpy()
    rows = np.flatnonzero(before | after)
    audit = pd.DataFrame({
        "table": "activities",
        "row": rows,
        "id": acts["agreement_id"].iloc[rows].to_numpy(),
        "check": np.where(before[rows], "before_signing", "after_end"),
        "detail": _audit_details(date, begin, end, before, rows),
    }, columns=AUDIT_COLUMNS)
    if len(rows):
        warnings.warn(
            f"activities: {_plural(len(rows), 'activity', 'activities')} "
            f"{'is' if len(rows) == 1 else 'are'} dated outside "
            f"{'its' if len(rows) == 1 else 'their'} instrument's life (rows {_first(rows)}); "
            "they are kept and listed in study.audit",
            ActivityOutsideLifeWarning, stacklevel=4,
        )
    return audit


# --- the stages --------------------------------------------------------------------------------

def _stage_columns(state: _State, problems: Problems) -> None:
    """Each table a DataFrame with its required columns; ids, numbers, vocabularies and dates
    read; timezone-aware dates not mixed with naive ones."""
    for name in TABLES:
        df = state.raw.get(name)
        if df is None and name not in _CORE:
            state.tables[name] = None
            continue
        work = _check_frame(name, df, problems)
        state.tables[name] = work
        if work is not None:
            state.parsed[name] = _typed_columns(name, work, problems, state.vocabulary)
    columns = [(f"{n}.{c}", p) for n, ps in state.parsed.items() for c, p in ps.items()]
    aware = [where for where, p in columns if p.aware.any()]
    naive = [where for where, p in columns if p.naive.any()]
    if aware and naive:
        problems.add("study", "timezone",
                     f"timezone-aware dates ({_first(aware)}) are mixed with naive ones "
                     f"({_first(naive)}); give every date without a timezone, as local "
                     "calendar days")


def _stage_dates(state: _State, problems: Problems) -> None:
    """Dates resolved to days (terms as chains of succession); intervals and overlaps."""
    for name, df in state.tables.items():
        if df is None:
            continue
        parsed = state.parsed[name]
        resolved = _resolve_table(name, parsed, state.date_rule)
        if name == "terms":
            state.succession = resolve_succession(
                df["jurisdiction"], df["office"], parsed["start"], parsed["end"],
                resolved["start"], resolved["end"])
            resolved["start"], resolved["end"] = state.succession.start, state.succession.end
        key = TABLES[name].key[0] if len(TABLES[name].key) == 1 else None
        _check_intervals(name, df, resolved, problems, key)
        for col, values in resolved.items():
            df[col] = pd.Series(values, index=df.index, dtype="datetime64[ns]")
            df[f"{col}_precision"] = pd.Series(parsed[col].precision, index=df.index,
                                               dtype=object)
        if name == "terms":
            _check_overlaps(df, resolved, state.succession.order, state.succession.same,
                            problems)


def _stage_normalise(state: _State, problems: Problems) -> None:
    """The data model's defaults: see :mod:`continuity.normalise`."""
    assert state.succession is not None  # set by the dates stage
    state.tables["terms"] = normalise.fill_terms(state.tables["terms"], state.succession)
    state.tables["agreements"] = normalise.fill_agreements(state.tables["agreements"])


def _stage_keys(state: _State, problems: Problems) -> None:
    """term_id, agreement_id and each party of an agreement unique."""
    t = state.tables
    _check_unique("terms", t["terms"], ("term_id",), problems, "term_id")
    _check_unique("agreements", t["agreements"], ("agreement_id",), problems, "agreement_id")
    _check_unique("parties", t["parties"], ("agreement_id", "jurisdiction"), problems,
                  "party (agreement_id / jurisdiction)")


def _stage_offices(state: _State, problems: Problems) -> None:
    """The leadership office of each jurisdiction."""
    state.chosen = _choose_offices(state.tables["terms"], state.tables["parties"],
                                   state.offices, problems)


def _stage_references(state: _State, problems: Problems) -> None:
    """Parties and targets name known agreements; every party has leadership terms."""
    state.unknown = _check_parties(state.tables, state.chosen, state.allow_unknown_exposure,
                                   problems)
    targets = state.tables["targets"]
    if targets is not None:
        _check_known_agreements("targets", targets, state.tables["agreements"], problems)
    if state.tables["activities"] is not None:
        _check_activity_links(state.tables, problems)


def _check_activity_links(tables, problems) -> None:
    """An activity's relationship_id is its instrument's relationship; its side is one of its
    instrument's parties. Activities naming an unknown agreement are reported by the audit."""
    acts, agreements, parties = tables["activities"], tables["agreements"], tables["parties"]
    pos = _positions(agreements["agreement_id"], acts["agreement_id"])
    if "relationship_id" in acts.columns:
        _check_activity_relationships(acts, agreements, pos, problems)
    if "side" in acts.columns:
        _check_activity_sides(acts, parties, pos, problems)


def _check_activity_relationships(acts, agreements, pos, problems) -> None:
    own = pd.Series(agreements["relationship_id"].to_numpy(dtype=object)[np.maximum(pos, 0)])
    given = acts["relationship_id"]
    bad = (pos >= 0) & given.notna().to_numpy() & (given.to_numpy(dtype=object)
                                                   != own.to_numpy(dtype=object))
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    problems.add(
        "activities", "unknown_relationship",
        f"{_plural(len(rows), 'row')} {'names' if len(rows) == 1 else 'name'} a relationship_id "
        "that is not its instrument's ("
        + _first(f"row {i}: {given.iloc[i]!r} under {acts['agreement_id'].iloc[i]!r}, which "
                 f"belongs to {own.iloc[i]!r}" for i in rows)
        + "); correct the relationship_id or the agreement_id",
        rows=rows, column="relationship_id", values=given.iloc[rows])


def _check_activity_sides(acts, parties, pos, problems) -> None:
    side = acts["side"]
    pair = pd.DataFrame({"agreement_id": pd.concat([parties["agreement_id"],
                                                    acts["agreement_id"]], ignore_index=True),
                         "jurisdiction": pd.concat([parties["jurisdiction"], side],
                                                   ignore_index=True)})
    code = _codes(pair, ("agreement_id", "jurisdiction"))
    is_party = np.isin(code[len(parties):], code[:len(parties)])
    bad = (pos >= 0) & side.notna().to_numpy() & ~is_party
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    problems.add(
        "activities", "unknown_side",
        f"{_plural(len(rows), 'row')} {_has(len(rows))} a side that is not a party to its "
        "instrument ("
        + _first(f"row {i}: {side.iloc[i]!r} under {acts['agreement_id'].iloc[i]!r}"
                 for i in rows)
        + "); a side is one of the instrument's parties (its jurisdiction)",
        rows=rows, column="side", values=side.iloc[rows])


def _stage_as_of(state: _State, problems: Problems) -> None:
    """The censoring date: given, or the latest date in the data."""
    tables = state.tables
    dates = [df[c] for n, df in tables.items() if df is not None for c in state.parsed[n]]
    stacked = pd.concat(dates, ignore_index=True) if dates else pd.Series(dtype="datetime64[ns]")
    earliest, latest = stacked.min(), stacked.max()
    if state.as_of is None:
        state.as_of_ts, state.as_of_source = latest, "the latest date in the data"
        return
    state.as_of_source = "given"
    p = parse_dates(pd.Series([state.as_of], dtype=object))
    if p.problem[0] is not None or p.missing[0]:
        problems.add("study", "as_of", f"as_of: {p.problem[0] or 'is empty'}")
        state.as_of_ts = latest
        return
    state.as_of_ts = pd.Timestamp(resolve(p.lo, p.hi, "latest")[0])
    if not pd.isna(earliest) and state.as_of_ts < earliest:
        problems.add("study", "as_of",
                     f"as_of {_fmt_date(state.as_of_ts)} is before the earliest date in the "
                     f"study ({_fmt_date(earliest)}); nothing would be observed. Give a later "
                     "as_of or leave it out to use the latest date in the data")


def _stage_audit(state: _State, problems: Problems) -> None:
    """Activities name known agreements; those dated outside their instrument's life are kept,
    listed in the audit table and warned about."""
    state.audit = _audit_activities(state.tables, problems)


#: What a stage needs of the stages before it: nothing, readable required tables, or no
#: problem at all.
_Needs = Literal["nothing", "readable", "clean"]

#: The stages of :func:`prepare_tables`, in order: (name, what it needs, the stage).
_STAGES: tuple[tuple[str, _Needs, Callable[[_State, Problems], None]], ...] = (
    ("columns", "nothing", _stage_columns),
    ("dates", "readable", _stage_dates),
    ("normalise", "readable", _stage_normalise),
    ("keys", "readable", _stage_keys),
    ("offices", "readable", _stage_offices),
    ("references", "readable", _stage_references),
    ("as_of", "readable", _stage_as_of),
    ("audit", "clean", _stage_audit),
)


def _check_vocabulary_option(vocabulary) -> dict[str, tuple[str, ...]]:
    """The words a study adds to each extendable vocabulary (an OptionError if malformed)."""
    if vocabulary is None:
        return {}
    if not isinstance(vocabulary, Mapping):
        raise ContinuityTypeError(f"Study: vocabulary must be a mapping such as "
                                  f"{{'sectors': ['maritime']}}, not {type(vocabulary).__name__}")
    out = {}
    for key, words in vocabulary.items():
        if key not in EXTENDABLE:
            raise OptionError(f"Study: vocabulary names {key!r}, which cannot be extended; "
                              f"extendable are {', '.join(EXTENDABLE)}")
        words = [words] if isinstance(words, str) else list(words)
        bad = [w for w in words if not isinstance(w, str) or not w or w != w.strip()]
        if bad:
            raise OptionError(f"Study: vocabulary {key!r} holds {bad[0]!r}; give words as "
                              "text without leading or trailing spaces")
        out[key] = tuple(words)
    return out


def _can_run(needs: _Needs, state: _State, problems: Problems) -> bool:
    return (needs == "nothing" or (needs == "readable" and state.readable)
            or (needs == "clean" and not problems))


def prepare_tables(
    raw: Mapping[str, pd.DataFrame | None],
    *,
    as_of=None,
    offices=None,
    allow_unknown_exposure: bool = False,
    date_rule: DateRule = "middle",
    vocabulary: Mapping[str, Iterable[str]] | None = None,
) -> Prepared:
    """Validate the raw tables of a study and return them ready for use.

    Parameters
    ----------
    raw : mapping
        ``terms``, ``agreements``, ``parties`` and optionally ``activities``, ``targets``
        (None for an absent optional table).
    as_of, offices, allow_unknown_exposure, date_rule, vocabulary
        As for :class:`continuity.Study`.

    Returns
    -------
    Prepared

    Raises
    ------
    ValidationError
        Listing every problem found, with ``failure_cases``.
    OptionError
        ``allow_unknown_exposure`` is not a bool, ``date_rule`` is not a rule, or
        ``vocabulary`` is not a mapping of extendable vocabularies to words.
    """
    state = _State(raw, as_of, offices,
                   check_flag(allow_unknown_exposure, "allow_unknown_exposure", "Study"),
                   check_literal(date_rule, DateRule, "date_rule", "Study"),
                   _check_vocabulary_option(vocabulary))
    problems = Problems()
    for _name, needs, stage in _STAGES:
        if not _can_run(needs, state, problems):
            break
        stage(state, problems)
    problems.raise_if_any()
    return state.prepared()


def check_targets_for_attainment(targets: pd.DataFrame, where: str = "target_attainment") -> None:
    """Refuse targets of 0 where attainment (actual / target) is asked for.

    A Study accepts a target of 0 (a valid plan: "no visits this year"), so this check is not
    part of :func:`prepare_tables`; a metric that divides by the target calls it first.

    Parameters
    ----------
    targets : pandas.DataFrame
        The targets of a study (``study.targets``).
    where : str
        The function asking, for the message.

    Raises
    ------
    ValidationError
        Check code ``zero_target``, naming the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"agreement_id": ["LOI", "LOI"], "indicator": ["visits", "events"],
    ...                   "target": [2.0, 0.0], "actual": [1.0, 1.0]})
    >>> check_targets_for_attainment(t)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    continuity.errors.ValidationError: targets: 1 row has a target of 0, ... (row 1: 'LOI' ...
    """
    zero = (targets["target"] == 0).to_numpy()
    if not zero.any():
        return
    problems = Problems()
    rows = np.flatnonzero(zero)
    problems.add(
        "targets", "zero_target",
        f"{_plural(len(rows), 'row')} {_has(len(rows))} a target of 0, so attainment (actual / "
        "target) is undefined ("
        + _first(f"row {i}: {targets['agreement_id'].iloc[i]!r} "
                 f"{targets['indicator'].iloc[i]!r}" for i in rows)
        + f"); give a positive target, or leave the row out of {where}",
        rows=rows, column="target", values=targets["target"].iloc[rows])
    problems.raise_if_any()
