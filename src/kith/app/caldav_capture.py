"""`kith capture caldav`: the past meetings of a CalDAV calendar, incrementally.

The server is read first, outside any transaction (as `capture imap` does); then one
transaction logs `meeting` interactions exactly as `kith capture ics` does (io/ics.py reads
each event, app/capture.py matches attendees and the organiser by email, skips future
events and strangers, and keys each interaction by "ics:<UID>:<email>", so an event
captured from a file and from the server is logged once). Where the next run goes on from
(the server's sync-token, and the day of the run) is kept in the run's own counts in the
capture log: undoing a run also forgets its token, so the next run reads those events again.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import httpx

from kith.app.capture import CaptureReport, CaptureView, log_items
from kith.app.documents import Json
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.import_report import transaction
from kith.app.report_lines import LineError
from kith.app.sessions import naive_utc, utc_now
from kith.core.network import is_loopback
from kith.io.caldav import CalDAVCalendar, CalDAVError, CalendarObject, CalendarRead
from kith.io.caldav import read_calendar as read_server
from kith.io.ics import CalendarEvent, parse_events
from kith.io.records import FormatError, RecordError
from kith.store import captures, mail_state

_UID = re.compile(rb"^UID(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class CaldavRequest:
    """Where to read: the calendar's URL and the login."""

    url: str
    user: str
    password: str
    verify: ssl.SSLContext | bool = True  # the system's CAs, or a test's SSL context


@dataclass
class CaldavReport(CaptureReport):
    """A capture report, with how the calendar was read and where the next run goes on."""

    fetched: int = 0  # calendar objects read from the server
    full: bool = False  # read whole: a first run, or a server without sync-collection
    sync_token: str | None = None
    through: date | None = None

    def view(self) -> CaldavCaptureView:
        """What `kith capture caldav` presents: the capture's view and how it read."""
        return CaldavCaptureView(**vars(CaptureView.of(self)), fetched=self.fetched, full=self.full)

    def counts(self) -> dict[str, Json]:
        """The capture log's numbers, and the state the next run starts from."""
        through = self.through.isoformat() if self.through else None
        return super().counts() | {"sync_token": self.sync_token, "through": through}


@dataclass(frozen=True)
class CaldavCaptureView(CaptureView):
    """A capture's view, with the calendar objects read and whether the read was whole."""

    fetched: int
    full: bool


def _url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url", f"{url!r} is not an http(s) URL of a calendar")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidInput(
            "url", f"http:// sends the password in clear; use https:// for {parts.hostname}"
        )
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def _state(counts: Any) -> tuple[str | None, date | None]:
    """The last run's token and day, when it left them (older or odd counts: none)."""
    if not isinstance(counts, dict):
        return None, None
    token, through = counts.get("sync_token"), counts.get("through")
    try:
        day = date.fromisoformat(through) if isinstance(through, str) else None
    except ValueError:
        day = None
    return (token if isinstance(token, str) and token else None), day


def capture_caldav(
    garden: Garden, request: CaldavRequest, *, dry_run: bool = False
) -> CaldavReport:
    """Log the past meetings of a CalDAV calendar with the people in the garden."""
    url = _url(request.url)
    if not request.user.strip():
        raise InvalidInput("user", "is empty")
    source = f"caldav:{request.user}@{url}"
    with garden.reading() as conn:
        token, through = _state(captures.last_counts(conn, garden.account_id, source))
        mine = frozenset(mail_state.my_addresses(conn, garden.account_id))
    auth = (request.user, request.password)
    try:
        # httpx drops the login on a redirect to another host; a calendar that moved within
        # its server (a 301 to the canonical URL) is followed.
        with httpx.Client(
            auth=auth, timeout=30, verify=request.verify, follow_redirects=True
        ) as http:
            read = read_server(CalDAVCalendar(url, http), token, through, garden.today)
    except CalDAVError as error:
        raise KithError(f"caldav {url}: {error}; nothing was captured") from None
    return record(garden, source, read, mine, dry_run=dry_run)


def record(
    garden: Garden, source: str, read: CalendarRead, mine: frozenset[str], *, dry_run: bool
) -> CaldavReport:
    """Log what was read from `source` in one transaction: a capture run, and its state."""
    report = CaldavReport(dry_run=dry_run, fetched=len(read.objects), full=read.full)
    report.sync_token, report.through = read.sync_token, garden.today
    events = [e for o in read.objects for e in _events(o, report)]
    with transaction(garden, dry_run) as conn:
        run = captures.start_run(conn, garden.account_id, source, naive_utc(utc_now()))
        report.run = None if dry_run else run
        log_items(conn, (garden, run), events, mine=mine, topics=False, report=report)
        captures.finish_run(conn, run, report.counts())
    return report


def _uid_of(item: CalendarObject) -> str:
    """The object's UID as written, for errors (the object may not parse at all)."""
    match = _UID.search(item.data)
    uid = match.group(1).decode("utf-8", "replace").strip() if match else ""
    return uid or item.href


def _events(item: CalendarObject, report: CaldavReport) -> list[CalendarEvent]:
    """The object's events; what cannot be read becomes an error naming the event's UID."""
    try:
        found = list(parse_events(item.data, item.href))
    except FormatError as error:
        message = str(error).removeprefix(f"{item.href}: ")
        report.errors.append(LineError(1, None, f"event {_uid_of(item)}: {message}"))
        return []
    events = []
    for one in found:
        if isinstance(one, RecordError):
            field = f"{one.field}: " if one.field else ""
            report.errors.append(
                LineError(one.line, one.field, f"event {_uid_of(item)}: {field}{one.message}")
            )
        else:
            events.append(one)
    return events
