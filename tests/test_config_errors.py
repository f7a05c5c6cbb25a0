"""Committee files that cannot be used: exact messages naming the file, the line, the key and the value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import rotation
from rotation.cli import main
from rotation.config import example_text, loads
from rotation.limits import MAX_FILE_BYTES

DATA = Path(__file__).parent / "data" / "committees"

BASE = """\
name = "Werkgroep Zuid"
units = [{ name = "Breda" }, { name = "Tilburg" }, { name = "Eindhoven" }]
roles = [{ key = "chair" }, { key = "minute_taker" }]
"""


def error_of(text: str | bytes) -> str:
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text, source="committee.toml")
    return str(caught.value)


# -- the files in tests/data/committees ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "unknown-key.toml",
            "line 5, key 'cadense': 'cadense' is not a known key here (known: name, language, secretary, "
            "fairness_years, units, roles, rotation, cadence, modes, blackouts, fixed, history, invites). "
            "Did you mean 'cadence'?",
        ),
        (
            "unknown-nested-key.toml",
            "line 7, key 'cadence.meetings_per_yaer': 'meetings_per_yaer' is not a known key here (known: weekday, "
            "meetings_per_year, min_gap_weeks, max_gap_weeks, start, end, timezone, preferred_weeks, "
            "summer_max_gap_weeks). "
            "Did you mean 'meetings_per_year'?",
        ),
        (
            "unknown-unit.toml",
            "line 4, key 'roles[0].exclude[0]': 'Tilburgh' is not a unit of this committee. Did you mean 'Tilburg'?",
        ),
        (
            "unknown-role-in-chain.toml",
            "line 6, key 'rotation.chains[0].from': 'minute-taker' is not a role of this committee "
            "(roles: chair, minute_taker). Did you mean 'minute_taker'?",
        ),
        (
            "wrong-type.toml",
            "line 6, key 'cadence.meetings_per_year': expected a whole number, found text 'six'.",
        ),
        (
            "huge-value.toml",
            "line 6, key 'cadence.max_gap_weeks': expected 1 to 104 weeks, found 99999999999999999999999.",
        ),
        (
            "bad-date.toml",
            "line 6, key 'fixed[0].date': expected a date such as 2027-03-11 or 11-03-2027, found '30-02-2027'.",
        ),
        (
            "friday.toml",
            "line 7, key 'fixed[0].date': 19-03-2027 is a Friday; meetings are on Thursdays (cadence.weekday).",
        ),
        ("truncated.toml", "line 3: this is not valid TOML: Illegal character '\\n'."),
        (
            "control-character.toml",
            "line 2, key 'units[1].name': the text contains the control character U+001B; remove it.",
        ),
    ],
)
def test_broken_committee_file(capsys, name, message):
    path = DATA / name
    code = main(["plan", str(path), "--year", "2027"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"Configuration error: {path}, {message}\n"


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        ("impossible-blackout.toml", ["Blackout period", "Gap after the history", "Gap after the history"]),
        ("impossible-per-year.toml", ["Gap between meetings", "Meetings per year"]),
        ("impossible-eligible.toml", ["Eligibility", "Eligibility", "Eligibility", "Different units"]),
    ],
)
def test_impossible_committee_file(name, rules):
    committee = rotation.load(DATA / name)
    with pytest.raises(rotation.InfeasibleError) as caught:
        rotation.plan(committee, year=2027 if "history" not in (DATA / name).read_text() else None)
    assert [c.rule for c in caught.value.conflicts] == rules


def test_impossible_committee_on_the_command_line(capsys, tmp_path):
    output = tmp_path / "planning.csv"
    output.write_text("the planning sent last week\n")
    code = main(["plan", str(DATA / "impossible-per-year.toml"), "--year", "2027", "--output", str(output)])
    out, err = capsys.readouterr()
    assert (code, out) == (3, "")
    assert err == (
        "Geen planning mogelijk: deze regels gaan niet samen:\n"
        "  - Tijd tussen vergaderingen: minimaal 8 weken tussen twee vergaderingen\n"
        "  - Vergaderingen per jaar: 9 vergaderingen in 2027\n"
        "Elk van deze aanpassingen heft de botsing op:\n"
        "  - sta 6 weken tussen twee vergaderingen toe\n"
        "  - houd 7 vergaderingen in 2027\n"
    )
    assert output.read_text() == "the planning sent last week\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["planning.csv"]  # no temporary file left


def test_the_small_committee_plans():
    committee = rotation.load(DATA / "small.toml")
    plan = rotation.plan(committee, year=2027)
    assert rotation.validate(committee, plan) == []


# -- messages for values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('language = "fr"', "line 4, key 'language': 'fr' is not a language of this tool; use \"nl\" or \"en\"."),
        ("fairness_years = 0.5", "line 4, key 'fairness_years': expected a whole number, found a number 0.5."),
        ("[cadence]\nweekday = 3", "line 5, key 'cadence.weekday': expected text, found a whole number 3."),
        (
            '[cadence]\nweekday = "thurday"',
            "line 5, key 'cadence.weekday': 'thurday' is not a day of the week. Did you mean 'thursday'?",
        ),
        (
            "[cadence]\nmin_gap_weeks = 10\nmax_gap_weeks = 8",
            "line 6, key 'cadence.max_gap_weeks': the maximum gap (8 weeks) is less than the minimum gap (10 weeks).",
        ),
        (
            '[cadence]\nstart = "25:00"',
            "line 5, key 'cadence.start': expected a time such as \"10:00\", found '25:00'.",
        ),
        (
            '[cadence]\ntimezone = "Europe/Amsterdm"',
            "line 5, key 'cadence.timezone': 'Europe/Amsterdm' is not a time zone. Did you mean 'Europe/Amsterdam'?",
        ),
        (
            '[modes]\nfirst = "hybrid"',
            "line 5, key 'modes.first': 'hybrid' is not a mode; use \"teams\" or \"physical\".",
        ),
        (
            '[modes]\nteams_link = "http://x"',
            "line 5, key 'modes.teams_link': expected a link that starts with https://.",
        ),
        (
            '[blackouts]\nschool_regions = ["west"]',
            "line 5, key 'blackouts.school_regions[0]': 'west' is not a school-holiday region of NL.",
        ),
        (
            "[blackouts]\nperiods = [{ start = 2027-05-01, end = 2027-04-01 }]",
            "line 5, key 'blackouts.periods[0].end': the period ends (2027-04-01) before it starts (2027-05-01).",
        ),
        (
            "[[fixed]]\ndate = 0001-01-01",
            "line 5, key 'fixed[0].date': 0001-01-01 is not a date this tool plans; use a year from 1900 to 2199.",
        ),
        (
            "[[history]]\ndate = 2027-01-07T10:00:00",
            "line 5, key 'history[0].date': expected a date, found a date and time 2027-01-07T10:00:00.",
        ),
        (
            '[[history]]\ndate = 2027-01-07\nroles = { chiar = "Breda" }',
            "line 6, key 'history[0].roles.chiar': 'chiar' is not a known key here (known: chair, minute_taker). "
            "Did you mean 'chair'?",
        ),
        (
            '[[fixed]]\ndate = 2027-01-07\nroles = { chair = "Bredaa" }',
            "line 6, key 'fixed[0].roles.chair': 'Bredaa' is not a unit of this committee. Did you mean 'Breda'?",
        ),
        (
            'secretary = { name = "S", email = "not-an-address" }',
            "line 4, key 'secretary.email': 'not-an-address' is not an e-mail address.",
        ),
    ],
)
def test_value_messages(extra, message):
    assert error_of(BASE + extra + "\n") == f"committee.toml, {message}"


def test_names_with_bidirectional_overrides_are_refused():
    text = BASE.replace('"Tilburg"', '"Til\u202eburg"')
    assert error_of(text) == (
        "committee.toml, line 2, key 'units[1].name': the text contains the control character U+202E; remove it."
    )


def test_a_name_of_thousands_of_characters_is_refused():
    text = BASE.replace('"Tilburg"', '"' + "T" * 5000 + '"')
    assert (
        error_of(text)
        == "committee.toml, line 2, key 'units[1].name': the text is 5,000 characters; at most 200 are allowed."
    )


def test_a_line_break_in_a_name_is_refused_but_allowed_in_a_venue():
    assert error_of(BASE.replace('"Tilburg"', '"Til\\nburg"')).endswith("the text may not contain a line break.")
    committee = loads(BASE.replace('{ name = "Tilburg" }', '{ name = "Tilburg", venue = "Stadhuis\\nTilburg" }'))
    assert committee.unit("Tilburg").venue == "Stadhuis\nTilburg"


def test_names_that_look_like_formulas_are_fine():
    text = BASE.replace('"Breda"', '"=Breda"').replace('"Tilburg"', '"+Tilburg; \\"Noord\\", west"')
    assert [unit.name for unit in loads(text).units] == ["=Breda", '+Tilburg; "Noord", west', "Eindhoven"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "committee.toml: the file is empty; `rotation example` prints a committee file to start from."),
        (b"   \n\n", "committee.toml: the file is empty; `rotation example` prints a committee file to start from."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "committee.toml: this is a binary file, not a TOML committee file."),
        (
            b'name = "Werkgroep"\nunits = [{ name = "Caf\xe9" }]\n',
            "committee.toml, line 2: the file is not UTF-8 text: column 23 holds the byte 0xE9, "
            "which UTF-8 cannot read; save the file as UTF-8.",
        ),
        (b"a = " + b"[" * 5000 + b"]" * 5000, "committee.toml: the file nests lists or tables too deeply"),
    ],
)
def test_unreadable_committee_files(data, message):
    assert error_of(data).startswith(message)


def test_a_byte_order_mark_is_fine():
    assert loads(b"\xef\xbb\xbf" + BASE.encode()).name == "Werkgroep Zuid"


def test_too_large_and_missing_files(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(rotation.ConfigError, match="a committee file is at most 2,000,000 bytes"):
        rotation.load(big)
    with pytest.raises(rotation.ConfigError, match="the file does not exist"):
        rotation.load(tmp_path / "nowhere.toml")
    with pytest.raises(rotation.ConfigError, match="this is a folder, not a committee file"):
        rotation.load(tmp_path)


def test_every_key_of_the_example_is_known():
    assert loads(example_text()).name == "Landelijk coördinatorenoverleg"


def test_as_a_real_command():
    done = subprocess.run(
        [sys.executable, "-m", "rotation.cli", "plan", str(DATA / "unknown-key.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("Configuration error: ")
    assert done.stderr.rstrip().endswith("Did you mean 'cadence'?")


def test_output_into_a_missing_folder_writes_nothing(capsys, tmp_path):
    target = tmp_path / "missing" / "planning.csv"
    code = main(["plan", str(DATA / "small.toml"), "--year", "2027", "--format", "csv", "--output", str(target)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"Planning file error: {target}: the folder for --output does not exist.\n"
    assert not target.parent.exists()


def test_a_broken_committee_leaves_the_previous_output_alone(capsys, tmp_path):
    output = tmp_path / "planning.md"
    output.write_text("| previous |\n")
    code = main(["plan", str(DATA / "wrong-type.toml"), "--format", "markdown", "--output", str(output)])
    capsys.readouterr()
    assert code == 2
    assert output.read_text() == "| previous |\n"
    assert [p.name for p in tmp_path.iterdir()] == ["planning.md"]


def test_line_of_a_key_in_an_entry_of_an_array_of_tables():
    text = example_text().replace("date = 2023-03-16", "date = 2023-03-15")
    line = text.splitlines().index("date = 2023-03-15") + 1
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text, source="c.toml")
    assert caught.value.line == line and caught.value.key == "fixed[0].date"


def test_a_name_in_the_history_that_is_no_unit_is_noted_not_refused():
    """The history may name units that have left; a slip is pointed out in the plan's notes."""
    committee = loads(BASE + '\n[[history]]\ndate = 2027-01-07\nmode = "teams"\nroles = { chair = "Bredaa" }\n')
    assert committee.history[0].roles["chair"] == "Bredaa"
    notes = rotation.plan(committee).notes
    assert any("'Bredaa'" in note and "Breda" in note.replace("'Bredaa'", "") for note in notes)


