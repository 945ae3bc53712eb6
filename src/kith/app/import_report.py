"""What every import shares: the report it prints and the transaction a dry run rolls back.

Its own module so that the contact importers (`kith.app.importing`), the backup restore
(`kith.app.backup`), capture and sync all build on it without importing one another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kith.app.garden import Garden
from kith.app.report_lines import LineError, LineMerge, LineWarning
from kith.store import Connection, change_log_trim, db

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import added, merged and skipped, with every error and merge by line."""

    added: int = 0
    merged: int = 0  # matched someone and brought something new
    skipped: int = 0  # matched someone and brought nothing new (e.g. a re-import)
    errors: list[LineError] = field(default_factory=list)
    merges: list[LineMerge] = field(default_factory=list)
    warnings: list[LineWarning] = field(default_factory=list)
    dry_run: bool = False
    restored: dict[str, int] = field(default_factory=dict)  # rows per table, for a backup


@dataclass(frozen=True)
class ImportView:
    """What `kith import` and POST /api/v1/import present: the report, every line of it."""

    added: int
    merged: int
    skipped: int
    errors: tuple[LineError, ...]
    merges: tuple[LineMerge, ...]
    warnings: tuple[LineWarning, ...]
    dry_run: bool
    restored: dict[str, int]  # rows per table: a backup's restore; empty for contacts

    @classmethod
    def of(cls, report: ImportReport) -> ImportView:
        """The view of an import's report."""
        return cls(
            added=report.added,
            merged=report.merged,
            skipped=report.skipped,
            errors=tuple(report.errors),
            merges=tuple(report.merges),
            warnings=tuple(report.warnings),
            dry_run=report.dry_run,
            restored=dict(report.restored),
        )


@contextmanager
def transaction(garden: Garden, dry_run: bool) -> Iterator[Connection]:
    """One transaction; rolled back at the end when `dry_run`, so the same code runs."""
    with db.writing(garden.engine, dry_run=dry_run) as conn:
        yield conn
        change_log_trim.after_write(conn)  # an import logs a row a person on PostgreSQL
