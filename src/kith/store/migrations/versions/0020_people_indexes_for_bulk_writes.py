"""the people indexes a bulk write keeps

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 19:45:00
"""

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved: filled by the branch that owns this revision


def downgrade() -> None:
    pass
