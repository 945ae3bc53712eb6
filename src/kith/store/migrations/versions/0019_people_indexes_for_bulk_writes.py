"""the people indexes a bulk write keeps: the vCard UID index holds only people with one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_NAME = "ix_people_account_vcard_uid"
_COLUMNS = ["account_id", "vcard_uid"]
_HAS_UID = "vcard_uid IS NOT NULL"


def upgrade() -> None:
    # Most people have no vCard UID (every LinkedIn, Google or Outlook import, everyone added
    # by hand until their first export), and no query looks up a missing one: each look-up
    # compares the UID (=, IN), which implies it is there, so SQLite and PostgreSQL plan the
    # partial index as they planned the whole one. Inserting 50,000 people without a UID no
    # longer writes 50,000 index entries.
    op.drop_index(_NAME, table_name="people")
    op.create_index(
        _NAME,
        "people",
        _COLUMNS,
        sqlite_where=sa.text(_HAS_UID),
        postgresql_where=sa.text(_HAS_UID),
    )


def downgrade() -> None:
    op.drop_index(_NAME, table_name="people")
    op.create_index(_NAME, "people", _COLUMNS)
