"""`rotation send` of a large plan, through a real SMTP server on this machine.

Run from the repository root::

    python benchmarks/send.py                       # 300 units, 10 years: 60 meetings, 18,000 e-mails
    python benchmarks/send.py --units 50 --years 2  # smaller

The committee (units with long names and a coordinator each, invited to every
meeting) and its plan are built in code, the roles handed on in turn, so that
no solver time is counted. `rotation issue` writes the folder of invites, then
`rotation send --yes` delivers it to an aiosmtpd server started here (it
accepts every message and keeps none). Each command runs in a fresh process;
its wall time and peak memory (maximum resident set size) are printed, with
the size of the plan and of the folder, as a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rotation.domain import Committee, Plan

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UNITS = 300
YEARS = 10
LONG = "Regionale Eenheid {number:03d}, Dienst Interne Onderzoeken en Integriteit Noord-West"

__all__ = ["committee_text", "large_plan", "main", "write_instance"]


def committee_text(units: int) -> str:
    """A committee file: `units` units with long names and a coordinator each, the example's four roles."""
    lines = [
        'name = "Overleg van de coördinatoren interne onderzoeken en integriteit, landelijk"',
        'language = "nl"',
        'secretary = { name = "Secretariaat coördinatorenoverleg", email = "secretariaat@example.org" }',
        "units = [",
    ]
    for number in range(1, units + 1):
        name = LONG.format(number=number)
        lines.append(
            f'  {{ name = "{name}", coordinator = "Coördinator {name}", '
            f'email = "coordinator.{number:03d}@eenheid-{number:03d}.example.org", venue = "Eenheid {number:03d}" }},'
        )
    lines += [
        "]",
        "roles = [",
        '  { key = "chair", nl = "voorzitter", en = "chair" },',
        '  { key = "minute_taker", nl = "notulist", en = "minute-taker" },',
        '  { key = "case", nl = "casus", en = "case" },',
        '  { key = "knowledge", nl = "kennis", en = "knowledge" },',
        "]",
        "[rotation]",
        'chains = [{ from = "minute_taker", to = "chair" }, { from = "knowledge", to = "case" }]',
        "[cadence]",
        'weekday = "thursday"',
        "meetings_per_year = 6",
        "min_gap_weeks = 7",
        "max_gap_weeks = 10",
        'timezone = "Europe/Amsterdam"',
        "[blackouts]",
        "public_holidays = false",
        "",
    ]
    return "\n".join(lines)


def large_plan(committee: Committee, years: int, first_year: int = 2027) -> Plan:
    """Six meetings a year in weeks 2, 11, 19, 28, 36 and 46, the roles handed on in turn."""
    from rotation.domain import Meeting, Mode, Plan

    names = [unit.name for unit in committee.units]
    meetings = []
    for index in range(6 * years):
        date = dt.date.fromisocalendar(first_year + index // 6, (2, 11, 19, 28, 36, 46)[index % 6], 4)
        chair = names[index % len(names)]
        roles = {
            "chair": chair,
            "minute_taker": names[(index + 1) % len(names)],
            "case": names[(index + 2) % len(names)],
            "knowledge": names[(index + 3) % len(names)],
        }
        mode = Mode.TEAMS if index % 2 else Mode.PHYSICAL
        location = committee.modes.teams_location if mode is Mode.TEAMS else f"Eenheid {index % len(names) + 1:03d}"
        meetings.append(
            Meeting(
                id=f"{date.year}-{date.month:02d}",
                date=date,
                start=committee.cadence.start,
                end=committee.cadence.end,
                mode=mode,
                location=location,
                roles=roles,
            )
        )
    return Plan(
        committee.name,
        committee.cadence.timezone,
        dt.date(first_year, 1, 1),
        dt.date(first_year + years - 1, 12, 31),
        tuple(meetings),
    )


def write_instance(folder: Path, units: int, years: int) -> tuple[Path, Path]:
    """Write committee.toml and plan.json for `units` units over `years` years into `folder`."""
    import rotation
    from rotation.formats import to_json

    committee_file = folder / "committee.toml"
    committee_file.write_text(committee_text(units), encoding="utf-8")
    committee = rotation.load(committee_file)
    plan_file = folder / "plan.json"
    plan_file.write_text(to_json(committee, large_plan(committee, years)), encoding="utf-8")
    return committee_file, plan_file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(port: int) -> subprocess.Popen[bytes]:
    """An aiosmtpd server that accepts every message and keeps none, in its own process."""
    code = (
        "import asyncio, sys\n"
        "from aiosmtpd.controller import Controller\n"
        "class Sink:\n"
        "    async def handle_DATA(self, server, session, envelope):\n"
        "        return '250 OK'\n"
        f"c = Controller(Sink(), hostname='127.0.0.1', port={port}, data_size_limit=0)\n"
        "c.start(); print('ready', flush=True); sys.stdin.read(); c.stop()\n"
    )
    server = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert server.stdout is not None
    server.stdout.readline()
    return server


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Seconds, processor seconds, peak MiB (maximum resident set size) and exit code of `command`."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "seconds = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(done.stderr.decode()[-2000:])\n"
        "print(json.dumps([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, done.returncode]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], env=env, capture_output=True, text=True)
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    import json

    seconds, processor, peak, returncode = json.loads(done.stdout)
    return float(seconds), float(processor), float(peak), int(returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the instance in this folder and keep it")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1798761600"}
    rotation = [sys.executable, "-c", "import sys; from rotation.cli import main; sys.exit(main())"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        committee_file, plan_file = write_instance(folder, args.units, args.years)
        out = folder / "invites"
        issue = measure(
            [*rotation, "issue", str(plan_file), "--committee", str(committee_file), "--out", str(out)], env
        )
        files = sorted(out.iterdir())
        size = sum(path.stat().st_size for path in files)
        port = _free_port()
        server = _server(port)
        try:
            send = measure(
                [
                    *rotation,
                    "send",
                    str(out),
                    "--committee",
                    str(committee_file),
                    "--yes",
                    "--smtp-host",
                    "127.0.0.1",
                    "--smtp-port",
                    str(port),
                    "--smtp-tls",
                    "none",
                ],
                env,
            )
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=30)
        messages = (out / "delivery.json").read_text(encoding="utf-8").count('"sent": "')
        if (out / ".delivery.log").exists():
            print("the delivery log was not folded into the record", file=sys.stderr)
        record = (out / "delivery.json").stat().st_size
        print(
            f"{args.units} units × {args.years} years: plan.json {plan_file.stat().st_size / 1e6:.1f} MB; "
            f"the folder {len(files)} files, {size / 1e6:.1f} MB (delivery.json {record / 1e6:.1f} MB); "
            f"e-mails delivered: {messages}; load average {os.getloadavg()[0]:.1f} at the end\n"
        )
        print("| command | seconds | processor seconds | peak MiB | exit |")
        print("|---|---:|---:|---:|---:|")
        for name, (seconds, processor, peak, code) in (("issue", issue), ("send", send)):
            print(f"| rotation {name} | {seconds:.1f} | {processor:.1f} | {peak:.0f} | {code} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
