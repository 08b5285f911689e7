"""continuity: do inter-governmental agreements outlive the leaders who signed them?

The public face of the package; see the README for the whole path from data to results.
"""

from importlib import metadata as _metadata

from continuity import datasets, metrics, plotting, report, simulate, testing
from continuity.competing import cumulative_incidence
from continuity.coxph import CoxResult, cox
from continuity.design import Design, power, power_curve, schoenfeld_events
from continuity.episodes import EpisodeOptions, audit_episodes, split_episodes
from continuity.errors import (
    ActivityOutsideLifeWarning,
    ContinuityError,
    ContinuityTypeError,
    ContinuityWarning,
    ConvergenceWarning,
    DependencyError,
    OptionError,
    ReadError,
    ValidationError,
)
from continuity.event_studies import EventStudyResult, discrete_hazard, event_study
from continuity.hazard import nelson_aalen
from continuity.io import read_study
from continuity.leadership import administrations, compute_transitions
from continuity.panel import build_panel
from continuity.proportions import exact_proportion
from continuity.rates import rate_ratio, wilson_interval
from continuity.simulate import simulate_study
from continuity.study import Study
from continuity.survival import kaplan_meier, logrank, logrank_table, median_survival, rmst

try:  # the one version number is pyproject.toml's; the installed metadata carries it
    __version__ = _metadata.version("continuity")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "ActivityOutsideLifeWarning",
    "ContinuityError",
    "ContinuityTypeError",
    "ContinuityWarning",
    "ConvergenceWarning",
    "CoxResult",
    "DependencyError",
    "Design",
    "EpisodeOptions",
    "EventStudyResult",
    "OptionError",
    "ReadError",
    "Study",
    "ValidationError",
    "__version__",
    "administrations",
    "audit_episodes",
    "build_panel",
    "compute_transitions",
    "cox",
    "cumulative_incidence",
    "datasets",
    "discrete_hazard",
    "event_study",
    "exact_proportion",
    "kaplan_meier",
    "logrank",
    "logrank_table",
    "median_survival",
    "metrics",
    "nelson_aalen",
    "plotting",
    "power",
    "power_curve",
    "rate_ratio",
    "read_study",
    "report",
    "rmst",
    "schoenfeld_events",
    "simulate",
    "simulate_study",
    "split_episodes",
    "testing",
    "wilson_interval",
]
