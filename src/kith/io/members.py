"""Pairing rounds as files: read MEMBERS.csv and earlier PAIRS.csv, write PAIRS.csv.

MEMBERS.csv columns are found by header name, in any order and case: `id` or `email` (at
least one), `name`, `interests`, `needs`, `offers`; a cell holds several values separated
by ';' or ','. A bad row is reported by line and field and the others are kept; a file
without the columns it needs is refused whole (FormatError).

PAIRS.csv has the columns round, a_id, a_name, b_id, b_name, shared. Cells a spreadsheet
would run as a formula are written with a leading single quote, and read back without it.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kith.core.pairing import Member, Round
from kith.io.csv_export import FORMULA_STARTS, safe_cell
from kith.io.encoding import open_text
from kith.io.records import FormatError, RecordError
from kith.io.tabular import norm

PAIRS_HEADER = ("round", "a_id", "a_name", "b_id", "b_name", "shared")
SHARED_SEPARATOR = "; "
_MULTI_VALUE = re.compile(r"[;,]")
_ID_COLUMNS = ("id", "member id", "member_id")
_EMAIL_COLUMNS = ("email", "e-mail", "email address")


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]  # normalised header -> cell, stripped

    def get(self, names: tuple[str, ...]) -> str:
        return next((self.cells[n] for n in names if self.cells.get(n)), "")


def read_members(path: Path) -> tuple[list[Member], list[RecordError]]:
    """Members in file order, and the rows that could not be read."""
    members: list[Member] = []
    errors: list[RecordError] = []
    first_line: dict[str, int] = {}
    rows = _rows(path, required=(*_ID_COLUMNS, *_EMAIL_COLUMNS), what="id or email")
    for row in rows:
        member = _member(row, errors)
        if member is None:
            continue
        if member.id in first_line:
            where = f"line {first_line[member.id]}"
            errors.append(RecordError(row.line, "id", f"{member.id!r} already on {where}"))
            continue
        first_line[member.id] = row.line
        members.append(member)
    return members, errors


def _member(row: _Row, errors: list[RecordError]) -> Member | None:
    email = row.get(_EMAIL_COLUMNS)
    if email and "@" not in email:
        errors.append(RecordError(row.line, "email", f"{email!r} is not an email address"))
        return None
    member_id = row.get(_ID_COLUMNS) or email.casefold()
    if not member_id:
        errors.append(RecordError(row.line, "id", "no id or email"))
        return None
    return Member(
        id=member_id,
        name=row.get(("name", "full name")) or member_id,
        interests=split_values(row.get(("interests", "interest"))),
        needs=split_values(row.get(("needs", "need"))),
        offers=split_values(row.get(("offers", "offer"))),
    )


def split_values(cell: str) -> tuple[str, ...]:
    """The values of a multi-value cell, trimmed, blanks and repeats dropped, in order."""
    values = (v.strip() for v in _MULTI_VALUE.split(cell))
    return tuple(dict.fromkeys(v for v in values if v))


def read_pairs(path: Path) -> tuple[list[frozenset[str]], list[RecordError]]:
    """The pairs of an earlier round's PAIRS.csv, and the rows that could not be read."""
    pairs: list[frozenset[str]] = []
    errors: list[RecordError] = []
    for row in _rows(path, required=("a_id",), what="a_id and b_id"):
        a, b = _unquoted(row.get(("a_id",))), _unquoted(row.get(("b_id",)))
        if not a or not b:
            errors.append(RecordError(row.line, "b_id" if a else "a_id", "missing"))
        elif a == b:
            errors.append(RecordError(row.line, "b_id", f"{b!r} is paired with itself"))
        else:
            pairs.append(frozenset((a, b)))
    return pairs, errors


def _unquoted(cell: str) -> str:
    # Undo safe_cell: a quote we put before a formula character is not part of the value.
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _rows(path: Path, required: tuple[str, ...], what: str) -> Iterator[_Row]:
    text, codec = open_text(path)
    with text:
        reader = csv.reader(text)
        try:
            header = [norm(cell) for cell in next(reader, [])]
            if not set(required) & set(header):
                raise FormatError(f"{path.name}: the header row has no {what} column")
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                if "".join(cells).strip():
                    yield _Row(start, dict(zip(header, (c.strip() for c in cells), strict=False)))
        except UnicodeDecodeError:
            raise FormatError(f"{path.name}: not readable as {codec}") from None
        except csv.Error as error:
            raise FormatError(f"{path.name}: line {reader.line_num}: {error}") from None


def write_pairs(path: Path, round_number: int, result: Round, names: Mapping[str, str]) -> int:
    """Write PAIRS.csv whole or not at all (a temporary file renamed into place).

    `names` maps member ids to names. Returns the number of pairs written.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            count = write_pairs_to(out, round_number, result, names)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def write_pairs_to(out: TextIO, round_number: int, result: Round, names: Mapping[str, str]) -> int:
    writer = csv.writer(out)
    writer.writerow(PAIRS_HEADER)
    for pair in result.pairs:
        cells = [
            str(round_number),
            pair.a,
            names.get(pair.a, pair.a),
            pair.b,
            names.get(pair.b, pair.b),
            SHARED_SEPARATOR.join(pair.shared),
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return len(result.pairs)
