"""A re-import reads the account's dedup keys once (`dedup_index.snapshot`, issue 11).

The snapshot must leave the `KeyIndex` exactly as the per-batch queries do: the same keys
held by the same people, and the same order of the people found by name and by company
(who holds a folded name at a company decides later matches). The garden here has what
the import itself never makes: two people with one profile URL or vCard UID, namesakes at
one company, companies spelt two ways.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.app import importing
from kith.app.garden import Garden
from kith.app.import_report import ImportView
from kith.core.dedup import KeyIndex, company_of, email_of, keys_of
from kith.core.model import PersonDraft
from kith.store import bulk, dedup_index
from tests.conftest import TODAY
from tests.integration.test_import_fast_paths import FAST, Gardens, linkedin, rows, stored

NAMES = ["Jon Smith", "John Smith", "Joan Smith", "Ana Ruiz", "Anna Ruiz", "Ana Ruíz", "Bo Li"]
COMPANIES = [None, "Acme", "ACME", "Initech", "Globex"]
EMAILS = ["jon@acme.com", "ana@acme.com", "bo@li.cn", "x@initech.com"]
URLS = [
    "https://www.linkedin.com/in/a",
    "https://linkedin.com/in/b",
    "https://github.com/c",
    "https://acme.com",  # not a profile: never held
]
PHONES = ["+44 20 7946 0000", "020 7946 0001"]
UIDS = [None, None, "uid-1", "uid-2"]


def populate(garden: Garden) -> None:
    """Forty people drawn from small pools, straight into the store (no dedup)."""
    rng = random.Random(11)
    emails = list(EMAILS)
    drafts = []
    for _ in range(40):
        email = emails.pop() if emails and rng.random() < 0.2 else None  # unique per account
        drafts.append(
            PersonDraft(
                name=rng.choice(NAMES),
                company=rng.choice(COMPANIES),
                uid=rng.choice(UIDS),
                emails=(email,) if email else (),
                phones=tuple(rng.sample(PHONES, rng.randrange(2))),
                links=tuple(rng.sample(URLS, rng.randrange(3))),
                title=rng.choice([None, "CTO"]),
                met_on=rng.choice([None, date(2024, 10, 9)]),
                birthday=rng.choice([None, date(1990, 2, 3)]),
                note=rng.choice([None, "met at the fair"]),
                interests=tuple(rng.sample(["chess", "go"], rng.randrange(3))),
            )
        )
    with garden.engine.begin() as conn:
        bulk.insert_people(conn, garden.account_id, drafts, "test", TODAY)


record = st.builds(
    PersonDraft,
    name=st.sampled_from(NAMES),
    company=st.sampled_from(COMPANIES),
    uid=st.sampled_from(UIDS),
    emails=st.lists(st.sampled_from([*EMAILS, "new@acme.com"]), max_size=1).map(tuple),
    phones=st.lists(st.sampled_from(PHONES), max_size=1).map(tuple),
    links=st.lists(st.sampled_from(URLS), max_size=2).map(tuple),
)
batches = st.lists(st.lists(record, max_size=6), min_size=1, max_size=4)


# Tables the index only looks keys up in: their order cannot change a judgement (and the
# queries' own order among one person's keys is not defined).
LOOKED_UP = {"uids", "emails", "phones", "urls", "held"}


def state(index: KeyIndex) -> dict[str, Any]:
    """Everything the index holds; where order can count (who came first under a name or
    at a company, `extract`'s ties), dicts as lists of items so that it does."""

    def ordered(value: Any) -> Any:
        if isinstance(value, dict):
            return [(key, ordered(item)) for key, item in value.items()]
        if isinstance(value, set):
            return sorted(value, key=repr)  # sets: only what they hold
        return value

    return {
        name: value if name in LOOKED_UP else ordered(value) for name, value in vars(index).items()
    }


def look_up(
    garden: Garden, drafts: list[list[PersonDraft]], snapshot: dedup_index.Snapshot | None
) -> list[dict[str, Any]]:
    """The index after each batch's look-ups (each batch's records then added, as imports do)."""
    index = KeyIndex()
    states = []
    ref = -1
    with garden.engine.connect() as conn:
        for batch in drafts:
            keys = [keys_of(d) for d in batch]
            companies = {d.company for d in batch if d.company}
            dedup_index.load_keys(
                conn, garden.account_id, keys, companies, index, snapshot=snapshot
            )
            states.append(state(index))
            for one in keys:
                match = index.find(one)
                index.add(match.ref if match else ref, one)
                ref -= 1
    return states


def test_the_snapshot_fills_the_index_as_the_batch_queries_do(garden: Garden) -> None:
    populate(garden)
    with garden.engine.connect() as conn:
        snapshot = dedup_index.snapshot(conn, garden.account_id)

    @FAST
    @given(drafts=batches)
    def check(drafts: list[list[PersonDraft]]) -> None:
        assert look_up(garden, drafts, snapshot) == look_up(garden, drafts, None)

    check()


def test_the_snapshot_holds_the_stored_keys(garden: Garden) -> None:
    """Not vacuous: the pools meet the stored people by every kind of key."""
    populate(garden)
    with garden.engine.connect() as conn:
        snapshot = dedup_index.snapshot(conn, garden.account_id)
    assert {"uid-1", "uid-2"} <= snapshot.owners["vcard_uid"].keys()
    assert snapshot.owners["email"].keys() == {email_of(e) for e in EMAILS}
    assert len(snapshot.owners["url_key"]) == len(URLS)
    assert snapshot.named["company"].keys() == {c for c in COMPANIES if c}
    assert any(len(found) > 1 for found in snapshot.named["name_key"].values())
    assert company_of("ACME") == company_of("Acme")
    assert "acme.com" not in {u for held in snapshot.held["urls"].values() for u in held}


@pytest.fixture
def accounts(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gardens]:
    """A fresh account of one SQLite garden per import, batches of three records."""
    monkeypatch.setattr(importing, "BATCH", 3)
    made = Gardens(sqlite_url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


@pytest.mark.parametrize("wanted", [("links",), ("emails", "links"), bulk.LIST_NAMES, ()])
def test_drafts_from_the_snapshot_equal_the_drafts_read_back(
    garden: Garden, wanted: tuple[str, ...]
) -> None:
    """Each person with the wanted lists (others empty), in the order of their ids."""
    populate(garden)
    with garden.engine.connect() as conn:
        snapshot = dedup_index.snapshot(conn, garden.account_id)
        ids = sorted(snapshot.drafted)
        picked = [*ids[::3], ids[5], ids[1], 10**9]  # repeated, unsorted, and one not there
        read = dedup_index.load_drafts(conn, garden.account_id, picked, wanted)
        taken = dedup_index.load_drafts(conn, garden.account_id, picked, wanted, snapshot=snapshot)
    assert list(taken.items()) == list(read.items())
    assert [repr(d) for d in taken.values()] == [repr(d) for d in read.values()]
    assert any(d.links for d in read.values()) == ("links" in wanted)


def imports(
    accounts: Gardens, tmp_path: Path, files: list[list[tuple[str, ...]]]
) -> tuple[Garden, list[ImportView]]:
    garden = accounts.fresh()
    views = []
    for n, lines in enumerate(files):
        report = importing.import_file(garden, "linkedin", linkedin(tmp_path / f"{n}.csv", lines))
        views.append(ImportView.of(report))
    return garden, views


@FAST
@given(first=rows, more=rows)
def test_a_re_import_with_a_snapshot_judges_as_the_batch_queries(
    accounts: Gardens,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: list[tuple[str, ...]],
    more: list[tuple[str, ...]],
) -> None:
    """A file, then itself with more rows after: the snapshot is taken after a quiet batch."""
    files = [first, first + more, more + first]
    taken: list[bool] = []
    snapshot: Callable[..., dedup_index.Snapshot] = dedup_index.snapshot

    def counted(*args: Any) -> dedup_index.Snapshot:
        taken.append(True)
        return snapshot(*args)

    with monkeypatch.context() as patched:
        patched.setattr(importing, "SNAPSHOT_SHARE", 10**6)
        patched.setattr(dedup_index, "snapshot", counted)
        fast = imports(accounts, tmp_path, files)
    with monkeypatch.context() as patched:
        patched.setattr(importing, "SNAPSHOT_SHARE", 0)  # never taken
        full = imports(accounts, tmp_path, files)
    assert fast[1] == full[1]
    assert stored(fast[0]) == stored(full[0])
    if len(first) > importing.BATCH:
        assert taken  # a re-import of more than one batch reads the keys once
