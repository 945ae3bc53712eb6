"""`kith trust-rank`: the trust metric on any signed network, file in and file out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kith.app.errors import InvalidInput, KithError
from kith.core.trust_rank import Rating, Standing, seed_rule, standing, trust_rank
from kith.io.records import FormatError
from kith.io.signed import read_signed, write_scores


@dataclass(frozen=True)
class TrustRankReport:
    """What `kith trust-rank` did: counts, the seeds and how they were chosen."""

    ratings: int
    nodes: int
    seeds: tuple[str, ...]
    seed_rule: str | None  # how the seeds were picked, when the user gave none
    timed: bool  # every rating had a time, so standing time counted
    standings: dict[str, int]  # trusted, unknown, distrusted: how many nodes each
    out: Path


def rank_file(signed: Path, out: Path, seeds: Sequence[str] = ()) -> TrustRankReport:
    """Score every node of SIGNED.csv into SCORES.csv.

    A bad row refuses the whole file, naming its line, and nothing is written.
    """
    if not signed.is_file():
        raise KithError(f"{signed}: no such file")
    if out.resolve() == signed.resolve():
        raise InvalidInput("out", f"{out} is the input file; write the scores elsewhere")
    if not out.resolve().parent.is_dir():
        raise InvalidInput("out", f"folder {out.resolve().parent} does not exist")
    try:
        records, errors = read_signed(signed)
    except FormatError as exc:
        raise KithError(str(exc)) from None
    if errors:
        raise KithError(f"{signed.name}: {errors[0]}")
    if not records:
        raise KithError(f"{signed.name}: no ratings")
    try:
        ranked = trust_rank((Rating(r.source, r.target, r.rating, r.time) for r in records), seeds)
    except ValueError as exc:
        raise InvalidInput("seed", str(exc)) from None
    write_scores(out, ranked.scores.items())
    counts = Counter(standing(score) for score in ranked.scores.values())
    return TrustRankReport(
        ratings=len(records),
        nodes=len(ranked.scores),
        seeds=ranked.seeds,
        seed_rule=seed_rule() if ranked.seeds_chosen else None,
        timed=ranked.timed,
        standings={s.value: counts.get(s, 0) for s in Standing},
        out=out,
    )
