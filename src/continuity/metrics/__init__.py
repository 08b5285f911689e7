"""Continuity metrics: pure functions ``Study -> tidy DataFrame``.

Each returns the estimate, its interval and the counts behind it, in fixed snake_case columns.

- :func:`dormancy`, :func:`dormancy_shares`: the de facto end of instruments or of
  relationships (``level="relationship"``: activity under any instrument counts), paper
  partnerships; shares among units formally alive at ``as_of``.
- :func:`renewal`, :func:`renewal_shares`: renewal at expiry (a renewal by name, or a later
  instrument entering within a grace period of the expiry), shares over decided expiries.
- :func:`portfolio_retention`: one administration's relationships kept by the next (active
  at the handover, by default; or any sign of life; or formally in force).
- :func:`lame_duck_signings`, :func:`lame_duck`, :func:`lame_duck_survival`: instruments
  signed in the signer's last months in office, and how long they last.
- :func:`stage_entries`, :func:`stage_progression`, :func:`stage_timing`: LoI -> MoU ->
  agreement -> renewal, conversion shares and time to the next stage.
- :func:`landmark_spells`, :func:`survival_across_administrations`: the share of
  relationships alive some time after a leader change (every change, or the first after
  signing), with intervals clustered by relationship.
- :func:`transition_hazard_ratio`: the hazard of ending just after a leader change, with a
  placebo of random change dates.

One rule of what an administration is serves every metric: one holder's uninterrupted hold
on the office, through a stand-in's spell while the holder is on leave (a Plt during
campaign leave), but not through a caretaker appointed to a vacant office (a Pj).
"""

from continuity.metrics._activity import activity_change, activity_rates
from continuity.metrics._dormancy import dormancy, dormancy_shares
from continuity.metrics._goals import goal_breadth, goal_coverage, reciprocity
from continuity.metrics._lame_duck import lame_duck, lame_duck_signings, lame_duck_survival
from continuity.metrics._leader_change import (
    landmark_spells,
    survival_across_administrations,
    transition_hazard_ratio,
)
from continuity.metrics._renewal import renewal, renewal_shares
from continuity.metrics._retention import portfolio_retention
from continuity.metrics._scorecard import administration_scorecard
from continuity.metrics._stages import stage_entries, stage_progression, stage_timing
from continuity.metrics._targets import budget_realisation, target_attainment

__all__ = [
    "activity_change",
    "activity_rates",
    "administration_scorecard",
    "budget_realisation",
    "dormancy",
    "dormancy_shares",
    "goal_breadth",
    "goal_coverage",
    "lame_duck",
    "lame_duck_signings",
    "lame_duck_survival",
    "landmark_spells",
    "portfolio_retention",
    "reciprocity",
    "renewal",
    "renewal_shares",
    "stage_entries",
    "stage_progression",
    "stage_timing",
    "survival_across_administrations",
    "target_attainment",
    "transition_hazard_ratio",
]