def test_toml_cut_off_at_the_end_names_the_last_line():
    text = BASE + "cadence = {"
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text, source="c.toml")
    assert caught.value.line == len(text.splitlines())


def test_a_year_already_in_the_history():
    with pytest.raises(rotation.HorizonError, match="2022 zit al in de geschiedenis, die loopt tot 12-01-2023"):
        rotation.plan(rotation.example(), year=2022)
    with pytest.raises(rotation.HorizonError, match="2022 is already in the history, which runs to 2023-01-12"):
        rotation.plan(rotation.example(), year=2022, language="en")


def test_an_alias_that_is_another_units_name_names_the_alias():
    text = (
        'name = "x"\nunits = [{ name = "Breda" }, { name = "Tilburg", aliases = ["breda"] }]\n'
        'roles = [{ key = "chair" }]\n'
    )
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text)
    assert caught.value.key == "units[1].aliases[0]"
    assert "also used by the unit Breda" in str(caught.value)


# -- the validator's keys named as written in the file --------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            # the fixed meetings are planned in date order; the message names the one written second
            "[[fixed]]\ndate = 2027-06-03\n[[fixed]]\ndate = 2027-03-12\n",
            "line 7, key 'fixed[1].date': 12-03-2027 is a Friday; meetings are on Thursdays (cadence.weekday).",
        ),
        (
            "[[fixed]]\ndate = 2027-06-03\n[[fixed]]\ndate = 2027-03-11\n[[fixed]]\ndate = 2027-03-11\n",
            "line 9, key 'fixed[2].date': 2027-03-11 is also the date of fixed[1].",
        ),
        (
            '[[history]]\ndate = 2027-01-07\npinned = []\n[[history]]\ndate = 2026-11-05\npinned = ["host"]\n',
            "line 9, key 'history[1].pinned[0]': 'host' is not a role of this committee.",
        ),
        (
            "[cadence]\npreferred_weeks = [12, 12, 60, 3]",
            "line 5, key 'cadence.preferred_weeks[2]': expected a week number from 1 to 53, found 60.",
        ),
        ("fairness_years = 101", "line 4, key 'fairness_years': expected a number of years from 1 to 100, found 101."),
        (
            "[invites]\nreminder = -5",
            "line 5, key 'invites.reminder': expected 0 to 10080 minutes before the meeting, found -5.",
        ),
        (
            '[rotation]\norder = ["Tilburg", "Breda"]',
            "line 5, key 'rotation.order': the rotation order leaves out Eindhoven.",
        ),
        (
            '[rotation]\norder = ["Tilburg", "Breda", "Eindhoven", "breda"]',
            "line 5, key 'rotation.order': the rotation order names a unit twice.",
        ),
        (
            '[rotation]\nchains = [{ from = "chair", to = "chair" }]',
            "line 5, key 'rotation.chains[0].to': a chain leads from one role to another role.",
        ),
        (
            '[modes]\nphysical_host = "host"',
            "line 5, key 'modes.physical_host': 'host' is not a role of this committee.",
        ),
    ],
)
def test_the_validator_names_the_line_where_the_key_is_written(extra, message):
    assert error_of(BASE + extra + "\n") == f"committee.toml, {message}"


