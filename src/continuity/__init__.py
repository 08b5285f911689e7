"""continuity: do inter-governmental agreements outlive the leaders who signed them?"""

from continuity.errors import (
    ActivityOutsideLifeWarning,
    ContinuityError,
    ContinuityWarning,
    DependencyError,
    ReadError,
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "ActivityOutsideLifeWarning",
    "ContinuityError",
    "ContinuityWarning",
    "DependencyError",
    "ReadError",
    "ValidationError",
    "__version__",
]
