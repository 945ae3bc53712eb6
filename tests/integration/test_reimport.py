"""A re-import skips the records that add nothing without reading people back (issue 11).

While the import holds the account's snapshot, `reimport.drop_unchanged` takes out of each
batch's merges the people none of whose records adds anything. The full path reads those
people back and merges each record to find the same. On PostgreSQL the snapshot is taken
at the first batch (`dedup_index.snapshot_share`). Here the paths run side by side, on
SQLite and on PostgreSQL, over LinkedIn files drawn from small pools (batches of three)
into an empty garden and into one whose people have what LinkedIn never brings (phones,
notes, tags, birthdays, UIDs): the reports and everything stored are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from kith.app import importing, reimport
from kith.app.garden import Garden
from kith.app.import_report import ImportView
from kith.store.tables import people, person_emails, person_links, person_phones, tags
from tests.integration.test_import_fast_paths import FAST, Gardens, linkedin, rows
from tests.integration.test_import_snapshot import populate


@pytest.fixture
def accounts(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    """A fresh account of one garden per run; batches of three; the snapshot taken after
    the first batch that writes nothing, whatever the garden's size."""
    monkeypatch.setattr(importing, "BATCH", 3)
    monkeypatch.setattr(importing, "SNAPSHOT_SHARE", 10**6)
    made = Gardens(database_url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


def everything(garden: Garden) -> list[Any]:
    """The account's people (every column but the ids) and their emails, phones, links and
    tags, each as (the person's place, the row's other columns), in the order stored."""
    with garden.engine.connect() as conn:
        query = select(people).where(people.c.account_id == garden.account_id)
        found = conn.execute(query.order_by(people.c.id)).all()
        place = {row.id: n for n, row in enumerate(found)}
        kept: list[Any] = [_without(row, "id", "account_id") for row in found]
        for table in (person_emails, person_phones, person_links, tags):
            rows = conn.execute(select(table).order_by(table.c.id)).all()
            kept.append(
                [
                    (place[row.person_id], _without(row, "id", "account_id", "person_id"))
                    for row in rows
                    if row.person_id in place
                ]
            )
    return kept


def _without(row: Any, *names: str) -> tuple[Any, ...]:
    return tuple(value for name, value in row._mapping.items() if name not in names)


def imports(
    accounts: Gardens, tmp_path: Path, files: list[list[tuple[str, ...]]], populated: bool
) -> tuple[list[Any], list[ImportView]]:
    garden = accounts.fresh()
    if populated:
        populate(garden)
    views = []
    for n, lines in enumerate(files):
        report = importing.import_file(garden, "linkedin", linkedin(tmp_path / f"{n}.csv", lines))
        views.append(ImportView.of(report))
    return everything(garden), views


@pytest.mark.parametrize("without", ["skip", "skip and snapshot"])
@FAST
@given(first=rows, more=rows, populated=st.booleans())
def test_a_re_import_skipping_what_adds_nothing_judges_as_the_full_path(
    accounts: Gardens,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    without: str,
    *,
    first: list[tuple[str, ...]],
    more: list[tuple[str, ...]],
    populated: bool,
) -> None:
    """A file, itself again, with more rows after, and the new rows first; against the
    path without the skip, and without the skip nor the snapshot (every batch queried)."""
    files = [first, first, first + more, more + first]
    fast = imports(accounts, tmp_path, files, populated)
    with monkeypatch.context() as patched:
        patched.setattr(reimport, "drop_unchanged", lambda *_: 0)
        if without == "skip and snapshot":
            patched.setattr(importing, "SNAPSHOT_SHARE", 0)  # never taken
        full = imports(accounts, tmp_path, files, populated)
    assert fast[1] == full[1]
    assert fast[0] == full[0]


@pytest.mark.parametrize("profiles_first", [True, False])
def test_a_re_import_reads_back_nobody_once_the_snapshot_is_taken(
    accounts: Gardens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profiles_first: bool
) -> None:
    """Not vacuous: re-importing ten people, all are taken out when the snapshot is taken
    at the first batch: on PostgreSQL always, on SQLite when the first batch's records have
    stored profile URLs (a re-import, `dedup_index.snapshot_share`). When the first three
    have none (found by name), SQLite takes it after that batch: the seven after it."""
    lines: list[tuple[str, ...]] = [
        (f"Ana{n}", "Ruiz", f"https://www.linkedin.com/in/ana{n}", "", "Acme", "CTO", "")
        for n in range(10)
    ]
    if not profiles_first:
        lines[:3] = [(f"Bo{n}", "Li", "", "", "", "", "") for n in range(3)]
    dropped: list[int] = []
    drop = reimport.drop_unchanged

    def counted(*args: Any) -> int:
        dropped.append(drop(*args))
        return dropped[-1]

    monkeypatch.setattr(reimport, "drop_unchanged", counted)
    _, views = imports(accounts, tmp_path, [lines, lines], populated=False)
    assert (views[1].added, views[1].merged, views[1].skipped) == (0, 0, 10)
    at_first = profiles_first or accounts.url.startswith("postgresql")
    assert sum(dropped) == (10 if at_first else 7)
