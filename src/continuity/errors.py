"""Errors and warnings raised by continuity.

Every error is a :class:`ContinuityError` and also the matching built-in exception, so that
``except ValueError`` in user code keeps working.
"""

from __future__ import annotations

from typing import Literal, get_args

import pandas as pd

__all__ = [
    "CHECK_CODES",
    "ActivityOutsideLifeWarning",
    "CheckCode",
    "ContinuityError",
    "ContinuityTypeError",
    "ContinuityWarning",
    "ConvergenceWarning",
    "DependencyError",
    "OptionError",
    "ReadError",
    "ValidationError",
    "WriteError",
]

FAILURE_COLUMNS = ["table", "row", "column", "check", "value", "message"]

#: The rules a study can break: the values of the ``check`` column of
#: :attr:`ValidationError.failure_cases`. Validation emits no other code.
CheckCode = Literal[
    "type",                 # a table is not a DataFrame
    "missing_column",       # a required column is absent
    "duplicate_column",     # a column name appears twice
    "empty_required",       # a required field is empty
    "not_a_number",         # a number column holds text
    "not_finite",           # a number is infinite
    "negative",             # a count or amount is below 0
    "whitespace",           # an id or name has leading or trailing spaces
    "vocabulary",           # a value outside a closed vocabulary (kind, precision, ...)
    "date",                 # a value that cannot be used as a date
    "timezone",             # timezone-aware dates mixed with naive ones
    "end_before_start",     # an interval ends before it starts
    "overlap",              # two terms of one office overlap
    "duplicate",            # a key appears more than once
    "offices",              # the offices setting names an unknown jurisdiction or office
    "several_offices",      # a jurisdiction has several offices and none was chosen
    "unknown_agreement",    # a row names an agreement that is not in agreements
    "parties",              # an agreement has fewer than two parties
    "no_leadership_terms",  # a party has no terms of its leadership office
    "as_of",                # as_of cannot be read or comes before every date
    "actual_without_target",  # a target row has an actual but no target
    "unknown_relationship",   # an activity names a relationship that is not its instrument's
    "unknown_side",           # an activity's side is not a party to its instrument
    "zero_target",            # a target of 0 where attainment (actual / target) is asked for
]
#: The values of :data:`CheckCode`, in order.
CHECK_CODES: tuple[str, ...] = get_args(CheckCode)


class ContinuityError(Exception):
    """Base class of every error raised by continuity."""


class ValidationError(ContinuityError, ValueError):
    """A study (or one of its tables) breaks the data model.

    Validation collects every problem before raising, so one error lists them all.

    Attributes
    ----------
    failure_cases : pandas.DataFrame
        One row per problem, with columns ``table`` (the table's name), ``row`` (the position of
        the offending row in the table as given, or NA for a problem of the whole table),
        ``column``, ``check`` (the rule broken: one of :data:`CHECK_CODES`, below), ``value``
        (the offending value, as text) and ``message`` (the sentence shown for the problem; one
        sentence may cover several rows).
    problems : list of str
        The sentences of the message, one per problem.

    Notes
    -----
    The codes of the ``check`` column (:data:`CheckCode`) are part of the public contract, so
    that ``failure_cases[failure_cases["check"] == "overlap"]`` keeps working:

    ``type``, ``missing_column``, ``duplicate_column``
        a table is not a DataFrame, lacks a required column, or names a column twice;
    ``empty_required``, ``not_a_number``, ``not_finite``, ``negative``
        a value is empty where required, not a number, infinite, or below 0 where the column
        holds a count or an amount;
    ``whitespace``
        an id or a name has leading or trailing spaces (``"Solo "`` is not ``"Solo"``);
    ``vocabulary``, ``date``, ``timezone``
        a value is outside its vocabulary (a kind, a precision), not a usable date (not a
        calendar date, an impossible time, outside 1677-09-22 .. 2262-04-11), or timezone-aware
        among naive dates;
    ``end_before_start``, ``overlap``
        an interval ends before it starts; two terms of one office overlap;
    ``duplicate``
        a key (``term_id``, ``agreement_id``, a party of an agreement) appears twice;
    ``offices``, ``several_offices``, ``no_leadership_terms``
        the leadership office cannot be chosen, or a party has no terms of it;
    ``unknown_agreement``, ``parties``
        a row names an agreement that does not exist; an agreement has fewer than two parties;
    ``as_of``
        the censoring date cannot be read or comes before every date of the study;
    ``actual_without_target``
        a target row gives an actual but no target;
    ``unknown_relationship``, ``unknown_side``
        an activity names a relationship that is not its instrument's, or a side that is not
        one of its instrument's parties;
    ``zero_target``
        a target of 0 where attainment is asked for: raised by
        :func:`continuity.validation.check_targets_for_attainment` (a Study holds such targets,
        since a target of 0 is a valid plan; attainment, actual / target, is undefined for it).

    A bad *argument* (an unknown option, a ``date_rule`` that does not exist) is an
    :class:`OptionError`, not a ValidationError: it says nothing about the data.
    """

    def __init__(self, problems: str | list[str], failure_cases: pd.DataFrame | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if failure_cases is None:
            failure_cases = pd.DataFrame(columns=FAILURE_COLUMNS)
        self.failure_cases = failure_cases.reset_index(drop=True)
        n = len(self.problems)
        if n == 1:
            text = self.problems[0]
        else:
            text = f"{n} problems in the study\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(text)


class OptionError(ContinuityError, ValueError):
    """A function was called with a bad argument (an unknown option, a number out of range).

    Unlike :class:`ValidationError` it says nothing about the data, and has no failure table.
    """


class ContinuityTypeError(ContinuityError, TypeError):
    """A function was given an object of the wrong kind (not a Study, not a DataFrame, ...)."""


class ReadError(ContinuityError, ValueError):
    """A file or folder could not be read as a study."""


class WriteError(ContinuityError, OSError):
    """A file could not be written (a folder in its place, no permission, a full disk)."""


class DependencyError(ContinuityError, ImportError):
    """An optional dependency is needed and not installed; the message names the install command."""


class ContinuityWarning(UserWarning):
    """Base class of every warning issued by continuity."""


class ConvergenceWarning(ContinuityWarning):
    """An iterative fit stopped before it converged, or a coefficient looks infinite.

    The result is still returned (as R's ``coxph`` does); its ``converged`` attribute says which.
    """


class ActivityOutsideLifeWarning(ContinuityWarning):
    """An activity is dated outside its instrument's life; it is kept and listed in the audit."""
