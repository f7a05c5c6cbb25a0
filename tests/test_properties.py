"""Random committees: every plan the solver returns passes the independent validator."""

from __future__ import annotations

import datetime as dt

from conftest import make_committee
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rotation
from rotation.domain import Cadence, FixedMeeting, Mode, PastMeeting


@st.composite
def committees(draw):
    units = draw(st.integers(4, 14))
    low = draw(st.integers(3, 9))
    high = draw(st.integers(low, low + 4))
    per_year = max(1, min(12, round(52 / ((low + high) / 2))))
    names = [chr(65 + i) for i in range(units)]
    excluded = draw(st.sets(st.sampled_from(names), max_size=max(0, units - 5)))
    chair_units = tuple(n for n in names if n not in excluded) if excluded else ()
    unavailable = {}
    for name in draw(st.sets(st.sampled_from(names), max_size=3)):
        days = draw(st.lists(st.integers(0, 51), max_size=3))
        unavailable[name] = tuple(dt.date(2027, 1, 7) + dt.timedelta(weeks=d) for d in days)
    history = ()
    if draw(st.booleans()):
        last = dt.date(2026, 12, 3) + dt.timedelta(weeks=draw(st.integers(0, 2)))
        a, b, c, d = draw(st.permutations(names))[:4]
        if chair_units and (a not in chair_units or b not in chair_units):
            a, b = chair_units[0], chair_units[1]
            c, d = [n for n in names if n not in (a, b)][:2]
        history = (
            PastMeeting(
                last,
                draw(st.sampled_from(list(Mode))),
                roles={"chair": a, "minute_taker": b, "case": c, "knowledge": d},
            ),
        )
    fixed = ()
    if draw(st.booleans()):
        day = dt.date(2027, 4, 1) + dt.timedelta(weeks=draw(st.integers(0, 20)))
        pinned = draw(st.sampled_from(names))
        fixed = (FixedMeeting(day, roles={"chair": pinned, "minute_taker": pinned} if draw(st.booleans()) else {}),)
    return make_committee(
        units,
        chains=draw(st.booleans()),
        cadence=Cadence(meetings_per_year=per_year, min_gap_weeks=low, max_gap_weeks=high),
        eligible={"chair": chair_units, "minute_taker": chair_units},
        unavailable=unavailable,
        history=history,
        fixed=fixed,
        language=draw(st.sampled_from(["nl", "en"])),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(committees())
def test_every_plan_passes_the_validator(committee):
    try:
        plan = rotation.plan(committee, year=2027 if not committee.history else None)
    except rotation.InfeasibleError as err:
        assert str(err)  # an impossible committee is explained, never a crash
        return
    except rotation.RotationError as err:
        assert str(err)
        return
    assert rotation.validate(committee, plan) == []
    assert len({m.id for m in plan.meetings}) == len(plan.meetings)


@settings(max_examples=15, deadline=None)
@given(committees())
def test_same_committee_same_plan(committee):
    try:
        first = rotation.plan(committee, year=2027 if not committee.history else None)
    except rotation.RotationError:
        return
    assert rotation.plan(committee, year=2027 if not committee.history else None) == first
