"""Commands for people: init, me, seed, edit, show, list, prune, forget (restore: backup_cmds)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kith.app.wording import counted, plural
from kith.cli import render
from kith.cli.context import garden
from kith.cli.output import JsonFlag, console, emit, fail, user_errors

if TYPE_CHECKING:
    from kith.app.errors import AlreadyInGarden

Interest = Annotated[list[str] | None, typer.Option("--interest", help="An interest (repeatable).")]
Need = Annotated[
    list[str] | None,
    typer.Option("--need", help="Something they are trying to achieve (repeatable)."),
]
Offer = Annotated[
    list[str] | None, typer.Option("--offer", help="Something they can help with (repeatable).")
]
Cadence = Annotated[
    int | None,
    typer.Option("--cadence", help="Days between contacts; overrides the stage's cadence."),
]
On = Annotated[
    str | None, typer.Option("--on", help="The date: YYYY-MM-DD, today, yesterday, '3 days ago'.")
]
Birthday = Annotated[
    str | None,
    typer.Option("--birthday", help="Their birthday, YYYY-MM-DD; the feed reminds you on the day."),
]


@user_errors
def init(ctx: typer.Context) -> None:
    """Create the garden if missing and print where it is."""
    opened = garden(ctx, create=True)
    console().print(f"garden ready at {opened.url}", markup=False)


@user_errors
def me(
    ctx: typer.Context,
    interest: Interest = None,
    need: Need = None,
    offer: Offer = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Drop one of my tags (repeatable).")
    ] = None,
    email: Annotated[
        list[str] | None,
        typer.Option("--email", help="One of my own addresses (repeatable), for mail capture."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="My name (the group's directory shows it).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show or add to my own name, interests, needs, offers and addresses."""
    from kith.app import my_addresses, people
    from kith.app.match_views import MeView

    opened = garden(ctx)
    mine = my_addresses.check_addresses(email or [])  # refused before anything is written
    result = people.set_me(opened, interest or [], need or [], offer or [], remove or [], name=name)
    shown = MeView.of(result, my_addresses.my_addresses(opened, mine))
    emit(shown, as_json, lambda c: render.me(c, shown))


