"""A community at load-test size, written straight into PostgreSQL with COPY.

`generate(url, members)` fills an empty database (migrated here first, so the schema is the
real one): one group, `members` members each with an account (login `member00042`, one
shared password, a per-member API token), and per account a garden of PEOPLE people and
INTERACTIONS interactions with their kept facts (`person_facts`, `facts_rules`), a few
interests each, and a few contacts shared between members.

Gardens are drawn from TEMPLATES generated histories (heavy-tailed counts per person, five
years of dates, as bench/garden.py does): each template's kept facts are folded once by the
real `core.kept_facts` rules in the order `store.kept_facts.rebuilt` folds them, then copied
to every garden made from it, so the kept facts agree with the history by construction and
`kith doctor` finds no drift. Names, companies and ids differ per member.

COPY into tables with their indexes and foreign keys is slowed by a trigger per row and key;
so the bulk tables' keys and indexes are dropped first and remade afterwards from their own
definitions (`pg_get_constraintdef`, `pg_get_indexdef`): the schema at the end is the one
the migrations made, and remaking the foreign keys validates every row.

Run alone: `python -m bench.load_data --members 50 [--database kith_load]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from argon2 import PasswordHasher
from sqlalchemy import Connection, create_engine, make_url, text

from bench.garden import KIND_SHARE, KINDS, SPAN_DAYS, GardenSize, _interaction_counts
from kith.app.community import require_postgres
from kith.core.identity import name_key
from kith.core.kept_facts import KeptFacts, rules_key, with_interaction
from kith.core.model import Initiator, Interaction, InteractionKind
from kith.core.rules import Rules
from kith.store import db

MEMBERS = 10_000
PEOPLE = 200
INTERACTIONS = 5_000
TEMPLATES = 8
INTERESTS_EACH = 2
SHARES_EACH = 2  # contacts each member shares with another member
GROUP_SHARE_EVERY = 100  # one member in this many also shares a contact with the whole group
PASSWORD = "load-bench-password"
DATABASE = "kith_load"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Tables written by COPY whose keys and indexes are dropped first and remade after.
BULK = ("people", "tags", "interactions", "person_facts")

FIRST = "Maya Tomas Ines Kofi Lena Ravi Sofia Yusuf Hana Omar Clara Jonas Amara Luca Noor Ivan"
LAST = "Okafor Silva Moreau Tanaka Novak Haddad Lindqvist Mensah Rossi Kowalski Ortega Park"
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Hooli",
    "Vandelay",
]
TITLES = ["founder", "engineer", "designer", "investor", "teacher", "lawyer", "doctor", "writer"]
INTERESTS = [f"topic {i}" for i in range(200)]


def login(number: int) -> str:
    """The login of member `number` (0-based)."""
    return f"member{number:05d}"


def token(number: int) -> str:
    """Member `number`'s API token (a load database's tokens are known by design)."""
    return f"kith_load_{number:05d}_" + hashlib.sha256(f"load {number}".encode()).hexdigest()


def token_hash(value: str) -> str:
    """As app/credentials stores a token: a token of 256 random bits needs no slow hash."""
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Template:
    """One generated garden: per person and per interaction, everything but the ids."""

    met_ago: list[int]
    consent: list[bool]
    interests: list[list[int]]
    person_of: list[int]  # per interaction (sorted by person, then date): the person's offset
    lines: list[str]  # per interaction: its COPY columns after account, person and id
    facts: dict[int, str]  # person offset -> the kept row's COPY columns after account, person


@dataclass(frozen=True)
class Generated:
    members: int
    people: int
    interactions: int
    seconds: float
    phases: dict[str, float]


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return json.dumps(list(value))
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(KeptFacts) if f.name != "person_id")


def template(seed: int, today: date, rules: Rules) -> Template:
    """A garden's history, sorted as the kept facts are folded, and those facts."""
    rng = np.random.default_rng(seed)
    size = GardenSize(PEOPLE, INTERACTIONS)
    met_ago = rng.integers(0, SPAN_DAYS, PEOPLE)
    counts = _interaction_counts(rng, size)
    person = np.repeat(np.arange(PEOPLE), counts)
    quiet = np.repeat(rng.integers(0, 400, PEOPLE) * (rng.random(PEOPLE) < 0.3), counts)
    span = np.repeat(met_ago, counts)
    ago = np.minimum(
        span, quiet + (rng.random(len(person)) * np.maximum(span - quiet, 1)).astype(np.int64)
    )
    kind = rng.choice(len(KINDS), len(person), p=KIND_SHARE)
    by_them = rng.random(len(person)) < 0.45
    unanswered = (~by_them) & (rng.random(len(person)) < 0.05)
    on = today.toordinal() - ago
    order = np.lexsort((on, person))  # by person, then date: the order rebuilt() folds in
    folded: dict[int, KeptFacts] = {}
    lines: list[str] = []
    for n in order.tolist():
        item = Interaction(
            int(person[n]),
            date.fromordinal(int(on[n])),
            InteractionKind(KINDS[kind[n]]),
            Initiator.THEM if by_them[n] else Initiator.ME,
            bool(unanswered[n]),
        )
        kept = folded.get(item.person_id) or KeptFacts(item.person_id)
        folded[item.person_id] = with_interaction(kept, item, rules)
        lines.append(
            f"{item.on.isoformat()}\t{item.kind.value}\t{item.by.value}"
            f"\t{_copy_text(item.unanswered)}\t[]\n"
        )
    facts = {
        pid: "\t".join(_copy_text(getattr(kept, name)) for name in _FACT_FIELDS)
        for pid, kept in folded.items()
    }
    interests = [
        rng.choice(len(INTERESTS), INTERESTS_EACH, replace=False).tolist() for _ in range(PEOPLE)
    ]
    return Template(
        met_ago.tolist(),
        (rng.random(PEOPLE) < 0.5).tolist(),
        interests,
        person[order].tolist(),
        lines,
        facts,
    )


