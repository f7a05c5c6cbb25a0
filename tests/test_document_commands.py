"""The document and picture files on the command line: each written in the format its extension names."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.cli import main


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    assert main(["plan", "--quiet", "--output", str(path)]) == 0
    return path


@pytest.mark.parametrize(
    ("name", "start"),
    [("plan.pdf", b"%PDF-"), ("year.svg", b"<svg "), ("plan.txt", b"Datum "), ("plan.docx", b"PK\x03\x04")],
)
def test_plan_writes_the_format_its_extension_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, start: bytes
) -> None:
    target = tmp_path / name
    code, out, _ = run(capsys, ["plan", "--quiet", "--output", str(target)])
    assert (code, out) == (0, "")
    assert target.read_bytes().startswith(start)


def test_the_year_picture_alone_has_its_title_and_years(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "year.svg"
    assert run(capsys, ["plan", "--quiet", "--lang", "en", "--output", str(target)])[0] == 0
    svg = target.read_text("utf-8")
    assert "Year at a glance, 2023-01-13 to 2024-01-12</text>" in svg  # printed, not only a tooltip
    assert ">2023</text>" in svg and ">2024</text>" in svg


@pytest.mark.parametrize("name", ["plan.odt", "plan.png", "plan.doc"])
def test_plan_refuses_an_extension_it_does_not_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    target = tmp_path / name
    code, out, err = run(capsys, ["plan", "--quiet", "--output", str(target)])
    assert (code, out) == (2, "")
    assert err.startswith(f"Usage error: rotation does not write {Path(name).suffix} files;")
    assert ".pdf" in err and ".svg" in err
    assert not target.exists()


def test_plan_refuses_a_format_other_than_the_extension(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    code, _, err = run(capsys, ["plan", "--quiet", "--format", "csv", "--output", str(target)])
    assert code == 2
    assert err == "Usage error: --format csv does not match the extension of --output plan.pdf.\n"
    assert not target.exists()


def test_one_table_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import docx

    for flag, tables in (([], 2), (["--one-table"], 1)):
        target = tmp_path / f"plan-{tables}.docx"
        assert run(capsys, ["plan", "--quiet", *flag, "--output", str(target)])[0] == 0
        assert len(docx.Document(str(target)).tables) == tables


def test_fairness_writes_the_picture(capsys: pytest.CaptureFixture[str], tmp_path: Path, plan_json: Path) -> None:
    target = tmp_path / "fairness.svg"
    code, out, _ = run(capsys, ["fairness", "--plan", str(plan_json), "--lang", "en", "--output", str(target)])
    assert (code, out) == (0, "")
    svg = target.read_text("utf-8")
    assert svg.startswith("<svg ")
    assert "plan 2023-03-16 – 2024-01-11" in svg and "has waited longest for this role" in svg


def test_fairness_writes_the_table_as_text(capsys: pytest.CaptureFixture[str], tmp_path: Path, plan_json: Path) -> None:
    target = tmp_path / "fairness.txt"
    assert run(capsys, ["fairness", "--plan", str(plan_json), "--output", str(target)])[:2] == (0, "")
    code, shown, _ = run(capsys, ["fairness", "--plan", str(plan_json)])
    assert code == 0 and target.read_text("utf-8") == shown


def test_fairness_refuses_other_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, ["fairness", "--output", str(tmp_path / "fairness.png")])
    assert code == 2 and "writes .svg (the picture) or .txt (the table), not .png files" in err
    assert list(tmp_path.iterdir()) == []


def test_fairness_is_the_same_from_json_and_excel(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plan_json: Path
) -> None:
    workbook = tmp_path / "plan.xlsx"
    assert main(["plan", "--quiet", "--output", str(workbook)]) == 0
    capsys.readouterr()
    from_json = run(capsys, ["fairness", "--plan", str(plan_json), "--lang", "en"])
    from_excel = run(capsys, ["fairness", "--plan", str(workbook), "--lang", "en"])
    assert from_json == from_excel
    assert from_json[1].startswith("Turns per unit and role: history since 2020-01-13 + plan 2023-03-16 – 2024-01-11\n")


def test_fairness_help_names_excel(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["fairness", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "JSON, CSV, Markdown, Excel or .ics" in out and "--output PATH" in out


def test_a_workbook_of_long_names_reads_back(tmp_path: Path) -> None:
    """Twenty units, names up to sixty characters, three years: the sheet `rotation check` reads is the plan."""
    from long_committee import long_committee, long_plan

    from rotation import documents
    from rotation.formats import read_plan

    committee = long_committee()
    plan = long_plan(committee)
    back = read_plan(documents.write("xlsx", committee, plan, tmp_path / "long.xlsx"), committee)
    assert [(m.date, m.mode, m.location, dict(m.roles), m.title) for m in back.meetings] == [
        (m.date, m.mode, m.location, dict(m.roles), m.title) for m in plan.meetings
    ]


@pytest.mark.parametrize("label", ["Tijd", "time", "Notes", "Bijzonderheden"])
def test_a_role_called_like_a_column_of_the_workbook_reads_back(label: str) -> None:
    import dataclasses

    import rotation
    from rotation import documents
    from rotation.formats import read_plan_text

    example = rotation.example()
    roles = list(example.roles)
    roles[2] = dataclasses.replace(roles[2], label_nl=label, label_en=label)
    committee = dataclasses.replace(example, roles=tuple(roles))
    plan = rotation.plan(committee)
    for language in ("nl", "en"):
        data = documents.to_bytes("xlsx", committee, plan, language=language)
        back = read_plan_text(data, committee, source="x.xlsx")
        assert [dict(m.roles) for m in back.meetings] == [dict(m.roles) for m in plan.meetings]


def test_a_letter_the_pdf_fonts_lack_is_refused_by_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    example = tmp_path / "committee.toml"
    assert main(["example"]) == 0
    example.write_text(capsys.readouterr().out.replace('"Den Haag"', '"Łódź"'), encoding="utf-8")
    target = tmp_path / "planning.pdf"
    code, out, err = run(capsys, ["plan", str(example), "--quiet", "--output", str(target)])
    assert (code, out) == (2, "")
    assert "the PDF's built-in fonts cannot show 'Ł' (U+0141" in err and "--output planning.html" in err
    assert not target.exists()
    page = tmp_path / "planning.html"
    assert run(capsys, ["plan", str(example), "--quiet", "--output", str(page)])[0] == 0
    assert "Łódź" in page.read_text("utf-8")
