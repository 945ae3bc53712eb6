"""person changes: a log of which people's rows changed, filled by triggers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op

from kith.store import distribution, garden_changes

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The web dashboard keeps a garden's judgement and, after a write, judges again only
    # the people logged here since (store/garden_changes.py).
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    op.create_table(
        "person_changes",
        # A serial on PostgreSQL; the rowid on SQLite (tables._sqlite_rowid_key)
        sa.Column("id", sa.Integer(), autoincrement=postgres or "auto", nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("account_id", "id"),
    )
    op.create_index(
        "ix_person_changes_account_xid", "person_changes", ["account_id", "xid"], unique=False
    )
    # Citus distributes no table with triggers: there, readers read the whole garden.
    if not postgres or not distribution.is_citus(conn):
        garden_changes.create_triggers(conn)


def downgrade() -> None:
    garden_changes.drop_triggers(op.get_bind())
    op.drop_index("ix_person_changes_account_xid", table_name="person_changes")
    op.drop_table("person_changes")
