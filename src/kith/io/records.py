"""What importers produce: one contact per record, or an error that names where it was.

Importers are generators of `ContactRecord | RecordError` so a 50 MB export streams
through one record at a time; `collect` gathers both lists for callers that want them.
A file that is not what it claims raises `FormatError` before anything is yielded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kith.core.model import Person

Source = Literal["linkedin", "google", "outlook", "vcard"]


class FormatError(ValueError):
    """The whole file is refused: wrong format, no expected header, unreadable encoding."""


@dataclass(frozen=True)
class RecordError:
    """One record that could not be read; the rest of the file still imports."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ContactRecord:
    name: str
    line: int
    source: Source
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str | None = None
    title: str | None = None
    links: tuple[str, ...] = ()
    met_on: date | None = None
    met_where: str | None = None
    note: str | None = None
    interests: tuple[str, ...] = ()
    birthday: date | None = None
    uid: str | None = None


Item = ContactRecord | RecordError


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


@dataclass(frozen=True)
class ExportPerson:
    """What the exporters write: a person plus the stable UID the store keeps for them."""

    uid: str
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str | None = None
    title: str | None = None
    links: tuple[str, ...] = ()
    met_where: str | None = None
    met_on: date | None = None
    interests: tuple[str, ...] = ()
    note: str | None = None
    birthday: date | None = None

    @classmethod
    def from_person(cls, person: Person, uid: str) -> ExportPerson:
        return cls(
            uid=uid,
            name=person.name,
            emails=person.emails,
            phones=person.phones,
            company=person.company,
            title=person.title,
            links=person.links,
            met_where=person.met_where,
            met_on=person.met_on,
            interests=person.interests,
            note=person.note,
        )
