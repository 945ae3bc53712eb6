"""LinkedIn's Connections.csv, today's (a "Notes:" preamble, URL column) and older ones.

"Connected On" becomes when you met, "LinkedIn" where; the profile URL is kept as a link
so dedup can match on it. Emails are mostly empty: members hide them by default.

The columns are found by name once (`tabular.columns`), then each row's cells are taken by
position: a 50,000-row export is read without a `Row` dict or a `get` per cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from kith.io.dates import DateError, parse_date
from kith.io.records import (
    ContactRecord,
    Item,
    RecordError,
    collect,
    is_email,
    record_of,
)
from kith.io.tabular import CellsToItem, columns, is_linkedin, read_cells

MET_WHERE = "LinkedIn"
_connected_on = lru_cache(maxsize=4096)(parse_date)  # a few thousand days in any export
# The columns read, by their normalised header names ("profile url" in older exports).
_COLUMNS = (
    "first name", "last name", "email address", "connected on", "url", "profile url",
    "company", "position",
)  # fmt: skip


def iter_linkedin(path: Path) -> Iterator[Item]:
    """Records and row errors, streamed; FormatError at once if there is no LinkedIn header."""
    return read_cells(path, is_linkedin, "LinkedIn connections", _reader)


def read_linkedin(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_linkedin(path))


def _reader(header: list[str]) -> CellsToItem:
    cells_of = columns(header, *_COLUMNS)

    def record(line: int, cells: list[str]) -> Item:
        return _record(line, cells_of(cells))

    return record


def _record(line: int, cells: list[str]) -> Item:
    """The record of one row's cells (in `_COLUMNS` order), or the error for a nameless row."""
    first, last, email, connected, url, profile, company, position = cells
    url = url or profile
    dropped: tuple[RecordError, ...] = ()
    if email and not is_email(email):
        dropped = (RecordError(line, "Email Address", f"invalid email {email!r}"),)
        email = ""
    try:
        met_on = _connected_on(connected)
    except DateError as error:
        met_on = None
        dropped = (*dropped, RecordError(line, "Connected On", str(error)))
    # the first usable of the full name and the email (`records.fallback_name`); a valid
    # email has no spaces to collapse
    name = " ".join(f"{first} {last}".split()) or email
    if not name:
        return RecordError(line, None, "row has no name, email or phone")
    return record_of(
        {
            "name": name,
            "line": line,
            "source": "linkedin",
            "emails": (email,) if email else (),
            "company": company or None,
            "title": position or None,
            "links": (url,) if url else (),
            "met_on": met_on,
            "met_where": MET_WHERE,
            "dropped": dropped,
        }
    )
