"""Turning what a user typed into values the core understands, or one-line errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from kith.app.errors import Ambiguous, InvalidInput, NoSuchPerson, NotFound
from kith.core import limits
from kith.core.dates import parse_date
from kith.core.identity import clean_name, email_key, phone_key
from kith.core.names import resolve_name, suggest_names
from kith.core.wording import plural
from kith.store import Connection
from kith.store import people as people_store

E = TypeVar("E", bound=StrEnum)

WEIGHT_RANGE = range(limits.WEIGHT[0], limits.WEIGHT[1] + 1)  # help is weighed 1 to 5


EARLIEST = date(1900, 1, 1)  # before this a date is a typo, not a memory


def date_or_today(field: str, text: str | None, today: date) -> date:
    """A date that has happened: kith records what was, never what is planned."""
    if text is None:
        return today
    try:
        day = parse_date(text, today)
    except ValueError as exc:
        raise InvalidInput(field, str(exc)) from None
    if day > today:
        raise InvalidInput(field, f"{day.isoformat()} is after today ({today.isoformat()})")
    if day < EARLIEST:
        raise InvalidInput(field, f"{day.isoformat()} is before {EARLIEST.year}")
    return day


def day(field: str, text: str, today: date) -> date:
    """A date past or to come (a meeting planned, a round's day), within reason."""
    try:
        found = parse_date(text, today)
    except ValueError as exc:
        raise InvalidInput(field, str(exc)) from None
    if not EARLIEST <= found <= today.replace(year=today.year + 10, day=min(today.day, 28)):
        raise InvalidInput(field, f"{found.isoformat()} is not a date a group meets on")
    return found


def optional_date(field: str, text: str | None, today: date) -> date | None:
    """A date the user gave (YYYY-MM-DD, today, 3 days ago...), or None when none was given."""
    return None if text is None else date_or_today(field, text, today)


def birthday(field: str, text: str | None, today: date) -> date | None:
    """A birthday as YYYY-MM-DD (the year is needed: kith keeps dates), or None if none given."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(field, f"{text!r} is not a date (YYYY-MM-DD)")
    if day > today:
        raise InvalidInput(field, f"{day.isoformat()} is after today ({today.isoformat()})")
    if day < EARLIEST:
        raise InvalidInput(field, f"{day.isoformat()} is before {EARLIEST.year}")
    return day


def choice(field: str, text: str, enum: type[E]) -> E:
    """The member of `enum` the user named, case-insensitively; refused with the choices."""
    try:
        return enum(text.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidInput(field, f"{text!r} is not one of {allowed}") from None


def storable(field: str, value: str) -> str:
    """Refuse text the garden cannot hold as input `field` (`core.limits.INPUT_RULES`).

    Lone surrogates (undecodable bytes or JSON), control characters, and more characters
    than the narrowest column (or the cap) takes: the same rule the JSON restore applies,
    so whatever the CLI, the API or a form stores, a backup gives back on either database.
    """
    problem = limits.input_problem(field, value)
    if problem is not None:
        raise InvalidInput(field, problem)
    return value


def optional_text(field: str, value: str | None, *, one_line: bool = True) -> str | None:
    """Spacing tidied (line breaks kept unless `one_line`); blank means none."""
    if value is None:
        return None
    cleaned = " ".join(value.split()) if one_line else value.strip()
    return storable(field, cleaned) or None


def name(text: str) -> str:
    """A person's name, tidied; refused when it is empty or unusable."""
    try:
        cleaned = clean_name(text)
    except ValueError as exc:
        raise InvalidInput("name", str(exc)) from None
    problem = limits.name_problem(cleaned)
    if problem is not None:
        raise InvalidInput("name", problem)
    return cleaned


def _few_enough(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Refuse a list longer than one person's list may be (`core.limits.LIST_ITEMS`)."""
    problem = limits.count_problem(len(values))
    if problem is not None:
        raise InvalidInput(field, problem)
    return values


def emails(values: Iterable[str]) -> tuple[str, ...]:
    """Email addresses, checked and folded, without repeats."""
    try:
        keys = (email_key(storable("email", v.strip())) for v in values)
        return _few_enough("email", tuple(dict.fromkeys(keys)))
    except ValueError as exc:
        raise InvalidInput("email", str(exc)) from None


def phones(values: Iterable[str]) -> tuple[str, ...]:
    """Phone numbers as given, each checked to be a phone number."""
    cleaned = _few_enough("phone", tuple(storable("phone", v.strip()) for v in values))
    for value in cleaned:
        try:
            phone_key(value)
        except ValueError as exc:
            raise InvalidInput("phone", str(exc)) from None
    return cleaned


def weight(value: int) -> int:
    """A help weight, checked to be 1 to 5."""
    if value not in WEIGHT_RANGE:
        raise InvalidInput("weight", f"{value} is outside 1–5")
    return value


def cadence(value: int | None) -> int | None:
    """A cadence in days, checked to be 1 to 3650; None keeps the stage's default."""
    low, high = limits.CADENCE
    if value is not None and not low <= value <= high:
        raise InvalidInput("cadence", f"{plural(value, 'day')} is outside {low}–{high}")
    return value


def links(values: Iterable[str]) -> tuple[str, ...]:
    """Links as given, trimmed, without blanks or repeats."""
    kept = (storable("link", v.strip()) for v in values if v.strip())
    return _few_enough("link", tuple(dict.fromkeys(kept)))


def text(field: str, value: str) -> str:
    """A required text, trimmed; refused when empty."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(field, "is empty")
    return storable(field, cleaned)


def tag_list(field: str, values: Iterable[str]) -> tuple[str, ...]:
    """Tags with their spacing tidied, without repeats; refused when one is empty."""
    cleaned = tuple(" ".join(v.split()) for v in values)
    if any(not v for v in cleaned):
        raise InvalidInput(field, "is empty")
    return _few_enough(field, tuple(dict.fromkeys(storable(field, v) for v in cleaned)))


def resolve(conn: Connection, account_id: int, reference: str) -> int:
    """The id of the person `reference` names: `#ID`, an email, or a name."""
    ref = reference.strip()
    if not ref:
        raise InvalidInput("person", "is empty")
    if ref.startswith("#"):
        return _by_id(conn, account_id, ref)
    if "@" in ref:
        found = people_store.find_by_email(conn, account_id, ref.lower())
        if found is None:
            raise NotFound(f"no person with email {ref}")
        return found
    candidates = people_store.name_candidates(conn, account_id, ref)
    if not candidates:  # only now read every name: a miss is rare, and worth a suggestion
        everyone = people_store.all_names(conn, account_id)
        raise NoSuchPerson(ref, suggest_names(ref, everyone))
    resolution = resolve_name(ref, candidates)
    if resolution.person_id is not None:
        return resolution.person_id
    raise Ambiguous(ref, resolution.candidates)


MAX_ID = 2**31 - 1  # the largest id either database stores


def _by_id(conn: Connection, account_id: int, ref: str) -> int:
    try:
        person_id = int(ref[1:])
    except ValueError:
        raise InvalidInput("person", f"{ref!r} is not #ID") from None
    if not 1 <= person_id <= MAX_ID or people_store.find_by_id(conn, account_id, person_id) is None:
        raise NotFound(f"no person {ref}")
    return person_id
