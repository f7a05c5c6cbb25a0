"""rotation: plan the meetings of a committee whose roles rotate across its units.

>>> import rotation
>>> committee = rotation.example()
>>> plan = rotation.plan(committee)
>>> rotation.validate(committee, plan)
[]
"""

from __future__ import annotations

from rotation.config import load, loads
from rotation.domain import (
    Blackout,
    BlackoutRules,
    Cadence,
    Chain,
    Committee,
    FixedMeeting,
    Meeting,
    Mode,
    Modes,
    PastMeeting,
    Person,
    Plan,
    Role,
    Unit,
)
from rotation.errors import (
    ConfigError,
    Conflict,
    HorizonError,
    InfeasibleError,
    PlanFileError,
    RotationError,
)
from rotation.solve import plan
from rotation.validate import Violation, validate

__all__ = [
    "Blackout",
    "BlackoutRules",
    "Cadence",
    "Chain",
    "Committee",
    "ConfigError",
    "Conflict",
    "FixedMeeting",
    "HorizonError",
    "InfeasibleError",
    "Meeting",
    "Mode",
    "Modes",
    "PastMeeting",
    "Person",
    "Plan",
    "PlanFileError",
    "Role",
    "RotationError",
    "Unit",
    "Violation",
    "__version__",
    "example",
    "load",
    "loads",
    "plan",
    "validate",
]

__version__ = "0.1.0"


def example() -> Committee:
    """The built-in example committee (the national coordinators' meeting, twelve units)."""
    from rotation.config import example_text

    return loads(example_text(), source="<built-in example>")
