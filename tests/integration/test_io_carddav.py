"""The CardDAV client against a real Radicale server on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kith.core.model import PersonDraft
from kith.io.carddav import CardDAVClient, LocalCard, RemoteChanged, plan_sync
from kith.io.vcard_export import to_vcard

MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>
<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>
</d:prop></d:set></d:mkcol>"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server with an empty storage folder, no auth; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "radicale", "--storage-filesystem-folder",
               str(tmp_path / "storage"), "--server-hosts", f"127.0.0.1:{port}",
               "--auth-type", "none"]  # fmt: skip
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                httpx.get(url, timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"Radicale did not answer on {url}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def book(radicale: str) -> Iterator[CardDAVClient]:
    with httpx.Client(auth=("alice", "unused"), timeout=10) as http:
        url = f"{radicale}alice/contacts/"
        http.request("PROPFIND", f"{radicale}alice/", headers={"Depth": "0"})
        created = http.request("MKCOL", url, content=MKCOL.encode())
        assert created.status_code == 201, created.text
        yield CardDAVClient(url, http)


def card(uid: str, name: str) -> str:
    return to_vcard(PersonDraft(name, uid=uid, emails=(f"{uid}@example.com",)))


def test_create_list_fetch_and_conditional_update(book: CardDAVClient) -> None:
    href = book.href_for("ada")
    assert book.put(href, card("ada", "Ada Lovelace")) is not None
    with pytest.raises(RemoteChanged):  # If-None-Match: * refuses to overwrite
        book.put(href, card("ada", "Someone Else"))
    ((listed_href, etag),) = book.etags().items()
    (fetched,) = book.fetch([listed_href])
    assert "FN:Ada Lovelace" in fetched.vcard
    assert fetched.etag == etag
    book.put(listed_href, card("ada", "Ada King"), etag=etag)
    with pytest.raises(RemoteChanged):  # the ETag we hold is stale now
        book.put(listed_href, card("ada", "Lost Update"), etag=etag)
    assert "FN:Ada King" in book.snapshot()["ada"].vcard


def test_two_syncs_leave_both_sides_equal_without_duplicates(book: CardDAVClient) -> None:
    book.put(book.href_for("theirs"), card("theirs", "Grace Hopper"))
    local = {"mine": card("mine", "Ada Lovelace")}
    seen: dict[str, LocalCard] = {"mine": LocalCard(None, True)}
    for _ in range(2):
        remote = book.snapshot()
        plan = plan_sync(seen, {uid: c.etag for uid, c in remote.items()})
        for uid in plan.create_remote:
            book.put(book.href_for(uid), local[uid])
        for uid in plan.pull:
            local[uid] = remote[uid].vcard
        remote = book.snapshot()
        seen = {uid: LocalCard(remote[uid].etag, False) for uid in local}
    assert sorted(book.snapshot()) == sorted(local) == ["mine", "theirs"]
    assert len(book.etags()) == 2
