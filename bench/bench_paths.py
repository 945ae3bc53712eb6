"""Benchmark: warm-path queries and a personalised PageRank on a community of 100,000 members.

The community (bench/community.py) has 1,000,000 directed trust ties with heavy-tailed
degrees, 1% of members flagged, and two offers per member; a query asks for the best 3 paths
of at most 3 hops from one member to every member holding an offer that 0.5-2% of members
hold, never through a flagged member. `kith.core.warm_paths.warm_paths` is timed query by
query, interleaved with the same query written with networkx and with igraph
(bench/path_references.py); a sample of queries is checked to give the same paths and
scores in all three. Then one personalised PageRank ranking: a scipy power iteration over
the same CSR arrays against `networkx.pagerank(personalization=...)` and igraph's
`personalized_pagerank` (PRPACK), checked to agree.

Targets (issue 15): path p50 under 50 ms warm, at least 20× faster than networkx, at most 2×
igraph's time. networkx and igraph are the `bench` extra.

Run: `make bench` or `.venv/bin/python -m bench bench_paths` (the defaults); options go
to the module itself: `.venv/bin/python -m bench.bench_paths --queries 100 --no-write`.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from bench import community as cm
from bench.report import write_section
from kith.core.ties import TieGraph
from kith.core.warm_paths import warm_paths
from kith.core.wording import plural

INSTALL = ".venv/bin/pip install -e '.[bench]'  (make bench installs it too)"
SEED = 11
ALPHA = 0.85
PPR_TOL = 1e-8  # L1 change between iterations at which the power iteration stops
TARGET_MS = 50.0
TARGET_VS_NX = 20.0
TARGET_VS_IG = 2.0
WARM_UP = 10


def references() -> Any:
    """The reference module, or a clear exit saying how to install what it needs."""
    try:
        import igraph  # noqa: F401  (imported only to check that the extra is there)
        import networkx  # noqa: F401
    except ImportError as missing:
        raise SystemExit(
            f"bench_paths compares kith with networkx and igraph ({missing.name} is missing); "
            f"install the benchmark extra: {INSTALL}"
        ) from None
    from bench import path_references

    return path_references


# --- personalised PageRank over the CSR arrays ----------------------------------------------


def scipy_ppr(graph: TieGraph, seed: int, alpha: float = ALPHA) -> npt.NDArray[np.float64]:
    """Power iteration x ← α(xP + dangling·p) + (1-α)p, with P the row-normalised strengths.

    The transpose of P is the by-target CSR scaled by 1/out-strength: no transposing needed.
    """
    n = graph.size
    out = np.add.reduceat(graph.out_weight, graph.out_ptr[:-1]) if graph.out_weight.size else 0
    out = np.where(np.diff(graph.out_ptr) > 0, out, 0.0)
    inverse = np.divide(1.0, out, out=np.zeros(n), where=out > 0)
    p_t = sparse.csr_array(
        (graph.in_weight * inverse[graph.in_node], graph.in_node, graph.in_ptr), shape=(n, n)
    )
    dangling = out == 0
    x = np.zeros(n)
    x[seed] = 1.0
    for _ in range(500):
        following = alpha * (p_t @ x)
        following[seed] += alpha * x[dangling].sum() + (1 - alpha)
        change = np.abs(following - x).sum()
        x = following
        if change < PPR_TOL:
            break
    return x


# --- timing ---------------------------------------------------------------------------------


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def best_of(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs = [timed(run) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def percentile(seconds: list[float], q: float) -> float:
    return float(np.percentile(np.array(seconds) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--check", type=int, default=100, help="queries checked for agreement")
    parser.add_argument("--enumerate", type=int, default=30, help="queries for the listing")
    parser.add_argument("--no-write", action="store_true", help="print, don't touch docs/")
    args = parser.parse_args()
    ref = references()
    load_before = os.getloadavg()[0]

    built_s, com = timed(lambda: cm.build(args.members, args.ties, SEED))
    graph = com.graph
    n = graph.size
    nx_s, g_nx = timed(lambda: ref.nx_graph(com.sources, com.targets, com.strengths, n))
    ig_s, g_ig = timed(lambda: ref.ig_graph(com.sources, com.targets, com.strengths, n))
    ig_weights = g_ig.es["weight"]
    flagged = set(com.flagged.tolist())
    rng = np.random.default_rng(SEED + 1)
    flagged_mask = np.zeros(n, dtype=np.bool_)
    flagged_mask[com.flagged] = True
    sources = rng.choice(np.flatnonzero(~flagged_mask), size=args.queries, replace=False)
    offers = rng.choice(com.query_offers, size=args.queries)
    queries = [(int(s), com.holders(int(o))) for s, o in zip(sources, offers, strict=True)]

    def kith(s: int, targets: npt.NDArray[np.int64]) -> list[tuple[float, tuple[int, ...]]]:
        return [(p.score, p.nodes) for p in warm_paths(graph, s, targets, com.flagged).paths]

    def nx(s: int, targets: npt.NDArray[np.int64]) -> Any:
        return ref.nx_paths(g_nx, s, set(targets.tolist()), flagged, 3)

    def ig(s: int, targets: npt.NDArray[np.int64]) -> Any:
        return ref.ig_paths(g_ig, ig_weights, s, set(targets.tolist()), flagged, 3)

    for s, targets in queries[: args.check]:
        expected = kith(s, targets)
        for name, other in (("networkx", nx), ("igraph", ig)):
            if other(s, targets) != expected:
                raise SystemExit(f"kith and {name} disagree on the paths from {s}")
    for s, targets in queries[:WARM_UP]:
        for run in (kith, nx, ig):
            run(s, targets)
    seconds: dict[str, list[float]] = {"kith": [], "networkx": [], "igraph": []}
    found: Counter[str] = Counter()
    for s, targets in queries:
        for name, run in (("kith", kith), ("networkx", nx), ("igraph", ig)):
            took, _ = timed(functools.partial(run, s, targets))
            seconds[name].append(took)
        answer = warm_paths(graph, s, targets, com.flagged)
        found[
            answer.no_path.gap.value if answer.no_path else plural(len(answer.paths), "path")
        ] += 1

    listing = enumeration(ref, g_nx, g_ig, queries[: args.enumerate], seconds["kith"])
    seed = int(queries[0][0])
    ppr_kith_s, x_kith = best_of(lambda: scipy_ppr(graph, seed), 3)
    ppr_ig_s, x_ig = best_of(lambda: ref.ig_ppr(g_ig, seed, ALPHA), 3)
    ppr_nx_s, x_nx = best_of(lambda: ref.nx_ppr(g_nx, seed, ALPHA, PPR_TOL), 1)
    body = report(args, com, seconds, found, (built_s, nx_s, ig_s))
    body += listing
    body += ppr_report((ppr_kith_s, ppr_nx_s, ppr_ig_s), (x_kith, x_nx, x_ig), graph)
    body += (
        f"\nMachine load average (1 min): {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after (2 shared cores: other work slows every column alike).\n"
    )
    print(body)
    if not args.no_write:
        write_section("Warm paths", body)


def report(
    args: argparse.Namespace,
    com: cm.Community,
    seconds: dict[str, list[float]],
    found: Counter[str],
    build_s: tuple[float, float, float],
) -> str:
    p50 = {name: percentile(s, 50) for name, s in seconds.items()}
    p95 = {name: percentile(s, 95) for name, s in seconds.items()}
    vs_nx = p50["networkx"] / p50["kith"]
    vs_ig = p50["kith"] / p50["igraph"]
    degrees = np.diff(com.graph.out_ptr)
    matches = [com.holders(int(o)).size for o in com.query_offers]
    rows = "\n".join(
        f"| {name} | {p50[name]:.2f} | {p95[name]:.2f} | {statistics.fmean(s) * 1000:.2f} "
        f"| {p50[name] / p50['kith']:.1f}× |"
        for name, s in seconds.items()
    )
    verdicts = [
        _verdict("p50 under 50 ms", p50["kith"] < TARGET_MS, f"{p50['kith']:.2f} ms"),
        _verdict("≥ 20× faster than networkx", vs_nx >= TARGET_VS_NX, f"{vs_nx:.0f}×"),
        _verdict("≤ 2× igraph's time", vs_ig <= TARGET_VS_IG, f"{vs_ig:.2f}×"),
    ]
    outcome = ", ".join(f"{k}: {v}" for k, v in sorted(found.items()))
    return f"""
