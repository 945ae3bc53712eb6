"""`kith group ...`: the community on a PostgreSQL server: members, invitations, shared contacts."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kith.cli.context import garden, settings
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.community import Server
    from kith.app.community_shares import MyShareView, SharedContactView
    from kith.app.garden import Garden

app = typer.Typer(
    help=(
        "The community on a PostgreSQL server: make the group, invite and join, share vetted"
        " contacts with members, find warm paths and ask for introductions along them"
        " (act as one with kith --as LOGIN)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _password() -> str:
    """KITH_PASSWORD, else asked twice and never echoed."""
    given = os.environ.get("KITH_PASSWORD")
    if given:
        return given
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


def member_garden(ctx: typer.Context) -> Garden:
    """The acting member's garden; SQLite is refused before a file is made or opened."""
    from kith.app.community import require_postgres

    require_postgres(settings(ctx).database_url)
    return garden(ctx)


def _server(ctx: typer.Context) -> Server:
    from kith.app.community import open_server
    from kith.app.garden import local_today

    opened = open_server(settings(ctx), local_today())
    ctx.call_on_close(opened.engine.dispose)
    return opened


@app.command("create")
@user_errors
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The group's name.")],
    organiser: Annotated[
        str, typer.Option("--organiser", metavar="LOGIN", help="Its first organiser's login.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Make this server's group (PostgreSQL only) with its first organiser."""
    from kith.app import community

    server = _server(ctx)  # before the prompt: SQLite is refused without asking anything
    made = community.create_group(server, name, organiser, _password())
    emit(
        made,
        as_json,
        lambda c: c.print(
            f"group {made.name} made; {made.organiser} organises it.\n"
            f"a first invitation, until {made.invitation.expires_on.isoformat()}:"
            f" {made.invitation.code}\n"
            f"(kith group join CODE --login LOGIN; more: kith --as {made.organiser} group invite)",
            markup=False,
        ),
    )


@app.command("invite")
@user_errors
def invite(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="member (default) or organiser.")] = "member",
    days: Annotated[int, typer.Option("--days", help="Days the code stays valid.")] = 14,
    as_json: JsonFlag = False,
) -> None:
    """A single-use, expiring invitation code (organisers only)."""
    from kith.app import community

    made = community.invite(member_garden(ctx), role, days)
    emit(
        made,
        as_json,
        lambda c: c.print(
            f"{made.code}\n(one {made.role} of {made.group}, until {made.expires_on.isoformat()}:"
            " kith group join CODE --login LOGIN)",
            markup=False,
        ),
    )


@app.command("join")
@user_errors
def join(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The invitation's code.")],
    login: Annotated[str, typer.Option("--login", metavar="LOGIN", help="Your new login.")],
    as_json: JsonFlag = False,
) -> None:
    """Join the group with an invitation (the password: asked twice, or KITH_PASSWORD)."""
    from kith.app import community

    server = _server(ctx)
    joined = community.join(server, code, login, _password())
    emit(
        joined,
        as_json,
        lambda c: c.print(
            f"welcome to {joined.group}, {joined.login} ({joined.role});"
            f" your garden: kith --as {joined.login} ...",
            markup=False,
        ),
    )


