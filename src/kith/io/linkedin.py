"""LinkedIn's Connections.csv, today's (a "Notes:" preamble, URL column) and older ones.

"Connected On" becomes when you met, "LinkedIn" where; the profile URL is kept as a link
so dedup can match on it. Emails are mostly empty: members hide them by default.

The columns are found by name once (`tabular.columns`), then each row's cells are taken by
position: a 50,000-row export is read without a `Row` dict or a `get` per cell.

Two readers share that: `iter_linkedin` gives a `ContactRecord` per row (what the capture
of a LinkedIn export keeps), `iter_linkedin_drafts` gives the importer a row that reads
whole straight as the draft it stores, with no record between (a third of its parsing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from kith.core import limits
from kith.core.dedup import email_of
from kith.core.model import PersonDraft
from kith.io.dates import DateError, parse_date
from kith.io.records import (
    DRAFT_DEFAULTS,
    ContactRecord,
    Item,
    Line,
    RecordError,
    collect,
    is_email,
    record_of,
)
from kith.io.tabular import CellsTo, T, columns, is_linkedin, read_cells

MET_WHERE = "LinkedIn"
_connected_on = lru_cache(maxsize=4096)(parse_date)  # a few thousand days in any export
# The columns read, by their normalised header names ("profile url" in older exports).
_COLUMNS = (
    "first name", "last name", "email address", "connected on", "url", "profile url",
    "company", "position",
)  # fmt: skip
WHAT = "LinkedIn connections"
# Every draft of a connection is met on LinkedIn, which fits its column.
_DEFAULTS = {**DRAFT_DEFAULTS, "met_where": MET_WHERE}
if len(MET_WHERE) > limits.MET_WHERE:
    raise AssertionError("MET_WHERE must fit its column")


def iter_linkedin(path: Path) -> Iterator[Item]:
    """Records and row errors, streamed; FormatError at once if there is no LinkedIn header."""
    return read_cells(path, is_linkedin, WHAT, lambda header: _reader(header, _record))


def read_linkedin(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_linkedin(path))


def iter_linkedin_drafts(path: Path) -> Iterator[Line | Item]:
    """`iter_linkedin` for the importer: a row that drops nothing and fits every limit of
    `core.limits` comes as its line and draft, emails as stored (`core.dedup.email_of`);
    any other row as its record or error, for the importer to report as it does any.

    The drafts equal `ContactRecord.draft()` of the records with emails as stored
    (`tests/unit/test_io_linkedin_columns.py`).
    """
    return read_cells(path, is_linkedin, WHAT, lambda header: _reader(header, _line))


def _reader(header: list[str], read: Callable[[int, list[str]], T]) -> CellsTo[T]:
    """`read` of each row's cells in `_COLUMNS` order, found in this file's `header`."""
    cells_of = columns(header, *_COLUMNS)
    return lambda line, cells: read(line, cells_of(cells))


def _line(line: int, cells: list[str]) -> Line | Item:
    """The line and draft of a row that reads whole, else what `_record` makes of it.

    Only the rows whose outcome is plain are taken here: a bad email or date, a nameless
    row or a value over its limit go to `_record` (and the importer's checks) unchanged.
    """
    first, last, email, connected, url, profile, company, position = cells
    try:
        met_on = _connected_on(connected)
    except DateError:
        return _record(line, cells)
    name = _full_name(first, last) or email
    url = url or profile
    fits = (  # every value within its column (the importer's `_too_long`, for these five)
        len(name) <= limits.NAME
        and (name.isascii() or not limits.too_long_casefolded(name))
        and len(company) <= limits.COMPANY
        and len(position) <= limits.TITLE
        and len(email) <= limits.EMAIL
        and len(url) <= limits.URL
    )
    if not (name and fits) or (email and not is_email(email)):
        return _record(line, cells)
    draft = object.__new__(PersonDraft)  # its fields set as `__init__` would, without it
    values = draft.__dict__
    values.update(_DEFAULTS)
    values["name"] = name
    values["met_on"] = met_on
    if email:
        values["emails"] = (email_of(email),)
    if url:
        values["links"] = (url,)
    if company:
        values["company"] = company
    if position:
        values["title"] = position
    return line, draft


def _full_name(first: str, last: str) -> str:
    """The name of the first and last names, spaces collapsed (`records.fallback_name`)."""
    return " ".join(f"{first} {last}".split())


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
    name = _full_name(first, last) or email
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
