"""Rebuilding kept facts (issue 11): `kept_facts.rebuild` and `drift` against the bare aggregate.

The rebuild recomputes every `person_facts` row from the whole history (migrations, `kith
doctor --rebuild-facts`, a restore, a change of [rules]); `drift` rebuilds in memory and
compares with the kept rows (`kith doctor`, and the test suite after every story). Both are
timed on a 1× garden (20k people, 1M interactions) against the bare aggregate over the same
table in the same run, and the rebuilt rows are checked equal, bit for bit, to the row-by-row
fold the rebuild used before (`reference_rebuilt`: a model object and a `with_*` fold per
event), which is timed once.

Gardens are built by `bench/garden.py`, or copied: `KITH_BENCH_SQLITE_FROM=path.db` copies a
built SQLite garden, `KITH_BENCH_PG_TEMPLATE=name` creates the PostgreSQL one from a template
database. `KITH_BENCH_QUICK=1` runs SQLite only; `KITH_BENCH_REFERENCE=0` skips the reference.

Run: `.venv/bin/python -m bench bench_rebuild`.
"""

from __future__ import annotations

import os
import platform
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, select, text

from bench.bench_feed import (
    AGGREGATE,
    BASE,
    POSTGRES_ADMIN_URL,
    TODAY,
    best_of,
    postgres_version,
)
from bench.garden import build
from bench.report import write_section
from kith.core.kept_facts import (
    KeptFacts,
    with_ask,
    with_breach,
    with_exchange,
    with_interaction,
    with_their_ask,
)
from kith.core.model import (
    Ask,
    AskOutcome,
    AskSize,
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    Initiator,
    Interaction,
    InteractionKind,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.store import kept_facts
from kith.store.tables import asks, breaches, exchanges, interactions, their_asks

QUICK = os.environ.get("KITH_BENCH_QUICK") == "1"
REFERENCE = os.environ.get("KITH_BENCH_REFERENCE", "1") == "1"
SQLITE_FROM = os.environ.get("KITH_BENCH_SQLITE_FROM")
PG_TEMPLATE = os.environ.get("KITH_BENCH_PG_TEMPLATE")
RUNS = 3
TARGET_S = 15.0  # issue 11: a rebuild of 1M interactions on SQLite


@dataclass
class Result:
    database: str
    events: int
    aggregate_s: float
    rebuilt_s: float  # kept_facts.rebuilt: the fold in memory
    rebuild_s: float  # kept_facts.rebuild: the fold, the old rows deleted, the new written
    drift_s: float  # kept_facts.drift: the fold and the kept rows read and compared
    reference_s: float | None  # the row-by-row fold of before, once


@contextmanager
def sqlite_garden() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="kith-bench-") as folder:
        path = Path(folder) / "garden.db"
        if SQLITE_FROM:
            source = sqlite3.connect(f"file:{SQLITE_FROM}?mode=ro", uri=True)
            target = sqlite3.connect(path)
            source.backup(target)  # the WAL too: a plain copy of the file would miss it
            target.close()
            source.close()
            yield f"sqlite:///{path}"
        else:
            url = f"sqlite:///{path}"
            build(url, BASE, TODAY).dispose()
            yield url


@contextmanager
def postgres_garden() -> Iterator[str]:
    name = f"kith_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    template = f' TEMPLATE "{PG_TEMPLATE}"' if PG_TEMPLATE else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        if not PG_TEMPLATE:
            build(url, BASE, TODAY).dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reference_rebuilt(conn: Connection, account_id: int, rules: Rules) -> dict[int, KeptFacts]:
    """The rebuild as it was: typed rows, a model object and a `with_*` fold per event."""
    rows: dict[int, KeptFacts] = {}

    def row(pid: int) -> KeptFacts:
        return rows.get(pid) or KeptFacts(person_id=pid)

    def read(table: Table, *columns: str) -> Iterator[Any]:
        stmt = (
            select(*(table.c[name] for name in columns))
            .where(table.c.account_id == account_id)
            .order_by(table.c.person_id, table.c.on, table.c.id)
        )
        yield from conn.execute(stmt.execution_options(yield_per=5000))

    for r in read(interactions, "person_id", "on", "kind", "by", "unanswered"):
        item = Interaction(r[0], r[1], InteractionKind(r[2]), Initiator(r[3]), bool(r[4]))
        rows[item.person_id] = with_interaction(row(item.person_id), item, rules)
    for r in read(exchanges, "person_id", "on", "direction", "weight", "intro_id"):
        gift = Exchange(r[0], r[1], Direction(r[2]), "", ExchangeKind.FAVOR, r[3], intro_id=r[4])
        rows[gift.person_id] = with_exchange(row(gift.person_id), gift, rules)
    for r in read(asks, "person_id", "on", "outcome", "outcome_on"):
        ask = Ask(r[0], r[1], "", AskSize.SMALL, outcome=AskOutcome(r[2]), outcome_on=r[3])
        rows[ask.person_id] = with_ask(row(ask.person_id), ask, rules)
    for r in read(breaches, "person_id", "on", "resolved_on"):
        breach = Breach(r[0], r[1], "", resolved_on=r[2])
        rows[breach.person_id] = with_breach(row(breach.person_id), breach)
    for r in read(their_asks, "person_id", "on", "pitch", "premature"):
        theirs = TheirAsk(r[0], r[1], "", pitch=bool(r[2]), premature=bool(r[3]))
        rows[theirs.person_id] = with_their_ask(row(theirs.person_id), theirs)
    return rows


