"""A bulk load builds the indexes once at the end: the garden is the same as without (#11).

`bulk.loading` drops the secondary indexes of the tables an import writes when `people`
is empty (SQLite) and makes them again as the import ends. After a commit the database holds
the same rows, ids and schema (each table's index SQL, in its order) as an import that kept
its indexes; after a dry run or a failure, the schema it started with; meanwhile other
connections see every index.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from sqlalchemy import Connection, create_engine, inspect, text

from kith.app import importing
from kith.app.errors import KithError
from kith.app.garden import Garden, open_garden
from kith.app.import_report import ImportView
from kith.settings import Settings
from kith.store import bulk, db
from kith.store.tables import people
from tests.conftest import TODAY, SqliteTemplate
from tests.integration.test_import_fast_paths import FAST, linkedin, rows

LOADED = [t.name for t in bulk.LOADED]


def dump(path: Path) -> dict[str, Any]:
    """Every row of every table (by rowid) and each loaded table's indexes, in schema order."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).scalars()
            found: dict[str, Any] = {
                name: conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY rowid').all()
                for name in tables
            }
            found["indexes"] = indexes(conn)
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
    return found


def indexes(conn: Connection) -> dict[str, list[tuple[str, str | None]]]:
    """Each loaded table's indexes (name, SQL) in the order the schema lists them."""
    found = conn.exec_driver_sql(
        "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY rowid"
    ).all()
    return {t: [(n, s) for table, n, s in found if table == t] for t in LOADED}


def schema(path: Path) -> list[tuple[Any, ...]]:
    """sqlite_master whole, in its order (root pages included)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return list(conn.exec_driver_sql("SELECT * FROM sqlite_master ORDER BY rowid").all())
    finally:
        engine.dispose()


class Files:
    """Fresh SQLite gardens, each a copy of the migrated template."""

    def __init__(self, template: SqliteTemplate, folder: Path) -> None:
        self.template = template
        self.folder = folder
        self.count = 0

    def fresh(self) -> Path:
        self.count += 1
        path = self.folder / f"g{self.count}.db"
        self.template.copy_to(path)
        return path

    def imported(
        self, lines: list[tuple[str, ...]], path: Path | None = None, **options: Any
    ) -> tuple[Path, ImportView]:
        """`lines` imported into `path` (a fresh garden if None): the garden and the report."""
        path = path or self.fresh()
        garden = open_garden(Settings(database_url=f"sqlite:///{path}"), TODAY)
        try:
            csv = linkedin(self.folder / "c.csv", lines)
            return path, ImportView.of(importing.import_file(garden, "linkedin", csv, **options))
        finally:
            garden.engine.dispose()


@pytest.fixture
def files(
    sqlite_template: SqliteTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Files]:
    monkeypatch.setattr(importing, "BATCH", 3)  # records meet people of earlier batches
    yield Files(sqlite_template, tmp_path)
    shutil.rmtree(tmp_path, ignore_errors=True)


@FAST
@given(lines=rows)
def test_an_import_building_its_indexes_at_the_end_stores_what_one_keeping_them_stores(
    files: Files, monkeypatch: pytest.MonkeyPatch, lines: list[tuple[str, ...]]
) -> None:
    loaded, report = files.imported(lines)
    with monkeypatch.context() as patched:
        patched.setattr(bulk, "loading", lambda _conn: nullcontext())
        kept, kept_report = files.imported(lines)
    assert report == kept_report
    assert dump(loaded) == dump(kept)


def test_a_dry_run_leaves_the_schema_as_it_was(files: Files) -> None:
    path, _ = files.imported([])
    before = schema(path)
    _, report = files.imported([("Ana", "Ruiz", "", "", "Acme", "", "")] * 5, path, dry_run=True)
    assert report.added == 1
    assert schema(path) == before


def test_a_failed_import_leaves_the_schema_as_it_was(files: Files) -> None:
    path, _ = files.imported([])
    before = schema(path)
    good = [("Ana", f"Ruiz{n}", "", "", "Acme", "", "") for n in range(7)]
    with pytest.raises(KithError, match="strict"):
        files.imported([*good, ("Jon", "Kim", "", "", "", "", "32 Foo 2024")], path, strict=True)
    assert schema(path) == before


def test_other_connections_see_every_index_while_a_load_runs(sqlite_garden: Garden) -> None:
    with sqlite_garden.engine.connect() as reader:
        before = indexes(reader)
    assert all(before.values())
    with db.writing(sqlite_garden.engine) as conn, bulk.loading(conn):
        assert not any(sql for table in indexes(conn).values() for _, sql in table)
        with sqlite_garden.engine.connect() as reader:
            assert indexes(reader) == before
    with sqlite_garden.engine.connect() as reader:
        assert indexes(reader) == before


def test_a_load_that_fails_inside_its_transaction_gives_the_indexes_back_first(
    sqlite_garden: Garden,
) -> None:
    with sqlite_garden.engine.connect() as reader:
        before = indexes(reader)
    with db.writing(sqlite_garden.engine) as conn:
        with pytest.raises(ZeroDivisionError), bulk.loading(conn):
            _ = 1 / 0
        assert indexes(conn) == before  # whoever caught it may still commit


def test_a_load_into_a_garden_with_people_keeps_the_indexes(garden: Garden, tmp_path: Path) -> None:
    one: list[tuple[str, ...]] = [("Ana", "Ruiz", "", "", "", "", "")]
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "c.csv", one))
    with garden.engine.connect() as conn:
        before = people_indexes(conn)
    assert before
    with db.writing(garden.engine) as conn, bulk.loading(conn):
        assert people_indexes(conn) == before


def test_a_load_on_postgresql_keeps_the_indexes(postgres_url: str) -> None:
    garden = open_garden(Settings(database_url=postgres_url), TODAY)
    try:
        with garden.engine.connect() as conn:
            before = people_indexes(conn)
        assert before
        with db.writing(garden.engine) as conn, bulk.loading(conn):
            assert people_indexes(conn) == before
    finally:
        garden.engine.dispose()


def people_indexes(conn: Connection) -> list[tuple[str | None, list[str | None]]]:
    """The indexes of `people` this connection sees: names and columns (a partial index's
    reflected condition is a new object each time, so not compared)."""
    return [(i["name"], i["column_names"]) for i in inspect(conn).get_indexes(people.name)]


def test_ctrl_c_mid_statement_in_a_load_is_a_keyboard_interrupt_and_keeps_the_indexes(
    sqlite_garden: Garden, ctrl_c_in: Callable[[float], None]
) -> None:
    with sqlite_garden.engine.connect() as reader:
        before = indexes(reader)
    endless = text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000)"
        " SELECT count(*) FROM c"
    )

    def interrupted_load() -> None:
        with db.writing(sqlite_garden.engine) as conn, bulk.loading(conn):
            ctrl_c_in(0.2)
            conn.execute(endless)  # SQLAlchemy invalidates the connection as it unwinds

    with pytest.raises(KeyboardInterrupt):
        interrupted_load()
    with sqlite_garden.engine.connect() as reader:
        assert indexes(reader) == before
