"""Shared fixtures: a fresh garden on SQLite and on PostgreSQL, and a CLI runner."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from kith.app.garden import Garden, open_garden
from kith.cli.main import app
from kith.settings import Settings
from kith.store import db, kept_facts
from kith.store.tables import facts_rules
from tests.citus.fixtures import (  # noqa: F401 - fixtures, found by pytest by name
    citus_cluster,
    citus_garden_url,
    citus_schema_url,
    citus_url,
)

TODAY = date(2026, 11, 27)

# CI replays the same examples every run (a red CI must mean a change broke something);
# locally hypothesis explores new examples each run and finds new bugs.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
POSTGRES_ADMIN_URL = os.environ.get(
    "KITH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
# Every `kith` a test spawns inherits this: none starts a resident process that outlives it
# (tests/e2e/test_cli_resident.py sets its own). The in-process CliRunner never starts one.
os.environ["KITH_RESIDENT"] = "off"


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the corpus is always beside the project: its absence must not pass as skips."""
    del session
    if os.environ.get("CI") == "true" and not CORPUS.is_dir():
        raise pytest.UsageError(f"CI=true but the shared corpus is missing at {CORPUS}")


def _postgres_unavailable_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "not available"
        return str(exc).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    reason = _postgres_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
        pytest.skip(f"PostgreSQL not reachable: {reason}")
    return POSTGRES_ADMIN_URL


def unmigrated(request: pytest.FixtureRequest) -> bool:
    """Whether the test runs the migrations itself (`@pytest.mark.unmigrated`)."""
    return request.node.get_closest_marker("unmigrated") is not None


# Migrating a fresh garden costs ~0.5 s on SQLite and ~0.8 s on PostgreSQL here, and almost
# every test opens one: the database fixtures hand out copies of one garden migrated once a
# session. On SQLite the copy is the migrated file, byte for byte; on PostgreSQL it is the
# migrated schema as pg_dump writes it, replayed into the test's own schema (~0.15 s; a
# CREATE DATABASE ... TEMPLATE and its drop measured ~0.5 s). Tests that run the migrations
# themselves (the ladder, `migrate() is True`) say `@pytest.mark.unmigrated` and get an empty
# place, as every test did before.


@dataclass(frozen=True)
class PostgresTemplate:
    """One migrated garden's schema (tables, keys, indexes, sequences and its one row,
    alembic_version's) as SQL that makes it again under another schema's name."""

    schema: str
    sql: str

    def into(self, schema: str) -> str:
        return self.sql.replace(self.schema, schema)  # a unique name: found only as itself


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> PostgresTemplate | None:
    """None without pg_dump: each schema is then migrated, as before."""
    if shutil.which("pg_dump") is None:
        return None
    schema = f"kith_template_{uuid.uuid4().hex[:12]}"
    _execute(postgres_admin_url, f'CREATE SCHEMA "{schema}"')
    try:
        _migrate(_in_schema(postgres_admin_url, schema))
        libpq = make_url(postgres_admin_url).set(drivername="postgresql")
        dump = [
            *("pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--inserts"),
            *("--dbname", libpq.render_as_string(hide_password=False)),
        ]
        dumped = subprocess.run(dump, capture_output=True, text=True, check=True).stdout
    finally:
        _execute(postgres_admin_url, f'DROP SCHEMA "{schema}" CASCADE')
    # pg_dump's psql meta-commands (\restrict, \unrestrict) are not SQL.
    sql = "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))
    return PostgresTemplate(schema, sql)


def _in_schema(url: str, schema: str) -> str:
    return f"{url}?options=-csearch_path%3D{schema}"


