"""Generated inputs, over ten thousand per run: every one ends in a documented way.

Committee files, plannings in every format (CSV, Markdown, JSON, Excel, .ics),
`--history` files, time zones and countries, hostile and multi-line labels,
extreme years and horizons, replans (whose written plan must pass `check`),
special files, and commands killed while they write. The properties: the library raises only its own errors, with a
message that names the right file in printable text on one line; the command
line exits with a documented code and shows no traceback; no output file is
ever half-written, and no temporary file outlives a run.

The examples are generated deterministically (``derandomize=True``), so that
every CI run tries the same inputs; `test_the_runs_tried_ten_thousand_inputs`
counts them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILE, make_committee
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rotation
from rotation.cli import main
from rotation.committee_check import check_committee
from rotation.config import example_text, loads
from rotation.domain import Mode, PastMeeting
from rotation.files import write_outputs
from rotation.formats import add_history, read_plan_text, render
from rotation.horizon import MAX_HORIZON_YEARS, MAX_MEETINGS, choose_horizon
from rotation.planning_check import check_planning

TRIED: Counter[str] = Counter()
"""Inputs tried per test of this module."""
WANTED = {
    "small_committee_files": 3000,
    "example_committee_files": 700,
    "zones_and_countries": 600,
    "small_plannings": 2000,
    "example_plannings": 900,
    "excel_plannings": 150,
    "history_files": 800,
    "hostile_labels": 150,
    "horizons": 2000,
    "check_commands": 250,
    "failing_writes": 300,
    "replans": 40,
}
"""Examples each generated test asks for: together over ten thousand."""


def fuzz(name: str):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=WANTED[name],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


def tried(name: str) -> None:
    TRIED[name] += 1


def one_printable_line(message: str) -> bool:
    return "\n" not in message and all(ch.isprintable() for ch in message)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


# -- hostile text ------------------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\n",
    "\r",
    "a\rb",
    "a\r\nb",
    "x\ty",
    "\x00",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\u202etxet",
    "\u2066x\u2069",
    "\ufeff",
    '=HYPERLINK("http://x","y")',
    "+31 20",
    "-1",
    "@SUM(A1)",
    "'quoted",
    '"',
    "\\",
    "|",
    ",",
    ";",
    "#",
    "[x]",
    "{x}",
    "<script>alert(1)</script>",
    "&amp;",
    "BEGIN:VCALENDAR",
    "END:VEVENT",
    "ATTENDEE:mailto:x@y.z",
    "notes",
    "Datum",
    "title",
    "day",
    "place",
    "x" * 250,
    "ünïcödé ✓ 日本",
    "🙂",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))

TOML_VALUES = [
    "0",
    "-1",
    "99999999999999999999999999",
    "1e400",
    "nan",
    "inf",
    "true",
    "[]",
    "{}",
    "[[1], [2]]",
    '[1, "a", 2027-01-01]',
    "0001-01-01",
    "9999-12-31",
    "2199-12-31",
    "1899-12-31",
    "2023-02-29",
    "12-10-2027",
    "2027-10-12T10:00:00",
    "10:00:00",
    '"12-10-2027"',
    '"31-02-2027"',
    '"Europe"',
    '"right/UTC"',
    '"America/Argentina"',
    '"../../etc/passwd"',
    '"UK"',
    '"nl"',
    '"thursday"',
    '"donderdag"',
    '"funday"',
    '{ start = 2027-04-06, end = 2027-04-20, reason = "x" }',
    "[{ start = 2027-04-06, end = 2027-04-01 }]",
    "[{ start = 2027-04-06 }]",
    "[2027-04-01, { start = 2027-04-06, end = 2027-04-20 }]",
    '{ chair = "Nobody" }',
    '"x\\ny"',
    '"\\u001b[2J"',
    '"\\u202e"',
    '"' + "x" * 3000 + '"',
]


@st.composite
def mutated_toml(draw, base: str) -> bytes:  # type: ignore[no-untyped-def]
    lines = base.splitlines()
    kind = draw(st.sampled_from(["value", "value", "value", "delete", "duplicate", "insert", "truncate", "bytes"]))
    if kind == "truncate":
        return base.encode()[: draw(st.integers(0, len(base.encode())))]
    if kind == "bytes":
        data = bytearray(base.encode())
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "value":
        assignments = [i for i, line in enumerate(lines) if "=" in line and not line.lstrip().startswith("#")]
        index = draw(st.sampled_from(assignments))
        key = lines[index].split("=", 1)[0]
        value = draw(st.one_of(st.sampled_from(TOML_VALUES), st.integers().map(str), TEXT.map(json.dumps)))
        lines[index] = f"{key}= {value}"
    elif kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    else:
        key = draw(st.sampled_from(["unavailable", "timezone", "country", "study_days", "name", "weekday", "x"]))
        lines.insert(index, f"{key} = {draw(st.sampled_from(TOML_VALUES))}")
    return "\n".join(lines).encode()


def loads_cleanly(data: bytes) -> None:
    try:
        committee = loads(data, source="committee.toml")
    except rotation.ConfigError as err:
        assert str(err).startswith("committee.toml")
        assert one_printable_line(str(err)), str(err)
        return
    assert len(committee.units) >= 2


SMALL = """\
name = "Werkgroep Zuid"
language = "en"
secretary = { name = "Secretariaat", email = "secretariaat@example.org" }
units = [
  { name = "Breda", short = "BR", unavailable = [2027-03-04] },
  { name = "Tilburg", email = "t@example.org", unavailable = [{ start = 2027-05-01, end = 2027-05-31 }] },
  { name = "Eindhoven", venue = "Stadhuis" },
  { name = "Helmond" },
]
roles = [{ key = "chair" }, { key = "minute_taker", en = "minute-taker" }, { key = "case", exclude = ["Helmond"] }]

