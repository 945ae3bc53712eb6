"""CardDAV (RFC 6352) address-book access and the pure planning of a two-way sync.

`plan_sync` decides, from what we saw last time, what to push and what to pull; the
`CardDAVClient` lists ETags (PROPFIND), fetches cards (REPORT addressbook-multiget) and
writes them with If-Match / If-None-Match so a card changed meanwhile on the server is
never overwritten blindly (412 becomes `RemoteChanged`).

Conflict rule (both sides changed since the last sync): the side changed most recently
wins; when either time is unknown the server wins, as it is the copy others share.
Every conflict is reported with the winner and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import quote, urljoin

import httpx
from defusedxml import ElementTree

_DAV = "{DAV:}"
_CARD = "{urn:ietf:params:xml:ns:carddav}"
_PROPFIND = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>"""
_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><c:address-data/></d:prop>{hrefs}</c:addressbook-multiget>"""


# --- planning (pure) ------------------------------------------------------------------


@dataclass(frozen=True)
class LocalCard:
    etag_seen: str | None  # the server's ETag at our last sync; None: never synced
    changed_since_sync: bool
    changed_at: datetime | None = None


@dataclass(frozen=True)
class Conflict:
    uid: str
    winner: Literal["local", "remote"]
    reason: str


@dataclass(frozen=True)
class SyncPlan:
    create_remote: tuple[str, ...] = ()  # PUT with If-None-Match: *
    update_remote: Mapping[str, str] = field(default_factory=dict)  # uid -> If-Match ETag
    pull: tuple[str, ...] = ()  # fetch and write locally
    conflicts: tuple[Conflict, ...] = ()
    gone_remote: tuple[str, ...] = ()  # synced before, now missing on the server: reported


def _resolve(uid: str, local: LocalCard, remote_at: datetime | None) -> Conflict:
    if local.changed_at is None or remote_at is None:
        return Conflict(uid, "remote", "both changed; a change time is unknown: server wins")
    if local.changed_at > remote_at:
        return Conflict(uid, "local", "both changed; ours is more recent")
    return Conflict(uid, "remote", "both changed; the server's is more recent")


def plan_sync(
    local: Mapping[str, LocalCard],
    remote: Mapping[str, str],
    remote_changed_at: Mapping[str, datetime] | None = None,
) -> SyncPlan:
    """What to do for each UID, given our cards and the server's UID -> ETag map."""
    times = remote_changed_at or {}
    create: list[str] = []
    gone: list[str] = []
    pull = [uid for uid in remote if uid not in local]
    update: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for uid, card in local.items():
        etag = remote.get(uid)
        if etag is None:
            (gone if card.etag_seen is not None else create).append(uid)
            continue
        remote_changed = etag != card.etag_seen
        if remote_changed and (card.changed_since_sync or card.etag_seen is None):
            conflict = _resolve(uid, card, times.get(uid))
            conflicts.append(conflict)
            if conflict.winner == "local":
                update[uid] = etag
            else:
                pull.append(uid)
        elif remote_changed:
            pull.append(uid)
        elif card.changed_since_sync:
            update[uid] = etag
    return SyncPlan(tuple(create), update, tuple(pull), tuple(conflicts), tuple(gone))


def card_uid(vcard: str) -> str | None:
    """The UID of a card's text (unfolded first: a long UID may be folded)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", vcard)
    match = re.search(r"^(?:[\w-]+\.)?UID(?:;[^:\r\n]*)?:(.*?)\r?$", unfolded, re.I | re.M)
    return match.group(1).strip() or None if match else None


# --- the client -----------------------------------------------------------------------


class CardDAVError(RuntimeError):
    pass


class RemoteChanged(CardDAVError):
    """The card changed on the server since we read it (HTTP 412): plan again."""


@dataclass(frozen=True)
class RemoteCard:
    href: str
    etag: str
    vcard: str


class CardDAVClient:
    """One address-book collection, e.g. https://dav.example.org/alice/contacts/."""

    def __init__(self, url: str, client: httpx.Client) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.client = client

    def _send(self, method: str, url: str, body: str = "", **headers: str) -> httpx.Response:
        response = self.client.request(method, url, content=body.encode(), headers=headers)
        if response.status_code == 412:
            raise RemoteChanged(f"{url}: changed on the server since it was read")
        if response.status_code >= 400:
            raise CardDAVError(f"{method} {url}: HTTP {response.status_code}")
        return response

    def etags(self) -> dict[str, str]:
        """href -> ETag of every card in the collection (PROPFIND, Depth 1)."""
        response = self._send(
            "PROPFIND", self.url, _PROPFIND, Depth="1", **{"Content-Type": "application/xml"}
        )
        found = {}
        for item in ElementTree.fromstring(response.content).iter(f"{_DAV}response"):
            href, etag = item.findtext(f"{_DAV}href"), item.findtext(f".//{_DAV}getetag")
            if href and etag and item.find(f".//{_DAV}collection") is None:
                found[href] = etag
        return found

    def fetch(self, hrefs: Iterable[str]) -> list[RemoteCard]:
        """The cards at `hrefs`, in one REPORT addressbook-multiget."""
        wanted = "".join(f"<d:href>{href}</d:href>" for href in hrefs)
        if not wanted:
            return []
        body = _MULTIGET.format(hrefs=wanted)
        response = self._send(
            "REPORT", self.url, body, Depth="1", **{"Content-Type": "application/xml"}
        )
        cards = []
        for item in ElementTree.fromstring(response.content).iter(f"{_DAV}response"):
            href = item.findtext(f"{_DAV}href")
            etag = item.findtext(f".//{_DAV}getetag")
            data = item.findtext(f".//{_CARD}address-data")
            if href and etag and data:
                cards.append(RemoteCard(href, etag, data))
        return cards

    def snapshot(self) -> dict[str, RemoteCard]:
        """Every card on the server by its vCard UID (cards without one are skipped)."""
        cards = self.fetch(self.etags())
        return {uid: card for card in cards if (uid := card_uid(card.vcard))}

    def href_for(self, uid: str) -> str:
        return urljoin(self.url, quote(uid, safe="") + ".vcf")

    def put(self, href: str, vcard: str, *, etag: str | None = None) -> str | None:
        """Create (no `etag`: If-None-Match *) or update (If-Match) a card; its new ETag."""
        condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        headers = {"Content-Type": "text/vcard; charset=utf-8", **condition}
        response = self._send("PUT", urljoin(self.url, href), vcard, **headers)
        etag_header: str | None = response.headers.get("ETag")
        return etag_header
