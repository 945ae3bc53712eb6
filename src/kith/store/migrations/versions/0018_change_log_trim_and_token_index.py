"""trimming the change log; an index on API token hashes

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:45:00
"""

import sqlalchemy as sa
from alembic import op

from kith.store import change_log_trim

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The change log's horizon and lineage (store/change_log_trim.py): one row, a new lineage.
    op.create_table(
        change_log_trim.HORIZON,
        sa.Column("lineage", sa.String(length=32), nullable=False),
        sa.Column("trimmed_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("trimmed_xid", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("lineage"),
    )
    op.get_bind().execute(
        sa.text(f"INSERT INTO {change_log_trim.HORIZON} (lineage) VALUES (:lineage)"),  # noqa: S608 - our own name
        {"lineage": change_log_trim.new_lineage()},
    )
    # Every API call looks its account up by the token's hash (store/member_auth.py). Tokens
    # are 256 random bits, made anew on rotation and never copied between accounts: unique.
    op.create_index("ix_accounts_api_token_hash", "accounts", ["api_token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_accounts_api_token_hash", table_name="accounts")
    op.drop_table(change_log_trim.HORIZON)
