"""What differs from the issued plan, each change with why, and the rules that only the change breaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rotation.domain import Committee, Meeting, Mode, Plan
from rotation.i18n import format_date
from rotation.replan.words import say

if TYPE_CHECKING:
    from rotation.replan.records import Change, Changes
    from rotation.validate import Violation


def changes(
    committee: Committee,
    changes: Changes,
    issued: Sequence[Meeting],
    plan: Plan,
    cancelled: Sequence[Meeting],
) -> list[Change]:
    """What differs between the `issued` meetings and `plan`, each difference with its reason, in date order."""
    from rotation.replan.records import Change

    language = committee.language
    moved = {old for old, _ in changes.moves}
    leaving = set(changes.remove_units)
    unavailable = set(changes.unavailable)
    new_by_id = plan.by_id()
    order = sorted(plan.meetings, key=lambda meeting: meeting.date)
    position = {meeting.id: index for index, meeting in enumerate(order)}
    cadence = committee.cadence
    out: list[Change] = []
    gone = {meeting.id for meeting in cancelled}
    for old in issued:
        if old.id in gone:
            out.append(Change(old.id, old.date, "cancel", old.date.isoformat(), "", reason=say(committee, "cancelled")))
            continue
        new = new_by_id.get(old.id)
        if new is None:
            continue
        if new.date != old.date:
            if old.date in moved:
                reason = say(committee, "moved")
            elif any((unit, old.date) in unavailable for unit in old.roles.values()):
                unit = next(u for u in old.roles.values() if (u, old.date) in unavailable)
                reason = say(committee, "unavailable", unit=unit, date=format_date(old.date, language))
            else:
                reason = say(committee, "gap", low=cadence.min_gap_weeks, high=cadence.max_gap_weeks)
            out.append(Change(old.id, old.date, "date", old.date.isoformat(), new.date.isoformat(), reason=reason))
        if new.mode is not old.mode:
            out.append(
                Change(old.id, old.date, "mode", old.mode.value, new.mode.value, reason=say(committee, "alternate"))
            )
        if new.location != old.location:
            out.append(
                Change(
                    old.id, old.date, "location", old.location, new.location, reason=place_reason(committee, old, new)
                )
            )
        index = position[new.id]
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        for role in committee.role_keys:
            was, now = old.roles.get(role, ""), new.roles.get(role, "")
            if was == now:
                continue
            if was in leaving:
                reason = say(committee, "left", unit=was)
            elif (was, new.date) in unavailable:
                reason = say(committee, "unavailable", unit=was, date=format_date(new.date, language))
            else:
                carried = chain_reason(committee, role, now, new, before, after)
                fair = fair_reason(committee, role, now, was, new, order)
                if carried and any(chain.target == role for chain in committee.chains):
                    reason = carried
                else:
                    reason = fair or carried or say(committee, "balance")
            out.append(Change(old.id, old.date, "role", was, now, role=role, reason=reason))
    return out


def fair_reason(
    committee: Committee, role: str, now: str, was: str, meeting: Meeting, order: Sequence[Meeting]
) -> str | None:
    """Why `now` holds the role instead of `was`: it waited longer (None when it did not)."""
    if not now or role in meeting.pinned_roles:
        return None
    last: dict[str, dt.date] = {}
    for past in committee.history:
        if role not in committee.pinned_at(past) and past.roles.get(role):
            last[past.roles[role]] = past.date
    for other in order:
        if other.date >= meeting.date:
            break
        if role not in other.pinned_roles and other.roles.get(role):
            last[other.roles[role]] = other.date
    mine, theirs = last.get(now), last.get(was)
    if mine is not None and (theirs is None or mine >= theirs):
        return None
    label = committee.role(role).label(committee.language)
    if mine is None:
        return say(committee, "fair_never", unit=now, role=label)
    return say(committee, "fair_since", unit=now, role=label, date=format_date(mine, committee.language))


def place_reason(committee: Committee, old: Meeting, new: Meeting) -> str:
    """Why a meeting's location changed: its mode changed, or another unit hosts it."""
    if new.mode is not old.mode:
        return say(committee, "alternate")
    host = committee.modes.physical_host
    unit = new.roles.get(host) if host else None
    if new.mode is Mode.PHYSICAL and host and unit and unit != old.roles.get(host):
        return say(committee, "host", unit=unit, role=committee.role(host).label(committee.language))
    return ""


def chain_reason(
    committee: Committee,
    role: str,
    unit: str,
    meeting: Meeting,
    before: Meeting | None,
    after: Meeting | None,
) -> str | None:
    """Why `unit` holds `role`: a chain carried it there from the meeting before, or on to the meeting after."""
    language = committee.language
    for chain in committee.chains:
        source = committee.role(chain.source).label(language)
        target = committee.role(chain.target).label(language)
        if chain.target == role and before is not None and before.roles.get(chain.source) == unit:
            return say(
                committee, "carried", unit=unit, source=source, target=target, date=format_date(before.date, language)
            )
        if chain.source == role and after is not None and after.roles.get(chain.target) == unit:
            return say(committee, "carries", unit=unit, target=target, date=format_date(after.date, language))
    return None


def broken(committee: Committee, issued: Sequence[Meeting], since: dt.date, replanned: Plan) -> tuple[Violation, ...]:
    """The rules the `replanned` meetings break that the issued ones from `since` on did not break already.

    Only what this change breaks: a rule the issued plan already broke (a gap an earlier
    cancellation left) was reported then.
    """
    from rotation.validate import validate

    if not replanned.meetings:
        return ()
    issued_open = dataclasses.replace(replanned, meetings=tuple(m for m in issued if m.date >= since))

    def seen(violation: Violation) -> tuple[str, str]:
        return violation.rule, violation.meeting or violation.message

    known = {seen(violation) for violation in validate(committee, issued_open)} if issued_open.meetings else set()
    return tuple(v for v in validate(committee, replanned) if seen(v) not in known)
