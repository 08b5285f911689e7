"""Errors and warnings raised by continuity.

Every error is a :class:`ContinuityError` and also the matching built-in exception, so that
``except ValueError`` in user code keeps working.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "ActivityOutsideLifeWarning",
    "ContinuityError",
    "ContinuityTypeError",
    "ContinuityWarning",
    "ConvergenceWarning",
    "DependencyError",
    "OptionError",
    "ReadError",
    "ValidationError",
]

FAILURE_COLUMNS = ["table", "row", "column", "check", "value", "message"]


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
        ``column``, ``check`` (a short name of the rule broken), ``value`` (the offending value,
        as text) and ``message`` (the sentence shown for the problem; one sentence may cover
        several rows).
    problems : list of str
        The sentences of the message, one per problem.
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
