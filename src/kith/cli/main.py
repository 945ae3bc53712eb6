"""The `kith` command: thin Typer commands over `kith.app`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer

from kith.cli import (
    backup_cmds,
    capture_cmds,
    db_cmds,
    directory_cmds,
    garden_cmds,
    group_cmds,
    history_cmds,
    inbox_cmds,
    io_cmds,
    match_cmds,
    one_to_one_cmds,
    path_cmds,
    people_cmds,
    referral_cmds,
    trust_cmds,
    web_cmds,
)
from kith.cli.output import USER_ERRORS, fail

app = typer.Typer(
    name="kith",
    help="A relationship manager for people who network: seed, feed and weed your garden.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # users get one line, never a traceback
    add_completion=True,  # --install-completion and --show-completion (README)
    rich_markup_mode=None,
)


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help=(
                "A SQLAlchemy URL (sqlite:///PATH, postgresql://...);"
                " default: KITH_DATABASE_URL, then the user data dir."
            ),
            show_default=False,
        ),
    ] = None,
    as_login: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="LOGIN",
            help="Act as this member of the group, on their own garden (PostgreSQL only).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """kith: seed connections on shared interests, feed them generously, weed without shame."""
    del db, as_login  # read from the context by kith.cli.context


COMMANDS: dict[str, Callable[..., None]] = {
    "init": people_cmds.init,
    "me": people_cmds.me,
    "seed": people_cmds.seed,
    "edit": people_cmds.edit,
    "log": history_cmds.log,
    "note": history_cmds.note,
    "give": history_cmds.give,
    "receive": history_cmds.receive,
    "breach": history_cmds.breach,
    "forgive": history_cmds.forgive,
    "asked-by": history_cmds.asked_by,
    "ask": garden_cmds.ask,
    "ask-outcome": garden_cmds.ask_outcome,
    "show": people_cmds.show,
    "list": people_cmds.list_,
    "prune": people_cmds.prune,
    "restore": backup_cmds.restore,
    "forget": people_cmds.forget,
    "feed": garden_cmds.feed,
    "snooze": garden_cmds.snooze,
    "weed": garden_cmds.weed,
    "stats": garden_cmds.stats,
    "digest": garden_cmds.digest,
    "share": garden_cmds.share,
    "doctor": garden_cmds.doctor,
    "starters": match_cmds.starters,
    "intros": match_cmds.suggest,
    "intro": match_cmds.intro,
    "intro-step": match_cmds.intro_step,
    "intro-status": match_cmds.intro_status,
    "pair": match_cmds.pair,
    "trust-rank": trust_cmds.trust_rank_,
    "demo": people_cmds.demo,
    "import": io_cmds.import_,
    "merge": io_cmds.merge,
    "export": io_cmds.export,
    "backup": backup_cmds.backup,
    "sync": io_cmds.sync,
    "serve": web_cmds.serve,
    "token": web_cmds.token,
    "password": web_cmds.password,
}
# Commands with subcommands of their own (`kith capture mbox`, `kith capture runs`, ...).
GROUPS: dict[str, typer.Typer] = {
    "capture": capture_cmds.app,
    "db": db_cmds.app,
    "group": group_cmds.app,
}
for command_name, function in COMMANDS.items():
    app.command(command_name)(function)
for command_name, function in referral_cmds.COMMANDS.items():
    group_cmds.app.command(command_name)(function)  # kith group refer | referral | ...
for command_name, function in one_to_one_cmds.COMMANDS.items():
    group_cmds.app.command(command_name)(function)  # kith group round | met | visitor | ...
for command_name, function in {**inbox_cmds.COMMANDS, **directory_cmds.COMMANDS}.items():
    group_cmds.app.command(command_name)(function)  # kith group inbox | profile | directory ...
for command_name, function in path_cmds.COMMANDS.items():
    group_cmds.app.command(command_name)(function)  # kith group path | request | ...
for group_name, group in GROUPS.items():
    app.add_typer(group, name=group_name)


def run() -> None:
    """The console script: a last guard so no user error ever shows a traceback.

    Usage errors (a missing argument, an unknown option) keep Click's usage text and exit 2.
    """
    try:
        app()
    except USER_ERRORS as exc:
        fail(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
