"""The SQL behind the community's trust graph: who the members are, what is shared, who knows whom.

Read on demand (docs/trust.md, "In the group", says why a rebuild on read and what it costs).
Every read is scoped to the group's members who are not suspended; the shares are those the
asking member may see (their own, and those shared with them or with the group). The people
found in members' gardens are only those who *are* a node (another member, by their own
addresses or name, or a contact shared with the group): nothing else of a garden is read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from kith.store.sql_lists import one_of
from kith.store.tables import accounts, members, my_emails, people, person_emails, shared_contacts


@dataclass(frozen=True)
class Identity:
    """A member as a garden may know them: their login, own name and own addresses."""

    account_id: int
    login: str
    me_name: str
    emails: tuple[str, ...]


@dataclass(frozen=True)
class Share:
    """A contact shared by a member, visible to the asker."""

    id: int
    sharer_id: int
    person_id: int  # in the sharer's garden
    contact: dict[str, Any]


@dataclass(frozen=True)
class Known:
    """A person in a member's garden who may be a node: by name key and, if matched, an email."""

    account_id: int
    person_id: int
    name_key: str
    email: str | None


def identities(conn: Connection, group_id: int) -> list[Identity]:
    """The group's members who are not suspended, with their own addresses (`kith me --email`)."""
    rows = conn.execute(
        select(members.c.account_id, accounts.c.name, accounts.c.me_name)
        .select_from(members.join(accounts, accounts.c.id == members.c.account_id))
        .where(members.c.group_id == group_id, members.c.suspended.is_(False))
        .order_by(accounts.c.name)
    ).all()
    ids = [int(r.account_id) for r in rows]
    found: dict[int, list[str]] = {}
    if ids:
        for account_id, email in conn.execute(
            select(my_emails.c.account_id, my_emails.c.email)
            .where(my_emails.c.account_id.in_(ids))
            .order_by(my_emails.c.email)
        ).all():
            found.setdefault(int(account_id), []).append(str(email))
    return [
        Identity(int(r.account_id), str(r.name), str(r.me_name), tuple(found.get(r.account_id, ())))
        for r in rows
    ]


def visible_shares(conn: Connection, account_id: int, group_id: int) -> list[Share]:
    """Shares the member may see: theirs, and others' with them or the group (none suspended)."""
    rows = conn.execute(
        select(
            shared_contacts.c.id,
            shared_contacts.c.account_id,
            shared_contacts.c.person_id,
            shared_contacts.c.contact,
        )
        .select_from(
            shared_contacts.join(members, members.c.account_id == shared_contacts.c.account_id)
        )
        .where(
            members.c.group_id == group_id,
            members.c.suspended.is_(False),
            or_(
                shared_contacts.c.account_id == account_id,
                shared_contacts.c.with_account_id.is_(None),
                shared_contacts.c.with_account_id == account_id,
            ),
        )
        .order_by(shared_contacts.c.account_id, shared_contacts.c.id)
    ).all()
    return [Share(int(r.id), int(r.account_id), int(r.person_id), dict(r.contact)) for r in rows]


def known_in_gardens(
    conn: Connection, group_id: int, name_keys: Collection[str], emails: Collection[str]
) -> list[Known]:
    """Active people in the members' gardens with one of these name keys or emails."""
    in_group = and_(
        members.c.account_id == people.c.account_id,
        members.c.group_id == group_id,
        members.c.suspended.is_(False),
    )
    found: list[Known] = []
    if name_keys:
        for r in conn.execute(
            select(people.c.account_id, people.c.id, people.c.name_key)
            .select_from(people.join(members, in_group))
            .where(people.c.state == "active", one_of(conn, people.c.name_key, sorted(name_keys)))
        ).all():
            found.append(Known(int(r.account_id), int(r.id), str(r.name_key), None))
    if emails:
        for e in conn.execute(
            select(people.c.account_id, people.c.id, people.c.name_key, person_emails.c.email)
            .select_from(
                person_emails.join(
                    people,
                    and_(
                        people.c.id == person_emails.c.person_id,
                        people.c.account_id == person_emails.c.account_id,
                    ),
                ).join(members, in_group)
            )
            .where(people.c.state == "active", one_of(conn, person_emails.c.email, sorted(emails)))
        ).all():
            found.append(Known(int(e.account_id), int(e.id), str(e.name_key), str(e.email)))
    return found
