"""What an import writes (issue 11): the people it adds get the ids it took from the
database, and the change log names exactly the people whose rows it added or changed, so
the dashboard's kept judgement never goes stale after an import (store/garden_changes.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from kith.app import importing
from kith.app.garden import Garden
from kith.core.model import PersonDraft
from kith.store import bulk, garden_changes
from kith.store.tables import people
from tests.conftest import TODAY
from tests.integration.test_import_fast_paths import linkedin, rows

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _rows(conn: Connection, account_id: int) -> dict[int, tuple[Any, ...]]:
    """The account's people rows, every column, by id."""
    found = conn.execute(select(people).where(people.c.account_id == account_id))
    return {row.id: tuple(row) for row in found}


def _logged(garden: Garden, path: Path, *, dry_run: bool = False) -> tuple[list[int], list[int]]:
    """Whom the change log names after importing `path`, and whose people rows it added or
    changed."""
    account = garden.account_id
    with garden.engine.connect() as conn:
        since = garden_changes.position(conn)
        before = _rows(conn, account)
    importing.import_file(garden, "linkedin", path, dry_run=dry_run)
    with garden.engine.connect() as conn:
        now = garden_changes.position(conn)
        assert since is not None and now is not None
        named = garden_changes.changed_since(conn, account, since, now)
        after = _rows(conn, account)
    assert named is not None
    return list(named), sorted(i for i, row in after.items() if before.get(i) != row)


@FAST
@given(first=rows, second=rows)
def test_the_change_log_after_imports_names_the_people_they_added_or_changed(
    garden: Garden,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
) -> None:
    monkeypatch.setattr(importing, "BATCH", 3)  # records meet across batches
    for n, lines in enumerate((first, second)):  # a fresh import, then one merging
        path = linkedin(tmp_path / f"{n}.csv", lines)
        dry, nothing = _logged(garden, path, dry_run=True)
        assert dry == nothing == []
        named, changed = _logged(garden, path)
        assert named == changed


@FAST
@given(count=st.integers(1, 40), step=st.sampled_from([1, 3]))
def test_people_inserted_get_the_ids_taken_in_order(garden: Garden, count: int, step: int) -> None:
    names = [f"Person {n}" for n in range(count)]
    with garden.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:  # ids taken need not follow on from each other
            conn.exec_driver_sql(f"ALTER SEQUENCE people_id_seq INCREMENT BY {step}")
        drafts = [PersonDraft(name) for name in names]
        ids = bulk.insert_people(conn, garden.account_id, drafts, "test", TODAY)
        stored = conn.execute(
            select(people.c.id, people.c.name).where(people.c.id.in_(ids)).order_by(people.c.id)
        ).all()
        currval = "SELECT currval('people_id_seq')"
        last = conn.exec_driver_sql(currval).scalar() if postgres else None
    assert [tuple(row) for row in stored] == list(zip(ids, names, strict=True))
    expected_step = step if postgres else 1
    assert ids == list(range(ids[0], ids[0] + expected_step * count, expected_step))
    if postgres:
        assert ids[-1] == last  # the last value the sequence handed out
