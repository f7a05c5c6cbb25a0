"""rotation: plan the meetings of a committee whose roles rotate across its units.

>>> import rotation
>>> committee = rotation.example()
>>> plan = rotation.plan(committee)
>>> rotation.validate(committee, plan)
[]
"""

from __future__ import annotations

from rotation.alternatives import Alternative, alternatives
from rotation.checks import check_planning
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
from rotation.explain import explain
from rotation.fairness import RoleCount, role_counts
from rotation.horizon import Horizon, choose_horizon
from rotation.planfile import read_plan
from rotation.replan import Change, Changes, Replan, replan, with_history
from rotation.solve import plan
from rotation.validate import Violation, validate

__all__ = [
    "Alternative",
    "Blackout",
    "BlackoutRules",
    "Cadence",
    "Chain",
    "Change",
    "Changes",
    "Committee",
    "ConfigError",
    "Conflict",
    "FixedMeeting",
    "Horizon",
    "HorizonError",
    "InfeasibleError",
    "Meeting",
    "Mode",
    "Modes",
    "PastMeeting",
    "Person",
    "Plan",
    "PlanFileError",
    "Replan",
    "Role",
    "RoleCount",
    "RotationError",
    "Unit",
    "Violation",
    "__version__",
    "alternatives",
    "check_planning",
    "choose_horizon",
    "example",
    "explain",
    "load",
    "loads",
    "plan",
    "read_plan",
    "replan",
    "role_counts",
    "validate",
    "with_history",
]

__version__ = "0.1.0"


def example() -> Committee:
    """The built-in example committee (the national coordinators' meeting, twelve units)."""
    from rotation.config import example_text

    return loads(example_text(), source="<built-in example>")
