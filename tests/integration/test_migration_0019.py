"""Migration 0019: the vCard UID index holds only people with a UID, and look-ups still use it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from kith.store import db

pytestmark = pytest.mark.unmigrated  # it climbs and steps down itself

INDEX = "ix_people_account_vcard_uid"
# How the store looks people up by UID: `bulk.keyed` (both databases) and `bulk.rows_with`
# on PostgreSQL (one index probe per value).
KEYED = "SELECT id FROM people WHERE account_id = 1 AND vcard_uid IN ('u1', 'u2')"
LATERAL = (
    "SELECT found.id FROM unnest(ARRAY['u1', 'u2']::text[]) AS wanted(value) CROSS JOIN LATERAL"
    " (SELECT id FROM people WHERE vcard_uid = wanted.value AND account_id = 1) AS found"
)


def definition(conn: sa.Connection) -> str:
    if conn.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE name = :name"
    else:
        query = (
            "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
            " AND schemaname = current_schema()"
        )
    return str(conn.execute(sa.text(query), {"name": INDEX}).scalar_one())


def plans(conn: sa.Connection) -> list[str]:
    """The plan of each UID look-up, as text (PostgreSQL told to avoid a scan if it can)."""
    if conn.dialect.name == "sqlite":
        return [" ".join(str(r[3]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {KEYED}"))]
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return [
        " ".join(str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {query}"))
        for query in (KEYED, LATERAL)
    ]


def people_rows(conn: sa.Connection) -> list[tuple[object, ...]]:
    return list(conn.execute(sa.text("SELECT id, vcard_uid FROM people ORDER BY id")).all())


def test_0019_keeps_only_people_with_a_uid_in_the_uid_index_and_steps_back(
    database_url: str,
) -> None:
    engine = db.create(database_url)
    config = db._alembic_config(engine)
    try:
        command.upgrade(config, "0018")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO accounts (name) VALUES ('me')"))
            for uid in ("u1", None, "u2", None):
                conn.execute(
                    sa.text(
                        "INSERT INTO people (account_id, name, name_key, created_on, vcard_uid)"
                        " VALUES (1, 'Ana', 'ana', '2026-11-27', :uid)"
                    ),
                    {"uid": uid},
                )
            whole, stored = definition(conn), people_rows(conn)
        assert "WHERE" not in whole
        command.upgrade(config, "0019")
        with engine.begin() as conn:
            partial = definition(conn).replace("(", "").replace(")", "")  # PostgreSQL's
            assert partial.endswith("WHERE vcard_uid IS NOT NULL")
            assert all(INDEX in plan for plan in plans(conn))
            assert people_rows(conn) == stored
        command.downgrade(config, "0018")
        with engine.begin() as conn:
            assert definition(conn) == whole
            assert people_rows(conn) == stored
    finally:
        engine.dispose()
