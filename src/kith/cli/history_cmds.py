"""Commands that record what happened: log, give, receive, breach, and quick capture (note)."""

from __future__ import annotations

from typing import Annotated

import typer

from kith.cli import render
from kith.cli.context import garden
from kith.cli.output import JsonFlag, console, emit, user_errors
from kith.core.model import Direction

PersonArg = Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")]
On = Annotated[
    str | None, typer.Option("--on", help="The date: YYYY-MM-DD, today, yesterday, '3 days ago'.")
]
Kind = Annotated[
    str, typer.Option("--kind", help="advice, intro, referral, resource, endorsement or favor.")
]
Weight = Annotated[int, typer.Option("--weight", help="How much it mattered, 1–5.")]


@user_errors
def log(
    ctx: typer.Context,
    person: PersonArg,
    kind: Annotated[
        str, typer.Argument(help="small-talk, message, email, call, meeting, meal or event.")
    ],
    on: On = None,
    by: Annotated[str, typer.Option("--by", help="Who reached out: me or them.")] = "me",
    unanswered: Annotated[
        bool, typer.Option("--unanswered", help="My outreach got no answer.")
    ] = False,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="What you talked about (repeatable).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Log a contact with a person."""
    from kith.app import events

    item = events.log(
        garden(ctx),
        person,
        kind,
        on=on,
        by=by,
        unanswered=unanswered,
        topics=topic or [],
        note=note,
    )
    console().print(
        f"logged {item.kind.value} on {item.on.isoformat()} (by {item.by.value})", markup=False
    )


@user_errors
def give(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="The help you gave.")],
    kind: Kind = "favor",
    weight: Weight = 1,
    on: On = None,
) -> None:
    """Record help I gave: the giving side of the reciprocity ledger."""
    from kith.app import events

    item = events.exchange(
        garden(ctx), person, what, Direction.GIVEN, kind=kind, weight=weight, on=on
    )
    console().print(f"gave {item.what!r} ({item.kind.value}, weight {item.weight})", markup=False)


@user_errors
def receive(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="The help you received.")],
    kind: Kind = "favor",
    weight: Weight = 1,
    on: On = None,
) -> None:
    """Record help I received: the other side of the ledger."""
    from kith.app import events

    item = events.exchange(
        garden(ctx), person, what, Direction.RECEIVED, kind=kind, weight=weight, on=on
    )
    console().print(
        f"received {item.what!r} ({item.kind.value}, weight {item.weight})", markup=False
    )


@user_errors
def breach(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="The broken promise or abuse of trust.")],
    on: On = None,
) -> None:
    """Record a breach of trust: it lowers trust and can make a weed."""
    from kith.app import events

    item = events.breach(garden(ctx), person, what, on=on)
    console().print(f"recorded breach {item.what!r} on {item.on.isoformat()}", markup=False)


@user_errors
def forgive(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="What they did to make it right.")],
    on: On = None,
) -> None:
    """A breach made right: resolves their oldest open breach; trust recovers, never fully."""
    from kith.app import events

    item = events.forgive(garden(ctx), person, what, on=on)
    console().print(
        f"the breach {item.what!r} of {item.on.isoformat()} is made right: {item.resolution}",
        markup=False,
    )


@user_errors
def asked_by(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="What they asked of you, or pitched you.")],
    pitch: Annotated[
        bool, typer.Option("--pitch", help="They were selling their product or service.")
    ] = False,
    on: On = None,
) -> None:
    """Record something they asked of me (or pitched me): taking is judged on the whole picture."""
    from kith.app import events

    item = events.asked_by(garden(ctx), person, what, pitch=pitch, on=on)
    kind = "pitch" if item.pitch else "ask"
    early = " (before the relationship could carry it)" if item.premature else ""
    console().print(f"recorded their {kind} {item.what!r}{early}", markup=False)


@user_errors
def note(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT",
            help="What happened, in a line: 'met Ana Ruiz at PyCon, talked about climbing',"
            " 'coffee with Noah', 'call with Maya yesterday about her job search',"
            " 'introduced Ana to Noah'.",
        ),
    ],
    on: On = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be saved; save nothing.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Quick capture: a new person becomes a seed, a known one gets a log entry."""
    from kith.app import quick_capture

    opened = garden(ctx)
    view = (
        quick_capture.preview(opened, text, on)
        if dry_run
        else quick_capture.apply(opened, text, on)
    )
    emit(view, as_json, lambda out: render.quick_capture(out, view))
