"""LinkedIn's Connections.csv, today's (a "Notes:" preamble, URL column) and older ones.

"Connected On" becomes when you met, "LinkedIn" where; the profile URL is kept as a link
so dedup can match on it. Emails are mostly empty: members hide them by default.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from kith.io.dates import DateError, parse_date
from kith.io.records import ContactRecord, Item, RecordError, collect, fallback_name, is_email
from kith.io.tabular import Row, is_linkedin, named, read_rows

MET_WHERE = "LinkedIn"
_connected_on = lru_cache(maxsize=4096)(parse_date)  # a few thousand days in any export


def iter_linkedin(path: Path) -> Iterator[Item]:
    """Records and row errors, streamed; FormatError at once if there is no LinkedIn header."""
    return read_rows(path, is_linkedin, "LinkedIn connections", _record)


def read_linkedin(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_linkedin(path))


def _record(row: Row) -> Item:
    email = row.get("email address")
    dropped: list[RecordError] = []
    if email and not is_email(email):
        dropped.append(RecordError(row.line, "Email Address", f"invalid email {email!r}"))
        email = ""
    try:
        met_on = _connected_on(row.get("connected on"))
    except DateError as error:
        met_on = None
        dropped.append(RecordError(row.line, "Connected On", str(error)))
    full = f"{row.get('first name')} {row.get('last name')}"
    name = fallback_name(full, email)
    if name is None:
        return named(row, None)
    url = row.get("url", "profile url")
    return ContactRecord(
        name=name,
        line=row.line,
        source="linkedin",
        emails=(email,) if email else (),
        company=row.get("company") or None,
        title=row.get("position") or None,
        links=(url,) if url else (),
        met_on=met_on,
        met_where=MET_WHERE,
        dropped=tuple(dropped),
    )
