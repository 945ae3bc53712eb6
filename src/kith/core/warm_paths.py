"""Warm paths: the chains of introductions from me to someone who matches, most likely first.

A path's score is the product of the tie strengths along it (each tie in (0, 1], so a longer
chain never scores more than its prefix). A path has at most MAX_HOPS hops, is simple, and
never passes through a blocked node (flagged by the trust metric, or a weed).

Decisions:
- A blocked node is never a target either: an introduction to someone the trust metric flags
  is not a warm path, so "everyone who matches is flagged" is its own honest answer.
- A path ends at the first person who matches: no other match is an intermediate, because
  s → Lea (at Acme) → Omar (at Acme) is never better than s → Lea, and listing both would
  waste one of the k places. The source never matches itself.
- The source is the member asking and is never blocked from their own search (whether a
  flagged member may search at all is the app's decision, not the path's).
- Ties on the score go to fewer hops, then to the smaller node ids, so answers are stable.

Representation, and why: the graph (kith.core.ties.TieGraph) is two CSR layouts of the same
edges, by source (out-ties) and by target (in-ties), as plain numpy arrays (the layout of
scipy.sparse.csr_array). A query is a bounded meet-in-the-middle: forward one and two hops
from the source (the second hop is one vectorised gather over the first hop's rows),
backward one hop from the targets (one gather over their in-rows), kept to the k strongest
ties into a target per last intermediate, then joined. Every step is a
handful of numpy operations over the touched edges only, so a query costs what the source's
two-hop neighbourhood and the targets' in-ties cost, not the community's size; with
heavy-tailed degrees the forward side stays small because it stops at two hops, and the
backward side never fans out from the targets more than once. A 3-hop BFS from the source
alone would touch the hubs' neighbourhoods a third time (millions of edges); rustworkx and
scipy.sparse offer no bounded k-best product path query to a set of targets, and a
general k-shortest-paths (Yen) on -log(strength) cannot bound the hops.

When there is no path, `NoSafePath` says why (nobody matches, every match is flagged, I have
no ties yet, paths exist only through flagged people, the nearest match is four introductions
away, or nothing shared reaches a match) and what would make one, in words.
"""

from __future__ import annotations

import itertools
from collections.abc import Set
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kith.core.ties import FloatArray, IntArray, TieGraph, gather
from kith.core.wording import plural

MAX_HOPS = 3  # DESIGN.md: a warm path has at most 3 hops (introductions)
DEFAULT_PATHS = 3
SUGGESTED_CONTACTS = 3  # how many of my contacts a no-path answer names

BoolArray = npt.NDArray[np.bool_]


# --- answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One introduction on a path, with its evidence in words."""

    source: int
    target: int
    strength: float
    words: str  # "Lea knows Omar: trusted, 4 years, 23 contacts"


@dataclass(frozen=True)
class WarmPath:
    """A chain of introductions from me to a match, scored by the product of strengths."""

    nodes: tuple[int, ...]  # from me to the match
    score: float  # product of the tie strengths
    hops: tuple[Hop, ...]

    @property
    def words(self) -> str:
        """The whole path in words, hop by hop."""
        return "; ".join(hop.words for hop in self.hops)


class Gap(StrEnum):
    """Why there is no safe path."""

    NOBODY_MATCHES = "nobody-matches"
    ALL_MATCHES_FLAGGED = "all-matches-flagged"
    NO_TIES = "no-ties"
    ONLY_THROUGH_FLAGGED = "only-through-flagged"
    TOO_FAR = "too-far"
    NOT_CONNECTED = "not-connected"


@dataclass(frozen=True)
class NoSafePath:
    """The honest answer when no safe path exists, with what would make one."""

    gap: Gap
    words: str  # one honest sentence
    suggestions: tuple[str, ...]  # what would make a path, in words
    ask: tuple[int, ...] = ()  # my own direct contacts worth asking, strongest tie first
    meet: tuple[tuple[int, int], ...] = ()  # (my contact, whom they could introduce me to)


@dataclass(frozen=True)
class PathAnswer:
    """The best paths, or why there is none."""

    paths: tuple[WarmPath, ...]  # best first; empty exactly when no_path is set
    no_path: NoSafePath | None = None


# --- the search -----------------------------------------------------------------------------


def warm_paths(
    graph: TieGraph,
    source: int,
    targets: npt.ArrayLike | Set[int],
    blocked: npt.ArrayLike | Set[int] = (),
    *,
    k: int = DEFAULT_PATHS,
    target_words: str = "someone who matches",
) -> PathAnswer:
    """The k best safe paths of at most MAX_HOPS hops from `source` to any of `targets`.

    `targets` and `blocked` are node ids (an array, a sequence or a set); `target_words` names
    the targets in the no-path answer ("someone at Acme", "Omar").
    """
    if k < 1:
        raise ValueError("k: at least one path must be asked for")
    if not 0 <= source < graph.size:
        raise ValueError(f"source: node {source} is not in the graph")
    goal_nodes = _nodes(targets, graph.size, "targets")
    flagged = _nodes(blocked, graph.size, "blocked")
    goal = np.zeros(graph.size, dtype=np.bool_)
    goal[goal_nodes] = True
    goal[source] = False
    matches = goal.copy()
    goal[flagged] = False
    through = ~matches
    through[flagged] = False
    through[source] = False
    found = best_paths(graph, source, goal, through, k)
    if found:
        return PathAnswer(tuple(_described(graph, score, nodes) for score, nodes in found))
    return PathAnswer((), _why_none(graph, _Query(source, matches, goal, through), target_words))


