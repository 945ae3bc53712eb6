"""`kith trust-rank`: the trust metric on a signed network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kith.cli.output import JsonFlag, emit, error_console, user_errors


@user_errors
def trust_rank_(
    signed: Annotated[
        Path, typer.Argument(help="SIGNED.csv: source,target,rating[,time], header optional.")
    ],
    out: Annotated[Path, typer.Option("--out", help="SCORES.csv to write: node,score.")],
    seed: Annotated[
        list[str] | None,
        typer.Option("--seed", help="A node trusted from the start (repeat for several)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Score every node of a signed network by trust, personalised to the seeds: high for
    who the seeds' circle vouches for, 0 for unknown, below 0 for distrusted."""
    from kith.app import trust_rank
    from kith.app.file_views import TrustRankView

    found = TrustRankView.of(trust_rank.rank_file(signed, out, seed or ()))
    if found.seed_rule and not as_json:
        picked = ", ".join(found.seeds) or "none, so nothing is trusted"
        error_console().print(f"seeds: {found.seed_rule}: {picked}", markup=False)
    emit(
        found,
        as_json,
        lambda c: c.print(
            f"scored {found.nodes} nodes from {found.ratings} ratings:"
            f" {found.trusted} trusted, {found.unknown} unknown,"
            f" {found.distrusted} distrusted → {found.out}",
            markup=False,
        ),
    )
