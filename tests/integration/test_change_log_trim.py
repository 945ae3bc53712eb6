"""Trimming the change log keeps every reader exact; a file restored under a reader is seen.

`store/change_log_trim.py` deletes the log's oldest rows and records a horizon; a reader whose
position is behind it, or of another history (`lineage`), must judge the whole garden
(`garden_changes.changed_since` says None). Whatever the order of writes, positions and trims,
every kept judgement must equal the one judged from scratch. SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from kith.app import dashboard
from kith.app.dashboard import KeptJudgements
from kith.app.garden import Garden, open_garden
from kith.settings import Settings
from kith.store import change_log_trim, copies, garden_changes
from kith.web.pages_garden import FEED_LIMIT
from tests.conftest import TODAY
from tests.integration.test_dashboard_after_write import (
    WRITES,
    Write,
    _attempt,
    _log,
    _planted,
    _prune,
)

_PLANTED: set[str] = set()  # gardens (one per test run) already given their people
READERS = 3  # web servers that looked at different moments


def _trim(garden: Garden, trim_at: int, keep: int) -> bool:
    with garden.transaction() as conn:
        return change_log_trim.trim_if_due(conn, trim_at=trim_at, keep=keep)


def _exact(garden: Garden, kept: KeptJudgements) -> None:
    assert dashboard.figures(garden, FEED_LIMIT, kept) == dashboard.figures_reference(
        garden, FEED_LIMIT
    )


Step = Callable[[Garden, list[KeptJudgements]], None]


def _writing(write: Write) -> Step:
    return lambda garden, _: _attempt(write, garden)


def _trimming(keep: int, more: int) -> Step:
    def step(garden: Garden, _: list[KeptJudgements]) -> None:
        _trim(garden, trim_at=keep + more, keep=keep)

    return step


def _looking(reader: int) -> Step:
    return lambda garden, readers: _exact(garden, readers[reader])


STEPS = st.lists(
    st.one_of(
        WRITES.map(_writing),
        st.builds(_trimming, st.integers(min_value=1, max_value=4), st.integers(0, 3)),
        st.builds(_looking, st.integers(min_value=0, max_value=READERS - 1)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_kept_judgements_stay_exact_whatever_is_trimmed_when(
    garden: Garden, steps: list[Step]
) -> None:
    # The garden carries over from one example to the next: a longer walk, a longer log.
    if garden.url not in _PLANTED:
        _planted(garden)
        _PLANTED.add(garden.url)
    readers = [KeptJudgements() for _ in range(READERS)]
    for reader in readers:  # each has seen the garden once, then looks at its own moments
        dashboard.figures(garden, FEED_LIMIT, reader)
    for step in steps:
        step(garden, readers)
    for reader in readers:
        _exact(garden, reader)


def _person(garden: Garden, number: int) -> int:
    with garden.reading() as conn:
        ids = conn.execute(text("SELECT id FROM people ORDER BY id")).scalars().all()
    return int(ids[number - 1])


def test_a_position_behind_the_horizon_is_told_to_read_everything(garden: Garden) -> None:
    _planted(garden)
    with garden.reading() as conn:
        behind = garden_changes.position(conn)
    _log(1, "call", 0, "me")(garden)
    _log(3, "call", 0, "me")(garden)
    assert _trim(garden, trim_at=1, keep=1)  # keeps the newest row only: #1's are gone
    with garden.reading() as conn:
        ahead = garden_changes.position(conn)
    _log(2, "call", 0, "me")(garden)
    with garden.reading() as conn:
        now = garden_changes.position(conn)
        assert behind is not None and ahead is not None and now is not None
        told = garden_changes.changed_since(conn, garden.account_id, behind, now)
        changed = garden_changes.changed_since(conn, garden.account_id, ahead, now)
    assert changed == [_person(garden, 2)]
    if garden.engine.dialect.name == "sqlite":
        assert told is None
    else:  # a transaction open elsewhere on the server holds the horizon back (its xmin)
        assert told is None or {_person(garden, n) for n in (1, 2, 3)} <= set(told)


def test_a_log_short_of_the_threshold_is_left_alone(garden: Garden) -> None:
    _planted(garden)
    with garden.reading() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM person_changes")).scalar_one()
    assert rows > 2
    assert not _trim(garden, trim_at=10_000, keep=1)
    assert not _trim(garden, trim_at=1, keep=10_000)  # would keep more than there is
    assert _trim(garden, trim_at=1, keep=2)
    with garden.reading() as conn:
        left = conn.execute(text("SELECT COUNT(*) FROM person_changes")).scalar_one()
    assert 0 < left <= rows
    if garden.engine.dialect.name == "sqlite":  # PostgreSQL: unless a transaction elsewhere
        assert left < rows  # on the server holds every row back (its xmin)


def test_a_trim_keeps_the_rows_of_a_writer_still_open(postgres_url: str) -> None:
    # PostgreSQL: a writer that began before the trim commits after it; its rows carry an
    # xid the trim must not pass (the horizon stays at or below the oldest open transaction).
    garden = open_garden(Settings(database_url=postgres_url), TODAY)
    try:
        _planted(garden)
        kept = KeptJudgements()
        before = dashboard.figures(garden, FEED_LIMIT, kept)
        prune = text("UPDATE people SET state = 'pruned' WHERE id = :id")
        with garden.engine.connect() as older:
            open_write = older.begin()
            older.execute(prune, {"id": _person(garden, 1)})
            _log(2, "call", 0, "me")(garden)
            _log(3, "call", 0, "me")(garden)
            assert _trim(garden, trim_at=1, keep=1)
            _exact(garden, kept)  # the reader looks while the older writer is open
            open_write.commit()
        after = dashboard.figures(garden, FEED_LIMIT, kept)
        assert after == dashboard.figures_reference(garden, FEED_LIMIT)
        assert after.stats.by_stage != before.stats.by_stage  # the older write is in it
    finally:
        garden.engine.dispose()


def _restore_under(garden: Garden, source: Path) -> None:
    """`kith restore` of a SQLite copy, run by another process while `garden`'s server runs."""
    copies.sqlite_restore(source, copies.sqlite_path(garden.engine))


