"""one-to-one pairing rounds (opt-in, rounds, each member's side) and visitors

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("one_to_ones", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "pairing_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("sat_out", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["community_groups.id"],
            name=op.f("fk_pairing_rounds_group_id_community_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["made_by"],
            ["accounts.id"],
            name=op.f("fk_pairing_rounds_made_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sat_out"],
            ["accounts.id"],
            name=op.f("fk_pairing_rounds_sat_out_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rounds")),
    )
    op.create_table(
        "one_to_ones",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("shared", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("logged", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_one_to_ones_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["accounts.id"],
            name=op.f("fk_one_to_ones_partner_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pairing_rounds.id"],
            name=op.f("fk_one_to_ones_round_id_pairing_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_one_to_ones")),
    )
    op.create_index("ix_one_to_ones_round", "one_to_ones", ["round_id"], unique=False)
    op.create_index("ix_one_to_ones_partner", "one_to_ones", ["partner_id"], unique=False)
    op.create_table(
        "visitors",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("invited_on", sa.Date(), nullable=False),
        sa.Column("marked_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_visitors_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_visitors")),
    )


def downgrade() -> None:
    op.drop_table("visitors")
    op.drop_index("ix_one_to_ones_partner", table_name="one_to_ones")
    op.drop_index("ix_one_to_ones_round", table_name="one_to_ones")
    op.drop_table("one_to_ones")
    op.drop_table("pairing_rounds")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("one_to_ones")
