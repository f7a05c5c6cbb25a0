"""Every command shown in README.md and docs/ runs, and prints what the page shows.

Each page runs in a folder of its own, top to bottom, as a reader following it would: the commands of its
```sh blocks and console blocks (`$ ` lines), its Python blocks, and the hidden set-up its `<!-- doctest`
comments name. The output a page shows is compared with what the program prints, exactly, a line `...`
standing for any number of lines. docs/README.md describes the conventions for writers.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import docpages
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

pytestmark = pytest.mark.slow  # a real SMTP server, and every command of every page

PAGES = docpages.pages()

NOT_RUN = {
    ("README.md", "python3 -m pip install . && rotation plan"): "installs rotation, then prints the planning below",
    ("README.md", "bash scripts/test.sh"): "runs the whole test suite, this test included",
    ("docs/tutorial/first-plan.md", "python3 -m pip install ."): "installs rotation",
    ("docs/performance.md", "python benchmarks/run.py --svg docs/images/performance-growth.svg"): (
        "the full run and its picture, about five minutes"
    ),
    ("docs/performance.md", "python benchmarks/run.py --quick"): (
        "one run of each committee, no growth table, the MIP solver stopped at 20 s"
    ),
    ("docs/performance.md", "python benchmarks/run.py --only 100x10 --repeat 5"): "one committee, 5 runs",
    ("docs/performance.md", "python benchmarks/run.py --determinism"): (
        "the same plans under three hash seeds and on one core?"
    ),
    ("docs/performance.md", "python benchmarks/send.py"): (
        "18,000 e-mails, about a quarter of an hour on a busy machine"
    ),
    ("docs/performance.md", "python benchmarks/send.py --units 50 --years 2"): "a smaller folder, 600 e-mails",
    (
        "docs/how-to/documents.md",
        "libreoffice --headless --convert-to pdf planning-2027.docx",
    ): "LibreOffice is not installed everywhere",
    (
        "docs/how-to/documents.md",
        "chromium --headless --no-pdf-header-footer --print-to-pdf=planning-2027.pdf planning-2027.html",
    ): "Chromium is not installed everywhere",
}
"""The commands that are not run, with the reason the page gives next to them."""

SMTP_HOST = "smtp.example.org"
"""The SMTP server the pages name; the test runs their `rotation send` against a server of its own."""
SENDING_PAGES = {"docs/how-to/outlook.md"}
"""Pages whose `rotation send` e-mails through that server."""


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(email.message_from_bytes(content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _login(server: object, session: object, envelope: object, mechanism: str, auth_data: object) -> AuthResult:
    return AuthResult(success=isinstance(auth_data, LoginPassword))


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Mailbox]]:
    box = Mailbox()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_login,
        auth_require_tls=False,  # on this machine only: the test's server has no certificate
    )
    controller.start()
    try:
        yield controller.port, box
    finally:
        controller.stop()


class BusyMailbox(Mailbox):
    """A server that takes two messages and then refuses for a while, as a busy server does."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if len(self.messages) >= 2:
            return "451 4.7.1 Too many messages, try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="module")
def busy_smtp() -> Iterator[tuple[int, Mailbox]]:
    box = BusyMailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(), authenticator=_login, auth_require_tls=False)
    controller.start()
    try:
        yield controller.port, box
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def environment() -> Iterator[dict[str, str]]:
    with docpages.rotation_server() as env:
        yield env


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_what_the_program_prints(
    page: str,
    environment: dict[str, str],
    smtp: tuple[int, Mailbox],
    busy_smtp: tuple[int, Mailbox],
    tmp_path: Path,
) -> None:
    port, box = smtp
    busy_port, _ = busy_smtp
    env = {
        **environment,
        "ROTATION_SMTP_PORT": str(port),
        "ROTATION_SMTP_TLS": "none",
        "DOCS_SMTP_BUSY_PORT": str(busy_port),  # for a page that shows a send failing halfway
    }
    stand_ins = {f"{SMTP_HOST}:587": f"127.0.0.1:{busy_port}", SMTP_HOST: "127.0.0.1"}
    session = docpages.Session(page, tmp_path, env, stand_ins)
    received = len(box.messages)
    session.run(docpages.read_page(docpages.ROOT / page))
    sent = box.messages[received:]
    if page in SENDING_PAGES and not session.failures:
        assert sent, f"{page} sends e-mail, but the SMTP server received none"
        assert all(any(part.get_content_type() == "text/calendar" for part in message.walk()) for message in sent), (
            "every e-mail carries its invite"
        )
    if session.failures:
        pytest.fail(
            f"{page} no longer matches the program: update the page (or the program); "
            "docs/README.md says how pages are run.\n\n" + "\n\n".join(str(failure) for failure in session.failures),
            pytrace=False,
        )


