"""The garden's version (what the web's cache is keyed by) moves on any write, the CLI's too."""

from __future__ import annotations

from kith.app.garden import Garden
from tests.conftest import Kith


def test_a_cli_write_changes_the_version_and_a_read_does_not(garden: Garden, kith: Kith) -> None:
    before = garden.version()
    kith.ok("list")
    assert garden.version() == before
    kith.ok("seed", "Ana Lima")
    assert garden.version() != before
