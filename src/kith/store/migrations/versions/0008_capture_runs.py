"""capture runs (undoable), IMAP folder states, mail candidates and my own addresses

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 21:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_capture_runs_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_runs")),
    )
    with op.batch_alter_table("capture_runs", schema=None) as batch_op:
        batch_op.create_index("ix_capture_runs_account", ["account_id"], unique=False)
    _account_table(
        "imap_folders",
        sa.Column("server", sa.String(length=400), nullable=False),
        sa.Column("folder", sa.String(length=400), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("account_id", "server", "folder", name=op.f("uq_imap_folders_place")),
    )
    _account_table(
        "capture_candidates",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("mails", sa.Integer(), nullable=False),
        sa.Column("wrote_to_me", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("account_id", "email", name=op.f("uq_capture_candidates_email")),
    )
    _account_table(
        "my_emails",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.UniqueConstraint("account_id", "email", name=op.f("uq_my_emails_email")),
    )
    for table in ("interactions", "exchanges"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("capture_run_id", sa.Integer(), nullable=True))
            batch_op.create_index(f"ix_{table}_capture_run", ["capture_run_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_capture_run_id_capture_runs"),
                "capture_runs",
                ["capture_run_id"],
                ["id"],
                ondelete="SET NULL",
            )


def _account_table(name: str, *columns: sa.Column[object] | sa.UniqueConstraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f(f"fk_{name}_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def downgrade() -> None:
    for name in ("my_emails", "capture_candidates", "imap_folders"):
        op.drop_table(name)
    for table in ("exchanges", "interactions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_capture_run_id_capture_runs"), type_="foreignkey"
            )
            batch_op.drop_index(f"ix_{table}_capture_run")
            batch_op.drop_column("capture_run_id")
    with op.batch_alter_table("capture_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_capture_runs_account")
    op.drop_table("capture_runs")
