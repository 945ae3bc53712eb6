"""Warm paths: best chains of introductions by product of tie strengths, ≤ 3 hops, never
through anyone flagged, and an honest answer with a way forward when there is none."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.ties import TieGraph, tie_graph
from kith.core.warm_paths import MAX_HOPS, Gap, PathAnswer, warm_paths

Edge = tuple[int, int, float]


def graph(edges: list[Edge], names: str | None = None, size: int | None = None) -> TieGraph:
    src, dst, w = zip(*edges, strict=True) if edges else ((), (), ())
    return tie_graph(src, dst, w, names=names.split() if names else None, size=size)


def node_paths(answer: PathAnswer) -> list[tuple[int, ...]]:
    return [p.nodes for p in answer.paths]


# 0 Me, 1 Lea, 2 Omar, 3 Ana, 4 Bo, 5 Cy, 6 Dee (Dee is the target in most tests)
NAMES = "Me Lea Omar Ana Bo Cy Dee"


def test_the_best_path_is_the_highest_product_not_the_fewest_hops_or_strongest_first_tie() -> None:
    g = graph(
        [
            (0, 6, 0.2),  # direct but weak: 0.2
            (0, 1, 0.9),
            (1, 6, 0.9),  # two strong hops: 0.81
            (0, 2, 1.0),
            (2, 6, 0.3),  # strongest first tie: 0.3
            (0, 3, 0.95),
            (3, 4, 0.95),
            (4, 6, 0.95),  # three very strong hops: 0.857375
        ],
        NAMES,
    )
    answer = warm_paths(g, 0, [6], k=4)
    assert node_paths(answer) == [(0, 3, 4, 6), (0, 1, 6), (0, 2, 6), (0, 6)]
    assert [p.score for p in answer.paths] == pytest.approx([0.857375, 0.81, 0.3, 0.2])
    assert answer.no_path is None


def test_paths_have_at_most_three_hops() -> None:
    chain = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 6, 1.0)]  # four hops to Dee
    assert warm_paths(graph(chain, NAMES), 0, [6]).paths == ()
    assert node_paths(warm_paths(graph(chain, NAMES), 0, [3])) == [(0, 1, 2, 3)]
    longer_but_better = [*chain, (0, 4, 0.1), (4, 6, 0.1)]
    assert node_paths(warm_paths(graph(longer_but_better, NAMES), 0, [6])) == [(0, 4, 6)]


def test_paths_never_pass_through_or_end_at_a_blocked_node() -> None:
    g = graph([(0, 1, 0.9), (1, 6, 0.9), (0, 2, 0.5), (2, 6, 0.5), (0, 5, 1.0)], NAMES)
    assert node_paths(warm_paths(g, 0, [6])) == [(0, 1, 6), (0, 2, 6)]
    assert node_paths(warm_paths(g, 0, [6], blocked=[1])) == [(0, 2, 6)]
    # a flagged match is never a target, even a direct and strong one
    assert node_paths(warm_paths(g, 0, [5, 6], blocked=[5])) == [(0, 1, 6), (0, 2, 6)]


def test_the_best_three_distinct_paths_are_returned_by_default() -> None:
    edges = [(0, m, 0.9 - m / 20) for m in range(1, 6)] + [(m, 6, 0.8) for m in range(1, 6)]
    g = graph(edges, NAMES)
    answer = warm_paths(g, 0, [6])
    assert node_paths(answer) == [(0, 1, 6), (0, 2, 6), (0, 3, 6)]
    assert len(set(node_paths(warm_paths(g, 0, [6], k=5)))) == 5


def test_several_paths_may_share_their_first_hops() -> None:
    g = graph([(0, 1, 1.0), (1, 2, 1.0), (2, 5, 0.9), (2, 6, 0.8), (1, 3, 0.5), (3, 6, 1.0)])
    assert node_paths(warm_paths(g, 0, [5, 6])) == [(0, 1, 2, 5), (0, 1, 2, 6), (0, 1, 3, 6)]


def test_a_path_ends_at_the_first_person_who_matches() -> None:
    # Lea and Dee both work at Acme: Me → Lea → Dee is never offered beside Me → Lea
    g = graph([(0, 1, 0.9), (1, 6, 1.0), (0, 2, 0.5), (2, 6, 0.5)], NAMES)
    assert node_paths(warm_paths(g, 0, [1, 6])) == [(0, 1), (0, 2, 6)]


def test_ties_on_the_score_go_to_fewer_hops_then_smaller_ids() -> None:
    g = graph([(0, 6, 0.25), (0, 2, 0.5), (2, 6, 0.5), (0, 1, 0.5), (1, 6, 0.5)], NAMES)
    assert node_paths(warm_paths(g, 0, [6])) == [(0, 6), (0, 1, 6), (0, 2, 6)]


def test_each_hop_carries_its_evidence_in_words() -> None:
    g = tie_graph(
        [0, 1],
        [1, 2],
        [0.8, 0.7],
        names=["Me", "Lea", "Omar"],
        stage=["growing", "trusted"],
        days_known=[200, 4 * 365],
        contacts=[5, 23],
    )
    path = warm_paths(g, 0, [2]).paths[0]
    assert [h.words for h in path.hops] == [
        "Me knows Lea: growing, 7 months, 5 contacts",
        "Lea knows Omar: trusted, 4 years, 23 contacts",
    ]
    assert [h.strength for h in path.hops] == [0.8, 0.7]
    assert path.words.startswith("Me knows Lea: growing")


def test_unknown_evidence_is_left_out_of_the_words() -> None:
    g = tie_graph([0], [1], [0.5], names=["Me", "Lea"], stage=[""], contacts=[-1])
    assert warm_paths(g, 0, [1]).paths[0].hops[0].words == "Me knows Lea"


# --- no safe path: an honest answer and what would make one ---------------------------------


def test_nobody_matching_is_said_plainly() -> None:
    answer = warm_paths(graph([(0, 1, 0.5)], NAMES), 0, [], target_words="someone at Acme")
    assert answer.paths == ()
    assert answer.no_path is not None
    assert answer.no_path.gap is Gap.NOBODY_MATCHES
    assert answer.no_path.words == "Nobody in the community is someone at Acme."
    # I am not my own target
    assert warm_paths(graph([(0, 1, 0.5)], NAMES), 0, [0]).no_path is not None


def test_every_match_flagged_is_its_own_answer() -> None:
    answer = warm_paths(graph([(0, 1, 0.5), (1, 6, 0.5)], NAMES), 0, [6], blocked=[6])
    assert answer.no_path is not None
    assert answer.no_path.gap is Gap.ALL_MATCHES_FLAGGED
    assert answer.no_path.suggestions == ()


def test_without_usable_ties_the_answer_is_to_share_first() -> None:
    lonely = warm_paths(graph([(1, 6, 0.5)], NAMES), 0, [6])
    assert lonely.no_path is not None
    assert lonely.no_path.gap is Gap.NO_TIES
    assert "no ties" in lonely.no_path.words
    all_flagged = warm_paths(graph([(0, 1, 0.5), (1, 6, 0.5)], NAMES), 0, [6], blocked=[1])
    assert all_flagged.no_path is not None
    assert all_flagged.no_path.gap is Gap.NO_TIES
    assert all_flagged.no_path.words.startswith("All 1 tie of yours")


def test_paths_only_through_flagged_people_are_reported_without_using_them() -> None:
    g = graph([(0, 1, 0.9), (1, 2, 0.9), (2, 6, 0.9), (0, 3, 0.4)], NAMES)
    answer = warm_paths(g, 0, [6], blocked=[2], target_words="someone at Acme")
    assert answer.paths == ()
    assert answer.no_path is not None
    assert answer.no_path.gap is Gap.ONLY_THROUGH_FLAGGED
    assert answer.no_path.ask == (1, 3)  # my safe contacts, strongest tie first
    assert answer.no_path.suggestions[0] == (
        "ask Lea whether they know someone at Acme, and to share that contact with the group"
    )


def test_a_match_four_hops_away_names_whom_to_meet_first() -> None:
    g = graph([(0, 1, 0.9), (1, 2, 0.8), (2, 3, 0.7), (3, 6, 0.6), (0, 4, 0.5)], NAMES)
    answer = warm_paths(g, 0, [6], target_words="Dee")
    assert answer.no_path is not None
    assert answer.no_path.gap is Gap.TOO_FAR
    assert answer.no_path.meet == ((1, 2),)
    assert answer.no_path.suggestions[0] == (
        "ask Lea to introduce you to Omar, who is two introductions from Dee"
    )
    assert "4 introductions away" in answer.no_path.words


def test_four_hops_through_a_flagged_person_do_not_count_as_near() -> None:
    g = graph([(0, 1, 0.9), (1, 2, 0.8), (2, 3, 0.7), (3, 6, 0.6), (0, 4, 0.5)], NAMES)
    answer = warm_paths(g, 0, [6], blocked=[3])
    assert answer.no_path is not None
    assert answer.no_path.gap is Gap.NOT_CONNECTED
    assert answer.no_path.ask == (1, 4)


# --- bad queries ---------------------------------------------------------------------------


def test_targets_and_blocked_may_be_sets_arrays_or_lists() -> None:
    g = graph([(0, 1, 0.9), (1, 6, 0.9), (0, 2, 0.5), (2, 6, 0.5)], NAMES)
    expected = [(0, 2, 6)]
    assert node_paths(warm_paths(g, 0, {6}, frozenset({1}))) == expected
    assert node_paths(warm_paths(g, 0, np.array([6, 6]), np.array([1]))) == expected
    assert node_paths(warm_paths(g, 0, (6,), [1])) == expected


def test_bad_queries_are_refused_naming_the_field() -> None:
    g = graph([(0, 1, 0.5)], size=3)
    with pytest.raises(ValueError, match="source"):
        warm_paths(g, 5, [1])
    with pytest.raises(ValueError, match="targets"):
        warm_paths(g, 0, [7])
    with pytest.raises(ValueError, match="k:"):
        warm_paths(g, 0, [1], k=0)


# --- properties against a brute-force reference ---------------------------------------------


def brute_force(
    edges: list[Edge], source: int, targets: set[int], blocked: set[int], k: int
) -> list[tuple[float, tuple[int, ...]]]:
    """Every simple path of ≤ 3 hops, scored by the product, best first (same tie order)."""
    out: dict[int, list[tuple[int, float]]] = {}
    for u, v, w in edges:
        out.setdefault(u, []).append((v, w))
    goals = targets - blocked - {source}
    found: list[tuple[float, tuple[int, ...]]] = []

    def walk(path: tuple[int, ...], score: float) -> None:
        for v, w in out.get(path[-1], []):
            if v in path or v in blocked:
                continue
            if v in goals:
                found.append((score * w, (*path, v)))
            elif v not in targets and len(path) < MAX_HOPS:
                walk((*path, v), score * w)

    walk((source,), 1.0)
    found.sort(key=lambda f: (-f[0], len(f[1]), [*f[1][1:], -1, -1, -1][:3]))
    return found[:k]


@st.composite
def queries(draw: st.DrawFn) -> tuple[list[Edge], int, set[int], set[int], int]:
    n = draw(st.integers(2, 9))
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
        )
    )
    strength = st.sampled_from([0.1, 0.25, 0.5, 1.0]) | st.floats(0.01, 1.0)
    edges = [(u, v, draw(strength)) for u, v in sorted(pairs)]
    nodes = st.integers(0, n - 1)
    return (
        edges,
        draw(nodes),
        draw(st.sets(nodes, max_size=n)),
        draw(st.sets(nodes, max_size=3)),
        draw(st.integers(1, 5)),
    )


@settings(max_examples=300)
@given(queries())
def test_paths_are_simple_short_safe_sorted_and_scored_by_their_product(
    query: tuple[list[Edge], int, set[int], set[int], int],
) -> None:
    edges, source, targets, blocked, k = query
    g = graph(edges, size=10)
    strength = {(u, v): w for u, v, w in edges}
    answer = warm_paths(g, source, sorted(targets), sorted(blocked), k=k)
    scores = [p.score for p in answer.paths]
    assert scores == sorted(scores, reverse=True)
    assert len(answer.paths) <= k
    for path in answer.paths:
        nodes = path.nodes
        assert len(set(nodes)) == len(nodes)
        assert 1 <= len(nodes) - 1 <= MAX_HOPS
        assert nodes[0] == source
        assert nodes[-1] in targets
        assert not set(nodes[1:]) & blocked  # the source is me, never blocked from asking
        assert not set(nodes[1:-1]) & targets
        assert path.score == math.prod(strength[h] for h in itertools.pairwise(nodes))
    assert (answer.no_path is None) == bool(answer.paths)


@settings(max_examples=300)
@given(queries())
def test_the_answer_is_the_brute_force_best(
    query: tuple[list[Edge], int, set[int], set[int], int],
) -> None:
    edges, source, targets, blocked, k = query
    g = graph(edges, size=10)
    answer = warm_paths(g, source, sorted(targets), sorted(blocked), k=k)
    expected = brute_force(edges, source, targets, blocked, k)
    assert [(p.score, p.nodes) for p in answer.paths] == expected
    if expected:
        assert answer.paths[0].score >= max(s for s, _ in expected)


def test_a_larger_random_graph_agrees_with_brute_force() -> None:
    rng = np.random.default_rng(3)
    pairs = {(int(u), int(v)) for u, v in rng.integers(0, 60, size=(400, 2)) if u != v}
    strengths = np.maximum(rng.random(len(pairs)), 0.01).tolist()
    edges = [(u, v, w) for (u, v), w in zip(sorted(pairs), strengths, strict=True)]
    g = graph(edges, size=60)
    for source in range(0, 60, 7):
        targets = {int(t) for t in rng.choice(60, size=4, replace=False)}
        blocked = {int(b) for b in rng.choice(60, size=3, replace=False)}
        answer = warm_paths(g, source, sorted(targets), sorted(blocked), k=3)
        expected = brute_force(edges, source, targets, blocked, 3)
        assert [(p.score, p.nodes) for p in answer.paths] == expected
