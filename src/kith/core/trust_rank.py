"""kith's trust metric over a signed graph: who vouches for whom, and who warns against whom.

Four steps, each from the literature (docs/trust.md explains the choice and the evidence):

1. **Trust** is personalised PageRank from the seeds over the positive ratings, each rater's
   trust split among the people they vouch for in proportion to the rating (Page et al.;
   Haveliwala 2002; the attack-edge argument of SybilRank, Cao et al. NSDI 2012). A walk that
   returns to the seeds at every step cannot pour more trust into a sybil region than crosses
   its few attack edges, however many fakes vouch for each other inside it.
2. **Judgement** (the fairness of Kumar et al., ICDM 2016 and REV2, WSDM 2018): a warning
   against someone the community trusts reflects on the one who gave it, so a rater's trust is
   divided by 1 + the weight of their warnings against trusted people.
3. **Distrust**: warnings spend the warner's trust on their target, and that distrust spreads
   over the positive ties around the target (the accomplices who vouch for a fraud, and those
   the fraud vouches for), two steps at most. The score is trust minus distrust.
4. **Standing time**, when the ratings carry times: a positive score is scaled by how long
   the node has been vouched for, up to the typical time among the trusted (REV2's
   observation that fraud comes in bursts). Without times this step is skipped.

Scores are in units of an average share: 1.0 is what every node would get if trust were
spread evenly. A node that no trust and no distrust reaches scores exactly 0, "unknown" (so
does one whose vouches all came at one moment, when times are given); one that distrust
outweighs scores below 0, "distrusted". Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt
from scipy import sparse

Vector = npt.NDArray[np.float64]

DAMPING = 0.85  # the customary PageRank damping: walks of about 6.7 steps on average
DEFAULT_SEED_COUNT = 10
# Distrust reaches a warned node's accomplices and theirs, no further: guilt by association
# fades fast, and a newcomer who vouched for a friend of a friend of a fraud is not suspect.
# (On Bitcoin OTC two hops score as well as an unlimited walk; one hop a little less.)
DISTRUST_HOPS = 2
_TOLERANCE = 1e-12
_MAX_STEPS = 500


class Standing(Enum):
    """What a score says: vouched for, nothing known, or warned against."""

    TRUSTED = "trusted"
    UNKNOWN = "unknown"
    DISTRUSTED = "distrusted"


@dataclass(frozen=True)
class Rating:
    """One signed rating: positive vouches, negative warns, zero says nothing."""

    source: str
    target: str
    value: float
    time: float | None = None  # when it was given, in any unit (Unix seconds, days...)


@dataclass(frozen=True)
class TrustRank:
    """The scores of a signed network, with the seeds they are personalised to."""

    scores: dict[str, float]  # every node of the graph, by name
    seeds: tuple[str, ...]
    seeds_chosen: bool  # True when the metric picked the seeds itself (see seed_rule)
    timed: bool  # True when every rating had a time, so trust had to stand the test of time

    def standing(self, node: str) -> Standing:
        """Trusted, unknown or distrusted: a node never seen is unknown."""
        return standing(self.scores.get(node, 0.0))


def standing(score: float) -> Standing:
    """Above 0 trusted, exactly 0 unknown, below 0 distrusted."""
    if score > 0:
        return Standing.TRUSTED
    if score < 0:
        return Standing.DISTRUSTED
    return Standing.UNKNOWN


@dataclass(frozen=True)
class _Graph:
    names: list[str]
    source: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    weight: Vector  # in [-1, 1]
    time: Vector | None  # per edge, when every rating has one

    @property
    def size(self) -> int:
        return len(self.names)


def trust_rank(
    ratings: Iterable[Rating],
    seeds: Sequence[str] = (),
    *,
    damping: float = DAMPING,
    seed_count: int = DEFAULT_SEED_COUNT,
) -> TrustRank:
    """Score every node named in `ratings`, personalised to `seeds` (picked when none).

    Ratings on any signed scale are divided by the largest magnitude, so -10..10 and -1..1
    give the same scores. A later rating of the same pair replaces an earlier one; a node's
    rating of itself is ignored. When every rating has a time, a positive score is scaled by
    how long the node has been vouched for (see _standing_time). Unknown seeds raise
    ValueError. `damping` and `seed_count` exist to measure the metric's sensitivity to them
    (bench/bench_trust.py); kith itself uses the defaults.
    """
    graph = _graph(ratings)
    chosen = not seeds
    seed_names = tuple(dict.fromkeys(seeds)) if seeds else _pick_seeds(graph, seed_count)
    index = {name: i for i, name in enumerate(graph.names)}
    missing = [s for s in seed_names if s not in index]
    if missing:
        raise ValueError(f"{missing[0]!r} is not a node of the graph")
    seed_index = np.array([index[s] for s in seed_names], dtype=np.int64)
    scores = _scores(graph, seed_index, damping)
    return TrustRank(
        scores={name: float(scores[i]) for i, name in enumerate(graph.names)},
        seeds=seed_names,
        seeds_chosen=chosen,
        timed=graph.time is not None,
    )


def seed_rule(count: int = DEFAULT_SEED_COUNT) -> str:
    """How seeds are picked when none are given, in words."""
    return f"the {count} most-rated nodes whose ratings received average above zero"


def _pick_seeds(graph: _Graph, count: int = DEFAULT_SEED_COUNT) -> tuple[str, ...]:
    """The most-rated nodes whose received ratings are on balance positive (see seed_rule).

    Being rated by many is hard to fake without many real counterparts, and a positive balance
    keeps a notorious fraud (rated often, mostly in warnings) out of the seeds.
    """
    n = graph.size
    received = np.bincount(graph.target, minlength=n)
    balance = np.bincount(graph.target, weights=graph.weight, minlength=n)
    eligible = np.flatnonzero(balance > 0)
    # most ratings first; ties by name so the choice does not depend on input order
    order = sorted(eligible.tolist(), key=lambda i: (-received[i], graph.names[i]))
    return tuple(graph.names[i] for i in order[:count])


def _graph(ratings: Iterable[Rating]) -> _Graph:
    names: dict[str, int] = {}
    latest: dict[tuple[int, int], Rating] = {}
    for rating in ratings:
        a = names.setdefault(rating.source, len(names))
        b = names.setdefault(rating.target, len(names))
        if a != b:
            latest[(a, b)] = rating
    pairs = np.array(list(latest), dtype=np.int64).reshape(-1, 2)
    kept = list(latest.values())
    values = np.array([r.value for r in kept], dtype=np.float64)
    scale = float(np.abs(values).max()) if values.size else 0.0
    weight = values / scale if scale > 0 else values
    timed = bool(kept) and all(r.time is not None for r in kept)
    time = np.array([r.time for r in kept], dtype=np.float64) if timed else None
    return _Graph(list(names), pairs[:, 0], pairs[:, 1], weight, time)


def _scores(graph: _Graph, seeds: npt.NDArray[np.int64], damping: float) -> Vector:
    n = graph.size
    if n == 0 or seeds.size == 0:
        return np.zeros(n)
    positive = graph.weight > 0
    src, dst, w = graph.source[positive], graph.target[positive], graph.weight[positive]
    start = np.zeros(n)
    start[seeds] = 1.0 / seeds.size
    trust = personalised_pagerank(src, dst, w, start, damping)
    judged = trust / (1.0 + _unfair_warnings(graph, trust))
    net = judged - _distrust(graph, judged, damping)
    if graph.time is not None:
        standing_time = _standing_time(n, dst, graph.time[positive], judged)
        standing_time[seeds] = 1.0  # the seeds are trusted from the start
        net = np.where(net > 0, net * standing_time, net)
    return n * net


def _standing_time(n: int, vouched: npt.NDArray[np.int64], when: Vector, trust: Vector) -> Vector:
    """How long each node has been vouched for, as a share of the typical record.

    How long it has been vouched for (first to last vouch it received) as a share of the typical
    such time among the trusted, at most 1: 0 for vouches all at one moment, full credit from a
    typical record up. Fraud and collusion come in bursts (REV2's behavioural prior, Kumar et al.
    WSDM 2018); a standing earned over time is harder to fake.
    """
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, vouched, when)
    np.maximum.at(last, vouched, when)
    span = np.where(np.isfinite(first), last - first, 0.0)
    # the typical span among the trusted, weighted by trust: a crowd of fakes with long
    # records cannot move it, as it could a plain median
    lasting = np.flatnonzero((span > 0) & (trust > 0))
    if lasting.size == 0:
        return np.ones(n)  # no trusted record has any length: time says nothing here
    typical = _weighted_median(span[lasting], trust[lasting])
    return np.asarray(np.minimum(1.0, span / typical), dtype=np.float64)


def _weighted_median(values: Vector, weights: Vector) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _unfair_warnings(graph: _Graph, trust: Vector) -> Vector:
    """The weight of each node's warnings, counted by how trusted their targets are.

    The weight of its warnings, each counted by how trusted its target is (fully from the median
    trusted node up), so warning a stranger costs nothing.
    """
    negative = graph.weight < 0
    reached = trust[trust > 0]
    if not negative.any() or reached.size == 0:
        return np.zeros(graph.size)
    median = float(np.median(reached))
    src, dst = graph.source[negative], graph.target[negative]
    standing_of_target = np.minimum(1.0, trust[dst] / median)
    weights = -graph.weight[negative] * standing_of_target
    return np.bincount(src, weights=weights, minlength=graph.size).astype(np.float64)


def _distrust(graph: _Graph, judged: Vector, damping: float) -> Vector:
    """Distrust: what warners spend on their targets, spread over the positive ties.

    Each warner spends trust on their targets as they spend it on those they vouch for (in
    proportion to the rating among all their ratings); that distrust then spreads over the
    positive ties, both ways (who vouches for a fraud, whom a fraud vouches for), for DISTRUST_HOPS
    steps.
    """
    n = graph.size
    positive, negative = graph.weight > 0, graph.weight < 0
    src, dst, w = graph.source[positive], graph.target[positive], graph.weight[positive]
    spent = np.bincount(graph.source, weights=np.abs(graph.weight), minlength=n)
    warner, warned = graph.source[negative], graph.target[negative]
    share = -graph.weight[negative] / spent[warner]
    direct = np.bincount(warned, weights=judged[warner] * share, minlength=n).astype(np.float64)
    if not direct.any():
        return direct
    both_ways = (np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([w, w]))
    return spread(*both_ways, direct, hops=DISTRUST_HOPS, damping=damping)


def spread(
    source: npt.NDArray[np.int64],
    target: npt.NDArray[np.int64],
    weight: Vector,
    start: Vector,
    *,
    hops: int,
    damping: float = DAMPING,
) -> Vector:
    """What a walk from `start` carries along the edges for `hops` steps.

    `start` stays where it is; each step keeps `damping` of what it carries, split in
    proportion to edge weight.
    """
    step = _walk_matrix(source, target, weight, start.size)
    carried = start.copy()
    total = start.copy()
    for _ in range(hops):
        carried = damping * (step @ carried)
        total += carried
    return np.asarray(total, dtype=np.float64)


def _walk_matrix(
    source: npt.NDArray[np.int64], target: npt.NDArray[np.int64], weight: Vector, n: int
) -> sparse.csr_matrix:
    """Column-stochastic over the nodes with edges out: column j spreads j's mass."""
    out = np.bincount(source, weights=weight, minlength=n)
    return sparse.csr_matrix((weight / out[source], (target, source)), shape=(n, n))


def personalised_pagerank(
    source: npt.NDArray[np.int64],
    target: npt.NDArray[np.int64],
    weight: Vector,
    start: Vector,
    damping: float = DAMPING,
) -> Vector:
    """Personalised PageRank: the stationary distribution of a walk restarting at `start`.

    The walk follows an edge with probability `damping` (chosen in proportion to its weight)
    and otherwise restarts from `start`; a node with no edges out restarts too. `start` sums
    to 1; so does the result.
    """
    step = _walk_matrix(source, target, weight, start.size)
    x = start.copy()
    for _ in range(_MAX_STEPS):
        moved = damping * (step @ x)
        following = moved + (1.0 - moved.sum()) * start
        if np.abs(following - x).sum() < _TOLERANCE:
            return np.asarray(following, dtype=np.float64)
        x = following
    return np.asarray(x, dtype=np.float64)