def _nodes(values: npt.ArrayLike | Set[int], n: int, field: str) -> IntArray:
    if isinstance(values, Set):
        values = np.fromiter(values, dtype=np.int64, count=len(values))
    nodes = np.asarray(values, dtype=np.int64).ravel()  # repeats are harmless: they set masks
    if nodes.size and (nodes.min() < 0 or nodes.max() >= n):
        raise ValueError(f"{field}: a node id is outside 0..{n - 1}")
    return nodes


def best_paths(
    graph: TieGraph, source: int, goal: BoolArray, through: BoolArray, k: int
) -> list[tuple[float, tuple[int, ...]]]:
    """The k best (score, nodes) from `source` to a `goal` node, intermediates in `through`.

    `through` must exclude the source and every goal node (that keeps paths simple).
    """
    first, first_w = _out(graph, np.array([source]))[1:]
    a_keep = through[first]
    a, fa = first[a_keep], first_w[a_keep]
    owner, b, ab_w = _out(graph, a)
    b_keep = through[b]
    b_owner, b, fb = owner[b_keep], b[b_keep], fa[owner[b_keep]] * ab_w[b_keep]
    last = np.zeros(graph.size, dtype=np.bool_)
    last[a] = True
    last[b] = True
    into, into_t, into_w = _top_ties_into(graph, np.flatnonzero(goal), last, k)
    direct = goal[first]
    pad = np.full(int(direct.sum()), -1, dtype=np.int64)
    parts = [(first_w[direct], first[direct], pad, pad)]
    i, t, w = _join(a, into, into_t, into_w)
    parts.append((fa[i] * w, a[i], t, np.full(t.size, -1, dtype=np.int64)))
    i, t, w = _join(b, into, into_t, into_w)
    parts.append((fb[i] * w, a[b_owner[i]], b[i], t))
    score, p1, p2, p3 = (np.concatenate(column) for column in zip(*parts, strict=True))
    chosen = _top(score, p1, p2, p3, k)
    return [
        (float(score[c]), (source, *(int(p[c]) for p in (p1, p2, p3) if p[c] >= 0))) for c in chosen
    ]


