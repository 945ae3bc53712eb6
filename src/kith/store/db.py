"""Opening a database: URL normalisation, SQLite pragmas and migrations on first use."""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Connection,
    Engine,
    column,
    create_engine,
    event,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from kith.store.errors import DatabaseUnavailable, DiskFull, GardenBusy, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*[\"']([^\"']+)[\"']\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")
# SQLite lets one writer in at a time. A write waits for the one in progress: SQLite's own
# busy handler for up to BUSY_TIMEOUT_MS per attempt, and attempts with growing pauses
# between them for up to `write_wait` seconds in all (the setting, WRITE_WAIT_SECONDS by
# default); only then is it refused, as GardenBusy.
SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_WAIT_SECONDS = 30.0
RETRY_PAUSES = (0.05, 0.1, 0.2, 0.5, 1.0)  # seconds; the last repeats
WRITING = "kith_writing"  # execution option: this connection's transactions write


def _is_busy(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error)
    )


# PostgreSQL's SQLSTATE for "disk full" (class 53, insufficient resources).
PG_DISK_FULL = "53100"


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return getattr(error, "sqlstate", None) == PG_DISK_FULL


def _plain_store_errors(context: ExceptionContext) -> BaseException | None:
    """Busy, disk-full and server-gone refusals, from any statement, commit or connect.

    One line for the user, never a traceback; the transaction they interrupt rolls back as
    it leaves its `with` block. A PostgreSQL server that went away (a restart, a network
    cut) is `DatabaseUnavailable`: the pool pings before it lends a connection again, so
    requests work again by themselves once it is back.
    """
    error = context.original_exception
    if _is_busy(error):
        return GardenBusy()
    if _is_disk_full(error):
        return DiskFull()
    gone = context.is_disconnect or context.connection is None
    server = context.dialect is not None and context.dialect.name == "postgresql"
    operational = isinstance(context.sqlalchemy_exception, OperationalError)
    return DatabaseUnavailable() if server and gone and operational else None


def _sqlite_begin(write_wait: float) -> Callable[[Connection], None]:
    """BEGIN ourselves: IMMEDIATE for writes, so the lock is taken (and waited for) up front.

    A deferred transaction that reads and then writes can be refused at once, without
    waiting, when another write committed in between; an immediate one cannot, so a write
    either gets in here, before it has done anything, or is refused as busy here.
    """

    def begin(conn: Connection) -> None:
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITING) else "BEGIN"
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        deadline = time.monotonic() + write_wait
        for pause in _pauses():
            try:
                driver.execute(statement)
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                if time.monotonic() >= deadline:
                    raise GardenBusy() from None
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))

    return begin


def _pauses() -> Iterator[float]:
    yield from RETRY_PAUSES
    while True:
        yield RETRY_PAUSES[-1]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one moment of the garden across all its statements.

    SQLite's read transactions (WAL) already do; PostgreSQL's default, READ COMMITTED, sees
    each statement's own moment, so a backup read table by table asks for REPEATABLE READ.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


@contextmanager
def writing(engine: Engine, *, dry_run: bool = False) -> Iterator[Connection]:
    """A write transaction: committed at the end, rolled back on an error or when `dry_run`.

    A dry run takes the same locks and runs the same statements, so it reports exactly what
    the real run would do.
    """
    with engine.connect() as conn:
        conn.execution_options(**{WRITING: True})
        with conn.begin() as trans:
            yield conn
            if dry_run:
                trans.rollback()


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """The write transaction migrations run in; on SQLite with its foreign keys off.

    SQLite alters a table by copying it into a new one and dropping the old, and with
    foreign keys on, dropping a table deletes its rows first, cascading into every table that
    points at it (migration 0012 rebuilds people). The keys come off for the migration (the
    pragma works only outside a transaction), are checked before the commit, and come back.
    """
    if engine.dialect.name != "sqlite":
        with writing(engine) as conn:
            yield conn
        return
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.execution_options(**{WRITING: True})
            with conn.begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise StoreError(f"the migration broke foreign keys: {broken[:5]}")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as users write them; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(write_wait: float) -> Callable[[object, object], None]:
    busy_timeout = min(SQLITE_BUSY_TIMEOUT_MS, int(write_wait * 1000))

    def on_connect(dbapi_connection: object, _record: object) -> None:
        _pragmas(dbapi_connection, busy_timeout)

    return on_connect


