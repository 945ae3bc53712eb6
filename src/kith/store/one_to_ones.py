"""One-to-ones' SQL: who opted in, the rounds, each member's side of a meeting.

A meeting between two members is two rows, one each (distributed by that member's account),
each naming the other as `partner_id`. A member's reads are their own rows, plus the
partner's status on the matching row; feedback is never read for anyone but its writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from kith.store import distribution
from kith.store.tables import (
    accounts,
    community_groups,
    members,
    one_to_ones,
    pairing_rounds,
    tags,
)


@dataclass(frozen=True)
class SideRow:
    """A member's side of a one-to-one, with the partner's login and their side's status."""

    id: int
    round_id: int
    held_on: date
    partner_id: int
    partner: str
    shared: list[str]
    status: str
    met_on: date | None
    feedback: str | None
    partner_status: str | None  # None only if the partner's side is gone


def set_opted_in(conn: Connection, account_id: int, opted_in: bool) -> None:
    """Opt a member in to one-to-one rounds, or out."""
    conn.execute(
        update(members).where(members.c.account_id == account_id).values(one_to_ones=opted_in)
    )


def opted_in(conn: Connection, account_id: int) -> bool:
    """Whether a member is opted in."""
    return bool(
        conn.execute(
            select(members.c.one_to_ones).where(members.c.account_id == account_id)
        ).scalar()
    )


@dataclass(frozen=True)
class PairingRow:
    """A member as a round needs them: whether opted in, whether suspended."""

    account_id: int
    login: str
    opted_in: bool
    suspended: bool


def pairing_rows(conn: Connection, group_id: int) -> list[PairingRow]:
    """Every member of the group with their opt-in and suspension, by login."""
    rows = conn.execute(
        select(
            members.c.account_id,
            accounts.c.name.label("login"),
            members.c.one_to_ones.label("opted_in"),
            members.c.suspended,
        )
        .select_from(members.join(accounts, accounts.c.id == members.c.account_id))
        .where(members.c.group_id == group_id)
        .order_by(accounts.c.name)
    ).all()
    return [PairingRow(**r._mapping) for r in rows]


