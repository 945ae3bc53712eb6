"""Start-up of the CLI, and `kith log` / `kith show` on the 20,000-person garden (issue 11).

Part one: `kith --help` and `kith list` on the demo garden against sqlite-utils
(`sqlite-utils --help`, and `sqlite-utils query` listing the same people table), measured side
by side in the same run. Target: kith no slower than sqlite-utils.

Each command is a fresh process, as a user types it: the time is the wall clock from spawn to
exit, output discarded. The commands run in interleaved rounds (so a busy moment on the shared
machine falls on all of them alike) after one warm-up each; the median counts. Two floors are
measured beside them: the bare interpreter, and importing SQLAlchemy (which every kith command
that reads the garden needs).

Part two (issue 11, target ≤ 0.3 s each as a process): `kith log` and `kith show` on a garden
built here with bench/garden.py (20,000 people, 1,000,000 interactions, kept facts rebuilt as
bench_feed does), cold (setting `resident = off`, no resident: the command runs in its own
interpreter), auto (the default setting: the first command runs in its own process and starts
a resident; the following commands go to it) and explicit (`kith resident start` first),
interleaved with
`python -c pass` and `sqlite-utils query` reading the same person. KITH_BENCH_CLI_PEOPLE and
KITH_BENCH_CLI_INTERACTIONS make the garden smaller while developing; KITH_BENCH_CLI_PARTS
(`startup`, `garden`, or both, comma-separated) picks the parts.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import write_section

ROUNDS = int(os.environ.get("KITH_BENCH_CLI_ROUNDS", "15"))
BIN = Path(sys.executable).parent  # the virtualenv's scripts: kith and sqlite-utils


@dataclass(frozen=True)
class Case:
    """One command line to time, and what it stands for in the report."""

    label: str
    argv: list[str]


def _require_sqlite_utils() -> Path:
    found = BIN / "sqlite-utils"
    if not found.exists():
        sys.exit("bench_cli needs sqlite-utils beside kith: pip install -e '.[bench]'")
    return found


def _demo_garden(folder: Path, env: dict[str, str]) -> Path:
    path = folder / "demo.db"
    subprocess.run([BIN / "kith", "demo"], env=env, check=True, capture_output=True)
    return path


def _time(case: Case, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(case.argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _measure(cases: list[Case], env: dict[str, str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {case.label: [] for case in cases}
    for case in cases:
        _time(case, env)  # warm-up: the files in the page cache, .pyc written
    for round_number in range(ROUNDS):
        shift = round_number % len(cases)  # each command takes each position in turn
        for case in cases[shift:] + cases[:shift]:
            times[case.label].append(_time(case, env))
    return times


def run() -> str:
    sqlite_utils = _require_sqlite_utils()
    kith = str(BIN / "kith")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kith-bench-cli-") as name:
        folder = Path(name)
        env = os.environ | {
            "KITH_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
            "KITH_CONFIG": str(folder / "no-config.toml"),  # no user config in the way
        }
        database = _demo_garden(folder, env)
        pairs = [
            (
                Case("kith --help", [kith, "--help"]),
                Case("sqlite-utils --help", [str(sqlite_utils), "--help"]),
            ),
            (
                Case("kith list", [kith, "list"]),
                Case(
                    'sqlite-utils query demo.db "select * from people"',
                    [str(sqlite_utils), "query", str(database), "select * from people"],
                ),
            ),
        ]
        floors = [
            Case("python -c pass", [sys.executable, "-c", "pass"]),
            Case("python -c 'import sqlalchemy'", [sys.executable, "-c", "import sqlalchemy"]),
        ]
        cases = [case for pair in pairs for case in pair] + floors
        times = _measure(cases, env)
    median = {label: statistics.median(values) for label, values in times.items()}
    return _report(pairs, floors, median, times) + _load_note(load_before)


def _report(
    pairs: list[tuple[Case, Case]],
    floors: list[Case],
    median: dict[str, float],
    times: dict[str, list[float]],
) -> str:
    lines = [
        f"Each command a fresh process on the demo garden (`kith demo`, SQLite), {ROUNDS}"
        " interleaved rounds after one warm-up; wall-clock seconds from spawn to exit, median"
        f" (and fastest). Measured on this machine ({os.cpu_count()} cores, shared),"
        " `python -m bench bench_cli`.",
        "",
        "| command | median s | fastest s | × reference |",
        "| --- | ---: | ---: | ---: |",
    ]
    verdicts = []
    for ours, reference in pairs:
        ratio = median[ours.label] / median[reference.label]
        for case in (reference, ours):
            times_of = times[case.label]
            shown = f"{median[case.label] / median[reference.label]:.2f}"
            lines.append(
                f"| `{case.label}` | {median[case.label]:.3f} | {min(times_of):.3f} | {shown} |"
            )
        verdict = "met" if ratio <= 1 else "NOT met"
        verdicts.append(f"`{ours.label}` {ratio:.2f}× `{reference.label.split(' ')[0]}`: {verdict}")
    for case in floors:
        fastest = min(times[case.label])
        lines.append(f"| `{case.label}` (floor) | {median[case.label]:.3f} | {fastest:.3f} | |")
    interpreter, orm = (median[case.label] for case in floors)
    query = median[pairs[1][1].label]
    lines += [
        "",
        "Target: no slower than sqlite-utils in the same run. " + "; ".join(verdicts) + ".",
        "",
        f"The interpreter alone starts in {interpreter:.3f} s. Every kith command that reads"
        f" the garden imports SQLAlchemy first: {orm - interpreter:.3f} s on top of that here,"
        f" against {query - interpreter:.3f} s for the whole of `sqlite-utils query` (the"
        " standard library's sqlite3 and click).",
    ]
    return "\n".join(lines)


def _load_note(before: float) -> str:
    # Ratios compare across runs; absolute seconds rise when the machine is shared.
    after = os.getloadavg()[0]
    return f"\n\nMachine load average (1 min): {before:.1f} before the run, {after:.1f} after."


def main() -> None:
    parts = os.environ.get("KITH_BENCH_CLI_PARTS", "startup,garden").split(",")
    if "startup" in parts:
        body = run()
        print(body)
        write_section("CLI start-up", body)
    if "garden" in parts:
        from bench.bench_cli_garden import GARDEN_SECTION, run_garden

        body = run_garden()
        print(body)
        write_section(GARDEN_SECTION, body)


if __name__ == "__main__":
    main()
