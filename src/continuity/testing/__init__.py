"""Helpers for testing code built on continuity: tiny scenarios, assertions, Hypothesis strategies.

``continuity.testing.strategies`` needs Hypothesis and is imported only when asked for
(``from continuity.testing import strategies``); the rest needs nothing beyond continuity.
"""

from continuity.testing.asserts import assert_episodes_valid, assert_study_equal
from continuity.testing.builders import Scenario, scenario
from continuity.testing.rows import episode_rows

__all__ = ["Scenario", "assert_episodes_valid", "assert_study_equal", "episode_rows", "scenario"]
