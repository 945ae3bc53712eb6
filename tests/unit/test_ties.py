"""The tie graph: CSR arrays by source and by target, checked on the way in."""

from __future__ import annotations

import numpy as np
import pytest

from kith.core.ties import TieEvidence, TieGraph, gather, tie_graph

Edge = tuple[int, int, float]


def graph(edges: list[Edge], size: int | None = None) -> TieGraph:
    src, dst, w = zip(*edges, strict=True) if edges else ((), (), ())
    return tie_graph(src, dst, w, size=size)


@pytest.mark.parametrize(
    ("edges", "field"),
    [
        ([(0, 1, 0.5), (0, 1, 0.7)], "targets: a tie appears twice"),
        ([(0, 1, 0.0)], "strengths"),
        ([(0, 1, 1.5)], "strengths"),
        ([(0, 1, float("nan"))], "strengths"),
        ([(1, 1, 0.5)], "targets: a tie from a node to itself"),
        ([(0, 9, 0.5)], "targets: a node id is outside"),
    ],
)
def test_bad_ties_are_refused_naming_the_field(edges: list[Edge], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        graph(edges, size=3)


def test_the_matrix_holds_the_strengths() -> None:
    g = graph([(2, 0, 0.5), (0, 1, 0.25), (0, 2, 1.0)], size=3)
    assert g.matrix().toarray().tolist() == [[0, 0.25, 1.0], [0, 0, 0], [0.5, 0, 0]]


def test_both_layouts_hold_every_tie_sorted_by_node() -> None:
    g = graph([(2, 0, 0.5), (0, 2, 1.0), (0, 1, 0.25), (1, 2, 0.75)], size=3)
    assert g.out_ptr.tolist() == [0, 2, 3, 4]
    assert g.out_node.tolist() == [1, 2, 2, 0]
    assert g.out_weight.tolist() == [0.25, 1.0, 0.75, 0.5]
    assert g.in_ptr.tolist() == [0, 1, 2, 4]
    assert g.in_node.tolist() == [2, 0, 0, 1]
    assert g.in_weight.tolist() == [0.5, 0.25, 1.0, 0.75]
    assert g.strength(1, 2) == 0.75
    assert g.strength(2, 1) is None


def test_gather_lists_the_entries_of_many_rows_at_once() -> None:
    g = graph([(0, 1, 0.25), (0, 2, 1.0), (2, 0, 0.5)], size=3)
    owner, node, weight = gather(g.out_ptr, g.out_node, g.out_weight, np.array([2, 1, 0]))
    assert owner.tolist() == [0, 2, 2]
    assert node.tolist() == [0, 1, 2]
    assert weight.tolist() == [0.5, 0.25, 1.0]


def test_evidence_follows_its_tie_whatever_the_order_given() -> None:
    g = tie_graph(
        [1, 0],
        [0, 1],
        [0.5, 0.9],
        stage=["seed", "trusted"],
        days_known=[10, 800],
        contacts=[1, 40],
    )
    assert g.evidence(0, 1) == TieEvidence("trusted", 800, 40)
    assert g.evidence(1, 0).words() == "seed, 10 days, 1 contact"
    assert g.names == ("#0", "#1")


def test_evidence_columns_must_match_the_ties() -> None:
    with pytest.raises(ValueError, match="contacts"):
        tie_graph([0], [1], [0.5], contacts=[1, 2])
    with pytest.raises(ValueError, match="stage"):
        tie_graph([0], [1], [0.5], stage=[])