`python -m bench bench_paths`: {len(seconds["kith"])} warm-path queries on a synthetic community
of {com.graph.size:,} members and {com.graph.out_node.size:,} directed trust ties (Chung–Lu with
Pareto({cm.PARETO_SHAPE}) expected degrees, {cm.RECIPROCITY:.0%} of ties returned; out-degree
median {np.median(degrees):.0f}, 99th percentile {np.percentile(degrees, 99):.0f}, largest
{degrees.max():,}), {com.flagged.size:,} members flagged. Each query: the best 3 paths of at
most 3 hops from a random member to all members holding one offer (offers held by
{min(matches):,}–{max(matches):,} members, {len(matches)} such offers), never through a
flagged member. The same queries written with networkx and with igraph (same algorithm with
each library's own graph; see bench/path_references.py) are timed one after the other per
query, after {WARM_UP} warm-up queries; the first {args.check} queries gave the same paths and
scores, to the last bit, in all three. Outcomes: {outcome}.

| implementation | p50 ms | p95 ms | mean ms | p50 × kith |
| --- | ---: | ---: | ---: | ---: |
{rows}

Targets: {"; ".join(verdicts)}.
Building the graphs (not timed above): kith arrays and the community {build_s[0]:.1f} s,
networkx {build_s[1]:.1f} s, igraph {build_s[2]:.1f} s.
Machine: {platform.machine()}, Python {platform.python_version()}, {_cpus()} CPUs, shared.
"""


def enumeration(
    ref: Any, g_nx: Any, g_ig: Any, queries: list[tuple[int, Any]], kith_s: list[float]
) -> str:
    """Time each library's own listing of all simple paths of ≤ 3 hops to the targets."""
    seconds: dict[str, list[float]] = {"networkx": [], "igraph": []}
    listed = []
    for s, targets in queries:
        members = targets.tolist()
        nx_took, from_nx = timed(functools.partial(ref.nx_enumerate, g_nx, s, members))
        ig_took, from_ig = timed(functools.partial(ref.ig_enumerate, g_ig, s, members))
        if from_nx != from_ig:
            raise SystemExit(f"networkx and igraph list different paths from {s}")
        seconds["networkx"].append(nx_took)
        seconds["igraph"].append(ig_took)
        listed.append(from_nx)
    kith_p50 = percentile(kith_s[: len(queries)], 50)
    rows = "\n".join(
        f"| {call} | {percentile(took, 50):.1f} | {percentile(took, 95):.1f} "
        f"| {percentile(took, 50) / kith_p50:.0f}× |"
        for call, took in (
            ("`networkx.all_simple_paths(cutoff=3)`", seconds["networkx"]),
            ("`igraph get_all_simple_paths(maxlen=3)`", seconds["igraph"]),
        )
    )
    return f"""
For scale, the libraries' own calls that list every simple path of at most 3 hops from the
source to the targets (the first {len(queries)} queries; only the listing, before any
scoring, flag filter or top 3; both listed the same paths, median {np.median(listed):.0f}
and up to {max(listed):,} per query):

| call | p50 ms | p95 ms | p50 × kith's whole query |
| --- | ---: | ---: | ---: |
{rows}
"""


def ppr_report(
    seconds: tuple[float, float, float],
    ranks: tuple[npt.NDArray[np.float64], ...],
    graph: TieGraph,
) -> str:
    kith_s, nx_s, ig_s = seconds
    x_kith, x_nx, x_ig = ranks
    top = set(np.argsort(-x_kith)[:20].tolist())
    same_top = [len(top & set(np.argsort(-x)[:20].tolist())) for x in (x_nx, x_ig)]
    verdicts = [
        _verdict(
            "≥ 20× faster than networkx", nx_s / kith_s >= TARGET_VS_NX, f"{nx_s / kith_s:.0f}×"
        ),
        _verdict("≤ 2× igraph's time", kith_s / ig_s <= TARGET_VS_IG, f"{kith_s / ig_s:.2f}×"),
    ]
    return f"""
Personalised PageRank (α = {ALPHA}, restart at one member, weighted by tie strength, dangling
mass back to that member), one ranking of all {graph.size:,} members: a scipy power iteration
over kith's CSR arrays until the L1 change is below {PPR_TOL:g} (written in the benchmark:
`kith.core.trust_rank` belongs to another branch), `networkx.pagerank(personalization=...)`
with the same stopping rule, and igraph's `personalized_pagerank` (PRPACK, C). Best of 3
(networkx: 1 run). L1 distance to the scipy ranking: networkx {np.abs(x_nx - x_kith).sum():.1e},
igraph {np.abs(x_ig - x_kith).sum():.1e}; top 20 in common: networkx {same_top[0]}/20, igraph
{same_top[1]}/20.

| implementation | seconds | × scipy |
| --- | ---: | ---: |
| scipy power iteration | {kith_s:.3f} | 1.0× |
| networkx | {nx_s:.3f} | {nx_s / kith_s:.1f}× |
| igraph | {ig_s:.3f} | {ig_s / kith_s:.2f}× |

Targets: {"; ".join(verdicts)}.
"""


def _verdict(target: str, met: bool, figure: str) -> str:
    return f"{target}: {'met' if met else 'missed'} ({figure})"


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
