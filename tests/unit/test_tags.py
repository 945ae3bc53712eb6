"""Normalised tags: what merges, and as important, what must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.tags import (
    VocabularyError,
    canonical,
    canonical_keys,
    help_matches,
    load_vocabulary,
    near_spelling,
    normalise,
    parse_vocabulary,
    shared_interests,
)

VOCAB = load_vocabulary()


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Classical Music", "classical music"),
        ("  classical   music ", "classical music"),
        ("CLASSICAL-MUSIC", "classical music"),
        ("Board Games", "board game"),
        ("hobbies", "hobby"),
        ("coaches", "coach"),
        ("boxes", "box"),
        ("movies", "movie"),
        ("niches", "niche"),
        ("news", "news"),
        ("sales", "sales"),
        ("analytics", "analytics"),
        ("tennis", "tennis"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("Women's rights", "women right"),
        ("R&D", "r and d"),
        ("ｆｕｌｌ－ｗｉｄｔｈ", "full width"),  # NFKC folds full-width forms
        ("Straße", "strasse"),
    ],
)
def test_normalise_folds_case_spacing_punctuation_plurals_and_unicode(
    written: str, key: str
) -> None:
    assert normalise(written) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("rock climbing", "climbing"),
        ("Bouldering", "climbing"),
        ("UX", "user experience design"),
        ("user experience", "UX design"),
        ("UX designer", "UX design"),
        ("ML", "machine learning"),
        ("Machine Learning", "machine-learning"),
        ("designer", "design"),
        ("Node.js", "JavaScript"),
        ("A.I.", "AI"),
        ("climbng", "climbing"),  # a typo of a known term
        ("Javascrpt", "javascript"),
    ],
)
def test_synonyms_roles_and_typos_share_a_canonical_key(a: str, b: str) -> None:
    assert canonical(a, VOCAB) == canonical(b, VOCAB)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("java", "javascript"),
        ("Java", "JavaScript"),
        ("design", "legal advice"),
        ("hiking", "biking"),
        ("painting", "printing"),
        ("windows 10", "windows 11"),
        ("C++", "C#"),
        ("C", "C++"),
        ("rust", "ruby"),
        ("UX design", "design"),  # narrower and broader stay two terms
    ],
)
def test_different_things_do_not_merge(a: str, b: str) -> None:
    assert canonical(a, VOCAB) != canonical(b, VOCAB)
    assert shared_interests([a], [b], VOCAB) == []


def test_near_spelling_needs_length_and_equal_numbers() -> None:
    assert near_spelling("photography", "photograpy")
    assert not near_spelling("java", "jave")  # too short to trust
    assert not near_spelling("windows 10", "windows 11")
    assert not near_spelling("javascript", "java")


def test_near_spellings_merge_across_a_group_even_outside_the_vocabulary() -> None:
    keys = canonical_keys(["kitesurfing", "kitesurfing", "kitesurfng", "windsurfing"], VOCAB)
    assert keys["kitesurfng"] == keys["kitesurfing"] == "kitesurfing"
    assert keys["windsurfing"] == "windsurfing"


def test_shared_interests_returns_words_someone_wrote() -> None:
    assert shared_interests(["Classical Music"], ["classical music"], VOCAB) == ["classical music"]
    assert shared_interests(["rock climbing"], ["climbing"], VOCAB) == ["climbing"]
    assert shared_interests(["jazz", "chess"], ["Chess", "golf"], VOCAB) == ["chess"]
    assert shared_interests(["kitesurfing"], ["kitesurfng"], VOCAB) == ["kitesurfing"]


def test_two_synonyms_share_the_term_that_names_both() -> None:
    assert shared_interests(["rock climbing"], ["bouldering"], VOCAB) == ["climbing"]


def test_the_same_synonym_on_both_sides_is_shared_as_written() -> None:
    assert shared_interests(["Bouldering"], ["bouldering"], VOCAB) == ["bouldering"]


def test_shared_interests_is_empty_for_nothing_in_common() -> None:
    assert shared_interests(["jazz"], ["golf"], VOCAB) == []
    assert shared_interests([], ["golf"], VOCAB) == []
    assert shared_interests(["  "], ["  "], VOCAB) == []


def test_a_role_need_is_met_by_its_field_and_a_narrower_offer_meets_a_broader_need() -> None:
    assert help_matches(["UX designer"], ["UX design"], VOCAB) == [("UX designer", "UX design")]
    assert help_matches(["design"], ["designer"], VOCAB) == [("design", "designer")]
    assert help_matches(["design"], ["UX design"], VOCAB) == [("design", "UX design")]


def test_help_never_stretches_an_offer_to_a_different_need() -> None:
    assert help_matches(["legal advice"], ["design", "designer", "UX design"], VOCAB) == []
    assert help_matches(["javascript"], ["java"], VOCAB) == []
    # A generalist does not promise the specialism.
    assert help_matches(["UX design"], ["design"], VOCAB) == []


def test_help_prefers_the_same_term_over_a_narrower_one() -> None:
    assert help_matches(["design"], ["UX design", "design"], VOCAB) == [("design", "design")]


def test_the_shipped_vocabulary_is_consistent() -> None:
    assert load_vocabulary() is VOCAB  # read once
    for key, parents in VOCAB.broader.items():
        assert key not in parents
        assert all(VOCAB.knows(p) for p in parents)


def test_parse_vocabulary_refuses_an_alias_claimed_twice() -> None:
    text = """
