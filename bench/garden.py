"""A synthetic garden of any size, for benchmarks.

Interaction counts per person are heavy-tailed (a Pareto draw: most ties see a handful of
contacts, a few see hundreds), dates spread over five years with recent contact for some
and long silences for others, so that every stage occurs. Rows go in with the database's
fastest bulk path (executemany on SQLite, COPY on PostgreSQL), not through the app.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Engine, text

from kith.core.model import ExchangeKind, InteractionKind
from kith.store import db
from kith.store.people import ensure_account

KINDS = [k.value for k in InteractionKind]
KIND_SHARE = [0.25, 0.2, 0.2, 0.12, 0.12, 0.06, 0.05]
EXCHANGE_KINDS = [k.value for k in ExchangeKind]
INTERESTS = [f"topic {i}" for i in range(400)]
SPAN_DAYS = 5 * 365


@dataclass(frozen=True)
class GardenSize:
    people: int
    interactions: int

    def times(self, factor: int) -> GardenSize:
        return GardenSize(self.people * factor, self.interactions * factor)


# The columns a generated person fills, in the order of the rows the benches build.
PEOPLE_COLUMNS = [
    "id",
    "account_id",
    "name",
    "name_key",
    "met_on",
    "created_on",
    "source",
    "state",
    "consent_share",
]


def _interaction_counts(rng: np.random.Generator, size: GardenSize) -> np.ndarray:
    raw = rng.pareto(1.3, size.people) + 1.0
    counts: np.ndarray = np.floor(raw / raw.sum() * size.interactions).astype(np.int64)
    shortfall = size.interactions - int(counts.sum())
    np.add.at(counts, rng.choice(size.people, shortfall, replace=True), 1)
    return counts


def _bulk(
    engine: Engine, table: str, columns: list[str], rows: Sequence[tuple[object, ...]]
) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)  # "on" and "by" are reserved words
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            sql = f"COPY {table} ({quoted}) FROM STDIN"
            # psycopg 3's cursor has copy(); the DB-API type SQLAlchemy gives does not say so.
            with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    marks = ", ".join("?" for _ in columns)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)


def build(
    url: str, size: GardenSize, today: date, seed: int = 1, introduced: float = 0.0
) -> Engine:
    """Create and fill a garden at `url` (which should be empty); return its engine.

    `introduced` is the share of people who came through someone already there (the
    network map's links): introducers are drawn in proportion to whom they introduced
    before, so a few connectors introduce many, as in life.
    """
    rng = np.random.default_rng(seed)
    engine = db.create(url)
    db.migrate(engine)
    with engine.begin() as conn:
        account = ensure_account(conn, "default")
        first_id = (
            int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM people")).scalar_one()) + 1
        )
    ids = np.arange(first_id, first_id + size.people)
    met_ago = rng.integers(0, SPAN_DAYS, size.people)
    people_rows = [
        (
            int(pid),
            account,
            f"Person {pid}",
            f"person {pid}",
            today - timedelta(days=int(m)),
            today - timedelta(days=int(m)),
            "bench",
            "active",
            False,
        )
        for pid, m in zip(ids, met_ago, strict=True)
    ]
    _bulk(
        engine,
        "people",
        PEOPLE_COLUMNS,
        people_rows,
    )
    _fill_tags(engine, rng, account, ids)
    _fill_interactions(engine, rng, account, ids, met_ago, size, today)
    _fill_exchanges(engine, rng, account, ids, met_ago, today)
    if introduced:
        _fill_introducers(engine, rng, ids, introduced)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT setval('people_id_seq', (SELECT MAX(id) FROM people))"))
            for table in ("interactions", "exchanges", "tags"):
                conn.execute(text(f"ANALYZE {table}"))
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return engine


def _fill_tags(engine: Engine, rng: np.random.Generator, account: int, ids: np.ndarray) -> None:
    rows: list[tuple[object, ...]] = []
    for pid in ids:
        for tag in rng.choice(len(INTERESTS), 3, replace=False):
            rows.append((account, int(pid), "interest", INTERESTS[tag]))
        if rng.random() < 0.3:
            rows.append((account, int(pid), "need", INTERESTS[int(rng.integers(len(INTERESTS)))]))
    _bulk(engine, "tags", ["account_id", "person_id", "kind", "value"], rows)


def _fill_introducers(
    engine: Engine, rng: np.random.Generator, ids: np.ndarray, share: float
) -> None:
    pool: list[int] = [int(ids[0])]  # one entry per person, plus one per introduction made
    rows: list[dict[str, int]] = []
    for pid in ids[1:]:
        if rng.random() < share:
            via = pool[int(rng.integers(len(pool)))]
            rows.append({"via": via, "id": int(pid)})
            pool.append(via)
        pool.append(int(pid))
    if rows:
        with engine.begin() as conn:
            conn.execute(text("UPDATE people SET via_id = :via WHERE id = :id"), rows)


def _fill_interactions(
    engine: Engine,
    rng: np.random.Generator,
    account: int,
    ids: np.ndarray,
    met_ago: np.ndarray,
    size: GardenSize,
    today: date,
) -> None:
    counts = _interaction_counts(rng, size)
    person = np.repeat(ids, counts)
    # Each contact falls between meeting and today; some ties went quiet long ago.
    quiet = np.repeat(rng.integers(0, 400, len(ids)) * (rng.random(len(ids)) < 0.3), counts)
    span = np.repeat(met_ago, counts)
    ago = np.minimum(
        span, quiet + (rng.random(len(person)) * np.maximum(span - quiet, 1)).astype(np.int64)
    )
    kind = rng.choice(len(KINDS), len(person), p=KIND_SHARE)
    by_them = rng.random(len(person)) < 0.45
    unanswered = (~by_them) & (rng.random(len(person)) < 0.05)
    base = today.toordinal()
    topics = json.dumps([])
    rows = [
        (
            account,
            int(p),
            date.fromordinal(base - int(a)),
            KINDS[k],
            "them" if t else "me",
            bool(u),
            topics,
        )
        for p, a, k, t, u in zip(person, ago, kind, by_them, unanswered, strict=True)
    ]
    _bulk(
        engine,
        "interactions",
        ["account_id", "person_id", "on", "kind", "by", "unanswered", "topics"],
        rows,
    )


def _fill_exchanges(
    engine: Engine,
    rng: np.random.Generator,
    account: int,
    ids: np.ndarray,
    met_ago: np.ndarray,
    today: date,
) -> None:
    counts = rng.poisson(1.2, len(ids))
    person = np.repeat(ids, counts)
    ago = (rng.random(len(person)) * np.repeat(met_ago, counts)).astype(np.int64)
    given = rng.random(len(person)) < 0.55
    rows = [
        (
            account,
            int(p),
            today - timedelta(days=int(a)),
            "given" if g else "received",
            "help",
            EXCHANGE_KINDS[int(k)],
            int(w),
        )
        for p, a, g, k, w in zip(
            person,
            ago,
            given,
            rng.integers(0, len(EXCHANGE_KINDS), len(person)),
            rng.integers(1, 6, len(person)),
            strict=True,
        )
    ]
    _bulk(
        engine,
        "exchanges",
        ["account_id", "person_id", "on", "direction", "what", "kind", "weight"],
        rows,
    )