@user_errors
def seed(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their full name.")],
    email: Annotated[
        list[str] | None, typer.Option("--email", help="An email (repeatable).")
    ] = None,
    phone: Annotated[
        list[str] | None, typer.Option("--phone", help="A phone number (repeatable).")
    ] = None,
    link: Annotated[
        list[str] | None, typer.Option("--link", help="A profile URL (repeatable).")
    ] = None,
    company: Annotated[str | None, typer.Option("--company")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    met: Annotated[str | None, typer.Option("--met", help="Where you met.")] = None,
    on: On = None,
    via: Annotated[str | None, typer.Option("--via", help="Who introduced you (PERSON).")] = None,
    interest: Interest = None,
    need: Need = None,
    offer: Offer = None,
    note: Annotated[str | None, typer.Option("--note", help="Private; never shared.")] = None,
    cadence: Cadence = None,
    birthday: Birthday = None,
    new: Annotated[
        bool,
        typer.Option(
            "--new",
            help="Another person of a name already in the garden (an email already there"
            " stays refused: an email names one person).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Plant a new connection, with how and where you met.

    A name or an email already in the garden is refused, naming who is there; add --new
    when this is another person of the same name.
    """
    from kith.app import people
    from kith.app.errors import AlreadyInGarden
    from kith.app.result_views import PersonRef

    try:
        person = people.seed(
            garden(ctx),
            name,
            emails=email or [],
            phones=phone or [],
            links=link or [],
            company=company,
            title=title,
            met=met,
            on=on,
            via=via,
            interests=interest or [],
            needs=need or [],
            offers=offer or [],
            note=note,
            cadence=cadence,
            birthday=birthday,
            new=new,
        )
    except AlreadyInGarden as exc:
        raise fail(_already_there(exc)) from None
    emit(
        PersonRef(person.id, person.name),
        as_json,
        lambda c: render.person_saved(c, "seeded", person),
    )


def _already_there(exc: AlreadyInGarden) -> str:
    if exc.is_name:
        return f"{exc.message}; add --new if this is another person of the same name"
    return f"{exc}; an email names one person, so --new does not clear it"


@user_errors
def edit(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")],
    name: Annotated[str | None, typer.Option("--name", help="Rename.")] = None,
    company: Annotated[str | None, typer.Option("--company")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    met: Annotated[str | None, typer.Option("--met")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    add_email: Annotated[list[str] | None, typer.Option("--add-email")] = None,
    add_phone: Annotated[list[str] | None, typer.Option("--add-phone")] = None,
    add_link: Annotated[list[str] | None, typer.Option("--add-link")] = None,
    remove_email: Annotated[list[str] | None, typer.Option("--remove-email")] = None,
    remove_phone: Annotated[list[str] | None, typer.Option("--remove-phone")] = None,
    remove_link: Annotated[list[str] | None, typer.Option("--remove-link")] = None,
    add_interest: Annotated[list[str] | None, typer.Option("--add-interest")] = None,
    add_need: Annotated[list[str] | None, typer.Option("--add-need")] = None,
    add_offer: Annotated[list[str] | None, typer.Option("--add-offer")] = None,
    remove_interest: Annotated[list[str] | None, typer.Option("--remove-interest")] = None,
    remove_need: Annotated[list[str] | None, typer.Option("--remove-need")] = None,
    remove_offer: Annotated[list[str] | None, typer.Option("--remove-offer")] = None,
    consent_share: Annotated[
        bool | None,
        typer.Option(
            "--consent-share/--no-consent-share",
            help="Whether their email and phone may leave in `kith share`.",
        ),
    ] = None,
    cadence: Cadence = None,
    clear_cadence: Annotated[
        bool, typer.Option("--clear-cadence", help="Back to the stage's cadence.")
    ] = False,
    birthday: Birthday = None,
    clear_birthday: Annotated[
        bool, typer.Option("--clear-birthday", help="Forget their birthday.")
    ] = False,
) -> None:
    """Change a person's details, tags, cadence, birthday or consent to share."""
    from kith.app import people

    change = people.Edit(
        name=name,
        company=company,
        title=title,
        met=met,
        note=note,
        cadence=cadence,
        clear_cadence=clear_cadence,
        birthday=birthday,
        clear_birthday=clear_birthday,
        consent_share=consent_share,
        add_emails=tuple(add_email or ()),
        add_phones=tuple(add_phone or ()),
        add_links=tuple(add_link or ()),
        remove_emails=tuple(remove_email or ()),
        remove_phones=tuple(remove_phone or ()),
        remove_links=tuple(remove_link or ()),
        add_interests=tuple(add_interest or ()),
        add_needs=tuple(add_need or ()),
        add_offers=tuple(add_offer or ()),
        remove_interests=tuple(remove_interest or ()),
        remove_needs=tuple(remove_need or ()),
        remove_offers=tuple(remove_offer or ()),
    )
    saved = people.edit(garden(ctx), person, change)
    render.person_saved(console(), "updated", saved)


@user_errors
def show(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")],
    as_json: JsonFlag = False,
) -> None:
    """A person's profile, stage, scores with reasons, and timeline."""
    from kith.app import views
    from kith.app.person_views import ProfileView

    shown = ProfileView.of(views.show(garden(ctx), person))
    emit(shown, as_json, lambda c: render.profile(c, shown))


@user_errors
def list_(
    ctx: typer.Context,
    stage: Annotated[
        str | None, typer.Option("--stage", help="seed, growing, trusted, dormant, weed or pruned.")
    ] = None,
    interest: Annotated[
        str | None, typer.Option("--interest", help="Only people with this interest.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Everyone in the garden but the pruned (unless --stage pruned)."""
    from kith.app import views

    listed = views.list_people(garden(ctx), stage, interest)
    emit(listed, as_json, lambda c: render.people_table(c, listed, bool(stage or interest)))


@user_errors
def prune(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    """Archive a person: out of feed and share, history kept, reversible with restore."""
    from kith.app import people

    pruned = people.prune(garden(ctx), person, reason)
    render.person_saved(console(), "pruned", pruned)


@user_errors
def forget(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="PERSON: a name, an email or #ID.")],
    confirm: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove every trace of a person (prune keeps them; this does not)."""
    from kith.app import people
    from kith.app.result_views import ForgetView

    gone = ForgetView.of(people.forget(garden(ctx), person, confirmed=confirm))
    removed = ", ".join(counted(n, label) for label, n in gone.removed.items() if n)
    emit(
        gone,
        as_json,
        lambda c: c.print(
            f"forgot {gone.name} (#{gone.id}); removed {removed or 'no history'}", markup=False
        ),
    )


@user_errors
def demo(ctx: typer.Context) -> None:
    """Plant a realistic sample garden (about forty people, months of history) to explore."""
    from kith.app.demo import load_demo

    opened = garden(ctx, create=True)
    planted = load_demo(opened)
    console().print(
        f"planted a demo garden of {plural(planted, 'person', 'people')} at {opened.url}",
        markup=False,
    )
    console().print("try: kith list · kith show Maya · kith feed · kith weed · kith stats")
