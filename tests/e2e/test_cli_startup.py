"""`kith list` on a garden at the newest schema loads the ORM and nothing else heavy."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY
from tests.unit.test_cli_startup import RUN_KITH, heavy_in, loaded_modules


def test_listing_a_migrated_garden_needs_neither_alembic_nor_the_rules_libraries(
    sqlite_url: str, tmp_path: Path
) -> None:
    open_garden(Settings(database_url=sqlite_url), TODAY).engine.dispose()  # migrated once
    modules = loaded_modules(tmp_path, RUN_KITH, "list", KITH_DATABASE_URL=sqlite_url)
    assert "kith.app.views" in modules  # the command ran
    # SQLAlchemy reads the garden; Typer checks the options with pydantic.
    assert heavy_in(modules, allowed=("sqlalchemy", "pydantic")) == []


@pytest.mark.unmigrated  # a new garden: an empty file, not the fixtures' migrated copy
def test_a_new_garden_is_migrated_by_alembic(sqlite_url: str, tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, RUN_KITH, "list", KITH_DATABASE_URL=sqlite_url)
    assert "alembic" in modules
