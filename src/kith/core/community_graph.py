"""The community's trust graph, from each member's own judgement, and warm paths through it.

Nothing here is typed by hand: a tie is a person in a member's garden who is another member
or a contact shared with the group, judged by that garden's own rules (stage, strength,
trust). From the ties:

- **Vouches and warnings** (DESIGN.md, "Vouch"): a growing or trusted tie vouches, with the
  weight strength x trust; a weed or an open breach is a warning (-1). `kith.core.trust_rank`
  ranks the nodes from them, personalised to the member asking (its only seed).
- **Path ties**: a growing, trusted or dormant tie may carry an introduction (a seed is too
  new to ask a favour of, a weed never), with the tie's strength as its weight; the paths are
  `kith.core.warm_paths.warm_paths` over them.
- **Flagged** (never on a path, never a target), personalised to the asker:
  a member whose score is below 0 (distrusted) or below FLAG_FRACTION of the trust-weighted
  median of the members' positive scores (too little of the asker's trust reaches them: a
  fake behind a careless member's weak tie, or a newcomer nobody vouches for yet); a
  contact (who cannot vouch, being outside the group) when distrusted or when every member
  who vouches for them is flagged; and anyone whom the asker, or a member the asker trusts
  (not flagged), marks a weed or a breach in their garden; and a member who spends most of
  their vouching on flagged members (the fake at the end of an attack edge).

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kith.core.ties import TieGraph, tie_graph
from kith.core.trust_rank import Rating, trust_rank

VOUCHING = frozenset({"growing", "trusted"})  # DESIGN.md: a trusted or growing tie vouches
CARRYING = frozenset({"growing", "trusted", "dormant"})  # may be asked for an introduction
WARNING = frozenset({"weed"})  # with an open breach: a warning
# A member gets less than this share of the typical (trust-weighted median) member score is
# flagged. Sybil regions behind one weak attack edge score far below it
# (tests/unit/test_community_graph.py); docs/trust.md, "In the group", says why a fraction.
FLAG_FRACTION = 0.05
# A member who spends more than this share of their vouches for members on flagged members is
# flagged too (see _vouching_for_the_flagged).
FLAGGED_SHARE = 0.5


@dataclass(frozen=True)
class Node:
    """A member (`member` True, named by login) or a contact shared with the group."""

    key: str  # "m:<account id>" or "c:<name key>"
    name: str
    member: bool


@dataclass(frozen=True)
class Tie:
    """One person in a member's garden who is a node of the graph, as that garden judges them."""

    owner: str  # the member's node key
    target: str  # the node key
    stage: str
    strength: float  # 0..1
    trust: float  # 0..1
    days_known: int
    contacts: int
    open_breach: bool = False

    @property
    def vouches(self) -> bool:
        """A growing or trusted tie with no open breach."""
        return self.stage in VOUCHING and not self.open_breach

    @property
    def warns(self) -> bool:
        """A weed, or an open breach."""
        return self.stage in WARNING or self.open_breach

    @property
    def carries(self) -> bool:
        """Whether this tie may carry an introduction."""
        return self.stage in CARRYING and not self.open_breach and self.strength > 0


@dataclass(frozen=True)
class CommunityGraph:
    """The nodes, the ties that carry introductions, and the signed ratings."""

    nodes: tuple[Node, ...]
    index: Mapping[str, int]
    paths: TieGraph  # the carrying ties, with their evidence
    ratings: tuple[Rating, ...]
    warned_by: Mapping[str, frozenset[str]]  # node key -> owners who mark it a weed/breach
    vouched_by: Mapping[str, frozenset[str]]  # node key -> owners who vouch for it


def build(nodes: Iterable[Node], ties: Iterable[Tie]) -> CommunityGraph:
    """The graph of these nodes and ties; a tie naming no node, or a node itself, is dropped.

    When a member's garden holds several people for one node (namesakes, a person twice) the
    strongest tie is kept.
    """
    node_list = tuple({n.key: n for n in nodes}.values())
    index = {n.key: i for i, n in enumerate(node_list)}
    best: dict[tuple[str, str], Tie] = {}
    for tie in ties:
        if tie.owner not in index or tie.target not in index or tie.owner == tie.target:
            continue
        pair = (tie.owner, tie.target)
        if pair not in best or _rank(tie) > _rank(best[pair]):
            best[pair] = tie
    kept = sorted(best.values(), key=lambda t: (index[t.owner], index[t.target]))
    carrying = [t for t in kept if t.carries]
    graph = tie_graph(
        [index[t.owner] for t in carrying],
        [index[t.target] for t in carrying],
        [min(1.0, t.strength) for t in carrying],
        names=[n.name for n in node_list],
        stage=[t.stage for t in carrying],
        days_known=[t.days_known for t in carrying],
        contacts=[t.contacts for t in carrying],
    )
    return CommunityGraph(
        nodes=node_list,
        index=index,
        paths=graph,
        ratings=tuple(_rating(t) for t in kept if t.vouches or t.warns),
        warned_by=_owners(t for t in kept if t.warns),
        vouched_by=_owners(t for t in kept if t.vouches),
    )


