"""The community's SQL: the group, its members, invitations and shared contacts.

Every read of shared contacts is scoped to the member reading: what they shared, or what was
shared with them or with the whole group by a member who is not suspended. Nothing here
reads another member's garden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from kith.store.tables import accounts, community_groups, invitations, members, shared_contacts


@dataclass(frozen=True)
class MemberRow:
    """A member as stored: their account, login, group, role and whether suspended."""

    account_id: int
    login: str
    group_id: int
    group_name: str
    role: str
    suspended: bool


@dataclass(frozen=True)
class InvitationRow:
    """An invitation as stored (its code only as a hash)."""

    id: int
    group_id: int
    role: str
    expires_on: date
    used: bool


@dataclass(frozen=True)
class SharedRow:
    """A contact shared with a member: who shared it, when, with whom, and the snapshot."""

    id: int
    sharer: str
    shared_on: date
    with_me: bool  # with me alone (else with the whole group)
    contact: dict[str, Any]


def the_group(conn: Connection) -> tuple[int, str] | None:
    """The server's one group (id, name), if it has been made."""
    row = conn.execute(select(community_groups.c.id, community_groups.c.name)).first()
    return None if row is None else (int(row.id), str(row.name))


def create_group(conn: Connection, name: str, today: date) -> int | None:
    """Make the group; None when there is one already (its `singleton` is unique).

    ON CONFLICT: a create racing ours waits for it and then finds the group made, rather than
    failing on the unique index. (PostgreSQL only, as is the whole community.)
    """
    made = conn.execute(
        pg_insert(community_groups)
        .values(name=name, singleton=True, created_on=today)
        .on_conflict_do_nothing()
        .returning(community_groups.c.id)
    ).scalar()
    return None if made is None else int(made)


def new_account(conn: Connection, login: str) -> int | None:
    """A new account for `login`; None when the login is taken (also by a join racing ours)."""
    made = conn.execute(
        pg_insert(accounts).values(name=login).on_conflict_do_nothing().returning(accounts.c.id)
    ).scalar()
    return None if made is None else int(made)


def add_member(conn: Connection, group_id: int, account_id: int, role: str, today: date) -> None:
    """Make an account a member of the group in a role."""
    conn.execute(
        insert(members).values(account_id=account_id, group_id=group_id, role=role, joined_on=today)
    )


def _members_query() -> Select[Any]:
    return select(
        members.c.account_id,
        accounts.c.name.label("login"),
        members.c.group_id,
        community_groups.c.name.label("group_name"),
        members.c.role,
        members.c.suspended,
    ).select_from(
        members.join(accounts, accounts.c.id == members.c.account_id).join(
            community_groups, community_groups.c.id == members.c.group_id
        )
    )


def member(conn: Connection, account_id: int) -> MemberRow | None:
    """The member an account is, if it is one."""
    row = conn.execute(_members_query().where(members.c.account_id == account_id)).first()
    return None if row is None else MemberRow(**row._mapping)


def member_by_login(conn: Connection, login: str) -> MemberRow | None:
    """The member with this login, if there is one."""
    row = conn.execute(_members_query().where(accounts.c.name == login)).first()
    return None if row is None else MemberRow(**row._mapping)


def add_invitation(
    conn: Connection,
    group_id: int,
    *,
    code_hash: str,
    role: str,
    made_by: int,
    made_on: date,
    expires_on: date,
) -> int:
    """Store an invitation by its code's hash; its id."""
    return int(
        conn.execute(
            insert(invitations)
            .values(
                group_id=group_id,
                code_hash=code_hash,
                role=role,
                made_by=made_by,
                made_on=made_on,
                expires_on=expires_on,
            )
            .returning(invitations.c.id)
        ).scalar_one()
    )


def invitation(conn: Connection, code_hash: str) -> InvitationRow | None:
    """The invitation with this code's hash, used or not."""
    row = conn.execute(
        select(
            invitations.c.id,
            invitations.c.group_id,
            invitations.c.role,
            invitations.c.expires_on,
            invitations.c.used_by.is_not(None).label("used"),
        ).where(invitations.c.code_hash == code_hash)
    ).first()
    return None if row is None else InvitationRow(**row._mapping)


