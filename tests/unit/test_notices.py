"""Notifications' rules: kinds and parts are data, words are made when read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kith.core.notices import WORDS, invalid_parts, valid_kind, words


def test_a_known_kind_is_worded_from_its_parts() -> None:
    said = words("referral_moved", "ana", {"what": "Acme needs a bookkeeper", "status": "won"})
    assert said == "ana moved the referral you gave to won: Acme needs a bookkeeper"
    thanked = words("referral_thanked", "ana", {"what": "a lead", "value": "5,250.50"})
    assert thanked == "ana thanked you for closed business worth 5,250.50: a lead"


def test_a_missing_part_or_actor_is_said_plainly() -> None:
    assert words("referral_received", None, {}) == "a former member referred a lead to you: ?"


def test_a_kind_without_words_is_still_shown_with_its_parts() -> None:
    said = words("intro_request_answered", "bob", {"answer": "yes", "target": "Maya"})
    assert said == "bob: intro request answered (answer: yes; target: Maya)"
    assert words("one_to_one_booked", "cleo", {}) == "cleo: one to one booked"


def test_kinds_and_part_names_are_codes_not_words() -> None:
    assert all(valid_kind(kind) for kind in WORDS)
    assert valid_kind("intro_request") and not valid_kind("Bob referred you")
    assert not valid_kind("") and not valid_kind("x" * 41)
    assert invalid_parts({"what": "a lead", "Status!": "won", "long": "x" * 2001}) == [
        "Status!",
        "long",
    ]


@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), st.text(max_size=50)))
def test_words_never_fail_whatever_the_parts(parts: dict[str, str]) -> None:
    for kind in [*WORDS, "anything_else"]:
        said = words(kind, "ana", parts)
        assert said.startswith("ana")
