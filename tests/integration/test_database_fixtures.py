"""The database fixtures hand out copies of one migrated garden (tests/conftest.py): each copy
is what a migration produces, and nothing a test writes reaches the template or another copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select

from kith.app import people as people_app
from kith.app.garden import Garden
from kith.store import db
from kith.store.tables import accounts, metadata, people, person_changes_horizon
from tests.conftest import (
    PostgresTemplate,
    SqliteTemplate,
    make_sqlite_template,
    postgres_schema,
)


def _fresh_copy_is_an_empty_newest_garden(url: str) -> None:
    engine = db.create(url)
    try:
        assert db.migrate(engine) is False  # already at the newest revision
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            for table in metadata.sorted_tables:
                # The change log's horizon: one row, made by its migration (0018)
                rows = 1 if table is person_changes_horizon else 0
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == rows
    finally:
        engine.dispose()


def test_a_garden_written_in_leaves_the_next_sqlite_copy_empty(
    sqlite_garden: Garden, sqlite_template: SqliteTemplate, tmp_path: Path
) -> None:
    people_app.seed(sqlite_garden, "Ana Ruiz")
    with sqlite_garden.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(people)).scalar_one() == 1
    copy = tmp_path / "another.db"
    sqlite_template.copy_to(copy)
    _fresh_copy_is_an_empty_newest_garden(f"sqlite:///{copy}")


@pytest.mark.postgres
def test_a_garden_written_in_leaves_the_next_postgres_copy_empty(
    postgres_url: str, postgres_admin_url: str, postgres_template: PostgresTemplate | None
) -> None:
    if postgres_template is None:
        pytest.skip("no pg_dump: every PostgreSQL garden is migrated afresh")
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE left_behind (id integer)")
            assert postgres_template.schema not in inspect(conn).get_schema_names()
    finally:
        engine.dispose()
    with postgres_schema(postgres_admin_url, postgres_template, migrated=True) as other:
        assert other != postgres_url  # a schema of its own
        _fresh_copy_is_an_empty_newest_garden(other)
        engine = create_engine(other)
        try:
            with engine.connect() as conn:
                assert not inspect(conn).has_table("left_behind")
        finally:
            engine.dispose()


def test_a_sqlite_template_written_in_is_never_copied(tmp_path: Path) -> None:
    template = make_sqlite_template(tmp_path / "template.db")
    engine = db.create(f"sqlite:///{template.path}")
    try:
        with db.writing(engine) as conn:
            conn.execute(accounts.insert().values(name="someone"))
    finally:
        engine.dispose()
    with pytest.raises(AssertionError, match="was changed"):
        template.copy_to(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()
