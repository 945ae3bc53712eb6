"""Write people as CSV that is safe to open in a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (CSV injection, OWASP): such cells get a leading single
quote, which spreadsheets show as text. Phone numbers like +44 ... are quoted too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from kith.core.model import PersonDraft

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = (
    "Name",
    "Emails",
    "Phones",
    "Company",
    "Title",
    "Links",
    "Met where",
    "Met on",
    "Interests",
    "Birthday",
)
SEPARATOR = "; "  # between several values in one cell


def safe_cell(value: str) -> str:
    """The value, defused if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row(person: PersonDraft, include_note: bool) -> list[str]:
    cells = [
        person.name,
        SEPARATOR.join(person.emails),
        SEPARATOR.join(person.phones),
        person.company or "",
        person.title or "",
        SEPARATOR.join(person.links),
        person.met_where or "",
        person.met_on.isoformat() if person.met_on else "",
        SEPARATOR.join(person.interests),
        person.birthday.isoformat() if person.birthday else "",
    ]
    if include_note:
        cells.append(person.note or "")
    return [safe_cell(cell) for cell in cells]


def write_people_csv(
    people: Iterable[PersonDraft], out: TextIO, *, include_note: bool = False
) -> int:
    """Write a header and one row per person to `out` (opened with newline="")."""
    writer = csv.writer(out)
    writer.writerow([*HEADER, "Note"] if include_note else HEADER)
    count = 0
    for person in people:
        writer.writerow(_row(person, include_note))
        count += 1
    return count
