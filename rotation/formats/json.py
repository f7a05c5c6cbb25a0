"""The JSON export: written for other tools (docs/reference/json.md) and read back as the plan it holds."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from rotation.config import MODE_NAMES, parse_any_date
from rotation.domain import Committee, IssuedMeeting, Meeting, Mode, Plan
from rotation.errors import PlanFileError
from rotation.formats.values import in_range, show

__all__ = ["JSON_SCHEMA_VERSION", "plan_to_data", "read", "to_json"]


JSON_SCHEMA_VERSION = 1
_JSON_SCHEMAS = (1,)
"""The schemas this version reads."""


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (see docs/reference/json.md)."""
    data: dict[str, Any] = {
        "schema": JSON_SCHEMA_VERSION,
        "committee": plan.committee_name,
        "timezone": plan.timezone,
        "horizon": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "optimal": plan.optimal,
        "meetings": [_meeting_data(m) for m in plan.meetings],
    }
    if plan.cancelled:
        data["cancelled"] = [_meeting_data(m) for m in plan.cancelled]
    if plan.left:
        data["left"] = [{"unit": unit, "from": day.isoformat()} for unit, day in plan.left]
    if plan.issued:
        data["issued"] = [
            {
                "id": record.id,
                "uid": record.uid,
                "sequence": record.sequence,
                "cancelled": record.cancelled,
                "attendees": [{"name": name, "email": email} for name, email in record.attendees],
                "shown": dict(record.shown),
            }
            for record in plan.issued
        ]
    return data


def _meeting_data(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.id,
        "date": m.date.isoformat(),
        "start": m.start.strftime("%H:%M"),
        "end": m.end.strftime("%H:%M"),
        "mode": m.mode.value,
        "location": m.location,
        "fixed_date": m.fixed_date,
        "pinned_roles": list(m.pinned_roles),
        "roles": dict(m.roles),
        "title": m.title,
        "sequence": m.sequence,
    }


def to_json(committee: Committee, plan: Plan, language: str | None = None) -> str:
    """The JSON export for other tools."""
    del committee, language  # the export is language-neutral
    return json.dumps(plan_to_data(plan), ensure_ascii=False, indent=2) + "\n"


# -- reading -----------------------------------------------------------------------------------------


def read(text: str, source: str) -> Plan:
    """The plan in the JSON export `text`; `source` names the file in messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanFileError(f"this is not valid JSON: {err.msg}.", file=source, line=err.lineno) from None
    except RecursionError:
        raise PlanFileError("this JSON is nested too deeply to be a planning export.", file=source) from None
    if not isinstance(data, dict) or not isinstance(data.get("meetings"), list):
        raise PlanFileError("this JSON is not a planning export: it has no list 'meetings'.", file=source)
    schema = data.get("schema", 1)
    if schema not in _JSON_SCHEMAS:
        raise PlanFileError(
            f"the export has schema {schema!r}; this version of rotation reads schema "
            f"{', '.join(map(str, _JSON_SCHEMAS))}.",
            file=source,
        )
    given = data.get("horizon")
    horizon: dict[str, Any] = given if isinstance(given, dict) else {}
    meetings = [_meeting_from_json(item, index, source) for index, item in enumerate(data["meetings"])]
    meetings.sort(key=lambda m: m.date)
    start = _json_date(horizon.get("start"), "horizon.start", source) if horizon.get("start") else None
    end = _json_date(horizon.get("end"), "horizon.end", source) if horizon.get("end") else None
    if start and end and end < start:
        raise PlanFileError(
            f"'horizon.end' ({end.isoformat()}) is before 'horizon.start' ({start.isoformat()}).", file=source
        )
    dates = [m.date for m in meetings]
    committee = data.get("committee", "")
    timezone = data.get("timezone", "Europe/Amsterdam")
    return Plan(
        committee_name=committee if isinstance(committee, str) else "",
        timezone=timezone if isinstance(timezone, str) else "Europe/Amsterdam",
        start=start or (min(dates) if dates else dt.date.min),
        end=end or (max(dates) if dates else dt.date.max),
        meetings=tuple(meetings),
        optimal=data.get("optimal") is True,
        issued=_issued_from_json(data.get("issued"), source),
        left=_left_from_json(data.get("left"), source),
        cancelled=_cancelled_from_json(data.get("cancelled"), source),
    )


def _cancelled_from_json(value: object, source: str) -> tuple[Meeting, ...]:
    """The meetings `rotation replan` cancelled (key `cancelled`); absent in most plans."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > 10_000:
        raise PlanFileError("'cancelled' is not a list of meetings.", file=source)
    meetings = [_meeting_from_json(item, index, source, "cancelled") for index, item in enumerate(value)]
    return tuple(sorted(meetings, key=lambda meeting: meeting.date))


