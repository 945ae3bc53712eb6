"""Calendar events for capture: first occurrences, attendees, odd files, the real corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.io.ics import CalendarEvent, iter_events, read_events
from kith.io.records import FormatError, RecordError

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"


def corpus_files(folder: str) -> list[object]:
    files = sorted((CORPUS / folder).glob("*.ics")) if CORPUS.is_dir() else []
    skip = pytest.mark.skip(reason=f"real-world corpus not found at {CORPUS}")
    return list(files) or [pytest.param(None, marks=skip)]


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:weekly-1
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Paris:20240105T233000
RRULE:FREQ=WEEKLY
SUMMARY:Coffee with Ada
ORGANIZER;CN=Me:mailto:Me@Example.com
ATTENDEE;CN=Ada:mailto:ada@example.com
ATTENDEE:MAILTO:grace@example.com
ATTENDEE:urn:uuid:not-an-email
END:VEVENT
BEGIN:VEVENT
UID:weekly-1
RECURRENCE-ID;TZID=Europe/Paris:20240112T233000
DTSTART;TZID=Europe/Paris:20240113T100000
SUMMARY:Coffee with Ada (moved)
END:VEVENT
BEGIN:VEVENT
SUMMARY:No UID, all day
DTSTART;VALUE=DATE:20240301
END:VEVENT
BEGIN:VEVENT
UID:no-start
SUMMARY:Broken
END:VEVENT
BEGIN:VTODO
UID:todo-1
SUMMARY:Not a meeting
END:VTODO
END:VCALENDAR
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.ics"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_events_first_occurrence_attendees_and_errors(tmp_path: Path) -> None:
    events, errors = read_events(write(tmp_path, CALENDAR))
    weekly, all_day = events
    assert weekly == CalendarEvent(
        uid="weekly-1",
        start=date(2024, 1, 5),  # the day as written in its own zone, not expanded
        summary="Coffee with Ada",
        organizer_email="me@example.com",
        attendee_emails=("ada@example.com", "grace@example.com"),
        line=4,
    )
    assert all_day.start == date(2024, 3, 1)
    assert all_day.uid.startswith("sha256:")
    assert errors == [RecordError(25, "DTSTART", "event has no start date")]


def test_a_missing_uid_gives_the_same_digest_every_run(tmp_path: Path) -> None:
    first, _ = read_events(write(tmp_path, CALENDAR))
    second, _ = read_events(write(tmp_path, CALENDAR))
    assert [e.uid for e in first] == [e.uid for e in second]


@pytest.mark.parametrize("text", ["", "BEGIN:VCARD\nFN:x\nEND:VCARD\n", "hello"])
def test_a_file_that_is_not_a_calendar_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(FormatError, match=r"calendar\.ics: not"):
        iter_events(write(tmp_path, text))


TODO_ONLY = {"rad-davdroid-todo.ics", "rad-mozilla-todo.ics", "vobj-vtodo.ics"}


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("ics"), ids=lambda p: getattr(p, "name", p))
def test_every_calendar_in_the_corpus_is_read(path: Path) -> None:
    events, errors = read_events(path)
    assert errors == []
    assert bool(events) is (path.name not in TODO_ONLY)
    assert all(e.uid and e.line >= 1 for e in events)
    assert len({e.uid for e in events}) == len(events)  # recurrences are not expanded


CUT_SHORT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261001\r\n"
    "SUMMARY:lunch\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:2026"
)


def test_a_calendar_cut_short_reads_what_it_can_or_is_refused(tmp_path: Path) -> None:
    # Found by the importer fuzzer: more BEGIN:VEVENT lines than events read crashed zip().
    path = tmp_path / "cut.ics"
    path.write_text(CUT_SHORT, encoding="utf-8")
    try:
        events, errors = read_events(path)
    except FormatError:
        return
    assert len(events) + len(errors) <= 2


def test_a_start_that_is_not_a_date_is_that_events_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.ics"
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=TEXT:soon\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path.write_text(text, encoding="utf-8")
    events, errors = read_events(path)
    assert events == [] or all(isinstance(e.start, date) for e in events)
    assert all(isinstance(e, RecordError) for e in errors)
