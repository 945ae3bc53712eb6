"""The JSON backup restores into an empty garden identically, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kith.app.backup import dump
from kith.app.demo import load_demo
from kith.app.errors import KithError
from kith.app.exporting import export
from kith.app.garden import Garden, open_garden
from kith.app.importing import import_file
from kith.settings import Settings
from tests.conftest import TODAY


def backup(garden: Garden) -> dict[str, object]:
    with garden.reading() as conn:
        return dump(conn, garden.account_id)


def test_backup_restore_backup_gives_the_same_document(
    garden: Garden, database_url: str, tmp_path: Path
) -> None:
    load_demo(garden)
    path = tmp_path / "backup.json"
    done = export(garden, "json", path)
    original = json.loads(path.read_text(encoding="utf-8"))
    assert done.count == len(original["people"]) > 30
    assert all(original[s] for s in ("interactions", "exchanges", "asks", "breaches", "intros"))
    assert any(e["intro_id"] for e in original["exchanges"])  # a made intro's gifts name it
    assert original["me"]["offers"]
    empty = open_garden(Settings(database_url=database_url, account="restored"), TODAY)
    try:
        dry = import_file(empty, "json", path, dry_run=True)
        assert dry.added == done.count and backup(empty)["people"] == []
        report = import_file(empty, "json", path)
        assert report.restored["interactions"] == len(original["interactions"])
        assert backup(empty) == original
        with pytest.raises(KithError, match="not empty"):
            import_file(empty, "json", path)
    finally:
        empty.engine.dispose()


def test_a_json_file_that_is_no_backup_is_refused(sqlite_garden: Garden, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"contacts": []}', encoding="utf-8")
    with pytest.raises(KithError, match="not a kith backup"):
        import_file(sqlite_garden, "json", path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"kith_backup": 1, "me": {"name": "me"}, "people": [{"ref": 1}]}')
    with pytest.raises(KithError, match="not a valid kith backup"):
        import_file(sqlite_garden, "json", broken)
    assert backup(sqlite_garden)["people"] == []
