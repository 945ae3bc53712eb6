"""`kith db ...`: the database itself, for an operator (placing the tables on Citus)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from kith.cli.context import settings
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.distribution import DistributionView

app = typer.Typer(
    help="The database itself, for the operator of a server: distribute it on Citus.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("distribute")
@user_errors
def distribute(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """On a Citus coordinator: migrate, then make the group's tables reference tables and
    distribute every garden table by account_id, co-located with people. Safe to run again:
    it places only tables not placed yet (run it after each upgrade)."""
    from kith.app import distribution

    done = distribution.distribute(settings(ctx))
    emit(done, as_json, lambda c: _render(c, done))


def _render(console: Console, done: DistributionView) -> None:
    if done.already_placed:
        console.print("every table is already placed: nothing to do")
        return
    if done.reference:
        console.print(f"reference tables ({len(done.reference)}): {', '.join(done.reference)}")
    if done.distributed:
        console.print(
            f"distributed by {done.column}, co-located with {done.colocated_with}"
            f" ({len(done.distributed)}): {', '.join(done.distributed)}"
        )
    console.print(f"foreign keys taken off and put back: {done.foreign_keys}")
