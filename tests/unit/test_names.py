"""Resolving a PERSON reference among candidates, and name keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.identity import clean_name, name_key
from kith.core.names import Candidate, resolve_name

ANA_RUIZ = Candidate(1, "Ana Ruiz")
ANA_LOPEZ = Candidate(2, "Ana Lopez")
DANA = Candidate(3, "Dana Scully")


def test_full_name_wins_case_insensitively() -> None:
    assert resolve_name("ana RUIZ", [ANA_RUIZ, ANA_LOPEZ]).person_id == 1


def test_a_unique_whole_word_resolves() -> None:
    assert resolve_name("Ana", [ANA_RUIZ, DANA]).person_id == 1  # "Dana" is not the word "Ana"
    assert resolve_name("ruiz", [ANA_RUIZ]).person_id == 1


def test_a_shared_word_is_ambiguous_and_lists_both() -> None:
    resolution = resolve_name("Ana", [ANA_RUIZ, ANA_LOPEZ])
    assert resolution.person_id is None
    assert {c.id for c in resolution.candidates} == {1, 2}


def test_a_fragment_is_not_a_match() -> None:
    resolution = resolve_name("An", [ANA_RUIZ])
    assert resolution.person_id is None
    assert resolution.candidates == (ANA_RUIZ,)


def test_two_people_with_the_same_full_name_are_ambiguous() -> None:
    twin = Candidate(9, "Ana Ruiz")
    assert resolve_name("Ana Ruiz", [ANA_RUIZ, twin]).candidates == (ANA_RUIZ, twin)


names = st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=40).filter(
    lambda s: s.strip()
)


@given(names)
def test_a_full_name_always_finds_its_only_owner(name: str) -> None:
    assert resolve_name(name, [Candidate(7, name)]).person_id == 7


@given(names)
def test_name_key_is_idempotent_and_ignores_case_and_spacing(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert name_key("  " + name.upper() + " ") == name_key(name.upper())


@given(st.text())
def test_clean_name_is_tidy_or_refuses(name: str) -> None:
    try:
        cleaned = clean_name(name)
    except ValueError:
        assert not name.split()
    else:
        assert cleaned == cleaned.strip()
        assert "  " not in cleaned


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_empty_names_are_refused(blank: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        clean_name(blank)
