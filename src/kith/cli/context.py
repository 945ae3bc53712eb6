"""Reading the settings once per run and opening the garden a command works on."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

import typer

from kith.settings import Settings, load_settings

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.garden import Garden


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    cached = root.meta.get("kith.settings")
    if cached is None:
        cached = load_settings(os.environ, database_url=root.params.get("db"))
        if root.params.get("as_login"):  # kith --as LOGIN: everything acts on their account
            cached = replace(cached, account=str(root.params["as_login"]).strip().lower())
        root.meta["kith.settings"] = cached
    return cached


def whole_database(ctx: typer.Context, command: str) -> None:
    """Refuse `--as` for a command that acts on the whole database (every member's garden)."""
    if ctx.find_root().params.get("as_login"):
        from kith.app.errors import KithError

        raise KithError(
            f"kith {command} acts on the whole database, every member's garden:"
            " the server's operator runs it without --as"
        )


def garden(ctx: typer.Context, *, create: bool = False) -> Garden:
    from kith.app.garden import local_today, open_garden

    acting_as = ctx.find_root().params.get("as_login")
    if acting_as:  # kith --as LOGIN: a member's own garden, on the group's server only
        from kith.app.community import open_member_garden

        opened = open_member_garden(settings(ctx), local_today(), acting_as)
    else:
        opened = open_garden(settings(ctx), local_today(), create=create)
    ctx.call_on_close(opened.engine.dispose)  # close pooled connections when the command ends
    return opened
