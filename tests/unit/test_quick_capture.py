"""Quick capture's grammar: one line of free text read as a seed, a log or an introduction."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.model import InteractionKind
from kith.core.quick_capture import (
    IntroReading,
    NotUnderstood,
    QuickLog,
    QuickSeed,
    Reading,
    decide,
    parse,
)

TODAY = date(2026, 12, 1)  # a Tuesday


def _reading(text: str) -> Reading:
    found = parse(text, TODAY)
    assert isinstance(found, Reading)
    return found


def test_meeting_someone_at_a_place_with_a_topic() -> None:
    found = _reading("met Ana Ruiz at PyCon, talked about climbing")
    assert found == Reading(
        "Ana Ruiz", InteractionKind.MEETING, TODAY, "PyCon", ("climbing",), None, True
    )


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("coffee with Noah", "Noah", InteractionKind.MEETING),
        ("had coffee with Noah", "Noah", InteractionKind.MEETING),
        ("Coffee with Noah Kim.", "Noah Kim", InteractionKind.MEETING),
        ("lunch with Maya", "Maya", InteractionKind.MEAL),
        ("dinner with Maya Okafor", "Maya Okafor", InteractionKind.MEAL),
        ("breakfast with Lena", "Lena", InteractionKind.MEAL),
        ("call with Maya Okafor", "Maya Okafor", InteractionKind.CALL),
        ("a quick video call with Frank", "Frank", InteractionKind.CALL),
        ("called Frank", "Frank", InteractionKind.CALL),
        ("emailed Vera Moreau", "Vera Moreau", InteractionKind.EMAIL),
        ("texted Lena", "Lena", InteractionKind.MESSAGE),
        ("messaged Chloé Jansen", "Chloé Jansen", InteractionKind.MESSAGE),
        ("ran into Frank Osei", "Frank Osei", InteractionKind.SMALL_TALK),
        ("bumped into Jean-Luc O'Neil", "Jean-Luc O'Neil", InteractionKind.SMALL_TALK),
        ("I met with Noah", "Noah", InteractionKind.MEETING),
        ("drinks with   Noah", "Noah", InteractionKind.MEETING),
        ("lunch with @Noah", "Noah", InteractionKind.MEAL),
        ("call with #12", "#12", InteractionKind.CALL),
    ],
)
def test_what_happened_and_with_whom(text: str, name: str, kind: InteractionKind) -> None:
    found = _reading(text)
    assert (found.name, found.kind) == (name, kind)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("call with Maya yesterday", date(2026, 11, 30)),
        ("lunch with @Noah on 2026-11-20", date(2026, 11, 20)),
        ("lunch with Noah 2026-11-20", date(2026, 11, 20)),
        ("call with Lena 3 days ago", date(2026, 11, 28)),
        ("coffee with Noah 2 weeks ago", date(2026, 11, 17)),
        ("coffee with Noah on Monday", date(2026, 11, 30)),
        ("coffee with Noah last friday", date(2026, 11, 27)),
        ("coffee with Noah on Tuesday", TODAY),
        ("coffee with Noah last Tuesday", date(2026, 11, 24)),  # said on a Tuesday: a week ago
        ("coffee with Noah today", TODAY),
        ("coffee with Noah", TODAY),
    ],
)
def test_dates_in_the_text(text: str, on: date) -> None:
    found = _reading(text)
    assert (found.name, found.on) == (text.split()[2].lstrip("@"), on)


def test_topics_from_about_and_talked_about() -> None:
    found = _reading("call with Maya Okafor yesterday about her job search")
    assert (found.name, found.topics, found.note) == ("Maya Okafor", ("job search",), None)
    found = _reading("met Ana at PyCon, talked about climbing and Rust; wants an intro to Noah")
    assert found.topics == ("climbing", "rust")
    assert found.note == "wants an intro to Noah"
    assert found.where == "PyCon"


def test_the_rest_is_kept_as_the_note() -> None:
    found = _reading("met ana ruiz at the PyCon sprint - she runs a climbing gym")
    assert (found.name, found.where) == ("Ana Ruiz", "the PyCon sprint")
    assert found.note == "she runs a climbing gym"


def test_a_lowercase_name_is_capitalised_a_typed_one_kept() -> None:
    assert _reading("met ana de souza").name == "Ana De Souza"
    assert _reading("met Ana de Souza").name == "Ana de Souza"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("introduced Ana to Noah", IntroReading("Ana", "Noah")),
        (
            "introduced Ana Ruiz to Noah Kim about climbing gyms",
            IntroReading("Ana Ruiz", "Noah Kim", "climbing gyms"),
        ),
        ("Introduced #3 to #4 for the job", IntroReading("#3", "#4", "the job")),
    ],
)
def test_introductions(text: str, expected: IntroReading) -> None:
    assert parse(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello world", "coffee with", "coffee with at PyCon", "introduced to Noah"],
)
def test_text_it_cannot_read_names_the_text_field(text: str) -> None:
    with pytest.raises(NotUnderstood) as caught:
        parse(text, TODAY)
    assert caught.value.field == "text"


def test_a_date_after_today_is_refused() -> None:
    with pytest.raises(NotUnderstood, match="after today"):
        parse("lunch with Noah on 2027-01-01", TODAY)
    with pytest.raises(NotUnderstood, match="not a date"):
        parse("lunch with Noah on 2026-13-45", TODAY)


def test_too_long_a_text_is_refused() -> None:
    with pytest.raises(NotUnderstood, match="longer than"):
        parse("coffee with Noah " + "x" * 1000, TODAY)


def test_a_known_person_is_logged_a_new_one_seeded() -> None:
    found = _reading("met Ana Ruiz at PyCon yesterday, talked about climbing")
    assert decide(found, known=False) == QuickSeed(
        "Ana Ruiz", "PyCon", date(2026, 11, 30), ("climbing",), None
    )
    assert decide(found, known=True) == QuickLog(
        "Ana Ruiz", InteractionKind.MEETING, date(2026, 11, 30), ("climbing",), "at PyCon"
    )


@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_the_text_field(text: str) -> None:
    try:
        found = parse(text, TODAY)
    except NotUnderstood as refused:
        assert refused.field == "text"  # noqa: PT017 - any text: most are refused, some read
        return
    assert found == parse(text, TODAY)  # deterministic
    if isinstance(found, Reading):
        assert found.name and found.on <= TODAY


_WORDS = st.sampled_from(
    ["coffee", "with", "met", "at", "about", "Ana", "noah", "on", "2026-11-20", "yesterday",
     "introduced", "to", ",", "-", "talked", "call", "@", "#7", "and", "Monday", "ago", "3"]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=12))
def test_sentences_of_its_own_words_never_crash(words: list[str]) -> None:
    text = " ".join(words)
    try:
        found = parse(text, TODAY)
    except NotUnderstood:
        return
    assert found == parse(text, TODAY)