def claim_invitation(conn: Connection, code_hash: str, account_id: int, today: date) -> bool:
    """Use an unused, unexpired invitation for an account; False when it cannot be.

    One conditional UPDATE: of two joins racing for the same code, PostgreSQL makes the second
    wait on the row and re-check `used_by IS NULL`, so exactly one of them wins.
    """
    claimed = conn.execute(
        update(invitations)
        .where(
            invitations.c.code_hash == code_hash,
            invitations.c.used_by.is_(None),
            invitations.c.expires_on >= today,
        )
        .values(used_by=account_id, used_on=today)
    )
    return claimed.rowcount == 1


def share(
    conn: Connection,
    account_id: int,
    person_id: int,
    *,
    with_account_id: int | None,
    today: date,
    contact: dict[str, Any],
) -> int:
    """Share (or share again, replacing the snapshot) a person with one member or the group."""
    audience = (
        shared_contacts.c.with_account_id.is_(None)
        if with_account_id is None
        else shared_contacts.c.with_account_id == with_account_id
    )
    conn.execute(
        delete(shared_contacts).where(
            shared_contacts.c.account_id == account_id,
            shared_contacts.c.person_id == person_id,
            audience,
        )
    )
    return int(
        conn.execute(
            insert(shared_contacts)
            .values(
                account_id=account_id,
                person_id=person_id,
                with_account_id=with_account_id,
                shared_on=today,
                contact=contact,
            )
            .returning(shared_contacts.c.id)
        ).scalar_one()
    )


def withdraw(conn: Connection, account_id: int, person_id: int) -> int:
    """Withdraw every share of one of my people, from everyone at once; how many."""
    return conn.execute(
        delete(shared_contacts).where(
            shared_contacts.c.account_id == account_id, shared_contacts.c.person_id == person_id
        )
    ).rowcount


def shared_with(conn: Connection, account_id: int, group_id: int) -> list[SharedRow]:
    """What other members of my group, none suspended, share with me or with the group."""
    rows = conn.execute(
        select(
            shared_contacts.c.id,
            accounts.c.name.label("sharer"),
            shared_contacts.c.shared_on,
            shared_contacts.c.with_account_id.is_not(None).label("with_me"),
            shared_contacts.c.contact,
        )
        .select_from(
            shared_contacts.join(
                members, members.c.account_id == shared_contacts.c.account_id
            ).join(accounts, accounts.c.id == shared_contacts.c.account_id)
        )
        .where(
            members.c.group_id == group_id,
            members.c.suspended.is_(False),
            shared_contacts.c.account_id != account_id,
            or_(
                shared_contacts.c.with_account_id.is_(None),
                shared_contacts.c.with_account_id == account_id,
            ),
        )
        .order_by(shared_contacts.c.shared_on.desc(), accounts.c.name, shared_contacts.c.id)
    ).all()
    return [SharedRow(**row._mapping) for row in rows]


def members_of(conn: Connection, group_id: int) -> list[MemberRow]:
    """Every member of the group, by login."""
    rows = conn.execute(
        _members_query().where(members.c.group_id == group_id).order_by(accounts.c.name)
    ).all()
    return [MemberRow(**row._mapping) for row in rows]


def set_suspended(conn: Connection, account_id: int, suspended: bool) -> None:
    """Suspend a member (their shares vanish from every read at once) or reinstate them."""
    conn.execute(
        update(members).where(members.c.account_id == account_id).values(suspended=suspended)
    )


@dataclass(frozen=True)
class MyShareRow:
    """A contact I share: with whom (None: the group), since when, and the name shared."""

    id: int
    person_id: int
    name: str
    with_login: str | None
    shared_on: date


def shares_by(conn: Connection, account_id: int) -> list[MyShareRow]:
    """What I share, newest first: the sharer's own rows only."""
    rows = conn.execute(
        select(
            shared_contacts.c.id,
            shared_contacts.c.person_id,
            shared_contacts.c.contact,
            accounts.c.name.label("with_login"),
            shared_contacts.c.shared_on,
        )
        .select_from(
            shared_contacts.outerjoin(accounts, accounts.c.id == shared_contacts.c.with_account_id)
        )
        .where(shared_contacts.c.account_id == account_id)
        .order_by(shared_contacts.c.shared_on.desc(), shared_contacts.c.id.desc())
    ).all()
    return [
        MyShareRow(r.id, r.person_id, str(r.contact["name"]), r.with_login, r.shared_on)
        for r in rows
    ]
