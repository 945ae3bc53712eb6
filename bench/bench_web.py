"""The web app on a 20,000-person garden: the first dashboard after a write, and load.

First dashboard after a write (issue 11, target 0.3 s), on SQLite and PostgreSQL: a write
through the app's API (`POST /api/v1/people/N/interactions`, what a browser's or a phone's
log does), then the dashboard (`GET /`), WRITES times; the median and the best are
reported, beside the same dashboard served again with no write in between (the cached page,
the reference within the run) and the write itself.

Load (SQLite): 32 concurrent clients on loopback against the dashboard and the person page,
and the same server's trivial /health endpoint in the same run; throughput is reported as a
ratio to /health (target: at least 25%).

The server runs in its own process (uvicorn, one worker) so the load generator (httpx,
asyncio) does not share its interpreter. Each endpoint gets DURATION seconds in all, in
interleaved slices so that other load on the machine falls on all of them alike; the first
request of each page is timed alone before the load (a cold cache).

To save the builds while developing, KITH_BENCH_WEB_SQLITE_FROM names a built SQLite 1×
garden to copy, and KITH_BENCH_WEB_PG_TEMPLATE a built PostgreSQL one to clone (CREATE
DATABASE ... TEMPLATE); the copies are written to, the originals never.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from bench.bench_feed import POSTGRES_ADMIN_URL
from bench.garden import GardenSize, build
from bench.report import write_section
from kith.app import credentials
from kith.app.garden import open_garden
from kith.settings import Settings

TODAY = date(2026, 11, 27)
SIZE = GardenSize(20_000, 1_000_000)
CLIENTS = 32
DURATION = float(os.environ.get("KITH_BENCH_WEB_SECONDS", "20"))  # 0: no load phases
PERSON_IDS = range(1, 20_001, 400)  # 50 different people, visited in turn
ROUNDS = 4
TARGET_RATIO = 0.25
WRITES = int(os.environ.get("KITH_BENCH_WEB_WRITES", "7"))
TARGET_AFTER_WRITE_S = 0.3  # issue 11: the first dashboard after a write


@dataclass(frozen=True)
class Phase:
    name: str
    requests: int
    failures: Counter[str]  # what went wrong, by status code or exception
    seconds: float
    latencies: list[float]

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER = """
import sys, uvicorn
from datetime import date
from kith.settings import Settings
from kith.web.app import create_app
url, port = sys.argv[1], int(sys.argv[2])
app = create_app(Settings(database_url=url, today=date.fromisoformat(sys.argv[3])), port=port)
if sys.argv[4] == "whole":  # the reference: no kept judgement, every dashboard judges all
    app.state.dashboard_judgements = None
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def _start(url: str, port: int, mode: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", SERVER, url, str(port), TODAY.isoformat(), mode]
    server = subprocess.Popen(command)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the web app did not start")


def _merge(name: str, parts: list[Phase]) -> Phase:
    return Phase(
        name,
        sum(p.requests for p in parts),
        sum((p.failures for p in parts), Counter()),
        sum(p.seconds for p in parts),
        [latency for p in parts for latency in p.latencies],
    )


async def _load(base: str, name: str, paths: list[str], seconds: float) -> Phase:
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        turn = number
        while time.monotonic() < stop:
            path = paths[turn % len(paths)]
            turn += CLIENTS
            started = time.perf_counter()
            try:
                answer = await http.get(path)
                if answer.status_code != 200:
                    failures[f"HTTP {answer.status_code}"] += 1
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - started)

    begun = time.monotonic()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        await asyncio.gather(*(client(i, http) for i in range(CLIENTS)))
    return Phase(name, len(latencies), failures, time.monotonic() - begun, latencies)


def _cold(base: str, path: str) -> float:
    started = time.perf_counter()
    httpx.get(f"{base}{path}", timeout=300).raise_for_status()
    return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0.0


@dataclass(frozen=True)
class AfterWrite:
    """The first dashboard after each of several writes, on one database."""

    database: str
    built: str  # how the garden came to be, for the report
    whole: list[float]  # the reference: the same, each dashboard judging the whole garden
    cold: float  # the very first dashboard, on a cold cache
    writes: list[float]
    dashboards: list[float]  # the first dashboard after each write
    cached: list[float]  # the dashboard again, nothing written in between

    @property
    def median(self) -> float:
        return statistics.median(self.dashboards)

    @property
    def best(self) -> float:
        return min(self.dashboards)