def person_name(member: int, offset: int) -> str:
    first, last = FIRST.split(), LAST.split()
    return f"{first[(offset + member) % len(first)]} {last[(offset * 7 + member * 3) % len(last)]}"


@contextmanager
def fresh_database(name: str = DATABASE, admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """Drop and create database `name`; its URL (the database is left in place afterwards)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()


def database_url(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> str:
    """The URL of database `name` on the admin URL's server."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str = DATABASE, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def generate(
    url: str,
    members: int,
    today: date,
    *,
    templates: int = TEMPLATES,
    progress: bool = False,
    distribute: Callable[[Connection], object] | None = None,
) -> Generated:
    """Fill the empty database at `url` with a community of `members` members.

    `distribute` (on a Citus coordinator) runs after the migrations, before any row is written.
    """
    require_postgres(url)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    rules = Rules()
    engine = db.create(url)
    try:
        db.migrate(engine)
        with engine.connect() as conn:
            if conn.execute(text("SELECT EXISTS (SELECT 1 FROM people)")).scalar_one():
                raise ValueError("the load database must be empty: its people ids are planned")
        if distribute is not None:
            mark = time.perf_counter()
            with engine.begin() as conn:
                distribute(conn)
            phases["distribute"] = time.perf_counter() - mark
        mark = time.perf_counter()
        made = [template(seed, today, rules) for seed in range(min(templates, members))]
        phases["templates"] = time.perf_counter() - mark
        # Three transactions: Citus runs DDL on a table with a key to a reference table only
        # over one connection per node (sequential), which COPY in the same transaction is not.
        citus = distribute is not None
        mark = time.perf_counter()
        with engine.begin() as conn:
            _sequential_on_citus(conn, citus)
            remake = _drop_keys(conn)
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            _write_community(conn, members, today, rules)
            _write_gardens(conn, members, made, today, progress)
        phases["copy"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with engine.begin() as conn:
            _sequential_on_citus(conn, citus)
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in remake:
                conn.exec_driver_sql(statement)
            _set_sequences(conn)
        phases["keys"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with engine.connect() as conn:
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in (*BULK, "accounts", "members", "shared_contacts"):
                auto.exec_driver_sql(f"ANALYZE {table}")
        phases["analyze"] = time.perf_counter() - mark
    finally:
        engine.dispose()
    return Generated(
        members, members * PEOPLE, members * INTERACTIONS, time.perf_counter() - started, phases
    )


def _sequential_on_citus(conn: Connection, citus: bool) -> None:
    if citus:
        conn.exec_driver_sql("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")


def _drop_keys(conn: Connection) -> list[str]:
    """Drop the bulk tables' keys, indexes and foreign keys; the statements that remake them."""
    tables = ", ".join(f"'{t}'::regclass" for t in BULK)
    keys = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype"
            f" FROM pg_constraint WHERE contype IN ('p', 'u', 'f')"
            f" AND (conrelid IN ({tables}) OR confrelid IN ({tables}))"
        )
    ).all()
    indexes = conn.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            f" WHERE i.indrelid IN ({tables}) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype <> 'f')"
        )
    ).all()
    foreign = [k for k in keys if k[3] == "f"]
    own = [k for k in keys if k[3] != "f" and k[0] in BULK]
    for table, name, _, _ in foreign + own:
        conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    remake = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _ in own]
    remake += [definition for _, definition in indexes]
    return remake + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _ in foreign]


