"""Checks of keyword arguments shared by the estimators and metrics."""

from __future__ import annotations

import numbers

from continuity.errors import ValidationError

__all__ = ["check_conf_level"]


def check_conf_level(conf_level: object, where: str) -> float:
    """``conf_level`` as a float strictly between 0 and 1, or a ValidationError naming ``where``.

    Examples
    --------
    >>> check_conf_level(0.9, "kaplan_meier")
    0.9
    """
    if (isinstance(conf_level, bool) or not isinstance(conf_level, numbers.Real)
            or not 0.0 < float(conf_level) < 1.0):
        raise ValidationError([
            f"{where}: conf_level must be a number strictly between 0 and 1, got "
            f"{conf_level!r}; use e.g. conf_level=0.95 for a 95% interval"
        ])
    return float(conf_level)
