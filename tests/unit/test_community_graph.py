"""The community trust graph from members' judgement, and safe warm paths through it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kith.core.community_graph import (
    CommunityGraph,
    Node,
    Tie,
    blocked_ids,
    build,
    ranking,
    trust_view,
)
from kith.core.warm_paths import warm_paths

HONEST = 20
FAKES = 100


def member(i: int | str) -> Node:
    return Node(f"m:{i}", f"member{i}", member=True)


def contact(name: str) -> Node:
    return Node(f"c:{name}", name, member=False)


def tie(owner: str, target: str, stage: str = "trusted", strength: float = 0.7) -> Tie:
    return Tie(owner, target, stage, strength, trust=0.8, days_known=900, contacts=12)


def honest_group(seed: int = 1) -> tuple[list[Node], list[Tie]]:
    """20 members, each vouching for 4 others (a ring plus random chords), 3 sharing contacts."""
    rng = random.Random(seed)
    nodes = [member(i) for i in range(HONEST)]
    ties = []
    for i in range(HONEST):
        others = {(i + 1) % HONEST, (i - 1) % HONEST}
        while len(others) < 4:
            others.add(rng.randrange(HONEST))
            others.discard(i)
        ties += [tie(f"m:{i}", f"m:{j}", strength=rng.uniform(0.4, 0.9)) for j in sorted(others)]
    return nodes, ties


def with_sybils(
    nodes: list[Node], ties: list[Tie], size: int = FAKES
) -> tuple[list[Node], list[Tie]]:
    """Fakes vouching strongly for each other; member 7 has one of them as a growing tie."""
    fakes = [member(f"fake{i}") for i in range(size)]
    rng = random.Random(5)
    fake_ties = [
        tie(f.key, fakes[j].key, strength=0.95)
        for i, f in enumerate(fakes)
        for j in {(i + 1) % size, *rng.sample(range(size), 8)} - {i}
    ]
    attack = Tie("m:7", "m:fake0", "growing", 0.35, trust=0.55, days_known=60, contacts=4)
    shared = [contact(f"Fake Funder {i}") for i in range(10)]
    fake_shares = [tie(f"m:fake{i}", shared[i].key, strength=0.99) for i in range(10)]
    return nodes + fakes + shared, ties + fake_ties + [attack] + fake_shares


def test_a_vouch_is_a_growing_or_trusted_tie_and_a_weed_a_warning() -> None:
    graph = build(
        [member(0), member(1), contact("Omar"), contact("Tom")],
        [
            tie("m:0", "m:1"),
            tie("m:1", "c:Omar", "growing"),
            tie("m:0", "c:Tom", "weed"),
            tie("m:0", "c:Omar", "seed"),
        ],
    )
    signs = {(r.source, r.target): r.value > 0 for r in graph.ratings}
    assert signs == {("m:0", "m:1"): True, ("m:1", "c:Omar"): True, ("m:0", "c:Tom"): False}
    # a seed neither vouches nor carries an introduction; a weed never carries one
    assert graph.paths.strength(0, 2) is None and graph.paths.strength(0, 3) is None
    assert graph.paths.strength(1, 2) == 0.7


def test_a_weed_in_the_askers_or_a_trusted_members_garden_is_flagged() -> None:
    nodes = [member(0), member(1), member(2), contact("Omar")]
    graph = build(
        nodes,
        [
            tie("m:0", "m:1"),
            tie("m:1", "m:2"),
            tie("m:2", "c:Omar"),
            tie("m:1", "c:Omar", "weed"),
        ],
    )
    view = trust_view(graph, "m:0")
    assert "c:Omar" in view.flagged
    answer = warm_paths(graph.paths, 0, [3], blocked_ids(graph, view), target_words="Omar")
    assert answer.paths == () and answer.no_path is not None


def test_an_isolated_member_is_unknown_not_distrusted() -> None:
    graph = build([member(0), member(1), member(2)], [tie("m:0", "m:1")])
    view = trust_view(graph, "m:0")
    assert view.scores["m:2"] == 0.0


def _sybil_graph(size: int = FAKES) -> tuple[CommunityGraph, list[str]]:
    nodes, ties = honest_group()
    nodes, ties = with_sybils(nodes, ties, size)
    honest_funder = contact("Maya Okafor")
    ties.append(tie("m:12", honest_funder.key, strength=0.6))
    return build([*nodes, honest_funder], ties), [n.key for n in nodes if n.member]


def test_a_sybil_region_never_appears_on_a_path() -> None:
    graph, _ = _sybil_graph()
    funders = [i for i, n in enumerate(graph.nodes) if "Funder" in n.name or "Maya" in n.name]
    reached = 0
    for asker in range(HONEST):
        view = trust_view(graph, f"m:{asker}")
        answer = warm_paths(graph.paths, asker, funders, blocked_ids(graph, view), k=3)
        on_paths = {graph.nodes[i].key for p in answer.paths for i in p.nodes}
        assert not any("fake" in k or "Fake" in k for k in on_paths), (asker, on_paths)
        reached += bool(answer.paths)
    assert reached >= HONEST // 2  # Maya, three introductions or fewer away through honest ones


def test_no_fake_ranks_above_the_median_of_the_ranking() -> None:
    graph, members = _sybil_graph()
    for asker in range(HONEST):
        view = trust_view(graph, f"m:{asker}")
        ranked = ranking(view, [k for k in members if k != f"m:{asker}"])
        honest = [score for key, score in ranked if "fake" not in key]
        best_fake = max(view.scores[key] for key, _ in ranked if "fake" in key)
        assert best_fake <= float(np.median(honest))  # the median of the honest members' scores
        order = [key for key, _ in ranked]
        assert all("fake" in key for key in order[HONEST - 1 :])  # flagged ones rank last


@pytest.mark.parametrize("size", [10, 100, 1000])
def test_every_fake_is_flagged_however_large_the_region(size: int) -> None:
    graph, _ = _sybil_graph(size)
    # 7, the careless member, vouches for a fake themselves: from their own view a region of
    # 10 shares what their vouch carries into it and stays above the floor (docs/trust.md).
    askers = [a for a in range(HONEST) if size >= FAKES or a != 7]
    for asker in askers:
        view = trust_view(graph, f"m:{asker}")
        assert all(f"m:fake{i}" in view.flagged for i in range(size))
        assert not any(f"m:{i}" in view.flagged for i in range(HONEST))
