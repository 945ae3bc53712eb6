"""Benchmark: kith's trust metric on a real signed network, against two references.

The network is the Bitcoin OTC web of trust (Kumar et al., ICDM 2016 and REV2, WSDM 2018),
in ../shared/data/trust/soc-sign-bitcoinotc.csv; the protocol is that folder's README:

- a user is *bad* when the ratings they received (at least 3) average below 0, *good* when
  they average above 0;
- half of the labelled users, drawn at random with a fixed seed, are the test set, and every
  negative rating *into* a test user is removed from the input;
- the score is the AUC over the test users (good above bad; ties count one half).

References, computed in the same run on the same input: positive in-degree, and personalised
PageRank over the positive ratings (unweighted, damping 0.85, dangling walks back to the
seeds) from the 10 most-rated users, as networkx would compute it but with scipy. kith's
metric picks its own seeds (kith.core.trust_rank.seed_rule). Each figure is the mean over
several splits (seeds 0..N-1) with its standard deviation. Target (issue 15): AUC >= 0.90.

Run: `.venv/bin/python -m bench bench_trust` or `python -m bench.bench_trust [--file F]
[--splits N] [--no-write]` (--file: another network in the same format, reported the same way).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from bench.report import write_section
from kith.core import trust_rank as metric
from kith.io.signed import read_signed

ROOT = Path(__file__).resolve().parent.parent
BITCOIN_OTC = ROOT.parent / "shared" / "data" / "trust" / "soc-sign-bitcoinotc.csv"
BITCOIN_OTC_SHA256 = "22b08170d37407697764acabc1b8b361ffad2d71c7c9dc002d3702548c0ca8e1"
TARGET_AUC = 0.90
MIN_RATINGS = 3
REFERENCE_SEEDS = 10

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Network:
    names: list[str]
    source: Ints
    target: Ints
    rating: Floats
    time: Floats | None

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Split:
    kept: npt.NDArray[np.bool_]  # the ratings the metric sees
    test: Ints  # node indices of the test users
    good: npt.NDArray[np.bool_]  # per test user


def load(path: Path) -> Network:
    records, errors = read_signed(path)
    if errors:
        raise SystemExit(f"{path.name}: {errors[0]}")
    # users in id order (numeric when every id is a number), so a split draws the same
    # users whatever the order of the file
    found = {name for r in records for name in (r.source, r.target)}
    numeric = all(name.isdigit() for name in found)
    names = sorted(found, key=lambda name: (int(name), name) if numeric else (0, name))
    index = {name: i for i, name in enumerate(names)}
    source = np.array([index[r.source] for r in records], dtype=np.int64)
    target = np.array([index[r.target] for r in records], dtype=np.int64)
    rating = np.array([r.rating for r in records], dtype=np.float64)
    timed = all(r.time is not None for r in records)
    time = np.array([r.time for r in records], dtype=np.float64) if timed else None
    return Network(names, source, target, rating, time)


def labels(net: Network) -> npt.NDArray[np.int64]:
    """1 good, 0 bad, -1 unlabelled: from all the ratings each user received."""
    count = np.bincount(net.target, minlength=net.size)
    total = np.bincount(net.target, weights=net.rating, minlength=net.size)
    mean = total / np.maximum(count, 1)
    label = np.full(net.size, -1, dtype=np.int64)
    rated = count >= MIN_RATINGS
    label[rated & (mean < 0)] = 0
    label[rated & (mean > 0)] = 1
    return label


def split(net: Network, label: npt.NDArray[np.int64], seed: int) -> Split:
    labelled = np.flatnonzero(label >= 0)
    test = np.sort(np.random.default_rng(seed).choice(labelled, labelled.size // 2, replace=False))
    in_test = np.zeros(net.size, dtype=bool)
    in_test[test] = True
    kept = ~((net.rating < 0) & in_test[net.target])
    return Split(kept, test, label[test] == 1)


def auc(scores: Floats, s: Split) -> float:
    ranks = rankdata(scores[s.test])
    good = int(s.good.sum())
    bad = s.test.size - good
    return float((ranks[s.good].sum() - good * (good + 1) / 2) / (good * bad))


# --- the scorers: each sees only the kept ratings -------------------------------------------


def positive_in_degree(net: Network, kept: npt.NDArray[np.bool_]) -> Floats:
    positive = kept & (net.rating > 0)
    return np.bincount(net.target[positive], minlength=net.size).astype(np.float64)


def reference_pagerank(net: Network, kept: npt.NDArray[np.bool_]) -> Floats:
    received = np.bincount(net.target[kept], minlength=net.size)
    seeds = np.argsort(-received, kind="stable")[:REFERENCE_SEEDS]
    start = np.zeros(net.size)
    start[seeds] = 1.0 / seeds.size
    positive = kept & (net.rating > 0)
    ones = np.ones(int(positive.sum()))
    return metric.personalised_pagerank(net.source[positive], net.target[positive], ones, start)


def kith_metric(
    net: Network,
    kept: npt.NDArray[np.bool_],
    *,
    timed: bool = True,
    damping: float = metric.DAMPING,
    seed_count: int = metric.DEFAULT_SEED_COUNT,
) -> Floats:
    edges = np.flatnonzero(kept)
    ratings = [
        metric.Rating(
            net.names[net.source[e]],
            net.names[net.target[e]],
            float(net.rating[e]),
            float(net.time[e]) if timed and net.time is not None else None,
        )
        for e in edges
    ]
    scores = metric.trust_rank(ratings, damping=damping, seed_count=seed_count).scores
    return np.array([scores.get(name, 0.0) for name in net.names])


def kith_metric_untimed(net: Network, kept: npt.NDArray[np.bool_]) -> Floats:
    return kith_metric(net, kept, timed=False)


# how much the figure owes to kith's two parameters (kith uses damping 0.85, 10 seeds)
SENSITIVITY: dict[str, Callable[[Network, npt.NDArray[np.bool_]], Floats]] = {
    f"damping {damping}, {count} seeds": functools.partial(
        kith_metric, damping=damping, seed_count=count
    )
    for damping in (0.7, 0.85, 0.95)
    for count in (5, 10, 30)
}


SCORERS: dict[str, Callable[[Network, npt.NDArray[np.bool_]], Floats]] = {
    "positive in-degree (reference)": positive_in_degree,
    "personalised PageRank, 10 most-rated seeds (reference)": reference_pagerank,
    "kith trust-rank without the times (structure only)": kith_metric_untimed,
    "kith trust-rank": kith_metric,
}


def measure(
    net: Network,
    splits: int,
    scorers: dict[str, Callable[[Network, npt.NDArray[np.bool_]], Floats]],
) -> dict[str, list[float]]:
    label = labels(net)
    results: dict[str, list[float]] = {name: [] for name in scorers}
    for seed in range(splits):
        s = split(net, label, seed)
        for name, scorer in scorers.items():
            results[name].append(auc(scorer(net, s.kept), s))
    return results


def table(results: dict[str, list[float]]) -> str:
    rows = "\n".join(
        f"| {name} | {np.mean(v):.3f} | {np.std(v):.3f} | {min(v):.3f}–{max(v):.3f} |"
        for name, v in results.items()
    )
    return f"| scorer | AUC | std | range |\n|---|---|---|---|\n{rows}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report(
    path: Path,
    net: Network,
    results: dict[str, list[float]],
    sensitivity: dict[str, list[float]],
    seconds: float,
) -> str:
    label = labels(net)
    good, bad = int((label == 1).sum()), int((label == 0).sum())
    splits = len(next(iter(results.values())))
    kith = results["kith trust-rank"]
    verdict = "met" if np.mean(kith) >= TARGET_AUC else "not met"
    reached = sum(a >= TARGET_AUC for a in kith)
    about = (
        "Bitcoin OTC, Kumar et al. ICDM 2016, WSDM 2018"
        if path.resolve() == BITCOIN_OTC.resolve()
        else "given with --file"
    )
    timed = "with" if net.time is not None else "without"
    return f"""\
