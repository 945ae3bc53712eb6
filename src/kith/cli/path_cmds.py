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
    from kith.app.intro_requests import AnswerView, RequestsView, RequestView

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


@user_errors
def request(
    ctx: typer.Context,
    target: TargetArgument,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", "--why", metavar="TEXT", help="Why you ask: the first hop reads it."
        ),
    ],
    path_number: Annotated[
        int, typer.Option("--path", metavar="N", help="Which path of kith group path (default 1).")
    ] = 1,
    as_json: JsonFlag = False,
) -> None:
    """Ask for an introduction along the best safe path to TARGET, with consent at every hop."""
    from kith.app import intro_requests

    made = intro_requests.request(member_garden(ctx), target, reason, path_number)
    emit(
        made,
        as_json,
        lambda c: c.print(
            f"intro request #{made.id} to {made.target} along {' > '.join(made.through)};"
            f" open until {made.expires_on.isoformat()}",
            markup=False,
        ),
    )


@user_errors
def requests(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Your intro requests, and those waiting on you to accept or decline."""
    from kith.app import intro_requests

    found = intro_requests.requests(member_garden(ctx))
    emit(found, as_json, lambda c: _render_requests(c, found))


def _render_requests(c: Console, found: RequestsView) -> None:
    if not found.mine and not found.asked:
        c.print("no intro requests", markup=False)
    for a in found.asked:
        c.print(f"#{a.id} waiting on you: {a.asked}", markup=False)
        c.print(f"  why: {a.reason}", markup=False)
        for note in a.notes:
            c.print(f"  note from {note}", markup=False)
        c.print(
            f"  (kith group accept {a.id} [--note TEXT] / kith group decline {a.id})", markup=False
        )
    for r in found.mine:
        _render_mine(c, r)


def _render_mine(c: Console, r: RequestView) -> None:
    c.print(f"#{r.id} yours, to {r.target}: {r.status}", markup=False)
    if r.details is not None:
        details = ", ".join([*r.details.emails, *r.details.phones]) or "no details given"
        c.print(f"  {r.details.name}: {details}", markup=False)


NoteOption = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A note for whoever is asked next.")
]


def _answer(
    ctx: typer.Context, reference: str, accept: bool, note: str | None, as_json: bool
) -> None:
    from kith.app import intro_requests

    done = intro_requests.answer(member_garden(ctx), reference, accept=accept, note=note)
    emit(done, as_json, lambda c: c.print(_answered(done), markup=False))


def _answered(done: AnswerView) -> str:
    if not done.accepted:
        return f"declined intro request #{done.id}; the requester learns only that it closed"
    if done.forwarded_to is not None:
        return f"accepted intro request #{done.id}; forwarded to {done.forwarded_to}"
    assert done.details is not None
    details = ", ".join([*done.details.emails, *done.details.phones]) or "no details given"
    return f"introduction #{done.id} made: {done.details.name}: {details}"


RequestId = Annotated[str, typer.Argument(metavar="ID", help="The request's id.")]


@user_errors
def accept(
    ctx: typer.Context, request_id: RequestId, note: NoteOption = None, as_json: JsonFlag = False
) -> None:
    """Accept an intro request waiting on you: forward it with your note, or meet them."""
    _answer(ctx, request_id, True, note, as_json)


@user_errors
def decline(ctx: typer.Context, request_id: RequestId, as_json: JsonFlag = False) -> None:
    """Decline an intro request waiting on you (the requester never learns who declined)."""
    _answer(ctx, request_id, False, None, as_json)


@user_errors
def answer(
    ctx: typer.Context,
    request_id: RequestId,
    reply: Annotated[str, typer.Argument(metavar="yes|no", help="yes accepts, no declines.")],
    note: NoteOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer an intro request waiting on you: yes or no (the same as accept and decline)."""
    from kith.app.errors import InvalidInput

    if reply.strip().lower() not in {"yes", "no"}:
        raise InvalidInput("reply", "answer yes or no")
    _answer(ctx, request_id, reply.strip().lower() == "yes", note, as_json)


COMMANDS: dict[str, Callable[..., Any]] = {
    "path": path,
    "request": request,
    "requests": requests,
    "accept": accept,
    "decline": decline,
    "answer": answer,
}
