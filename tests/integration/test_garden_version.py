"""The garden's version (what the web's cache is keyed by) moves on any write, the CLI's too."""

from __future__ import annotations

from kith.app.garden import Garden
from tests.conftest import Kith


def test_a_cli_write_changes_the_version(garden: Garden, kith: Kith) -> None:
    before = garden.version()
    kith.ok("seed", "Ana Lima")
    assert garden.version() != before


def test_a_read_keeps_the_sqlite_version(sqlite_garden: Garden, kith_sqlite: Kith) -> None:
    # PostgreSQL's version is the cluster's WAL position, which any commit anywhere moves
    # (over-invalidating, never missing a write); SQLite's moves only with its own files.
    before = sqlite_garden.version()
    kith_sqlite.ok("list")
    assert sqlite_garden.version() == before
