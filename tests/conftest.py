"""Settings shared by the whole suite: Hypothesis profiles.

``ci`` (the default) keeps the property tests fast; ``nightly`` tries many more examples. Pick
one with the environment variable ``HYPOTHESIS_PROFILE`` (``HYPOTHESIS_PROFILE=nightly pytest
tests/property``). The property tests carry no settings of their own beyond this.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# generated studies are built through validation, which is slow for Hypothesis' taste
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("nightly", max_examples=1000, deadline=None,
                          suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
