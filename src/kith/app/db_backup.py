"""`kith backup [FILE]` and `kith restore FILE`: a whole garden copied, and put back.

A backup is a consistent copy taken while the garden is in use: SQLite's online backup API
(a SQLite file) or pg_dump's archive (PostgreSQL). Without FILE it goes into the backup
folder of the settings as `kith-YYYYMMDD-HHMMSS.sqlite|pgdump` (UTC), and the folder is
rotated: the newest of each of the last N days and M weeks stay (`core.rotation`).

A restore goes into a database whose gardens are all empty, and gives back exactly what was
backed up, ids included. A SQLite copy restores into SQLite and a pg_dump into PostgreSQL;
a JSON backup (`kith export json`) restores into either, which is how a garden moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kith.app import backup as json_backup
from kith.app.errors import GardenNotEmpty, KithError
from kith.app.files import check_target
from kith.app.garden import Garden
from kith.core.rotation import backup_due, to_keep
from kith.settings import BackupSettings
from kith.store import copies, db

_NAME = re.compile(r"^kith-(\d{8}-\d{6})\.(sqlite|pgdump)$")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackedUp:
    """A copy made by `kith backup`, and the copies rotation removed."""

    path: Path
    size: int
    removed: list[Path] = field(default_factory=list)  # rotated out


@dataclass(frozen=True)
class Restored:
    """What `kith restore FILE` brought back: the kind of copy and the rows per table."""

    kind: str  # sqlite, pgdump or json
    rows: dict[str, int]  # rows per table after the restore


def _extension(garden: Garden) -> str:
    return "sqlite" if garden.engine.dialect.name == "sqlite" else "pgdump"


def backup(
    garden: Garden, target: Path | None, settings: BackupSettings, now: datetime
) -> BackedUp:
    """Copy the whole database to `target`, or into the backup folder and rotate it."""
    folder = settings.folder_or_default() if target is None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now.astimezone(UTC).strftime(_STAMP)
        target = folder / f"kith-{stamp}.{_extension(garden)}"
    assert target is not None
    check_target(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if garden.engine.dialect.name == "sqlite":
            copies.sqlite_backup(garden.engine, partial)
        else:
            copies.pg_dump(garden.engine, partial)
        partial.replace(target)
    except OSError as error:
        raise KithError(f"file: cannot write {target}: {error.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
    removed = _rotate(folder, settings) if folder is not None else []
    return BackedUp(target, target.stat().st_size, removed)


def _backups_in(folder: Path) -> dict[datetime, Path]:
    """The backups `kith backup` wrote into `folder`, by the moment in their name."""
    found: dict[datetime, Path] = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            found[datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)] = path
    return found


def backup_if_due(garden: Garden, settings: BackupSettings, now: datetime) -> BackedUp | None:
    """The scheduled backup (`kith serve`): into the folder and rotated, when one is due."""
    stamps = _backups_in(settings.folder_or_default())
    if not backup_due(stamps, now, settings.every_hours):
        return None
    return backup(garden, None, settings, now)


def _rotate(folder: Path, settings: BackupSettings) -> list[Path]:
    """Remove the backups in `folder` that rotation does not keep; other files stay."""
    found = _backups_in(folder)
    kept = to_keep(found, settings.daily, settings.weekly)
    removed = [path for stamp, path in sorted(found.items()) if stamp not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore(garden: Garden, path: Path) -> Restored:
    """Put a backup back into this database, whose gardens must all be empty."""
    if not path.is_file():
        raise KithError(f"no backup file {path}")
    kind = copies.kind_of_file(path)
    if kind == "json":
        report = json_backup.restore(garden, path)
        return Restored(kind, report.restored)
    wanted = "sqlite" if kind == "sqlite" else "postgresql"
    if garden.engine.dialect.name != wanted:
        raise KithError(
            f"{path.name} is a {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} copy and restores"
            " into that kind of database only; to move a garden between them, `kith export json`"
            " there and `kith restore FILE.json` here"
        )
    _refuse_non_empty(garden)
    if kind == "sqlite":
        _restore_sqlite(garden, path)
    else:
        copies.pg_restore(garden.engine, path)
    with garden.reading() as conn:
        return Restored(kind, copies.rows_in_gardens(conn))


def _refuse_non_empty(garden: Garden) -> None:
    with garden.reading() as conn:
        counts = copies.rows_in_gardens(conn)
    if any(counts.values()):
        raise GardenNotEmpty(
            f"this database is not empty ({counts['people']} people): a backup restores into"
            " an empty one only",
            database=True,
        )


def _restore_sqlite(garden: Garden, path: Path) -> None:
    revision = copies.sqlite_revision(path)
    if revision is None or not db.known_revision(revision):
        raise KithError(f"{path.name}: not a backup of a kith garden this kith knows")
    garden.engine.dispose()  # no pooled connection may hold the file while it is replaced
    copies.sqlite_restore(path, copies.sqlite_path(garden.engine))
    db.migrate(garden.engine)  # a copy from an older kith is brought up to date
