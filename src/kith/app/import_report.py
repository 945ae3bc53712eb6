"""What every import shares: the report it prints and the transaction a dry run rolls back.

Its own module so that the contact importers (`kith.app.importing`), the backup restore
(`kith.app.backup`), capture and sync all build on it without importing one another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kith.app.garden import Garden
from kith.store import Connection, db

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import added, merged and skipped, with every error and merge by line."""

    added: int = 0
    merged: int = 0  # matched someone and brought something new
    skipped: int = 0  # matched someone and brought nothing new (e.g. a re-import)
    errors: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    restored: dict[str, int] = field(default_factory=dict)  # rows per table, for a backup

    def to_json(self) -> dict[str, Any]:
        """The report as the JSON document `kith import` prints."""
        restored = {"restored": self.restored} if self.restored else {}
        return restored | {
            "added": self.added,
            "merged": self.merged,
            "skipped": self.skipped,
            "errors": self.errors,
            "merges": self.merges,
            "warnings": self.warnings,
            "dry_run": self.dry_run,
        }


@contextmanager
def transaction(garden: Garden, dry_run: bool) -> Iterator[Connection]:
    """One transaction; rolled back at the end when `dry_run`, so the same code runs."""
    with db.writing(garden.engine, dry_run=dry_run) as conn:
        yield conn
