"""trimming the change log; an index on API token hashes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:45:00
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved: filled by the branch that owns this revision


def downgrade() -> None:
    pass
