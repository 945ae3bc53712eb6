"""The same warm-path query and personalised PageRank with networkx and with igraph.

Neither library has a "k best paths by product, at most 3 hops, to any of a set, avoiding
these nodes" query, so each reference runs the same bounded meet-in-the-middle as
kith.core.warm_paths with the library's own graph and primitives: networkx through its
adjacency dicts, igraph through its batched C calls (neighbourhoods of many vertices at once,
edge ids of many pairs at once) with the join in Python. Same rules, same tie order (score,
then fewer hops, then smaller ids), products in the same order, so the answers are equal to
the last bit. (A naive `nx.all_simple_paths(cutoff=3)` enumerates every 3-hop path through
the hubs, millions per query: not a fair reference.)

networkx and igraph are the `bench` extra: `.venv/bin/pip install -e '.[bench]'`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt

Path = tuple[float, tuple[int, ...]]


def _key(path: Path) -> tuple[float, int, list[int]]:
    score, nodes = path
    return (-score, len(nodes), [*nodes[1:], -1, -1, -1][:3])


def _best(candidates: list[Path], k: int) -> list[Path]:
    candidates.sort(key=_key)
    return candidates[:k]


# --- networkx -------------------------------------------------------------------------------


def nx_graph(src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64], w: Any, n: int) -> Any:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    return g


def nx_paths(g: Any, source: int, targets: set[int], blocked: set[int], k: int) -> list[Path]:
    goal = targets - blocked - {source}
    banned = targets | blocked | {source}
    into: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for t in goal:
        for b, tie in g.pred[t].items():
            if b not in banned:
                into[b].append((tie["weight"], t))
    for ties in into.values():
        ties.sort(key=lambda tie: (-tie[0], tie[1]))
        del ties[k:]
    found: list[Path] = []
    for a, tie in g.succ[source].items():
        w1 = tie["weight"]
        if a in goal:
            found.append((w1, (source, a)))
        if a in banned:
            continue
        found.extend((w1 * w, (source, a, t)) for w, t in into.get(a, ()))
        for b, tie2 in g.succ[a].items():
            if b in banned or b not in into:
                continue
            w12 = w1 * tie2["weight"]
            found.extend((w12 * w, (source, a, b, t)) for w, t in into[b])
    return _best(found, k)


def nx_ppr(g: Any, seed: int, alpha: float, tol: float) -> npt.NDArray[np.float64]:
    import networkx as nx

    n = g.number_of_nodes()
    # networkx stops when the L1 change is below n * tol: scale it to the same L1 criterion
    ranks = nx.pagerank(g, alpha=alpha, personalization={seed: 1.0}, tol=tol / n, max_iter=500)
    return np.array([ranks[i] for i in range(n)])


# --- igraph ---------------------------------------------------------------------------------


def ig_graph(src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64], w: Any, n: int) -> Any:
    import igraph as ig

    g = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist(), directed=True)
    g.es["weight"] = w.tolist()
    return g


def ig_paths(
    g: Any, weights: list[float], source: int, targets: set[int], blocked: set[int], k: int
) -> list[Path]:
    """`weights` is g.es["weight"] fetched once (reading it per query would copy 1M floats)."""
    goal = sorted(targets - blocked - {source})
    banned = targets | blocked | {source}
    into: dict[int, list[tuple[float, int]]] = defaultdict(list)
    pairs = [
        (b, t)
        for t, pre in zip(goal, g.neighborhood(goal, order=1, mode="in", mindist=1), strict=True)
        for b in pre
        if b not in banned
    ]
    for (b, t), eid in zip(pairs, g.get_eids(pairs), strict=True):
        into[b].append((weights[eid], t))
    for ties in into.values():
        ties.sort(key=lambda tie: (-tie[0], tie[1]))
        del ties[k:]
    first = g.neighbors(source, mode="out")
    first_w = [weights[e] for e in g.get_eids([(source, a) for a in first])]
    found: list[Path] = [(w, (source, a)) for a, w in zip(first, first_w, strict=True) if a in goal]
    safe = [(a, w) for a, w in zip(first, first_w, strict=True) if a not in banned]
    second = g.neighborhood([a for a, _ in safe], order=1, mode="out", mindist=1)
    hops = [(i, b) for i, bs in enumerate(second) for b in bs if b not in banned and b in into]
    hop_w = g.get_eids([(safe[i][0], b) for i, b in hops])
    for a, w1 in safe:
        found.extend((w1 * w, (source, a, t)) for w, t in into.get(a, ()))
    for (i, b), eid in zip(hops, hop_w, strict=True):
        a, w1 = safe[i]
        w12 = w1 * weights[eid]
        found.extend((w12 * w, (source, a, b, t)) for w, t in into[b])
    return _best(found, k)


def ig_ppr(g: Any, seed: int, alpha: float) -> npt.NDArray[np.float64]:
    return np.array(g.personalized_pagerank(damping=alpha, reset_vertices=[seed], weights="weight"))


# --- the libraries' own path enumeration, for scale -----------------------------------------


def nx_enumerate(g: Any, source: int, targets: list[int]) -> int:
    """How many simple paths of ≤ 3 hops networkx lists from source to the targets."""
    import networkx as nx

    return sum(1 for _ in nx.all_simple_paths(g, source, targets, cutoff=3))


def ig_enumerate(g: Any, source: int, targets: list[int]) -> int:
    return len(g.get_all_simple_paths(source, to=targets, maxlen=3, mode="out"))
