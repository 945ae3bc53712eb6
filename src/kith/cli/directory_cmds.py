"""`kith group profile | directory | helps-me | i-can-help`: the group's directory.

Registered on `kith group` by `kith.cli.main`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kith.cli.group_cmds import member_garden
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.profiles import HelpView, ProfileView


def _who(name: str, login: str) -> str:
    return login if name == login else f"{name} ({login})"


def _render_profile(c: Console, p: ProfileView) -> None:
    c.print(_who(p.name, p.login), markup=False)
    for label in p.published:
        values = getattr(p, label)
        c.print(f"  {label}: {', '.join(values) if values else '-'}", markup=False)


@user_errors
def profile(
    ctx: typer.Context,
    publish: Annotated[
        list[str] | None,
        typer.Option(
            "--publish",
            metavar="FIELD",
            help="Show a field of your 'me' in the directory: interests, offers, needs, emails.",
        ),
    ] = None,
    hide: Annotated[
        list[str] | None,
        typer.Option("--hide", metavar="FIELD", help="Hide a field again (name is always shown)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Your profile in the group's directory: publish or hide fields of your 'me', one by one."""
    from kith.app import profiles

    mine = profiles.set_profile(member_garden(ctx), publish or [], hide or [])

    def render(c: Console) -> None:
        _render_profile(c, mine.profile)
        if mine.hidden:
            c.print(
                f"  hidden: {', '.join(mine.hidden)} (kith group profile --publish FIELD)",
                markup=False,
            )

    emit(mine, as_json, render)


def _option(name: str, what: str) -> Any:
    return typer.Option(name, metavar="TAG", help=f"Members who published this {what}.")


@user_errors
def directory(
    ctx: typer.Context,
    interest: Annotated[str, _option("--interest", "interest")] = "",
    offer: Annotated[str, _option("--offer", "offer")] = "",
    need: Annotated[str, _option("--need", "need")] = "",
    as_json: JsonFlag = False,
) -> None:
    """The group's members and what they published; filters follow the tag rules (synonyms)."""
    from kith.app import profiles
    from kith.core.profiles import Search

    found = profiles.directory(member_garden(ctx), Search(interest, offer, need))

    def render(c: Console) -> None:
        if not found.members:
            c.print("no member matches", markup=False)
        for p in found.members:
            _render_profile(c, p)

    emit(found, as_json, render)


def _render_help(c: Console, found: list[HelpView], verb: str, empty: str) -> None:
    if not found:
        c.print(empty, markup=False)
    for h in found:
        met = "; ".join(f"{m.need} ({verb} {m.offer})" for m in h.matches)
        c.print(f"{_who(h.name, h.login)}: {met}", markup=False)


@user_errors
def helps_me(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Members whose published offers meet your needs (kith me --need ...)."""
    from kith.app import profiles

    found = profiles.helps_me(member_garden(ctx))
    emit(
        found,
        as_json,
        lambda c: _render_help(
            c, found.members, "they offer", "no member's published offers meet your needs"
        ),
    )


@user_errors
def i_can_help(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Members whose published needs your offers meet (kith me --offer ...)."""
    from kith.app import profiles

    found = profiles.i_can_help(member_garden(ctx))
    emit(
        found,
        as_json,
        lambda c: _render_help(
            c, found.members, "you offer", "your offers meet no member's published needs"
        ),
    )


COMMANDS: dict[str, Callable[..., Any]] = {
    "profile": profile,
    "directory": directory,
    "helps-me": helps_me,
    "i-can-help": i_can_help,
}
