"""The JSON export matches its published schema, docs/reference/plan.schema.json.

The schema is checked with a small structural checker for the part of JSON
Schema it uses (so the test runs without extra packages), and with the
`jsonschema` package as well where it is installed.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_FILE

from rotation.cli import main
from rotation.domain import Committee, Plan
from rotation.formats import plan_to_data

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "reference" / "plan.schema.json"

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def problems(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """What in `value` does not match `schema`, one line each (empty: it matches).

    Covers the keywords plan.schema.json uses: $ref (local), type, const, enum,
    required, properties, additionalProperties, propertyNames, items,
    uniqueItems, pattern, minLength and minimum.
    """
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return problems(value, target, root, path)
    out: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        matches = any(
            isinstance(value, _TYPES[kind]) and not (kind == "integer" and isinstance(value, bool)) for kind in kinds
        )
        if not matches:
            return [f"{path}: expected {' or '.join(kinds)}, found {value!r}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: expected {schema['const']!r}, found {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{path}: {value!r} is too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and not isinstance(value, bool) and value < schema.get("minimum", value):
        out.append(f"{path}: {value} is below {schema['minimum']}")
    if isinstance(value, list):
        if schema.get("uniqueItems") and len({json.dumps(item, sort_keys=True) for item in value}) != len(value):
            out.append(f"{path}: items repeat")
        for index, item in enumerate(value):
            out += problems(item, schema.get("items", {}), root, f"{path}[{index}]")
    if isinstance(value, dict):
        out += [f"{path}: '{key}' is missing" for key in schema.get("required", []) if key not in value]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if "propertyNames" in schema:
                out += problems(key, schema["propertyNames"], root, f"{path} key {key!r}")
            if key in properties:
                out += problems(item, properties[key], root, f"{path}.{key}")
            elif extra is False:
                out.append(f"{path}: '{key}' is not in the schema")
            elif isinstance(extra, dict):
                out += problems(item, extra, root, f"{path}.{key}")
    return out


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return data


@pytest.fixture
def exported(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """What `rotation plan --format json` prints for the built-in example."""
    assert main(["plan", "--format", "json", "--quiet"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_the_example_export_matches_the_schema(exported: dict[str, Any], schema: dict[str, Any]) -> None:
    assert problems(exported, schema, schema) == []
    assert [m["date"] for m in exported["meetings"]] == [
        "2023-03-16",
        "2023-05-11",
        "2023-07-13",
        "2023-09-07",
        "2023-11-16",
        "2024-01-11",
    ]


def test_an_export_of_a_committee_built_in_code_matches_the_schema(
    committee_factory: Any, schema: dict[str, Any]
) -> None:
    import datetime as dt

    import rotation

    committee: Committee = committee_factory(6)
    plan: Plan = rotation.plan(committee, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))
    assert problems(plan_to_data(plan), schema, schema) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(schema=2), "$.schema: expected 1"),
        (lambda d: d["meetings"][0].update(mode="hybrid"), "$.meetings[0].mode: 'hybrid' is not one of"),
        (lambda d: d["meetings"][1].pop("roles"), "$.meetings[1]: 'roles' is missing"),
        (lambda d: d["meetings"][2].update(date="13-07-2023"), "$.meetings[2].date: '13-07-2023' does not match"),
        (lambda d: d["meetings"][0].update(start="9:00"), "$.meetings[0].start: '9:00' does not match"),
        (lambda d: d["meetings"][0].update(sequence=-1), "$.meetings[0].sequence: -1 is below 0"),
        (lambda d: d["meetings"][0].update(fixed_date="yes"), "$.meetings[0].fixed_date: expected boolean"),
        (lambda d: d["horizon"].pop("end"), "$.horizon: 'end' is missing"),
        (lambda d: d.update(score=3), "$: 'score' is not in the schema"),
        (lambda d: d["meetings"][0]["roles"].update(chair=""), "$.meetings[0].roles.chair: '' is too short"),
    ],
)
def test_a_broken_export_does_not_match(
    exported: dict[str, Any], schema: dict[str, Any], change: Any, expected: str
) -> None:
    broken = copy.deepcopy(exported)
    change(broken)
    found = problems(broken, schema, schema)
    assert any(line.startswith(expected) for line in found), found


def test_the_schema_names_exactly_the_fields_the_export_writes(
    exported: dict[str, Any], schema: dict[str, Any]
) -> None:
    # the optional fields: `issued`, absent until invites are made; `cancelled` and `left`, written by a replan
    assert set(schema["properties"]) - {"issued", "cancelled", "left"} == set(exported) == set(schema["required"])
    meeting = schema["$defs"]["meeting"]
    for item in exported["meetings"]:
        assert set(meeting["properties"]) == set(item) == set(meeting["required"])


def test_a_plan_with_its_record_of_what_was_issued_matches_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: dict[str, Any]
) -> None:
    from rotation.cli import main

    path = tmp_path / "plan.json"
    assert main(["plan", EXAMPLE_FILE, "--output", str(path), "--ics", str(tmp_path / "ics"), "--quiet"]) == 0
    capsys.readouterr()
    data = json.loads(path.read_text("utf-8"))
    assert len(data["issued"]) == 6
    assert problems(data, schema, schema) == []
    record = schema["$defs"]["issued"]
    assert set(record["properties"]) == set(data["issued"][0]) == set(record["required"])


def test_the_schema_is_valid_json_schema_and_the_export_validates(
    exported: dict[str, Any], schema: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(exported)] == []
    broken = copy.deepcopy(exported)
    broken["meetings"][0]["mode"] = "hybrid"
    assert not validator.is_valid(broken)
