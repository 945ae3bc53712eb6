"""Notifications: what another member did that concerns me, kept as data, worded when read.

A notification is a `kind` code, the member who acted, the object it is about and its `parts`
(the values the words are made of: a lead's text, a status, an amount). Nothing stored is a
sentence, so nothing is ever matched against display text, and the wording can change (or be
translated) without touching a row. A kind with no words yet is still shown, generically.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")
_PART = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_PART_LENGTH = 2000  # a part is a short value (a lead's text at most), not a document

# The words for each kind; `{actor}` is the member who acted, the rest are the parts.
WORDS: Mapping[str, str] = MappingProxyType(
    {
        "referral_received": "{actor} referred a lead to you: {what}",
        "referral_moved": "{actor} moved the referral you gave to {status}: {what}",
        "referral_thanked": "{actor} thanked you for closed business worth {value}: {what}",
    }
)


@dataclass(frozen=True)
class Link:
    """The object a notification is about: its kind, its id, and the account owning its row.

    `owner` is the account a per-account row is keyed by (a referral is the giver's), so the
    object can be found on its shard; None for group-wide objects.
    """

    subject: str
    id: int
    owner: int | None = None


def valid_kind(kind: str) -> bool:
    """Whether `kind` is a code (lower-case letters, digits, '_'), not words."""
    return _KIND.fullmatch(kind) is not None


def invalid_parts(parts: Mapping[str, str]) -> list[str]:
    """The names of parts that cannot be kept: a name not a code, or a value too long."""
    return sorted(
        name
        for name, value in parts.items()
        if _PART.fullmatch(name) is None or len(value) > MAX_PART_LENGTH
    )


def words(kind: str, actor: str | None, parts: Mapping[str, str]) -> str:
    """One line saying what happened; a part the wording needs but lacks shows as '?'."""
    who = actor or "a former member"
    template = WORDS.get(kind)
    if template is None:
        listed = "; ".join(f"{name}: {value}" for name, value in sorted(parts.items()))
        said = kind.replace("_", " ")
        return f"{who}: {said}" + (f" ({listed})" if listed else "")
    values = {name: parts.get(name) or "?" for name in _fields(template)}
    return template.format_map({**values, "actor": who})


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]
