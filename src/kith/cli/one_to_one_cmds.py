"""`kith group one-to-ones | round | meetings | met | no-show | visitor | visitors`.

One-to-one pairing rounds and visitors (issue 14). Registered on `kith group` by
`kith.cli.main`, like the referral commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kith.cli.group_cmds import member_garden
from kith.cli.output import JsonFlag, emit, fail, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.one_to_ones import RoundView, SideView
    from kith.app.visitors import VisitorView

MeetingId = Annotated[
    str, typer.Argument(metavar="ID", help="The meeting's id (kith group meetings).")
]
FeedbackOption = Annotated[
    str | None,
    typer.Option("--feedback", metavar="TEXT", help="A short note, kept private to you."),
]


@user_errors
def one_to_ones(
    ctx: typer.Context,
    opt_in: Annotated[bool, typer.Option("--opt-in", help="Take part in pairing rounds.")] = False,
    opt_out: Annotated[bool, typer.Option("--opt-out", help="Leave the pairing rounds.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Opt in to (or out of) the group's one-to-one pairing rounds; alone: say which you are."""
    from kith.app import one_to_ones as app

    if opt_in and opt_out:
        raise fail("say --opt-in or --opt-out, not both")
    garden = member_garden(ctx)
    view = app.status(garden) if not (opt_in or opt_out) else app.opt(garden, opted_in=opt_in)
    words = "opted in to" if view.opted_in else "not in"
    emit(view, as_json, lambda c: c.print(f"{view.login}: {words} one-to-one rounds", markup=False))


@user_errors
def round_(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The round's day (default today).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Make the round reproducible.", hidden=True)
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Pair the opted-in members for a round of one-to-ones (organisers); no pair repeats."""
    from kith.app import one_to_ones as app

    made = app.run_round(member_garden(ctx), on, seed)
    emit(made, as_json, lambda c: _render_round(c, made))


def _render_round(c: Console, made: RoundView) -> None:
    c.print(
        f"round #{made.id} on {made.held_on.isoformat()}: {len(made.meetings)} meetings"
        f" for {made.opted_in} members",
        markup=False,
    )
    for m in made.meetings:
        shared = f" (share: {', '.join(m.shared)})" if m.shared else ""
        c.print(f"  {' + '.join(m.members)}{shared}", markup=False)
    if made.sits_out:
        c.print(f"  {made.sits_out} sits out: every trio would repeat a pair", markup=False)
    if made.repeats:
        c.print(f"  {made.repeats} pairs meet again: no other choice was left", markup=False)


def _side_line(s: SideView) -> str:
    shared = f", share {', '.join(s.shared)}" if s.shared else ""
    if s.held:
        state = f"held on {s.met_on.isoformat() if s.met_on else ''}, in your garden"
    elif s.status == "pending":
        state = "to meet" + (", they confirmed" if s.partner_status == "met" else "")
    elif s.status == "met" and s.partner_status == "pending":
        state = f"you confirmed; waiting for {s.partner}"
    else:
        state = f"you said {s.status}; {s.partner} says {s.partner_status}"
    return f"#{s.id} {s.partner} (round of {s.round_on.isoformat()}{shared}): {state}"


@user_errors
def meetings(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Your one-to-ones: with whom, from which round, and whether held."""
    from kith.app import one_to_ones as app

    found = app.listed(member_garden(ctx))

    def render(c: Console) -> None:
        if not found.meetings:
            c.print("no one-to-ones yet (kith group one-to-ones --opt-in)", markup=False)
        for s in found.meetings:
            c.print(_side_line(s), markup=False)

    emit(found, as_json, render)


@user_errors
def met(
    ctx: typer.Context,
    meeting_id: MeetingId,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="When you met (default today).")
    ] = None,
    feedback: FeedbackOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Confirm a one-to-one happened; once both confirm, it is logged in both gardens."""
    from kith.app import one_to_ones as app

    side = app.met(member_garden(ctx), meeting_id, on, feedback)
    emit(side, as_json, lambda c: c.print(_side_line(side), markup=False))


@user_errors
def no_show(
    ctx: typer.Context,
    meeting_id: MeetingId,
    feedback: FeedbackOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record that your one-to-one partner did not come."""
    from kith.app import one_to_ones as app

    side = app.no_show(member_garden(ctx), meeting_id, feedback)
    emit(side, as_json, lambda c: c.print(_side_line(side), markup=False))


def _visitor_line(v: VisitorView) -> str:
    email = f" <{v.email}>" if v.email else ""
    planted = f", in your garden as #{v.person_id}" if v.person_id is not None else ""
    return f"#{v.id} {v.name}{email}: {v.status} (meeting of {v.meeting_on.isoformat()}){planted}"


@user_errors
def visitor(
    ctx: typer.Context,
    who: Annotated[
        str, typer.Argument(metavar="NAME|ID", help="A guest's name; with --came/--no-show an id.")
    ],
    meeting: Annotated[
        str | None, typer.Option("--meeting", metavar="DATE", help="The meeting they come to.")
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="The guest's email.")] = None,
    came: Annotated[bool, typer.Option("--came", help="The guest came (plants a seed).")] = False,
    missed: Annotated[bool, typer.Option("--no-show", help="The guest did not come.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Invite a guest to a meeting (NAME --meeting DATE), then mark them (ID --came/--no-show)."""
    from kith.app import visitors as app

    if came and missed:
        raise fail("say --came or --no-show, not both")
    garden = member_garden(ctx)  # SQLite is refused first, whatever else is wrong
    if came or missed:
        if meeting is not None or email is not None:
            raise fail("--came/--no-show take the visitor's id only, not --meeting or --email")
        view = app.mark(garden, who, came=came)
    elif meeting is None:
        raise fail("meeting: say --meeting DATE to invite a guest (or --came/--no-show with an id)")
    else:
        view = app.invite(garden, who, meeting, email)
    emit(view, as_json, lambda c: c.print(_visitor_line(view), markup=False))


@user_errors
def visitors(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The guests you invited to meetings, and whether they came."""
    from kith.app import visitors as app

    found = app.listed(member_garden(ctx))

    def render(c: Console) -> None:
        if not found.visitors:
            c.print("no visitors invited yet", markup=False)
        for v in found.visitors:
            c.print(_visitor_line(v), markup=False)

    emit(found, as_json, render)


COMMANDS: dict[str, Callable[..., Any]] = {
    "one-to-ones": one_to_ones,
    "round": round_,
    "meetings": meetings,
    "met": met,
    "no-show": no_show,
    "visitor": visitor,
    "visitors": visitors,
}
