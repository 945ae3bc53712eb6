"""Turn one parsed vobject card into a ContactRecord (bad fields dropped and named), or an error."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from kith.io.dates import DateError, parse_date
from kith.io.records import ContactRecord, Item, RecordError, fallback_name, is_email, unique

LineOf = Callable[[str, int], int]
# Google and Android file every contact under these; they say nothing about the person.
_SYSTEM_GROUPS = frozenset({"my contacts", "starred in android", "mycontacts", "starred"})


def _text(value: Any) -> str:
    """A vobject value as text: lists (a comma inside a component) are joined."""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    return str(value).strip() if value is not None else ""


def _lines(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name, []))


def _values(card: Any, name: str) -> list[str]:
    return [text for line in _lines(card, name) if (text := _text(line.value))]


def _first(card: Any, name: str) -> str | None:
    values = _values(card, name)
    return values[0] if values else None


def _is_cjk(text: str) -> bool:
    """Kana, CJK ideographs or Hangul: names written family name first, without a space."""
    return any(
        0x3040 <= ord(c) <= 0x30FF or 0x3400 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF
        for c in text
    )


def _name_from_n(card: Any) -> str | None:
    lines = _lines(card, "n")
    if not lines or not hasattr(lines[0].value, "family"):
        return None
    n = lines[0].value
    family, given, additional = _text(n.family), _text(n.given), _text(n.additional)
    if _is_cjk(family + given):  # Japanese and Chinese names read family name first
        return f"{family}{given}" or None
    return " ".join(p for p in (given, additional, family) if p) or None


def _company(card: Any) -> str | None:
    for line in _lines(card, "org"):
        parts = line.value if isinstance(line.value, list) else [line.value]
        if parts and _text(parts[0]):
            return _text(parts[0])
    return None


def _phones(card: Any) -> tuple[str, ...]:
    # 4.0 may write a phone as a URI: tel:+1-418-656-9254;ext=102
    return unique(re.sub(r"^tel:", "", v, flags=re.IGNORECASE) for v in _values(card, "tel"))


def _links(card: Any) -> tuple[str, ...]:
    return unique(v.replace("\\:", ":") for v in _values(card, "url"))  # Apple's "http\://"


def _interests(card: Any) -> tuple[str, ...]:
    values: list[str] = []
    for line in _lines(card, "categories"):
        items = line.value if isinstance(line.value, list) else [line.value]
        values.extend(_text(item) for item in items)
    return unique(v for v in values if v.lstrip("*").strip().casefold() not in _SYSTEM_GROUPS)


def _emails(card: Any, line_of: LineOf) -> tuple[tuple[str, ...], list[RecordError]]:
    """The card's readable emails, and an error for each one dropped as unreadable."""
    kept: list[str] = []
    dropped: list[RecordError] = []
    for index, line in enumerate(_lines(card, "email")):
        email = _text(line.value)
        if email and not is_email(email):
            dropped.append(
                RecordError(line_of("email", index), "EMAIL", f"invalid email {email!r}")
            )
        else:
            kept.append(email)
    return unique(kept), dropped


def _birthday(card: Any, line_of: LineOf) -> tuple[date | None, list[RecordError]]:
    """The first BDAY as a date (None if absent or without a year), or the error dropping it."""
    for index, line in enumerate(_lines(card, "bday")):
        if text := _text(line.value):
            try:
                return parse_date(text), []
            except DateError as error:
                return None, [RecordError(line_of("bday", index), "BDAY", str(error))]
    return None, []


def _note(card: Any) -> str | None:
    return "\n\n".join(_values(card, "note")) or None


def card_to_record(card: Any, line_of: LineOf, start: int) -> Item:
    """`card` is a vobject component; `line_of(name, index)` finds a property's file line."""
    emails, bad_emails = _emails(card, line_of)
    birthday, bad_birthday = _birthday(card, line_of)
    phones = _phones(card)
    company = _company(card)
    name = fallback_name(
        _first(card, "fn"), _name_from_n(card), _first(card, "nickname"), company, *emails, *phones
    )
    if name is None:
        return RecordError(start, "FN", "card has no name, email or phone")
    return ContactRecord(
        name=name,
        line=start,
        source="vcard",
        emails=emails,
        phones=phones,
        company=company,
        title=_first(card, "title"),
        links=_links(card),
        note=_note(card),
        interests=_interests(card),
        birthday=birthday,
        uid=_first(card, "uid"),
        dropped=(*bad_emails, *bad_birthday),
    )