[[term]]
name = "climbing"
synonyms = ["bouldering"]
[[term]]
name = "gymnastics"
synonyms = ["Bouldering"]
"""
    with pytest.raises(VocabularyError, match="bouldering"):
        parse_vocabulary(text)


def test_parse_vocabulary_extends_with_new_terms_roles_and_broader_chains() -> None:
    vocab = parse_vocabulary(
        """
[roles]
luthier = "instrument making"
[[term]]
name = "instrument making"
synonyms = ["lutherie"]
broader = ["crafts"]
[[term]]
name = "crafts"
broader = ["making things"]
"""
    )
    assert canonical("Luthiers", vocab) == canonical("lutherie", vocab) == "instrument making"
    assert help_matches(["making things"], ["luthier"], vocab) == [("making things", "luthier")]


tag = st.text(alphabet="abcdeilmnorstuy -", min_size=0, max_size=14)
known = st.sampled_from(["climbing", "rock climbing", "UX", "ux design", "jazz", "ML", "design"])
tags = st.lists(st.one_of(tag, known), max_size=6)


@given(tags, tags)
def test_shared_interests_is_symmetric(a: list[str], b: list[str]) -> None:
    assert shared_interests(a, b, VOCAB) == shared_interests(b, a, VOCAB)


@given(tags)
def test_everyone_shares_their_interests_with_themselves(a: list[str]) -> None:
    expected = {canonical(t, VOCAB) for t in a if t.strip()}
    assert {canonical(s, VOCAB) for s in shared_interests(a, a, VOCAB)} == expected


@given(tags, tags)
def test_shared_interests_are_words_of_either_side_or_a_vocabulary_name(
    a: list[str], b: list[str]
) -> None:
    names = set(VOCAB.display.values())
    for shared in shared_interests(a, b, VOCAB):
        assert shared in {t.strip() for t in a + b} or shared in names


@given(tags, tags)
def test_help_matches_only_pair_real_needs_with_real_offers(
    needs: list[str], offers: list[str]
) -> None:
    for need, offer in help_matches(needs, offers, VOCAB):
        assert need in {n.strip() for n in needs}
        assert offer in {o.strip() for o in offers}


@given(tags)
def test_every_need_is_met_by_the_same_offer(needs: list[str]) -> None:
    met = {n for n, _ in help_matches(needs, needs, VOCAB)}
    assert {canonical(n, VOCAB) for n in met} == {canonical(n, VOCAB) for n in needs if n.strip()}


@given(st.text(max_size=30))
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)
