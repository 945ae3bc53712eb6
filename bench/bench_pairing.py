"""Benchmark: a pairing round for 100,000 members against a plain scipy reference.

The members are synthetic: about 10 interests each from a vocabulary of a few thousand
tags with Zipf-like popularity (the most popular tag is held by most members, as "AI" or
"travel" would be). Round 2 is timed, with round 1's pairs as the earlier pairs to avoid.

The reference is the shortest honest scipy version of the same computation: tags to columns
with a dict, the same rarity weights and random buckets, one sparse product for the
candidate scores, and a sequential greedy loop over edges sorted by score. It checks that
`pair_round` computes the same candidate scores and makes the same greedy pairs, and it
sets the time to beat: the target is within 1.5x of it.

Run: .venv/bin/python bench/bench_pairing.py [--members N] [--no-write]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kith.core import pairing
from kith.core.pairing import BUCKET_SIZE, Member, pair_round
from kith.core.tags import canonical_keys, load_vocabulary
from report import write_section

TARGET_RATIO = 1.5
TAGS = 3_000
ZIPF_EXPONENT = 1.0
SEED = 7
T = TypeVar("T")


# --- synthetic members ----------------------------------------------------------------------


def tag_names(count: int, rng: np.random.Generator) -> list[str]:
    """Distinct made-up interests that kith's normalisation leaves distinct.

    The head of the popularity curve is the curated vocabulary's own terms; the tail is
    pronounceable nonsense. A name that kith would fold into another (a near spelling, a
    plural) is dropped, so the reference's plain dict sees the same tags kith does.
    """
    vocab = load_vocabulary()
    names = sorted({vocab.name(k).lower() for k in vocab.aliases.values()})
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    while len(names) < count * 1.2:
        parts = rng.choice(syllables, size=int(rng.integers(3, 5)))
        names.append("".join(parts))
    keys = canonical_keys(names, vocab)
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(keys[name], name)
    distinct = list(dict.fromkeys(kept.values()))
    return distinct[:count]


def synthetic_members(n: int, seed: int = SEED) -> list[Member]:
    rng = np.random.default_rng(seed)
    names = tag_names(TAGS, rng)
    popularity = 1.0 / np.arange(1, len(names) + 1) ** ZIPF_EXPONENT
    draws = rng.choice(len(names), size=(n, 12), p=popularity / popularity.sum())
    counts = rng.integers(9, 14, size=n)  # 9 to 13 draws; repeats fold, about 10 remain
    return [
        Member(
            id=f"m{i:06d}",
            name=f"Member {i}",
            interests=tuple(names[t] for t in dict.fromkeys(draws[i, : counts[i]].tolist())),
        )
        for i in range(n)
    ]


# --- the reference --------------------------------------------------------------------------


def reference_round(
    members: list[Member], previous: list[frozenset[str]], seed: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Candidate scores with scipy, then a sequential greedy; returns (mate, edges)."""
    rng = np.random.default_rng(seed)
    n = len(members)
    columns: dict[str, int] = {}
    indptr, indices = [0], []
    for m in members:
        row = sorted({columns.setdefault(t, len(columns)) for t in m.interests})
        indices.extend(row)
        indptr.append(len(indices))
    x = sparse.csr_array((np.ones(len(indices)), indices, indptr), shape=(n, len(columns)))
    holders = np.bincount(x.indices, minlength=x.shape[1])
    weights = np.log1p(n / np.maximum(holders, 1))
    # Split popular columns into random buckets, exactly as pair_round does.
    coo = x.tocoo()
    cols = coo.col.astype(np.int64)
    buckets = np.maximum(1, -(-holders // BUCKET_SIZE))
    order = np.lexsort((rng.random(cols.size), cols))
    start = np.concatenate(([0], np.cumsum(holders)[:-1]))
    position = np.empty(cols.size, dtype=np.int64)
    position[order] = np.arange(cols.size) - start[cols[order]]
    new_cols = np.concatenate(([0], np.cumsum(buckets)[:-1]))[cols] + position % buckets[cols]
    parent = np.repeat(np.arange(x.shape[1]), buckets)
    xb = sparse.csr_array((np.sqrt(weights[cols]), (coo.row, new_cols)), shape=(n, parent.size))
    upper = sparse.triu(xb @ xb.T, k=1, format="csr")
    upper.sort_indices()
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(upper.indptr))
    cols_, scores = upper.indices.astype(np.int64), upper.data
    index = {m.id: i for i, m in enumerate(members)}
    codes = {
        min(index[a], index[b]) * n + max(index[a], index[b]) for a, b in map(sorted, previous)
    }
    allowed = ~np.isin(rows * n + cols_, np.fromiter(codes, dtype=np.int64))
    rows, cols_, scores = rows[allowed], cols_[allowed], scores[allowed]
    shuffled = rng.permutation(scores.size)  # equal scores in random order
    order = shuffled[np.argsort(-scores[shuffled], kind="stable")]
    mate = [-1] * n
    for i, j in zip(rows[order].tolist(), cols_[order].tolist(), strict=True):
        if mate[i] < 0 and mate[j] < 0:
            mate[i], mate[j] = j, i
    return np.array(mate), (rows, cols_, scores)


# --- timing ---------------------------------------------------------------------------------


def timed(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The best of `repeat` wall-clock times, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def check_same_work(members: list[Member], previous: list[frozenset[str]], seed: int) -> int:
    """pair_round's candidate scores and greedy pairs equal the reference's; returns edges."""
    vocab = load_vocabulary()
    n = len(members)
    index = {m.id: i for i, m in enumerate(members)}
    ref_mate, (rows, cols, scores) = reference_round(members, previous, seed)
    rng = np.random.default_rng(seed)
    profiles = pairing._Profiles.build(members, vocab)
    k_rows, k_cols, k_scores = pairing.candidate_edges(profiles, rng)
    forbidden = pairing._forbidden(previous, index)
    allowed = ~np.isin(k_rows * n + k_cols, np.fromiter(forbidden, dtype=np.int64))
    k_rows, k_cols, k_scores = k_rows[allowed], k_cols[allowed], k_scores[allowed]
    if not (np.array_equal(k_rows, rows) and np.array_equal(k_cols, cols)):
        raise SystemExit("pair_round and the reference found different candidate pairs")
    if not np.allclose(k_scores, scores):
        raise SystemExit("pair_round and the reference scored the candidates differently")
    mate = pairing.greedy_matching(k_rows, k_cols, k_scores, n, rng)
    if not np.array_equal(mate, ref_mate):
        raise SystemExit("pair_round and the reference made different greedy pairs")
    return int(rows.size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print, don't touch docs/")
    args = parser.parse_args()

    start = time.perf_counter()
    members = synthetic_members(args.members)
    made_in = time.perf_counter() - start
    vocab = load_vocabulary()
    first = pair_round(members, [], vocab, seed=1)
    previous = [frozenset((p.a, p.b)) for p in first.pairs]
    edges = check_same_work(members, previous, seed=2)

    kith_s, result = timed(lambda: pair_round(members, previous, vocab, seed=2), args.repeat)
    ref_s, _ = timed(lambda: reference_round(members, previous, seed=2), args.repeat)
    ratio = kith_s / ref_s
    paired = 2 * len(result.pairs)
    with_shared = sum(1 for p in result.pairs if p.shared)
    earlier = set(previous)
    repeats = sum(1 for p in result.pairs if frozenset((p.a, p.b)) in earlier)
    top_tag, holders = Counter(t for m in members for t in m.interests).most_common(1)[0]
    body = f"""
`bench/bench_pairing.py`: one pairing round (`kith.core.pairing.pair_round`) for
{len(members):,} synthetic members with {sum(len(m.interests) for m in members) / len(members):.1f}
interests each on average, drawn from {TAGS:,} tags with Zipf popularity (exponent
{ZIPF_EXPONENT}). Round 2 is timed, avoiding round 1's {len(previous):,} pairs. The reference
is plain scipy: a dict from tags to columns, the same rarity weights and random buckets of
{BUCKET_SIZE}, one sparse product, and a sequential greedy loop; the run checks that both
find the same {edges:,} candidate edges with the same scores and make the same greedy pairs.
`pair_round` also canonicalises tags (vocabulary, near spellings), pairs the leftovers,
and lists each pair's shared interests in words. Best of {args.repeat} runs each.

| | seconds |
| --- | ---: |
| `pair_round` | {kith_s:.2f} |
| scipy reference | {ref_s:.2f} |
| **ratio** | **{ratio:.2f}x** (target ≤ {TARGET_RATIO}x) |

Paired {paired:,} members, {with_shared:,} of {len(result.pairs):,} pairs share at least one
interest, odd one out: {result.odd_one_out or "none"}, repeated pairs: {repeats}. The most
popular tag ("{top_tag}") is held by {holders:,} members.
Machine: {platform.machine()}, Python {platform.python_version()}, {_cpus()} CPUs;
generating the members took {made_in:.1f} s (not timed).
"""
    print(body)
    if not args.no_write:
        write_section("Pairing round", body)
    if ratio > TARGET_RATIO:
        print(f"slower than the target: {ratio:.2f}x > {TARGET_RATIO}x", file=sys.stderr)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
