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
from pathlib import Path
from typing import cast

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


def read_rows(path: Path, accepts: Accepts, what: str, to_item: ToItem) -> Iterator[Item]:
    """Stream `to_item` over the rows of `path` under the first header `accepts` takes.

    Raises FormatError now (not on first iteration) if no such header is found.
    """
    generator = _rows(path, accepts, what, to_item)
    if next(generator) is not _READY:  # runs up to the header check
        raise AssertionError("header check must come first")
    return cast(Iterator[Item], generator)


def _rows(
    path: Path, accepts: Accepts, what: str, to_item: ToItem
) -> Generator[Item | object, None, None]:
    text, codec = open_text(path)
    with text:
        reader = csv.reader(text)
        try:
            original = _find_header(reader, accepts, what, path)
            header = [norm(cell) for cell in original]
            spelled = dict(zip(header, (cell.strip() for cell in original), strict=True))
            yield _READY
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                if "".join(cells).strip():  # some cell holds more than spaces
                    row = Row(start, dict(zip(header, cells, strict=False)), spelled)
                    item = to_item(row)
                    if item is not None:
                        yield item
        except UnicodeDecodeError:
            where = f"after line {reader.line_num}"
            raise FormatError(f"{path.name}: not readable as {codec} {where}") from None
        except csv.Error as error:
            raise FormatError(f"{path.name}: line {reader.line_num}: {error}") from None


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
