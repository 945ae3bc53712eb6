"""Commands that judge the garden: feed, weed, snooze, ask, ask-outcome, stats, share, doctor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kith.app.wording import plural
from kith.cli import render
from kith.cli.context import garden, settings
from kith.cli.output import JsonFlag, console, emit, user_errors

PersonArg = Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")]


@user_errors
def feed(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many people.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Who to nurture today, most urgent first, with why and a suggested gesture."""
    from kith.app import nurture

    rows = nurture.feed(garden(ctx), limit)
    emit(rows, as_json, lambda c: render.feed(c, rows))


@user_errors
def weed(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Prune candidates with the reasons: takers, breaches, outreach unanswered again and again."""
    from kith.app import nurture

    rows = nurture.weed(garden(ctx))
    emit(rows, as_json, lambda c: render.weed(c, rows))


@user_errors
def snooze(
    ctx: typer.Context,
    person: PersonArg,
    days: Annotated[
        int, typer.Option("--days", help="How long to wait before they are due again.")
    ] = 7,
) -> None:
    """Push a person out of the feed for a while without logging a contact."""
    from kith.app import nurture

    who, verdict = nurture.snooze(garden(ctx), person, days)
    console().print(f"snoozed {who.name} for {plural(days, 'day')}", markup=False)
    del verdict


@user_errors
def ask(
    ctx: typer.Context,
    person: PersonArg,
    what: Annotated[str, typer.Argument(help="What you want to ask for (or sell).")],
    size: Annotated[str, typer.Option("--size", help="small, medium or large.")] = "small",
    pitch: Annotated[bool, typer.Option("--pitch", help="Selling my product or service.")] = False,
    check_only: Annotated[
        bool, typer.Option("--check-only", help="Only check; record nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Record the ask even if it is premature.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check an ask or a pitch before making it; record it when it goes ahead.

    A premature ask is refused (exit 1, nothing recorded) with reasons and what to give first;
    --check-only records nothing and exits 0 when ready, 1 when not.
    """
    from kith.app import asking
    from kith.app.garden_views import AskVerdict

    result = asking.ask(
        garden(ctx), person, what, size=size, pitch=pitch, check_only=check_only, force=force
    )
    verdict = AskVerdict.of(result)
    emit(verdict, as_json, lambda c: render.ask(c, verdict))
    if not verdict.ready and (check_only or not force):
        raise typer.Exit(1)


@user_errors
def ask_outcome(
    ctx: typer.Context,
    person: PersonArg,
    outcome: Annotated[str, typer.Argument(help="yes, no or ignored.")],
    on: Annotated[str | None, typer.Option("--on", help="When they answered.")] = None,
) -> None:
    """Record the outcome of my last open ask of a person: it feeds trust."""
    from kith.app import asking

    closed = asking.ask_outcome(garden(ctx), person, outcome, on=on)
    console().print(f"ask {closed.what!r}: {closed.outcome.value}", markup=False)


@user_errors
def stats(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Stages, the funnel from seed to trusted, effort against growth, and a look in the mirror."""
    from kith.app import reports
    from kith.app.stats_views import StatsView

    shown = StatsView.of(reports.stats(garden(ctx)))
    emit(shown, as_json, lambda c: render.stats(c, shown))


@user_errors
def share(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The JSON file to write.")],
    min_stage: Annotated[
        str, typer.Option("--min-stage", help="trusted (default) or growing.")
    ] = "trusted",
    as_json: JsonFlag = False,
) -> None:
    """Export the network you can vouch for, and report who was held back and why."""
    from kith.app import reports
    from kith.app.result_views import ShareView

    shown = ShareView.of(reports.share(garden(ctx), out, min_stage))
    emit(shown, as_json, lambda c: render.share(c, shown))


@user_errors
def digest(
    ctx: typer.Context,
    to: Annotated[
        str | None, typer.Option("--to", help="Send it to this address (SMTP from settings).")
    ] = None,
    print_: Annotated[
        bool, typer.Option("--print", help="Print it instead (for cron and the terminal).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Today's feed and open introduction steps, printed or sent as an email.

    SMTP comes from KITH_SMTP_HOST, _PORT, _SECURITY (starttls, tls, plain), _USER, _PASSWORD,
    _FROM or the config file's [smtp] table.
    """
    from kith.app import digest as digest_app
    from kith.app.errors import InvalidInput

    if print_ and to is not None:
        raise InvalidInput("to", "give either --to ADDRESS or --print, not both")
    if print_:
        text, doc = digest_app.printed(garden(ctx))
        emit(doc, as_json, lambda c: c.print(text, markup=False, end=""))
        return
    if to is None:
        raise InvalidInput("to", "give --to ADDRESS, or --print")
    sent = digest_app.send(garden(ctx), to, settings(ctx).smtp)
    emit(sent, as_json, lambda c: c.print(f"digest sent to {sent['sent_to']}", markup=False))


@user_errors
def doctor(
    ctx: typer.Context,
    rebuild_facts: Annotated[
        bool,
        typer.Option("--rebuild-facts", help="Rebuild the kept facts from the history after."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check the database and the kept facts against the history; exit 1 on a problem."""
    from kith.app import doctor as checkup
    from kith.app.result_views import CheckupView

    found = CheckupView.of(checkup.doctor(garden(ctx), rebuild_facts=rebuild_facts))
    emit(found, as_json, lambda c: render.doctor(c, found))
    if not found.ok:
        raise typer.Exit(1)
