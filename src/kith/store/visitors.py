"""Visitors' SQL: guests a member invites to a group meeting, and whether they came."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update

from kith.store.tables import accounts, members, visitors


@dataclass(frozen=True)
class VisitorRow:
    """A guest as stored, on their inviter's account."""

    id: int
    name: str
    email: str | None
    meeting_on: date
    status: str
    invited_on: date
    marked_on: date | None


_COLUMNS = (
    visitors.c.id,
    visitors.c.name,
    visitors.c.email,
    visitors.c.meeting_on,
    visitors.c.status,
    visitors.c.invited_on,
    visitors.c.marked_on,
)


def add(
    conn: Connection,
    account_id: int,
    *,
    name: str,
    email: str | None,
    meeting_on: date,
    today: date,
) -> int:
    """Invite a guest to a meeting; the invitation's id."""
    return int(
        conn.execute(
            insert(visitors)
            .values(
                account_id=account_id,
                name=name,
                email=email,
                meeting_on=meeting_on,
                status="invited",
                invited_on=today,
            )
            .returning(visitors.c.id)
        ).scalar_one()
    )


def mine_for_update(conn: Connection, account_id: int, visitor_id: int) -> VisitorRow | None:
    """A guest I invited, locked until the transaction ends; None for anyone else's."""
    row = conn.execute(
        select(*_COLUMNS)
        .where(visitors.c.account_id == account_id, visitors.c.id == visitor_id)
        .with_for_update()
    ).first()
    return None if row is None else VisitorRow(**row._mapping)


def mark(conn: Connection, account_id: int, visitor_id: int, status: str, today: date) -> None:
    """Mark whether a guest came."""
    conn.execute(
        update(visitors)
        .where(visitors.c.account_id == account_id, visitors.c.id == visitor_id)
        .values(status=status, marked_on=today)
    )


def of_member(conn: Connection, account_id: int) -> list[VisitorRow]:
    """The guests I invited, newest meeting first."""
    rows = conn.execute(
        select(*_COLUMNS)
        .where(visitors.c.account_id == account_id)
        .order_by(visitors.c.meeting_on.desc(), visitors.c.id.desc())
    ).all()
    return [VisitorRow(**r._mapping) for r in rows]


def of_group(conn: Connection, group_id: int) -> list[tuple[str, str]]:
    """(inviter's login, status) of every guest members of the group invited (the report)."""
    rows = conn.execute(
        select(accounts.c.name, visitors.c.status)
        .select_from(
            visitors.join(members, members.c.account_id == visitors.c.account_id).join(
                accounts, accounts.c.id == visitors.c.account_id
            )
        )
        .where(members.c.group_id == group_id)
    ).all()
    return [(str(a), str(s)) for a, s in rows]
