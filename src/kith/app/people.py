"""Actions on people: seed, edit, prune, restore, forget, and me."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kith.app import inputs
from kith.app.errors import AlreadyInGarden, ConfirmationNeeded, InvalidInput, KithError
from kith.app.garden import Garden
from kith.core.duplicates import email_owner, seed_duplicate
from kith.core.identity import name_key
from kith.core.model import Me, Person, PersonDraft, PersonState, TagKind
from kith.store import Connection
from kith.store import history as history_store
from kith.store import people as people_store


def set_me(
    garden: Garden,
    interests: Sequence[str] = (),
    needs: Sequence[str] = (),
    offers: Sequence[str] = (),
    remove: Sequence[str] = (),
    *,
    name: str | None = None,
) -> Me:
    """Add to my own interests, needs and offers (and drop any named in `remove`); rename me.

    My name is how the group's directory shows me (else my login).
    """
    new_name = None if name is None else inputs.name(name)
    with garden.transaction() as conn:
        if new_name is not None:
            people_store.set_me_name(conn, garden.account_id, new_name)
        for kind, values in _tag_groups(interests, needs, offers):
            people_store.add_tags(conn, garden.account_id, None, kind, values)
        mine = {
            name_key(v)
            for kind in TagKind
            for v in people_store.tag_values(conn, garden.account_id, None, kind)
        }
        missing = [v for v in remove if name_key(v) not in mine]
        if missing:
            raise InvalidInput("remove", f"{missing[0]!r} is not one of your tags; nothing changed")
        for kind in TagKind:
            people_store.remove_tags(conn, garden.account_id, None, kind, remove)
        return people_store.load_me(conn, garden.account_id)


def get_me(garden: Garden) -> Me:
    """The garden owner's own profile: interests, offers and needs."""
    with garden.reading() as conn:
        return people_store.load_me(conn, garden.account_id)


def _tag_groups(
    interests: Sequence[str], needs: Sequence[str], offers: Sequence[str]
) -> list[tuple[TagKind, tuple[str, ...]]]:
    return [
        (TagKind.INTEREST, inputs.tag_list("interest", interests)),
        (TagKind.NEED, inputs.tag_list("need", needs)),
        (TagKind.OFFER, inputs.tag_list("offer", offers)),
    ]


# `seed` takes the fields of `PersonDraft` as the user gives them: under these names where
# they differ (dates and the introducer as text, resolved here), without the ones a seed
# never sets (the vCard UID comes from imports; consent to share is given by `edit`).
SEED_NAMES = {"met_where": "met", "met_on": "on", "via_id": "via", "cadence_days": "cadence"}
NOT_SEEDED = frozenset({"uid", "consent_share"})
SEED_AS_TEXT = frozenset({"met_on", "via_id", "birthday"})  # "3 days ago", "Ana", YYYY-MM-DD


def seed(
    garden: Garden,
    name: str,
    *,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    links: Sequence[str] = (),
    company: str | None = None,
    title: str | None = None,
    met: str | None = None,
    on: str | None = None,
    via: str | None = None,
    interests: Sequence[str] = (),
    needs: Sequence[str] = (),
    offers: Sequence[str] = (),
    note: str | None = None,
    cadence: int | None = None,
    birthday: str | None = None,
    new: bool = False,
) -> Person:
    """Plant a new connection, with how and where we met.

    A name or an email already in the garden is refused with `AlreadyInGarden` naming who
    is there; `new` says this is another person of the same name (an email stays refused).
    """
    clean_emails = inputs.emails(emails)
    planting = PersonDraft(
        name=inputs.name(name),
        emails=clean_emails,
        phones=inputs.phones(phones),
        links=inputs.links(links),
        company=inputs.optional_text("company", company),
        title=inputs.optional_text("title", title),
        met_where=inputs.optional_text("met", met),
        met_on=inputs.date_or_today("on", on, garden.today),
        note=inputs.optional_text("note", note, one_line=False),
        cadence_days=inputs.cadence(cadence),
        interests=inputs.tag_list("interest", interests),
        needs=inputs.tag_list("need", needs),
        offers=inputs.tag_list("offer", offers),
        birthday=inputs.birthday("birthday", birthday, garden.today),
    )
    with garden.transaction() as conn:
        existing = people_store.namesakes_and_email_owners(
            conn, garden.account_id, planting.name, clean_emails
        )
        clash = seed_duplicate(planting.name, clean_emails, existing, new=new)
        if clash is not None:
            raise AlreadyInGarden(clash)
        via_id = inputs.resolve(conn, garden.account_id, via) if via else None
        planted = replace(planting, via_id=via_id)
        person_id = people_store.insert_person(
            conn, garden.account_id, planted, created_on=garden.today
        )
        return people_store.load_people(conn, garden.account_id, ids=[person_id])[0]


