"""`kith sync carddav` against a real Radicale: both sides end equal, without duplicates."""

from __future__ import annotations

import httpx
import pytest

from kith.app.documents import as_document
from kith.app.file_views import SyncView
from kith.app.garden import Garden
from kith.app.people import Edit, edit, seed
from kith.app.sync import sync_carddav
from kith.app.views import list_people
from kith.core.model import PersonDraft
from kith.io.carddav import CardDAVClient
from kith.io.vcard_export import to_vcard
from tests.integration.test_io_carddav import MKCOL, radicale  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


@pytest.fixture
def book_url(radicale: str) -> str:  # noqa: F811 - the fixture imported above
    url = f"{radicale}alice/contacts/"
    with httpx.Client(auth=("alice", "x"), timeout=10) as http:
        http.request("PROPFIND", f"{radicale}alice/", headers={"Depth": "0"})
        assert http.request("MKCOL", url, content=MKCOL.encode()).status_code == 201
    return url


def server(url: str) -> dict[str, str]:
    with httpx.Client(auth=("alice", "x"), timeout=10) as http:
        return {uid: card.vcard for uid, card in CardDAVClient(url, http).snapshot().items()}


def put(url: str, person: PersonDraft, etag: str | None = None) -> None:
    with httpx.Client(auth=("alice", "x"), timeout=10) as http:
        client = CardDAVClient(url, http)
        assert person.uid is not None  # a card on the server is found by its UID
        href = client.href_for(person.uid)
        if etag is None and person.uid in (cards := client.snapshot()):
            href, etag = cards[person.uid].href, cards[person.uid].etag
        client.put(href, to_vcard(person), etag=etag)


def names(garden: Garden) -> list[str]:
    return sorted(p.name for p in list_people(garden, None, None))


def test_two_syncs_leave_both_sides_equal_and_changes_flow(
    sqlite_garden: Garden, book_url: str
) -> None:
    garden = sqlite_garden
    seed(garden, "Ada Lovelace", emails=["ada@example.org"], company="Analytical")
    seed(garden, "Grace Hopper", emails=["grace@example.org"])
    put(book_url, PersonDraft("Alan Turing", uid="phone-1", emails=("alan@example.org",)))
    put(book_url, PersonDraft("Grace Hopper", uid="phone-2", emails=("grace@example.org",),
                               phones=("+1 212 555 0100",)))  # fmt: skip
    first = sync_carddav(garden, book_url, "alice")
    assert (first.pushed_new, first.pulled_new) == (1, 2)  # Grace was already here
    second = sync_carddav(garden, book_url, "alice")
    remote = server(book_url)
    assert names(garden) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert {"phone-1", "phone-2"} <= set(remote)
    assert len(remote) == 3
    grace = [p for p in list_people(garden, None, None) if p.name == "Grace Hopper"]
    assert len(grace) == 1
    assert second.pulled_new == 0 and second.conflicts == []
    third = sync_carddav(garden, book_url, "alice")
    assert as_document(SyncView.of(third)) | {"warnings": []} == {
        "pushed_new": 0, "pushed_changes": 0, "pulled_new": 0, "pulled_changes": 0,
        "conflicts": [], "gone_remote": [], "warnings": [],
    }  # fmt: skip
    assert server(book_url) == remote  # nothing moves once both sides agree

    edit(garden, "Ada", Edit(title="Countess", add_emails=("ada@home.example",)))
    pushed = sync_carddav(garden, book_url, "alice")
    assert pushed.pushed_changes == 1
    ada_card = next(c for c in server(book_url).values() if "Ada Lovelace" in c)
    assert "Countess" in ada_card and "ada@home.example" in ada_card

    put(book_url, PersonDraft("Alan M. Turing", uid="phone-1", company="Bletchley",
                               emails=("alan@example.org",)))  # fmt: skip
    pulled = sync_carddav(garden, book_url, "alice")
    assert pulled.pulled_changes == 1
    assert "Alan M. Turing" in names(garden)
    assert len(names(garden)) == 3

    edit(garden, "Grace", Edit(birthday="1906-12-09"))
    assert sync_carddav(garden, book_url, "alice").pushed_changes == 1  # a birthday alone syncs
    grace_card = next(c for c in server(book_url).values() if "Grace Hopper" in c)
    assert "BDAY:1906-12-09" in grace_card
    assert sync_carddav(garden, book_url, "alice").pushed_changes == 0
