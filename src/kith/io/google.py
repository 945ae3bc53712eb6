"""Google Contacts CSV: today's layout (First Name, Labels, `E-mail 1 - Label`) and the
legacy Gmail one (Name, Given Name, Group Membership, `E-mail 1 - Type`).

Emails, phones and websites come in numbered groups whose count varies with the data, and
one cell may hold several values joined by " ::: ", so columns are matched by pattern.
Group memberships (`* My Contacts`) are Google's filing, not interests, and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kith.io.dates import DateError, parse_date
from kith.io.records import (
    ContactRecord,
    Item,
    RecordError,
    collect,
    unique,
)
from kith.io.tabular import Found, Row, checked_emails, contact, is_google, read_rows

_EMAIL = re.compile(r"^e-mail \d+ - value$")
_PHONE = re.compile(r"^phone \d+ - value$")
_WEBSITE = re.compile(r"^website \d+ - value$")
_SEPARATOR = " ::: "
_NOT_A_PHONE = re.compile(r"fax|pager", re.IGNORECASE)


def iter_google(path: Path) -> Iterator[Item]:
    """Records and row errors, streamed; FormatError at once without a Google header."""
    return read_rows(path, is_google, "Google Contacts", _record)


def read_google(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_google(path))


def _values(row: Row, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """(column, value) for every value of a numbered group, split on " ::: "."""
    return [
        (column, part)
        for column, cell in row.matching(pattern)
        for part in cell.split(_SEPARATOR)
        if part.strip()
    ]


def _phones(row: Row) -> tuple[str, ...]:
    """Phone numbers, leaving out faxes and pagers (nobody to talk to there)."""
    kept = []
    for column, value in _values(row, _PHONE):
        group = column.removesuffix(" - value")
        kind = row.get(f"{group} - type", f"{group} - label")
        if not _NOT_A_PHONE.search(kind):
            kept.append(value)
    return unique(kept)


def _record(row: Row) -> Item:
    emails, dropped = checked_emails(row, [(c, e.strip()) for c, e in _values(row, _EMAIL)])
    try:
        birthday = parse_date(row.get("birthday"))
    except DateError as error:
        birthday = None
        dropped.append(RecordError(row.line, row.header("birthday"), str(error)))
    phones = _phones(row)
    company = row.get("organization 1 - name", "organization name") or None
    parts = " ".join(
        row.get(*names)
        for names in (
            ("given name", "first name"),
            ("additional name", "middle name"),
            ("family name", "last name"),
        )
    )
    found = Found(
        display_name=row.get("name"),
        name_parts=parts,
        nickname=row.get("nickname"),
        emails=emails,
        phones=phones,
        company=company,
        title=row.get("organization 1 - title", "organization title"),
        links=tuple(value for _, value in _values(row, _WEBSITE)),
        note=row.get("notes"),
        birthday=birthday,
        dropped=tuple(dropped),
    )
    return contact(row, "google", found)