@pytest.mark.parametrize(
    ("roles", "key", "line"),
    [
        ('[{ key = "Chair" }]', "roles[0].key", "a role key is lower-case letters, digits and _"),
        ('[{ key = "chair" }, { key = "chair" }]', "roles[1].key", "the role 'chair' is listed twice."),
        ('[{ key = "chair", en = "Date" }]', "roles[0].en", "'Date' is the heading of another column"),
        ('[{ key = "chair", agenda = "yes" }]', "roles[0].agenda", "expected true or false, found text 'yes'."),
        ('[{ nl = "voorzitter" }]', "roles[0].key", 'every role needs a key, such as "chair"'),
        ("[]", "roles", "the committee needs at least one role."),
    ],
)
def test_role_messages(roles, key, line):
    text = BASE.replace('[{ key = "chair" }, { key = "minute_taker" }]', roles)
    with pytest.raises(rotation.ConfigError) as caught:
        loads(text, source="committee.toml")
    assert caught.value.key == key and caught.value.line == 3
    assert line in str(caught.value)


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        (
            # a unit's periods are among its dates
            "unavailable = [2027-01-07, { start = 2027-05-01, end = 2027-04-01 }]",
            "line 7, key 'units[1].unavailable[1].end': the period ends (2027-04-01) before it starts (2027-05-01).",
        ),
        ('coordinator = "R"\nemail = "r@"', "line 8, key 'units[1].email': 'r@' is not an e-mail address."),
    ],
)
def test_a_units_keys_as_written(unit, message):
    text = (
        f'name = "x"\nroles = [{{ key = "chair" }}]\n[[units]]\nname = "Breda"\n[[units]]\nname = "Tilburg"\n{unit}\n'
    )
    assert error_of(text) == f"committee.toml, {message}"
