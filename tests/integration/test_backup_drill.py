"""The restore drill: `kith backup` then `kith restore` gives back every table identically.

On SQLite (the online backup API) and on PostgreSQL (pg_dump, into a second database); a
SQLite garden's JSON backup restores into PostgreSQL; rotation keeps N daily and M weekly.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, text

from kith.app import db_backup, people
from kith.app.demo import load_demo
from kith.app.garden import Garden
from kith.settings import BackupSettings
from kith.store.db import normalise_url
from tests.conftest import Kith

NOW = datetime(2026, 11, 27, 3, 15, tzinfo=UTC)

Tables = dict[str, list[dict[str, Any]]]


def every_table(url: str) -> Tables:
    """Every row of every table (alembic's too), in id order: what must come back."""
    engine = create_engine(normalise_url(url))
    found = MetaData()
    found.reflect(engine)
    with engine.connect() as conn:
        tables = {
            name: [
                dict(row._mapping)
                for row in conn.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for name, table in found.tables.items()
            # The change log (store/garden_changes): a restore logs its own writes there;
            # its horizon names this database's own history (store/change_log_trim).
            if name not in ("person_changes", "person_changes_horizon")
        }
    engine.dispose()
    return tables


def logged_people(url: str) -> tuple[set[int], set[int]]:
    """The ids of every person, and of every person the change log names."""
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        everyone = set(conn.execute(text("SELECT id FROM people")).scalars())
        logged = set(conn.execute(text("SELECT person_id FROM person_changes")).scalars())
    engine.dispose()
    return everyone, logged


def _planted(kith: Kith, folder: Path) -> Tables:
    kith.ok("demo")
    kith.ok("forget", "Tom Becker", "--yes")  # a gap in the ids, which must come back too
    kith.ok("export", "vcard", str(folder / "all.vcf"))  # vCard UIDs stored
    return every_table(kith.env["KITH_DATABASE_URL"])


def test_sqlite_backup_and_restore_give_back_every_table(sqlite_url: str, tmp_path: Path) -> None:
    source = Kith(sqlite_url, tmp_path)
    before = _planted(source, tmp_path)
    copy = tmp_path / "copy.sqlite"
    assert source.ok("backup", str(copy), "--json").json()["bytes"] == copy.stat().st_size
    source.ok("seed", "After Backup")  # the copy is of its moment, not of later writes
    target = Kith(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)
    restored = target.ok("restore", str(copy), "--json").json()
    assert restored["format"] == "sqlite" and restored["restored"]["people"] == 39
    assert every_table(target.env["KITH_DATABASE_URL"]) == before
    again = target("restore", str(copy))
    assert again.exit_code == 1 and "not empty" in again.stderr
    assert target.ok("show", "Maya", "--json").json()["name"] == "Maya Okafor"


@pytest.fixture
def two_databases(postgres_admin_url: str) -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases (a pg_dump names its schema, so not two schemas)."""
    names = [f"kith_drill_{uuid.uuid4().hex[:10]}_{side}" for side in "ab"]
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = postgres_admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_postgres_backup_and_restore_give_back_every_table(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source = Kith(two_databases[0], tmp_path)
    before = _planted(source, tmp_path)
    copy = tmp_path / "copy.pgdump"
    source.ok("backup", str(copy))
    target = Kith(two_databases[1], tmp_path)
    target.ok("init")
    restored = target.ok("restore", str(copy), "--json").json()
    assert restored["format"] == "pgdump" and restored["restored"]["people"] == 39
    assert every_table(two_databases[1]) == before
    everyone, logged = logged_people(two_databases[1])
    assert everyone <= logged  # a server's kept judgement learns of every restored person
    again = target("restore", str(copy))
    assert again.exit_code == 1 and "not empty" in again.stderr
    target.ok("seed", "After Restore")  # the id sequences came back too


@pytest.mark.postgres
def test_without_pg_dump_a_postgres_backup_says_so(postgres_url: str, tmp_path: Path) -> None:
    kith = Kith(postgres_url, tmp_path)
    kith.ok("init")
    missing = kith("backup", str(tmp_path / "x.pgdump"), env={"PATH": str(tmp_path)})
    assert missing.exit_code == 1
    assert missing.stderr.startswith("kith: pg_dump is not installed (or not on PATH)")
    assert not (tmp_path / "x.pgdump").exists()


@pytest.mark.postgres
def test_a_sqlite_gardens_json_backup_restores_into_postgres(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    source = Kith(sqlite_url, tmp_path)
    _planted(source, tmp_path)
    source.ok("export", "json", str(tmp_path / "garden.json"))
    target = Kith(postgres_url, tmp_path)
    assert target.ok("restore", str(tmp_path / "garden.json"), "--json").json()["format"] == "json"
    target.ok("export", "json", str(tmp_path / "again.json"))
    original = (tmp_path / "garden.json").read_text(encoding="utf-8")
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == original
    sqlite_copy = tmp_path / "copy.sqlite"
    source.ok("backup", str(sqlite_copy))
    wrong_kind = Kith(postgres_url, tmp_path)("restore", str(sqlite_copy))
    assert wrong_kind.exit_code == 1 and "kith export json" in wrong_kind.stderr


def test_backups_without_a_file_are_rotated(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    old = ["kith-20200101-031500.sqlite", "kith-20200102-031500.sqlite", "notes.txt"]
    for name in old:
        (folder / name).write_text("an old backup")
    kith = Kith(sqlite_url, tmp_path)
    kith.ok("seed", "Ana Ruiz")
    env = {"KITH_BACKUP_DIR": str(folder), "KITH_BACKUP_DAILY": "2", "KITH_BACKUP_WEEKLY": "0"}
    first = kith("backup", "--json", env=env)
    assert first.exit_code == 0, first.stderr
    assert [Path(p).name for p in first.json()["removed"]] == ["kith-20200101-031500.sqlite"]
    kept = sorted(p.name for p in folder.iterdir())
    assert kept[0] == "kith-20200102-031500.sqlite" and kept[-1] == "notes.txt" and len(kept) == 3


def test_a_sqlite_backup_taken_while_writes_go_on_is_one_consistent_moment(
    sqlite_garden: Garden, tmp_path: Path
) -> None:
    load_demo(sqlite_garden)
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            people.seed(sqlite_garden, f"Writer {len(written)}")
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            time.sleep(0.01)
        copies = [
            db_backup.backup(sqlite_garden, tmp_path / f"copy{n}.sqlite", BackupSettings(), NOW)
            for n in range(3)
        ]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        with sqlite3.connect(copy.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            count = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        assert 40 + 5 <= count <= 40 + len(written)
