"""bench_cli, part two: `kith log` and `kith show` as processes on the 20k garden (issue 11).

Run through `python -m bench bench_cli` (see its docstring). The garden is built here, in a
temporary folder, with bench/garden.py and `kept_facts.rebuild`, as bench_feed builds it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import text

from bench.garden import GardenSize, build
from kith.core.rules import Rules
from kith.store import kept_facts

GARDEN_SECTION = "CLI on the 20k garden: kith log and kith show (issue 11)"
TARGET_S = 0.3  # issue 11: one command on a 20k garden, as a process
TODAY = date(2026, 11, 27)
ROUNDS = int(os.environ.get("KITH_BENCH_CLI_ROUNDS", "15"))
SIZE = GardenSize(
    people=int(os.environ.get("KITH_BENCH_CLI_PEOPLE", "20000")),
    interactions=int(os.environ.get("KITH_BENCH_CLI_INTERACTIONS", "1000000")),
)
BIN = Path(sys.executable).parent
PERSON = "Person 17"  # bench/garden.py names people "Person N"


@dataclass(frozen=True)
class Case:
    """A command line, the environment it runs in, and its label in the report."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(repr=False)


def _build(path: Path) -> float:
    started = time.perf_counter()
    engine = build(f"sqlite:///{path}", SIZE, TODAY)
    try:
        with engine.begin() as conn:  # the bulk build wrote past the store: keep its facts
            account = conn.execute(text("SELECT id FROM accounts WHERE name = 'default'"))
            kept_facts.rebuild(conn, int(account.scalar_one()), Rules())
    finally:
        engine.dispose()
    return time.perf_counter() - started


def _time(case: Case) -> float:
    started = time.perf_counter()
    subprocess.run(case.argv, env=case.env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _measure(cases: list[Case]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {case.label: [] for case in cases}
    for case in cases:
        _time(case)  # warm-up: page cache, .pyc files, the resident's first command
    for round_number in range(ROUNDS):
        shift = round_number % len(cases)  # each command takes each position in turn
        for case in cases[shift:] + cases[:shift]:
            times[case.label].append(_time(case))
    return times


def _private(folder: Path) -> str:
    folder.mkdir(mode=0o700)
    return str(folder)


def run_garden() -> str:
    kith = str(BIN / "kith")
    with tempfile.TemporaryDirectory(prefix="kith-bench-cli-garden-") as name:
        folder = Path(name)
        database = folder / "garden.db"
        built_s = _build(database)
        base = os.environ | {
            "KITH_DATABASE_URL": f"sqlite:///{database}",
            "KITH_CONFIG": str(folder / "no-config.toml"),
            "KITH_TODAY": TODAY.isoformat(),
        }
        cold = base | {"XDG_RUNTIME_DIR": _private(folder / "no-resident")}
        warm = base | {"XDG_RUNTIME_DIR": _private(folder / "resident")}
        log = [kith, "log", PERSON, "call", "--note", "bench"]
        show = [kith, "show", PERSON]
        query = f"select * from people where name = '{PERSON}'"
        cases = [
            Case("kith log (cold)", log, cold),
            Case("kith show (cold)", show, cold),
            Case("kith log (warm: resident)", log, warm),
            Case("kith show (warm: resident)", show, warm),
            Case(
                "sqlite-utils query (one person)",
                [str(BIN / "sqlite-utils"), "query", str(database), query],
                cold,
            ),
            Case("python -c pass", [sys.executable, "-c", "pass"], cold),
        ]
        subprocess.run([kith, "resident", "start"], env=warm, check=True, capture_output=True)
        try:
            times = _measure(cases)
            served = subprocess.run(
                [kith, "resident", "status"], env=warm, check=True, capture_output=True, text=True
            ).stdout.strip()
        finally:
            subprocess.run([kith, "resident", "stop"], env=warm, check=False, capture_output=True)
    return _report(cases, times, built_s, served)


def _report(cases: list[Case], times: dict[str, list[float]], built_s: float, served: str) -> str:
    median = {label: statistics.median(values) for label, values in times.items()}
    interpreter = median["python -c pass"]
    lines = [
        f"Each command a fresh process on a garden of {SIZE.people:,} people and"
        f" {SIZE.interactions:,} interactions (SQLite; bench/garden.py, kept facts rebuilt;"
        f" built in {built_s:.0f} s), {ROUNDS} interleaved rounds after one warm-up each;"
        " wall-clock seconds from spawn to exit, output discarded. *Cold*: no resident process"
        " (the command loads kith in its own interpreter). *Warm*: `kith resident start` ran"
        " first, and the `kith` script hands the command to it. Measured on this machine"
        f" ({os.cpu_count()} cores, shared), `python -m bench bench_cli`.",
        "",
        "| command | median s | fastest s | × `python -c pass` | ≤ 0.3 s (median) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for case in cases:
        values = times[case.label]
        verdict = (
            ("met" if median[case.label] <= TARGET_S else "NOT met") if "kith" in case.label else ""
        )
        lines.append(
            f"| `{case.label}` | {median[case.label]:.3f} | {min(values):.3f} |"
            f" {median[case.label] / interpreter:.1f} | {verdict} |"
        )
    verdicts = [
        f"`{label}` {median[label]:.3f} s: {'met' if median[label] <= TARGET_S else 'NOT met'}"
        for label in median
        if label.startswith("kith")
    ]
    lines += [
        "",
        f"Target (issue 11): one command on a 20k garden ≤ {TARGET_S} s as a process. "
        + "; ".join(verdicts)
        + ".",
        "",
        f"The resident after the run: {served}",
        "",
        f"Machine load average (1 min) at the end: {os.getloadavg()[0]:.1f}.",
    ]
    return "\n".join(lines)
