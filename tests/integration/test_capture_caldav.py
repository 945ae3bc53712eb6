"""`kith capture caldav` against a real Radicale: past meetings logged once, undoable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from kith.app.caldav_capture import record
from kith.app.garden import Garden
from kith.app.people import seed
from kith.io.caldav import CalendarObject, CalendarRead
from kith.store.tables import interactions
from tests.conftest import Kith
from tests.integration.test_io_carddav import radicale  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow

MKCALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>
</d:prop></d:set></d:mkcol>"""
ME = "ana@example.org"
ENV = {"KITH_CALDAV_PASSWORD": "unused"}  # Radicale runs with --auth-type none


def event(uid: str, start: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith tests//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start}\r\nSUMMARY:{uid}\r\n"
        f"{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


EVENTS = {
    "coffee-ada": event(
        "coffee-ada", "20261110T100000Z", f"ORGANIZER:mailto:{ME}",
        "ATTENDEE:mailto:ada@example.org", f"ATTENDEE:mailto:{ME}",
    ),
    "grace-invites": event(
        "grace-invites", "20261115T160000Z", "ORGANIZER;CN=Grace:mailto:Grace@Example.org",
        f"ATTENDEE:mailto:{ME}",
    ),
    "weekly-grace": event(
        "weekly-grace", "20261005T090000Z", "RRULE:FREQ=WEEKLY",
        "ORGANIZER:mailto:grace@example.org", f"ATTENDEE:mailto:{ME}",
    ),
    "lunch-next-month": event(
        "lunch-next-month", "20261205T120000Z", f"ORGANIZER:mailto:{ME}",
        "ATTENDEE:mailto:ada@example.org",
    ),
    "stranger": event(
        "stranger", "20261101T100000Z", "ORGANIZER:mailto:someone@elsewhere.example",
        f"ATTENDEE:mailto:{ME}",
    ),
}  # fmt: skip
# Radicale refuses such an event on PUT and skips it when it is found in its storage:
# written there directly, it must neither break the capture nor be logged.
BROKEN = event("broken-1", "2026-11-10T10:00:00Z", "ATTENDEE:mailto:ada@example.org")


def put(url: str, uid: str, text: str) -> None:
    with httpx.Client(auth=("alice", "x"), timeout=10) as http:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        response = http.put(f"{url}{uid}.ics", content=text.encode(), headers=headers)
        assert response.status_code in (201, 204), response.text


@pytest.fixture
def calendar_url(radicale: str, tmp_path: Path) -> str:  # noqa: F811 - the fixture imported above
    url = f"{radicale}alice/calendar/"
    with httpx.Client(auth=("alice", "x"), timeout=10) as http:
        http.request("PROPFIND", f"{radicale}alice/", headers={"Depth": "0"})
        created = http.request("MKCOL", url, content=MKCALENDAR.encode())
        assert created.status_code == 201, created.text
    for uid, text in EVENTS.items():
        put(url, uid, text)
    stored = tmp_path / "storage" / "collection-root" / "alice" / "calendar"
    (stored / "broken-1.ics").write_text(BROKEN, encoding="utf-8")
    return url


def keys(garden: Garden) -> dict[str, tuple[str, str, str]]:
    """source key -> (date, kind, by) of every interaction in the garden."""
    with garden.reading() as conn:
        rows = conn.execute(
            sa.select(
                interactions.c.source_key, interactions.c.on, interactions.c.kind, interactions.c.by
            )
        ).all()
    return {r.source_key: (r.on.isoformat(), str(r.kind), str(r.by)) for r in rows}


def capture(kith: Kith, url: str, *more: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = kith("capture", "caldav", url, "--user", "alice", "--json", *more,
                  env={**ENV, **(env or {})})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = result.json()
    return found


def test_past_meetings_are_logged_once_and_a_run_is_undone_exactly(
    kith: Kith, garden: Garden, calendar_url: str
) -> None:
    kith.ok("seed", "Ada Lovelace", "--email", "ada@example.org")
    kith.ok("seed", "Grace Hopper", "--email", "grace@example.org")
    kith.ok("me", "--email", ME)
    dry = capture(kith, calendar_url, "--dry-run")
    assert (dry["logged"], dry["run"]) == (3, None) and keys(garden) == {}
    first = capture(kith, calendar_url)
    assert {k: first[k] for k in ("logged", "people", "future", "skipped_unknown", "fetched")} == {
        "logged": 3, "people": 2, "future": 1, "skipped_unknown": 1, "fetched": 5,
    }  # fmt: skip
    assert first["full"] is True and first["errors"] == []
    assert keys(garden) == {
        "ics:coffee-ada:ada@example.org": ("2026-11-10", "meeting", "me"),
        "ics:grace-invites:grace@example.org": ("2026-11-15", "meeting", "them"),
        "ics:weekly-grace:grace@example.org": ("2026-10-05", "meeting", "them"),
    }

    again = capture(kith, calendar_url)
    assert (again["logged"], again["fetched"], again["full"]) == (0, 0, False)

    put(calendar_url, "walk-ada", event("walk-ada", "20261120T080000Z",
                                        "ATTENDEE:mailto:ada@example.org"))  # fmt: skip
    third = capture(kith, calendar_url)
    assert (third["logged"], third["fetched"]) == (1, 1)  # only the new event was read
    assert "ics:walk-ada:ada@example.org" in keys(garden)
    kith.ok("capture", "undo", str(third["run"]))
    assert set(keys(garden)) == {
        "ics:coffee-ada:ada@example.org",
        "ics:grace-invites:grace@example.org",
        "ics:weekly-grace:grace@example.org",
    }
    # The undone run's token is forgotten: the next run reads the walk again and logs it.
    fourth = capture(kith, calendar_url)
    assert (fourth["logged"], fourth["fetched"]) == (1, 1)


def test_a_meeting_that_was_still_to_come_is_logged_once_it_happened(
    kith: Kith, garden: Garden, calendar_url: str
) -> None:
    kith.ok("seed", "Ada Lovelace", "--email", "ada@example.org")
    kith.ok("me", "--email", ME)
    assert capture(kith, calendar_url)["future"] == 1
    later = capture(kith, calendar_url, env={"KITH_TODAY": "2026-12-06"})
    assert (later["logged"], later["future"]) == (1, 0)
    assert keys(garden)["ics:lunch-next-month:ada@example.org"] == (
        "2026-12-05", "meeting", "me",
    )  # fmt: skip
    assert capture(kith, calendar_url, env={"KITH_TODAY": "2026-12-07"})["logged"] == 0


def test_a_wrong_url_or_plain_http_off_loopback_is_one_line(kith: Kith, radicale: str) -> None:  # noqa: F811
    missing = kith("capture", "caldav", f"{radicale}nobody/none/", "--user", "alice", env=ENV)
    assert missing.exit_code == 1 and "Traceback" not in missing.stderr
    assert "nothing was captured" in missing.stderr
    clear = kith("capture", "caldav", "http://dav.example.org/cal/", "--user", "a", env=ENV)
    assert clear.exit_code == 1 and "https://" in clear.stderr
    assert len(clear.stderr.strip().splitlines()) == 1


def test_an_unreadable_event_is_an_error_naming_its_uid_and_the_rest_is_logged(
    garden: Garden,
) -> None:
    # Radicale refuses such events, other servers may not: fed to the capture directly.
    seed(garden, "Ada Lovelace", emails=["ada@example.org"])
    objects = (
        CalendarObject("/c/bad.ics", BROKEN.encode()),
        CalendarObject("/c/junk.ics", b"not a calendar at all"),
        CalendarObject("/c/ok.ics", EVENTS["coffee-ada"].encode()),
    )
    read = CalendarRead(objects, "token-1", True)
    report = record(garden, "caldav:test", read, frozenset({ME}), dry_run=False)
    assert report.logged == 1
    assert [e.message.split(":")[0] for e in report.errors] == [
        "event broken-1", "event /c/junk.ics",
    ]  # fmt: skip
    assert "DTSTART" in report.errors[0].message
    assert set(keys(garden)) == {"ics:coffee-ada:ada@example.org"}