def _left_from_json(value: object, source: str) -> tuple[tuple[str, dt.date], ...]:
    """The units that left while the plan ran (key `left`); absent in most plans."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > 1_000:
        raise PlanFileError("'left' is not a list of units that left, each with 'unit' and 'from'.", file=source)
    out = []
    for index, item in enumerate(value):
        unit = item.get("unit") if isinstance(item, dict) else None
        if not isinstance(unit, str) or not unit.strip() or len(unit) > 200:
            raise PlanFileError(f"'left[{index}].unit' is not a unit name: {show(unit)}.", file=source)
        out.append((unit.strip(), _json_date(item.get("from"), f"left[{index}].from", source)))
    return tuple(sorted(set(out)))


def _issued_from_json(value: object, source: str) -> tuple[IssuedMeeting, ...]:
    """The record of what was issued (key `issued`); absent in plans that were never issued."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PlanFileError("'issued' is not a list of issued meetings.", file=source)
    records = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        key = f"issued[{index}]"
        if not isinstance(item, dict):
            raise PlanFileError(f"'{key}' is not an object.", file=source)
        texts = {name: item.get(name) for name in ("id", "uid")}
        for name, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise PlanFileError(f"'{key}.{name}' is not text: {show(text)}.", file=source)
        sequence = item.get("sequence")
        if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence < 1_000_000:
            raise PlanFileError(f"'{key}.sequence' is not a whole number from 0: {show(sequence)}.", file=source)
        attendees = item.get("attendees", [])
        if not isinstance(attendees, list) or not all(
            isinstance(a, dict) and isinstance(a.get("name", ""), str) and isinstance(a.get("email"), str)
            for a in attendees
        ):
            raise PlanFileError(f"'{key}.attendees' is not a list of {{name, email}} objects.", file=source)
        shown = item.get("shown", {})
        if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
            raise PlanFileError(f"'{key}.shown' is not an object of property names to text.", file=source)
        uid = str(texts["uid"])
        if uid in seen:
            raise PlanFileError(f"'{key}.uid' appears twice in 'issued': {show(uid)}.", file=source)
        seen.add(uid)
        records.append(
            IssuedMeeting(
                id=str(texts["id"]),
                uid=uid,
                sequence=sequence,
                attendees=tuple((str(a.get("name", "")), str(a["email"])) for a in attendees),
                shown={str(k): v for k, v in shown.items()},
                cancelled=item.get("cancelled") is True,
            )
        )
    return tuple(records)


def _json_date(value: object, key: str, source: str) -> dt.date:
    day = parse_any_date(value) if isinstance(value, str) else None
    if day is None:
        raise PlanFileError(f"'{key}' is not a date such as 2023-03-16: {show(value)}.", file=source)
    return in_range(day, source, None)


def _json_time(value: object, key: str, source: str, default: dt.time) -> dt.time:
    if value is None:
        return default
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value.strip())
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return dt.time(int(match.group(1)), int(match.group(2)))
    raise PlanFileError(f"'{key}' is not a time such as \"10:00\": {show(value)}.", file=source)


def _mode(value: object, key: str, source: str) -> Mode:
    mode = MODE_NAMES.get(value.strip().casefold()) if isinstance(value, str) else None
    if mode is None:
        raise PlanFileError(f"'{key}' is not a mode (teams or physical): {show(value)}.", file=source)
    return mode


def _meeting_from_json(item: Any, index: int, source: str, field: str = "meetings") -> Meeting:
    key = f"{field}[{index}]"
    if not isinstance(item, dict):
        raise PlanFileError(f"'{key}' is not an object.", file=source)
    day = _json_date(item.get("date"), f"{key}.date", source)
    roles = item.get("roles", {})
    if roles is None:
        roles = {}
    if not isinstance(roles, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items()):
        raise PlanFileError(f"'{key}.roles' is not an object of role names to unit names.", file=source)
    roles = {k: v.strip() for k, v in roles.items() if v.strip()}
    pinned = item.get("pinned_roles", [])
    if pinned is None:
        pinned = []
    if not isinstance(pinned, list) or not all(isinstance(p, str) for p in pinned):
        raise PlanFileError(f"'{key}.pinned_roles' is not a list of role names.", file=source)
    sequence = item.get("sequence", 0)
    if sequence is None:
        sequence = 0
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence < 1_000_000:
        raise PlanFileError(f"'{key}.sequence' is not a whole number from 0: {show(sequence)}.", file=source)
    location = item.get("location") or ""
    title = item.get("title")
    if not isinstance(location, str):
        raise PlanFileError(f"'{key}.location' is not text: {show(location)}.", file=source)
    if title is not None and not isinstance(title, str):
        raise PlanFileError(f"'{key}.title' is not text: {show(title)}.", file=source)
    identity = item.get("id")
    if isinstance(identity, bool) or not isinstance(identity, (str, int)) or not str(identity).strip():
        identity = f"{day.year}-{index + 1:02d}"
    return Meeting(
        id=str(identity).strip()[:200],
        date=day,
        start=_json_time(item.get("start"), f"{key}.start", source, dt.time(10, 0)),
        end=_json_time(item.get("end"), f"{key}.end", source, dt.time(12, 30)),
        mode=_mode(item.get("mode"), f"{key}.mode", source),
        location=location,
        roles=roles,
        fixed_date=item.get("fixed_date") is True,
        pinned_roles=tuple(pinned),
        title=title or None,
        sequence=sequence,
    )
