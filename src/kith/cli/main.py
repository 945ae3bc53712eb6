"""The `kith` command: thin Typer commands over `kith.app`.

Each command's module is imported only when that command runs (or when help lists them all):
importing every module, and converting every command's parameters, cost most of a short
command's start-up (issue 11). The tables below name each command's function by module.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from types import ModuleType
from typing import Annotated

import typer
from typer import main as typer_main
from typer._click import Command as ClickCommand  # Typer 0.29 vendors Click
from typer._click import Context as ClickContext
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from kith.cli.output import USER_ERRORS, fail

# name: (module in kith.cli, function). The order is the order `kith --help` lists them in.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("people_cmds", "init"),
    "me": ("people_cmds", "me"),
    "seed": ("people_cmds", "seed"),
    "edit": ("people_cmds", "edit"),
    "log": ("history_cmds", "log"),
    "note": ("history_cmds", "note"),
    "give": ("history_cmds", "give"),
    "receive": ("history_cmds", "receive"),
    "breach": ("history_cmds", "breach"),
    "forgive": ("history_cmds", "forgive"),
    "asked-by": ("history_cmds", "asked_by"),
    "ask": ("garden_cmds", "ask"),
    "ask-outcome": ("garden_cmds", "ask_outcome"),
    "show": ("people_cmds", "show"),
    "list": ("people_cmds", "list_"),
    "prune": ("people_cmds", "prune"),
    "restore": ("backup_cmds", "restore"),
    "forget": ("people_cmds", "forget"),
    "feed": ("garden_cmds", "feed"),
    "snooze": ("garden_cmds", "snooze"),
    "weed": ("garden_cmds", "weed"),
    "stats": ("garden_cmds", "stats"),
    "digest": ("garden_cmds", "digest"),
    "share": ("garden_cmds", "share"),
    "doctor": ("garden_cmds", "doctor"),
    "starters": ("match_cmds", "starters"),
    "intros": ("match_cmds", "suggest"),
    "intro": ("match_cmds", "intro"),
    "intro-step": ("match_cmds", "intro_step"),
    "intro-status": ("match_cmds", "intro_status"),
    "pair": ("match_cmds", "pair"),
    "trust-rank": ("trust_cmds", "trust_rank_"),
    "demo": ("people_cmds", "demo"),
    "import": ("io_cmds", "import_"),
    "merge": ("io_cmds", "merge"),
    "export": ("io_cmds", "export"),
    "backup": ("backup_cmds", "backup"),
    "sync": ("io_cmds", "sync"),
    "serve": ("web_cmds", "serve"),
    "token": ("web_cmds", "token"),
    "password": ("web_cmds", "password"),
}
# Commands with subcommands of their own (`kith capture mbox`, `kith group round`, ...).
GROUPS: dict[str, str] = {
    "capture": "capture_cmds",
    "db": "db_cmds",
    "group": "group_cmds",
    "resident": "resident_cmds",
}
# Modules whose COMMANDS join `kith group` (refer, round, inbox, directory, path, ...).
GROUP_EXTRAS = ("referral_cmds", "one_to_one_cmds", "inbox_cmds", "directory_cmds", "path_cmds")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"kith.cli.{name}")


@cache
def _group_app(name: str) -> typer.Typer:
    group: typer.Typer = _module(GROUPS[name]).app
    if name == "group":  # once per process: the resident process runs many commands
        for extra in GROUP_EXTRAS:
            for command_name, function in _module(extra).COMMANDS.items():
                group.command(command_name)(function)
    return group


@cache
def click_command(name: str) -> ClickCommand:
    """The Click command for `name`, built once per process from its module."""
    if name in GROUPS:
        return typer_main.get_group_from_info(
            TyperInfo(_group_app(name), name=name),
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=None,
        )
    module, function = COMMANDS[name]
    info = CommandInfo(name=name, callback=getattr(_module(module), function))
    return typer_main.get_command_from_info(
        info, pretty_exceptions_short=True, rich_markup_mode=None
    )


class LazyGroup(TyperGroup):
    """`kith`'s commands, each imported from its module when it is first asked for."""

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return [*COMMANDS, *GROUPS]

    def get_command(self, ctx: ClickContext, cmd_name: str) -> ClickCommand | None:
        if cmd_name in COMMANDS or cmd_name in GROUPS:
            return click_command(cmd_name)
        return None


app = typer.Typer(
    name="kith",
    cls=LazyGroup,
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


def run(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """The command in this process: a last guard so no user error ever shows a traceback.

    Usage errors (a missing argument, an unknown option) keep Click's usage text and exit 2.
    `args` and `prog_name` default to the process's own (the resident passes a client's).
    """
    try:
        app(args=args, prog_name=prog_name)
    except USER_ERRORS as exc:
        fail(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
