"""Resolving a PERSON reference among candidates, and name keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.identity import clean_name, name_key
from kith.core.names import PREFIX_MIN_LETTERS, Candidate, resolve_name, suggest_names

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


FRANK = Candidate(4, "Frank Osei")
FRANCES = Candidate(5, "Frances Lee")
BEA = Candidate(6, "Bea Franklin")


def test_a_unique_start_of_a_name_word_resolves() -> None:
    assert resolve_name("Fran", [FRANK, ANA_RUIZ]).person_id == 4
    assert resolve_name("os", [FRANK]).person_id is None  # shorter than the minimum
    assert resolve_name("ose", [FRANK]).person_id == 4  # any word of the name
    assert resolve_name("fran os", [FRANK, FRANCES]).person_id == 4  # consecutive words


def test_a_start_shared_by_several_names_lists_them() -> None:
    resolution = resolve_name("Fran", [FRANK, FRANCES, BEA, ANA_RUIZ])
    assert resolution.person_id is None
    assert {c.id for c in resolution.candidates} == {4, 5, 6}


def test_a_whole_word_beats_the_start_of_another() -> None:
    frank_alone = Candidate(8, "Frank")
    assert resolve_name("Frank", [frank_alone, BEA, FRANCES]).person_id == 8
    assert resolve_name("Ana", [ANA_RUIZ, Candidate(9, "Anabel Lee")]).person_id == 1


def test_the_prefix_minimum_counts_letters() -> None:
    assert PREFIX_MIN_LETTERS == 3
    assert resolve_name("Fra", [FRANK]).person_id == 4
    assert resolve_name("Fr", [FRANK]).person_id is None


def test_a_misspelled_name_suggests_the_closest() -> None:
    everyone = [ANA_RUIZ, FRANK, DANA, Candidate(10, "Zoe Park")]
    assert suggest_names("Anna", everyone)[0] == ANA_RUIZ
    assert suggest_names("Frnak", everyone) == (FRANK,)
    assert suggest_names("Frank Osie", everyone) == (FRANK,)
    assert suggest_names("Quentin", everyone) == ()


def test_suggestions_are_few_and_closest_first() -> None:
    everyone = [Candidate(i, f"Ana Person{i}") for i in range(1, 10)] + [Candidate(20, "Anna")]
    found = suggest_names("Anna", everyone)
    assert len(found) == 3 and found[0].id == 20


def test_twins_after_a_second_seed_are_both_listed() -> None:
    twin = Candidate(9, "Ana Ruiz")
    assert set(resolve_name("Ana", [ANA_RUIZ, twin]).candidates) == {ANA_RUIZ, twin}


def test_two_people_with_the_same_full_name_are_ambiguous() -> None:
    twin = Candidate(9, "Ana Ruiz")
    assert resolve_name("Ana Ruiz", [ANA_RUIZ, twin]).candidates == (ANA_RUIZ, twin)


names = st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=40).filter(
    lambda s: s.strip()
)


@given(names)
def test_a_full_name_always_finds_its_only_owner(name: str) -> None:
    assert resolve_name(name, [Candidate(7, name)]).person_id == 7


@given(names, st.lists(names, max_size=8))
def test_a_unique_full_name_resolves_whoever_else_is_there(name: str, others: list[str]) -> None:
    crowd = [Candidate(i + 10, o) for i, o in enumerate(others) if name_key(o) != name_key(name)]
    assert resolve_name(name, [*crowd, Candidate(7, name)]).person_id == 7


@given(names, st.lists(names, max_size=8))
def test_a_resolution_is_always_one_of_the_candidates(reference: str, others: list[str]) -> None:
    crowd = [Candidate(i, o) for i, o in enumerate(others)]
    found = resolve_name(reference, crowd)
    assert found.person_id is None or found.person_id in {c.id for c in crowd}
    assert set(found.candidates) <= set(crowd)


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
