"""Starters, help matching and introductions."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.matching import (
    HELP_QUESTION,
    MAX_STARTERS,
    IntroCandidate,
    can_help,
    starters,
    suggest_intros,
    who_can_help,
    whom_i_can_help,
)
from kith.core.model import Me, Person
from kith.core.tags import canonical, load_vocabulary, shared_interests

VOCAB = load_vocabulary()

BEA = Person(id=1, name="Bea", needs=("UX designer",), interests=("rock climbing", "jazz"))
CARL = Person(id=2, name="Carl", offers=("UX design",), interests=("climbing",))
WES = Person(id=3, name="Wes", offers=("UX design",), interests=("climbing", "jazz"))
DORA = Person(id=4, name="Dora", needs=("legal advice",), offers=("design",))


def trusted(person: Person) -> IntroCandidate:
    return IntroCandidate(person, strength=0.8, trust=0.9, vouchable=True)


def weed(person: Person) -> IntroCandidate:
    return IntroCandidate(person, strength=0.9, trust=0.1, vouchable=False)


# --- starters -------------------------------------------------------------------------------


def test_starters_come_from_shared_interests_and_last_topics() -> None:
    lines = starters(["climbing", "classical music"], ["the move to Berlin"])
    assert lines[0] == "Last time you talked about the move to Berlin: how did it turn out?"
    assert any("climbing" in line for line in lines)
    assert any("classical music" in line for line in lines)
    assert lines[-1] == HELP_QUESTION


def test_starters_never_mention_an_interest_that_is_not_shared() -> None:
    lines = starters([], [])
    assert lines == [HELP_QUESTION]


def test_starters_are_few_and_do_not_repeat() -> None:
    lines = starters(["a", "b", "c", "A ", "d", "e"], ["x", "X", "y"])
    assert len(lines) == MAX_STARTERS
    assert len(set(lines)) == len(lines)


@given(st.lists(st.text(max_size=12), max_size=5), st.lists(st.text(max_size=12), max_size=5))
def test_every_starter_uses_only_given_words(shared: list[str], topics: list[str]) -> None:
    lines = starters(shared, topics)
    assert lines[-1] == HELP_QUESTION
    assert len(lines) <= MAX_STARTERS


def test_starters_with_shared_interests_found_by_the_vocabulary() -> None:
    shared = shared_interests(
        ["Classical Music", "rock climbing"], ["classical music", "climbing"], VOCAB
    )
    assert shared == ["classical music", "climbing"]
    assert any("classical music" in line for line in starters(shared, []))


# --- help matching --------------------------------------------------------------------------


def test_whom_i_can_help_lists_people_whose_needs_my_offers_meet() -> None:
    me = Me(offers=("UX design", "contracts"))
    found = whom_i_can_help(me, [BEA, CARL, DORA], VOCAB)
    assert [(h.name, h.matches) for h in found] == [
        ("Bea", (("UX designer", "UX design"),)),
        ("Dora", (("legal advice", "contracts"),)),
    ]


def test_whom_i_can_help_ignores_a_design_offer_for_a_legal_need() -> None:
    assert whom_i_can_help(Me(offers=("design",)), [DORA], VOCAB) == []


def test_who_can_help_looks_at_everyone_else_offers() -> None:
    found = who_can_help(BEA, [BEA, CARL, WES, DORA], VOCAB)
    assert [h.name for h in found] == ["Carl", "Wes"]
    assert can_help(CARL, BEA, VOCAB) == [("UX designer", "UX design")]
    assert can_help(BEA, CARL, VOCAB) == []


# --- introductions --------------------------------------------------------------------------


def test_a_trusted_need_and_a_trusted_offer_are_introduced_with_a_reason() -> None:
    [intro] = suggest_intros([trusted(BEA), trusted(CARL)], VOCAB, limit=5)
    assert (intro.a_name, intro.b_name) == ("Bea", "Carl")
    assert intro.why == "Bea needs a UX designer; Carl offers UX design; both love climbing"
    assert intro.score > 0


def test_a_weed_who_offers_the_same_is_never_suggested() -> None:
    intros = suggest_intros([trusted(BEA), weed(WES), trusted(CARL)], VOCAB, limit=5)
    assert all(3 not in (i.a_id, i.b_id) for i in intros)
    assert suggest_intros([trusted(BEA), weed(WES)], VOCAB, limit=5) == []


def test_a_design_offer_does_not_meet_a_legal_need() -> None:
    assert (
        suggest_intros(
            [trusted(DORA), trusted(Person(id=9, name="Gus", offers=("design",)))], VOCAB
        )
        == []
    )


def test_both_sides_gaining_scores_about_double() -> None:
    needs_design = Person(id=5, name="Ann", needs=("design",), offers=("legal advice",))
    one_way = Person(id=6, name="Ben", offers=("design",))
    both_ways = Person(id=7, name="Cat", offers=("design",), needs=("contracts",))
    [single] = suggest_intros([trusted(needs_design), trusted(one_way)], VOCAB)
    [mutual] = suggest_intros([trusted(needs_design), trusted(both_ways)], VOCAB)
    assert 1.9 < mutual.score / single.score < 2.1
    assert "Cat needs contracts; Ann offers legal advice" in mutual.why


def test_stronger_ties_and_shared_interests_rank_first() -> None:
    close = IntroCandidate(WES, strength=0.9, trust=0.9, vouchable=True)
    distant = IntroCandidate(CARL, strength=0.2, trust=0.3, vouchable=True)
    intros = suggest_intros([trusted(BEA), distant, close], VOCAB)
    assert [i.b_name for i in intros] == ["Wes", "Carl"]
    assert intros[0].score > intros[1].score


def test_the_limit_is_respected_and_the_best_come_first() -> None:
    people = [trusted(BEA)] + [
        IntroCandidate(Person(id=10 + k, name=f"P{k}", offers=("UX design",)), k / 10, k / 10, True)
        for k in range(10)
    ]
    intros = suggest_intros(people, VOCAB, limit=3)
    assert [i.b_name for i in intros] == ["P9", "P8", "P7"]
    assert suggest_intros(people, VOCAB, limit=0) == []


def test_a_person_is_never_introduced_to_themselves() -> None:
    both = Person(id=1, name="Solo", needs=("design",), offers=("design",))
    assert suggest_intros([trusted(both), trusted(both)], VOCAB) == []


def test_intros_for_a_large_garden_come_from_sparse_products() -> None:
    rng = random.Random(4)
    topics = [f"topic{chr(97 + i % 26)}{chr(97 + i // 26)}zq" for i in range(400)]
    people = [
        IntroCandidate(
            Person(id=i, name=f"P{i}", needs=(rng.choice(topics),), offers=(rng.choice(topics),)),
            rng.random(),
            rng.random(),
            vouchable=rng.random() > 0.2,
        )
        for i in range(20_000)
    ]
    intros = suggest_intros(people, VOCAB, limit=20)
    assert len(intros) == 20
    vouchable = {c.person.id for c in people if c.vouchable}
    assert all(i.a_id in vouchable and i.b_id in vouchable for i in intros)
    assert [i.score for i in intros] == sorted((i.score for i in intros), reverse=True)


names = st.sampled_from(["design", "UX designer", "UX design", "legal advice", "contracts", "jazz"])
people_strategy = st.lists(
    st.tuples(st.lists(names, max_size=2), st.lists(names, max_size=2), st.booleans()),
    min_size=2,
    max_size=7,
)


@settings(deadline=None)
@given(people_strategy)
def test_intros_propose_only_vouchable_pairs_whose_needs_are_met(
    rows: list[tuple[list[str], list[str], bool]],
) -> None:
    candidates = [
        IntroCandidate(Person(id=i, name=f"P{i}", needs=tuple(n), offers=tuple(o)), 0.5, 0.5, ok)
        for i, (n, o, ok) in enumerate(rows)
    ]
    by_id = {c.person.id: c for c in candidates}
    intros = suggest_intros(candidates, VOCAB, limit=50)
    for intro in intros:
        a, b = by_id[intro.a_id], by_id[intro.b_id]
        assert a.vouchable and b.vouchable and a.person.id != b.person.id
        assert can_help(b.person, a.person, VOCAB) or can_help(a.person, b.person, VOCAB)
    # Nothing is missed: every vouchable pair where help flows is proposed, once.
    expected = {
        frozenset((x.person.id, y.person.id))
        for x, y in itertools.combinations([c for c in candidates if c.vouchable], 2)
        if can_help(x.person, y.person, VOCAB) or can_help(y.person, x.person, VOCAB)
    }
    assert {frozenset((i.a_id, i.b_id)) for i in intros} == expected
    assert len(intros) == len(expected)


def test_canonical_keys_agree_with_the_why() -> None:
    # The why names the terms the score counted, in the words the people used.
    [intro] = suggest_intros(
        [trusted(DORA), trusted(Person(id=8, name="Lee", offers=("Contracts",)))], VOCAB
    )
    assert intro.why == "Dora needs legal advice; Lee offers Contracts"
    assert canonical("Contracts", VOCAB) == canonical("legal advice", VOCAB)
