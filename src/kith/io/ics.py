"""Calendar events for `kith capture ics`, read with icalendar.

Each VEVENT gives its start date, summary, organizer and attendees (emails, lower-cased).
A recurring event is taken once, at its first occurrence: capture logs that you met, and
expanding an open-ended RRULE would never end. Overrides of single occurrences
(RECURRENCE-ID) belong to a series we do not expand, so they are passed over too,
unless the series itself is not in the file: then the first of them stands for it.
VTODO and VJOURNAL hold no meeting and give nothing. The file is parsed whole
(icalendar needs its VTIMEZONEs); calendars are small next to contact exports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar

from kith.io.records import FormatError, RecordError, is_email


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # the event's UID, or a stable digest of its start and summary if it has none
    start: date
    summary: str | None
    organizer_email: str | None
    attendee_emails: tuple[str, ...]
    line: int  # where its BEGIN:VEVENT is


def _event_lines(data: bytes) -> list[int]:
    """Line numbers of BEGIN:VEVENT, in file order (icalendar keeps no line numbers)."""
    return [
        number
        for number, line in enumerate(data.splitlines(), start=1)
        if line.strip().upper() == b"BEGIN:VEVENT"
    ]


def _calendars(data: bytes, name: str) -> list[Any]:
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise FormatError(f"{name}: not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        return list(icalendar.Calendar.from_ical(data, multiple=True))
    # icalendar trips over some hostile input with errors of its own making (an attribute
    # looked up on a list, say: tests/integration/test_import_fuzz.py); all mean unreadable.
    except (ValueError, AttributeError, TypeError, IndexError, KeyError, RecursionError) as error:
        message = " ".join(str(error).split())
        raise FormatError(f"{name}: not a readable iCalendar file: {message}") from None


def iter_events(path: Path) -> Iterator[CalendarEvent | RecordError]:
    """Events and event errors; FormatError at once if the file is not a calendar."""
    return parse_events(path.read_bytes(), path.name)


def parse_events(data: bytes, name: str) -> Iterator[CalendarEvent | RecordError]:
    """The events of one calendar text (a file, or one CalDAV object), and their errors."""
    calendars = _calendars(data, name)
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    lines = _event_lines(data)
    # icalendar may read fewer events than there are BEGIN lines (a file cut short) or
    # more (nested components): line numbers are then the nearest we know.
    lines += [lines[-1] if lines else 1] * (len(events) - len(lines))
    return _items(events, lines[: len(events)])


def read_events(path: Path) -> tuple[list[CalendarEvent], list[RecordError]]:
    events: list[CalendarEvent] = []
    errors: list[RecordError] = []
    for item in iter_events(path):
        if isinstance(item, CalendarEvent):
            events.append(item)
        else:
            errors.append(item)
    return events, errors


def _items(events: list[Any], lines: list[int]) -> Iterator[CalendarEvent | RecordError]:
    masters = {str(e.get("UID", "")) for e in events if "RECURRENCE-ID" not in e}
    taken: set[str] = set()
    for event, line in zip(events, lines, strict=True):
        uid = str(event.get("UID", ""))
        if "RECURRENCE-ID" in event:
            # A moved occurrence: skip it when its series is here, else take the
            # first one we meet (an invitation to a single instance has no master).
            if uid in masters or uid in taken:
                continue
            taken.add(uid)
        yield _event(event, line)


def _address(value: Any) -> str | None:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip().lower()
    return text if is_email(text) else None


def _addresses(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    found = (_address(v) for v in values)
    return tuple(dict.fromkeys(a for a in found if a))


def _start(event: Any) -> date:
    value = event.decoded("DTSTART")
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):  # icalendar hands back what it could not read as text
        raise ValueError(f"{str(value)[:40]!r} is not a date")
    return value


def _uid(event: Any) -> str:
    uid = str(event.get("UID", "")).strip()
    if uid:
        return uid
    # Thunderbird imports events without UID; a digest keeps re-runs free of duplicates.
    seed = f"{event.get('DTSTART').to_ical()!r}|{event.get('SUMMARY', '')}".encode()
    return "sha256:" + hashlib.sha256(seed).hexdigest()[:32]


def _event(event: Any, line: int) -> CalendarEvent | RecordError:
    if event.get("DTSTART") is None:
        return RecordError(line, "DTSTART", "event has no start date")
    try:
        start = _start(event)
    except (ValueError, TypeError) as error:
        return RecordError(line, "DTSTART", f"unreadable start: {error}")
    summary = str(event.get("SUMMARY", "")).strip() or None
    return CalendarEvent(
        uid=_uid(event),
        start=start,
        summary=summary,
        organizer_email=_address(event.get("ORGANIZER", "")),
        attendee_emails=_addresses(event.get("ATTENDEE")),
        line=line,
    )
