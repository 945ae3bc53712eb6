"""`kith group path TARGET`: the best safe chains of introductions to someone, with evidence.

The graph is rebuilt from the members' gardens on every read (`app.trust_graph`); the trust
metric is personalised to the asker (`core.community_graph.trust_view`); the search is
`core.warm_paths` (best 3, at most 3 hops, never through the flagged).
"""

from __future__ import annotations

from dataclasses import dataclass

from kith.app import community, trust_graph
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core import community_graph as cg
from kith.core import path_targets
from kith.core.tags import load_vocabulary
from kith.core.warm_paths import Gap, NoSafePath, PathAnswer, WarmPath, warm_paths
from kith.store import Connection
from kith.store import community as community_store


@dataclass(frozen=True)
class HopView:
    """One introduction on a path, with its evidence: "lea knows Omar: trusted, 4 years"."""

    from_name: str
    to_name: str
    strength: float
    words: str


@dataclass(frozen=True)
class PathView:
    """A chain of introductions from me to a match, scored by the product of tie strengths."""

    through: list[str]  # names, from me to the match
    score: float
    hops: list[HopView]


@dataclass(frozen=True)
class NoPathView:
    """Why there is no safe path, and what would make one."""

    gap: str
    words: str
    suggestions: list[str]


@dataclass(frozen=True)
class PathsView:
    """The best safe paths to a target (best first), or the honest answer why there is none."""

    target: str
    matches: int  # how many in the community match, flagged ones included
    paths: list[PathView]
    no_path: NoPathView | None


@dataclass(frozen=True)
class Search:
    """A path search's inputs and answer, kept for an intro request along one of its paths."""

    community: trust_graph.Community
    target: path_targets.Target
    matches: list[int]  # node indices
    answer: PathAnswer


def search(conn: Connection, garden: Garden, me: community_store.MemberRow, text: str) -> Search:
    """Find the best safe paths from `me` to what `text` names."""
    try:
        target = path_targets.parse(text)
    except ValueError as exc:
        raise InvalidInput("target", str(exc)) from None
    built = trust_graph.load(conn, garden, me)
    matches = _matches(built, target)
    graph = built.graph
    view = cg.trust_view(graph, built.me)
    answer = warm_paths(
        graph.paths,
        graph.index[built.me],
        matches,
        cg.blocked_ids(graph, view),
        target_words=target.words,
    )
    return Search(built, target, matches, answer)


def _matches(built: trust_graph.Community, target: path_targets.Target) -> list[int]:
    described = []
    for i, node in enumerate(built.graph.nodes):
        info = built.contacts.get(node.key)
        if info is None:
            described.append(path_targets.Described(i, node.name, member=node.member))
        else:
            described.append(
                path_targets.Described(
                    i, node.name, False, info.company, tuple(info.offers), tuple(info.interests)
                )
            )
    found = path_targets.matching(target, described, load_vocabulary())
    if found.person_id is not None:
        return [found.person_id]
    if target.kind == "name" and len(found.candidates) > 1:
        listed = "; ".join(c.name for c in found.candidates[:10])
        raise InvalidInput("target", f"{target.value!r} could be: {listed}; say which")
    return [c.id for c in found.candidates]


def paths(garden: Garden, text: str) -> PathsView:
    """The best safe paths from me to TARGET, each hop with its evidence."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        found = search(conn, garden, me, text)
    return view_of(found)


def view_of(found: Search) -> PathsView:
    """The search as the member sees it."""
    names = found.community.graph.paths.names
    no_path = found.answer.no_path
    return PathsView(
        target=found.target.words,
        matches=len(found.matches),
        paths=[_path(p, names) for p in found.answer.paths],
        no_path=None if no_path is None else _no_path(no_path),
    )


def _no_path(no_path: NoSafePath) -> NoPathView:
    suggestions = list(no_path.suggestions)
    if no_path.gap is Gap.NO_TIES:
        suggestions.append(
            "members you know become your ties when they are in your garden with an address"
            " they gave as their own; grow those ties (growing or trusted)"
        )
    return NoPathView(str(no_path.gap), no_path.words, suggestions)


def _path(path: WarmPath, names: tuple[str, ...]) -> PathView:
    return PathView(
        through=[names[i] for i in path.nodes],
        score=round(path.score, 4),
        hops=[
            HopView(names[h.source], names[h.target], round(h.strength, 4), h.words)
            for h in path.hops
        ],
    )
