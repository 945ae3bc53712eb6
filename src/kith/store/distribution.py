"""Placing kith's tables on Citus: reference tables, and the rest distributed by account.

Outside the Alembic chain, which must run on plain PostgreSQL and SQLite too: `kith db
distribute` runs it after the migrations, on a database with the citus extension. Where a
table goes is read off `kith.store.tables.metadata`, so a table added later is placed without
editing this module: `info={"citus": "reference"}` makes a reference table (a copy on every
node: the group's small shared tables, accounts); any other table carrying `account_id` is
distributed by it, co-located with `people` (one account's rows on one node, so a garden's
joins stay on one shard). Its keys must carry `account_id` (tests/citus/keys.py checks).

Citus refuses a foreign key from a table not yet distributed to one already distributed, so
the foreign keys touching a table to place come off first and go back once every table is
placed. Running it again places only what is new (nothing, usually): it is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, MetaData, Table, text
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable

from kith.store import garden_changes
from kith.store.errors import StoreError
from kith.store.tables import ACCOUNT, CITUS, metadata

ANCHOR = "people"  # every distributed table is co-located with it
REFERENCE = "reference"
DISTRIBUTED = "distributed"


class NotCitus(StoreError):
    """The database has no citus extension: there is nothing to distribute on."""

    def __init__(self) -> None:
        super().__init__(
            "this database has no citus extension (CREATE EXTENSION citus on a Citus"
            " coordinator first); plain PostgreSQL and SQLite need no distribution"
        )


class UnplacedTable(StoreError):
    """A table is neither marked reference nor carries account_id: it has no place."""


@dataclass(frozen=True)
class Placement:
    """Where each of kith's tables goes under Citus (names in creation order)."""

    reference: tuple[str, ...]
    distributed: tuple[str, ...]  # by account_id, ANCHOR first, the others with it


@dataclass(frozen=True)
class Distributed:
    """What one run placed (empty when everything already was) and the keys it re-added."""

    reference: tuple[str, ...]
    distributed: tuple[str, ...]
    foreign_keys: int


def placement(schema: MetaData = metadata) -> Placement:
    """Each table's place, read off the tables' `info` and columns."""
    reference: list[str] = []
    distributed: list[str] = []
    for table in schema.sorted_tables:  # referenced tables first
        if table.info.get(CITUS) == REFERENCE:
            reference.append(table.name)
        elif ACCOUNT in table.c:
            distributed.append(table.name)
        else:
            raise UnplacedTable(f"table {table.name} is not a reference table and has no {ACCOUNT}")
    distributed.sort(key=lambda name: name != ANCHOR)  # stable: the rest keep their order
    return Placement(tuple(reference), tuple(distributed))


def is_citus(conn: Connection) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first()
    return found is not None


def one_connection_per_node(conn: Connection) -> None:
    """On Citus, run this transaction's shard work over one connection per node.

    A transaction that reads several members' shards in parallel and then writes a reference
    table (a pairing round, after reading everyone's interests) is refused by Citus unless
    its work goes over a single connection per node; plain PostgreSQL needs nothing.
    """
    if is_citus(conn):
        conn.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))


def placed(conn: Connection) -> dict[str, str]:
    """The tables of the current schema Citus already holds, with their kind.

    'reference' or 'distributed'; a 'local' one is a Citus local table (a plain table that
    Citus took over when a foreign key tied it to a reference table): not placed yet.
    """
    rows = conn.execute(
        text(
            "SELECT c.relname::text, t.citus_table_type FROM public.citus_tables t"
            " JOIN pg_class c ON c.oid = t.table_name"
            " WHERE c.relnamespace = current_schema()::regnamespace"
        )
    ).all()
    return {str(name): str(kind) for name, kind in rows}


def is_distributed(conn: Connection) -> bool:
    """Citus, with `people` distributed already: a new table must be placed as it is made."""
    return (
        conn.dialect.name == "postgresql"
        and is_citus(conn)
        and placed(conn).get(ANCHOR) == (DISTRIBUTED)
    )


def create_placed(conn: Connection, table: Table, schema: MetaData = metadata) -> None:
    """Make a new table on a distributed database (a later migration's `op.create_table`).

    Citus refuses a foreign key from a plain table to a distributed one, so the table is made
    without its foreign keys, placed (as `schema` says, else by its own `info` and columns),
    and its keys are added after. kith.store.citus_migrations routes Alembic here.
    """
    known = schema.tables.get(table.name, table)
    if known.info.get(CITUS) == REFERENCE:
        call, values = "create_reference_table(:table)", {"table": table.name}
    elif ACCOUNT in table.c:
        call = "create_distributed_table(:table, :column, colocate_with => :group)"
        values = {"table": table.name, "column": ACCOUNT, "group": ANCHOR}
    else:
        raise UnplacedTable(f"table {table.name} is not a reference table and has no {ACCOUNT}")
    conn.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))  # as below
    conn.execute(CreateTable(table, include_foreign_key_constraints=[]))
    for index in table.indexes:
        conn.execute(CreateIndex(index))
    conn.execute(text(f"SELECT {call}"), values)
    for key in sorted(table.foreign_key_constraints, key=lambda k: str(k.name)):
        conn.execute(AddConstraint(key))


def distribute(conn: Connection, schema: MetaData = metadata) -> Distributed:
    """Place every table not placed yet; in the caller's transaction."""
    if not is_citus(conn):
        raise NotCitus()
    plan, now = placement(schema), placed(conn)
    reference = [name for name in plan.reference if now.get(name) != REFERENCE]
    distributed = [name for name in plan.distributed if now.get(name) != DISTRIBUTED]
    if not reference and not distributed:
        return Distributed((), (), 0)
    # Citus's advice for DDL touching reference tables inside a transaction.
    conn.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
    keys = _foreign_keys(conn, {*reference, *distributed})
    garden_changes.drop_triggers(conn)  # Citus refuses tables with triggers; readers read all
    for owner, name, _definition in keys:
        conn.execute(text(f'ALTER TABLE "{owner}" DROP CONSTRAINT "{name}"'))
    for name in reference:
        conn.execute(text("SELECT create_reference_table(:table)"), {"table": name})
    for name in distributed:
        group = "default" if name == ANCHOR else ANCHOR
        conn.execute(
            text("SELECT create_distributed_table(:table, :column, colocate_with => :group)"),
            {"table": name, "column": ACCOUNT, "group": group},
        )
    for owner, name, definition in keys:
        conn.execute(text(f'ALTER TABLE "{owner}" ADD CONSTRAINT "{name}" {definition}'))
    return Distributed(tuple(reference), tuple(distributed), len(keys))


def _foreign_keys(conn: Connection, tables: set[str]) -> list[tuple[str, str, str]]:
    """(owner, name, definition) of the current schema's foreign keys from or to `tables`."""
    rows = conn.execute(
        text(
            "SELECT owner.relname::text, k.conname::text, pg_get_constraintdef(k.oid),"
            " target.relname::text"
            " FROM pg_constraint k"
            " JOIN pg_class owner ON owner.oid = k.conrelid"
            " JOIN pg_class target ON target.oid = k.confrelid"
            " WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace"
            " ORDER BY owner.relname, k.conname"
        )
    ).all()
    return [
        (owner, name, definition)
        for owner, name, definition, target in rows
        if owner in tables or target in tables
    ]
