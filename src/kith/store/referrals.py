"""Referrals' SQL: a member's leads given and received, their status, the group's ledger.

A referral is the giver's row (distributed by the giver's account). Every read for a member
is scoped to referrals they gave or received; the whole group's ledger is read only for the
report, which the app shows line by line to whom it may.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, insert, or_, select, update

from kith.store.tables import accounts, members, referrals


@dataclass(frozen=True)
class ReferralRow:
    """A referral as stored, with the giver's and receiver's logins."""

    id: int
    giver_id: int
    giver: str
    receiver_id: int
    receiver: str
    what: str
    status: str
    value: Decimal | None
    created_on: date
    updated_on: date
    thanked_on: date | None
    thank_you_value: Decimal | None


_giver = accounts.alias("giver")
_receiver = accounts.alias("receiver")


def _query() -> Select[Any]:
    return select(
        referrals.c.id,
        referrals.c.account_id.label("giver_id"),
        _giver.c.name.label("giver"),
        referrals.c.receiver_id,
        _receiver.c.name.label("receiver"),
        referrals.c.what,
        referrals.c.status,
        referrals.c.value,
        referrals.c.created_on,
        referrals.c.updated_on,
        referrals.c.thanked_on,
        referrals.c.thank_you_value,
    ).select_from(
        referrals.join(_giver, _giver.c.id == referrals.c.account_id).join(
            _receiver, _receiver.c.id == referrals.c.receiver_id
        )
    )


def _row(found: Row[Any]) -> ReferralRow:
    return ReferralRow(**found._mapping)


def add(
    conn: Connection,
    giver_id: int,
    receiver_id: int,
    *,
    what: str,
    value: Decimal | None,
    today: date,
) -> int:
    """Store a new referral from giver to receiver; its id."""
    return int(
        conn.execute(
            insert(referrals)
            .values(
                account_id=giver_id,
                receiver_id=receiver_id,
                what=what,
                status="new",
                value=value,
                created_on=today,
                updated_on=today,
            )
            .returning(referrals.c.id)
        ).scalar_one()
    )


def mine(conn: Connection, account_id: int, referral_id: int) -> ReferralRow | None:
    """A referral I gave or received, by id; None for anyone else's (or none at all)."""
    found = conn.execute(
        _query().where(
            referrals.c.id == referral_id,
            or_(referrals.c.account_id == account_id, referrals.c.receiver_id == account_id),
        )
    ).first()
    return None if found is None else _row(found)


def received_for_update(conn: Connection, receiver_id: int, referral_id: int) -> str | None:
    """The status of a referral I received, its row locked until the transaction ends.

    Citus locks rows on one shard only (FOR UPDATE filtered on the distribution column): the
    giver's account is read first (it never changes), then the row is locked on its shard.
    """
    received = (referrals.c.id == referral_id, referrals.c.receiver_id == receiver_id)
    giver = conn.execute(select(referrals.c.account_id).where(*received)).scalar()
    if giver is None:
        return None
    return conn.execute(
        select(referrals.c.status)
        .where(referrals.c.account_id == giver, *received)
        .with_for_update()
    ).scalar()


def move(
    conn: Connection,
    receiver_id: int,
    referral_id: int,
    *,
    status: str,
    today: date,
    thank_you: Decimal | None,
) -> None:
    """Move a referral I received to a status; a won one records the thank-you."""
    values: dict[str, object] = {"status": status, "updated_on": today}
    if status == "won":
        values |= {"thanked_on": today, "thank_you_value": thank_you}
    conn.execute(
        update(referrals)
        .where(referrals.c.id == referral_id, referrals.c.receiver_id == receiver_id)
        .values(values)
    )


def given_or_received(conn: Connection, account_id: int) -> list[ReferralRow]:
    """Every referral I gave or received, newest first."""
    rows = conn.execute(
        _query()
        .where(or_(referrals.c.account_id == account_id, referrals.c.receiver_id == account_id))
        .order_by(referrals.c.created_on.desc(), referrals.c.id.desc())
    ).all()
    return [_row(r) for r in rows]


def of_group(conn: Connection, group_id: int) -> list[ReferralRow]:
    """Every referral between members of the group (for the report only)."""
    giving = members.alias("giving")
    receiving = members.alias("receiving")
    rows = conn.execute(
        _query()
        .join(giving, giving.c.account_id == referrals.c.account_id)
        .join(receiving, receiving.c.account_id == referrals.c.receiver_id)
        .where(giving.c.group_id == group_id, receiving.c.group_id == group_id)
        .order_by(referrals.c.id)
    ).all()
    return [_row(r) for r in rows]
