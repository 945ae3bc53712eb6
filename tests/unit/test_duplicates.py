"""Whether a seed plants someone already in the garden: by email always, by name unless new."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kith.core.duplicates import Clash, Existing, email_owner, seed_duplicate
from kith.core.identity import name_key

ANA = Existing(12, "Ana Ruiz", ("ana@example.org",))
PRUNED_BEN = Existing(3, "Ben Okafor", (), pruned=True)


def test_the_same_name_is_a_duplicate_whatever_its_case_and_spacing() -> None:
    found = seed_duplicate("  ana   RUIZ ", [], [ANA], new=False)
    assert found is not None
    assert (found.clash, found.person) == (Clash.NAME, ANA)


def test_new_clears_a_name_clash() -> None:
    assert seed_duplicate("Ana Ruiz", [], [ANA], new=True) is None


def test_an_email_clash_stands_even_with_new() -> None:
    found = seed_duplicate("Someone Else", ["ana@example.org"], [ANA], new=True)
    assert found is not None
    assert (found.clash, found.value, found.person.id) == (Clash.EMAIL, "ana@example.org", 12)


def test_an_email_clash_is_told_before_a_name_clash() -> None:
    bea = Existing(20, "Bea Chen", ("bea@example.org",))
    found = seed_duplicate("Ana Ruiz", ["bea@example.org"], [ANA, bea], new=False)
    assert found is not None and found.person == bea and found.clash is Clash.EMAIL


def test_a_pruned_namesake_still_counts() -> None:
    found = seed_duplicate("Ben Okafor", [], [PRUNED_BEN], new=False)
    assert found is not None and found.person.pruned


def test_different_names_and_emails_are_no_duplicate() -> None:
    assert seed_duplicate("Ana Lopez", ["lopez@example.org"], [ANA], new=False) is None
    assert seed_duplicate("Ana", [], [ANA], new=False) is None  # a word is not the name


def test_of_several_namesakes_the_first_planted_is_named() -> None:
    twin = Existing(30, "Ana Ruiz")
    found = seed_duplicate("Ana Ruiz", [], [twin, ANA], new=False)
    assert found is not None and found.person.id == 12


def test_email_owner_names_who_has_it() -> None:
    assert email_owner(["x@example.org"], [ANA]) is None
    found = email_owner(["x@example.org", "ana@example.org"], [ANA])
    assert found is not None and found.value == "ana@example.org"


names = st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=30).filter(
    lambda s: s.strip()
)


@given(names, st.booleans())
def test_nobody_in_the_garden_means_no_duplicate(name: str, new: bool) -> None:
    assert seed_duplicate(name, ["a@example.org"], [], new=new) is None


@given(names)
def test_an_existing_name_is_always_refused_without_new(name: str) -> None:
    found = seed_duplicate(name.upper(), [], [Existing(1, name)], new=False)
    assert found is None or found.clash is Clash.NAME
    # upper() can change a name's key in rare scripts, so the verdict follows the keys
    assert (found is not None) == (name_key(name.upper()) == name_key(name))