def _rank(tie: Tie) -> tuple[bool, float]:
    # A warning wins over a vouch from the same garden: a weed is the judgement that counts.
    return (tie.warns, tie.strength)


def _rating(tie: Tie) -> Rating:
    if tie.warns:
        return Rating(tie.owner, tie.target, -1.0)
    return Rating(tie.owner, tie.target, max(tie.strength * tie.trust, 1e-6))


def _owners(ties: Iterable[Tie]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for t in ties:
        found.setdefault(t.target, set()).add(t.owner)
    return {key: frozenset(owners) for key, owners in found.items()}


@dataclass(frozen=True)
class TrustView:
    """The asker's view of the graph: every node's score and who is flagged, with why."""

    asker: str
    scores: Mapping[str, float]  # by node key; 0 is unknown, below 0 distrusted
    flagged: Mapping[str, str]  # node key -> why, in words
    floor: float  # the member score below which a member is flagged


def trust_view(graph: CommunityGraph, asker: str) -> TrustView:
    """Scores personalised to `asker` (a member's node key), and the flagged nodes."""
    scores = _scores(graph, asker)
    members = [n.key for n in graph.nodes if n.member and n.key != asker]
    positive = np.array([scores[k] for k in members if scores[k] > 0])
    floor = FLAG_FRACTION * _weighted_median(positive) if positive.size else 0.0
    flagged: dict[str, str] = {}
    for key in members:
        if scores[key] < 0:
            flagged[key] = "warned against by members the community trusts"
        elif scores[key] < floor:
            flagged[key] = "too few members you trust vouch for them"
    for key in _vouching_for_the_flagged(graph, flagged, asker):
        flagged.setdefault(key, "vouches mostly for members nobody you trust vouches for")
    for key, warners in graph.warned_by.items():
        if key != asker and any(w == asker or w not in flagged for w in warners):
            flagged.setdefault(key, "marked a weed or a breach in a trusted member's garden")
    for node in graph.nodes:
        if node.member or node.key in flagged:
            continue
        vouchers = graph.vouched_by.get(node.key, frozenset())
        if scores[node.key] < 0:
            flagged[node.key] = "warned against by members the community trusts"
        elif vouchers and all(v in flagged for v in vouchers):
            flagged[node.key] = "only flagged members vouch for them"
    flagged.pop(asker, None)
    return TrustView(asker, scores, flagged, floor)


def _vouching_for_the_flagged(
    graph: CommunityGraph, flagged: Mapping[str, str], asker: str
) -> list[str]:
    """Members most of whose vouching for members goes to flagged members (REV2's fairness).

    A rater is judged by whether those they vouch for are trusted (Kumar et al., WSDM 2018):
    the fake at the end of an attack edge scores like an honest newcomer, but it spends its
    vouches on a region nobody else vouches for.
    """
    members = {n.key for n in graph.nodes if n.member}
    total: dict[str, float] = {}
    on_flagged: dict[str, float] = {}
    for r in graph.ratings:
        if r.value > 0 and r.target in members and r.source != asker:
            total[r.source] = total.get(r.source, 0.0) + r.value
            if r.target in flagged:
                on_flagged[r.source] = on_flagged.get(r.source, 0.0) + r.value
    return sorted(k for k, spent in on_flagged.items() if spent > FLAGGED_SHARE * total[k])


def _scores(graph: CommunityGraph, asker: str) -> dict[str, float]:
    scores = dict.fromkeys((n.key for n in graph.nodes), 0.0)
    if any(r.source == asker for r in graph.ratings):
        scores.update(trust_rank(graph.ratings, [asker]).scores)
    return scores


def _weighted_median(values: npt.NDArray[np.float64]) -> float:
    """The median of the scores weighted by themselves: a crowd of low scores cannot move it."""
    order = np.sort(values)
    cumulative = np.cumsum(order)
    return float(order[np.searchsorted(cumulative, cumulative[-1] / 2)])


def ranking(view: TrustView, keys: Sequence[str]) -> list[tuple[str, float]]:
    """These nodes, the unflagged by score first, then the flagged: the asker's ranking."""
    ranked = sorted(keys, key=lambda k: (k in view.flagged, -view.scores.get(k, 0.0), k))
    return [(k, view.scores.get(k, 0.0)) for k in ranked]


def blocked_ids(graph: CommunityGraph, view: TrustView) -> list[int]:
    """The flagged nodes as ids of `graph.paths`."""
    return sorted(graph.index[k] for k in view.flagged if k in graph.index)