def _emails_to_add(
    conn: Connection, account_id: int, person_id: int, emails: Sequence[str]
) -> tuple[str, ...]:
    """The emails this person does not have yet; one that is someone else's is refused."""
    owners = people_store.namesakes_and_email_owners(conn, account_id, None, emails)
    others = [o for o in owners if o.id != person_id]
    clash = email_owner(emails, others)
    if clash is not None:
        raise AlreadyInGarden(clash)
    theirs = {e for o in owners if o.id == person_id for e in o.emails}
    return tuple(e for e in emails if e not in theirs)


@dataclass(frozen=True)
class Edit:
    """What `kith edit` changes; None and empty mean leave as is."""

    name: str | None = None
    company: str | None = None
    title: str | None = None
    met: str | None = None
    note: str | None = None
    cadence: int | None = None
    clear_cadence: bool = False
    birthday: str | None = None
    clear_birthday: bool = False
    consent_share: bool | None = None
    add_emails: tuple[str, ...] = ()
    add_phones: tuple[str, ...] = ()
    add_links: tuple[str, ...] = ()
    remove_emails: tuple[str, ...] = ()
    remove_phones: tuple[str, ...] = ()
    remove_links: tuple[str, ...] = ()
    add_interests: tuple[str, ...] = ()
    add_needs: tuple[str, ...] = ()
    add_offers: tuple[str, ...] = ()
    remove_interests: tuple[str, ...] = ()
    remove_needs: tuple[str, ...] = ()
    remove_offers: tuple[str, ...] = ()


def edit(garden: Garden, reference: str, change: Edit) -> Person:
    """Change a person's details and tags as `change` says; return them as they now are."""
    values: dict[str, object] = {}
    if change.name is not None:
        values["name"] = inputs.name(change.name)
        values["name_key"] = name_key(change.name)
    for column, field, value in (
        ("company", "company", change.company),
        ("title", "title", change.title),
        ("met_where", "met", change.met),
        ("note", "note", change.note),
    ):
        if value is not None:
            values[column] = inputs.optional_text(field, value, one_line=field != "note")
    if change.cadence is not None:
        values["cadence_days"] = inputs.cadence(change.cadence)
    if change.clear_cadence:
        values["cadence_days"] = None
    if change.birthday is not None:
        values["birthday"] = inputs.birthday("birthday", change.birthday, garden.today)
    if change.clear_birthday:
        values["birthday"] = None
    if change.consent_share is not None:
        values["consent_share"] = change.consent_share
    new_emails = inputs.emails(change.add_emails)
    new_phones = inputs.phones(change.add_phones)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        account = garden.account_id
        _remove_contacts(conn, account, person_id, change)
        fresh_emails = _emails_to_add(conn, account, person_id, new_emails)
        people_store.update_person(conn, account, person_id, values)
        people_store.add_emails(conn, account, person_id, fresh_emails)
        people_store.add_phones(conn, account, person_id, new_phones)
        people_store.add_links(conn, account, person_id, inputs.links(change.add_links))
        for kind, values_added in _tag_groups(
            change.add_interests, change.add_needs, change.add_offers
        ):
            people_store.add_tags(conn, account, person_id, kind, values_added)
        for kind, values_removed in (
            (TagKind.INTEREST, change.remove_interests),
            (TagKind.NEED, change.remove_needs),
            (TagKind.OFFER, change.remove_offers),
        ):
            wanted = {name_key(v) for v in values_removed}
            if people_store.remove_tags(conn, account, person_id, kind, values_removed) < len(
                wanted
            ):
                raise InvalidInput(
                    f"remove-{kind.value}",
                    f"not all of them are their {kind.value}s; nothing changed",
                )
        return people_store.load_people(conn, account, ids=[person_id])[0]


def _remove_contacts(conn: Connection, account_id: int, person_id: int, change: Edit) -> None:
    """Drop the emails, phones and links named; one they do not have refuses the edit."""
    for kind, values in (
        ("email", inputs.emails(change.remove_emails)),
        ("phone", inputs.phones(change.remove_phones)),
        ("link", inputs.links(change.remove_links)),
    ):
        wanted = len(set(values))
        if people_store.remove_contacts(conn, account_id, person_id, kind, values) < wanted:
            raise InvalidInput(
                f"remove-{kind}", f"not all of them are their {kind}s; nothing changed"
            )