def _set_sequences(conn: Connection) -> None:
    for table in ("accounts", "community_groups", "people", "tags", "interactions"):
        conn.execute(
            text(
                f"SELECT setval(COALESCE(pg_get_serial_sequence('{table}', 'id'),"
                f" '{table}_id_seq'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def _copy(conn: Connection, table: str, columns: Sequence[str], chunks: Iterator[str]) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)  # "on" and "by" are reserved words
    # psycopg 3's cursor has copy(); the DB-API type SQLAlchemy gives does not say so.
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for chunk in chunks:
            copy.write(chunk)


def _write_community(conn: Connection, members: int, today: date, rules: Rules) -> None:
    password = _copy_text(PasswordHasher().hash(PASSWORD))  # one hash: argon2 is slow by design
    first = int(conn.execute(text("SELECT COALESCE(MAX(id), 0) + 1 FROM accounts")).scalar_one())
    conn.execute(
        text(
            "INSERT INTO community_groups (id, name, singleton, created_on)"
            " VALUES (1, :n, true, :d)"
        ),
        {"n": "Load test group", "d": today},
    )
    accounts = (
        f"{first + m}\t{login(m)}\t{password}\t{token_hash(token(m))}\n" for m in range(members)
    )
    _copy(conn, "accounts", ("id", "name", "password_hash", "api_token_hash"), accounts)
    joined = today - timedelta(days=30)
    rows = (
        f"{first + m}\t1\t{'organiser' if m == 0 else 'member'}\tf\t{joined.isoformat()}\n"
        for m in range(members)
    )
    _copy(conn, "members", ("account_id", "group_id", "role", "suspended", "joined_on"), rows)
    key = _copy_text(rules_key(rules))
    _copy(
        conn,
        "facts_rules",
        ("account_id", "rules"),
        (f"{first + m}\t{key}\n" for m in range(members)),
    )


def _write_gardens(
    conn: Connection, members: int, made: list[Template], today: date, progress: bool
) -> None:
    first_account = int(conn.execute(text("SELECT MIN(account_id) FROM members")).scalar_one())
    started = time.perf_counter()
    people_cols = ("id", "account_id", "name", "name_key", "company", "title", "met_on",
                   "created_on", "source", "state", "consent_share")  # fmt: skip
    for start in range(0, members, 100):
        batch = range(start, min(start + 100, members))
        _copy(conn, "people", people_cols, (_people(m, first_account, made, today) for m in batch))
        _copy(conn, "tags", ("id", "account_id", "person_id", "kind", "value"),
              (_tags(m, first_account, made) for m in batch))  # fmt: skip
        _copy(conn, "interactions",
              ("account_id", "person_id", "id", "on", "kind", "by", "unanswered", "topics"),
              (_interactions(m, first_account, made) for m in batch))  # fmt: skip
        _copy(conn, "person_facts", ("account_id", "person_id", *_FACT_FIELDS),
              (_facts(m, first_account, made) for m in batch))  # fmt: skip
        if progress and (batch.stop % 500 == 0 or batch.stop == members):
            spent = time.perf_counter() - started
            print(f"  {batch.stop:,} gardens written in {spent:.0f} s", flush=True)
    _copy(conn, "shared_contacts",
          ("account_id", "person_id", "with_account_id", "shared_on", "contact"),
          _shares(members, first_account, made, today))  # fmt: skip


def _people(member: int, first_account: int, made: list[Template], today: date) -> str:
    t = made[member % len(made)]
    account, base = first_account + member, member * PEOPLE + 1
    lines = []
    for off in range(PEOPLE):
        name = person_name(member, off)
        met = (today - timedelta(days=t.met_ago[off])).isoformat()
        lines.append(
            f"{base + off}\t{account}\t{name}\t{name_key(name)}"
            f"\t{COMPANIES[(off + member) % len(COMPANIES)]}\t{TITLES[off % len(TITLES)]}"
            f"\t{met}\t{met}\tload\tactive\t{_copy_text(t.consent[off])}\n"
        )
    return "".join(lines)


def _tags(member: int, first_account: int, made: list[Template]) -> str:
    t = made[member % len(made)]
    account, base = first_account + member, member * PEOPLE + 1
    tag_base = member * PEOPLE * INTERESTS_EACH + 1
    return "".join(
        f"{tag_base + off * INTERESTS_EACH + n}\t{account}\t{base + off}"
        f"\tinterest\t{INTERESTS[i]}\n"
        for off in range(PEOPLE)
        for n, i in enumerate(t.interests[off])
    )


def _interactions(member: int, first_account: int, made: list[Template]) -> str:
    t = made[member % len(made)]
    account, base, ids = first_account + member, member * PEOPLE + 1, member * INTERACTIONS + 1
    return "".join(
        f"{account}\t{base + p}\t{ids + n}\t{line}"
        for n, (p, line) in enumerate(zip(t.person_of, t.lines, strict=True))
    )


def _facts(member: int, first_account: int, made: list[Template]) -> str:
    t = made[member % len(made)]
    account, base = first_account + member, member * PEOPLE + 1
    return "".join(f"{account}\t{base + p}\t{row}\n" for p, row in t.facts.items())


def _shares(members: int, first_account: int, made: list[Template], today: date) -> Iterator[str]:
    """A few contacts shared with other members (and some with the group), as vetted."""
    rng = np.random.default_rng(7)
    for m in range(members):
        t = made[m % len(made)]
        audiences: list[int | None] = [
            int(rng.integers(members)) for _ in range(SHARES_EACH) if members > 1
        ]
        if m % GROUP_SHARE_EVERY == 0:
            audiences.append(None)
        for n, audience in enumerate(audiences):
            if audience == m:
                continue
            off = (n * 37 + m) % PEOPLE
            contact = {
                "name": person_name(m, off),
                "how_well_known": "a trusted contact",
                "known_since": (today - timedelta(days=t.met_ago[off])).isoformat(),
                "company": COMPANIES[(off + m) % len(COMPANIES)],
                "title": TITLES[off % len(TITLES)],
                "interests": [INTERESTS[i] for i in t.interests[off]],
            }
            with_whom = "\\N" if audience is None else str(first_account + audience)
            yield (
                f"{first_account + m}\t{m * PEOPLE + 1 + off}\t{with_whom}"
                f"\t{today.isoformat()}\t{_copy_text(json.dumps(contact))}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 27))
    args = parser.parse_args()
    with fresh_database(args.database) as url:
        made = generate(url, args.members, args.today, progress=True)
    phases = ", ".join(f"{k} {v:.0f} s" for k, v in made.phases.items())
    print(
        f"{made.members:,} members, {made.people:,} people, {made.interactions:,} interactions"
        f" in {made.seconds:.0f} s ({phases}) into database {args.database}"
    )


if __name__ == "__main__":
    main()
