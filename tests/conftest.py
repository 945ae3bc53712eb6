"""Shared fixtures: a fresh garden on SQLite and on PostgreSQL, and a CLI runner."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
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
# session (copying costs milliseconds). The copy is what a migration produces, byte for byte
# on SQLite, by CREATE DATABASE ... TEMPLATE on PostgreSQL. Tests that run the migrations
# themselves (the ladder, `migrate() is True`) say `@pytest.mark.unmigrated` and get an empty
# place, as every test did before.
TEMPLATE_SCHEMA = "kith_template"


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """A database holding one migrated garden in TEMPLATE_SCHEMA; nobody may connect to it."""
    name = f"kith_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        _migrate_once(_in_database(postgres_admin_url, name), TEMPLATE_SCHEMA)
        with admin.connect() as conn:  # a test's connection would stop every copy
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _in_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _in_schema(url: str, schema: str) -> str:
    return f"{url}?options=-csearch_path%3D{schema}"


def _execute(url: str, statement: str) -> None:
    """One statement on a connection of its own, closed after (none left in a pool)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(statement))


def _migrate_once(url: str, schema: str) -> None:
    _execute(url, f'CREATE SCHEMA "{schema}"')
    engine = db.create(_in_schema(url, schema))
    try:
        assert db.migrate(engine)
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, postgres_admin_url: str) -> Iterator[str]:
    """A URL whose search_path is a schema of its own (migrated unless `unmigrated`), dropped
    afterwards: in a copy of the template database, or empty in database `test`."""
    if unmigrated(request):
        place = _empty_schema(postgres_admin_url)
    else:
        place = template_copy(postgres_admin_url, request.getfixturevalue("postgres_template"))
    with place as url:
        yield url
        assert_no_drift(url)


@contextmanager
def _empty_schema(admin_url: str) -> Iterator[str]:
    schema = f"kith_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _in_schema(admin_url, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def template_copy(admin_url: str, template: str) -> Iterator[str]:
    """A database copied from the template, its schema renamed to a name of its own (as
    before: a backup or a copy between two tests' gardens meets two different schemas)."""
    name = f"kith_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        url = _in_database(admin_url, name)
        _execute(url, f'ALTER SCHEMA "{TEMPLATE_SCHEMA}" RENAME TO "{name}"')
        yield _in_schema(url, name)
    finally:
        with admin.connect() as conn:  # FORCE: a connection the test left open ends here
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
