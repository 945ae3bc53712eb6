"""How `io.caldav.read_calendar` reads a calendar: by sync-token, or whole when it must."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kith.io.caldav import CalDAVCalendar, CalDAVError, CalendarRead, read_calendar

URL = "https://dav.example.org/ana/calendar/"
TODAY = date(2026, 11, 27)


def _multistatus(*parts: str, token: str | None = None) -> str:
    sync = f"<d:sync-token>{token}</d:sync-token>" if token else ""
    return (
        '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" '
        f'xmlns:c="urn:ietf:params:xml:ns:caldav">{"".join(parts)}{sync}</d:multistatus>'
    )


def _item(href: str, data: str | None = None) -> str:
    calendar = f"<c:calendar-data>{data}</c:calendar-data>" if data else ""
    return (
        f'<d:response><d:href>{href}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>'
        f"{calendar}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


class Server:
    """A scripted CalDAV server: what each REPORT kind answers, and what it was asked."""

    def __init__(self, sync: dict[str, tuple[int, str]], others: dict[str, str]) -> None:
        self.sync, self.others = sync, others
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        kind = body.split("<", 3)[2].split()[0].split(":")[-1]  # the root element's name
        self.asked.append(kind)
        if kind == "sync-collection":
            token = body.split("<d:sync-token>")[1].split("</d:sync-token>")[0]
            status, text = self.sync.get(token, (409, ""))
            return httpx.Response(status, text=text)
        return httpx.Response(207, text=self.others[kind])


def _read(server: Server, token: str | None, through: date | None = None) -> CalendarRead:
    with httpx.Client(transport=httpx.MockTransport(server)) as http:
        return read_calendar(CalDAVCalendar(URL, http), token, through, TODAY)


def test_a_first_run_syncs_everything_and_keeps_the_token() -> None:
    server = Server(
        {"": (207, _multistatus(_item("/ana/calendar/a.ics"), token="t1"))},
        {"calendar-multiget": _multistatus(_item("/ana/calendar/a.ics", "BEGIN:VCALENDAR"))},
    )
    read = _read(server, None)
    assert [o.href for o in read.objects] == ["/ana/calendar/a.ics"]
    assert (read.sync_token, read.full) == ("t1", True)
    assert server.asked == ["sync-collection", "calendar-multiget"]


def test_a_later_run_reads_changes_and_what_has_happened_since() -> None:
    server = Server(
        {"t1": (207, _multistatus(token="t2"))},
        {"calendar-query": _multistatus(_item("/ana/calendar/lunch.ics", "BEGIN:VCALENDAR"))},
    )
    read = _read(server, "t1", date(2026, 11, 20))
    assert [o.href for o in read.objects] == ["/ana/calendar/lunch.ics"]
    assert (read.sync_token, read.full) == ("t2", False)


def test_a_forgotten_token_reads_the_calendar_whole_with_a_new_one() -> None:
    server = Server(
        {"": (207, _multistatus(token="fresh"))},  # "old" is unknown: 409
        {"calendar-multiget": _multistatus()},
    )
    read = _read(server, "old", date(2026, 11, 20))
    assert (read.sync_token, read.full) == ("fresh", True)
    assert server.asked == ["sync-collection", "sync-collection"]


def test_a_server_without_sync_is_read_by_time_range() -> None:
    server = Server({}, {"calendar-query": _multistatus(_item("/c/x.ics", "BEGIN:VCALENDAR"))})
    read = _read(server, None)
    assert (read.sync_token, read.full) == (None, True)
    assert server.asked == ["sync-collection", "calendar-query"]


def test_a_refused_login_is_an_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401)

    with (
        httpx.Client(transport=httpx.MockTransport(refuse)) as http,
        pytest.raises(CalDAVError, match="refused the login"),
    ):
        read_calendar(CalDAVCalendar(URL, http), None, None, TODAY)