CONTACT_KINDS = ("email", "phone", "link")


def set_contacts(garden: Garden, reference: str, kind: str, values: Sequence[str]) -> Person:
    """Make a person's emails, phones or links (`kind`) exactly `values`, blanks ignored.

    One transaction: the ones left out are removed, the new ones added, in the order typed.
    """
    if kind not in CONTACT_KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of email, phone, link")
    check = {"email": inputs.emails, "phone": inputs.phones, "link": inputs.links}[kind]
    wanted = check([v for v in values if v.strip()])
    with garden.transaction() as conn:
        account = garden.account_id
        person_id = inputs.resolve(conn, account, reference)
        person = people_store.load_people(conn, account, ids=[person_id])[0]
        held = {"email": person.emails, "phone": person.phones, "link": person.links}[kind]
        people_store.remove_contacts(conn, account, person_id, kind, held)
        if kind == "email":
            people_store.add_emails(
                conn, account, person_id, _emails_to_add(conn, account, person_id, wanted)
            )
        elif kind == "phone":
            people_store.add_phones(conn, account, person_id, wanted)
        else:
            people_store.add_links(conn, account, person_id, wanted)
        return people_store.load_people(conn, account, ids=[person_id])[0]


def prune(garden: Garden, reference: str, reason: str | None = None) -> Person:
    """Archive a person: out of feed, weed and share; history kept; reversible."""
    return prune_many(garden, [reference], reason)[0]


def prune_many(
    garden: Garden, references: Sequence[str], reason: str | None = None
) -> list[Person]:
    """Prune several people in one transaction: all of them or, on any error, none."""
    clean_reason = inputs.optional_text("reason", reason)
    with garden.transaction() as conn:
        ids = list(dict.fromkeys(inputs.resolve(conn, garden.account_id, r) for r in references))
        for person in people_store.load_people(conn, garden.account_id, ids=ids):
            if person.state is PersonState.PRUNED:
                raise KithError(f"{person.name} is already pruned")
        for person_id in ids:
            people_store.update_person(
                conn,
                garden.account_id,
                person_id,
                {
                    "state": PersonState.PRUNED,
                    "pruned_reason": clean_reason,
                    "pruned_on": garden.today,
                },
            )
            # What I shared of them is held back from the group on every read from now on
            # (core.share_revet: pruned, not vouched for), and shown again if restored.
        pruned = {p.id: p for p in people_store.load_people(conn, garden.account_id, ids=ids)}
        return [pruned[i] for i in ids]


def tag_many(
    garden: Garden, references: Sequence[str], kind: TagKind, values: Sequence[str]
) -> list[Person]:
    """Add the same interests, needs or offers to several people in one transaction.

    All of them or, on any error, none; tags they already have stay as they are.
    """
    clean = inputs.tag_list(kind.value, values)
    if not clean:
        raise InvalidInput(kind.value, f"type at least one {kind.value} to add")
    with garden.transaction() as conn:
        ids = list(dict.fromkeys(inputs.resolve(conn, garden.account_id, r) for r in references))
        if not ids:
            raise InvalidInput("ids", "choose at least one person")
        for person_id in ids:
            people_store.add_tags(conn, garden.account_id, person_id, kind, clean)
        tagged = {p.id: p for p in people_store.load_people(conn, garden.account_id, ids=ids)}
        return [tagged[i] for i in ids]


def restore(garden: Garden, reference: str) -> Person:
    """Bring a pruned person back into the garden, history intact."""
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        if person.state is not PersonState.PRUNED:
            raise KithError(f"{person.name} is not pruned")
        people_store.update_person(
            conn,
            garden.account_id,
            person_id,
            {"state": PersonState.ACTIVE, "pruned_reason": None, "pruned_on": None},
        )
        return people_store.load_people(conn, garden.account_id, ids=[person_id])[0]


@dataclass(frozen=True)
class Forgotten:
    """Who was forgotten, and how many rows of each kind went with them."""

    name: str
    person_id: int
    removed: dict[str, int]


def forget(garden: Garden, reference: str, *, confirmed: bool) -> Forgotten:
    """Remove every trace of a person. Unlike prune, this cannot be undone."""
    if not confirmed:
        raise ConfirmationNeeded("confirm", "forget removes every trace and cannot be undone")
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        removed = history_store.delete_person(conn, garden.account_id, person_id)
        return Forgotten(person.name, person_id, removed)