def own_tags(conn: Connection, account_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Each member's own "me" tags by kind (interest, need, offer), in one query for all."""
    found: dict[int, dict[str, list[str]]] = {a: {} for a in account_ids}
    rows = conn.execute(
        select(tags.c.account_id, tags.c.kind, tags.c.value)
        .where(tags.c.account_id.in_(account_ids), tags.c.person_id.is_(None))
        .order_by(tags.c.account_id, tags.c.id)
    ).all()
    for account_id, kind, value in rows:
        found[int(account_id)].setdefault(str(kind), []).append(str(value))
    return found


def earlier_pairs(conn: Connection, group_id: int) -> set[frozenset[int]]:
    """Every pair of accounts any earlier round of the group put together."""
    rows = conn.execute(
        select(one_to_ones.c.account_id, one_to_ones.c.partner_id)
        .join(pairing_rounds, pairing_rounds.c.id == one_to_ones.c.round_id)
        .where(pairing_rounds.c.group_id == group_id)
    ).all()
    return {frozenset((int(a), int(b))) for a, b in rows}


def lock_rounds(conn: Connection, group_id: int) -> None:
    """Hold the group's row until the transaction ends: rounds are made one at a time, each
    reading the pairs of every round before it."""
    distribution.one_connection_per_node(conn)  # the round reads every shard, then writes
    conn.execute(
        select(community_groups.c.id).where(community_groups.c.id == group_id).with_for_update()
    )


def add_round(
    conn: Connection, group_id: int, held_on: date, made_by: int, sat_out: int | None
) -> int:
    """A new round of the group, and who sat it out; its id."""
    return int(
        conn.execute(
            insert(pairing_rounds)
            .values(group_id=group_id, held_on=held_on, made_by=made_by, sat_out=sat_out)
            .returning(pairing_rounds.c.id)
        ).scalar_one()
    )


def sat_out_last(conn: Connection, group_id: int) -> int | None:
    """Who sat out the group's latest round, if anyone."""
    return conn.execute(
        select(pairing_rounds.c.sat_out)
        .where(pairing_rounds.c.group_id == group_id)
        .order_by(pairing_rounds.c.id.desc())
        .limit(1)
    ).scalar()


def add_sides(conn: Connection, round_id: int, pairs: list[tuple[int, int, list[str]]]) -> None:
    """Both sides of each (a, b, shared) pair of a round, pending."""
    rows = [
        {"account_id": me, "round_id": round_id, "partner_id": other, "shared": shared}
        for a, b, shared in pairs
        for me, other in ((a, b), (b, a))
    ]
    if rows:
        conn.execute(insert(one_to_ones).values(status="pending"), rows)


def _sides() -> Select[Any]:
    return select(
        one_to_ones.c.id,
        one_to_ones.c.round_id,
        pairing_rounds.c.held_on,
        one_to_ones.c.partner_id,
        accounts.c.name.label("partner"),
        one_to_ones.c.shared,
        one_to_ones.c.status,
        one_to_ones.c.met_on,
        one_to_ones.c.feedback,
    ).select_from(
        one_to_ones.join(pairing_rounds, pairing_rounds.c.id == one_to_ones.c.round_id).join(
            accounts, accounts.c.id == one_to_ones.c.partner_id
        )
    )


def _with_partner_status(conn: Connection, account_id: int, rows: list[Any]) -> list[SideRow]:
    """My sides with each partner's status, read from the partners' own rows.

    A second query rather than a self-join: the partner's side lives on the partner's shard,
    and Citus joins distributed tables only on their distribution column.
    """
    rounds = {int(r.round_id) for r in rows}
    theirs = (
        conn.execute(
            select(one_to_ones.c.account_id, one_to_ones.c.round_id, one_to_ones.c.status).where(
                one_to_ones.c.partner_id == account_id, one_to_ones.c.round_id.in_(rounds)
            )
        ).all()
        if rounds
        else []
    )
    status = {(int(a), int(r)): str(s) for a, r, s in theirs}
    sides = []
    for row in rows:
        values = dict(row._mapping)
        values["shared"] = list(values["shared"] or [])
        values["partner_status"] = status.get((int(row.partner_id), int(row.round_id)))
        sides.append(SideRow(**values))
    return sides


def sides_of(conn: Connection, account_id: int) -> list[SideRow]:
    """A member's sides of every one-to-one, newest round first."""
    rows = conn.execute(
        _sides()
        .where(one_to_ones.c.account_id == account_id)
        .order_by(pairing_rounds.c.held_on.desc(), one_to_ones.c.round_id.desc(), accounts.c.name)
    ).all()
    return _with_partner_status(conn, account_id, list(rows))


def side(conn: Connection, account_id: int, side_id: int) -> SideRow | None:
    """One of my sides, by id; None for anyone else's."""
    row = conn.execute(
        _sides().where(one_to_ones.c.account_id == account_id, one_to_ones.c.id == side_id)
    ).first()
    return None if row is None else _with_partner_status(conn, account_id, [row])[0]


def lock_both_sides(conn: Connection, mine: int, partner: int, round_id: int) -> dict[int, str]:
    """Lock both sides of a meeting, lower account first; each account's status, as committed.

    Two partners confirming at once both lock in the same order: the second waits for the
    first to commit and then reads its confirmation, so exactly one of them sees both met.
    """
    # One side at a time, each filtered on its account: Citus locks rows on one shard only.
    statuses: dict[int, str] = {}
    for account, other in sorted(((mine, partner), (partner, mine))):
        status = conn.execute(
            select(one_to_ones.c.status)
            .where(
                one_to_ones.c.account_id == account,
                one_to_ones.c.round_id == round_id,
                one_to_ones.c.partner_id == other,
            )
            .with_for_update()
        ).scalar()
        if status is not None:
            statuses[account] = str(status)
    return statuses


def record(
    conn: Connection,
    account_id: int,
    side_id: int,
    *,
    status: str,
    met_on: date | None,
    feedback: str | None,
    today: date,
) -> None:
    """Record my side: met (on a day) or a no-show, with my private feedback."""
    conn.execute(
        update(one_to_ones)
        .where(one_to_ones.c.account_id == account_id, one_to_ones.c.id == side_id)
        .values(status=status, met_on=met_on, feedback=feedback, recorded_on=today)
    )


def met_on_and_feedback(
    conn: Connection, account_id: int, partner: int, round_id: int
) -> tuple[date | None, str | None, list[str]]:
    """A side's day, feedback and shared interests: for logging it in that member's garden."""
    row = conn.execute(
        select(one_to_ones.c.met_on, one_to_ones.c.feedback, one_to_ones.c.shared).where(
            one_to_ones.c.account_id == account_id,
            one_to_ones.c.partner_id == partner,
            one_to_ones.c.round_id == round_id,
        )
    ).one()
    return row.met_on, row.feedback, list(row.shared or [])


def mark_logged(conn: Connection, account_id: int, partner: int, round_id: int) -> None:
    """Note that a side's meeting is in its member's garden."""
    conn.execute(
        update(one_to_ones)
        .where(
            one_to_ones.c.account_id == account_id,
            one_to_ones.c.partner_id == partner,
            one_to_ones.c.round_id == round_id,
        )
        .values(logged=True)
    )


def held_in_group(conn: Connection, group_id: int) -> list[tuple[str, str]]:
    """(login, login) of every one-to-one both sides confirmed, each once (for the report)."""
    me, them = accounts.alias("me"), accounts.alias("them")
    rows = conn.execute(
        select(me.c.name, them.c.name)
        .select_from(
            one_to_ones.join(pairing_rounds, pairing_rounds.c.id == one_to_ones.c.round_id)
            .join(me, me.c.id == one_to_ones.c.account_id)
            .join(them, them.c.id == one_to_ones.c.partner_id)
        )
        .where(
            pairing_rounds.c.group_id == group_id,
            one_to_ones.c.account_id < one_to_ones.c.partner_id,
            one_to_ones.c.status == "met",
            one_to_ones.c.logged.is_(True),  # set on both sides exactly when both met
        )
    ).all()
    return [(str(a), str(b)) for a, b in rows]


def no_shows_in_group(conn: Connection, group_id: int) -> list[str]:
    """The login of the member missing from each one-to-one their partner marked a no-show."""
    rows = conn.execute(
        select(accounts.c.name)
        .select_from(
            one_to_ones.join(pairing_rounds, pairing_rounds.c.id == one_to_ones.c.round_id).join(
                accounts, accounts.c.id == one_to_ones.c.partner_id
            )
        )
        .where(pairing_rounds.c.group_id == group_id, one_to_ones.c.status == "no-show")
    ).all()
    return [str(r[0]) for r in rows]
