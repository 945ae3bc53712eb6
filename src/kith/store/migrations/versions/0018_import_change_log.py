"""the change log of a bulk import (PostgreSQL)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:45:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved: filled by the branch that owns this revision


def downgrade() -> None:
    pass
