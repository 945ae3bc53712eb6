"""Notifications' SQL: a member's inbox, written by whoever acted, read by its member only.

Every row belongs to the member notified (`account_id`); every read and every mark is scoped
to that account, so an inbox is one shard on Citus and nobody reads another's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from kith.store.tables import accounts, notifications


@dataclass(frozen=True)
class NotificationRow:
    """A notification as stored, with the acting member's login (None if gone)."""

    id: int
    kind: str
    actor: str | None
    subject: str
    subject_account_id: int | None
    subject_id: int
    parts: dict[str, Any]
    created_on: date
    read_on: date | None


def add(
    conn: Connection,
    account_id: int,
    *,
    kind: str,
    actor_id: int | None,
    subject: str,
    subject_account_id: int | None,
    subject_id: int,
    parts: Mapping[str, str],
    today: date,
) -> int:
    """Put a notification in a member's inbox, unread; its id."""
    return int(
        conn.execute(
            insert(notifications)
            .values(
                account_id=account_id,
                kind=kind,
                actor_id=actor_id,
                subject=subject,
                subject_account_id=subject_account_id,
                subject_id=subject_id,
                parts=dict(parts),
                created_on=today,
            )
            .returning(notifications.c.id)
        ).scalar_one()
    )


def inbox(
    conn: Connection, account_id: int, *, unread_only: bool, limit: int
) -> list[NotificationRow]:
    """A member's notifications, newest first: the unread only, or all of them."""
    query = (
        select(
            notifications.c.id,
            notifications.c.kind,
            accounts.c.name.label("actor"),
            notifications.c.subject,
            notifications.c.subject_account_id,
            notifications.c.subject_id,
            notifications.c.parts,
            notifications.c.created_on,
            notifications.c.read_on,
        )
        .select_from(notifications.outerjoin(accounts, accounts.c.id == notifications.c.actor_id))
        .where(notifications.c.account_id == account_id)
        .order_by(notifications.c.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(notifications.c.read_on.is_(None))
    return [NotificationRow(**row._mapping) for row in conn.execute(query).all()]


def unread_count(conn: Connection, account_id: int) -> int:
    """How many of a member's notifications are unread."""
    return int(
        conn.execute(
            select(func.count()).where(
                notifications.c.account_id == account_id, notifications.c.read_on.is_(None)
            )
        ).scalar_one()
    )


def mark_read(conn: Connection, account_id: int, ids: Sequence[int], today: date) -> int:
    """Mark some of a member's unread notifications read; how many were unread."""
    if not ids:
        return 0
    return conn.execute(
        update(notifications)
        .where(
            notifications.c.account_id == account_id,
            notifications.c.id.in_(list(ids)),
            notifications.c.read_on.is_(None),
        )
        .values(read_on=today)
    ).rowcount
