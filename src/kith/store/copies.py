"""Whole-database copies: SQLite's online backup API, and pg_dump / pg_restore + psql.

A SQLite copy is one consistent snapshot taken while others read and write (the backup
API copies every page inside one read transaction). A PostgreSQL copy is
pg_dump's custom archive, one snapshot too. Restoring puts the data back with the same
ids into a database whose gardens are all empty: SQLite's backup API the other way round,
or pg_restore's data as SQL run by psql in one transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.engine import URL

from kith.store import change_log_trim
from kith.store.db import head_revision
from kith.store.errors import StoreError
from kith.store.tables import (
    accounts,
    facts_rules,
    metadata,
    person_changes,
    person_changes_horizon,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def kind_of_file(path: Path) -> str:
    """ "sqlite", "pgdump" or "json" from the file's first bytes (not its name)."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pgdump"
    return "json"


def rows_in_gardens(conn: Connection) -> dict[str, int]:
    """How many rows each garden table holds, over every account (accounts left out)."""
    counts = {}
    for table in metadata.sorted_tables:
        # facts_rules is bookkeeping made on opening a garden, like accounts: not its content;
        # so is person_changes, the log the restore's own writes fill (store/garden_changes).
        if table not in (accounts, facts_rules, person_changes, person_changes_horizon):
            counts[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return counts


def sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        raise StoreError(f"{engine.url.render_as_string()} is not a SQLite file")
    return Path(database).expanduser()


def sqlite_backup(engine: Engine, target: Path) -> None:
    """A consistent copy of the whole SQLite database into `target` (a new file)."""
    source = engine.raw_connection()
    try:
        driver = source.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            # All pages in one step: one read transaction, so one snapshot, while writers go
            # on (WAL). Copying in steps would restart on every write and might never end.
            driver.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()


def sqlite_revision(path: Path) -> str | None:
    """The schema revision a SQLite copy is at (None when it is no kith database)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def sqlite_restore(source: Path, target: Path) -> None:
    """Replace the database at `target` by the copy at `source`, page for page, at once."""
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        into = sqlite3.connect(target)
        try:
            copy.backup(into)
            problems = into.execute("PRAGMA integrity_check").fetchall()
            if problems == [("ok",)]:  # another history now: a running server's kept
                change_log_trim.renew_lineage(into)  # positions are not to be compared
        finally:
            into.close()
    finally:
        copy.close()
    if problems != [("ok",)]:
        raise StoreError(f"the restored database fails its integrity check: {problems[0][0]}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StoreError(
            f"{name} is not installed (or not on PATH): a PostgreSQL backup needs the"
            " PostgreSQL client tools (e.g. apt-get install postgresql-client)"
        )
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for `url` and the environment carrying its password."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def search_path_schema(url: URL) -> str | None:
    """The schema a URL's `options=-csearch_path=NAME` puts kith in, if any."""
    options = url.query.get("options")
    text = options if isinstance(options, str) else " ".join(options or ())
    for part in text.replace("-c ", "-c").split():
        if part.startswith("-csearch_path="):
            return part.removeprefix("-csearch_path=").split(",")[0]
    return None


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    # The command is ours: a tool found on PATH and arguments built here, never a shell.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StoreError(f"{what} failed: {reason}")
    return done.stdout


def pg_dump(engine: Engine, target: Path) -> None:
    """pg_dump's custom archive of kith's schema (schema and data) into `target`."""
    tool = _tool("pg_dump")
    uri, env = _libpq(engine.url)
    schema = search_path_schema(engine.url)
    only = ["--schema", schema] if schema else []
    _run([tool, "--format=custom", "--no-owner", "--no-privileges", *only, "--file", str(target),
          "--dbname", uri], env, "pg_dump")  # fmt: skip


def pgdump_revision(source: Path) -> str | None:
    """The schema revision recorded in a pg_dump archive of a kith database."""
    text = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-",
                 str(source)], dict(os.environ), "pg_restore")  # fmt: skip
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            return lines[number + 1].strip() or None
    return None


def pg_restore(engine: Engine, source: Path) -> None:
    """The data of a pg_dump archive into this (empty, migrated) database, in one transaction."""
    revision = pgdump_revision(source)
    if revision != head_revision():
        raise StoreError(
            f"{source.name} is at schema revision {revision}, this kith at {head_revision()}:"
            " restore it with the kith that made it, or move through a JSON backup"
        )
    uri, env = _libpq(engine.url)
    with tempfile.TemporaryDirectory(prefix="kith-restore-") as folder:
        order = Path(folder) / "order.list"
        order.write_text(_data_in_key_order(source), encoding="utf-8")
        script = Path(folder) / "data.sql"
        _run([_tool("pg_restore"), "--data-only", "--no-owner", "--no-privileges",
              f"--use-list={order}", f"--file={script}", str(source)],
             dict(os.environ), "pg_restore")  # fmt: skip
        empty_first = "DELETE FROM accounts; DELETE FROM alembic_version"
        _run([_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
              "--set=ON_ERROR_STOP=1", f"--command={empty_first}", "--file", str(script),
              "--dbname", uri], env, "psql")  # fmt: skip


LOG_SEQUENCE = f"{person_changes.name}_id_seq"


def _log_table(line: str) -> bool:
    # The log and its horizon: this database keeps its own lineage (store/change_log_trim).
    return any(f" {table.name} " in line for table in (person_changes, person_changes_horizon))


def _data_in_key_order(source: Path) -> str:
    """The archive's table data items, a table after those its foreign keys point at.

    The schema is already there with its foreign keys (unlike a full restore, which adds
    them after the data), so people must come before interactions, intros before exchanges.
    """
    listing = _run([_tool("pg_restore"), "--list", str(source)], dict(os.environ), "pg_restore")
    rank = {table.name: number for number, table in enumerate(metadata.sorted_tables)}
    data: list[tuple[int, str]] = []
    sequences: list[str] = []
    for line in listing.splitlines():
        if line.startswith(";"):
            continue
        if f"{LOG_SEQUENCE} " in line or _log_table(line):
            continue  # the other database's change log: the restore's own writes log anew
        if " TABLE DATA " in line:
            name = line.split(" TABLE DATA ", 1)[1].split()[1]
            data.append((rank.get(name, -1), line))
        elif " SEQUENCE SET " in line:
            sequences.append(line)
    return "\n".join([line for _, line in sorted(data, key=lambda item: item[0])] + sequences)
