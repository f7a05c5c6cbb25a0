"""How often each unit held each role: over the history (the fairness window) and a plan.

`role_counts` is plain counting, without the solver, so that tables and pages
can show the same numbers the model balances (`rotation.model.history_counts`
counts the history the same way).

>>> import rotation
>>> from rotation.fairness import role_counts
>>> committee = rotation.example()
>>> counts = role_counts(committee, rotation.plan(committee))
>>> [(c.past, c.planned) for c in counts if c.unit == "Oost-Nederland" and c.role == "chair"]
[(1, 0)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rotation.domain import Committee, Plan

__all__ = ["RoleCount", "fairness_since", "role_counts"]


@dataclass(frozen=True)
class RoleCount:
    """The turns of one unit in one role."""

    unit: str
    role: str
    """The role's key."""
    past: int
    """Turns in the history, counted over the committee's fairness window."""
    planned: int
    """Turns in the plan (0 without a plan)."""
    last: dt.date | None
    """The unit's last turn in this role, in the whole history or the plan (None: never)."""
    eligible: bool
    """Whether the unit takes part in this role."""
    waited_longest: bool
    """Of the eligible units, none has waited longer for this role (never counts as longest)."""

    @property
    def total(self) -> int:
        return self.past + self.planned


def fairness_since(committee: Committee, plan: Plan | None = None) -> dt.date | None:
    """The first history date that counts: `fairness_years` before the plan (or the end of the history).

    None when every past meeting counts (no `fairness_years`, or nothing to count back from).
    """
    if not committee.fairness_years:
        return None
    if plan is not None:
        before = plan.start
    elif committee.history:
        before = committee.history[-1].date + dt.timedelta(days=1)
    else:
        return None
    return before - dt.timedelta(days=round(365.25 * committee.fairness_years))


def role_counts(committee: Committee, plan: Plan | None = None) -> list[RoleCount]:
    """Per unit (in rotation order) and role (in the committee's order), the turns over history and plan.

    Units that take part in no role (a unit that left) are not listed.

    History meetings count from `fairness_since`; a plan meeting on a date the
    history already holds is counted once, as history. The unit flagged
    `waited_longest` for a role is the eligible unit whose last turn in it,
    history and plan together, is the oldest (or that never had one); several
    units share the flag when they tie.
    """
    since = fairness_since(committee, plan)
    past_dates = {meeting.date for meeting in committee.history}
    past: dict[tuple[str, str], int] = {}
    planned: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], dt.date] = {}
    for meeting in committee.history:
        for role, unit in meeting.roles.items():
            if since is None or meeting.date >= since:
                past[role, unit] = past.get((role, unit), 0) + 1
            last[role, unit] = max(last.get((role, unit), meeting.date), meeting.date)
    for item in plan.meetings if plan is not None else ():
        if item.date in past_dates:
            continue
        for role, unit in item.roles.items():
            planned[role, unit] = planned.get((role, unit), 0) + 1
            last[role, unit] = max(last.get((role, unit), item.date), item.date)
    longest: dict[str, set[str]] = {}
    for role in committee.role_keys:
        eligible = committee.eligible(role)
        if not eligible:
            continue
        never = {unit for unit in eligible if (role, unit) not in last}
        if never:
            longest[role] = never
        else:
            oldest = min(last[role, unit] for unit in eligible)
            longest[role] = {unit for unit in eligible if last[role, unit] == oldest}
    out = []
    for unit in committee.order:
        if not any(unit in committee.eligible(role) for role in committee.role_keys):
            continue  # a unit that left: it stays listed for its history only
        for role in committee.role_keys:
            out.append(
                RoleCount(
                    unit=unit,
                    role=role,
                    past=past.get((role, unit), 0),
                    planned=planned.get((role, unit), 0),
                    last=last.get((role, unit)),
                    eligible=unit in committee.eligible(role),
                    waited_longest=unit in longest.get(role, set()),
                )
            )
    return out