def test_commands_not_run_are_the_listed_ones() -> None:
    found = {
        (page, command.partition(docpages.NOT_RUN_MARK)[0].strip()): reason
        for page in PAGES
        for step in docpages.read_page(docpages.ROOT / page)
        if isinstance(step, docpages.Shell)
        for command in step.commands
        if (reason := docpages.not_run(command)) is not None
    }
    assert found == NOT_RUN


def test_shown_output_may_leave_out_lines_only_where_it_says_so() -> None:
    assert docpages.matches("a\n...\nd\n", "a\nb\nc\nd\n")
    assert docpages.matches("a\n...\nd\n", "a\nd\n")
    assert docpages.matches("a\n...\n", "a\nb\n")
    assert not docpages.matches("a\nd\n", "a\nb\nd\n")
    assert not docpages.matches("a ... d\n", "a b c d\n")
    assert not docpages.matches("a\n", "a \n")
    assert not docpages.matches("a\n", "a\n\n")


def test_a_page_is_read_as_a_reader_follows_it(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n"
        "<!-- doctest\nrotation example > committee.toml\n-->\n\n"
        "```sh\nrotation plan committee.toml \\\n    --lang en\n```\n\n"
        "```\nDate ...\n```\n\n"
        "<!-- doctest: write edited.csv -->\n```\nDatum,Vorm\n```\n\n"
        "```\n$ rotation check edited.csv\nbroken\n$ echo $?\n1\n```\n\n"
        "Not an output:\n\n```\nusage: rotation\n```\n\n"
        "```sh\npip install .   # not run by the docs test: installs\n```\n",
        "utf-8",
    )
    steps = docpages.read_page(page)
    assert [type(step).__name__ for step in steps] == ["Shell", "Shell", "Write", "Shell", "Shell", "Shell"]
    hidden, shown, write, check, status, install = steps
    assert isinstance(hidden, docpages.Shell) and hidden.hidden and hidden.expected is None
    assert isinstance(shown, docpages.Shell) and shown.commands == ["rotation plan committee.toml \\\n    --lang en"]
    assert (shown.line, shown.expected, shown.expected_line) == (8, "Date ...\n", 13)
    assert isinstance(write, docpages.Write) and (write.name, write.text, write.append) == (
        "edited.csv",
        "Datum,Vorm\n",
        False,
    )
    assert isinstance(check, docpages.Shell) and (check.commands, check.expected, check.line) == (
        ["rotation check edited.csv"],
        "broken\n",
        22,
    )
    assert isinstance(status, docpages.Shell) and (status.commands, status.expected) == (["echo $?"], "1\n")
    assert isinstance(install, docpages.Shell) and docpages.not_run(install.commands[0]) == "installs"


def _anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, as GitHub makes them."""
    text = re.sub(r"^ *```.*?^ *```", "", page.read_text("utf-8"), flags=re.DOTALL | re.MULTILINE)
    headings = re.findall(r"^#+ (.*)$", text, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES)
def test_links_between_pages_lead_somewhere(page: str) -> None:
    path = docpages.ROOT / page
    text = re.sub(r"^ *```.*?^ *```", "", path.read_text("utf-8"), flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"`[^`\n]*`", "", text)  # code is not a link
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        destination = (path.parent / name) if name else path
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page} links to " + "; ".join(broken)


OUTPUT_STARTS = (
    "usage: rotation",
    "Configuration error:",
    "Planning file error:",
    "Horizon error:",
    "Usage error:",
    "Mail error:",
    "Missing package:",
    "No plan possible:",
    "rotation: ",
    "Datum ",
    "Date ",
    "Changes to the issued plan:",
    "Wijzigingen ten opzichte",
)
"""How the program's messages and tables start: a block shown like this is made by a command in the test."""


@pytest.mark.parametrize("page", PAGES)
def test_what_the_program_prints_is_shown_with_its_command(page: str) -> None:
    loose = [
        f"line {line}: {text.splitlines()[0]}"
        for line, text in docpages.loose_blocks(docpages.ROOT / page)
        if text.startswith(OUTPUT_STARTS)
    ]
    assert not loose, (
        f"{page} shows what the program prints without the command that prints it; show the command, or give it "
        "in a hidden block (docs/README.md):\n" + "\n".join(loose)
    )
