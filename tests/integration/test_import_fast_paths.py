"""The import's fast paths judge exactly as the full path does (issue 11).

Two shortcuts: an import into an empty garden asks the store nothing (the index already
holds everyone stored since), and a merge reads only the lists its records bring. For
LinkedIn files drawn from small pools of names, companies, profile URLs and emails (so
records meet each other and the garden's people, across batches of three), each runs
beside the full path in another account of the same SQLite garden: the reports and the
people stored are the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kith.app import importing
from kith.app.garden import Garden, open_garden
from kith.app.import_report import ImportView
from kith.core.model import PersonDraft
from kith.settings import Settings
from kith.store import bulk, dedup_index
from kith.store.tables import people, person_emails, person_links
from tests.conftest import TODAY

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
rows = st.lists(
    st.tuples(
        st.sampled_from(["Jon", "John", "Joan", "Ana", "Anna"]),
        st.sampled_from(["Smith", "Ruiz"]),
        st.sampled_from(["", "https://www.linkedin.com/in/a", "https://linkedin.com/in/b/"]),
        st.sampled_from(["", "", "jon@acme.com", "ana@acme.com", "bad-email"]),
        st.sampled_from(["", "Acme", "ACME", "Initech"]),
        st.sampled_from(["", "CTO"]),
        st.sampled_from(["", "09 Oct 2024", "01 Oct 2024", "32 Foo 2024"]),
    ),
    max_size=12,
)
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def linkedin(path: Path, lines: list[tuple[str, ...]]) -> Path:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(lines)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def stored(garden: Garden) -> list[tuple[object, ...]]:
    """The account's people with their emails and links, in the order they were added."""
    account = garden.account_id
    with garden.engine.connect() as conn:
        found = conn.execute(
            select(people.c.id, people.c.name, people.c.company, people.c.met_on)
            .where(people.c.account_id == account)
            .order_by(people.c.id)
        ).all()
        emails = conn.execute(
            select(person_emails.c.person_id, person_emails.c.email).order_by(person_emails.c.id)
        ).all()
        links = conn.execute(
            select(person_links.c.person_id, person_links.c.url).order_by(person_links.c.id)
        ).all()
    return [
        (
            name,
            company,
            met_on,
            [e for p, e in emails if p == pid],
            [u for p, u in links if p == pid],
        )
        for pid, name, company, met_on in found
    ]


class Gardens:
    """A fresh account of one SQLite garden for each import."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.count = 0
        self.opened: list[Garden] = []

    def fresh(self) -> Garden:
        self.count += 1
        garden = open_garden(Settings(database_url=self.url, account=f"a{self.count}"), TODAY)
        self.opened.append(garden)
        return garden


@pytest.fixture
def gardens(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    monkeypatch.setattr(importing, "BATCH", 3)
    made = Gardens(sqlite_url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


def both(
    gardens: Gardens, tmp_path: Path, first: list[tuple[str, ...]], second: list[tuple[str, ...]]
) -> tuple[Garden, ImportView, ImportView]:
    """A fresh garden after importing `first` then `second`, and the two reports."""
    garden = gardens.fresh()
    one = importing.import_file(garden, "linkedin", linkedin(tmp_path / "one.csv", first))
    two = importing.import_file(garden, "linkedin", linkedin(tmp_path / "two.csv", second))
    return garden, ImportView.of(one), ImportView.of(two)


def assert_same_imports(
    gardens: Gardens,
    tmp_path: Path,
    lines: tuple[list[tuple[str, ...]], list[tuple[str, ...]]],
    monkeypatch: pytest.MonkeyPatch,
    patch: Callable[[pytest.MonkeyPatch], None],
) -> None:
    """`both` imports report and store the same with `patch` applied as without it."""
    as_is = both(gardens, tmp_path, *lines)
    with monkeypatch.context() as patched:
        patch(patched)
        other = both(gardens, tmp_path, *lines)
    assert as_is[1:] == other[1:]
    assert stored(as_is[0]) == stored(other[0])


@FAST
@given(first=rows, second=rows)
def test_an_import_into_an_empty_garden_judges_as_the_look_ups_would(
    gardens: Gardens,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
) -> None:
    def looking_up(patched: pytest.MonkeyPatch) -> None:
        patched.setattr(dedup_index, "holds_anyone", lambda *_: True)

    assert_same_imports(gardens, tmp_path, (first, second), monkeypatch, looking_up)


@FAST
@given(first=rows, second=rows)
def test_a_merge_reading_only_the_lists_it_brings_judges_as_reading_all(
    gardens: Gardens,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
) -> None:
    def reading_all(patched: pytest.MonkeyPatch) -> None:
        patched.setattr(importing, "_brought", lambda _: set(bulk.LIST_NAMES))

    assert_same_imports(gardens, tmp_path, (first, second), monkeypatch, reading_all)


def test_sqlite_look_ups_read_what_sqlalchemy_reads(sqlite_garden: Garden, tmp_path: Path) -> None:
    """`rows_with` on SQLite reads the driver's cursor and converts values itself."""
    ana = ("Ana", "Ruiz", "https://www.linkedin.com/in/a", "ana@acme.com", "Acme", "CTO")
    lines: list[tuple[str, ...]] = [(*ana, "09 Oct 2024"), ("Jon", "Smith", "", "", "", "", "")]
    importing.import_file(sqlite_garden, "linkedin", linkedin(tmp_path / "c.csv", lines))
    with sqlite_garden.engine.connect() as conn:
        expected = conn.execute(select(people).order_by(people.c.id)).all()
        ids = [row.id for row in expected]
        found = bulk.rows_with(conn, None, people.c.id, ids, tuple(people.c))
        assert [tuple(row) for row in found] == [tuple(row) for row in expected]
        assert [row.met_on for row in found] == [row.met_on for row in expected]


def test_drafts_read_back_equal_the_drafts_init_builds(garden: Garden, tmp_path: Path) -> None:
    """`load_drafts` builds drafts without the frozen `__init__`: equal, same hash and repr."""
    ana = ("Ana", "Ruiz", "https://www.linkedin.com/in/a", "ana@acme.com", "Acme", "CTO")
    lines: list[tuple[str, ...]] = [(*ana, "09 Oct 2024"), ("Jon", "Smith", "", "", "", "", "")]
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "c.csv", lines))
    with garden.engine.connect() as conn:
        ids = list(conn.execute(select(people.c.id).order_by(people.c.id)).scalars())
        drafts = dedup_index.load_drafts(conn, garden.account_id, ids)
    assert [d.name for d in drafts.values()] == ["Ana Ruiz", "Jon Smith"]
    for draft in drafts.values():
        built = PersonDraft(**{f.name: getattr(draft, f.name) for f in fields(PersonDraft)})
        assert draft == built
        assert hash(draft) == hash(built)
        assert repr(draft) == repr(built)
