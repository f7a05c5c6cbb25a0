"""Replanning: a change to the issued plan changes as little as the rules allow, and Outlook gets exactly that."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from conftest import EXAMPLE_FILE

import rotation
from calendars.ics import changes as calendar_changes
from calendars.ics import meeting_uid
from rotation.cli import main
from rotation.domain import Committee, Plan
from rotation.formats import to_json
from rotation.horizon import Horizon
from rotation.replan import Changes, Replan, describe, replan, with_history
from rotation.solve import solve_horizon

STAMP = dt.datetime(2023, 8, 1, 9, 0, tzinfo=dt.UTC)


def assert_valid(result: Replan) -> None:
    """The replanned meetings meet every rule of the committee as it is now."""
    violations = rotation.validate(result.committee, result.replanned)
    assert violations == [], "\n".join(map(str, violations))


def differences(committee: Committee, before: Plan, after: Plan) -> int:
    """Changed dates plus changed role holders, meeting by meeting (matched by id)."""
    old = before.by_id()
    count = 0
    for meeting in after.meetings:
        was = old[meeting.id]
        count += meeting.date != was.date
        count += sum(meeting.roles.get(role) != was.roles.get(role) for role in committee.role_keys)
    return count


def moves(plan: Plan) -> list[tuple[dt.date, dt.date]]:
    """Every move of a meeting one week earlier or later."""
    week = dt.timedelta(weeks=1)
    return [(m.date, m.date + step) for m in plan.meetings if not m.fixed_date for step in (-week, week)]


def test_moving_the_september_meeting_changes_only_that_meeting(example, example_plan):
    september = dt.date(2023, 9, 7)
    result = replan(example, example_plan, Changes(moves=((september, dt.date(2023, 9, 14)),)))
    assert_valid(result)
    assert [(c.meeting, c.kind, c.old, c.new) for c in result.changes] == [
        ("2023-05", "date", "2023-09-07", "2023-09-14")
    ]
    before, after = example_plan.by_id(), result.plan.by_id()
    assert after.keys() == before.keys()
    for key, meeting in after.items():
        expected = before[key] if key != "2023-05" else dataclasses.replace(before[key], date=dt.date(2023, 9, 14))
        assert dataclasses.replace(meeting, fixed_date=expected.fixed_date) == expected


def test_moving_yields_exactly_one_update_with_the_same_uid(example, example_plan):
    result = replan(example, example_plan, Changes(moves=((dt.date(2023, 9, 7), dt.date(2023, 9, 14)),)))
    issued, files = calendar_changes(result.committee, example_plan, result.plan, stamp=STAMP)
    assert [(f.kind, f.meeting.id, f.meeting.sequence) for f in files] == [("update", "2023-05", 1)]
    text = files[0].data.decode()
    assert f"UID:{meeting_uid(example, example_plan.by_id()['2023-05'])}" in text
    assert "SEQUENCE:1" in text
    assert "METHOD:REQUEST" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20230914T100000" in text
    assert [m.sequence for m in issued.meetings] == [0, 0, 0, 1, 0, 0]


@pytest.mark.parametrize("today", [None, dt.date(2023, 3, 20)])
def test_a_move_changes_only_that_meeting_whenever_the_rules_allow(example, example_plan, today):
    tried = 0
    for old, new in moves(example_plan):
        try:
            result = replan(example, example_plan, Changes(moves=((old, new),)), today=today)
        except (rotation.InfeasibleError, rotation.ConfigError):
            continue  # a holiday, or no room for the gaps: the rules do not allow this move
        tried += 1
        assert_valid(result)
        only_this = result.replanned
        naive = dataclasses.replace(
            only_this,
            meetings=tuple(
                dataclasses.replace(m, date=new) if m.date == old else m
                for m in sorted(example_plan.meetings, key=lambda m: m.date)
                if m.date >= result.since
            ),
        )
        if rotation.validate(result.committee, naive) == []:
            assert [c.kind for c in result.changes] == ["date"], (old, new, describe(result, "en"))
        else:
            assert len(result.updated) > 1  # the rules made another meeting change too
    assert tried >= 3


def test_cancelling_a_meeting_keeps_the_others_and_sends_one_cancellation(example, example_plan):
    september = dt.date(2023, 9, 7)
    result = replan(example, example_plan, Changes(cancel=(september,)))
    assert [m.id for m in result.cancelled] == ["2023-05"]
    assert september not in result.plan.dates()
    kept = {m.id: m.date for m in result.plan.meetings}
    assert kept == {m.id: m.date for m in example_plan.meetings if m.date != september}
    # The chains jump over the cancelled meeting: Rotterdam took the minutes in July and chairs in November.
    assert result.plan.by_id()["2023-06"].roles["chair"] == "Rotterdam"
    assert {v.rule for v in result.broken} == {"Gap after the history", "Mode alternation"}
    # What the solver planned, with the cancelled meeting still in its place (the chains jump over it), is valid.
    placeholder = dataclasses.replace(result.cancelled[0], pinned_roles=example.role_keys)
    solved = sorted((*result.replanned.meetings, placeholder), key=lambda m: m.date)
    assert rotation.validate(result.committee, dataclasses.replace(result.replanned, meetings=tuple(solved))) == []
    _, files = calendar_changes(result.committee, example_plan, result.plan, stamp=STAMP)
    kinds = [(f.kind, f.meeting.id, f.meeting.sequence) for f in files]
    assert ("cancel", "2023-05", 1) in kinds
    cancel = next(f for f in files if f.kind == "cancel").data.decode()
    assert "METHOD:CANCEL" in cancel and "STATUS:CANCELLED" in cancel
    assert f"UID:{meeting_uid(example, example_plan.by_id()['2023-05'])}" in cancel


def test_unavailable_unit_gets_no_role_that_day(example, example_plan):
    september = example_plan.by_id()["2023-05"]
    unit = september.roles["case"]
    result = replan(example, example_plan, Changes(unavailable=((unit, september.date),)))
    assert_valid(result)
    moved = result.plan.by_id()["2023-05"]
    assert moved.date != september.date or unit not in moved.roles.values()
    assert len(result.updated) == 1


@pytest.mark.parametrize("leaving", ["Rotterdam", "Den Haag", "Noord-Holland", "Oost-Nederland", "Midden-Nederland"])
def test_a_unit_leaving_mid_year_changes_the_fewest_assignments(example, example_plan, leaving):
    since = dt.date(2023, 6, 1)
    result = replan(example, example_plan, Changes(remove_units=(leaving,), start=since))
    # A unit that took the minutes (or gave the knowledge item) at the last meeting held
    # cannot carry that chain on: that link, and only that one, is reported as broken.
    violations = rotation.validate(result.committee, result.replanned)
    assert violations == list(result.broken)
    assert all(v.rule == "Succession" and v.message.startswith(leaving) for v in violations), violations
    assert all(leaving not in m.roles.values() for m in result.replanned.meetings)
    # A plan made afresh for the same months, without regard for what was issued:
    part = result.replanned
    horizon = Horizon(start=part.start, end=part.end, meetings=len(part.meetings))
    fresh = solve_horizon(result.committee, horizon)
    assert [v.rule for v in rotation.validate(result.committee, fresh)] == [v.rule for v in violations]
    fresh = dataclasses.replace(
        fresh,
        meetings=tuple(dataclasses.replace(m, id=o.id) for m, o in zip(fresh.meetings, part.meetings, strict=True)),
    )
    ours = differences(example, example_plan, part)
    theirs = differences(example, example_plan, fresh)
    held_roles = sum(leaving in m.roles.values() for m in example_plan.meetings if m.date >= since)
    assert held_roles <= ours <= theirs


def test_a_unit_joining_changes_nothing_now_and_takes_its_turn_next_year(example):
    # Without school holidays: with them, 2024 leaves no room for six meetings after 11 January.
    example = dataclasses.replace(example, blackouts=dataclasses.replace(example.blackouts, school_regions=()))
    example_plan = rotation.plan(example)
    result = replan(example, example_plan, Changes(add_units=("Limburg",), start=dt.date(2023, 6, 1)))
    assert_valid(result)
    assert result.changes == ()
    assert result.committee.unit("Limburg").name == "Limburg"
    assert all("Limburg" in result.committee.eligible(role) for role in example.role_keys)
    next_year = rotation.plan(with_history(result.committee, result.plan.meetings))
    assert rotation.validate(with_history(result.committee, result.plan.meetings), next_year) == []
    # Limburg comes last in the rotation order, straight after Oost-Brabant, who took the last minutes.
    assert next_year.meetings[0].roles["minute_taker"] == "Limburg"


def test_a_held_meeting_cannot_change(example, example_plan):
    with pytest.raises(rotation.HorizonError, match="die blijft zoals ze was"):
        replan(
            example,
            example_plan,
            Changes(moves=((dt.date(2023, 5, 11), dt.date(2023, 5, 25)),)),
            today=dt.date(2023, 6, 1),
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (Changes(moves=((dt.date(2023, 9, 8), dt.date(2023, 9, 14)),)), "heeft geen vergadering op"),
        (Changes(moves=((dt.date(2023, 9, 7), dt.date(2023, 9, 15)),)), "vrijdag"),
        (Changes(moves=((dt.date(2023, 9, 7), dt.date(2023, 11, 16)),)), "er is al een vergadering"),
        (Changes(unavailable=(("Limburg", dt.date(2023, 9, 7)),)), "is geen eenheid van dit overleg"),
        (Changes(add_units=("KMAR",)), "is al een eenheid"),
    ],
)
def test_unusable_changes_say_what_is_wrong(example, example_plan, changes, message):
    with pytest.raises(rotation.ConfigError, match=message):
        replan(example, example_plan, changes)


def test_no_change_gives_the_issued_plan(example, example_plan):
    result = replan(example, example_plan)
    assert result.changes == ()
    assert result.plan.meetings == example_plan.meetings
    assert "No changes" in describe(result, "en")


def test_report_names_what_changed_for_whom_and_why(example, example_plan):
    result = replan(example, example_plan, Changes(cancel=(dt.date(2023, 9, 7),)), language="en")
    text = describe(result, "en")
    assert "2023-09-07  (2023-05)\n    - cancelled (as asked)" in text
    assert (
        "chair: Rotterdam instead of Koninklijke Marechaussee "
        "(Rotterdam was minute-taker on 2023-07-13 and so is chair next)"
    ) in text
    assert "Meetings before 2023-09-07 that stay as they were: 3." in text
    assert "at most 12 weeks are allowed over the summer" in text


def test_replan_command_writes_the_plan_and_exactly_the_updates(tmp_path, capsys, example, example_plan):
    issued = tmp_path / "plan.json"
    issued.write_text(to_json(example, example_plan), encoding="utf-8")
    out, ics = tmp_path / "plan-v2.json", tmp_path / "updates"
    code = main(
        [
            "replan",
            str(issued),
            "--move",
            "07-09-2023=14-09-2023",
            "--output",
            str(out),
            "--ics",
            str(ics),
            "--stamp",
            "2023-08-01T09:00:00Z",
            "--lang",
            "en",
            "--quiet",
            "--committee",
            EXAMPLE_FILE,
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "    - moves to 2023-09-14 (as asked)" in printed
    assert sorted(path.name for path in ics.glob("*.ics")) == ["overview.ics", "update-2023-05-1.ics"]
    data = json.loads(out.read_text(encoding="utf-8"))
    september = next(m for m in data["meetings"] if m["id"] == "2023-05")
    assert (september["date"], september["sequence"]) == ("2023-09-14", 1)
    assert [m["sequence"] for m in data["meetings"]].count(0) == 5


def test_replan_command_reports_an_impossible_move(tmp_path, capsys, example, example_plan):
    issued = tmp_path / "plan.json"
    issued.write_text(to_json(example, example_plan), encoding="utf-8")
    code = main(["replan", str(issued), "--move", "07-09-2023=12-10-2023", "--quiet", "--committee", EXAMPLE_FILE])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith("Geen planning mogelijk:")
    assert "12-10-2023" in err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ([], "Fout in de periode: de vergadering van 11-05-2023 valt vóór vandaag; die blijft zoals ze was.\n"),
        (["--lang", "en"], "Horizon error: the meeting of 2023-05-11 is before today; it stays as it was.\n"),
    ],
)
def test_a_refused_change_is_said_in_the_committees_language_or_the_one_asked(
    tmp_path, capsys, example, example_plan, lang, expected
):
    issued = tmp_path / "plan.json"
    issued.write_text(to_json(example, example_plan), encoding="utf-8")
    move = ["--move", "2023-05-11=2023-05-25", "--today", "2023-08-01"]
    code = main(["replan", str(issued), *move, *lang, "--quiet", "--committee", EXAMPLE_FILE])
    assert code == 2
    assert capsys.readouterr() == ("", expected)


def test_a_later_year_is_replanned_with_the_plans_before_it_as_history(example):
    example = dataclasses.replace(example, blackouts=dataclasses.replace(example.blackouts, school_regions=()))
    first = rotation.plan(example)
    following = with_history(example, first.meetings)
    second = rotation.plan(following)
    september = next(m for m in second.meetings if m.date.month == 9)
    move = Changes(moves=((september.date, september.date + dt.timedelta(weeks=1)),))
    with pytest.raises(rotation.HorizonError, match="voeg de planningen daartussen toe"):
        replan(example, second, move)
    result = replan(following, second, move)
    assert_valid(result)
    assert result.updated == (september.id,)


def cancelled_in_september(example: Committee, example_plan: Plan) -> Plan:
    """The plan as the first replan wrote it after cancelling 7 September: read back from its JSON."""
    from rotation.formats import read_plan_text

    first = replan(example, example_plan, Changes(cancel=(dt.date(2023, 9, 7),)), today=dt.date(2023, 8, 1))
    return read_plan_text(to_json(first.committee, first.plan), example)


def test_a_cancelled_meeting_stays_cancelled_when_planning_again(example, example_plan):
    issued = cancelled_in_september(example, example_plan)
    assert "2023-05" not in issued.by_id()
    # Amsterdam holds no role on 11 January: nothing changes, nothing moves into the gap the cancellation left.
    january = issued.by_id()["2024-01"]
    assert "Amsterdam" not in january.roles.values()
    today = dt.date(2023, 10, 1)
    result = replan(example, issued, Changes(unavailable=(("Amsterdam", january.date),)), today=today)
    assert result.changes == ()
    assert [(m.id, m.date, dict(m.roles)) for m in result.plan.meetings] == [
        (m.id, m.date, dict(m.roles)) for m in issued.meetings
    ]
    assert result.broken == ()
    assert "2023-05" not in result.plan.by_id()


def test_no_meeting_moves_before_today(example, example_plan):
    issued = cancelled_in_september(example, example_plan)
    november = issued.by_id()["2023-06"]
    today = dt.date(2023, 10, 1)
    result = replan(example, issued, Changes(unavailable=((november.roles["chair"], november.date),)), today=today)
    assert all(m.date >= today for m in result.plan.meetings[result.held :])
    assert all(dt.date.fromisoformat(c.new) >= today for c in result.changes if c.kind == "date")
    assert {m.id for m in result.plan.meetings} == {m.id for m in issued.meetings}


def test_replan_command_keeps_a_cancellation_across_two_replans(tmp_path, capsys, example, example_plan):
    (tmp_path / "p.json").write_text(to_json(example, example_plan), encoding="utf-8")
    assert (
        main(
            [
                *("replan", str(tmp_path / "p.json"), "--cancel", "07-09-2023", "--today", "01-08-2023"),
                *("-o", str(tmp_path / "v3.json"), "-q", "--committee", EXAMPLE_FILE),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            [
                *("replan", str(tmp_path / "v3.json"), "--unavailable", "Amsterdam@11-01-2024"),
                *("--today", "01-10-2023", "--lang", "en", "-q", "--committee", EXAMPLE_FILE),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "No changes" in out
    assert "2023-09-07" not in out


@pytest.mark.parametrize(
    ("language", "line"), [("en", "location: {new} instead of {old}"), ("nl", "locatie: {new} in plaats van {old}")]
)
def test_report_lists_a_changed_location(example, example_plan, language, line):
    result = replan(
        example, example_plan, Changes(cancel=(dt.date(2023, 9, 7),)), today=dt.date(2023, 8, 1), language=language
    )
    old, new = example_plan.by_id()["2023-06"], result.plan.by_id()["2023-06"]
    assert old.location != new.location
    change = next(c for c in result.changes if c.kind == "location")
    assert (change.meeting, change.old, change.new) == ("2023-06", old.location, new.location)
    assert line.format(old=old.location, new=new.location) in describe(result)
    assert new.roles["chair"] in change.reason


def test_a_unit_that_leaves_gets_a_removal_for_every_meeting_to_come(example, example_plan):
    from rotation.issuing import issue_replan

    since = dt.date(2023, 6, 1)
    result = replan(example, example_plan, Changes(remove_units=("Noord-Holland",), start=since))
    removals = [f for f in issue_replan(example, example_plan, result, stamp=STAMP).files if f.kind == "remove"]
    coming = [m for m in example_plan.meetings if m.date >= since]
    assert [(f.meeting.id, f.meeting.sequence) for f in removals] == [(m.id, m.sequence + 1) for m in coming]
    email = example.unit("Noord-Holland").coordinator.email
    others = [u.coordinator.email for u in example.units if u.name != "Noord-Holland" and u.coordinator]
    for file, meeting in zip(removals, coming, strict=True):
        text = file.data.decode().replace("\r\n ", "")
        # RFC 5546 §3.2.5: uninviting an attendee is a CANCEL without STATUS; the meeting is not off
        assert "METHOD:CANCEL" in text and "\r\nSTATUS:" not in text
        assert f"UID:{meeting_uid(example, meeting)}" in text
        assert f"mailto:{email}" in text
        assert not any(f"mailto:{other}" in text for other in others)
    names = [f.name for f in removals]
    assert len(set(names)) == len(names)


def test_replan_command_writes_the_removals_for_a_unit_that_leaves(tmp_path, capsys, example, example_plan):
    (tmp_path / "p.json").write_text(to_json(example, example_plan), encoding="utf-8")
    args = ["replan", str(tmp_path / "p.json"), "--remove-unit", "Noord-Holland", "--from", "01-06-2023"]
    args += ["--committee", EXAMPLE_FILE]
    assert main([*args, "--ics", str(tmp_path / "ics"), "--lang", "en", "-q"]) == 0
    out = capsys.readouterr().out
    written = sorted(path.name for path in (tmp_path / "ics").iterdir())
    coming = [m for m in example_plan.meetings if m.date >= dt.date(2023, 6, 1)]
    assert [name for name in written if name.startswith("remove-")] == [f"remove-{m.id}-1.ics" for m in coming]
    assert "only for noord-holland@example.org" in out
    assert main([*args, "--lang", "en", "-q"]) == 0
    assert "Give --ics DIR to write removals for the coordinator of Noord-Holland" in capsys.readouterr().out


def test_a_cancellation_between_two_open_meetings_stays_accepted(example, example_plan):
    from rotation.formats import read_plan_text

    today = dt.date(2023, 8, 1)
    first = replan(example, example_plan, Changes(cancel=(dt.date(2023, 11, 16),)), today=today)
    issued = read_plan_text(to_json(first.committee, first.plan), example)
    january = issued.by_id()["2024-01"]
    free = next(unit for unit in example.order if unit not in january.roles.values())
    result = replan(example, issued, Changes(unavailable=((free, january.date),)), today=today)
    assert result.changes == ()
    assert result.broken == ()
    assert [m.id for m in result.plan.meetings] == [m.id for m in issued.meetings]
    # A change elsewhere changes only what it must, and does not report the accepted gap again.
    september = issued.by_id()["2023-05"]
    moved = replan(example, issued, Changes(unavailable=((september.roles["chair"], september.date),)), today=today)
    assert {c.meeting for c in moved.changes} == {"2023-05"}
    assert all(m.date >= today for m in moved.plan.meetings[moved.held :])
    assert moved.broken == ()


def test_a_meeting_can_be_moved_into_the_gap_a_cancellation_left(example, example_plan):
    issued = cancelled_in_september(example, example_plan)
    today = dt.date(2023, 8, 1)
    result = replan(example, issued, Changes(moves=((dt.date(2023, 11, 16), dt.date(2023, 9, 7)),)), today=today)
    assert result.plan.by_id()["2023-06"].date == dt.date(2023, 9, 7)
    assert "2023-05" not in result.plan.by_id()
    assert_valid(result)


def test_a_moved_meeting_keeps_its_place_and_the_others_move_around_it(example, example_plan):
    """Moving November to 7 December moves that meeting, not another one into the date."""
    moves = ((dt.date(2023, 11, 16), dt.date(2023, 12, 7)),)
    result = replan(example, example_plan, Changes(moves=moves), today=dt.date(2023, 8, 1))
    dates = {m.id: m.date for m in result.plan.meetings}
    assert dates["2023-06"] == dt.date(2023, 12, 7)
    assert dates["2023-05"] < dates["2023-06"] < dates["2024-01"]
    assert rotation.validate(result.committee, result.replanned) == []


def test_a_move_the_gaps_cannot_follow_says_so(example, example_plan):
    with pytest.raises(rotation.InfeasibleError, match="no plan with this move"):
        replan(
            example,
            example_plan,
            Changes(moves=((dt.date(2023, 11, 16), dt.date(2023, 12, 21)),)),
            today=dt.date(2023, 8, 1),
            language="en",
        )


def test_after_a_cancellation_the_cancelled_date_keeps_the_rhythm(example, example_plan):
    """The cancelled meeting of 7 September stands in on its own date: 23 November is 11 weeks after it."""
    first = replan(example, example_plan, Changes(cancel=(dt.date(2023, 9, 7),)), today=dt.date(2023, 8, 1))
    issued = first.plan
    later = replan(
        example, issued, Changes(moves=((dt.date(2023, 11, 16), dt.date(2023, 11, 9)),)), today=dt.date(2023, 10, 1)
    )
    assert later.plan.by_id()["2023-06"].date == dt.date(2023, 11, 9)
    with pytest.raises(rotation.InfeasibleError):
        replan(
            example,
            issued,
            Changes(moves=((dt.date(2023, 11, 16), dt.date(2023, 11, 23)),)),
            today=dt.date(2023, 10, 1),
        )


def cancelled_in_november(example: Committee, example_plan: Plan) -> Plan:
    """The plan as a replan wrote it after cancelling 16 November: read back from its JSON."""
    from rotation.formats import read_plan_text

    first = replan(example, example_plan, Changes(cancel=(dt.date(2023, 11, 16),)), today=dt.date(2023, 8, 1))
    return read_plan_text(to_json(first.committee, first.plan), example)


def passes_check(result: Replan, committee: Committee) -> None:
    """The plan that replan writes, read back, meets every rule as `rotation check` reads it."""
    from rotation.formats import read_plan_text

    written = read_plan_text(to_json(result.committee, result.plan), committee)
    assert rotation.check_planning(committee, written) == []


def test_the_model_plans_around_a_cancelled_meeting_on_record_between_open_meetings(example, example_plan):
    """The cancelled meeting stands on its own date in the model: its gap stays, the chains jump over it."""
    issued = cancelled_in_november(example, example_plan)
    january = issued.by_id()["2024-01"]
    result = replan(
        example, issued, Changes(unavailable=((january.roles["chair"], january.date),)), today=dt.date(2023, 8, 1)
    )
    after = result.plan.by_id()
    # the gap of 18 weeks stays as it was accepted: neither meeting moves into it
    assert (after["2023-05"].date, after["2024-01"].date) == (dt.date(2023, 9, 7), january.date)
    assert january.roles["chair"] not in after["2024-01"].roles.values()
    assert {c.meeting for c in result.changes} <= {"2023-05", "2024-01"}
    assert result.broken == ()
    assert [m.id for m in result.plan.cancelled] == ["2023-06"]
    passes_check(result, example)


def test_a_unit_that_held_a_role_at_a_cancelled_meeting_on_record_can_leave(example, example_plan):
    issued = cancelled_in_november(example, example_plan)
    leaving = issued.cancelled[0].roles["knowledge"]
    result = replan(example, issued, Changes(remove_units=(leaving,), start=dt.date(2023, 8, 1)))
    assert all(leaving not in m.roles.values() for m in result.plan.meetings[result.held :])
    passes_check(result, example)


def test_a_meeting_can_be_cancelled_while_one_of_its_holders_leaves(example, example_plan):
    september = example_plan.by_id()["2023-05"]
    leaving = september.roles["chair"]
    result = replan(
        example, example_plan, Changes(cancel=(september.date,), remove_units=(leaving,), start=dt.date(2023, 8, 1))
    )
    assert [m.id for m in result.cancelled] == ["2023-05"]
    assert all(leaving not in m.roles.values() for m in result.replanned.meetings)
    # the gap the cancellation leaves is the only thing it breaks
    assert {v.rule for v in result.broken} <= {"Gap after the history", "Gap between meetings", "Mode alternation"}
    passes_check(result, example)


@pytest.mark.parametrize(
    ("moved", "to"),
    [(dt.date(2023, 9, 7), dt.date(2023, 9, 14)), (dt.date(2024, 1, 11), dt.date(2024, 1, 18))],
)
def test_a_meeting_next_to_a_cancelled_one_on_record_moves_alone(example, example_plan, moved, to):
    """The cancelled meeting keeps its place when its neighbour moves a week: only the moved meeting changes."""
    issued = cancelled_in_november(example, example_plan)
    result = replan(example, issued, Changes(moves=((moved, to),)), today=dt.date(2023, 8, 1))
    meeting = next(m for m in issued.meetings if m.date == moved)
    assert [(c.meeting, c.kind, c.new) for c in result.changes] == [(meeting.id, "date", to.isoformat())]
    assert result.broken == ()
    passes_check(result, example)
