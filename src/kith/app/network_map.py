"""The network map: who introduced whom to me, and the intros I made, laid out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import rustworkx as rx

from kith.app import judging
from kith.app.garden import Garden
from kith.core.model import Stage
from kith.store import network as network_store
from kith.store import people as people_store

NETWORK_LIMIT = 600  # nodes drawn on the map; past that a graph is a hairball


@dataclass(frozen=True)
class Node:
    """A person on the network map, with their place."""

    id: int
    name: str
    stage: Stage
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    """A line on the network map: an introduction to me, or one I made."""

    source: int
    target: int
    kind: str  # "introduced" (source introduced target to me) or "intro" (I introduced them)
    state: str = ""


@dataclass(frozen=True)
class Network:
    """The network map: who introduced whom, laid out."""

    nodes: list[Node]
    edges: list[Edge]
    left_out: int  # connected people beyond NETWORK_LIMIT, not drawn


def network(garden: Garden, limit: int = NETWORK_LIMIT) -> Network:
    """Who introduced whom to me, and the intros I made, laid out as a graph."""
    account = garden.account_id
    with garden.reading() as conn:
        edges = [
            Edge(a, b, "introduced") for a, b in network_store.introduced_through(conn, account)
        ]
        edges += [
            Edge(a, b, "intro", state) for a, b, state in network_store.intros_made(conn, account)
        ]
        degree: Counter[int] = Counter()
        for edge in edges:
            degree.update((edge.source, edge.target))
        chosen = {pid for pid, _ in degree.most_common(limit)}
        shown = people_store.load_people(conn, account, ids=sorted(chosen)) if chosen else []
        verdicts = judging.judge_people(conn, garden, shown)
    edges = [e for e in edges if e.source in chosen and e.target in chosen]
    positions = _layout([p.id for p in shown], edges)
    nodes = [
        Node(p.id, p.name, verdicts[p.id].stage, *positions.get(p.id, (0.0, 0.0))) for p in shown
    ]
    return Network(nodes, edges, max(0, len(degree) - len(chosen)))


def _layout(ids: list[int], edges: list[Edge]) -> dict[int, tuple[float, float]]:
    """A force-directed layout (rustworkx), seeded so the map does not jump between visits."""
    graph: rx.PyGraph = rx.PyGraph()
    index = {pid: graph.add_node(pid) for pid in ids}
    graph.add_edges_from_no_data([(index[e.source], index[e.target]) for e in edges])
    if not ids:
        return {}
    positions = rx.spring_layout(graph, seed=7, num_iter=100)
    return {graph[i]: (float(xy[0]), float(xy[1])) for i, xy in positions.items()}
