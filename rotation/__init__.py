"""rotation: plan the meetings of a committee whose roles rotate across its units.

>>> import rotation
>>> committee = rotation.example()
>>> plan = rotation.plan(committee)
>>> rotation.validate(committee, plan)
[]
"""

from __future__ import annotations

import sys
import types
import typing

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
    MailError,
    MissingPackageError,
    PlanFileError,
    RotationError,
    UnreadableFile,
    UsageError,
)

if typing.TYPE_CHECKING:
    from rotation.alternatives import Alternative, alternatives
    from rotation.config import load, loads
    from rotation.explain import explain
    from rotation.fairness import RoleCount, role_counts
    from rotation.formats.read import read_plan
    from rotation.horizon import Horizon, choose_horizon
    from rotation.issuing import Issue, invites, issue, issue_replan, overview, write_ics
    from rotation.outputs import alternatives_output, fairness_report, plan_output
    from rotation.planning_check import check_planning
    from rotation.replan import Change, Changes, Replan, replan, with_history
    from rotation.solve import plan
    from rotation.validate import Violation, validate

_LAZY = {
    "Alternative": "rotation.alternatives",
    "alternatives": "rotation.alternatives",
    "check_planning": "rotation.planning_check",
    "load": "rotation.config",
    "loads": "rotation.config",
    "explain": "rotation.explain",
    "RoleCount": "rotation.fairness",
    "role_counts": "rotation.fairness",
    "Horizon": "rotation.horizon",
    "choose_horizon": "rotation.horizon",
    "Issue": "rotation.issuing",
    "invites": "rotation.issuing",
    "issue": "rotation.issuing",
    "issue_replan": "rotation.issuing",
    "overview": "rotation.issuing",
    "write_ics": "rotation.issuing",
    "alternatives_output": "rotation.outputs",
    "fairness_report": "rotation.outputs",
    "plan_output": "rotation.outputs",
    "read_plan": "rotation.formats.read",
    "Change": "rotation.replan",
    "Changes": "rotation.replan",
    "Replan": "rotation.replan",
    "replan": "rotation.replan",
    "with_history": "rotation.replan",
    "plan": "rotation.solve",
    "Violation": "rotation.validate",
    "validate": "rotation.validate",
}
"""Names imported from their modules when first used, so that `import rotation` (and the command line) starts
quickly and a command loads only what it needs."""


class _Package(types.ModuleType):
    """The package `rotation`: importing a submodule (`rotation.replan`) leaves the function of that name in place."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return  # the module stays in sys.modules; `rotation.replan` is the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rotation' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    "Issue",
    "MailError",
    "Meeting",
    "MissingPackageError",
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
    "UnreadableFile",
    "UsageError",
    "Violation",
    "__version__",
    "alternatives",
    "alternatives_output",
    "check_planning",
    "choose_horizon",
    "example",
    "explain",
    "fairness_report",
    "invites",
    "issue",
    "issue_replan",
    "load",
    "loads",
    "overview",
    "plan",
    "plan_output",
    "read_plan",
    "replan",
    "role_counts",
    "validate",
    "with_history",
    "write_ics",
]

__version__ = "0.1.0"


def example() -> Committee:
    """The built-in example committee (the national coordinators' meeting, twelve units)."""
    from rotation.config import example_text, loads

    return loads(example_text(), source="<built-in example>")
