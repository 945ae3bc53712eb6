"""An import whose COPYs run behind it (store/copy_behind.py) writes and reports exactly what
one waiting for each COPY does, and a COPY's failure still fails the whole import."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import given
from sqlalchemy import Connection, text

from kith.app import importing
from kith.app.garden import Garden
from kith.store import bulk, copy_behind, db
from tests.integration.test_import_fast_paths import (
    FAST,
    Gardens,
    assert_same_imports,
    linkedin,
    rows,
    stored,
)


def _waiting(conn: object) -> contextlib.AbstractContextManager[None]:
    del conn
    return contextlib.nullcontext()  # every COPY waited for where it is asked for


def _gardens(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    monkeypatch.setattr(importing, "BATCH", 3)  # look-ups of a batch follow COPYs of the last
    made = Gardens(url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


@pytest.fixture
def gardens(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    yield from _gardens(database_url, monkeypatch)


@pytest.fixture
def pg_gardens(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    yield from _gardens(postgres_url, monkeypatch)


@FAST
@given(first=rows, second=rows)
def test_an_import_copying_behind_writes_and_reports_as_one_waiting_for_each_copy(
    gardens: Gardens,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
) -> None:
    def waiting(patched: pytest.MonkeyPatch) -> None:
        patched.setattr(copy_behind, "behind", _waiting)

    assert_same_imports(gardens, tmp_path, (first, second), monkeypatch, waiting)


def _failing(after: int) -> Callable[..., bool]:
    """`copy_behind.submit` whose COPYs after the first `after` fail."""
    real = copy_behind.submit
    count = 0

    def submit(conn: Connection, copy: Callable[[], None]) -> bool:
        nonlocal count
        count += 1
        if count <= after:
            return real(conn, copy)

        def fail() -> None:
            raise RuntimeError("the COPY failed")

        return real(conn, fail)

    return submit


@pytest.mark.postgres
@pytest.mark.parametrize("after", [0, 1, 4])  # the first COPY, its batch's next, a later batch's
def test_a_copy_failing_behind_fails_the_import_and_writes_nothing(
    pg_gardens: Gardens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    garden = pg_gardens.fresh()
    lines: list[tuple[str, ...]] = [
        ("Ana", f"Ruiz{n}", "", f"a{n}@example.com", "", "", "") for n in range(7)
    ]
    path = linkedin(tmp_path / "people.csv", lines)
    monkeypatch.setattr(copy_behind, "submit", _failing(after))
    with pytest.raises(RuntimeError, match="the COPY failed"):
        importing.import_file(garden, "linkedin", path)
    assert stored(garden) == []


@pytest.mark.postgres
def test_a_database_error_behind_is_raised_as_when_waiting(
    pg_gardens: Gardens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    garden: Garden = pg_gardens.fresh()
    lines: list[tuple[str, ...]] = [("Ana", f"Ruiz{n}", "", "", "", "", "") for n in range(7)]
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "one.csv", lines))
    # ids already taken: the COPY of people breaks the primary key, behind or not
    taken = "SELECT array_agg(id) FROM (SELECT id FROM people ORDER BY id LIMIT %(n)s) AS taken"
    monkeypatch.setattr(bulk, "_PG_TAKE_IDS", taken)
    again = linkedin(
        tmp_path / "two.csv", [("Bo", f"Kim{n}", "", "", "", "", "") for n in range(2)]
    )
    raised = []
    for mode in (copy_behind.behind, _waiting):
        with monkeypatch.context() as patched:
            patched.setattr(copy_behind, "behind", mode)
            with pytest.raises(psycopg.errors.UniqueViolation) as error:
                importing.import_file(garden, "linkedin", again)
        raised.append(type(error.value))
    assert raised[0] is raised[1]
    assert len(stored(garden)) == 7


def _scratch(postgres_url: str) -> Iterator[Connection]:
    engine = db.create(postgres_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (a int PRIMARY KEY)")
            conn.commit()
            yield conn
    finally:
        engine.dispose()


@pytest.fixture
def scratch(postgres_url: str) -> Iterator[Connection]:
    yield from _scratch(postgres_url)


class _Slow(list[tuple[int]]):
    """Rows a COPY reads slowly: it is still running when the caller is interrupted."""

    def __iter__(self) -> Iterator[tuple[int]]:
        for row in super().__iter__():
            time.sleep(0.01)
            yield row


@pytest.mark.postgres
def test_ctrl_c_while_a_copy_runs_behind_is_a_keyboard_interrupt_and_stops_the_copy(
    scratch: Connection, ctrl_c_in: Callable[[float], None]
) -> None:
    def interrupted_import() -> None:
        with scratch.begin(), copy_behind.behind(scratch):
            bulk._copy(scratch, "COPY scratch (a) FROM STDIN", _Slow((i,) for i in range(300)))
            ctrl_c_in(0.3)
            scratch.execute(text("SELECT 1"))  # waits for the COPY: interrupted there

    with pytest.raises(KeyboardInterrupt):
        interrupted_import()
    assert not [t for t in threading.enumerate() if t.name.startswith("kith-copy")]


@pytest.mark.postgres
def test_a_copy_failure_caught_by_the_caller_still_fails_the_block(scratch: Connection) -> None:
    def going_on_past_it() -> None:
        with scratch.begin(), copy_behind.behind(scratch):
            bulk._copy(scratch, "COPY scratch (a) FROM STDIN", [(10,)])
            bulk._copy(scratch, "COPY scratch (a) FROM STDIN", [(1,), (1,)])
            with contextlib.suppress(copy_behind.CopyFailed):  # a caller that goes on
                scratch.execute(text("SELECT 1"))

    with pytest.raises(psycopg.errors.UniqueViolation):
        going_on_past_it()
    assert scratch.execute(text("SELECT count(*) FROM scratch")).scalar_one() == 0
