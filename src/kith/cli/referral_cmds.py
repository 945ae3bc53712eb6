"""`kith group refer | referral | referrals | report`: referrals between members (givers gain).

Registered on `kith group` by `kith.cli.main` (the group's other commands are in group_cmds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from kith.app.wording import plural
from kith.cli.group_cmds import member_garden
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.referrals import ReferralView, ReportView

ValueOption = Annotated[
    str | None, typer.Option("--value", metavar="AMOUNT", help="An amount, such as 5000.")
]


def _money(amount: float | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def _one_line(r: ReferralView) -> str:
    who = f"to {r.receiver}" if r.given_by_me else f"from {r.giver}"
    worth = f", worth {_money(r.value)}" if r.value is not None else ""
    thanks = f", thank-you {_money(r.thank_you_value)}" if r.thank_you_value is not None else ""
    return f"#{r.id} {r.status}: {r.what} ({who}{worth}{thanks})"


@user_errors
def refer(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="The member you refer a lead to.")],
    what: Annotated[str, typer.Argument(help="The lead: who needs what.")],
    value: ValueOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Pass a business lead to another member (givers gain)."""
    from kith.app import referrals

    made = referrals.refer(member_garden(ctx), login, what, value)
    emit(made, as_json, lambda c: c.print(f"referred: {_one_line(made)}", markup=False))


@user_errors
def referral(
    ctx: typer.Context,
    referral_id: Annotated[str, typer.Argument(metavar="ID", help="The referral's id.")],
    status: Annotated[str, typer.Argument(metavar="STATUS", help="contacted, won or lost.")],
    value: Annotated[
        str | None,
        typer.Option(
            "--value", metavar="AMOUNT", help="With won: the business closed, thanked to the giver."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a referral you received forward: contacted, then won (with --value) or lost."""
    from kith.app import referrals

    moved = referrals.move(member_garden(ctx), referral_id, status.strip().lower(), value)
    emit(moved, as_json, lambda c: c.print(_one_line(moved), markup=False))


@user_errors
def referrals_(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Referrals you gave and received, newest first."""
    from kith.app import referrals

    found = referrals.listed(member_garden(ctx))

    def render(c: Console) -> None:
        if not found.referrals:
            c.print("no referrals given or received yet", markup=False)
        for r in found.referrals:
            c.print(_one_line(r), markup=False)

    emit(found, as_json, render)


@user_errors
def report(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """The group report: referrals, one-to-ones, visitors (yours, or every line for organisers)."""
    from kith.app import referrals

    made = referrals.report(member_garden(ctx))
    emit(made, as_json, lambda c: _render_report(c, made))


def _render_report(c: Console, made: ReportView) -> None:
    for line in made.lines:
        c.print(
            f"{line.login}: {line.words}; {line.closed_given} closed,"
            f" thank-you {_money(line.thank_you_value)};"
            f" {plural(line.one_to_ones, 'one-to-one')} held,"
            f" {plural(line.visitors, 'visitor')} brought"
            + (f", {plural(line.no_shows, 'one-to-one')} missed" if line.no_shows else ""),
            markup=False,
        )
    t = made.totals
    c.print(
        f"{made.group}: {t.members} members, {t.referrals} referrals, {t.closed} closed,"
        f" thank-you {_money(t.thank_you_value)}; {t.givers} giving more than receiving,"
        f" {t.taking} taking without giving; {plural(t.one_to_ones, 'one-to-one')} held,"
        f" {plural(t.visitors, 'visitor')} brought, {plural(t.no_shows, 'no-show')}",
        markup=False,
    )


COMMANDS: dict[str, Callable[..., Any]] = {
    "refer": refer,
    "referral": referral,
    "referrals": referrals_,
    "report": report,
}
