"""`kith capture ics` logs meetings that happened, not the ones still to come."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith

EVENT = """BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261101T090000Z
DTSTART:{start}
SUMMARY:Coffee
ORGANIZER:mailto:me@example.org
ATTENDEE:mailto:bob@example.org
END:VEVENT
"""


def calendar(*events: tuple[str, str]) -> str:
    body = "".join(EVENT.format(uid=uid, start=start) for uid, start in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//kith tests//EN\n{body}END:VCALENDAR\n"


def test_a_meeting_still_to_come_is_captured_once_it_happened(
    kith_sqlite: Kith, tmp_path: Path
) -> None:
    kith = kith_sqlite
    kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    path = tmp_path / "cal.ics"
    path.write_text(calendar(("past@x", "20261120T100000Z"), ("next@x", "20261203T100000Z")))
    report = kith.ok("capture", "ics", str(path), "--me", "me@example.org", "--json").json()
    assert (report["logged"], report["future"]) == (1, 1)
    assert kith.ok("show", "Bob", "--json").json()["counts"]["interactions"] == 1
    later = kith(
        "capture",
        "ics",
        str(path),
        "--me",
        "me@example.org",
        "--json",
        env={"KITH_TODAY": "2026-12-04"},
    )
    assert later.exit_code == 0
    assert (later.json()["logged"], later.json()["duplicates"], later.json()["future"]) == (1, 1, 0)