def _pragmas(dbapi_connection: object, busy_timeout_ms: int) -> None:
    # The driver's own transaction handling off: `_sqlite_begin` says BEGIN, and how.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")  # first: WAL may wait too
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off unless asked
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    cursor.close()


class _EngineShelf:
    """The engines a long-lived process keeps (`kith resident`); empty and off elsewhere.

    SQLAlchemy's compiled-SQL cache lives on the engine: a process that runs many commands
    reuses each engine (its pool is disposed after each command all the same) instead of
    compiling every statement again. A command in its own process makes one engine and ends.
    """

    def __init__(self) -> None:
        self.keeping = False
        self.engines: dict[tuple[str, bool, float], Engine] = {}


_SHELF = _EngineShelf()


def keep_engines() -> None:
    """From now on in this process, `create` hands back the engine it made for the same URL."""
    _SHELF.keeping = True


def create(
    url: str, *, create_folder: bool = False, write_wait: float = WRITE_WAIT_SECONDS
) -> Engine:
    """An engine for `url`, checked by connecting once (a kept one, when the process keeps them).

    A SQLite file's folder is made only when asked (`kith init`, the default location): a
    mistyped path must be an error, not a new empty garden somewhere unexpected.
    """
    key = (url, create_folder, write_wait)
    kept = _SHELF.engines.get(key)
    if kept is not None and _still_opens(kept):
        return kept
    engine = _new_engine(url, create_folder=create_folder, write_wait=write_wait)
    if _SHELF.keeping:
        _SHELF.engines[key] = engine
    return engine


def _still_opens(engine: Engine) -> bool:
    try:
        _check_connection(engine)
    except Exception:  # noqa: BLE001 -- any failure: a new engine says why, as it always has
        _SHELF.engines = {k: e for k, e in _SHELF.engines.items() if e is not engine}
        return False
    return True


def _new_engine(
    url: str, *, create_folder: bool = False, write_wait: float = WRITE_WAIT_SECONDS
) -> Engine:
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
            event.listen(engine, "connect", _sqlite_pragmas(write_wait))
            event.listen(engine, "begin", _sqlite_begin(write_wait))
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
        _check_connection(engine)  # before the hook: a garden that cannot open says why
        event.listen(engine, "handle_error", _plain_store_errors)
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


def known_revision(revision: str) -> bool:
    """Whether `revision` is one of this kith's schema revisions (older or the head)."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - Alembic only when needed

    script = ScriptDirectory.from_config(_alembic_config())
    return any(step.revision == revision for step in script.walk_revisions())


def integrity_problems(conn: Connection) -> list[str] | None:
    """SQLite's `PRAGMA integrity_check` findings ([] when sound); None on other databases."""
    if conn.dialect.name != "sqlite":
        return None
    found = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found


def version(engine: Engine) -> str:
    """Changes whenever anyone (this server, the CLI, another process) writes the database.

    SQLite writes land in the database file or its write-ahead log, so their sizes and
    modification times are a free fingerprint; on PostgreSQL the write-ahead log position
    moves on every commit in the cluster, which over-invalidates but never misses a write.
    Any other database (or SQLite in memory) gets a new version every time: nothing cached
    against it is ever reused.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return "/".join(_file_print(Path(f"{url.database}{suffix}")) for suffix in ("", "-wal"))
    if url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT pg_current_wal_lsn()")).scalar_one())
    return secrets.token_hex(8)


def _file_print(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "-"
    return f"{stat.st_size}:{stat.st_mtime_ns}"
