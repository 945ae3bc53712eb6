"""An iCalendar file of the feed, for a calendar to subscribe to: each due nurture is an
all-day VEVENT (or a VTODO) whose description says why and suggests a gesture.

UIDs are stable per person and due date, so a calendar that re-reads the file updates
the same entries instead of piling up copies. DTSTAMP is given by the caller: no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

PRODID = "-//kith//kith feed//EN"


@dataclass(frozen=True)
class FeedEntry:
    person_key: str  # stable for the person: their vCard UID, or their id
    name: str
    due: date
    why: str
    gesture: str


def feed_uid(entry: FeedEntry) -> str:
    return f"feed-{entry.person_key}-{entry.due:%Y%m%d}@kith"


def _component(entry: FeedEntry, stamp: datetime, as_todo: bool) -> icalendar.Component:
    item: icalendar.Component = icalendar.Todo() if as_todo else icalendar.Event()
    item.add("uid", feed_uid(entry))
    item.add("dtstamp", stamp)
    item.add("summary", f"Nurture {entry.name}")
    item.add("description", f"Why: {entry.why}\nGesture: {entry.gesture}")
    item.add("dtstart", entry.due)
    if as_todo:
        item.add("due", entry.due + timedelta(days=1))
    else:
        item.add("dtend", entry.due + timedelta(days=1))  # all day: DTEND is exclusive
        item.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return item


def feed_calendar(
    entries: Iterable[FeedEntry], *, dtstamp: datetime, as_todo: bool = False
) -> bytes:
    """The calendar as bytes; `dtstamp` must be timezone-aware (it is written in UTC)."""
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be timezone-aware")
    stamp = dtstamp.astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "kith feed")
    for entry in entries:
        calendar.add_component(_component(entry, stamp, as_todo))
    return bytes(calendar.to_ical())