@app.command("share")
@user_errors
def share(
    ctx: typer.Context,
    people: Annotated[list[str], typer.Argument(help="Who: names, emails or #IDs.")],
    with_login: Annotated[
        str | None,
        typer.Option("--with", metavar="LOGIN", help="One member only (default: the group)."),
    ] = None,
    min_stage: Annotated[
        str, typer.Option("--min-stage", help="trusted (default) or growing.")
    ] = "trusted",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say who could be shared and why; share none.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Share contacts you can vouch for, vetted as kith share vets them (never notes)."""
    from kith.app import community_shares

    if dry_run:
        vetted = community_shares.vetting(member_garden(ctx), people, with_login, min_stage)

        def report(c: Console) -> None:
            for v in vetted:
                verdict = "can be shared" if v.shareable else "held back"
                c.print(f"{v.name}: {verdict}: {v.why}", markup=False)

        emit({"dry_run": True, "vetted": vetted}, as_json, report)
        return
    shared = community_shares.share(member_garden(ctx), people, with_login, min_stage)

    def render(c: Console) -> None:
        for s in shared:
            c.print(
                f"shared {s.name} (#{s.id}, {s.how_well_known}) with {s.with_login or 'the group'}",
                markup=False,
            )

    emit({"shared": shared}, as_json, render)


@app.command("withdraw")
@user_errors
def withdraw(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Who: a name, email or #ID.")],
    as_json: JsonFlag = False,
) -> None:
    """Withdraw a contact you shared, from everyone at once."""
    from kith.app import community_shares

    ended = community_shares.withdraw(member_garden(ctx), person)
    emit(
        {"person": person, "withdrawn": ended},
        as_json,
        lambda c: c.print(f"withdrew {person} ({ended} shares)", markup=False),
    )


@app.command("shared")
@user_errors
def shared(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Contacts shared with you: who shares them, how well they know them, offers, interests."""
    from kith.app import community_shares

    found = community_shares.shared_with_me(member_garden(ctx))
    emit({"contacts": found}, as_json, lambda c: _render_shared(c, found))


def _render_shared(c: Console, found: list[SharedContactView]) -> None:
    if not found:
        c.print("nobody is shared with you yet", markup=False)
    for s in found:
        at = ", ".join(x for x in (s.title, s.company) if x)
        c.print(f"#{s.id} {s.name}{f' ({at})' if at else ''}", markup=False)
        only = ", with you only" if s.with_me_only else ""
        known_for = f", for {s.known_for}" if s.known_for else ""
        c.print(f"  known to {s.sharer}: {s.how_well_known}{known_for}{only}", markup=False)
        for label, values in (("offers", s.offers), ("interests", s.interests)):
            if values:
                c.print(f"  {label}: {', '.join(values)}", markup=False)
        details = [*s.emails, *s.phones, *s.links]
        if details:
            c.print(f"  contact: {', '.join(details)}", markup=False)


@app.command("sharing")
@user_errors
def sharing(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """What you share, and whether the group sees it today: held back, and why, when you can
    no longer vouch for them."""
    from kith.app import community_shares

    found = community_shares.my_shares(member_garden(ctx))
    emit(found, as_json, lambda c: _render_sharing(c, found.shares))


def _render_sharing(c: Console, found: list[MyShareView]) -> None:
    if not found:
        c.print("you share nobody yet", markup=False)
    for s in found:
        audience = f"with {s.with_login}" if s.with_login else "with the group"
        c.print(f"#{s.id} {s.name}, {audience} since {s.shared_on.isoformat()}", markup=False)
        if s.shown:
            c.print(f"  shown: {s.how_well_known}", markup=False)
        else:
            c.print(f"  held back: {s.why} (kith group withdraw {s.name})", markup=False)


@app.command("take")
@user_errors
def take(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A shared contact's name or #ID.")],
    sharer: Annotated[
        str | None,
        typer.Option("--from", metavar="LOGIN", help="Whose share, when two share that name."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Take a shared contact into your garden, as a seed known via the member who shared it."""
    from kith.app import community_shares

    planted = community_shares.take(member_garden(ctx), name, sharer)
    emit(
        {"id": planted.id, "name": planted.name, "met": planted.met_where},
        as_json,
        lambda c: c.print(
            f"planted {planted.name} (#{planted.id}) as a seed, {planted.met_where}", markup=False
        ),
    )


@app.command("members")
@user_errors
def members(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The group's members and their roles (organisers also see who is suspended)."""
    from kith.app import community

    found = community.members(member_garden(ctx))

    def render(c: Console) -> None:
        for m in found:
            flag = ", suspended" if m.suspended else ""
            c.print(f"{m.login} ({m.role}{flag})", markup=False)

    emit({"members": found}, as_json, render)


def _suspension(ctx: typer.Context, login: str, as_json: bool, *, suspended: bool) -> None:
    from kith.app import community

    changed = community.suspend(member_garden(ctx), login, suspended=suspended)
    done = "suspended; their shares are hidden" if suspended else "reinstated"
    emit(changed, as_json, lambda c: c.print(f"{changed.login} {done}", markup=False))


@app.command("suspend")
@user_errors
def suspend(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="The member.")],
    as_json: JsonFlag = False,
) -> None:
    """Suspend a member (organisers): their shares vanish at once; their garden stays theirs."""
    _suspension(ctx, login, as_json, suspended=True)


@app.command("reinstate")
@user_errors
def reinstate(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="The member.")],
    as_json: JsonFlag = False,
) -> None:
    """Reinstate a suspended member (organisers)."""
    _suspension(ctx, login, as_json, suspended=False)
