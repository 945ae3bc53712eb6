"""The network map: who introduced whom to me, and the intros I made, laid out in clusters."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import rustworkx as rx

from kith.app import judging
from kith.app.garden import Garden
from kith.core import network_layout as geometry
from kith.core.model import Person, Stage
from kith.store import network as network_store
from kith.store import people as people_store

NETWORK_LIMIT = 3000  # nodes drawn on the map (the best connected); Cytoscape keeps up to there
ASPECT = 1.6  # the map's shape, wide as a screen; the page turns it for a tall phone
SPRING_ROUNDS = 30


@dataclass(frozen=True)
class Node:
    """A person on the map: their place in [0, 1]², their cluster and their label's rank."""

    id: int
    name: str
    stage: Stage
    x: float
    y: float
    cluster: int = 0
    degree: int = 0
    rank: int = 0  # 0 claims room for its label first


@dataclass(frozen=True)
class Edge:
    """A line on the network map: an introduction to me, or one I made."""

    source: int
    target: int
    kind: str  # "introduced" (source introduced target to me) or "intro" (I introduced them)
    state: str = ""


@dataclass(frozen=True)
class Cluster:
    """People linked by introductions: named after the best connected, with what they share."""

    id: int
    hub: str
    interest: str | None
    size: int


@dataclass(frozen=True)
class Network:
    """The network map: who introduced whom, laid out cluster by cluster."""

    nodes: list[Node]
    edges: list[Edge]
    left_out: int  # connected people beyond NETWORK_LIMIT, not drawn
    clusters: list[Cluster]
    aspect: float = ASPECT  # width / height of the laid-out positions before scaling to [0, 1]


def network(garden: Garden, limit: int = NETWORK_LIMIT) -> Network:
    """Who introduced whom to me, and the intros I made, laid out as clusters on a canvas."""
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
    layout = _layout(shown, edges, degree)
    ranks = geometry.label_ranks([degree[p.id] for p in shown], [p.name for p in shown])
    nodes = [
        Node(
            p.id,
            p.name,
            verdicts[p.id].stage,
            *layout.positions[p.id],
            cluster=layout.cluster_of[p.id],
            degree=degree[p.id],
            rank=rank,
        )
        for p, rank in zip(shown, ranks, strict=True)
    ]
    left_out = max(0, len(degree) - len(chosen))
    return Network(nodes, edges, left_out, layout.clusters, layout.aspect)


@dataclass(frozen=True)
class _Layout:
    positions: dict[int, geometry.Point]
    cluster_of: dict[int, int]
    clusters: list[Cluster]
    aspect: float


def _layout(people: list[Person], edges: list[Edge], degree: Counter[int]) -> _Layout:
    """Each cluster laid out alone, then the clusters packed, those sharing an interest together.

    The force-directed layout is rustworkx's, seeded: the map does not jump between visits.
    """
    graph: rx.PyGraph = rx.PyGraph()
    index = {p.id: graph.add_node(p.id) for p in people}
    graph.add_edges_from_no_data([(index[e.source], index[e.target]) for e in edges])
    by_id = {p.id: p for p in people}
    groups: defaultdict[str, list[tuple[list[int], list[geometry.Point]]]] = defaultdict(list)
    clusters: list[Cluster] = []
    cluster_of: dict[int, int] = {}
    components = sorted(
        (sorted(graph[i] for i in c) for c in rx.connected_components(graph)),
        key=lambda ids: (-len(ids), ids[0]),
    )
    for number, ids in enumerate(components):
        members = [by_id[i] for i in ids]
        hub = max(members, key=lambda p: (degree[p.id], -p.id))
        interest = geometry.shared_interest(p.interests for p in members)
        clusters.append(Cluster(number, hub.name, interest, len(ids)))
        cluster_of.update(dict.fromkeys(ids, number))
        groups[interest or ""].append((ids, _place(graph, [index[i] for i in ids], index[hub.id])))
    ids, points = _packed(list(groups.values()))
    positions = dict(zip(ids, points, strict=True))
    order = list(positions)
    scaled, aspect = geometry.normalise([positions[i] for i in order])
    return _Layout(dict(zip(order, scaled, strict=True)), cluster_of, clusters, aspect)


def _place(graph: rx.PyGraph, nodes: list[int], hub: int) -> list[geometry.Point]:
    """One cluster: rings around its hub, eased by a short force-directed pass, spread out."""
    if len(nodes) == 1:
        return [(0.0, 0.0)]
    links = {n: list(graph.neighbors(n)) for n in nodes}
    rings = geometry.radial_tree(links, hub)
    sub = graph.subgraph(nodes)  # keeps the order of `nodes`
    start = {i: rings[n] for i, n in enumerate(nodes)}
    placed = rx.spring_layout(sub, pos=start, seed=7, num_iter=SPRING_ROUNDS)
    return geometry.spread([(float(placed[i][0]), float(placed[i][1])) for i in range(len(nodes))])


Placed = tuple[list[int], list[geometry.Point]]


def _packed(groups: list[list[Placed]]) -> Placed:
    """Clusters packed within their interest group, then the groups packed on the canvas."""
    return _pack([_pack(group, aspect=1.0) for group in groups], aspect=ASPECT)


def _pack(items: list[Placed], aspect: float) -> Placed:
    """Boxes of points packed in rows (tallest first); their points moved with them."""
    items = sorted(items, key=lambda item: (-_size(item[1]).height, item[0][0]))
    corners = geometry.pack([_size(points) for _, points in items], aspect)
    ids: list[int] = []
    points: list[geometry.Point] = []
    for (own_ids, own), (cx, cy) in zip(items, corners, strict=True):
        left, top, _, _ = geometry.bounds(own)
        ids += own_ids
        points += [(x - left + cx, y - top + cy) for x, y in own]
    return ids, points


def _size(points: list[geometry.Point]) -> geometry.Size:
    left, top, right, bottom = geometry.bounds(points)
    return geometry.Size(right - left, bottom - top)
