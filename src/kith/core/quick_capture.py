"""Quick capture: one line of free text ("coffee with Noah") read as what to record.

A small grammar, no model: a sentence starts with what happened ("met", "coffee with",
"call with", "introduced A to B"), then a person, then any of "at WHERE", "about TOPICS",
"talked about TOPICS", a date ("yesterday", "on 2026-11-20", "3 days ago", "on Monday") and
whatever else, which is kept as the note. Whether the person is new (a seed) or known (a log)
is not the text's to say: `decide` takes that from the garden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kith.core.dates import parse_date
from kith.core.model import InteractionKind

MAX_TEXT = 1000  # a quick note is a sentence or two; longer text belongs in `log --note`
MAX_NAME_WORDS = 4  # "Maria Ana de Souza": more words than this are the rest of the sentence

# What happened, as the sentence starts. Longest first, so "video call" wins over "call".
_KINDS: dict[str, InteractionKind] = {
    "small talk with": InteractionKind.SMALL_TALK,
    "bumped into": InteractionKind.SMALL_TALK,
    "ran into": InteractionKind.SMALL_TALK,
    "chatted with": InteractionKind.SMALL_TALK,
    "video call with": InteractionKind.CALL,
    "phone call with": InteractionKind.CALL,
    "call with": InteractionKind.CALL,
    "called": InteractionKind.CALL,
    "phoned": InteractionKind.CALL,
    "zoom with": InteractionKind.CALL,
    "spoke with": InteractionKind.CALL,
    "spoke to": InteractionKind.CALL,
    "talked to": InteractionKind.CALL,
    "talked with": InteractionKind.CALL,
    "emailed": InteractionKind.EMAIL,
    "email to": InteractionKind.EMAIL,
    "email from": InteractionKind.EMAIL,
    "messaged": InteractionKind.MESSAGE,
    "texted": InteractionKind.MESSAGE,
    "message to": InteractionKind.MESSAGE,
    "message from": InteractionKind.MESSAGE,
    "dm with": InteractionKind.MESSAGE,
    "dmed": InteractionKind.MESSAGE,
    "breakfast with": InteractionKind.MEAL,
    "brunch with": InteractionKind.MEAL,
    "lunch with": InteractionKind.MEAL,
    "dinner with": InteractionKind.MEAL,
    "meal with": InteractionKind.MEAL,
    "coffee with": InteractionKind.MEETING,
    "tea with": InteractionKind.MEETING,
    "drinks with": InteractionKind.MEETING,
    "beer with": InteractionKind.MEETING,
    "walk with": InteractionKind.MEETING,
    "meeting with": InteractionKind.MEETING,
    "met up with": InteractionKind.MEETING,
    "met with": InteractionKind.MEETING,
    "met": InteractionKind.MEETING,
    "saw": InteractionKind.MEETING,
    "visited": InteractionKind.MEETING,
}
_OPENING = re.compile(
    r"^(?:(?:i|we|had|a|an|had an?|quick|short|long|great|nice|good)\s+)*"
    r"(?P<kind>"
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_KINDS, key=len, reverse=True))
    + r")\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_INTRO = re.compile(r"^introduced\s+(?P<a>.+?)\s+to\s+(?P<b>.+)$", re.IGNORECASE)
# A word of a name: letters, then letters, apostrophes, hyphens or dots ("O'Neil", "Jean-Luc").
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_PERSON_ID = re.compile(r"#\d{1,10}")
# Words that end a name: "Ana at PyCon", "Noah yesterday", "Maya about her job search".
_STOP_WORDS = (
    "at about on in for re and yesterday today to from over who with after before during"
    " last this ago talked discussed while because since the a an"
)
_STOP = frozenset(_STOP_WORDS.split())
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATE = re.compile(
    r"(?:\bon\s+)?(?P<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)"
    r"|\b(?P<word>yesterday|today)\b"
    r"|\b(?P<ago>\d{1,4}\s+(?:days?|weeks?)\s+ago)\b"
    r"|\b(?P<which>on|last)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
_WHERE = re.compile(r"^at\s+(?P<where>.+)$", re.IGNORECASE)
_TOPICS = re.compile(
    r"^(?:(?:we\s+)?(?:talked|chatted|spoke|discussed)(?:\s+about)?|about|re:?)\s+(?P<topics>.+)$",
    re.IGNORECASE,
)
# Clauses split at commas, semicolons, dashes, and before "at"/"about"/"talked about".
_CLAUSE_BREAK = re.compile(
    r"\s*[,;]\s*|\s+[-–—]\s+"
    r"|(?<!talked)(?<!chatted)(?<!spoke)(?<!discussed)\s+(?=(?:at|about|re|talked|chatted|discussed)\s)",
    re.IGNORECASE,
)
_TOPIC_SPLIT = re.compile(r"\s*(?:,|&|\band\b|/)\s*", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:her|his|their|my|our|the|a|an|some)\s+", re.IGNORECASE)
_MAX_TOPIC = 60  # a topic is a tag; a longer phrase stays in the note


class NotUnderstood(ValueError):
    """Text the grammar cannot read; `field` names the input (always `text`)."""

    field = "text"


@dataclass(frozen=True)
class Reading:
    """What one sentence says happened, before the garden says who is known."""

    name: str
    kind: InteractionKind
    on: date
    where: str | None = None
    topics: tuple[str, ...] = ()
    note: str | None = None
    first_meeting: bool = False  # "met Ana at PyCon": the wording of meeting someone new


@dataclass(frozen=True)
class IntroReading:
    """An introduction between two people: 'introduced Ana to Noah (about climbing)'."""

    a: str
    b: str
    why: str | None = None


@dataclass(frozen=True)
class QuickSeed:
    """A new person to plant: how and where we met, what we talked about."""

    name: str
    met: str | None
    on: date
    interests: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class QuickLog:
    """A contact with someone already in the garden."""

    name: str
    kind: InteractionKind
    on: date
    topics: tuple[str, ...]
    note: str | None


def parse(text: str, today: date) -> Reading | IntroReading:
    """Read one line of quick capture; NotUnderstood says what a sentence should look like."""
    cleaned = " ".join(text.split()).strip(" .!")
    if not cleaned:
        raise NotUnderstood("is empty")
    if len(cleaned) > MAX_TEXT:
        raise NotUnderstood(f"is longer than {MAX_TEXT} characters")
    intro = _INTRO.match(cleaned)
    if intro:
        return _intro(intro.group("a"), intro.group("b"))
    opening = _OPENING.match(cleaned)
    if not opening:
        raise NotUnderstood(
            "could not tell what happened: start with 'met NAME', 'coffee with NAME',"
            " 'call with NAME', 'lunch with NAME' or 'introduced NAME to NAME'"
        )
    verb = " ".join(opening.group("kind").lower().split())
    rest, on = _take_date(opening.group("rest"), today)
    name, after = _take_name(rest)
    where, topics, note = _clauses(after)
    return Reading(
        name=name,
        kind=_KINDS[verb],
        on=on,
        where=where,
        topics=topics,
        note=note,
        first_meeting=verb == "met",
    )


def decide(reading: Reading, known: bool) -> QuickSeed | QuickLog:
    """A known person gets a log of the contact; someone new is planted as a seed."""
    if known:
        note = reading.note
        if reading.where:
            note = f"at {reading.where}" + (f"; {note}" if note else "")
        return QuickLog(reading.name, reading.kind, reading.on, reading.topics, note)
    return QuickSeed(reading.name, reading.where, reading.on, reading.topics, reading.note)


def _intro(a_text: str, b_text: str) -> IntroReading:
    a, a_rest = _take_name(a_text)
    if a_rest.strip():
        raise NotUnderstood(f"{a_text!r} is not a name")
    b, b_rest = _take_name(b_text)
    why = None
    if b_rest.strip():
        about = _TOPICS.match(b_rest.strip()) or re.match(
            r"^(?:for|because|since)\s+(?P<topics>.+)$", b_rest.strip(), re.IGNORECASE
        )
        why = (about.group("topics") if about else b_rest).strip(" ,;.") or None
    return IntroReading(a, b, why)


def _take_date(text: str, today: date) -> tuple[str, date]:
    """The first date in the text, and the text without it (today when there is none)."""
    found = _DATE.search(text)
    if not found:
        return text, today
    if found.group("weekday"):
        wanted = _WEEKDAYS.index(found.group("weekday").lower())
        back = (today.weekday() - wanted) % 7
        if back == 0 and found.group("which").lower() == "last":
            back = 7  # "last tuesday", said on a Tuesday, is a week ago
        day = today - timedelta(days=back)
    else:
        written = found.group("iso") or found.group("word") or found.group("ago")
        try:
            day = parse_date(written, today)
        except ValueError:
            raise NotUnderstood(f"{written!r} is not a date (YYYY-MM-DD)") from None
        if day > today:
            raise NotUnderstood(f"{day.isoformat()} is after today ({today.isoformat()})")
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    return " ".join(rest.split()), day


def _take_name(text: str) -> tuple[str, str]:
    """The person at the start of `text` (a name or `#ID`, "@" dropped) and what follows."""
    stripped = text.lstrip()
    by_id = _PERSON_ID.match(stripped)
    if by_id:
        return by_id.group(0), stripped[by_id.end() :]
    words: list[str] = []
    at = 0
    stripped = stripped.removeprefix("@")
    while len(words) < MAX_NAME_WORDS:
        gap = len(stripped[at:]) - len(stripped[at:].lstrip(" "))
        word = _NAME_WORD.match(stripped, at + gap)
        if not word:
            break
        # A word runs to the next space: "Ana's" and "Noah," are not name words.
        end = word.end()
        if end < len(stripped) and not stripped[end].isspace() and stripped[end] != ",":
            break
        value = word.group(0).rstrip(".")
        if value.lower() in _STOP:
            break
        words.append(value)
        at = end
    if not words:
        raise NotUnderstood("names nobody: say who, as in 'coffee with Noah'")
    name = " ".join(words)
    if name == name.lower():  # typed in a hurry: "met ana ruiz" plants "Ana Ruiz"
        name = " ".join(w[:1].upper() + w[1:] for w in words)
    return name, stripped[at:]


def _clauses(text: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """Where, the topics and the note in what follows the name."""
    where: str | None = None
    topics: list[str] = []
    notes: list[str] = []
    for piece in _CLAUSE_BREAK.split(text.strip(" ,;.")):
        clause = piece.strip(" ,;.")
        if not clause:
            continue
        place = _WHERE.match(clause)
        about = _TOPICS.match(clause)
        if place and where is None:
            where = place.group("where").strip()
        elif about:
            found = _topics(about.group("topics"))
            topics.extend(t for t in found if t not in topics)
            if not found:
                notes.append(clause)
        else:
            notes.append(clause)
    return where, tuple(topics), "; ".join(notes) or None


def _topics(text: str) -> list[str]:
    found = []
    for part in _TOPIC_SPLIT.split(text):
        topic = _POSSESSIVE.sub("", part.strip(" .")).strip().lower()
        if topic and len(topic) <= _MAX_TOPIC:
            found.append(topic)
    return found
