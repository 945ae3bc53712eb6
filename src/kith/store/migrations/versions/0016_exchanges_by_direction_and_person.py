"""exchanges by direction and person: the mirror's people helped ever, from the index alone

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 11:40:00
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A covering index: counting the distinct people I ever gave to reads it in person order
    # instead of every exchange row and a sort (SQLite: 62 ms -> 3 ms on 24,000 exchanges).
    op.create_index(
        "ix_exchanges_account_direction_person",
        "exchanges",
        ["account_id", "direction", "person_id", "on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_exchanges_account_direction_person", table_name="exchanges")
