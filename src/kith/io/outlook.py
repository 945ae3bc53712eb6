"""Outlook CSV (`E-mail Address`, `Business Phone`, ...) and the address-book exports that
look like it: Thunderbird (`Primary Email`, `Mobile Number`, Birth Year/Month/Day) and
Roundcube (`Email Home`, `Website Work`). Columns are classified by name, so one reader
takes all three; `kith.io.tabular.detect_csv_format` tells them apart when it matters.

Outlook's "Title" is the honorific (Mr.), its job title is "Job Title"; Exchange-internal
addresses (`/o=ExchangeLabs/...`) are not emails and are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kith.io.dates import DateError, date_from_parts, parse_date
from kith.io.records import (
    ContactRecord,
    Item,
    RecordError,
    collect,
    unique,
)
from kith.io.tabular import (
    Found,
    Row,
    checked_emails,
    contact,
    is_outlook,
    is_thunderbird,
    read_rows,
)

_EMAIL = re.compile(
    r"^(e-?mail( \d)?( address)?|(primary|secondary) email|e-?mail (home|work|other))$"
)
_PHONE = re.compile(
    r"^((business|home|mobile|primary|other|car|work|radio|cell) phone( \d)?"
    r"|mobile( number)?|home mobile)$"
)
_WEB = re.compile(r"^(web page( \d)?|(personal|business) web page|website( [a-z ]+)?)$")


def _accepts(header: set[str]) -> bool:
    return is_outlook(header) or is_thunderbird(header)


def iter_outlook(path: Path) -> Iterator[Item]:
    """Records and row errors, streamed; FormatError at once without an address-book header."""
    return read_rows(path, _accepts, "Outlook or Thunderbird address book", _record)


def read_outlook(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_outlook(path))


def _emails(row: Row) -> list[tuple[str, str]]:
    return [(h, v) for h, v in row.matching(_EMAIL) if not v.lower().startswith("/o=")]


def _birthday(row: Row) -> date | RecordError | None:
    """The birthday, or the RecordError that explains why it cannot be read (and is dropped)."""
    try:
        if row.get("birth year", "birth month", "birth day"):
            return date_from_parts(
                row.get("birth year"), row.get("birth month"), row.get("birth day")
            )
        return parse_date(row.get("birthday"))
    except DateError as error:
        return RecordError(row.line, "Birthday", str(error))


def _record(row: Row) -> Item:
    emails, dropped = checked_emails(row, _emails(row))
    birthday = _birthday(row)
    if isinstance(birthday, RecordError):
        dropped.append(birthday)
        birthday = None
    phones = unique(value for _, value in row.matching(_PHONE))
    company = row.get("company", "organization") or None
    parts = " ".join(row.get(n) for n in ("first name", "middle name", "last name", "suffix"))
    found = Found(
        display_name=row.get("display name", "name"),
        name_parts=parts,
        nickname=row.get("nickname"),
        emails=emails,
        phones=phones,
        company=company,
        title=row.get("job title"),
        links=tuple(value for _, value in row.matching(_WEB)),
        note=row.get("notes"),
        birthday=birthday,
        dropped=tuple(dropped),
    )
    return contact(row, "outlook", found)
