"""What importers produce: one contact per record, or an error that names where it was.

Importers are generators of `ContactRecord | RecordError` so a 50 MB export streams
through one record at a time; `collect` gathers both lists for callers that want them.
A file that is not what it claims raises `FormatError` before anything is yielded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from typing import Literal

from kith.core.model import PersonDraft

Source = Literal["linkedin", "google", "outlook", "vcard"]


class FormatError(ValueError):
    """The whole file is refused: wrong format, no expected header, unreadable encoding."""


@dataclass(frozen=True)
class RecordError:
    """One record, or one field of it, that could not be read; the rest still imports."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ContactRecord(PersonDraft):
    """A person as one record of a file drafts them, with where it was read.

    `dropped` names the fields that could not be read (a bad email, a BDAY that is not a
    date): they were left out and the rest of the person kept.
    """

    line: int = field(kw_only=True)
    source: Source = field(kw_only=True)
    dropped: tuple[RecordError, ...] = field(default=(), kw_only=True)

    def draft(self) -> PersonDraft:
        """The person this record drafts, without where it was read.

        Its fields copied as they are, not through the frozen `__init__` (a setattr per
        field, a tenth of an import's parsing): the same values, so an equal draft.
        """
        draft = object.__new__(PersonDraft)
        values = self.__dict__
        if len(values) == _RECORD_WIDTH:  # every field set, none else: copy all, drop three
            copied = values.copy()
            del copied["line"], copied["source"], copied["dropped"]
            draft.__dict__.update(copied)
        else:
            draft.__dict__.update({name: values[name] for name in _DRAFT_FIELDS})
        return draft


Item = ContactRecord | RecordError
# A row read whole, as the importer takes it: its line and the draft it stores.
Line = tuple[int, PersonDraft]
# Read once: `dataclasses.fields` per record cost a second per 50,000-row import.
_DRAFT_FIELDS = tuple(f.name for f in fields(PersonDraft))
_RECORD_WIDTH = len(fields(ContactRecord))
_RECORD_DEFAULTS = {f.name: f.default for f in fields(ContactRecord) if f.default is not MISSING}
# A draft's fields but its name, at their defaults: for readers that set a draft's fields
# directly (`linkedin.iter_linkedin_drafts`).
DRAFT_DEFAULTS = {f.name: f.default for f in fields(PersonDraft) if f.default is not MISSING}


def record_of(values: dict[str, object]) -> ContactRecord:
    """`ContactRecord(**values)`, the fields not in `values` at their defaults, without the
    frozen `__init__` (a setattr per field): for readers that build a record per row.

    `values` must hold `name`, `line` and `source` and only fields of the record (the
    record equals the one `__init__` builds: `tests/unit/test_record_draft.py`).
    """
    record = object.__new__(ContactRecord)
    record.__dict__.update(_RECORD_DEFAULTS)
    record.__dict__.update(values)
    return record


def collect(items: Iterable[Item]) -> tuple[list[ContactRecord], list[RecordError]]:
    """Split a stream of items into records and errors, keeping their order."""
    records: list[ContactRecord] = []
    errors: list[RecordError] = []
    for item in items:
        if isinstance(item, ContactRecord):
            records.append(item)
        else:
            errors.append(item)
    return records, errors


# Deliberately loose: exports hold addresses like "contact1@invalid"; we only refuse
# what cannot be an address at all (no "@", spaces, several "@").
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def clean(value: str | None) -> str | None:
    """Strip a cell; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty stripped values, first occurrence kept (case-insensitive)."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        text = clean(value)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return tuple(out)


def fallback_name(*candidates: str | None) -> str | None:
    """The first usable name among display name, parts, nickname, company, email, phone."""
    for candidate in candidates:
        text = clean(candidate)
        if text:
            return " ".join(text.split())
    return None
