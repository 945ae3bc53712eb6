"""Intro requests' SQL: the requester's row, who answers it now, and its state.

A request is the requester's row (distributed by their account). Making one, and the
requester's own list, are single-shard; the inbox of whoever answers now (`waiting_on`,
indexed) and an answer by id read every shard, as a referral's receiver does (docs/scale.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update

from kith.store.tables import accounts, intro_requests


@dataclass(frozen=True)
class RequestRow:
    """An intro request as stored, with the requester's login."""

    account_id: int
    requester: str
    id: int
    target_name: str
    reason: str
    steps: list[dict[str, Any]]
    step: int
    waiting_on: int | None
    status: str
    notes: list[dict[str, Any]]
    details: dict[str, Any] | None
    made_on: date
    expires_on: date
    closed_on: date | None


_COLUMNS = (
    intro_requests.c.account_id,
    accounts.c.name.label("requester"),
    intro_requests.c.id,
    intro_requests.c.target_name,
    intro_requests.c.reason,
    intro_requests.c.steps,
    intro_requests.c.step,
    intro_requests.c.waiting_on,
    intro_requests.c.status,
    intro_requests.c.notes,
    intro_requests.c.details,
    intro_requests.c.made_on,
    intro_requests.c.expires_on,
    intro_requests.c.closed_on,
)
_FROM = intro_requests.join(accounts, accounts.c.id == intro_requests.c.account_id)


def _query() -> Select[Any]:
    return select(*_COLUMNS).select_from(_FROM)


def _row(found: Row[Any]) -> RequestRow:
    return RequestRow(**found._mapping)


def add(
    conn: Connection,
    account_id: int,
    *,
    target_name: str,
    reason: str,
    steps: list[dict[str, Any]],
    waiting_on: int,
    today: date,
    expires_on: date,
) -> int:
    """Store a new open request, waiting on its first step; its id."""
    return int(
        conn.execute(
            insert(intro_requests)
            .values(
                account_id=account_id,
                target_name=target_name,
                reason=reason,
                steps=steps,
                step=0,
                waiting_on=waiting_on,
                status="open",
                notes=[],
                made_on=today,
                expires_on=expires_on,
            )
            .returning(intro_requests.c.id)
        ).scalar_one()
    )


def open_count(conn: Connection, account_id: int, today: date) -> int:
    """How many of my requests are open and not expired."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(intro_requests)
            .where(
                intro_requests.c.account_id == account_id,
                intro_requests.c.status == "open",
                intro_requests.c.expires_on >= today,
            )
        ).scalar_one()
    )


def made_by(conn: Connection, account_id: int) -> list[RequestRow]:
    """My own requests, newest first."""
    rows = conn.execute(
        _query()
        .where(intro_requests.c.account_id == account_id)
        .order_by(intro_requests.c.id.desc())
    ).all()
    return [_row(r) for r in rows]


def waiting_on(conn: Connection, account_id: int, today: date) -> list[RequestRow]:
    """Open, unexpired requests waiting on me to answer, oldest first."""
    rows = conn.execute(
        _query()
        .where(
            intro_requests.c.waiting_on == account_id,
            intro_requests.c.status == "open",
            intro_requests.c.expires_on >= today,
        )
        .order_by(intro_requests.c.id)
    ).all()
    return [_row(r) for r in rows]


def waiting_for_update(conn: Connection, account_id: int, request_id: int) -> RequestRow | None:
    """A request waiting on me, by id, its row locked until the transaction ends.

    Citus locks rows on one shard only: the requester's account is read first (it never
    changes), then the row is locked on its shard.
    """
    waiting = (intro_requests.c.id == request_id, intro_requests.c.waiting_on == account_id)
    requester = conn.execute(select(intro_requests.c.account_id).where(*waiting)).scalar()
    if requester is None:
        return None
    found = conn.execute(
        _query()
        .where(intro_requests.c.account_id == requester, *waiting)
        .with_for_update(of=intro_requests)
    ).first()
    return None if found is None else _row(found)


def move(
    conn: Connection,
    row: RequestRow,
    *,
    step: int,
    waiting_on: int | None,
    status: str,
    notes: list[dict[str, Any]],
    details: dict[str, Any] | None = None,
    closed_on: date | None = None,
) -> None:
    """Write a request's next state (keyed by its requester's account and id)."""
    conn.execute(
        update(intro_requests)
        .where(intro_requests.c.account_id == row.account_id, intro_requests.c.id == row.id)
        .values(
            step=step,
            waiting_on=waiting_on,
            status=status,
            notes=notes,
            details=details,
            closed_on=closed_on,
        )
    )
