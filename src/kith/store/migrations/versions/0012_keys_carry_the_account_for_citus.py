"""every key of a garden table carries the account (Citus's rules, docs/scale.md)

Primary keys become (account_id, id); every foreign key between garden tables becomes
(account_id, x) -> table (account_id, id); web sessions' token hash is unique per account;
people.via_id and the capture-run keys lose ON DELETE SET NULL (Citus refuses it on a key
holding the distribution column): store/history.delete_person clears via_id instead, and a
capture run is deleted only with its account.

SQLite keeps `id` as its primary key: `INTEGER PRIMARY KEY` is the rowid, which numbers rows
on insert, and a composite primary key would lose that (SQLite has no sequences). The tables
the composite keys point at (people, intros, capture_runs) get `UNIQUE (account_id, id)`
instead, which SQLite's foreign keys need. Alembic's autogenerate compares neither primary
keys nor unnamed unique constraints, so the schema still matches kith.store.tables. SQLite
rebuilds the tables (batch mode) with its foreign keys off (migrations/env.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 07:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ACCOUNT = "account_id"
# Keyed (id) before, (account_id, id) after.
GARDEN = (
    "people",
    "person_emails",
    "person_phones",
    "person_links",
    "tags",
    "interactions",
    "exchanges",
    "asks",
    "breaches",
    "their_asks",
    "intros",
    "snoozes",
    "sync_state",
    "web_sessions",
    "capture_runs",
    "imap_folders",
    "capture_candidates",
    "my_emails",
)
# What composite foreign keys point at: SQLite needs UNIQUE (account_id, id) on them.
REFERENCED = ("people", "intros", "capture_runs")
# (table, column, referred table, ON DELETE before, ON DELETE after)
KEYS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("people", "via_id", "people", "SET NULL", None),
    *(
        (table, "person_id", "people", "CASCADE", "CASCADE")
        for table in (
            "person_emails",
            "person_phones",
            "person_links",
            "tags",
            "interactions",
            "exchanges",
            "asks",
            "breaches",
            "their_asks",
            "snoozes",
            "sync_state",
            "person_facts",
            "shared_contacts",
        )
    ),
    ("intros", "a_id", "people", "CASCADE", "CASCADE"),
    ("intros", "b_id", "people", "CASCADE", "CASCADE"),
    ("exchanges", "intro_id", "intros", "CASCADE", "CASCADE"),
    ("interactions", "capture_run_id", "capture_runs", "SET NULL", None),
    ("exchanges", "capture_run_id", "capture_runs", "SET NULL", None),
)
OLD_TOKEN, NEW_TOKEN = "uq_web_sessions_token_hash", "uq_web_sessions_account_token"


def _name(table: str, column: str, referred: str) -> str:
    # The same name before and after (kith.store.tables names a key by its own column).
    return f"fk_{table}_{column}_{referred}"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(upgrade=True)
        return
    for table, column, referred, _before, _after in KEYS:
        op.drop_constraint(_name(table, column, referred), table, type_="foreignkey")
    for table in GARDEN:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, [ACCOUNT, "id"])
    op.drop_constraint(OLD_TOKEN, "web_sessions", type_="unique")
    op.create_unique_constraint(NEW_TOKEN, "web_sessions", [ACCOUNT, "token_hash"])
    for table, column, referred, _before, after in KEYS:
        op.create_foreign_key(
            _name(table, column, referred),
            table,
            referred,
            [ACCOUNT, column],
            [ACCOUNT, "id"],
            ondelete=after,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(upgrade=False)
        return
    for table, column, referred, _before, _after in KEYS:
        op.drop_constraint(_name(table, column, referred), table, type_="foreignkey")
    op.drop_constraint(NEW_TOKEN, "web_sessions", type_="unique")
    op.create_unique_constraint(OLD_TOKEN, "web_sessions", ["token_hash"])
    for table in GARDEN:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, ["id"])
    for table, column, referred, before, _after in KEYS:
        op.create_foreign_key(
            _name(table, column, referred), table, referred, [column], ["id"], ondelete=before
        )


def _rebuild_sqlite(*, upgrade: bool) -> None:
    """Rebuild each touched table once: its keys swapped, `id` still the rowid.

    A downgrade leaves the unnamed UNIQUE (account_id, id) in place: harmless to 0011.
    """
    touched = dict.fromkeys([*REFERENCED, *(key[0] for key in KEYS), "web_sessions"])
    for table in touched:
        unique = (sa.UniqueConstraint(ACCOUNT, "id"),) if upgrade and table in REFERENCED else ()
        with op.batch_alter_table(table, recreate="always", table_args=unique) as batch:
            for owner, column, referred, before, after in KEYS:
                if owner != table:
                    continue
                name = _name(owner, column, referred)
                batch.drop_constraint(name, type_="foreignkey")
                if upgrade:
                    batch.create_foreign_key(
                        name, referred, [ACCOUNT, column], [ACCOUNT, "id"], ondelete=after
                    )
                else:
                    batch.create_foreign_key(name, referred, [column], ["id"], ondelete=before)
            if table == "web_sessions":
                batch.drop_constraint(OLD_TOKEN if upgrade else NEW_TOKEN, type_="unique")
                if upgrade:
                    batch.create_unique_constraint(NEW_TOKEN, [ACCOUNT, "token_hash"])
                else:
                    batch.create_unique_constraint(OLD_TOKEN, ["token_hash"])