def test_a_file_restored_under_a_running_server_is_judged_whole(
    sqlite_url: str, tmp_path: Path
) -> None:
    # A backup of this very database: its log is a prefix of the server's, its lineage the
    # same until the restore renews it. Writes after the restore make the log longer than
    # the server's position, so "the log went back" alone would not catch it.
    garden = open_garden(Settings(database_url=sqlite_url), TODAY)
    try:
        _planted(garden)
        server = KeptJudgements()
        dashboard.figures(garden, FEED_LIMIT, server)
        backup = tmp_path / "backup.db"
        copies.sqlite_backup(garden.engine, backup)
        _prune(3)(garden)
        _exact(garden, server)  # the server has seen #3 pruned
        _restore_under(garden, backup)  # #3 is back
        for days in range(6):
            _log(1, "call", days, "me")(garden)
        _exact(garden, server)
    finally:
        garden.engine.dispose()


def test_a_file_of_another_garden_restored_under_a_server_is_judged_whole(
    sqlite_url: str, tmp_path: Path
) -> None:
    garden = open_garden(Settings(database_url=sqlite_url), TODAY)
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = open_garden(Settings(database_url=other_url), TODAY, create=True)
    try:
        _planted(garden)
        _planted(other)
        for days in range(10):  # a longer log than the garden's
            _log(4, "meal", days, "them")(other)
        server = KeptJudgements()
        dashboard.figures(garden, FEED_LIMIT, server)
        backup = tmp_path / "other-backup.db"
        copies.sqlite_backup(other.engine, backup)
        _restore_under(garden, backup)
        _exact(garden, server)
    finally:
        garden.engine.dispose()
        other.engine.dispose()


def _grow_log(garden: Garden, rows: int) -> None:
    # Rows as the triggers write them, a thousand a transaction (PostgreSQL: distinct xids).
    sqlite = garden.engine.dialect.name == "sqlite"
    fill = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
        " INSERT INTO person_changes (account_id, person_id) SELECT :account, 1 FROM n"
        if sqlite
        else "INSERT INTO person_changes (account_id, person_id, xid)"
        " SELECT :account, 1, pg_current_xact_id()::text::bigint FROM generate_series(1, 1000)"
    )
    for _ in range(rows // 1000):
        with garden.engine.begin() as conn:
            conn.execute(fill, {"account": garden.account_id})


def test_writes_trim_a_log_grown_past_the_threshold(garden: Garden) -> None:
    _grow_log(garden, change_log_trim.TRIM_AT + 2_000)
    for _ in range(200):  # one write in CHECK_ONE_IN looks: (7/8)^200 that none does
        with garden.transaction():
            pass
    with garden.reading() as conn:
        trimmed = conn.execute(text("SELECT trimmed_id FROM person_changes_horizon")).scalar_one()
        newest = conn.execute(text("SELECT MAX(id) FROM person_changes")).scalar_one()
    assert 0 < trimmed <= newest - change_log_trim.KEEP


def test_a_trim_keeps_the_newest_rows_when_ids_were_skipped(postgres_url: str) -> None:
    # A rolled-back write (a PostgreSQL dry-run import) moves the log's sequence on: the
    # newest rows are counted in rows, not ids.
    garden = open_garden(Settings(database_url=postgres_url), TODAY)
    try:
        _grow_log(garden, 1_000)
        with garden.engine.begin() as conn:
            conn.execute(text("SELECT setval('person_changes_id_seq', 1000000)"))
        with garden.engine.begin() as conn:  # no transaction is open elsewhere on our side
            trimmed = change_log_trim.trim_if_due(conn, trim_at=10, keep=100)
        with garden.reading() as conn:
            left = conn.execute(text("SELECT COUNT(*) FROM person_changes")).scalar_one()
        assert left >= 100
        assert trimmed or left == 1_000  # a transaction open elsewhere may hold it back
    finally:
        garden.engine.dispose()


def test_a_trim_that_fails_leaves_the_write_it_ran_in_whole(
    garden: Garden, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(conn: Connection, trim_at: int = 0, keep: int = 0) -> bool:
        conn.execute(text("SELECT * FROM no_such_table"))  # a lock timeout, say
        return True

    monkeypatch.setattr(change_log_trim, "trim_if_due", failing)
    monkeypatch.setattr(change_log_trim, "CHECK_ONE_IN", 1)
    _planted(garden)
    _log(1, "call", 0, "me")(garden)
    with garden.reading() as conn:
        logged = conn.execute(text("SELECT COUNT(*) FROM interactions")).scalar_one()
    assert logged == 7  # the six planted meetings and the call