def measure(database: str, url: str) -> Result:
    engine: Engine = create_engine(url)
    rules = Rules()
    try:
        with engine.connect() as conn:
            account = conn.execute(text("SELECT id FROM accounts WHERE name = 'default'"))
            account_id = int(account.scalar_one())
            events = int(conn.execute(text("SELECT count(*) FROM interactions")).scalar_one())

        def aggregate() -> object:
            with engine.connect() as conn:
                return conn.execute(text(AGGREGATE)).all()

        def rebuilt() -> object:
            with engine.connect() as conn:
                return kept_facts.rebuilt(conn, account_id, rules)

        def rebuild() -> object:
            with engine.begin() as conn:
                return kept_facts.rebuild(conn, account_id, rules)

        def drift() -> object:
            with engine.connect() as conn:
                drifted = kept_facts.drift(conn, account_id)
            assert drifted == [], f"{database}: drift after a rebuild: {drifted[:5]}"
            return drifted

        aggregate_s, rebuilt_s, rebuild_s, drift_s = best_of(
            RUNS, aggregate, rebuilt, rebuild, drift, warm_up=False
        )
        reference_s = None
        if REFERENCE:
            with engine.connect() as conn:
                start = time.perf_counter()
                before = reference_rebuilt(conn, account_id, rules)
                reference_s = time.perf_counter() - start
                now = kept_facts.rebuilt(conn, account_id, rules)
                kept = kept_facts.load_kept(conn, account_id)
            assert now == before == kept, f"{database}: the rebuild differs from the reference"
        return Result(database, events, aggregate_s, rebuilt_s, rebuild_s, drift_s, reference_s)
    finally:
        engine.dispose()


def report(results: list[Result], pg_version: str) -> str:
    rows = [
        "| database | interactions | aggregate s | rebuilt (fold) s | rebuild s | drift s "
        "| rebuild / aggregate | fold before s | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        before = "—" if r.reference_s is None else f"{r.reference_s:.1f}"
        speedup = "—" if r.reference_s is None else f"{r.reference_s / r.rebuilt_s:.1f}×"
        rows.append(
            f"| {r.database} | {r.events:,} | {r.aggregate_s:.2f} | {r.rebuilt_s:.1f} "
            f"| {r.rebuild_s:.1f} | {r.drift_s:.1f} | {r.rebuild_s / r.aggregate_s:.0f}× "
            f"| {before} | {speedup} |"
        )
    method = (
        f"Measured with `python -m bench bench_rebuild` on this machine ({os.cpu_count()} "
        f"cores, shared with other work; Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, {pg_version}) on a 1× garden from `bench/garden.py`. "
        f"*rebuilt* is `kept_facts.rebuilt` (every person's row folded in memory from the "
        f"streamed history), *rebuild* `kept_facts.rebuild` (that, the old rows deleted and "
        f"the new ones written, one transaction), *drift* `kept_facts.drift` (the fold, the "
        f"kept rows read and compared). The reference is the bare aggregate `{AGGREGATE}` in "
        f"the same run; each is run {RUNS} times interleaved, the best counts. *Fold before* "
        f"is the row-by-row fold the rebuild used before issue 11's rework (typed rows, a "
        f"model object and a `with_*` fold of the frozen dataclass per event), run once; the "
        f"run checks its rows equal, bit for bit, to the rebuild's and to the kept rows."
    )
    sqlite = [r for r in results if r.database == "SQLite"]
    verdicts = [
        f"Target: a rebuild of 1M interactions on SQLite within {TARGET_S:.0f} s: "
        + (
            f"{'met' if r.rebuild_s <= TARGET_S else 'NOT met'} ({r.rebuild_s:.1f} s)."
            if r.events >= BASE.interactions
            else f"not judged ({r.events:,} interactions only)."
        )
        for r in sqlite
    ]
    return "\n\n".join([method, "\n".join(rows), "\n".join(verdicts)])


def main() -> None:
    results: list[Result] = []
    gardens = (("SQLite", sqlite_garden), ("PostgreSQL", postgres_garden))
    for database, garden in gardens[:1] if QUICK else gardens:
        with garden() as url:
            result = measure(database, url)
        results.append(result)
        print(
            f"{database}: {result.events} interactions; aggregate {result.aggregate_s:.2f} s, "
            f"rebuilt {result.rebuilt_s:.1f} s, rebuild {result.rebuild_s:.1f} s, drift "
            f"{result.drift_s:.1f} s, fold before {result.reference_s} s",
            flush=True,
        )
    pg_version = "PostgreSQL (not run)" if QUICK else f"PostgreSQL {postgres_version()}"
    write_section("Rebuilding kept facts", report(results, pg_version))


if __name__ == "__main__":
    main()
