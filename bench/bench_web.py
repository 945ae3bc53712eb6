"""Load on the web app: 32 concurrent clients on loopback against the dashboard and the
person page of a 20,000-person garden, and the same server's trivial /health endpoint in
the same run; throughput is reported as a ratio to /health (target: at least 25%).

The server runs in its own process (uvicorn, one worker) so the load generator (httpx,
asyncio) does not share its interpreter. Each endpoint gets DURATION seconds in all, in
interleaved slices so that other load on the machine falls on all of them alike; the first
request of each page is timed alone before the load (a cold cache).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from bench.garden import GardenSize, build
from bench.report import write_section

TODAY = date(2026, 11, 27)
SIZE = GardenSize(20_000, 1_000_000)
CLIENTS = 32
DURATION = float(os.environ.get("KITH_BENCH_WEB_SECONDS", "20"))
PERSON_IDS = range(1, 20_001, 400)  # 50 different people, visited in turn
ROUNDS = 4
TARGET_RATIO = 0.25


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
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port), TODAY.isoformat()])
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


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="kith-bench-web-") as folder:
        url = f"sqlite:///{Path(folder) / 'garden.db'}"
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        build(url, SIZE, TODAY).dispose()
        built = time.perf_counter() - started
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _start(url, port)
        try:
            cold_dashboard = _cold(base, "/")
            people = [f"/people/{i}" for i in PERSON_IDS]
            cold_person = statistics.median(_cold(base, path) for path in people)
            targets = {"health": ["/health"], "dashboard": ["/"], "person": people}
            slices: dict[str, list[Phase]] = {name: [] for name in targets}
            for _ in range(ROUNDS):  # interleaved, so a busy moment hits every endpoint alike
                for name, paths in targets.items():
                    slices[name].append(asyncio.run(_load(base, name, paths, DURATION / ROUNDS)))
            phases = [_merge(name, parts) for name, parts in slices.items()]
        finally:
            server.terminate()
            server.wait(timeout=30)
    return _report(phases, built, cold_dashboard, cold_person) + _load_note(load_before)


def _report(phases: list[Phase], built: float, cold_dashboard: float, cold_person: float) -> str:
    health = phases[0].per_second
    lines = [
        f"{CLIENTS} concurrent clients (httpx, asyncio) on loopback, {DURATION:.0f} s per"
        f" endpoint in {ROUNDS} interleaved slices, against one uvicorn worker over a SQLite"
        f" garden of {SIZE.people:,} people"
        f" and {SIZE.interactions:,} interactions (built in {built:.0f} s). Measured on this"
        f" machine ({os.cpu_count()} cores), `python -m bench bench_web`.",
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
        f" (lowest ratio {worst:.0%}).",
        "",
        f"Pages are served from a cache of the judged garden, keyed by the garden's version"
        f" (the SQLite files' size and modification time), so they are recomputed after any"
        f" write. The first dashboard after a write took {cold_dashboard:.1f} s here (one"
        f" judgement of all {SIZE.people:,} people for feed, stats and balances); the first"
        f" view of a person page took {cold_person * 1000:.0f} ms (median of {len(PERSON_IDS)}).",
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
