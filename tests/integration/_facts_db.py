"""Database engines for the Facts SQL tests, until the shared fixtures in tests/conftest.py.

`sqlite_engine` makes a file database in a temporary directory; `postgres_engine` makes a
fresh schema in the test PostgreSQL server and drops it afterwards. Without a reachable
server, PostgreSQL tests skip, unless CI=true, where a missing server is a failure. The
`engine` fixture gives a module one of each (the property tests of facts and judgement).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from kith.store.tables import metadata

POSTGRES_URL = os.environ.get(
    "KITH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def sqlite_engine(directory: Path) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"sqlite:///{directory / 'kith.db'}")
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_engine() -> Iterator[sa.Engine]:
    schema = f"kith_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable at {POSTGRES_URL}: {error}")
        pytest.skip(f"PostgreSQL is unreachable at {POSTGRES_URL}")
    engine = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sa.Engine]:
    """A fresh garden schema on each database, shared by one module's property tests."""
    if request.param == "sqlite":
        with sqlite_engine(Path(tmp_path_factory.mktemp("garden"))) as made:
            yield made
    else:
        with postgres_engine() as made:
            yield made
