"""A three-node Citus cluster for the session: built once per machine, started once per run.

tests/conftest.py imports these fixtures, so that any test can ask for a database on the
coordinator: `citus_schema_url` (an empty schema) or `citus_garden_url` (migrated and
distributed, as `kith db distribute` leaves it; what `community_db_url` gives for "citus").

Without the vendored tarball or the build tools the citus tests skip; under CI=true (where
.ci/run installs the tools) a missing tool, a failed build or a failed start fails the run,
as the PostgreSQL fixture does.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from kith.store import db, distribution
from tests.citus import cluster


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Citus is required under CI=true: {reason}")
    pytest.skip(f"Citus not available: {reason}")


@pytest.fixture(scope="session")
def citus_cluster() -> Iterator[cluster.Cluster]:
    missing = cluster.missing_build_tools()
    if missing:
        _unavailable("; ".join(missing))
    try:
        cluster.ensure_installed()
        running = cluster.start_cluster()
    except cluster.CitusUnavailable as exc:
        _unavailable(str(exc))
        raise  # unreachable: _unavailable always raises (skip or fail)
    try:
        yield running
    finally:
        cluster.stop_cluster(running)


@pytest.fixture(scope="session")
def citus_url(citus_cluster: cluster.Cluster) -> str:
    """The coordinator's URL (database `postgres`, with the citus extension and two workers)."""
    return citus_cluster.coordinator.url()


@pytest.fixture
def citus_schema_url(citus_url: str) -> Iterator[str]:
    """A coordinator URL whose search_path is a schema of its own, dropped afterwards."""
    schema = f"kith_citus_{uuid.uuid4().hex[:12]}"
    admin = create_engine(citus_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{citus_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def citus_garden_url(citus_schema_url: str) -> str:
    """A schema on the coordinator with kith's tables migrated and distributed."""
    engine = db.create(citus_schema_url)
    try:
        db.migrate(engine)
        with db.writing(engine) as conn:
            distribution.distribute(conn)
    finally:
        engine.dispose()
    return citus_schema_url
