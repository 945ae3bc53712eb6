"""Signed networks as files: read SIGNED.csv, write SCORES.csv.

SIGNED.csv has one rating a row, `source,target,rating[,time]`, with or without a header
line (a first row whose rating cell is not a number is taken as the header). Ratings are
numbers on any signed scale (negative warns, positive vouches); time, when present, is a
number (Unix seconds, say) or empty. A bad row is reported by line and field and the others
are kept; the caller decides whether one bad row refuses the file.

SCORES.csv has the columns node, score, highest score first. A node a spreadsheet would run
as a formula is written with a leading single quote.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kith.io.csv_export import safe_cell
from kith.io.encoding import SAMPLE_SIZE, sniff
from kith.io.records import FormatError, RecordError

SCORES_HEADER = ("node", "score")


@dataclass(frozen=True)
class SignedRecord:
    line: int
    source: str
    target: str
    rating: float
    time: float | None = None


def read_signed(path: Path) -> tuple[list[SignedRecord], list[RecordError]]:
    """The ratings in file order, and the rows that could not be read."""
    raw = path.read_bytes()
    codec = sniff(raw[:SAMPLE_SIZE], complete=len(raw) <= SAMPLE_SIZE)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(f"{path.name}: line {line}: not {codec} text") from None
    return parse_signed(_numbered(io.StringIO(text.removeprefix("\ufeff"), newline=""), path.name))


def _numbered(handle: TextIO, name: str) -> list[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(handle)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"{name}: line {start}: not readable as CSV ({exc})") from None
    return rows


def parse_signed(
    rows: Iterable[tuple[int, Sequence[str]]],
) -> tuple[list[SignedRecord], list[RecordError]]:
    """Records and errors from (line number, cells) pairs; blank rows are skipped."""
    records: list[SignedRecord] = []
    errors: list[RecordError] = []
    first = True
    for line, cells in rows:
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue
        if first and _is_header(stripped):
            first = False
            continue
        first = False
        found = _record(line, stripped)
        if isinstance(found, RecordError):
            errors.append(found)
        else:
            records.append(found)
    return records, errors


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 3 and _number(cells[2]) is None and cells[2].casefold() != "nan"


def _record(line: int, cells: list[str]) -> SignedRecord | RecordError:
    if len(cells) not in (3, 4):
        return RecordError(
            line, None, f"{len(cells)} columns, expected source,target,rating[,time]"
        )
    source, target, rating_cell = cells[:3]
    for field, value in (("source", source), ("target", target)):
        if not value:
            return RecordError(line, field, "empty")
    rating = _number(rating_cell)
    if rating is None:
        return RecordError(line, "rating", f"{rating_cell!r} is not a number")
    time: float | None = None
    if len(cells) == 4 and cells[3]:
        time = _number(cells[3])
        if time is None:
            return RecordError(line, "time", f"{cells[3]!r} is not a number")
    return SignedRecord(line, source, target, rating, time)


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def write_scores(path: Path, scores: Iterable[tuple[str, float]]) -> int:
    """Write SCORES.csv whole or not at all (a temporary file renamed into place), highest
    score first, ties by node. Returns the number of nodes written."""
    ordered = sorted(scores, key=lambda item: (-item[1], item[0]))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(SCORES_HEADER)
            for node, score in ordered:
                writer.writerow([safe_cell(node), f"{score:.6g}"])
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(ordered)
