"""their asks and pitches, and breaches made right

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution", sa.Text(), nullable=True))
    op.create_table(
        "their_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("pitch", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("premature", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_their_asks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_their_asks_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_their_asks")),
    )
    with op.batch_alter_table("their_asks", schema=None) as batch_op:
        batch_op.create_index("ix_their_asks_person", ["person_id"], unique=False)
        batch_op.create_index("ix_their_asks_account_on", ["account_id", "on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("their_asks", schema=None) as batch_op:
        batch_op.drop_index("ix_their_asks_account_on")
        batch_op.drop_index("ix_their_asks_person")
    op.drop_table("their_asks")
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.drop_column("resolution")
