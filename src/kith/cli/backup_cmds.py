"""`kith backup [FILE]` and `kith restore PERSON|FILE`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kith.cli import render
from kith.cli.context import garden, settings, whole_database
from kith.cli.output import JsonFlag, console, emit, user_errors

if TYPE_CHECKING:
    from kith.app.file_views import BackupView, RestoreView


@user_errors
def backup(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write; default: the backup folder, rotated.", show_default=False
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """A consistent copy of the whole garden while it is in use (SQLite file or pg_dump).

    Without FILE it goes into the backup folder (KITH_BACKUP_DIR) and keeps the newest of the
    last KITH_BACKUP_DAILY days and KITH_BACKUP_WEEKLY weeks.
    """
    from kith.app import db_backup
    from kith.app.file_views import BackupView

    whole_database(ctx, "backup")
    done = BackupView.of(
        db_backup.backup(garden(ctx), file, settings(ctx).backup, datetime.now(UTC))
    )
    emit(done, as_json, lambda c: _render_backup(c, done))


def _render_backup(c: Console, done: BackupView) -> None:
    c.print(f"backed up to {done.file} ({done.bytes} bytes)", markup=False)
    for path in done.removed:
        c.print(f"rotated out {Path(path).name}", markup=False)


@user_errors
def restore(
    ctx: typer.Context,
    target: Annotated[
        str, typer.Argument(help="PERSON (a name, an email or #ID) or a backup FILE.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Bring a pruned PERSON back, or restore a backup FILE into an empty garden.

    FILE is a `kith backup` copy (SQLite or pg_dump) or a `kith export json` backup; what
    was backed up comes back identically. A non-empty garden is refused.
    """
    from kith.app import db_backup, people
    from kith.app.file_views import RestoreView

    if Path(target).is_file():
        whole_database(ctx, "restore FILE")
        done = RestoreView.of(db_backup.restore(garden(ctx, create=True), Path(target)))
        emit(done, as_json, lambda c: _render_restored(c, done))
        return
    restored = people.restore(garden(ctx), target)
    render.person_saved(console(), "restored", restored)


def _render_restored(c: Console, done: RestoreView) -> None:
    rows = ", ".join(f"{count} {table}" for table, count in done.restored.items() if count)
    c.print(f"restored {rows or 'an empty garden'}", markup=False)