def _api_token(url: str) -> str:
    opened = open_garden(Settings(database_url=url, today=TODAY), TODAY)
    try:
        return credentials.rotate_token(opened)
    finally:
        opened.engine.dispose()


def _after_writes(database: str, built: str, url: str, token: str) -> AfterWrite:
    """A write, then the dashboard, WRITES times, by the app and by its reference in turn."""
    with _serving(url, "whole") as whole_base, _serving(url) as base:
        cold = _cold(base, "/")
        _cold(whole_base, "/")
        whole: list[float] = []
        writes, dashboards, cached = [], [], []
        for turn in range(WRITES):  # interleaved: a busy moment falls on both alike
            whole += _written_then_shown(whole_base, token, turn)[1:2]
            write, shown, again = _written_then_shown(base, token, turn)
            writes.append(write)
            dashboards.append(shown)
            cached.append(again)
    return AfterWrite(database, built, whole, cold, writes, dashboards, cached)


def _written_then_shown(base: str, token: str, turn: int) -> tuple[float, float, float]:
    """A write through the API, the dashboard, the dashboard again: seconds each."""
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=300) as http:
        person = PERSON_IDS[turn % len(PERSON_IDS)]
        started = time.perf_counter()
        answer = http.post(
            f"/api/v1/people/{person}/interactions", json={"kind": "call"}, headers=auth
        )
        answer.raise_for_status()
        written = time.perf_counter()
        http.get("/").raise_for_status()
        shown = time.perf_counter()
        http.get("/").raise_for_status()
        return written - started, shown - written, time.perf_counter() - shown


@contextmanager
def _sqlite_garden() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="kith-bench-web-") as folder:
        path = Path(folder) / "garden.db"
        source = os.environ.get("KITH_BENCH_WEB_SQLITE_FROM")
        if source:
            _copy_sqlite(Path(source), path)
            yield f"sqlite:///{path}", f"copied from {Path(source).name}"
            return
        started = time.perf_counter()
        build(f"sqlite:///{path}", SIZE, TODAY).dispose()
        yield f"sqlite:///{path}", f"built in {time.perf_counter() - started:.0f} s"


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)  # consistent even with a write-ahead log beside it


@contextmanager
def _postgres_garden() -> Iterator[tuple[str, str]]:
    name = f"kith_bench_web_{secrets.token_hex(4)}"
    template = os.environ.get("KITH_BENCH_WEB_PG_TEMPLATE")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        if template:
            yield url, f"cloned from {template}"
        else:
            started = time.perf_counter()
            build(url, SIZE, TODAY).dispose()
            yield url, f"built in {time.perf_counter() - started:.0f} s"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _serving(url: str, mode: str = "kept") -> Iterator[str]:
    """The web app on `url`; `mode` "whole" without its kept judgement (the reference)."""
    port = _free_port()
    server = _start(url, port, mode)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _load_phases(base: str) -> tuple[list[Phase], float]:
    people = [f"/people/{i}" for i in PERSON_IDS]
    cold_person = statistics.median(_cold(base, path) for path in people)
    targets = {"health": ["/health"], "dashboard": ["/"], "person": people}
    slices: dict[str, list[Phase]] = {name: [] for name in targets}
    for _ in range(ROUNDS):  # interleaved, so a busy moment hits every endpoint alike
        for name, paths in targets.items():
            slices[name].append(asyncio.run(_load(base, name, paths, DURATION / ROUNDS)))
    return [_merge(name, parts) for name, parts in slices.items()], cold_person


def run() -> str:
    load_before = os.getloadavg()[0]
    results: list[AfterWrite] = []
    with _sqlite_garden() as (url, built):
        token = _api_token(url)
        results.append(_after_writes("SQLite", built, url, token))
        if DURATION > 0:
            with _serving(url) as base:
                phases, cold_person = _load_phases(base)
        else:
            phases, cold_person = [], 0.0
    with _postgres_garden() as (url, built):
        token = _api_token(url)
        results.append(_after_writes("PostgreSQL", built, url, token))
    body = _after_write_report(results)
    if phases:
        body += "\n\n" + _report(phases, results[0].built, cold_person)
    return body + _load_note(load_before)


