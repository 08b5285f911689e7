"""Continuity metrics: pure functions ``Study -> tidy DataFrame``.

Each returns the estimate, its interval and the counts behind it, in fixed snake_case columns.

- :func:`dormancy`, :func:`dormancy_shares`: the de facto end of instruments, paper partnerships.
- :func:`renewal`, :func:`renewal_shares`: renewal at expiry within a grace period.
- :func:`portfolio_retention`: one administration's active relationships kept by the next.
- :func:`transition_hazard_ratio`: the hazard of ending just after a leader change, with a
  placebo of random change dates.
"""

from continuity.metrics.dormancy import dormancy, dormancy_shares
from continuity.metrics.renewal import renewal, renewal_shares
from continuity.metrics.retention import portfolio_retention
from continuity.metrics.transitions import transition_hazard_ratio

__all__ = [
    "dormancy",
    "dormancy_shares",
    "portfolio_retention",
    "renewal",
    "renewal_shares",
    "transition_hazard_ratio",
]
