"""Commands of mutual interest: starters, intros, intro, intro-step, intro-status, pair."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from kith.app.wording import plural
from kith.cli.context import garden
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app import intros
    from kith.app.file_views import PairingView
    from kith.app.match_views import IntroRow, SuggestionRow

PersonArg = Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")]


@user_errors
def starters(ctx: typer.Context, person: PersonArg, as_json: JsonFlag = False) -> None:
    """The interests you share with a person, and conversation starters from them."""
    from kith.app import intros

    found = intros.conversation_starters(garden(ctx), person)
    emit(found, as_json, lambda c: _render_starters(c, found))


def _render_starters(c: Console, found: intros.Starters) -> None:
    shared = ", ".join(found.shared_interests) or "nothing yet: ask what they enjoy"
    c.print(f"you and {found.name} share: {shared}", markup=False)
    for line in found.starters:
        c.print(f"  → {line}", markup=False)


@user_errors
def suggest(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="At most this many suggestions.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Suggested introductions between people you know and can vouch for, with why."""
    from kith.app import intros
    from kith.app.match_views import SuggestionRow

    rows = [SuggestionRow.of(found) for found in intros.suggestions(garden(ctx), limit)]
    emit(rows, as_json, lambda c: _render_suggestions(c, rows))


def _render_suggestions(c: Console, rows: Sequence[SuggestionRow]) -> None:
    if not rows:
        c.print("no introductions to suggest yet: add needs and offers to the people you trust")
        return
    for s in rows:
        c.print(Text.assemble((s.a, "bold"), " ↔ ", (s.b, "bold"), f"  ({s.score:.2f})"))
        c.print(f"  {s.why}", markup=False)
    c.print('start one with: kith intro A B --why "..."')


def _render_intro(c: Console, row: IntroRow) -> None:
    c.print(Text.assemble(f"#{row.id} ", (row.a, "bold"), " ↔ ", (row.b, "bold"), f"  {row.state}"))
    if row.why:
        c.print(f"  why: {row.why}", markup=False)
    steps = " · ".join(f"{step} {day.isoformat()}" for step, day in row.steps.items())
    c.print(f"  {steps}", markup=False)
    if row.outcome:
        c.print(f"  outcome: {row.outcome}", markup=False)


def _render_started(c: Console, row: IntroRow) -> None:
    _render_intro(c, row)
    c.print(f"next: ask {row.a} whether they want to meet, then kith intro-step {row.id} asked-a")


@user_errors
def intro(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="PERSON A.")],
    b: Annotated[str, typer.Argument(help="PERSON B.")],
    why: Annotated[str | None, typer.Option("--why", help="Why they should meet.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Start a double opt-in introduction of A and B (ask each before connecting them)."""
    from kith.app import intros
    from kith.app.match_views import IntroRow

    row = IntroRow.of(intros.start(garden(ctx), a, b, why))
    emit(row, as_json, lambda c: _render_started(c, row))


@user_errors
def intro_step(
    ctx: typer.Context,
    intro_id: Annotated[int, typer.Argument(help="The introduction's number (see intro-status).")],
    step: Annotated[
        str, typer.Argument(help="asked-a, asked-b, accepted, declined, made or outcome.")
    ],
    on: Annotated[str | None, typer.Option("--on", help="When it happened.")] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="What came of it (with outcome or declined).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move an introduction along; a made intro counts as help given to both."""
    from kith.app import intros
    from kith.app.match_views import IntroRow

    row = IntroRow.of(intros.step(garden(ctx), intro_id, step, on=on, outcome=outcome))
    emit(row, as_json, lambda c: _render_intro(c, row))


@user_errors
def intro_status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every introduction you started, with its double opt-in steps."""
    from kith.app import intros
    from kith.app.match_views import IntroRow

    rows = [IntroRow.of(view) for view in intros.list_all(garden(ctx))]
    emit(rows, as_json, lambda c: _render_intros(c, rows))


def _render_intros(c: Console, rows: Sequence[IntroRow]) -> None:
    for row in rows:
        _render_intro(c, row)
    if not rows:
        c.print("no introductions yet")


@user_errors
def pair(
    members: Annotated[
        Path, typer.Argument(help="MEMBERS.csv: id or email, name, interests (needs, offers).")
    ],
    round_number: Annotated[
        int, typer.Option("--round", help="The round's number, written in each row.")
    ],
    out: Annotated[Path, typer.Option("--out", help="PAIRS.csv to write.")],
    previous: Annotated[
        list[Path] | None,
        typer.Option("--previous", help="An earlier round's PAIRS.csv (repeatable)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse the file if any row is bad.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Fix the random choices.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """A pairing round for a group: everyone meets someone who shares an interest."""
    from kith.app import group
    from kith.app.file_views import PairingView

    shown = PairingView.of(
        group.pair(members, round_number, out, previous or [], strict=strict, seed=seed)
    )
    emit(shown, as_json, lambda c: _render_round(c, shown))


def _render_round(c: Console, shown: PairingView) -> None:
    c.print(
        f"round {shown.round}: {plural(shown.pairs, 'pair')} written to {shown.out}",
        markup=False,
    )
    if shown.without_shared_interest:
        c.print(
            f"no shared interest in {plural(shown.without_shared_interest, 'pair')}"
            " (nobody better was free)"
        )
    if shown.odd_one_out:
        c.print(f"odd one out: {shown.odd_one_out_name} ({shown.odd_one_out})", markup=False)
    for error in shown.errors:
        c.print(f"skipped line {error.line}, {error.field}: {error.message}", markup=False)
