"""CalDAV (RFC 4791) reading for `kith capture caldav`: the events changed since last time.

Three REPORTs over httpx, the client kith already speaks WebDAV with (io/carddav.py):
`sync-collection` (RFC 6578) lists what changed since the sync-token of the last run (or
everything, with an empty token) and hands back a new token; `calendar-multiget` fetches
those events; `calendar-query` with a time-range finds the events that were still to come
at the last run and have happened since (unchanged, so absent from the sync). A server
without sync-collection, or one that no longer knows the token, is read whole with a
time-range query up to today: the capture's source keys keep that from logging twice.
A sync answer cut short by the server (507, more to come) is not followed yet: the rest
comes with the next run's token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

import httpx
from defusedxml import ElementTree

_DAV = "{DAV:}"
_CAL = "{urn:ietf:params:xml:ns:caldav}"
_XML = {"Content-Type": "application/xml; charset=utf-8"}
_SYNC = """<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token>
<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"""
_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"""
_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
<d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR">
<c:comp-filter name="VEVENT">{range}</c:comp-filter></c:comp-filter></c:filter>
</c:calendar-query>"""
MULTIGET_BATCH = 200  # hrefs per calendar-multiget: a request body of tens of kB at most


class CalDAVError(RuntimeError):
    """The server could not be read: refused, unreachable, or not a calendar."""


@dataclass(frozen=True)
class CalendarObject:
    """One calendar resource: where it is, and its iCalendar text."""

    href: str
    data: bytes


@dataclass(frozen=True)
class CalendarRead:
    """What one run read: the objects to look at and the token for the next run."""

    objects: tuple[CalendarObject, ...]
    sync_token: str | None  # None: the server has no sync-collection
    full: bool  # read whole (first run, no sync support, or a token the server forgot)


def _day(on: date) -> str:
    return on.strftime("%Y%m%dT000000Z")


class CalDAVCalendar:
    """One calendar collection, e.g. http://127.0.0.1:5232/alice/calendar/."""

    def __init__(self, url: str, client: httpx.Client) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.client = client

    def _report(self, body: str) -> httpx.Response:
        try:
            return self.client.request(
                "REPORT", self.url, content=body.encode(), headers={**_XML, "Depth": "1"}
            )
        except httpx.HTTPError as error:
            raise CalDAVError(f"cannot reach {self.url}: {error}") from None

    def _objects(self, response: httpx.Response, what: str) -> list[CalendarObject]:
        if response.status_code in (401, 403):
            raise CalDAVError(f"{what}: the server refused the login (HTTP {response.status_code})")
        if response.status_code != 207:
            raise CalDAVError(f"{what}: HTTP {response.status_code}; is it a calendar's URL?")
        found = []
        for item in _responses(response):
            href, data = item.findtext(f"{_DAV}href"), item.findtext(f".//{_CAL}calendar-data")
            if href and data:
                found.append(CalendarObject(href, data.encode()))
        return found

    def changes(self, token: str) -> tuple[list[str], str] | None:
        """Hrefs changed since `token` ("" for all) and the new token; None if unsupported.

        A token the server no longer knows (RFC 6578: 403/409 valid-sync-token) is None too:
        the caller then reads the calendar whole.
        """
        response = self._report(_SYNC.format(token=escape(token)))
        if response.status_code == 401:
            raise CalDAVError("the server refused the login (HTTP 401)")
        if response.status_code != 207:
            return None
        hrefs = []
        for item in _responses(response):
            href, etag = item.findtext(f"{_DAV}href"), item.findtext(f".//{_DAV}getetag")
            if href and etag and href.rstrip("/") != self.url.rstrip("/"):
                hrefs.append(href)  # a removed event comes back with a 404 and no ETag
        new_token = ElementTree.fromstring(response.content).findtext(f"{_DAV}sync-token")
        return (hrefs, new_token) if new_token else None

    def fetch(self, hrefs: Iterable[str]) -> list[CalendarObject]:
        """The objects at `hrefs`, by calendar-multiget in batches."""
        wanted = list(hrefs)
        found: list[CalendarObject] = []
        for start in range(0, len(wanted), MULTIGET_BATCH):
            part = wanted[start : start + MULTIGET_BATCH]
            body = _MULTIGET.format(hrefs="".join(f"<d:href>{escape(h)}</d:href>" for h in part))
            found += self._objects(self._report(body), "calendar-multiget")
        return found

    def between(self, start: date | None, end: date) -> list[CalendarObject]:
        """Events with an occurrence from `start` (or ever) until before `end`."""
        since = f' start="{_day(start)}"' if start else ""
        body = _QUERY.format(range=f'<c:time-range{since} end="{_day(end)}"/>')
        return self._objects(self._report(body), "calendar-query")


def _responses(response: httpx.Response) -> list[ElementTree.Element]:
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError as error:
        raise CalDAVError(f"the server's answer is not readable XML: {error}") from None
    return list(root.iter(f"{_DAV}response"))


def read_calendar(
    calendar: CalDAVCalendar, token: str | None, through: date | None, today: date
) -> CalendarRead:
    """What changed since the last run (`token`, `through`: its token and today), and more.

    Events still to come at the last run that have happened since are read again by a
    time-range query from the day before `through` (time zones: the capture keeps only
    those on or before today, and the source keys drop any seen twice).
    """
    end = today + timedelta(days=2)  # past events, whatever the zone; future ones are counted
    synced = calendar.changes(token or "")
    if synced is None and token:
        synced = calendar.changes("")  # the token was forgotten: read whole, with a new one
        token = None
    if synced is None:
        return CalendarRead(tuple(calendar.between(None, end)), None, True)
    hrefs, new_token = synced
    objects = {o.href: o for o in calendar.fetch(hrefs)}
    if token and through is not None:
        # min(): a garden whose fixed today (KITH_TODAY) went back must not ask an empty range.
        for found in calendar.between(min(through, today) - timedelta(days=1), end):
            objects.setdefault(found.href, found)
    return CalendarRead(tuple(objects.values()), new_token, not token)
