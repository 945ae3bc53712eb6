"""What a value may be, declared once for every door (CLI, API, importers, the JSON restore).

The lengths are those of the narrowest column that holds the value in `kith.store.tables`,
so SQLite (which would store anything) and PostgreSQL (which refuses a longer varchar)
hold exactly the same things, and a SQLite garden's backup always restores into PostgreSQL.
Text columns without a width get a generous cap so one field can never fill a disk or a page.

The checks are pure: each returns None when the value is fine, else a short reason that the
caller prefixes with the field or path it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

# Widths of the columns (store/tables.py); `tests/unit/test_limits.py` holds them equal.
NAME = 300  # people.name and people.name_key (the casefolded form must fit too)
ME_NAME = 200  # accounts.me_name
COMPANY = TITLE = MET_WHERE = 300  # people.company, .title, .met_where
TAG = 300  # tags.value (interests, needs, offers) and each interaction topic
EMAIL = 320  # person_emails.email (RFC 5321: 64 + 1 + 255, rounded up)
PHONE = 64  # person_phones.phone and .phone_key
URL = 1000  # person_links.url and .url_key
UID = 300  # people.vcard_uid
SOURCE = 100  # people.source
SOURCE_KEY = 500  # interactions.source_key
# Unbounded text columns (note, what, why, outcome, reason): caps of our choosing.
NOTE = 100_000  # a private note: a long letter, not a book
TEXT = 10_000  # what was given, asked or broken; why an intro; a reason

# How many values one list may hold: far beyond any real contact, far below a DoS.
LIST_ITEMS = 200  # emails, phones, links, interests, needs, offers of one person
TOPICS = 100  # topics of one interaction

CADENCE = (1, 3650)  # days between contacts: a day to ten years
WEIGHT = (1, 5)  # help is weighed 1 (a small kindness) to 5 (life-changing)
MAX_ID = 2**31 - 1  # the largest integer both databases store in an Integer column
EARLIEST = date(1900, 1, 1)  # before this a date is a typo, not a memory
SNOOZE_AHEAD = timedelta(days=3650)  # a snooze may push the next feed up to ten years ahead
MAX_DEPTH = 32  # JSON nesting: a kith backup is 4 deep; deeper is an attack, not data

# Control characters: C0 (but tab, line feed and carriage return in multi-line text), DEL,
# C1. NUL is refused by PostgreSQL; the rest would reach a terminal raw.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class TextRule:
    """How long a text may be, and whether it may hold line breaks."""

    limit: int
    multi_line: bool = False  # notes and the like keep tab and line breaks
    required: bool = False  # blank is refused (a name), else blank means none


def text_problem(value: str, rule: TextRule) -> str | None:
    """Why `value` cannot be stored under `rule`, or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8 text"
    pattern = _CONTROL_MULTI_LINE if rule.multi_line else _CONTROL_ONE_LINE
    found = pattern.search(value)
    if found:
        return f"holds a control character (U+{ord(found.group()):04X})"
    if rule.required and not value.strip():
        return "is empty"
    if len(value) > rule.limit:
        return f"is {len(value)} characters long, more than {rule.limit}"
    return None


def name_problem(value: str, limit: int = NAME) -> str | None:
    """A display name: one line, not blank, and short enough once casefolded too."""
    problem = text_problem(value, TextRule(limit, required=True))
    if problem is None and too_long_casefolded(value, limit):
        return f"is longer than {limit} characters once casefolded"
    return problem


def too_long_casefolded(value: str, limit: int = NAME) -> bool:
    """Whether a name's compared form (NFKC, casefolded: its `name_key`) is over `limit`.

    Longer than the name itself can be: "ß" folds to "ss", a ligature to its letters.
    ASCII never grows.
    """
    if value.isascii():
        return len(value) > limit
    return len(unicodedata.normalize("NFKC", value).casefold()) > limit


def count_problem(count: int, limit: int = LIST_ITEMS) -> str | None:
    """What is wrong with a list of `count` values when it holds more than `limit`."""
    if count > limit:
        return f"holds {count} values, more than {limit}"
    return None


def range_problem(value: int, bounds: tuple[int, int]) -> str | None:
    """What is wrong with a number outside its bounds, in words; None when it fits."""
    low, high = bounds
    if not low <= value <= high:
        return f"{value} is out of range {low}..{high}"
    return None


def date_problem(value: date, today: date, *, ahead: timedelta = timedelta(0)) -> str | None:
    """A date that has happened (or lies at most `ahead` after today), not before 1900."""
    if value < EARLIEST:
        return f"{value.isoformat()} is before {EARLIEST.isoformat()}"
    if value > today + ahead:
        what = "today" if not ahead else "the latest allowed"
        return f"{value.isoformat()} is after {what} ({(today + ahead).isoformat()})"
    return None


# The rule of each text a user types, by the input's name (`InvalidInput.field`): what the
# CLI, the API and the forms check through `kith.app.inputs`, so they store exactly what a
# restore would accept. An input not listed (what was given, asked or broken; why; a
# reason) is a TEXT that may hold line breaks, as the backup check allows.
INPUT_RULES: dict[str, TextRule] = {
    "name": TextRule(NAME, required=True),
    "company": TextRule(COMPANY),
    "title": TextRule(TITLE),
    "met": TextRule(MET_WHERE),
    "note": TextRule(NOTE, multi_line=True),
    "email": TextRule(EMAIL),
    "phone": TextRule(PHONE),
    "link": TextRule(URL),
    "interest": TextRule(TAG),
    "need": TextRule(TAG),
    "offer": TextRule(TAG),
    "topic": TextRule(TAG),
    "me_name": TextRule(ME_NAME),
}


def input_problem(field: str, value: str) -> str | None:
    """Why the typed `value` of input `field` cannot be stored, or None."""
    return text_problem(value, INPUT_RULES.get(field, TextRule(TEXT, multi_line=True)))
