"""Write people as vCard 4.0 (or 3.0 for older phones), serialised by vobject.

Notes are private: they are written only when the caller asks. Interests go to
CATEGORIES, which is where address books keep tags and where our importer reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TextIO

import vobject

from kith.core.model import PersonDraft

Version = Literal["3.0", "4.0"]
PRODID = "-//kith//kith//EN"


def _name_parts(name: str) -> vobject.vcard.Name:
    """A structured N from a display name: the last word as family name, the rest given.

    A guess, as every exporter's is; FN keeps the name exactly as the user wrote it.
    """
    *given, family = name.split() or [""]
    if not given:
        return vobject.vcard.Name(given=family)
    return vobject.vcard.Name(family=family, given=" ".join(given))


def _add(card: Any, name: str, value: object) -> None:
    card.add(name).value = value


def to_vcard(person: PersonDraft, *, version: Version = "4.0", include_note: bool = False) -> str:
    """One card as text with CRLF line ends, folded at 75 octets."""
    card = vobject.vCard()
    _add(card, "version", version)
    _add(card, "prodid", PRODID)
    if person.uid:  # every exported person has one; a draft written for a test may not
        _add(card, "uid", person.uid)
    _add(card, "fn", person.name)
    _add(card, "n", _name_parts(person.name))
    for email in person.emails:
        _add(card, "email", email)
    for phone in person.phones:
        _add(card, "tel", phone)
    if person.company:
        _add(card, "org", [person.company])
    if person.title:
        _add(card, "title", person.title)
    for link in person.links:
        _add(card, "url", link)
    if person.birthday:
        _add(card, "bday", person.birthday.isoformat())
    if person.interests:
        _add(card, "categories", list(person.interests))
    if include_note and person.note:
        _add(card, "note", person.note)
    return str(card.serialize())


def write_vcards(
    people: Iterable[PersonDraft],
    out: TextIO,
    *,
    version: Version = "4.0",
    include_note: bool = False,
) -> int:
    """Write every person to `out` (opened with newline=""); returns how many were written."""
    count = 0
    for person in people:
        out.write(to_vcard(person, version=version, include_note=include_note))
        count += 1
    return count
