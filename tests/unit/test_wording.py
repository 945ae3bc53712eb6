"""Counts in words: the one helper every message goes through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.wording import counted, plural


@pytest.mark.parametrize(
    ("count", "label", "words"),
    [
        (1, "tags", "1 tag"),
        (2, "tags", "2 tags"),
        (0, "asks", "0 asks"),
        (1, "breaches", "1 breach"),
        (1, "snoozes", "1 snooze"),
        (1, "people", "1 person"),
        (3, "people", "3 people"),
        (1, "introduced-through links", "1 introduced-through link"),
        (1, "intro gifts", "1 intro gift"),
        (1, "given", "1 given"),  # help given: not a noun, left as it is
        (1, "addresses", "1 address"),
        (1, "replies", "1 reply"),
    ],
)
def test_counted_turns_a_plural_label_singular_for_one(count: int, label: str, words: str) -> None:
    assert counted(count, label) == words


def test_plural_takes_an_irregular_plural() -> None:
    assert plural(1, "person", "people") == "1 person"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1, "day") == "1 day"


@given(st.integers(min_value=0, max_value=10**6).filter(lambda n: n != 1))
def test_counted_keeps_the_label_for_any_count_but_one(count: int) -> None:
    for label in ("tags", "breaches", "people", "introduced-through links"):
        assert counted(count, label) == f"{count} {label}"