[rotation]
chains = [{ from = "minute_taker", to = "chair" }]

[cadence]
weekday = "tuesday"
meetings_per_year = 4
min_gap_weeks = 8
max_gap_weeks = 16
timezone = "Europe/Brussels"

[blackouts]
public_holidays = false
country = "BE"
periods = [{ start = 2027-07-01, end = 2027-08-31, reason = "summer" }]

[[fixed]]
date = 2027-06-15
title = "Jubileum"

[[history]]
date = 2026-11-10
mode = "teams"
roles = { chair = "Breda", minute_taker = "Tilburg", case = "Eindhoven" }
"""


@fuzz("small_committee_files")
@given(mutated_toml(SMALL))
def test_small_committee_files(data):
    tried("small_committee_files")
    loads_cleanly(data)


@fuzz("example_committee_files")
@given(mutated_toml(example_text()))
def test_example_committee_files(data):
    tried("example_committee_files")
    loads_cleanly(data)


ZONES = sorted(zoneinfo.available_timezones())
ZONE_NAMES = st.one_of(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES).map(lambda zone: zone.rsplit("/", 1)[0]),
    st.sampled_from(ZONES).map(lambda zone: f"right/{zone}"),
    st.sampled_from(ZONES).map(lambda zone: f"posix/{zone}"),
    st.sampled_from(ZONES).map(str.lower),
    st.sampled_from(
        ["", "/", "..", "../../etc/passwd", "Europe/", "/Europe/Amsterdam", "Europe//Amsterdam", "UTC\x00"]
    ),
    TEXT,
)
COUNTRIES = st.one_of(
    st.sampled_from(["NL", "BE", "DE", "GB", "UK", "GBR", "NLD", "Netherlands", "uk", "", "XX", "EU", "US"]), TEXT
)


@fuzz("zones_and_countries")
@given(ZONE_NAMES, COUNTRIES)
def test_zones_and_countries(zone, country):
    tried("zones_and_countries")
    text = SMALL.replace('"Europe/Brussels"', json.dumps(zone)).replace('"BE"', json.dumps(country))
    loads_cleanly(text.encode())


# -- plannings ------------------------------------------------------------------------------------------------

_CACHE: dict[str, object] = {}


def small_committee() -> rotation.Committee:
    if "small" not in _CACHE:
        _CACHE["small"] = loads(SMALL, source="small.toml")
    return _CACHE["small"]  # type: ignore[return-value]


def planned(committee: rotation.Committee, key: str) -> rotation.Plan:
    if key not in _CACHE:
        _CACHE[key] = rotation.plan(committee)
    return _CACHE[key]  # type: ignore[return-value]


def texts(committee: rotation.Committee, plan: rotation.Plan) -> dict[str, bytes]:
    from calendars.ics import ics_files

    out = {fmt: render(fmt, committee, plan).encode() for fmt in ("csv", "markdown", "json")}
    out["ics"] = dict(ics_files(committee, plan))["overview.ics"]
    return out


@st.composite
def corrupted(draw, originals: dict[str, bytes]) -> bytes:  # type: ignore[no-untyped-def]
    data = originals[draw(st.sampled_from(sorted(originals)))]
    text = data.decode("utf-8")
    kind = draw(st.sampled_from(["truncate", "replace", "replace", "bytes", "lines", "insert"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "bytes":
        changed = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
        return bytes(changed)
    if kind == "lines":
        lines = text.splitlines(True)
        order = draw(st.permutations(range(len(lines))))
        return "".join(lines[i] for i in order[: draw(st.integers(0, len(lines)))]).encode()
    position = draw(st.integers(0, len(text)))
    if kind == "insert":
        return (text[:position] + draw(TEXT) + text[position:]).encode("utf-8", "surrogatepass")
    length = draw(st.integers(1, 12))
    replacement = draw(
        st.one_of(
            TEXT,
            st.sampled_from(
                ["2199-12-31", "2200-01-01", "0001-01-01", "31-02-2027", "Europe", "right/UTC", "teams", "Fysiek"]
            ),
        )
    )
    return (text[:position] + replacement + text[position + length :]).encode("utf-8", "surrogatepass")


def reads_cleanly(data: bytes, committee: rotation.Committee) -> None:
    try:
        plan = read_plan_text(data, committee, source="planning")
    except rotation.PlanFileError as err:
        assert str(err).startswith("planning")
        assert "\n" not in str(err), str(err)
        return
    for violation in check_planning(committee, plan):
        assert violation.message


@fuzz("small_plannings")
@given(st.data())
def test_small_plannings(data):
    tried("small_plannings")
    committee = small_committee()
    originals = _CACHE.setdefault("small_texts", None) or texts(committee, planned(committee, "small_plan"))
    _CACHE["small_texts"] = originals
    reads_cleanly(data.draw(corrupted(originals)), committee)  # type: ignore[arg-type]


@fuzz("example_plannings")
@given(st.data())
def test_example_plannings(example, data):
    tried("example_plannings")
    originals = _CACHE.setdefault("example_texts", None) or texts(example, planned(example, "example_plan"))
    _CACHE["example_texts"] = originals
    reads_cleanly(data.draw(corrupted(originals)), example)  # type: ignore[arg-type]


@fuzz("excel_plannings")
@given(st.data())
def test_excel_plannings(example, data):
    tried("excel_plannings")
    from rotation import documents

    if "xlsx" not in _CACHE:
        _CACHE["xlsx"] = documents.to_bytes("xlsx", example, planned(example, "example_plan"), language="nl")
    workbook: bytes = _CACHE["xlsx"]  # type: ignore[assignment]
    changed = bytearray(workbook)
    kind = data.draw(st.sampled_from(["bytes", "truncate"]))
    if kind == "truncate":
        changed = changed[: data.draw(st.integers(0, len(changed)))]
    else:
        for _ in range(data.draw(st.integers(1, 6))):
            changed[data.draw(st.integers(0, len(changed) - 1))] = data.draw(st.integers(0, 255))
    reads_cleanly(bytes(changed), example)


@fuzz("history_files")
@given(st.data())
def test_history_files(tmp_path_factory, data):
    tried("history_files")
    committee = small_committee()
    originals = _CACHE.setdefault("small_texts", None) or texts(committee, planned(committee, "small_plan"))
    _CACHE["small_texts"] = originals
    path = tmp_path_factory.mktemp("history") / "previous-plan"
    path.write_bytes(data.draw(corrupted(originals)))  # type: ignore[arg-type]
    try:
        merged = add_history(committee, path)
    except rotation.PlanFileError as err:
        assert str(err).startswith(str(path)), str(err)  # the history file is named, never the committee file
        assert "\n" not in str(err)
        return
    except rotation.ConfigError as err:  # pragma: no cover - the property this test guards
        raise AssertionError(f"a history file's problem blamed on the committee file: {err}") from None
    check_committee(merged)


# -- labels that try to break the formats --------------------------------------------------------------------

LABEL = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=25)).filter(
    lambda text: text.strip() == text and text and text.isprintable()
)


@fuzz("hostile_labels")
@given(st.lists(LABEL, min_size=3, max_size=3, unique_by=str.casefold), st.sampled_from(["nl", "en"]))
def test_hostile_labels(labels, language):
    """Role labels and locations of any kind: every export is read back as the same planning."""
    tried("hostile_labels")
    from rotation import documents
    from rotation.limits import RESERVED_LABELS

    if any(label.casefold() in RESERVED_LABELS for label in labels):
        return  # refused by the committee reader
    base = small_committee()
    plan = planned(base, "small_plan")
    roles = tuple(
        dataclasses.replace(role, label_nl=label, label_en=label)
        for role, label in zip(base.roles, labels, strict=True)
    )
    committee = dataclasses.replace(base, roles=roles, language=language)
    meetings = tuple(dataclasses.replace(m, location=f"{labels[0]}\n{labels[1]}") for m in plan.meetings)
    plan = dataclasses.replace(plan, meetings=meetings)
    from calendars.ics import ics_files

    outputs = {fmt: render(fmt, committee, plan).encode() for fmt in ("csv", "markdown", "json")}
    outputs["xlsx"] = documents.to_bytes("xlsx", committee, plan, language=language)
    outputs["ics"] = dict(ics_files(committee, plan))["overview.ics"]
    for fmt, data in outputs.items():
        back = read_plan_text(data, committee, source=fmt)
        assert [dict(m.roles) for m in back.meetings] == [dict(m.roles) for m in plan.meetings], fmt
        assert check_planning(committee, back) == [], fmt


# -- years and horizons ----------------------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2300, 12, 31))


@fuzz("horizons")
@given(
    st.one_of(st.none(), st.integers(1800, 2400)),
    st.one_of(st.none(), DAYS),
    st.one_of(st.none(), DAYS),
    st.one_of(st.none(), st.integers(-5, 100_000)),
    st.one_of(st.none(), DAYS),
)
def test_horizons(year, start, end, meetings, last):
    """Every horizon either lies within the documented bounds or is refused with a `HorizonError`."""
    tried("horizons")
    history = ()
    if last is not None and 1900 <= last.year <= 2199:
        history = (PastMeeting(last, Mode.TEAMS),)
    committee = make_committee(4, chains=False, history=history)
    if year is not None and (start is not None or end is not None):
        start = end = None
    try:
        horizon = choose_horizon(
            committee, year=year, start=start, end=end, meetings=meetings, today=dt.date(2026, 6, 1)
        )
    except rotation.HorizonError as err:
        assert one_printable_line(str(err)) and "--" not in str(err), str(err)
        return
    assert dt.date(1900, 1, 1) <= horizon.start <= horizon.end <= dt.date(2199, 12, 31)
    assert (horizon.end - horizon.start).days < 366 * MAX_HORIZON_YEARS
    assert 1 <= horizon.meetings <= MAX_MEETINGS


# -- commands ------------------------------------------------------------------------------------------------------

OPTIONS = st.lists(
    st.sampled_from(
        [
            ["--committee", "{committee}"],
            ["--history", "{planning}"],
            ["--history", "{committee}"],
            ["--no-history"],
            ["--history", "/dev/zero"],
            ["--history", "{folder}"],
            ["--committee", "{planning}"],
            ["--committee", "{fifo}"],
        ]
    ),
    max_size=3,
)


@fuzz("check_commands")
@given(st.data(), OPTIONS)
def test_check_commands(tmp_path_factory, data, options):
    """`rotation check` with broken files in every place: a documented exit code, one line of error, no traceback."""
    tried("check_commands")
    committee = small_committee()
    originals = _CACHE.setdefault("small_texts", None) or texts(committee, planned(committee, "small_plan"))
    _CACHE["small_texts"] = originals
    folder = tmp_path_factory.mktemp("check")
    planning = folder / "planning"
    planning.write_bytes(data.draw(corrupted(originals)))  # type: ignore[arg-type]
    committee_file = folder / "committee.toml"
    committee_file.write_bytes(data.draw(st.one_of(st.just(SMALL.encode()), mutated_toml(SMALL))))
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    values = {"committee": committee_file, "planning": planning, "folder": folder, "fifo": fifo}
    argv = ["check", str(planning)] + [part.format(**values) for option in options for part in option]
    code, out, err = run_cli(argv)
    assert code in (0, 1, 2), (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.split(":", 1)[0].endswith("error"), err
        assert out == ""


@fuzz("failing_writes")
@given(st.integers(1, 6), st.integers(0, 7), st.booleans())
def test_failing_writes(tmp_path_factory, files, failing, existed):
    """A write that fails part-way (a full disk) leaves every earlier file and no temporary file."""
    tried("failing_writes")
    folder = tmp_path_factory.mktemp("writes")
    targets = [folder / f"file-{index}.ics" for index in range(files)]
    if existed:
        for target in targets:
            target.write_bytes(b"old")
    calls = [0]
    real = os.fsync

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] == failing:
            raise OSError(28, "No space left on device")
        real(fd)

    os.fsync = fsync  # type: ignore[assignment]
    try:
        write_outputs([(target, b"new") for target in targets])
    except rotation.PlanFileError as err:
        assert "No space left on device" in str(err)
        assert [t.read_bytes() if t.exists() else None for t in targets] == [b"old" if existed else None] * files
    else:
        assert all(t.read_bytes() == b"new" for t in targets)
    finally:
        os.fsync = real
    assert sorted(p.name for p in folder.iterdir()) == sorted(t.name for t in targets if t.exists())


CHANGE = st.tuples(
    st.sampled_from(["move", "cancel", "unavailable", "remove"]),
    st.integers(0, 5),
    st.sampled_from([-2, -1, 1, 2, 3]),
    st.integers(0, 11),
)


@fuzz("replans")
@given(st.lists(CHANGE, min_size=1, max_size=2), st.sampled_from(["01-04-2023", "01-06-2023", "01-08-2023"]))
def test_replans(tmp_path_factory, example, changes, today):
    """Any replan ends in a documented way, and the plan it writes passes `rotation check`."""
    tried("replans")
    folder = tmp_path_factory.mktemp("replan")
    committee = folder / "committee.toml"
    committee.write_text(example_text())
    issued = folder / "plan.json"
    plan = planned(example, "example_plan")
    issued.write_text(render("json", example, plan))
    options: list[str] = []
    for kind, index, weeks, unit in changes:
        day = plan.meetings[index].date
        if kind == "move":
            options += ["--move", f"{day:%d-%m-%Y}={day + dt.timedelta(weeks=weeks):%d-%m-%Y}"]
        elif kind == "cancel":
            options += ["--cancel", f"{day:%d-%m-%Y}"]
        elif kind == "unavailable":
            options += ["--unavailable", f"{example.units[unit].name}@{day:%d-%m-%Y}"]
        else:
            options += ["--remove-unit", example.units[unit].name, "--from", today]
    new = folder / "new.json"
    argv = ["replan", str(issued), "--committee", str(committee), "--today", today, "--quiet", "-o", str(new)]
    code, _, err = run_cli([*argv, *options])
    assert code in (0, 2, 3), err
    if code:
        assert not new.exists() and err.count("\n") >= 1
        return
    code, out, _ = run_cli(["check", str(new), "--committee", str(committee)])
    assert (code, out) == (0, "De planning voldoet aan alle regels.\n"), (options, out)


# -- special files and kills (fixed cases) ----------------------------------------------------------------------


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom", "/dev/null", "folder", "loop", "dangling"])
@pytest.mark.parametrize(
    "command",
    [
        ["plan", "{}"],
        ["check", "{}"],
        ["plan", "--quiet", "--history", "{}"],
        ["check", "x", "--committee", "{}"],
        ["replan", "{}"],
        ["fairness", "--plan", "{}"],
        ["issue", "{}", "{}", "--out", "out"],
    ],
)
def test_special_files(tmp_path, special, command):
    tried("special_files")
    if special == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path
    elif special == "loop":
        path = tmp_path / "loop"
        path.symlink_to(path)
    elif special == "dangling":
        path = tmp_path / "dangling"
        path.symlink_to(tmp_path / "nowhere")
    else:
        path = Path(special)
        if not path.exists():
            pytest.skip(f"{special} does not exist here")
    argv = [str(tmp_path / part) if part in ("x", "out") else part.replace("{}", str(path)) for part in command]
    if "x" in command:
        example = rotation.example()
        (tmp_path / "x").write_text(render("json", example, planned(example, "example_plan")))
    code, _, err = run_cli(argv)
    assert code == 2, (argv, err)
    assert err.count("\n") == 1 and one_printable_line(err.rstrip("\n")), err


def _kill_run(folder: Path, delay: float) -> None:
    out = folder / "plan.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rotation.cli",
            "plan",
            EXAMPLE_FILE,
            "--quiet",
            "--ics",
            str(folder / "ics"),
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(rotation.__file__).parent.parent)},
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_kills_while_writing_leave_old_or_new_files_and_no_temporary_files(tmp_path, example):
    """Kill `rotation plan -o … --ics …` at many moments: every file is the old one or the new one, whole."""
    tried("kills")
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    assert (
        run_cli(["plan", EXAMPLE_FILE, "--quiet", "--ics", str(baseline / "ics"), "-o", str(baseline / "plan.json")])[0]
        == 0
    )
    new = {p.relative_to(baseline): p.read_bytes() for p in baseline.rglob("*") if p.is_file()}
    for delay in (0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0):
        folder = tmp_path / f"run-{delay}"
        (folder / "ics").mkdir(parents=True)
        old = {name: b"old " + name.name.encode() for name in new}
        for name, data in old.items():
            (folder / name).write_bytes(data)
        _kill_run(folder, delay)
        for name in new:
            assert (folder / name).read_bytes() in (old[name], new[name]), (delay, name)
        # the next run cleans up whatever the killed one left
        assert (
            run_cli(["plan", EXAMPLE_FILE, "--quiet", "--ics", str(folder / "ics"), "-o", str(folder / "plan.json")])[0]
            == 0
        )
        left = [p.name for p in folder.rglob("*.tmp")]
        assert left == [], (delay, left)
        assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == new


def test_the_runs_tried_ten_thousand_inputs(request):
    """Run last in this module: the generated tests together tried at least 10,000 inputs."""
    ran = [name for name in WANTED if TRIED[name]]
    if len(ran) < len(WANTED):
        pytest.skip("only part of the module ran")
    total = sum(TRIED[name] for name in WANTED)
    assert sum(WANTED.values()) >= 10_000
    assert total >= 10_000, dict(TRIED)