def _after_write_report(results: list[AfterWrite]) -> str:
    lines = [
        f"First dashboard after a write (issue 11), on a garden of {SIZE.people:,} people and"
        f" {SIZE.interactions:,} interactions: a write through the API (`POST"
        f" /api/v1/people/N/interactions`), then `GET /`, {WRITES} times, one uvicorn worker"
        f" in its own process, measured on this machine ({os.cpu_count()} cores),"
        " `python -m bench bench_web`. The server keeps its last judgement of the garden and"
        " judges again only the people whose rows changed since (`store/garden_changes.py`);"
        " *whole* is the reference in the same run: a second server without the kept"
        " judgement, written to and asked in turn with the first, each dashboard judging the"
        " whole garden. *Cached* is the same page requested again with no"
        " write in between; *cold* the server's very first dashboard. On PostgreSQL the"
        " cache key is the cluster's current snapshot (`store/write_version.py`): a write by"
        " anyone to any database of the cluster judges the garden again, so on a shared"
        " server *cached* can be a whole judgement too.",
        "",
        "| database | garden | write ms (median) | first dashboard after a write s (median)"
        " | best s | worst s | whole s (median) | cached ms (median) | cold s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.database} | {result.built} | {statistics.median(result.writes) * 1000:.0f}"
            f" | {result.median:.3f} | {result.best:.3f} | {max(result.dashboards):.3f}"
            f" | {statistics.median(result.whole):.3f}"
            f" | {statistics.median(result.cached) * 1000:.0f} | {result.cold:.2f} |"
        )
    lines.append("")
    for result in results:
        met = "met" if result.median <= TARGET_AFTER_WRITE_S else "NOT met"
        lines.append(
            f"{result.database}: first dashboard after a write {result.median:.2f} s median,"
            f" {result.best:.2f} s best (target {TARGET_AFTER_WRITE_S} s: {met}); judging the"
            f" whole garden {statistics.median(result.whole):.2f} s median in the same run."
        )
    return "\n".join(lines)


def _report(phases: list[Phase], built: str, cold_person: float) -> str:
    health = phases[0].per_second
    lines = [
        f"Load: {CLIENTS} concurrent clients (httpx, asyncio) on loopback, {DURATION:.0f} s per"
        f" endpoint in {ROUNDS} interleaved slices, against one uvicorn worker over the SQLite"
        f" garden above ({built}).",
        "",
        "| endpoint | requests | errors | req/s | p50 ms | p99 ms | ratio to /health |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for phase in phases:
        ratio = phase.per_second / health
        lines.append(
            f"| {phase.name} | {phase.requests} | {phase.errors} | {phase.per_second:.0f}"
            f" | {_percentile(phase.latencies, 0.5) * 1000:.1f}"
            f" | {_percentile(phase.latencies, 0.99) * 1000:.1f} | {ratio:.0%} |"
        )
    failed = {name: phase.failures for phase in phases for name in [phase.name] if phase.failures}
    if failed:
        lines += ["", "Errors: " + "; ".join(f"{k}: {dict(v)}" for k, v in failed.items()) + "."]
    worst = min(p.per_second for p in phases[1:]) / health
    verdict = "met" if worst >= TARGET_RATIO and not any(p.errors for p in phases) else "NOT met"
    lines += [
        "",
        f"Target: each page at least {TARGET_RATIO:.0%} of /health with no errors: {verdict}"
        f" (lowest ratio {worst:.0%}). The first view of a person page took"
        f" {cold_person * 1000:.0f} ms (median of {len(PERSON_IDS)}).",
    ]
    return "\n".join(lines)


def _load_note(before: float) -> str:
    # The ratio is what compares across runs: absolute req/s fall when the machine is shared.
    after = os.getloadavg()[0]
    return f"\n\nMachine load average (1 min): {before:.1f} before the run, {after:.1f} after."


def main() -> None:
    body = run()
    print(body)
    write_section("Web", body)


if __name__ == "__main__":
    main()