Issue 15: a trust metric that tells fraud from who vouches for whom. Network: `{path.name}`
({about}): {net.rating.size:,} ratings among {net.size:,} users, {timed} times;
{good:,} good and {bad:,} bad users by the protocol of shared/data/trust/README.md (at least
{MIN_RATINGS} ratings received, average above or below 0). Half of them are the test set, drawn
with numpy seeds 0–{splits - 1}; every negative rating into a test user is removed. AUC over
the test users, good above bad; mean, standard deviation and range over the {splits} splits.

{table(results)}

Target AUC ≥ {TARGET_AUC:.2f}: **{verdict}** (mean {np.mean(kith):.3f}; {reached} of {splits}
splits reach it). kith's metric picks its own seeds ({metric.seed_rule()}); the PageRank
reference is scipy power iteration (damping 0.85, unweighted positive ratings, dangling walks
restart at the seeds, as networkx's default).

Sensitivity of kith's metric to its two parameters, same splits (kith uses the customary
damping 0.85 and 10 seeds, as the reference does, not the best row of this table):

{table(sensitivity)}

What the metric is and why: docs/trust.md. Whole run: {seconds:.0f} s.

Run: `.venv/bin/python -m bench bench_trust` (another network in the same format:
`.venv/bin/python -m bench.bench_trust --file F --no-write`)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=BITCOIN_OTC)
    parser.add_argument("--splits", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print, don't touch docs/")
    args = parser.parse_args()
    if args.file == BITCOIN_OTC and sha256(BITCOIN_OTC) != BITCOIN_OTC_SHA256:
        raise SystemExit(f"{BITCOIN_OTC}: not the file of its README (sha256 differs)")
    started = time.perf_counter()
    net = load(args.file)
    results = measure(net, args.splits, SCORERS)
    sensitivity = measure(net, args.splits, SENSITIVITY)
    body = report(args.file, net, results, sensitivity, time.perf_counter() - started)
    print(body)
    if not args.no_write and args.file == BITCOIN_OTC:
        write_section("Trust metric", body)


if __name__ == "__main__":
    main()
