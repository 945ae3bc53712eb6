"""The migration ladder: a garden built at every earlier schema revision, with a row in every
table, upgrades to the newest schema with its data intact, and every read works on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from kith.app import nurture, reports, views
from kith.app.garden import open_garden
from kith.settings import Settings
from kith.store import db, kept_facts
from tests.conftest import TODAY

# The ladder climbs from an empty database: not the fixtures' migrated copy.
pytestmark = pytest.mark.unmigrated

# Values a row needs to make sense to the rules that read it back (enums stored as text).
MEANINGFUL: dict[tuple[str, str], object] = {
    ("accounts", "name"): "default",
    ("people", "name"): "Ana Ruiz",
    ("people", "name_key"): "ana ruiz",
    ("people", "state"): "active",
    ("people", "cadence_days"): 30,
    ("people", "via_id"): None,
    ("interactions", "kind"): "meeting",
    ("interactions", "by"): "me",
    ("interactions", "topics"): ["climbing"],
    ("interactions", "source_key"): None,
    ("exchanges", "direction"): "given",
    ("exchanges", "kind"): "advice",
    ("exchanges", "weight"): 3,
    ("asks", "size"): "small",
    ("asks", "outcome"): "yes",
    ("intros", "state"): "made",
    ("tags", "kind"): "interest",
    ("tags", "value"): "climbing",
    ("person_emails", "email"): "ana@example.org",
    ("person_phones", "phone"): "+49 30 1234567",
    ("person_phones", "phone_key"): "+49301234567",
    ("person_links", "url"): "https://www.linkedin.com/in/ana",
    ("person_links", "url_key"): "linkedin.com/in/ana",
    ("their_asks", "pitch"): True,
    # "intro_requests.status" is longer than its VARCHAR(20): PostgreSQL refuses it (0015 is
    # on the ladder since 0016)
    ("intro_requests", "status"): "open",
}


# Not planted: Alembic's own table, the facts kept from the history (rebuilt below), and the
# change log its triggers fill (a row planted there sits beside the rows they add), and its
# horizon, one row that its migration makes.
DERIVED = frozenset(
    {"alembic_version", "person_facts", "facts_rules", "person_changes", "person_changes_horizon"}
)


def revisions() -> list[str]:
    """Every revision but the newest, oldest first."""
    script = ScriptDirectory.from_config(db._alembic_config())
    ordered = [step.revision for step in script.walk_revisions()][::-1]
    return ordered[:-1]


def _value(table: str, column: sa.Column[Any], parents: dict[str, int]) -> object:
    if (table, column.name) in MEANINGFUL:
        return MEANINGFUL[(table, column.name)]
    # Since 0012 `account_id` is in composite keys to garden tables as well as the key to
    # accounts: the account is the one its value must name.
    referred = sorted(key.column.table.name for key in column.foreign_keys)
    if referred:
        return parents.get("accounts" if "accounts" in referred else referred[0])
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 11, 1, 12, 0)  # noqa: DTZ001 - stored naive, as UTC
    if isinstance(kind, sa.Date):
        return date(2026, 10, 1)
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float):
        return 1.0
    if isinstance(kind, sa.Numeric):
        return Decimal("1.50")
    if isinstance(kind, sa.JSON):
        return []
    return f"{table}.{column.name}"


def _numbered_by_the_database(table: sa.Table, column: sa.Column[Any]) -> bool:
    """An id the database fills: a lone integer key (SQLite's rowid, since 0012 too), or on
    PostgreSQL a sequence's (`serial`, `(account_id, id)` since 0012) or an identity's.

    A composite key's identity (`shared_contacts`, `referrals`, `one_to_ones`, `visitors`:
    `(account_id, id)`) has no identity on SQLite, where group tables are never written: the
    ladder gives it a value.
    """
    if not column.primary_key or column.foreign_keys or not isinstance(column.type, sa.Integer):
        return False
    by_sequence = "nextval(" in str(getattr(column.server_default, "arg", ""))
    # SQLite numbers a lone key only when it is the rowid, declared INTEGER: a lone BIGINT key
    # (a group table's `id` since 0012, never written on SQLite) needs its value.
    rowid = len(table.primary_key.columns) == 1 and not isinstance(column.type, sa.BigInteger)
    return rowid or column.identity is not None or by_sequence


def plant_everywhere(engine: sa.Engine) -> dict[str, dict[str, object]]:
    """One row in every table of the schema as it is now; returns what went in."""
    schema = sa.MetaData()
    schema.reflect(engine)
    planted: dict[str, dict[str, object]] = {}
    parents: dict[str, int] = {}
    with engine.begin() as conn:
        for table in schema.sorted_tables:
            if table.name in DERIVED:
                continue
            row = {
                c.name: _value(table.name, c, parents)
                for c in table.columns
                if not _numbered_by_the_database(table, c)
            }
            key = conn.execute(sa.insert(table).values(row)).inserted_primary_key
            if key is not None:  # a garden key is (account_id, id) since 0012: take its id
                parents[table.name] = int(key.id if "id" in key._fields else key[0])
            planted[table.name] = row
    return planted


@pytest.mark.parametrize("revision", revisions())
def test_a_garden_at_an_earlier_revision_upgrades_with_its_data(
    database_url: str, revision: str
) -> None:
    engine = db.create(database_url)
    try:
        command.upgrade(db._alembic_config(engine), revision)
        planted = plant_everywhere(engine)
        assert db.migrate(engine) is True
        assert db.current_revision(engine) == db.head_revision()
        newest = sa.MetaData()
        newest.reflect(engine)
        with engine.connect() as conn:
            for name, row in planted.items():
                table = newest.tables[name]
                (stored,) = conn.execute(sa.select(table)).mappings().all()
                for column, value in row.items():
                    assert stored[column] == value, (revision, name, column)
    finally:
        engine.dispose()
    garden = open_garden(Settings(database_url=database_url), TODAY)
    try:
        # Rows planted past the store at 0007 have no kept facts yet: as any raw writer must.
        with garden.transaction() as conn:
            kept_facts.rebuild(conn, garden.account_id, garden.rules)
        shown = views.show(garden, "Ana Ruiz")
        assert shown.history.person.emails == ("ana@example.org",)
        assert len(shown.history.interactions) == 1
        nurture.feed(garden)
        nurture.weed(garden)
        reports.stats(garden)
    finally:
        garden.engine.dispose()
