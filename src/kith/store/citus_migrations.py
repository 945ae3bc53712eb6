"""Alembic on a distributed database: a migration's new table is placed as it is made.

A later migration's `op.create_table` with a foreign key to `people` would be refused by
Citus once `people` is distributed (a plain table may not point at a distributed one). On
such a database (only there: plain PostgreSQL and SQLite are untouched), `register` routes
Alembic's table creation through `distribution.create_placed`: the table is made without its
foreign keys, placed as `kith db distribute` would place it, and its keys added after. So a
migration needs nothing Citus-specific. Loaded by migrations/env.py only (Alembic loads on
demand: see store/db.py).
"""

from __future__ import annotations

from alembic.operations import Operations, ops
from sqlalchemy import Table

from kith.store import distribution


def register() -> None:
    """Make Alembic's `create_table` place new tables on a distributed database."""
    Operations.implementation_for(ops.CreateTableOp, replace=True)(_create_table)


def _create_table(operations: Operations, operation: ops.CreateTableOp) -> Table:
    table = operation.to_table(operations.migration_context)
    conn = operations.get_bind()
    if distribution.is_distributed(conn):
        distribution.create_placed(conn, table)
    else:  # Alembic's own implementation (alembic/operations/toimpl.py)
        kw = {} if operation.if_not_exists is None else {"if_not_exists": operation.if_not_exists}
        operations.impl.create_table(table, **kw)
    return table
