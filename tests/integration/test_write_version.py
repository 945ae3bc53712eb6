"""`writes_version` on PostgreSQL: every commit moves it, in any order; reads do not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from kith.store.write_version import writes_version

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[sa.Engine]:
    made = sa.create_engine(postgres_url)
    with made.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (n integer)"))
    yield made
    made.dispose()


def _write(conn: sa.Connection, n: int) -> None:
    conn.execute(sa.text("INSERT INTO notes VALUES (:n)"), {"n": n})


def test_a_commit_moves_the_version(engine: sa.Engine) -> None:
    before = writes_version(engine)
    with engine.begin() as conn:
        _write(conn, 1)
    assert writes_version(engine) != before


def test_a_commit_that_began_before_a_later_one_still_moves_it(engine: sa.Engine) -> None:
    # Commit order is not xid order: the first writer commits after the second, and after
    # a version was read between the two commits. Its commit must still move the version.
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        _write(first, 1)  # takes the older xid
        second.begin()
        _write(second, 2)
        second.commit()
        between = writes_version(engine)
        first.commit()
    assert writes_version(engine) != between


def test_an_open_write_does_not_count_until_it_commits(engine: sa.Engine) -> None:
    with engine.connect() as writer:
        writer.begin()
        _write(writer, 1)
        while_open = writes_version(engine)
        writer.rollback()
    with engine.begin() as conn:
        _write(conn, 2)
    assert writes_version(engine) != while_open


def test_reading_fresh_rows_does_not_move_it(engine: sa.Engine) -> None:
    # The first read of freshly written rows sets hint bits and may prune, both logged in
    # the write-ahead log (what `db.version` reads); the snapshot stays. Other work on a shared
    # server can move it too, so the version has to hold in one of a few tries.
    held = False
    for attempt in range(5):
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO notes SELECT generate_series(1, 2000)"))
            conn.execute(sa.text("UPDATE notes SET n = n + :a"), {"a": attempt})
        before = writes_version(engine)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT count(*), sum(n) FROM notes")).one()
        if writes_version(engine) == before:
            held = True
            break
    assert held
