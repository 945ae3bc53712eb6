"""`kith db distribute`: where each table goes, read off the schema, and the command itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import BigInteger, Column, ForeignKey, Identity, Integer, MetaData, Table

from kith.store import citus_migrations, db, distribution
from kith.store.distribution import UnplacedTable, placement
from kith.store.tables import REFERENCE, metadata
from tests.conftest import Kith


def _schema_with_later_tables() -> MetaData:
    """kith's tables and two a later migration might add: one per member, one group-wide."""
    schema = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(schema)
    Table(
        "coffee_chats",
        schema,
        Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
        Column("id", BigInteger, Identity(), primary_key=True),
    )
    Table("chapter_calendar", schema, Column("id", Integer, primary_key=True), info=REFERENCE)
    return schema


def test_every_table_of_kith_has_a_place_and_people_leads_the_distributed() -> None:
    plan = placement()
    assert set(plan.reference) == {
        "accounts",
        "facts_rules",
        "community_groups",
        "members",
        "invitations",
        "pairing_rounds",
        "profile_fields",
        "person_changes_horizon",
    }
    assert plan.distributed[0] == "people"
    assert set(plan.reference) | set(plan.distributed) == set(metadata.tables)
    assert plan.reference.index("accounts") < plan.reference.index("members")  # referred first


def test_a_table_added_later_is_placed_by_its_info_or_its_account_column() -> None:
    plan = placement(_schema_with_later_tables())
    assert "coffee_chats" in plan.distributed
    assert "chapter_calendar" in plan.reference


def test_a_table_neither_reference_nor_per_account_is_refused() -> None:
    schema = _schema_with_later_tables()
    Table("stray", schema, Column("id", Integer, primary_key=True))
    with pytest.raises(UnplacedTable, match="stray"):
        placement(schema)


@pytest.mark.citus
def test_kith_db_distribute_places_every_table_once(citus_schema_url: str, tmp_path: Path) -> None:
    kith = Kith(citus_schema_url, tmp_path)
    done = kith.ok("db", "distribute", "--json").json()
    plan = placement()
    assert sorted(done["reference"]) == sorted(plan.reference)
    assert sorted(done["distributed"]) == sorted(plan.distributed)
    assert done["column"] == "account_id" and done["colocated_with"] == "people"
    assert done["foreign_keys"] > len(plan.distributed)  # each garden table's key to accounts
    again = kith.ok("db", "distribute")
    assert again.stdout.strip() == "every table is already placed: nothing to do"


@pytest.mark.postgres
def test_kith_db_distribute_on_plain_postgresql_says_it_needs_citus(
    postgres_url: str, tmp_path: Path
) -> None:
    result = Kith(postgres_url, tmp_path)("db", "distribute")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "no citus extension" in line


def test_kith_db_distribute_refuses_sqlite_with_one_line(kith_sqlite: Kith) -> None:
    result = kith_sqlite("db", "distribute")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "Citus coordinator" in line and "SQLite" in line


@pytest.mark.citus
def test_a_later_migrations_table_is_placed_as_it_is_made_on_a_distributed_database(
    citus_garden_url: str,
) -> None:
    # What migration 0013 (one-to-ones) might do, on a database distributed before it.
    citus_migrations.register()
    engine = db.create(citus_garden_url)
    try:
        with db.writing(engine) as conn:
            Operations(MigrationContext.configure(conn)).create_table(
                "coffee_chats",
                sa.Column("account_id", sa.Integer(), nullable=False),
                sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
                sa.Column("person_id", sa.Integer(), nullable=False),
                sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
                sa.ForeignKeyConstraint(
                    ["account_id", "person_id"],
                    ["people.account_id", "people.id"],
                    ondelete="CASCADE",
                ),
                sa.PrimaryKeyConstraint("account_id", "id"),
            )
        with engine.connect() as conn:
            kind = distribution.placed(conn)["coffee_chats"]
            keys = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_constraint"
                    " WHERE conrelid = 'coffee_chats'::regclass AND contype = 'f'"
                )
            ).scalar_one()
            together = conn.execute(
                sa.text(
                    "SELECT count(DISTINCT colocation_id) FROM public.citus_tables"
                    " WHERE table_name IN ('people'::regclass, 'coffee_chats'::regclass)"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert (kind, keys, together) == ("distributed", 2, 1)
