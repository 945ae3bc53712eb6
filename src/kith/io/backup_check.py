"""Reading and checking a JSON backup before anything is written: every bad value by its path.

`parse` reads the text without ever crashing (a huge integer, NaN and deep nesting become
values `check` reports, or a `BackupSyntax` naming where); `check` walks the document against
the declared fields and returns every problem as `people[3].cadence_days: ... out of range`.
Pure: text and today in, problems out. The limits come from `kith.core.limits`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from kith.core import limits
from kith.core.identity import email_key, phone_key, url_key
from kith.core.model import (
    AskOutcome,
    AskSize,
    Direction,
    ExchangeKind,
    Initiator,
    InteractionKind,
    IntroState,
    PersonState,
)

_BIG_INTEGER_DIGITS = 30  # more digits than any value in range: kept as text, not converted


class BackupSyntax(ValueError):
    """The text is not JSON kith can read; the message names where."""


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class BigInteger:
    """An integer too long to convert safely; only its size is kept."""

    digits: int

    def __str__(self) -> str:
        return f"a {self.digits}-digit number"


@dataclass(frozen=True)
class NotFinite:
    text: str  # NaN, Infinity, -Infinity

    def __str__(self) -> str:
        return self.text


def _integer(text: str) -> int | BigInteger:
    digits = len(text.lstrip("-"))
    return BigInteger(digits) if digits > _BIG_INTEGER_DIGITS else int(text)


def parse(text: str) -> object:
    try:
        return json.loads(text, parse_int=_integer, parse_constant=NotFinite)
    except RecursionError:
        raise BackupSyntax(
            f"{_too_deep(text)}: nested deeper than {limits.MAX_DEPTH} levels"
        ) from None
    except json.JSONDecodeError as error:
        raise BackupSyntax(f"not JSON: {error}") from None


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _too_deep(text: str) -> str:
    """The path at which `text` first nests deeper than MAX_DEPTH (found only on failure)."""
    frames: list[list[Any]] = []  # [kind, key or index]
    last_string = ""
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            frames.append(["[", 0] if mark == "[" else ["{", ""])
            if len(frames) > limits.MAX_DEPTH:
                return _path_of(frames[:-1]) + "..."
        elif mark in "]}":
            frames.pop() if frames else None
        elif mark == ",":
            if frames and frames[-1][0] == "[":
                frames[-1][1] += 1
        elif mark == ":":
            if frames:
                frames[-1][1] = last_string
        else:
            last_string = mark[1:-1]
    return "(top)"


def _path_of(frames: list[list[Any]]) -> str:
    path = ""
    for kind, where in frames:
        path += f"[{where}]" if kind == "[" else f".{where}" if path else str(where)
    return path or "(top)"


# What each field of each section may hold. A Field's check returns the problem or None.
Check = Callable[[object, "Context"], str | None]


@dataclass
class Context:
    today: date
    refs: set[int]
    intros: int = 0


def _is_int(value: object) -> bool:
    return type(value) is int  # bool is an int to Python, never to a backup


def _number_problem(value: object) -> str | None:
    if isinstance(value, BigInteger | NotFinite):
        return None
    if isinstance(value, float):
        return f"{value!r} is not a whole number"
    return None if _is_int(value) else f"{_shown(value)} is not a number"


def _shown(value: object) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def integer(bounds: tuple[int, int]) -> Check:
    def check(value: object, _: Context) -> str | None:
        if isinstance(value, BigInteger | NotFinite):
            return f"{value} is out of range {bounds[0]}..{bounds[1]}"
        problem = _number_problem(value)
        return problem or limits.range_problem(value, bounds)  # type: ignore[arg-type]

    return check


def text(limit: int, *, multi_line: bool = False, required: bool = False) -> Check:
    rule = limits.TextRule(limit, multi_line=multi_line, required=required)

    def check(value: object, _: Context) -> str | None:
        if not isinstance(value, str):
            return f"{_shown(value)} is not a text"
        return limits.text_problem(value, rule)

    return check


def name(limit: int) -> Check:
    def check(value: object, _: Context) -> str | None:
        if not isinstance(value, str):
            return f"{_shown(value)} is not a text"
        return limits.name_problem(value, limit)

    return check


def boolean(value: object, _: Context) -> str | None:
    return None if isinstance(value, bool) else f"{_shown(value)} is not true or false"


def choice(enum: type[StrEnum]) -> Check:
    allowed = ", ".join(member.value for member in enum)

    def check(value: object, _: Context) -> str | None:
        if isinstance(value, str) and value in {member.value for member in enum}:
            return None
        return f"{_shown(value)} is not one of {allowed}"

    return check


def day(ahead: timedelta = timedelta(0)) -> Check:
    def check(value: object, context: Context) -> str | None:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"{_shown(value)} is not a date (YYYY-MM-DD)"
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return f"{_shown(value)} is not a date (YYYY-MM-DD)"
        return limits.date_problem(parsed, context.today, ahead=ahead)

    return check


def person_ref(value: object, context: Context) -> str | None:
    if _is_int(value) and value in context.refs:
        return None
    return f"{_shown(value) if not isinstance(value, BigInteger) else value} is no person's ref"


def intro_ref(value: object, context: Context) -> str | None:
    if _is_int(value) and 1 <= value <= context.intros:  # type: ignore[operator]
        return None
    return f"{_shown(value) if not isinstance(value, BigInteger) else value} is no intro's number"


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = True  # absent or null is a problem; else both mean "none"


@dataclass(frozen=True)
class Items:
    """A list of values, each checked; `key` (when given) says what must be unique."""

    check: Check
    most: int = limits.LIST_ITEMS


def _email(value: object, context: Context) -> str | None:
    problem = text(limits.EMAIL)(value, context)
    if problem is None:
        try:
            email_key(str(value))
        except ValueError:
            return f"{_shown(value)} is not an email address"
    return problem


def _phone(value: object, context: Context) -> str | None:
    problem = text(limits.PHONE, required=True)(value, context)
    if problem is None:
        try:
            phone_key(str(value))
        except ValueError:
            return f"{_shown(value)} is not a phone number"
    return problem


def _link(value: object, context: Context) -> str | None:
    problem = text(limits.URL, required=True)(value, context)
    if problem is None and len(url_key(str(value))) > limits.URL:
        return f"is longer than {limits.URL} characters once normalised"
    return problem


_TAG = text(limits.TAG, required=True)
TAGS = {"interests": Items(_TAG), "needs": Items(_TAG), "offers": Items(_TAG)}
ME: Mapping[str, Field | Items] = {"name": Field(name(limits.ME_NAME)), **TAGS}
LONG = text(limits.TEXT, multi_line=True)
WHAT = text(limits.TEXT, multi_line=True, required=True)
PEOPLE: Mapping[str, Field | Items] = {
    "name": Field(name(limits.NAME)),
    "company": Field(text(limits.COMPANY), required=False),
    "title": Field(text(limits.TITLE), required=False),
    "met_where": Field(text(limits.MET_WHERE), required=False),
    "met_on": Field(day(), required=False),
    "via": Field(person_ref, required=False),
    "note": Field(text(limits.NOTE, multi_line=True), required=False),
    "cadence_days": Field(integer(limits.CADENCE), required=False),
    "state": Field(choice(PersonState)),
    "pruned_reason": Field(LONG, required=False),
    "pruned_on": Field(day(), required=False),
    "consent_share": Field(boolean),
    "created_on": Field(day()),
    "source": Field(text(limits.SOURCE), required=False),
    "vcard_uid": Field(text(limits.UID), required=False),
    "birthday": Field(day(), required=False),
    "emails": Items(_email),
    "phones": Items(_phone),
    "links": Items(_link),
    **TAGS,
}
HISTORY: Mapping[str, Mapping[str, Field | Items]] = {
    "interactions": {
        "person_id": Field(person_ref),
        "on": Field(day()),
        "kind": Field(choice(InteractionKind)),
        "by": Field(choice(Initiator)),
        "unanswered": Field(boolean),
        "topics": Items(_TAG, most=limits.TOPICS),
        "note": Field(text(limits.NOTE, multi_line=True), required=False),
        "source_key": Field(text(limits.SOURCE_KEY), required=False),
    },
    "intros": {
        "a_id": Field(person_ref),
        "b_id": Field(person_ref),
        "why": Field(LONG, required=False),
        "state": Field(choice(IntroState)),
        "proposed_on": Field(day()),
        "asked_a_on": Field(day(), required=False),
        "asked_b_on": Field(day(), required=False),
        "accepted_on": Field(day(), required=False),
        "made_on": Field(day(), required=False),
        "outcome": Field(LONG, required=False),
        "outcome_on": Field(day(), required=False),
    },
    "exchanges": {
        "person_id": Field(person_ref),
        "on": Field(day()),
        "direction": Field(choice(Direction)),
        "what": Field(WHAT),
        "kind": Field(choice(ExchangeKind)),
        "weight": Field(integer(limits.WEIGHT)),
        "intro_id": Field(intro_ref, required=False),
    },
    "asks": {
        "person_id": Field(person_ref),
        "on": Field(day()),
        "what": Field(WHAT),
        "size": Field(choice(AskSize)),
        "pitch": Field(boolean),
        "ready": Field(boolean),
        "outcome": Field(choice(AskOutcome)),
        "outcome_on": Field(day(), required=False),
    },
    "breaches": {
        "person_id": Field(person_ref),
        "on": Field(day()),
        "what": Field(WHAT),
        "resolved_on": Field(day(), required=False),
        "resolution": Field(WHAT, required=False),
    },
    "their_asks": {
        "person_id": Field(person_ref),
        "on": Field(day()),
        "what": Field(WHAT),
        "pitch": Field(boolean),
        "premature": Field(boolean),
    },
    "snoozes": {"person_id": Field(person_ref), "until": Field(day(limits.SNOOZE_AHEAD))},
}


def check(document: object, today: date) -> list[Problem]:
    """Every problem of a parsed backup; an empty list means it restores as it is."""
    if not isinstance(document, dict):
        return [Problem("(top)", "is not a JSON object")]
    people = _objects(document, "people")
    problems = list(_refs(people))
    refs = {item["ref"] for item in people if _is_int(item.get("ref"))}
    intros = _objects(document, "intros")
    context = Context(today, refs, len(intros))
    me = document.get("me")
    if isinstance(me, dict):
        problems += _fields("me", me, ME, context)
    else:
        problems.append(Problem("me", "is missing or not an object"))
    for number, item in enumerate(people):
        path = f"people[{number}]"
        problems += _fields(path, item, PEOPLE, context)
        if item.get("via") is not None and item.get("via") == item.get("ref"):
            problems.append(Problem(f"{path}.via", "a person cannot introduce themselves"))
    problems += _duplicate_emails(people)
    for section, fields in HISTORY.items():
        for number, item in enumerate(_objects(document, section)):
            problems += _fields(f"{section}[{number}]", item, fields, context)
    problems += _intro_sense(intros, _objects(document, "exchanges"))
    problems += _section_shapes(document)
    return problems


def _objects(document: Mapping[str, object], section: str) -> list[dict[str, Any]]:
    rows = document.get(section, [])
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _section_shapes(document: Mapping[str, object]) -> Iterator[Problem]:
    for section in ("people", *HISTORY):
        rows = document.get(section, [])
        if not isinstance(rows, list):
            yield Problem(section, "is not a list")
            continue
        for number, row in enumerate(rows):
            if not isinstance(row, dict):
                yield Problem(f"{section}[{number}]", "is not an object")


def _refs(people: list[dict[str, Any]]) -> Iterator[Problem]:
    seen: set[int] = set()
    for number, item in enumerate(people):
        ref = item.get("ref")
        path = f"people[{number}].ref"
        problem = integer((1, limits.MAX_ID))(ref, Context(date.max, set()))
        if ref is None or problem is not None:
            yield Problem(path, problem or "is missing")
        elif ref in seen:
            yield Problem(path, f"{ref} is the ref of an earlier person too")
        else:
            seen.add(ref)


def _fields(
    path: str, item: Mapping[str, object], fields: Mapping[str, Field | Items], context: Context
) -> Iterator[Problem]:
    for key, spec in fields.items():
        value = item.get(key)
        where = f"{path}.{key}"
        if isinstance(spec, Items):
            yield from _items(where, value, spec, context)
        elif value is None:
            if spec.required:
                yield Problem(where, "is missing")
        else:
            problem = spec.check(value, context)
            if problem is not None:
                yield Problem(where, problem)


def _items(path: str, value: object, spec: Items, context: Context) -> Iterator[Problem]:
    if value is None:
        return
    if not isinstance(value, list):
        yield Problem(path, f"{_shown(value)} is not a list")
        return
    if len(value) > spec.most:
        yield Problem(path, f"holds {len(value)} values, more than {spec.most}")
        return
    for number, each in enumerate(value):
        problem = spec.check(each, context)
        if problem is not None:
            yield Problem(f"{path}[{number}]", problem)


def _duplicate_emails(people: list[dict[str, Any]]) -> Iterator[Problem]:
    owners: dict[str, str] = {}
    for number, item in enumerate(people):
        emails = item.get("emails")
        if not isinstance(emails, list):
            continue
        for position, email in enumerate(emails):
            if not isinstance(email, str):
                continue
            try:
                key = email_key(email)
            except ValueError:
                continue
            path = f"people[{number}].emails[{position}]"
            if key in owners:
                yield Problem(path, f"{email!r} is already the email of {owners[key]}")
            else:
                owners[key] = f"people[{number}]"


def _intro_sense(
    intros: list[dict[str, Any]], exchanges: list[dict[str, Any]]
) -> Iterator[Problem]:
    for number, item in enumerate(intros):
        if item.get("a_id") is not None and item.get("a_id") == item.get("b_id"):
            yield Problem(f"intros[{number}].b_id", "an introduction needs two different people")
    for number, item in enumerate(exchanges):
        position = item.get("intro_id")
        if not isinstance(position, int) or not 1 <= position <= len(intros):
            continue
        intro = intros[position - 1]
        if item.get("person_id") not in (intro.get("a_id"), intro.get("b_id")):
            yield Problem(f"exchanges[{number}].intro_id", "names an introduction of other people")
