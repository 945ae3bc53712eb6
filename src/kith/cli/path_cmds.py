"""`kith group path | request | requests | accept | decline | answer`: warm paths and intros.

Registered on `kith group` by `kith.cli.main` (the group's other commands are in group_cmds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kith.cli.group_cmds import member_garden
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.group_paths import PathsView

TargetArgument = Annotated[
    str,
    typer.Argument(
        metavar="TARGET",
        help="A member's login, a shared contact's name, at:COMPANY, offers:X or interests:X.",
    ),
]


@user_errors
def path(ctx: typer.Context, target: TargetArgument, as_json: JsonFlag = False) -> None:
    """The best safe chains of introductions to TARGET (at most 3 hops), each hop's evidence."""
    from kith.app import group_paths

    found = group_paths.paths(member_garden(ctx), target)
    emit(found, as_json, lambda c: render_paths(c, found))


def render_paths(c: Console, found: PathsView) -> None:
    """The paths, best first, hop by hop; or why there is none and what would make one."""
    for number, p in enumerate(found.paths, 1):
        c.print(f"{number}. {' > '.join(p.through)} (score {p.score:.2f})", markup=False)
        for hop in p.hops:
            c.print(f"   {hop.words}", markup=False)
    if found.no_path is not None:
        c.print(f"no safe path: {found.no_path.words}", markup=False)
        for suggestion in found.no_path.suggestions:
            c.print(f"  - {suggestion}", markup=False)


COMMANDS: dict[str, Callable[..., Any]] = {"path": path}
