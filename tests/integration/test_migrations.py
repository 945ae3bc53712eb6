"""Alembic migrations build exactly the schema that kith.store.tables describes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kith.store import db
from kith.store.errors import StoreError
from kith.store.tables import metadata

# These tests run the migrations themselves: their databases start empty, not migrated.
pytestmark = pytest.mark.unmigrated


def test_migrations_match_the_tables(database_url: str) -> None:
    engine = db.create(database_url)
    try:
        assert db.migrate(engine) is True
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        assert db.current_revision(engine) == db.head_revision()
        assert db.migrate(engine) is False  # a second run has nothing to do
    finally:
        engine.dispose()


def test_the_newest_revision_is_read_from_the_files_as_alembic_reads_it() -> None:
    assert db.listed_head() == db.head_revision()


def test_a_database_at_the_newest_revision_is_recognised_from_its_version_table(
    database_url: str,
) -> None:
    engine = db.create(database_url)
    try:
        assert db.recorded_revision(engine) is None  # a new database has no version table
        db.migrate(engine)
        assert db.recorded_revision(engine) == db.current_revision(engine) == db.listed_head()
    finally:
        engine.dispose()


def _revision(folder: Path, name: str, down: str) -> None:
    (folder / f"{name}.py").write_text(f'revision = "{name}"\ndown_revision = {down}\n')


def test_an_unusual_migration_chain_is_left_to_alembic(tmp_path: Path) -> None:
    _revision(tmp_path, "a", "None")
    _revision(tmp_path, "b", '"a"')
    assert db.listed_head(tmp_path) == "b"
    _revision(tmp_path, "c", '"a"')  # two heads
    assert db.listed_head(tmp_path) is None
    _revision(tmp_path, "d", '(\n    "b",\n    "c",\n)')  # a merge written over lines
    assert db.listed_head(tmp_path) is None
    _revision(tmp_path, "d", '("b", "c")')  # the same merge on one line
    assert db.listed_head(tmp_path) == "d"


def test_postgres_urls_are_read_with_psycopg3() -> None:
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_gets_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    engine = db.create(sqlite_url)
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": db.SQLITE_BUSY_TIMEOUT_MS,
        }
    finally:
        engine.dispose()


def test_a_missing_folder_is_created_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "kith.db"
    with pytest.raises(StoreError, match="does not exist"):
        db.create(f"sqlite:///{path}")
    assert not path.parent.exists()
    engine = db.create(f"sqlite:///{path}", create_folder=True)
    engine.dispose()
    assert path.parent.is_dir()


def test_migration_0006_links_old_intro_gifts_to_their_intro(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import insert, select

    from kith.store.tables import accounts, exchanges, intros, people

    engine = db.create(database_url)
    try:
        command.upgrade(db._alembic_config(engine), "0005")
        with engine.begin() as conn:
            account = conn.execute(insert(accounts).values(name="me")).inserted_primary_key
            assert account is not None
            pids = []
            for name in ("Ana Ruiz", "Noah Kim"):
                key = conn.execute(
                    insert(people).values(
                        account_id=account[0], name=name, name_key=name.casefold(),
                        created_on=date(2026, 1, 1),
                    )
                ).inserted_primary_key  # fmt: skip
                assert key is not None
                pids.append(key.id)  # the key is (account_id, id) since 0012
            made = date(2026, 3, 1)
            conn.execute(
                insert(intros).values(
                    account_id=account[0], a_id=pids[0], b_id=pids[1], proposed_on=made,
                    state="made", made_on=made,
                )
            )  # fmt: skip
            for person, other in ((pids[0], "Noah Kim"), (pids[1], "Ana Ruiz"), (pids[0], "X")):
                conn.execute(
                    insert(exchanges).values(
                        account_id=account[0], person_id=person, on=made, direction="given",
                        what=f"introduced to {other}", kind="intro", weight=2,
                    )
                )  # fmt: skip
        assert db.migrate(engine) is True
        with engine.connect() as conn:
            linked = [row[0] for row in conn.execute(select(exchanges.c.intro_id))]
        # The two gifts of the intro name it; the one to someone else is left alone.
        assert linked.count(None) == 1
        assert len([i for i in linked if i is not None]) == 2
        assert len(set(linked) - {None}) == 1
    finally:
        engine.dispose()


def test_migration_0018_makes_the_log_horizon_and_the_token_index_and_takes_them_back(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    engine = db.create(database_url)
    config = db._alembic_config(engine)

    def lineage() -> str | None:
        names = inspect(engine).get_table_names()
        if "person_changes_horizon" not in names:
            return None
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT lineage FROM person_changes_horizon")).one()[0])

    def token_index() -> bool:
        found = inspect(engine).get_indexes("accounts")
        return any(i["name"] == "ix_accounts_api_token_hash" and i["unique"] for i in found)

    try:
        command.upgrade(config, "0018")
        first = lineage()
        assert first is not None and len(first) == 32 and token_index()
        command.downgrade(config, "0017")
        assert lineage() is None and not token_index()
        command.upgrade(config, "0018")
        again = lineage()
        assert again is not None and again != first  # a new history: a new name
        assert token_index()
    finally:
        engine.dispose()
