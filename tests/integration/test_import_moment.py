"""A PostgreSQL import reads one moment; another connection's write meanwhile (issue 11).

The re-import reads the account's snapshot at its first batch and judges later batches
from it. Here another connection edits or deletes a person between the import's first
batch and the batch that meets that person (the import's `progress` hook, batches of
three: no sleeps). A person the import only skips may change: the import commits what it
would have without the change, and the change stays. A person the import writes to may
not: the import fails whole with one line (`ChangedMeanwhile`) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, delete, select, update

from kith.app import importing
from kith.app import people as app_people
from kith.app.garden import Garden, open_garden
from kith.app.import_report import ImportView
from kith.settings import Settings
from kith.store import import_moment
from kith.store.tables import people, person_emails, person_links
from tests.conftest import TODAY
from tests.integration.test_import_fast_paths import linkedin

pytestmark = pytest.mark.postgres
PEOPLE = 9  # three batches of three


def row(n: int, *, company: str = "", email: str = "") -> tuple[str, ...]:
    url = f"https://www.linkedin.com/in/person-{n}"
    return ("Ada", f"Lovelace{n}", url, email, company, "", "09 Oct 2024")


FIRST = [row(n) for n in range(PEOPLE)]
# The same people again; the eighth (third batch) brings a company and an email.
AGAIN = [row(n, company="Acme", email="p7@acme.com") if n == 7 else row(n) for n in range(PEOPLE)]


@pytest.fixture
def garden(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Garden]:
    monkeypatch.setattr(importing, "BATCH", 3)
    opened = open_garden(Settings(database_url=postgres_url), TODAY)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def other(postgres_url: str) -> Iterator[Engine]:
    """Another connection to the same garden (its own engine, its own transactions)."""
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def person(garden: Garden, n: int) -> int:
    with garden.engine.connect() as conn:
        query = select(people.c.id).where(
            people.c.account_id == garden.account_id, people.c.name == f"Ada Lovelace{n}"
        )
        return int(conn.execute(query).scalar_one())


def everything(garden: Garden) -> list[Any]:
    with garden.engine.connect() as conn:
        found: list[Any] = []
        for table in (people, person_emails, person_links):
            rows = conn.execute(select(table).order_by(table.c.id)).all()
            found.append([tuple(r) for r in rows])
        return found


def again(garden: Garden, tmp_path: Path, meanwhile: Callable[[], None]) -> ImportView:
    """The re-import, `meanwhile` run (and committed) from another connection after its
    first batch, before the batches that meet the people it touches."""
    batches = 0

    def progress(_: int) -> None:
        nonlocal batches
        batches += 1
        if batches == 1:
            meanwhile()

    report = importing.import_file(
        garden, "linkedin", linkedin(tmp_path / "again.csv", AGAIN), progress=progress
    )
    return ImportView.of(report)


def run(engine: Engine, statement: Any) -> None:
    with engine.begin() as conn:
        assert conn.execute(statement).rowcount == 1


def test_a_re_import_without_a_write_meanwhile_merges_the_eighth(
    garden: Garden, tmp_path: Path
) -> None:
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "first.csv", FIRST))
    view = again(garden, tmp_path, lambda: None)
    assert (view.added, view.merged, view.skipped) == (0, 1, PEOPLE - 1)


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_person_only_skipped_may_change_meanwhile(
    garden: Garden, other: Engine, tmp_path: Path, change: str
) -> None:
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "first.csv", FIRST))
    ninth = person(garden, 8)
    where = (people.c.id == ninth,)
    statement = (
        update(people).where(*where).values(title="Countess")
        if change == "edit"
        else delete(people).where(*where)
    )
    view = again(garden, tmp_path, lambda: run(other, statement))
    assert (view.added, view.merged, view.skipped) == (0, 1, PEOPLE - 1)
    with garden.engine.connect() as conn:
        title = conn.execute(select(people.c.title).where(*where)).scalar_one_or_none()
        company = conn.execute(
            select(people.c.company).where(people.c.id == person(garden, 7))
        ).scalar_one()
    assert title == ("Countess" if change == "edit" else None)
    assert company == "Acme"


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_person_written_to_may_not_change_meanwhile(
    garden: Garden, other: Engine, tmp_path: Path, change: str
) -> None:
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "first.csv", FIRST))
    eighth = person(garden, 7)
    where = (people.c.id == eighth,)
    statement = (
        update(people).where(*where).values(title="Countess")
        if change == "edit"
        else delete(people).where(*where)
    )
    before: list[Any] = []

    def meanwhile() -> None:
        run(other, statement)
        before.extend(everything(garden))

    with pytest.raises(import_moment.ChangedMeanwhile) as raised:
        again(garden, tmp_path, meanwhile)
    assert str(raised.value) == import_moment.CHANGED_MESSAGE
    assert "\n" not in str(raised.value)
    assert everything(garden) == before  # nothing of the import written


def test_a_key_added_meanwhile_by_another_writer_is_changed_meanwhile(
    garden: Garden, tmp_path: Path
) -> None:
    """Someone else gets the email the re-import brings to the eighth, after its moment: the
    COPY's unique violation is the same one-line "run it again", nothing written."""
    importing.import_file(garden, "linkedin", linkedin(tmp_path / "first.csv", FIRST))
    before: list[Any] = []

    def meanwhile() -> None:
        app_people.seed(garden, "Someone Else", emails=["p7@acme.com"])
        before.extend(everything(garden))

    with pytest.raises(import_moment.ChangedMeanwhile) as raised:
        again(garden, tmp_path, meanwhile)
    assert str(raised.value) == import_moment.CHANGED_MESSAGE
    assert everything(garden) == before