def _out(graph: TieGraph, rows: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """All out-ties of `rows`: (index into rows, target, strength)."""
    return gather(graph.out_ptr, graph.out_node, graph.out_weight, rows)


def _top_ties_into(
    graph: TieGraph, goal_nodes: IntArray, last: BoolArray, k: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Ties from a `last` node into a goal node, the k strongest per node, sorted by node."""
    owner, pre, w = gather(graph.in_ptr, graph.in_node, graph.in_weight, goal_nodes)
    keep = last[pre]
    pre, t, w = pre[keep], goal_nodes[owner[keep]], w[keep]
    order = np.lexsort((t, -w, pre))
    pre, t, w = pre[order], t[order], w[order]
    starts = np.flatnonzero(np.r_[True, pre[1:] != pre[:-1]]) if pre.size else pre
    rank = np.arange(pre.size) - np.repeat(starts, np.diff(np.r_[starts, pre.size]))
    best = rank < k
    return pre[best], t[best], w[best]


def _join(
    prefix_end: IntArray, into: IntArray, into_t: IntArray, into_w: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each prefix (by its last node) with each tie into a goal from that node."""
    lo = np.searchsorted(into, prefix_end, side="left")
    hi = np.searchsorted(into, prefix_end, side="right")
    counts = hi - lo
    owner = np.repeat(np.arange(prefix_end.size, dtype=np.int64), counts)
    at = lo[owner] + np.arange(owner.size, dtype=np.int64) - (np.cumsum(counts) - counts)[owner]
    return owner, into_t[at], into_w[at]


def _top(score: FloatArray, p1: IntArray, p2: IntArray, p3: IntArray, k: int) -> IntArray:
    """Indices of the k best: highest score, then fewer hops, then smaller node ids."""
    if score.size > k:
        threshold = np.partition(score, score.size - k)[score.size - k]
        candidates = np.flatnonzero(score >= threshold)
    else:
        candidates = np.arange(score.size)
    hops = (p2[candidates] >= 0).astype(np.int64) + (p3[candidates] >= 0)
    order = np.lexsort((p3[candidates], p2[candidates], p1[candidates], hops, -score[candidates]))
    return candidates[order[:k]]


def _described(graph: TieGraph, score: float, nodes: tuple[int, ...]) -> WarmPath:
    hops = []
    for u, v in itertools.pairwise(nodes):
        evidence = graph.evidence(u, v).words()
        words = f"{graph.names[u]} knows {graph.names[v]}" + (f": {evidence}" if evidence else "")
        hops.append(Hop(u, v, graph.strength(u, v) or 0.0, words))
    return WarmPath(nodes, score, tuple(hops))


# --- no safe path: why, and what would make one ---------------------------------------------


@dataclass(frozen=True)
class _Query:
    source: int
    matches: BoolArray  # everyone who matches, flagged or not (never the source)
    goal: BoolArray  # the safe matches: where a path may end
    through: BoolArray  # whom a path may pass through


def _why_none(graph: TieGraph, query: _Query, target: str) -> NoSafePath:
    names = graph.names
    source, matches, goal, through = query.source, query.matches, query.goal, query.through
    if not matches.any():
        return NoSafePath(Gap.NOBODY_MATCHES, f"Nobody in the community is {target}.", ())
    if not goal.any():
        return NoSafePath(
            Gap.ALL_MATCHES_FLAGGED,
            f"Everyone who is {target} is flagged by the community's trust metric; "
            "kith does not route introductions to them.",
            (),
        )
    ask = _strongest_contacts(graph, source, through)
    asking = tuple(
        f"ask {names[c]} whether they know {target}, and to share that contact with the group"
        for c in ask
    )
    if not ask:
        ties = int(graph.out_ptr[source + 1] - graph.out_ptr[source])
        return NoSafePath(
            Gap.NO_TIES,
            f"All {plural(ties, 'tie')} of yours in the community's trust graph lead to "
            "someone the trust metric flags."
            if ties
            else "You have no ties in the community's trust graph yet.",
            ("share your vetted contacts with the group, so members can find paths through you",),
        )
    relaxed = ~matches  # flagged people allowed on the way, to tell whether they are the gap
    relaxed[source] = False
    if best_paths(graph, source, goal, relaxed, 1):
        return NoSafePath(
            Gap.ONLY_THROUGH_FLAGGED,
            f"Every path of up to {MAX_HOPS} introductions to {target} goes through someone "
            "the community's trust metric flags.",
            asking,
            ask,
        )
    meet = _four_hop_bridges(graph, source, goal, through)
    if meet:
        return NoSafePath(
            Gap.TOO_FAR,
            f"The nearest person who is {target} is {MAX_HOPS + 1} introductions away.",
            tuple(
                f"ask {names[a]} to introduce you to {names[b]}, who is two introductions "
                f"from {target}"
                for a, b in meet
            )
            + asking,
            ask,
            meet,
        )
    return NoSafePath(
        Gap.NOT_CONNECTED,
        f"No safe chain of up to {MAX_HOPS + 1} introductions through the ties shared with "
        f"the group reaches {target}.",
        asking,
        ask,
    )


def _strongest_contacts(graph: TieGraph, source: int, through: BoolArray) -> tuple[int, ...]:
    lo, hi = graph.out_ptr[source], graph.out_ptr[source + 1]
    nodes, weights = graph.out_node[lo:hi], graph.out_weight[lo:hi]
    usable = through[nodes]
    nodes, weights = nodes[usable], weights[usable]
    order = np.lexsort((nodes, -weights))[:SUGGESTED_CONTACTS]
    return tuple(int(x) for x in nodes[order])


def _four_hop_bridges(
    graph: TieGraph, source: int, goal: BoolArray, through: BoolArray
) -> tuple[tuple[int, int], ...]:
    """(my contact a, their contact b) where b is two safe hops from a goal, best first."""
    first, first_w = _out(graph, np.array([source]))[1:]
    keep = through[first]
    a, fa = first[keep], first_w[keep]
    owner, b, ab_w = _out(graph, a)
    keep = through[b]
    owner, b, fb = owner[keep], b[keep], fa[owner[keep]] * ab_w[keep]
    # best two-hop strength from each node to a goal, through a safe intermediate
    _, pre, w1 = gather(graph.in_ptr, graph.in_node, graph.in_weight, np.flatnonzero(goal))
    keep = through[pre]
    mid, w1 = pre[keep], w1[keep]
    o2, pre2, w2 = gather(graph.in_ptr, graph.in_node, graph.in_weight, mid)
    back = np.zeros(graph.size)
    np.maximum.at(back, pre2, w2 * w1[o2])
    score = fb * back[b]
    # c is never a or the source: a tie a → goal would have made a 2-hop path already
    reached = np.flatnonzero(score > 0)
    order = reached[np.lexsort((b[reached], -score[reached]))]
    pairs: dict[int, tuple[int, int]] = {}
    for i in order.tolist():
        pairs.setdefault(int(b[i]), (int(a[owner[i]]), int(b[i])))
        if len(pairs) == SUGGESTED_CONTACTS:
            break
    return tuple(pairs.values())
