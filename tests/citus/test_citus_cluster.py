"""The three-node Citus cluster works, and what it says of kith's schema today.

The multi-tenant smoke test shows the shape of kith's schema (docs/scale.md); the real-schema
test migrates kith's own tables on the coordinator and distributes them as `kith db
distribute` does (kith.store.distribution), twice: the second run has nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from kith.store import db, distribution
from kith.store.tables import metadata
from tests.citus.cluster import Cluster
from tests.citus.keys import is_reference, keys_lacking_distribution_column

pytestmark = pytest.mark.citus

# A table is distributed before a foreign key to a distributed table is added to it: Citus
# refuses one from a local table to a distributed one, CREATE TABLE's included.
SMOKE_SCHEMA = """
CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL UNIQUE);
SELECT create_reference_table('accounts');
CREATE TABLE people (
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id integer NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (account_id, id)
);
SELECT create_distributed_table('people', 'account_id');
CREATE TABLE interactions (
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id integer NOT NULL,
    person_id integer NOT NULL,
    kind text NOT NULL,
    PRIMARY KEY (account_id, id)
);
SELECT create_distributed_table('interactions', 'account_id', colocate_with => 'people');
ALTER TABLE interactions ADD FOREIGN KEY (account_id, person_id)
    REFERENCES people (account_id, id) ON DELETE CASCADE;
INSERT INTO accounts VALUES (1, 'ana'), (2, 'ben'), (3, 'cy');
INSERT INTO people
    SELECT a, p, 'person ' || p FROM generate_series(1, 3) a, generate_series(1, 5) p;
INSERT INTO interactions
    SELECT a, p * 10 + k, p, 'email'
    FROM generate_series(1, 3) a, generate_series(1, 5) p, generate_series(1, 4) k;
"""

# What docs/scale.md says each table's keys lack: nothing since migration 0012. A table that
# breaks Citus's rules again must be named here and in docs/scale.md, and fails the test below.
DOCUMENTED_GAPS: dict[str, list[str]] = {}


@pytest.fixture
def citus_engine(citus_schema_url: str) -> Iterator[Engine]:
    engine = create_engine(citus_schema_url)
    yield engine
    engine.dispose()


@pytest.fixture
def smoke_engine(citus_engine: Engine) -> Engine:
    """The engine, with the multi-tenant smoke schema distributed and filled."""
    with citus_engine.begin() as conn:
        for statement in SMOKE_SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(text(statement))
    return citus_engine


def _plan(conn: Connection, query: str) -> str:
    return "\n".join(conn.execute(text(f"EXPLAIN {query}")).scalars())


def test_the_cluster_has_a_coordinator_and_two_workers(
    citus_cluster: Cluster, citus_engine: Engine
) -> None:
    with citus_engine.connect() as conn:
        nodes = conn.execute(
            text("SELECT nodeport, noderole, shouldhaveshards FROM pg_dist_node ORDER BY nodeid")
        ).all()
    assert [tuple(row) for row in nodes] == [
        (citus_cluster.coordinator.port, "primary", False),
        *[(worker.port, "primary", True) for worker in citus_cluster.workers],
    ]
    assert 5432 not in [node.port for node in citus_cluster.nodes]


def test_a_multi_tenant_schema_distributes_and_one_account_is_one_shard(
    citus_cluster: Cluster, smoke_engine: Engine
) -> None:
    with smoke_engine.connect() as conn:
        kinds: dict[str, str] = dict(
            conn.execute(
                text(
                    "SELECT table_name::text, citus_table_type FROM public.citus_tables"
                    " WHERE table_name::text IN ('accounts', 'people', 'interactions')"
                )
            ).all()
        )
        colocation = conn.execute(
            text(
                "SELECT count(DISTINCT colocation_id) FROM public.citus_tables"
                " WHERE table_name::text IN ('people', 'interactions')"
            )
        ).scalar_one()
        shard_ports = set(
            conn.execute(
                text(
                    "SELECT DISTINCT nodeport FROM pg_dist_shard JOIN pg_dist_shard_placement"
                    " USING (shardid) WHERE logicalrelid = 'people'::regclass"
                )
            ).scalars()
        )
        one_account = _plan(
            conn,
            "SELECT p.name, count(*) FROM people p JOIN interactions i"
            " ON i.account_id = p.account_id AND i.person_id = p.id"
            " WHERE p.account_id = 2 GROUP BY p.name",
        )
        every_account = _plan(conn, "SELECT count(*) FROM interactions")
        counted = conn.execute(
            text("SELECT count(*) FROM interactions WHERE account_id = 2")
        ).scalar_one()
    assert kinds == {
        "accounts": "reference",
        "people": "distributed",
        "interactions": "distributed",
    }
    assert colocation == 1
    assert shard_ports == {worker.port for worker in citus_cluster.workers}
    assert "Task Count: 1\n" in one_account + "\n"
    assert "Task Count: 1\n" not in every_account + "\n"  # the same plan reads every shard
    assert counted == 20


def test_a_distributed_foreign_key_is_enforced(smoke_engine: Engine) -> None:
    # Person 5 of account 1 exists; person 6 does not (ids are per account).
    with pytest.raises(DBAPIError, match="foreign key"), smoke_engine.begin() as conn:
        conn.execute(text("INSERT INTO interactions VALUES (1, 999, 6, 'email')"))


def _foreign_keys(conn: Connection) -> list[tuple[str, str, str]]:
    """(table, constraint, definition) of every foreign key in the current schema."""
    rows = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f'"
            " AND connamespace = current_schema()::regnamespace ORDER BY conrelid, conname"
        )
    ).all()
    return [(table, name, definition) for table, name, definition in rows]


def _placed(conn: Connection) -> list[tuple[str, str, int]]:
    """(table, Citus's kind, co-location group) of every table of the current schema."""
    rows = conn.execute(
        text(
            "SELECT relname::text, citus_table_type, colocation_id"
            " FROM public.citus_tables JOIN pg_class ON pg_class.oid = table_name"
            " WHERE relnamespace = current_schema()::regnamespace"
        )
    ).all()
    return [(table, kind, group) for table, kind, group in rows]


def test_kiths_migrated_schema_distributes_on_citus(citus_schema_url: str) -> None:
    assert keys_lacking_distribution_column(metadata) == DOCUMENTED_GAPS
    engine = db.create(citus_schema_url)
    try:
        db.migrate(engine)
        with engine.connect() as conn:
            keys_before = _foreign_keys(conn)
        with db.writing(engine) as conn:
            done = distribution.distribute(conn)
        with db.writing(engine) as conn:
            again = distribution.distribute(conn)
            placed = _placed(conn)
            keys_after = _foreign_keys(conn)
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    plan = distribution.placement(metadata)
    assert set(done.reference) == set(plan.reference) and set(done.distributed) == set(
        plan.distributed
    )
    assert again == distribution.Distributed((), (), 0)  # a second run has nothing to do
    expected = {
        table: "reference" if table in plan.reference else "distributed"
        for table in plan.reference + plan.distributed
    }
    assert {table: kind for table, kind, _group in placed} == expected
    assert {t.name for t in metadata.tables.values() if is_reference(t)} == set(plan.reference)
    groups = {group for _table, kind, group in placed if kind == "distributed"}
    assert len(groups) == 1, "the garden's tables are co-located with people"
    # Every foreign key is back, as it was (the coordinator's own placements of the reference
    # tables, e.g. accounts_102030, are Citus's: left out).
    assert [key for key in keys_after if key[0] in metadata.tables] == keys_before
    assert diff == []  # and the schema is still the one kith.store.tables describes
