"""Whether a seed would plant someone already in the garden.

Two rules, in this order:

- an email names one person: a seed with an email someone in the garden already has is
  refused, even when the user says it is another person of the same name (two people do not
  share an address; if they do, the address belongs on neither, or on the one who reads it);
- a name (compared by `name_key`: case, spacing and Unicode forms fold) already in the
  garden is refused unless the user says this is another person of the same name.

Pruned people count: they are archived, not gone, and restoring them is the better answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kith.core.identity import name_key


class Clash(StrEnum):
    """What a new seed shares with someone already there."""

    NAME = "name"
    EMAIL = "email"


@dataclass(frozen=True)
class Existing:
    """Someone in the garden who shares a name or an email with a new seed."""

    id: int
    name: str
    emails: tuple[str, ...] = ()
    pruned: bool = False


@dataclass(frozen=True)
class Duplicate:
    """A clash: what is taken, and by whom."""

    clash: Clash
    value: str  # the email or the name that is taken
    person: Existing


def seed_duplicate(
    name: str, emails: Sequence[str], existing: Sequence[Existing], *, new: bool
) -> Duplicate | None:
    """The first clash of a seed (`name`, lower-cased `emails`) with people in the garden.

    `new` means the user knows a namesake is there and this is another person; it clears
    a name clash, never an email clash.
    """
    taken = email_owner(emails, existing)
    if taken is not None or new:
        return taken
    key = name_key(name)
    for person in sorted(existing, key=lambda p: p.id):
        if name_key(person.name) == key:
            return Duplicate(Clash.NAME, person.name, person)
    return None


def email_owner(emails: Sequence[str], existing: Sequence[Existing]) -> Duplicate | None:
    """The first of `emails` (lower-cased) that one of `existing` already has, and who."""
    by_id = sorted(existing, key=lambda person: person.id)
    for email in emails:
        for person in by_id:
            if email in person.emails:
                return Duplicate(Clash.EMAIL, email, person)
    return None
