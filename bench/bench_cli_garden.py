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
from kith.cli import resident_protocol as protocol
from kith.cli import resident_spawn
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


@dataclass(frozen=True)
class AutoStart:
    """What a user with the default setting (auto) sees, from a garden with no resident.

    The first command runs in its own process and starts a resident in the background; the
    user's next commands (FOLLOWING of them, log and show in turn) go to it. Each round
    starts from a runtime folder of its own, so the first command finds no resident.
    """

    log: list[str]
    show: list[str]
    env: dict[str, str] = field(repr=False)
    folder: Path

    LABELS = (
        "kith show (auto: the first command)",
        "resident ready, after the first command",
        "kith log (auto: the following commands)",
        "kith show (auto: the following commands)",
    )

    def run(self, round_number: int, times: dict[str, list[float]]) -> None:
        env = self.env | {"XDG_RUNTIME_DIR": _private(self.folder / f"auto-{round_number}")}
        first = Case(self.LABELS[0], self.show, env)
        times[first.label].append(_time(first))
        started = time.perf_counter()
        ready = _wait_current(env)
        times[self.LABELS[1]].append(time.perf_counter() - started)
        try:
            for number in range(FOLLOWING):
                label, argv = (
                    (self.LABELS[2], self.log) if number % 2 else (self.LABELS[3], self.show)
                )
                times[label].append(_time(Case(label, argv, env)))
        finally:
            _stop(env)
        if not ready:
            raise RuntimeError("the auto-started resident did not come up")


FOLLOWING = 6  # commands after the first, per round (3 log, 3 show)


def _wait_current(env: dict[str, str]) -> bool:
    found = protocol.identity(env, None, None)
    return resident_spawn.wait_current(found, 120.0) is not None  # polls its socket


def _stop(env: dict[str, str]) -> None:
    resident_spawn.ask(protocol.identity(env, None, None), "stop")


def _measure(cases: list[Case], auto: AutoStart) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {case.label: [] for case in cases}
    times |= {label: [] for label in AutoStart.LABELS}
    for case in cases:
        _time(case)  # warm-up: page cache, .pyc files, the resident's first command
    steps = len(cases) + 1
    for round_number in range(ROUNDS):
        shift = round_number % steps  # each step takes each position in turn
        for step in [*range(steps)][shift:] + [*range(steps)][:shift]:
            if step == len(cases):
                auto.run(round_number, times)
            else:
                times[cases[step].label].append(_time(cases[step]))
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
        # off: no command starts a resident; the explicit one is still used.
        cold = base | {"XDG_RUNTIME_DIR": _private(folder / "no-resident"), "KITH_RESIDENT": "off"}
        warm = base | {"XDG_RUNTIME_DIR": _private(folder / "resident"), "KITH_RESIDENT": "off"}
        log = [kith, "log", PERSON, "call", "--note", "bench"]
        show = [kith, "show", PERSON]
        query = f"select * from people where name = '{PERSON}'"
        cases = [
            Case("kith log (cold: no resident)", log, cold),
            Case("kith show (cold: no resident)", show, cold),
            Case("kith log (explicit: kith resident start)", log, warm),
            Case("kith show (explicit: kith resident start)", show, warm),
            Case(
                "sqlite-utils query (one person)",
                [str(BIN / "sqlite-utils"), "query", str(database), query],
                cold,
            ),
            Case("python -c pass", [sys.executable, "-c", "pass"], cold),
        ]
        auto = AutoStart(log, show, base | {"KITH_RESIDENT": "auto"}, folder)
        subprocess.run([kith, "resident", "start"], env=warm, check=True, capture_output=True)
        try:
            times = _measure(cases, auto)
            served = subprocess.run(
                [kith, "resident", "status"], env=warm, check=True, capture_output=True, text=True
            ).stdout.strip()
        finally:
            _stop(warm)
    return _report(cases, times, built_s, served)


def _report(cases: list[Case], times: dict[str, list[float]], built_s: float, served: str) -> str:
    median = {label: statistics.median(values) for label, values in times.items()}
    interpreter = median["python -c pass"]
    lines = [
        f"Each command a fresh process on a garden of {SIZE.people:,} people and"
        f" {SIZE.interactions:,} interactions (SQLite; bench/garden.py, kept facts rebuilt;"
        f" built in {built_s:.0f} s), {ROUNDS} interleaved rounds after one warm-up each;"
        " wall-clock seconds from spawn to exit, output discarded. *Cold*: setting"
        " `resident = off` and no resident (the command loads kith in its own interpreter)."
        " *Auto* (the default setting), each round from a runtime folder with no resident: the"
        " first command runs in its own process and starts a resident in the background; once"
        " it answers (its socket polled; the time it took is shown), the user's next"
        f" {FOLLOWING} commands (log and show in turn) are timed, then it is stopped."
        " *Explicit*: `kith resident start` ran before the run. Measured on this machine"
        f" ({os.cpu_count()} cores, shared), `KITH_BENCH_CLI_PARTS=garden python -m bench"
        " bench_cli`.",
        "",
        "| command | median s | fastest s | × `python -c pass` | ≤ 0.3 s (median) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    labels = [case.label for case in cases[:4]] + list(AutoStart.LABELS)
    labels += [case.label for case in cases[4:]]
    for label in labels:
        values = times[label]
        verdict = _verdict(median[label]) if label.startswith("kith") else ""
        lines.append(
            f"| `{label}` | {median[label]:.3f} | {min(values):.3f} |"
            f" {median[label] / interpreter:.1f} | {verdict} |"
        )
    verdicts = [
        f"`{label}` {median[label]:.3f} s: {_verdict(median[label])}"
        for label in labels
        if label.startswith("kith")
    ]
    lines += [
        "",
        f"Target (issue 11): one command on a 20k garden ≤ {TARGET_S} s as a process. "
        + "; ".join(verdicts)
        + ".",
        "",
        f"The explicit resident after the run: {served}",
        "",
        f"Machine load average (1 min) at the end: {os.getloadavg()[0]:.1f}.",
    ]
    return "\n".join(lines)


def _verdict(seconds: float) -> str:
    return "met" if seconds <= TARGET_S else "NOT met"
