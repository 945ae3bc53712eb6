"""Benchmark: `feed` on a garden of 20,000 people and 1,000,000 interactions, and 4× that.

Each run builds a synthetic garden (bench/garden.py) on SQLite (a temporary file) and on
PostgreSQL (a database of its own, created and dropped here), then times, in the same
process and against the same tables, `kith.app.nurture.feed(garden, 20)` (everything the
command does below the CLI: all its SQL, judging every active person, ranking, matching
the chosen) and one bare SQL aggregate over the interactions table:

    SELECT person_id, count(*), max("on") FROM interactions GROUP BY person_id

Each is run once to warm caches, then three times interleaved; the best time counts.
Targets (issue 3): feed within 2× the aggregate, and 4× the data at most 4.4× the time.

Run: `make bench` (all benchmarks) or `.venv/bin/python -m bench bench_feed`.
"""

from __future__ import annotations

import os
import platform
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from bench.garden import GardenSize, build
from bench.report import write_section
from kith.app import nurture
from kith.app.garden import Garden

BASE = GardenSize(people=20_000, interactions=1_000_000)
FACTORS = (1, 4)
TODAY = date(2026, 11, 27)
LIMIT = 20
RUNS = 3
AGGREGATE = 'SELECT person_id, count(*), max("on") FROM interactions GROUP BY person_id'
TARGET_RATIO = 2.0
TARGET_SCALING = 4.4
FLOOR = (
    "Why the 2× target is missed, and the floor: the reference reads only the "
    "(person_id, on) index. `feed` must read kind, initiator and unanswered of every row "
    "from the table and sum three decayed weights, one exp() per row and half-life; on "
    "SQLite that one statement alone costs about 6-9× the reference (per-row expression "
    "work in SQLite's VM: the counts that touch the table about 3×, the rest the weight "
    "by kind and the exp() calls; looking the factors up per distinct date was tried and "
    "was no faster). On PostgreSQL it is about 5×. Then Python judges every active person "
    "(one Facts and one Verdict with reasons each: a loop per person, never per "
    "interaction), about 0.4-0.5 s at 1×, which on PostgreSQL is now the larger half. "
    "Getting near 2× would need the judgement itself vectorised (stage, next feed date and "
    "strength for everyone in SQL or numpy, the Python rules only for the chosen): a "
    "second implementation of the lifecycle to keep in step, not done. Timings on this "
    "shared machine vary by ±30% from run to run."
)
POSTGRES_ADMIN_URL = os.environ.get(
    "KITH_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True)
class Result:
    database: str
    factor: int
    build_s: float
    feed_s: float
    aggregate_s: float
    due: int

    @property
    def ratio(self) -> float:
        return self.feed_s / self.aggregate_s


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="kith-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'garden.db'}"


@contextmanager
def postgres_url() -> Iterator[str]:
    name = f"kith_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def best_of(runs: int, *jobs: Callable[[], object]) -> list[float]:
    """Warm each job up once, then run them `runs` times interleaved; the best of each."""
    for job in jobs:
        job()
    best = [float("inf")] * len(jobs)
    for _ in range(runs):
        for n, job in enumerate(jobs):
            start = time.perf_counter()
            job()
            best[n] = min(best[n], time.perf_counter() - start)
    return best


def measure(database: str, url: str, factor: int) -> Result:
    size = BASE.times(factor)
    start = time.perf_counter()
    engine: Engine = build(url, size, TODAY)
    built = time.perf_counter() - start
    try:
        with engine.connect() as conn:
            account = conn.execute(text("SELECT id FROM accounts WHERE name = 'default'"))
            account_id = int(account.scalar_one())
        garden = Garden(engine=engine, account_id=account_id, today=TODAY, url=url)

        def aggregate() -> object:
            with engine.connect() as conn:
                return conn.execute(text(AGGREGATE)).all()

        feed_s, aggregate_s = best_of(RUNS, lambda: nurture.feed(garden, LIMIT), aggregate)
        due = len(nurture.feed(garden))
    finally:
        engine.dispose()
    return Result(database, factor, built, feed_s, aggregate_s, due)


def postgres_version() -> str:
    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        engine.dispose()


def report(results: list[Result], sqlite_version: str, pg_version: str) -> str:
    rows = [
        "| database | people | interactions | feed s | aggregate s | feed / aggregate |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        size = BASE.times(r.factor)
        rows.append(
            f"| {r.database} | {size.people:,} | {size.interactions:,} | {r.feed_s:.2f} "
            f"| {r.aggregate_s:.3f} | {r.ratio:.1f}× |"
        )
    scaling = [
        "| database | feed 4×/1× | aggregate 4×/1× |",
        "| --- | ---: | ---: |",
    ]
    verdicts = []
    for database in dict.fromkeys(r.database for r in results):
        one, four = (
            next(r for r in results if (r.database, r.factor) == (database, f)) for f in FACTORS
        )
        feed_scale, agg_scale = four.feed_s / one.feed_s, four.aggregate_s / one.aggregate_s
        scaling.append(f"| {database} | {feed_scale:.2f} | {agg_scale:.2f} |")
        worst = max(one.ratio, four.ratio)
        verdicts.append(
            f"{database}: feed/aggregate up to {worst:.1f}× "
            f"({'met' if worst <= TARGET_RATIO else f'target {TARGET_RATIO:.0f}×, missed'}); "
            f"4× the data cost {feed_scale:.2f}× the time "
            f"({'met' if feed_scale <= TARGET_SCALING else f'target {TARGET_SCALING}×, missed'})."
        )
    builds = ", ".join(f"{r.database} {r.factor}× {r.build_s:.0f} s" for r in results)
    method = (
        f"Measured with `python -m bench bench_feed` on this machine ({os.cpu_count()} cores, "
        f"shared with other work; Python {platform.python_version()}, SQLite {sqlite_version}, "
        f"PostgreSQL {pg_version} local with default settings). Synthetic gardens from "
        f"`bench/garden.py` (heavy-tailed interaction counts over five years; built in "
        f"{builds}). `feed` is `kith.app.nurture.feed(garden, {LIMIT})`: all of its SQL, "
        f"judging every active person, ranking, and details and matching for the chosen. "
        f"The reference is the bare aggregate `{AGGREGATE}` over the same table in the same "
        f"run. Each is run once to warm up, then {RUNS} times interleaved; the best counts."
    )
    return "\n\n".join([method, "\n".join(rows), "\n".join(scaling), "\n".join(verdicts), FLOOR])


def main() -> None:
    results: list[Result] = []
    for database, url_of in (("SQLite", sqlite_url), ("PostgreSQL", postgres_url)):
        for factor in FACTORS:
            with url_of() as url:
                result = measure(database, url, factor)
            results.append(result)
            print(
                f"{database} {factor}×: built in {result.build_s:.0f} s, feed "
                f"{result.feed_s:.3f} s, aggregate {result.aggregate_s:.3f} s, "
                f"ratio {result.ratio:.1f}× ({result.due} due)",
                flush=True,
            )
    write_section("Feed", report(results, sqlite3.sqlite_version, postgres_version()))


if __name__ == "__main__":
    main()
