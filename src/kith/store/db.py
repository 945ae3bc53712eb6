"""Opening a database: URL normalisation, SQLite pragmas and migrations on first use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, column, create_engine, event, inspect, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from kith.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000  # wait for a concurrent writer (web and CLI) instead of failing
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*[\"']([^\"']+)[\"']\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as users write them; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off unless asked
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    cursor.close()


def create(url: str, *, create_folder: bool = False) -> Engine:
    """An engine for `url`, checked by connecting once.

    A SQLite file's folder is made only when asked (`kith init`, the default location): a
    mistyped path must be an error, not a new empty garden somewhere unexpected.
    """
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise StoreError(f"database URL {url!r} is not a valid SQLAlchemy URL") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_folder(parsed.database, create=create_folder)
            engine = create_engine(parsed)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
        _check_connection(engine)
    except NoSuchModuleError:
        raise StoreError(f"database URL {url!r}: unsupported database") from None
    except (DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise StoreError(f"cannot open database {parsed.render_as_string()}: {reason}") from None
    return engine


def _check_connection(engine: Engine) -> None:
    try:
        with engine.connect():
            pass
    except Exception:
        engine.dispose()
        raise


def _sqlite_folder(database: str | None, *, create: bool) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise StoreError(
            f"database folder {folder} does not exist (check the path, or `kith init` creates it)"
        )


# Alembic loads only when the schema must change (or a test asks): importing it costs a tenth
# of a second, and a database at the newest revision is recognised without it.
def _alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config  # noqa: PLC0415 - Alembic only when needed (above)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision, as Alembic reads the migrations folder."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - Alembic only when needed

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, as Alembic reads it."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 - only when needed

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def listed_head(folder: Path = MIGRATIONS / "versions") -> str | None:
    """The newest revision from the migration files' `revision`/`down_revision` lines alone.

    None when the files are anything but one plain chain with one head (a line this reading
    does not understand leaves a revision looking like a second head): Alembic then decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.findall(source)
        down = _DOWN_REVISION.findall(source)
        if len(found) != 1 or len(down) != 1:
            return None
        revisions.add(found[0])
        parents.update(_QUOTED.findall(down[0]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def recorded_revision(engine: Engine) -> str | None:
    """The revision in the database's version table; None without one, or with several."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        version = table(VERSION_TABLE, column("version_num"))
        found = conn.execute(select(version.c.version_num)).scalars().all()
    return found[0] if len(found) == 1 else None


def migrate(engine: Engine) -> bool:
    """Bring the schema to the newest revision; return whether anything was applied."""
    head = listed_head()
    if head is not None and recorded_revision(engine) == head:
        return False  # the usual case, decided without loading Alembic
    if current_revision(engine) == head_revision():
        return False
    from alembic import command  # noqa: PLC0415 - Alembic only when needed (see above)

    command.upgrade(_alembic_config(engine), "head")
    return True


def integrity_problems(conn: Connection) -> list[str] | None:
    """SQLite's `PRAGMA integrity_check` findings ([] when sound); None on other databases."""
    if conn.dialect.name != "sqlite":
        return None
    found = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found