def _execute(url: str, statements: str) -> None:
    """SQL (one statement or a script, atomic) on a connection of its own, closed after."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(statements)


def _migrate(url: str) -> None:
    engine = db.create(url)
    try:
        assert db.migrate(engine)
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, postgres_admin_url: str) -> Iterator[str]:
    """A URL whose search_path is a schema of its own (migrated unless `unmigrated`), dropped
    afterwards."""
    template = None if unmigrated(request) else request.getfixturevalue("postgres_template")
    with postgres_schema(postgres_admin_url, template, migrated=not unmigrated(request)) as url:
        yield url
        assert_no_drift(url)


@contextmanager
def postgres_schema(
    admin_url: str, template: PostgresTemplate | None, *, migrated: bool
) -> Iterator[str]:
    """A schema of its own in the admin URL's database: the template's, or empty (and then
    migrated if asked: no pg_dump)."""
    schema = f"kith_test_{uuid.uuid4().hex[:12]}"
    _execute(admin_url, template.into(schema) if template else f'CREATE SCHEMA "{schema}"')
    try:
        url = _in_schema(admin_url, schema)
        if migrated and template is None:
            _migrate(url)
        yield url
    finally:
        _execute(admin_url, f'DROP SCHEMA "{schema}" CASCADE')


@dataclass(frozen=True)
class SqliteTemplate:
    """One migrated SQLite garden, and its bytes' digest: a test that wrote into it (tests run
    as root here, so no file mode keeps them out) stops the next copy instead of leaking."""

    path: Path
    digest: str

    def copy_to(self, target: Path) -> None:
        content = self.path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == self.digest, f"{self.path} was changed"
        target.write_bytes(content)


def make_sqlite_template(path: Path) -> SqliteTemplate:
    engine = db.create(f"sqlite:///{path}")
    try:
        assert db.migrate(engine)
    finally:
        engine.dispose()  # the last connection's close checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists(), "the template is more than its one file"
    return SqliteTemplate(path, hashlib.sha256(path.read_bytes()).hexdigest())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return make_sqlite_template(tmp_path_factory.mktemp("template") / "kith.db")


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLite file of the test's own: a copy of the migrated template unless `unmigrated`."""
    path = tmp_path / "kith.db"
    if not unmigrated(request):
        request.getfixturevalue("sqlite_template").copy_to(path)
    url = f"sqlite:///{path}"
    yield url
    assert_no_drift(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs twice: on SQLite and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(
    params=[
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("citus", marks=pytest.mark.citus),
    ]
)
def community_db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The community's database (issue 14): each test using it runs twice, on PostgreSQL and
    on a Citus coordinator (migrated and distributed: `kith db distribute`, docs/scale.md).

    Every community test takes it (not `postgres_url`), so that the group runs on Citus too.
    """
    fixture = "postgres_url" if request.param == "postgresql" else "citus_garden_url"
    url = str(request.getfixturevalue(fixture))
    yield url
    if request.param == "citus":  # postgres_url checks its own
        assert_no_drift(url)


def assert_no_drift(url: str) -> None:
    """After a story: every garden's kept facts agree with its history (kith doctor).

    The database fixtures run it when each test ends, so every story in the suite (unit
    stories on a garden, the CLI, the web, the community) is checked, not a chosen few.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("facts_rules"):
                return  # the story never opened a garden here
            accounts = conn.execute(select(facts_rules.c.account_id)).scalars().all()
            drifted = {a: kept_facts.drift(conn, a) for a in accounts}
    finally:
        engine.dispose()
    assert not any(drifted.values()), f"kept facts out of step with the history: {drifted}"


@pytest.fixture
def garden(database_url: str) -> Iterator[Garden]:
    opened = open_garden(Settings(database_url=database_url), TODAY)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def sqlite_garden(sqlite_url: str) -> Iterator[Garden]:
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    yield opened
    opened.engine.dispose()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Kith:
    """Runs kith commands in-process against one database, as a user would type them."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.env = {
            "KITH_DATABASE_URL": url,
            "KITH_TODAY": TODAY.isoformat(),
            "KITH_CONFIG": str(tmp_path / "no-config.toml"),
            "KITH_BACKUP_DIR": str(tmp_path / "backups"),  # never the user's own folder
            "COLUMNS": "200",
        }
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        result = self.runner.invoke(app, list(args), env={**self.env, **(env or {})})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, f"kith {' '.join(args)} failed: {result.stderr}"
        return result


@pytest.fixture
def kith(database_url: str, tmp_path: Path) -> Kith:
    return Kith(database_url, tmp_path)


@pytest.fixture
def kith_sqlite(sqlite_url: str, tmp_path: Path) -> Kith:
    return Kith(sqlite_url, tmp_path)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it is outside this workplace)")
    return CORPUS


@pytest.fixture
def ctrl_c_in() -> Iterator[Callable[[float], None]]:
    """Arms a Ctrl-C (KeyboardInterrupt in the main thread) that many seconds from now;
    disarmed, and SIGALRM's handler put back, when the test ends."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def arm(seconds: float) -> None:
        signal.setitimer(signal.ITIMER_REAL, seconds)

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        yield arm
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
