"""Shared CSV machinery: find the header row by its content, then stream rows by column name.

Exports put preambles before the header (LinkedIn's "Notes:"), reorder columns between
versions and vary the number of numbered groups (Google), so nothing here relies on a
column's position or on skipping a fixed number of lines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TypeVar, cast

from kith.io.encoding import open_text
from kith.io.records import (
    ContactRecord,
    FormatError,
    Item,
    RecordError,
    Source,
    fallback_name,
    is_email,
    unique,
)

HEADER_SCAN_ROWS = 50  # preambles are a few lines; a header further down is not a header
_READY = object()

# Fields hold whole notes; the csv module's default 128 KiB cap is too small for some.
csv.field_size_limit(16 * 1024 * 1024)


def norm(header: str) -> str:
    """How headers are compared: no BOM, quotes or extra spaces, case-folded."""
    return " ".join(header.replace("\ufeff", "").strip().strip('"').split()).casefold()


@dataclass(frozen=True)
class Row:
    """One data row, its cells looked up by (normalised) header name."""

    line: int
    cells: dict[str, str]
    headers: dict[str, str]  # normalised name -> as the file spells it, for messages

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def get(self, *names: str) -> str:
        """The first non-empty cell among `names`, stripped, or ''."""
        for name in names:
            value = self.cells.get(name, "").strip()
            if value:
                return value
        return ""

    def matching(self, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
        """(header, value) of every non-empty cell whose header matches, in column order."""
        return [(h, v.strip()) for h, v in self.cells.items() if v.strip() and pattern.match(h)]


Accepts = Callable[[set[str]], bool]
ToItem = Callable[[Row], Item | None]
T = TypeVar("T")
# A reader of raw cells: the row's first line and its cells, as the csv module gives them.
CellsTo = Callable[[int, list[str]], T | None]
CellsToItem = CellsTo[Item]


def read_rows(path: Path, accepts: Accepts, what: str, to_item: ToItem) -> Iterator[Item]:
    """Stream `to_item` over the rows of `path` under the first header `accepts` takes.

    Raises FormatError now (not on first iteration) if no such header is found.
    """
    return read_cells(path, accepts, what, lambda header: _by_name(header, to_item))


def read_cells(
    path: Path, accepts: Accepts, what: str, make: Callable[[list[str]], CellsTo[T]]
) -> Iterator[T]:
    """`read_rows` for a reader of raw cells, which `make` builds from the header (the
    names as the file spells them, in column order).

    For formats with a fixed set of columns (LinkedIn): the reader finds its columns by
    name once, then takes cells by position, with no `Row` dict per row.
    """
    generator = _rows(path, accepts, what, make)
    if next(generator) is not _READY:  # runs up to the header check
        raise AssertionError("header check must come first")
    return cast(Iterator[T], generator)


def _by_name(original: list[str], to_item: ToItem) -> CellsToItem:
    header = [norm(cell) for cell in original]
    spelled = dict(zip(header, (cell.strip() for cell in original), strict=True))
    return lambda line, cells: to_item(Row(line, dict(zip(header, cells, strict=False)), spelled))


def _rows(
    path: Path, accepts: Accepts, what: str, make: Callable[[list[str]], CellsTo[T]]
) -> Generator[T | object, None, None]:
    text, codec = open_text(path)
    with text:
        reader = csv.reader(text)
        try:
            to_item = make(_find_header(reader, accepts, what, path))
            yield _READY
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                # some cell holds more than spaces (the first one, nearly always: a name)
                if cells and (cells[0].strip() or "".join(cells).strip()):
                    item = to_item(start, cells)
                    if item is not None:
                        yield item
        except UnicodeDecodeError:
            where = f"after line {reader.line_num}"
            raise FormatError(f"{path.name}: not readable as {codec} {where}") from None
        except csv.Error as error:
            raise FormatError(f"{path.name}: line {reader.line_num}: {error}") from None


def columns(header: list[str], *names: str) -> Callable[[list[str]], list[str]]:
    """The cells of `names` (normalised header names) from a row, stripped, '' if absent.

    As `Row.get` reads them: a name the header repeats is its last column the row has
    (the `Row` dict keeps the last of the cells zipped), a missing or short cell is ''.
    """
    if len(names) < 2:  # itemgetter of one index gives a cell, not a tuple
        raise ValueError("columns() takes two names or more")
    normalised = [norm(cell) for cell in header]
    width = len(header)
    at = [[n for n, have in enumerate(normalised) if have == name] for name in names]
    take = itemgetter(*(found[-1] if found else width for found in at))  # width: ''
    padded = not all(at)  # a name the header lacks reads the empty cell after the row

    def cells_of(cells: list[str]) -> list[str]:
        if len(cells) == width:  # nearly always: every column there, no more
            return list(map(str.strip, take([*cells, ""] if padded else cells)))
        if len(cells) > width:  # extra cells belong to no column; the one at `width`: ''
            return list(map(str.strip, take([*cells[:width], ""] if padded else cells)))
        short = len(cells)
        return [next((cells[n].strip() for n in reversed(found) if n < short), "") for found in at]

    return cells_of


def _find_header(reader: Iterable[list[str]], accepts: Accepts, what: str, path: Path) -> list[str]:
    for number, cells in enumerate(reader):
        if accepts({norm(cell) for cell in cells}):
            return [cell.replace("\ufeff", "") for cell in cells]
        if number >= HEADER_SCAN_ROWS:
            break
    raise FormatError(f"{path.name}: no {what} header row found (is this the right export?)")


def no_contact(row: Row) -> RecordError:
    return RecordError(row.line, None, "row has no name, email or phone")


@dataclass(frozen=True)
class Found:
    """What one address-book layout found in a row, before the name is settled."""

    display_name: str | None
    name_parts: str
    nickname: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    company: str | None
    title: str | None
    links: tuple[str, ...]
    note: str | None
    birthday: date | None
    dropped: tuple[RecordError, ...] = ()  # fields left out as unreadable, the row kept


def checked_emails(
    row: Row, found: list[tuple[str, str]]
) -> tuple[tuple[str, ...], list[RecordError]]:
    """The readable emails of (column, value) pairs, and an error for each one dropped."""
    kept: list[str] = []
    dropped: list[RecordError] = []
    for column, email in found:
        if is_email(email):
            kept.append(email)
        else:
            dropped.append(RecordError(row.line, row.header(column), f"invalid email {email!r}"))
    return tuple(kept), dropped


def contact(row: Row, source: Source, found: Found) -> Item:
    """The record for a row, named by its first usable name (display name, the name's parts,
    nickname, company, email, phone), or the error for a row that names nobody."""
    name = fallback_name(
        found.display_name,
        found.name_parts,
        found.nickname,
        found.company,
        *found.emails,
        *found.phones,
    )
    if name is None:
        return named(row, None)
    return ContactRecord(
        name=name,
        line=row.line,
        source=source,
        emails=unique(found.emails),
        phones=found.phones,
        company=found.company,
        title=found.title or None,
        links=unique(found.links),
        note=found.note or None,
        birthday=found.birthday,
        dropped=found.dropped,
    )


def named(row: Row, record: ContactRecord | None) -> Item:
    """A record, or the error for a row that names nobody."""
    return record if record is not None else no_contact(row)


# --- telling formats apart by their header ------------------------------------------

_GOOGLE_GROUP = re.compile(r"^(e-mail|phone|organization|website|address) \d+ - ")
_THUNDERBIRD = {"primary email", "secondary email", "mobile number", "birth year", "web page 1"}
_OUTLOOK = {
    "e-mail address",
    "e-mail 2 address",
    "business phone",
    "mobile phone",
    "job title",
    "email home",
    "email work",
}


def is_linkedin(header: set[str]) -> bool:
    return {"first name", "last name"} <= header and bool({"connected on", "position"} & header)


def is_google(header: set[str]) -> bool:
    grouped = any(_GOOGLE_GROUP.match(name) for name in header)
    return grouped or {"given name", "family name"} <= header


def is_thunderbird(header: set[str]) -> bool:
    return bool(_THUNDERBIRD & header) and not is_google(header)


def is_outlook(header: set[str]) -> bool:
    return bool(_OUTLOOK & header) and not (is_google(header) or is_linkedin(header))


def detect_csv_format(header: Iterable[str]) -> str | None:
    """'linkedin', 'google', 'thunderbird' or 'outlook' from a header row, else None.

    Thunderbird and Outlook-like exports (Roundcube's too) are both read by
    `kith.io.outlook`, which finds its columns by name in either layout.
    """
    names = {norm(cell) for cell in header}
    for name, test in (
        ("linkedin", is_linkedin),
        ("google", is_google),
        ("thunderbird", is_thunderbird),
        ("outlook", is_outlook),
    ):
        if test(names):
            return name
    return None
