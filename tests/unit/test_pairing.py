"""Pairing rounds: one-to-one by mutual interest, no self pairs, no needless repeats."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core import pairing
from kith.core.pairing import Member, Round, pair_round
from kith.core.tags import load_vocabulary

VOCAB = load_vocabulary()


def ids(result: Round) -> list[str]:
    return [m for p in result.pairs for m in (p.a, p.b)]


def as_sets(result: Round) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in result.pairs}


def test_members_meet_whoever_shares_their_interests() -> None:
    members = [
        Member("a", "Ann", ("rock climbing", "jazz")),
        Member("b", "Ben", ("climbing",)),
        Member("c", "Cat", ("Classical Music",)),
        Member("d", "Dan", ("classical music",)),
    ]
    result = pair_round(members, [], VOCAB, seed=1)
    assert as_sets(result) == {frozenset("ab"), frozenset("cd")}
    shared = {frozenset((p.a, p.b)): p.shared for p in result.pairs}
    assert shared[frozenset("ab")] == ["climbing"]
    assert shared[frozenset("cd")] == ["classical music"]
    assert result.odd_one_out is None


def test_a_need_met_by_an_offer_pairs_two_members() -> None:
    members = [
        Member("a", "Ann", ("chess",), needs=("UX designer",)),
        Member("b", "Ben", ("golf",), offers=("UX design",)),
        Member("c", "Cat", ("chess",), offers=("design",)),
        Member("d", "Dan", ("golf",)),
    ]
    result = pair_round(members, [], VOCAB, seed=3)
    assert frozenset("ab") in as_sets(result)


def test_previous_pairs_are_not_repeated() -> None:
    members = [Member(x, x.upper(), ("jazz",)) for x in "abcd"]
    first = pair_round(members, [], VOCAB, seed=1)
    second = pair_round(members, as_sets(first), VOCAB, seed=1)
    third = pair_round(members, as_sets(first) | as_sets(second), VOCAB, seed=1)
    assert not as_sets(first) & as_sets(second)
    assert not (as_sets(first) | as_sets(second)) & as_sets(third)


def test_a_repeat_is_made_only_when_there_is_no_other_choice() -> None:
    members = [Member("a", "A"), Member("b", "B")]
    result = pair_round(members, [frozenset("ab")], VOCAB, seed=1)
    assert as_sets(result) == {frozenset("ab")}


def test_an_odd_group_leaves_exactly_one_out() -> None:
    members = [Member(x, x.upper(), ("jazz",)) for x in "abcde"]
    result = pair_round(members, [], VOCAB, seed=2)
    assert len(result.pairs) == 2
    assert result.odd_one_out is not None
    assert sorted([*ids(result), result.odd_one_out]) == list("abcde")


def test_tiny_groups() -> None:
    assert pair_round([], [], VOCAB) == Round([], None)
    assert pair_round([Member("a", "A")], [], VOCAB) == Round([], "a")


def test_duplicate_or_missing_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="more than once"):
        pair_round([Member("a", "A"), Member("a", "A again")], [], VOCAB)
    with pytest.raises(ValueError, match="no id"):
        pair_round([Member("", "Nobody")], [], VOCAB)


def test_a_seed_makes_the_round_reproducible() -> None:
    members = [Member(f"m{i}", f"M{i}", ("jazz", "chess")[: 1 + i % 2]) for i in range(30)]
    assert pair_round(members, [], VOCAB, seed=5) == pair_round(members, [], VOCAB, seed=5)


def test_popular_tags_are_bucketed_but_every_holder_keeps_candidates() -> None:
    n = 10 * pairing.BUCKET_SIZE + 3
    members = [Member(f"m{i}", f"M{i}", ("travel",)) for i in range(n)]
    result = pair_round(members, [], VOCAB, seed=4)
    assert len(result.pairs) == n // 2
    assert all(p.shared == ["travel"] for p in result.pairs)


def test_greedy_rounds_pick_what_a_sequential_greedy_picks() -> None:
    rng = np.random.default_rng(0)
    n, m = 3_000, 60_000
    rows = rng.integers(0, n, m)
    cols = rng.integers(0, n, m)
    keep = rows < cols
    rows, cols = rows[keep], cols[keep]
    codes = np.unique(rows * n + cols)
    rows, cols = codes // n, codes % n
    scores = rng.integers(0, 50, rows.size).astype(np.float64)  # many ties
    mate = pairing.greedy_matching(rows, cols, scores, n, np.random.default_rng(9))
    shuffled = np.random.default_rng(9).permutation(scores.size)
    order = shuffled[np.argsort(-scores[shuffled], kind="stable")]
    expected = [-1] * n
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if expected[i] < 0 and expected[j] < 0:
            expected[i], expected[j] = j, i
    assert mate.tolist() == expected


# --- properties -----------------------------------------------------------------------------

interests = st.lists(
    st.sampled_from(["jazz", "chess", "climbing", "bouldering", "golf"]), max_size=3
)
groups = st.integers(min_value=0, max_value=9).flatmap(
    lambda n: st.tuples(
        st.lists(interests, min_size=n, max_size=n),
        st.sets(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)))),
        st.integers(0, 2**16),
    )
)


def perfect_matching_avoiding(n: int, forbidden: set[frozenset[int]]) -> bool:
    """Brute force: can n people be paired (one left out if odd) with no forbidden pair?"""

    def pairable(left: tuple[int, ...], spare: int) -> bool:
        if len(left) <= spare:
            return True
        first, rest = left[0], left[1:]
        if spare and pairable(rest, spare - 1):
            return True
        return any(
            frozenset((first, other)) not in forbidden
            and pairable(tuple(x for x in rest if x != other), spare)
            for other in rest
        )

    return pairable(tuple(range(n)), n % 2)


@settings(deadline=None, max_examples=150)
@given(groups)
def test_rounds_pair_everyone_once_and_never_repeat_needlessly(
    group: tuple[list[list[str]], set[tuple[int, int]], int],
) -> None:
    tag_lists, earlier, seed = group
    n = len(tag_lists)
    members = [Member(f"m{i}", f"M{i}", tuple(t)) for i, t in enumerate(tag_lists)]
    previous = {frozenset((f"m{i}", f"m{j}")) for i, j in earlier if i != j}
    result = pair_round(members, previous, VOCAB, seed=seed)

    everyone = ids(result)
    assert all(p.a != p.b for p in result.pairs)  # never with themselves
    assert len(everyone) == len(set(everyone))  # everybody at most once
    assert (result.odd_one_out is not None) == (n % 2 == 1)  # odd one out only when odd
    odd = [] if result.odd_one_out is None else [result.odd_one_out]
    assert sorted(everyone + odd) == sorted(m.id for m in members)
    repeats = as_sets(result) & previous
    if repeats:  # only when no round without repeats exists
        forbidden = {frozenset(int(x[1:]) for x in pair) for pair in previous}
        assert not perfect_matching_avoiding(n, forbidden)


@settings(deadline=None, max_examples=50)
@given(st.lists(interests, min_size=2, max_size=12), st.integers(0, 2**16))
def test_shared_interests_of_a_pair_are_interests_both_have(
    tag_lists: list[list[str]], seed: int
) -> None:
    members = [Member(f"m{i}", f"M{i}", tuple(t)) for i, t in enumerate(tag_lists)]
    by_id = {m.id: m for m in members}
    for pair in pair_round(members, [], VOCAB, seed=seed).pairs:
        for shared in pair.shared:
            assert shared in by_id[pair.a].interests or shared in by_id[pair.b].interests
        assert (pair.score > 0) == bool(pair.shared)


def test_swaps_resolve_repeats_in_a_large_group_too() -> None:
    # Beyond the exact fallback's size: greedy plus swaps must still avoid the repeats.
    n = pairing.EXACT_LIMIT + 50
    members = [Member(f"m{i}", f"M{i}") for i in range(n)]  # no interests: all leftovers
    rounds: list[set[frozenset[str]]] = []
    for seed in range(3):
        previous = set().union(*rounds) if rounds else set()
        result = pair_round(members, previous, VOCAB, seed=seed)
        assert not as_sets(result) & previous
        rounds.append(as_sets(result))


def test_everyone_meets_everyone_over_n_minus_one_rounds_of_a_small_group() -> None:
    members = [Member(f"m{i}", f"M{i}", ("jazz",)) for i in range(6)]
    met: set[frozenset[str]] = set()
    for seed in range(5):
        result = pair_round(members, met, VOCAB, seed=seed)
        assert not as_sets(result) & met
        met |= as_sets(result)
    assert met == {frozenset(p) for p in itertools.combinations([m.id for m in members], 2)}
