"""`kith group inbox`: notifications from the group (referrals, later intro requests, ...).

Registered on `kith group` by `kith.cli.main`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console

from kith.cli.group_cmds import member_garden
from kith.cli.output import JsonFlag, emit, user_errors


@user_errors
def inbox(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Also the notifications already read.")
    ] = False,
    peek: Annotated[
        bool, typer.Option("--peek", help="Show without marking them read (for scripts).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Your unread notifications, newest first; shown ones are marked read (unless --peek)."""
    from kith.app import notifications

    found = notifications.inbox(member_garden(ctx), everything=everything, peek=peek)

    def render(c: Console) -> None:
        if not found.notifications:
            c.print("no notifications" if everything else "no unread notifications", markup=False)
        for n in found.notifications:
            mark = "* " if n.unread else "  "
            c.print(
                f"{mark}{n.created_on.isoformat()} {n.words} ({n.subject} #{n.subject_id})",
                markup=False,
            )
        if found.unread_left:
            c.print(f"{found.unread_left} more unread: kith group inbox", markup=False)

    emit(found, as_json, render)


COMMANDS: dict[str, Callable[..., Any]] = {"inbox": inbox}
