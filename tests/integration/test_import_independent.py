"""A file into an empty garden: records that meet nobody skip the dedup index (issue 11).

vCard files drawn from small pools (shared UIDs, emails, phones and profile URLs, namesakes,
close names at one company, name-only cards, repeated cards, unreadable cards) are imported
into a fresh account twice: read ahead and gated (`dedup_gate`), and record by record as
before (`AHEAD` 0). Batches of three, so records meet across batches. The reports and the
people stored (their order, every column, emails, phones and links) are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kith.app import importing
from kith.app.errors import KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportView
from kith.io.records import FormatError, RecordError
from kith.store.tables import people, person_emails, person_links, person_phones
from tests.integration.test_import_fast_paths import Gardens


def line(tag: str, values: list[str]) -> list[str]:
    return [f"{tag}:{value}" for value in values]


cards = st.builds(
    lambda name, company, uid, emails, phones, urls: "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            *line("FN", [name] if name else []),
            *line("ORG", [company] if company else []),
            *line("UID", [uid] if uid else []),
            *line("EMAIL", emails),
            *line("TEL", phones),
            *line("URL", urls),
            "END:VCARD",
        ]
    ),
    st.sampled_from(
        ["Jon Smith", "John Smith", "Joan Smith", "Ana Ruíz", "Ana Ruiz", "Dan Lee", ""]
    ),
    st.sampled_from(["", "Acme", "ACME", "Initech"]),
    st.sampled_from(["", "u1", "u2"]),
    st.lists(st.sampled_from(["a@x.org", "b@x.org", "bad"]), max_size=2),
    st.lists(st.sampled_from(["+44 20 7946 0958", "020 7946 0959"]), max_size=1),
    st.lists(
        st.sampled_from(["https://linkedin.com/in/a", "https://www.linkedin.com/in/b/"]),
        max_size=1,
    ),
)
files = st.lists(cards, min_size=1, max_size=12)
FILES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def accounts(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    """A fresh account of one garden for each import, on SQLite and on PostgreSQL."""
    monkeypatch.setattr(importing, "BATCH", 3)
    made = Gardens(database_url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


def by_person(rows: Iterable[Any]) -> dict[int, list[str]]:
    """Each person's values, in the order they were stored."""
    values: dict[int, list[str]] = {}
    for person, value in rows:
        values.setdefault(person, []).append(value)
    return values


def stored(garden: Garden) -> list[tuple[object, ...]]:
    """The account's people in id order: ids counted from the first, every other column."""
    with garden.engine.connect() as conn:
        found = conn.execute(
            select(people).where(people.c.account_id == garden.account_id).order_by(people.c.id)
        ).all()
        first = found[0].id if found else 0
        lists = [
            by_person(conn.execute(select(table.c.person_id, column).order_by(table.c.id)))
            for table, column in (
                (person_emails, person_emails.c.email),
                (person_phones, person_phones.c.phone),
                (person_links, person_links.c.url),
            )
        ]
    return [
        (
            row.id - first,
            *(value for name, value in row._mapping.items() if name not in ("id", "account_id")),
            *(kind.get(row.id, []) for kind in lists),
        )
        for row in found
    ]


def imported(accounts: Gardens, path: Path) -> tuple[ImportView, list[tuple[object, ...]]]:
    garden = accounts.fresh()
    report = importing.import_file(garden, "vcard", path)
    return ImportView.of(report), stored(garden)


@FILES
@given(file=files)
def test_records_that_meet_nobody_are_added_as_the_full_judgement_adds_them(
    accounts: Gardens, tmp_path: Path, file: list[str]
) -> None:
    path = tmp_path / "cards.vcf"
    path.write_text("\r\n".join(file) + "\r\n", encoding="utf-8")
    gated = imported(accounts, path)
    with mock.patch.object(importing, "AHEAD", 0):
        full = imported(accounts, path)
    assert gated == full


def test_a_file_longer_than_the_read_ahead_is_judged_record_by_record(
    accounts: Gardens, tmp_path: Path
) -> None:
    path = tmp_path / "cards.vcf"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{}\r\nEND:VCARD\r\n"
    path.write_text("".join(card.format(n) for n in ["Ana", "Bo", "Ana"]), encoding="utf-8")
    with mock.patch.object(importing, "AHEAD", 2):
        view, people_stored = imported(accounts, path)
    assert (view.added, view.merged + view.skipped, len(people_stored)) == (2, 1, 2)


def failing(_kind: str, _path: Path) -> Iterator[importing.Entry]:
    """A batch of bad records, then a file found unreadable part-way through."""
    for line in range(1, importing.BATCH + 1):
        yield RecordError(line, "name", "card has no name")
    raise FormatError("cards.vcf: not UTF-8 after line 2")


@pytest.mark.parametrize("strict", [True, False])
def test_reading_ahead_raises_what_the_stream_raised_where_it_raised_it(
    accounts: Gardens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    monkeypatch.setattr(importing, "_entries", failing)
    path = tmp_path / "cards.vcf"
    raised = []
    for ahead in (importing.AHEAD, 0):
        with mock.patch.object(importing, "AHEAD", ahead), pytest.raises(KithError) as error:
            importing.import_file(accounts.fresh(), "vcard", path, strict=strict)
        raised.append(str(error.value))
    assert raised[0] == raised[1]
    assert ("strict import" in raised[0]) is strict
