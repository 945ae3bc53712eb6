"""Pairing rounds for a group (the Lunchclub/Donut job): everyone meets one other member.

How a round is made, and why:

1. Candidate scores are sparse products: members × canonical tags, each tag weighted by its
   rarity (sharing "theremin" says more than sharing "travel"), plus need↔offer fit both
   ways. A tag held by thousands would make its holders' pairs grow with the square, so a
   popular tag's holders are split at random into buckets of BUCKET_SIZE and only pairs
   within a bucket become candidates through it. Rare tags stay exact.
2. The matching is greedy over candidate edges, best score first. An optimal maximum-weight
   matching (rustworkx's blossom, O(n³)) is far too slow for 100,000 members; greedy is the
   standard 1/2-approximation and runs in O(E log E). It is computed in vectorised rounds of
   "locally dominant" edges (an edge that is the best of both its ends), which picks exactly
   the edges a sequential greedy would.
3. Members left without a candidate are paired with each other at random, avoiding earlier
   pairs; a repeat forced there is swapped away with another pair where possible, and a
   small group still stuck is solved exactly (rustworkx maximum-cardinality matching on the
   pairs never made before), so a repeat happens only when no other choice exists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import rustworkx as rx
from scipy import sparse

from kith.core import tag_matrix as tm
from kith.core.tags import Vocabulary, canonical_keys, normalise, shared_form

# Holders of a popular tag are compared in random buckets of this size: each member still
# meets about BUCKET_SIZE others per tag, while the work stays linear in the tags held.
BUCKET_SIZE = 16
# A met need counts like a fairly specific shared interest (a tag held by about 1 in 50);
# both directions add up, so a pair where both gain scores double (Pizzato et al. 2010).
HELP_WEIGHT = 4.0
# Groups up to this size that would otherwise repeat a pair are re-paired exactly.
EXACT_LIMIT = 300
# Greedy rounds switch to a plain loop when few edges remain: a loop is faster there.
_LOOP_BELOW = 20_000


@dataclass(frozen=True)
class Member:
    """A member of a group to pair, with their interests, needs and offers."""

    id: str
    name: str
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    """Two members paired in a round and what they share."""

    a: str  # member ids
    b: str
    shared: list[str]  # the interests both wrote, in words one of them used
    score: float  # the pair's mutual-interest score (0: paired for want of a better match)


@dataclass(frozen=True)
class Round:
    """One round of pairs, and the member left over when the group is odd."""

    pairs: list[Pair]
    odd_one_out: str | None  # set exactly when the group has an odd number of members


def pair_round(
    members: Sequence[Member],
    previous_pairs: Collection[frozenset[str]],
    vocab: Vocabulary,
    seed: int | None = None,
) -> Round:
    """Pair everyone one-to-one by mutual interest, never repeating a pair needlessly.

    `seed` makes a round reproducible; None draws a fresh one. Member ids must be unique.
    """
    index = _index_of(members)
    n = len(members)
    rng = np.random.default_rng(seed)
    profiles = _Profiles.build(members, vocab)
    forbidden = _forbidden(previous_pairs, index)
    rows, cols, scores = candidate_edges(profiles, rng)
    allowed = ~np.isin(rows * n + cols, np.fromiter(forbidden, dtype=np.int64))
    mate = greedy_matching(rows[allowed], cols[allowed], scores[allowed], n, rng)
    _pair_leftovers(mate, forbidden, rng)
    if _repeats(mate, forbidden) and n <= EXACT_LIMIT:
        mate = _exact_pairing(profiles, mate, forbidden)
    return _as_round(members, mate, profiles, vocab)


def _index_of(members: Sequence[Member]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, member in enumerate(members):
        if not member.id:
            raise ValueError(f"member {position + 1} ({member.name!r}) has no id")
        if index.setdefault(member.id, position) != position:
            raise ValueError(f"member id {member.id!r} appears more than once")
    return index


def _forbidden(previous_pairs: Collection[frozenset[str]], index: dict[str, int]) -> set[int]:
    """Earlier pairs of current members, each as the code low * n + high of its indices."""
    n = len(index)
    codes: set[int] = set()
    for pair in previous_pairs:
        ends = sorted(index[m] for m in pair if m in index)
        if len(ends) == 2:
            codes.add(ends[0] * n + ends[1])
    return codes


# --- candidate scores -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Profiles:
    """The members as sparse matrices over canonical keys."""

    keys: dict[str, str]  # every tag written -> canonical key
    interests: sparse.csr_array  # members × interest keys, 0/1
    needs: sparse.csr_array  # members × help keys, 0/1
    offers: sparse.csr_array  # members × help keys, 0/1, broader terms included

    @staticmethod
    def build(members: Sequence[Member], vocab: Vocabulary) -> _Profiles:
        keys = canonical_keys(
            [t for m in members for t in (*m.interests, *m.needs, *m.offers) if t.strip()], vocab
        )
        interests = [[keys[t] for t in m.interests if t in keys] for m in members]
        needs = [[keys[t] for t in m.needs if t in keys] for m in members]
        offers = [tm.with_broader((keys[t] for t in m.offers if t in keys), vocab) for m in members]
        help_columns = tm.column_index([*needs, *offers])
        return _Profiles(
            keys=keys,
            interests=tm.incidence(interests, tm.column_index(interests)),
            needs=tm.incidence(needs, help_columns),
            offers=tm.incidence(offers, help_columns),
        )


def rarity_weights(matrix: sparse.csr_array) -> tm.FloatArray:
    """log(1 + n / holders) per column: a tag everyone has is worth little."""
    holders = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    rows = float(matrix.shape[0])
    return np.asarray(np.log1p(rows / np.maximum(holders, 1.0)), dtype=np.float64)


def candidate_edges(
    profiles: _Profiles, rng: np.random.Generator
) -> tuple[tm.IntArray, tm.IntArray, tm.FloatArray]:
    """(row, col, score) of each candidate pair, row < col."""
    interests = profiles.interests
    weights = rarity_weights(interests)
    bucketed, parent = bucket_columns(interests, rng)
    weighted = bucketed @ sparse.diags_array(np.sqrt(weights[parent]))
    scores = (weighted @ weighted.T).tocsr()
    if profiles.needs.nnz and profiles.offers.nnz:
        fit = _bucketed_fit(profiles.needs, profiles.offers, rng)
        scores = scores + HELP_WEIGHT * (fit + fit.T)
    # Rows and columns in order: the sparse product leaves them in an order of its own, and
    # the same seed must make the same round.
    scores = scores.tocsr()
    scores.sort_indices()
    rows = np.repeat(np.arange(scores.shape[0], dtype=np.int64), np.diff(scores.indptr))
    above = scores.indices > rows  # each unordered pair once, nobody with themselves
    return (
        rows[above],
        scores.indices[above].astype(np.int64),
        scores.data[above].astype(np.float64),
    )


def bucket_columns(
    matrix: sparse.csr_array, rng: np.random.Generator
) -> tuple[sparse.csr_array, tm.IntArray]:
    """Split each column held by more than BUCKET_SIZE rows into random buckets.

    Returns the bucketed 0/1 matrix and, for each new column, the column it came from.
    """
    coo = matrix.tocoo()
    new_cols, parent = _bucket_of_entries(coo.col.astype(np.int64), matrix.shape[1], rng)
    shape = (matrix.shape[0], parent.size)
    data = np.ones(new_cols.size, dtype=np.float64)
    return sparse.csr_array((data, (coo.row, new_cols)), shape=shape), parent


def _bucket_of_entries(
    cols: tm.IntArray, n_cols: int, rng: np.random.Generator
) -> tuple[tm.IntArray, tm.IntArray]:
    """The bucket column of each entry, given its column; and each bucket's parent column."""
    holders = np.bincount(cols, minlength=n_cols)
    buckets = np.maximum(1, -(-holders // BUCKET_SIZE))  # ceil, at least one
    order = np.lexsort((rng.random(cols.size), cols))  # by column, random within
    first_of_column = np.concatenate(([0], np.cumsum(holders)[:-1]))
    position = np.empty(cols.size, dtype=np.int64)
    position[order] = np.arange(cols.size) - first_of_column[cols[order]]
    first_bucket = np.concatenate(([0], np.cumsum(buckets)[:-1]))
    new_cols = first_bucket[cols] + position % buckets[cols]
    parent = np.repeat(np.arange(n_cols, dtype=np.int64), buckets)
    return new_cols.astype(np.int64), parent


def _bucketed_fit(
    needs: sparse.csr_array, offers: sparse.csr_array, rng: np.random.Generator
) -> sparse.csr_array:
    """fit[i, j]: i's needs j's offers meet, counted within shared buckets of each key."""
    need_coo, offer_coo = needs.tocoo(), offers.tocoo()
    cols = np.concatenate((need_coo.col, offer_coo.col)).astype(np.int64)
    new_cols, parent = _bucket_of_entries(cols, needs.shape[1], rng)
    shape = (needs.shape[0], parent.size)
    split = need_coo.nnz
    need_b = sparse.csr_array((np.ones(split), (need_coo.row, new_cols[:split])), shape=shape)
    offer_b = sparse.csr_array(
        (np.ones(offer_coo.nnz), (offer_coo.row, new_cols[split:])), shape=shape
    )
    return (need_b @ offer_b.T).tocsr()


# --- matching -------------------------------------------------------------------------------


def greedy_matching(
    rows: tm.IntArray, cols: tm.IntArray, scores: tm.FloatArray, n: int, rng: np.random.Generator
) -> tm.IntArray:
    """mate[i] = the partner of i (-1 if none): greedy by score, equal scores in random order."""
    # Best first, equal scores in random order: one stable sort of a shuffled edge list
    # (half the work of a two-key lexsort).
    shuffled = rng.permutation(scores.size)
    order = shuffled[np.argsort(-scores[shuffled], kind="stable")]
    rows, cols = rows[order], cols[order]
    rank = np.arange(rows.size, dtype=np.int64)
    unranked = rows.size  # worse than any edge's rank
    mate = np.full(n, -1, dtype=np.int64)
    while rows.size >= _LOOP_BELOW:
        best = np.full(n, unranked, dtype=np.int64)
        np.minimum.at(best, rows, rank)
        np.minimum.at(best, cols, rank)
        # Best for both ends: sequential greedy would take it too, and these are disjoint.
        dominant = (best[rows] == rank) & (best[cols] == rank)
        mate[rows[dominant]], mate[cols[dominant]] = cols[dominant], rows[dominant]
        alive = (mate[rows] < 0) & (mate[cols] < 0)
        rows, cols, rank = rows[alive], cols[alive], rank[alive]
    _greedy_loop(rows.tolist(), cols.tolist(), mate)
    return mate


def _greedy_loop(rows: list[int], cols: list[int], mate: tm.IntArray) -> None:
    partner = mate.tolist()
    for i, j in zip(rows, cols, strict=True):
        if partner[i] < 0 and partner[j] < 0:
            partner[i], partner[j] = j, i
    mate[:] = partner


def _pair_leftovers(mate: tm.IntArray, forbidden: set[int], rng: np.random.Generator) -> None:
    """Pair the unmatched at random, each with the first one it has not met before.

    When everyone still waiting has met someone before, the repeat is made, then traded
    away with another pair once all are placed (so only the odd one out is alone).
    """
    n = mate.size
    waiting = deque(int(i) for i in rng.permutation(np.flatnonzero(mate < 0)))
    forced: list[tuple[int, int]] = []
    while len(waiting) >= 2:
        first = waiting.popleft()
        k = next((k for k, o in enumerate(waiting) if _code(first, o, n) not in forbidden), 0)
        other = waiting[k]
        del waiting[k]
        mate[first], mate[other] = other, first
        if _code(first, other, n) in forbidden:
            forced.append((first, other))
    for x, y in forced:
        _swap_away(x, y, mate, forbidden, rng)


def _swap_away(
    x: int, y: int, mate: tm.IntArray, forbidden: set[int], rng: np.random.Generator
) -> None:
    """Undo the forced repeat x-y by trading partners with another pair, or the odd one out."""
    n = mate.size
    for u in rng.permutation(n).tolist():
        v = int(mate[u])
        if u in (x, y) or v in (x, y):
            continue
        if v < 0:  # u is waiting alone: x takes u, y waits instead
            if _code(x, u, n) not in forbidden:
                mate[x], mate[u], mate[y] = u, x, -1
                return
            continue
        for a, b in ((u, v), (v, u)):
            if _code(x, a, n) not in forbidden and _code(y, b, n) not in forbidden:
                mate[x], mate[a], mate[y], mate[b] = a, x, b, y
                return


def _code(i: int, j: int, n: int) -> int:
    return min(i, j) * n + max(i, j)


def _repeats(mate: tm.IntArray, forbidden: set[int]) -> bool:
    n = mate.size
    return any(_code(i, int(j), n) in forbidden for i, j in enumerate(mate.tolist()) if j > i)


def _exact_pairing(profiles: _Profiles, mate: tm.IntArray, forbidden: set[int]) -> tm.IntArray:
    """A maximum-cardinality matching over never-met pairs, preferring mutual interest.

    Used only for small groups where the greedy pass was left with a repeat; if even this
    cannot pair everyone, the greedy result (with its unavoidable repeats) stands.
    """
    n = mate.size
    scores = _pair_scores(profiles, *np.triu_indices(n, k=1))
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    edges = [
        (i, j, 1 + round(1000 * s))
        for i, j, s in zip(*np.triu_indices(n, k=1), scores, strict=True)
        if i * n + j not in forbidden
    ]
    graph.add_edges_from([(int(i), int(j), int(w)) for i, j, w in edges])
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    if 2 * len(matching) < n - n % 2:
        return mate
    exact = np.full(n, -1, dtype=np.int64)
    for i, j in matching:
        exact[i], exact[j] = j, i
    return exact


# --- the round ------------------------------------------------------------------------------


def _pair_scores(profiles: _Profiles, rows: tm.IntArray, cols: tm.IntArray) -> tm.FloatArray:
    """The full mutual-interest score of given pairs, no buckets: what Pair.score reports."""
    weights = rarity_weights(profiles.interests)
    weighted = profiles.interests @ sparse.diags_array(np.sqrt(weights))
    score = tm.row_overlap(weighted, rows, cols)
    if profiles.needs.nnz and profiles.offers.nnz:
        met = tm.row_overlap(profiles.needs, rows, cols, profiles.offers)
        met += tm.row_overlap(profiles.needs, cols, rows, profiles.offers)
        score = score + HELP_WEIGHT * met
    return score


def _as_round(
    members: Sequence[Member], mate: tm.IntArray, profiles: _Profiles, vocab: Vocabulary
) -> Round:
    partners = np.flatnonzero(mate > np.arange(mate.size))
    rows, cols = partners.astype(np.int64), mate[partners]
    scores = _pair_scores(profiles, rows, cols)
    describe = _SharedWords(profiles.keys, vocab)
    pairs = [
        Pair(members[i].id, members[j].id, describe(members[i], members[j]), round(float(s), 4))
        for i, j, s in zip(rows.tolist(), cols.tolist(), scores, strict=True)
    ]
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    alone = np.flatnonzero(mate < 0)
    return Round(pairs, members[int(alone[0])].id if alone.size else None)


class _SharedWords:
    """The interests two members share, in words; each distinct tag normalised only once."""

    def __init__(self, keys: dict[str, str], vocab: Vocabulary) -> None:
        self._keys = keys
        self._vocab = vocab
        self._normal = {tag.strip(): normalise(tag) for tag in keys}

    def __call__(self, a: Member, b: Member) -> list[str]:
        mine, theirs = self._forms(a), self._forms(b)
        common = {self._one_form(mine[k], theirs[k], k) for k in mine.keys() & theirs.keys()}
        return sorted(common, key=lambda s: (s.casefold(), s))

    def _one_form(self, mine: list[str], theirs: list[str], key: str) -> str:
        if len(mine) == 1 and mine == theirs:  # the common case: both wrote the same
            return mine[0]
        return shared_form(mine, theirs, key, self._vocab, self._normal.__getitem__)

    def _forms(self, member: Member) -> dict[str, list[str]]:
        forms: dict[str, list[str]] = {}
        for tag in member.interests:
            if tag in self._keys:
                forms.setdefault(self._keys[tag], []).append(tag.strip())
        return forms
