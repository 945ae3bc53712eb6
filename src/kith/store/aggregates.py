"""Garden-wide aggregates for stats and the feed, each one set-based statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, insert, select

from kith.core.model import Direction
from kith.store.tables import asks, exchanges, interactions, people, snoozes


def snoozed_until(conn: Connection, account_id: int, today: date) -> dict[int, date]:
    """The latest snooze still in force, per person."""
    rows = conn.execute(
        select(snoozes.c.person_id, func.max(snoozes.c.until))
        .where(snoozes.c.account_id == account_id, snoozes.c.until > today)
        .group_by(snoozes.c.person_id)
    )
    return {key: value for key, value in rows}  # noqa: C416 - rows are Row objects, not pairs


def interactions_per_day(
    conn: Connection, account_id: int, since: date, today: date
) -> dict[date, int]:
    rows = conn.execute(
        select(interactions.c.on, func.count())
        .where(
            interactions.c.account_id == account_id,
            interactions.c.on >= since,
            interactions.c.on <= today,
        )
        .group_by(interactions.c.on)
    )
    return {key: value for key, value in rows}  # noqa: C416 - rows are Row objects, not pairs


def people_per_day(conn: Connection, account_id: int, since: date, today: date) -> dict[date, int]:
    seeded = func.coalesce(people.c.met_on, people.c.created_on)
    rows = conn.execute(
        select(seeded, func.count())
        .where(people.c.account_id == account_id, seeded >= since, seeded <= today)
        .group_by(seeded)
    )
    return {key: value for key, value in rows}  # noqa: C416 - rows are Row objects, not pairs


def people_before(conn: Connection, account_id: int, since: date) -> int:
    seeded = func.coalesce(people.c.met_on, people.c.created_on)
    return int(
        conn.execute(
            select(func.count())
            .select_from(people)
            .where(people.c.account_id == account_id, seeded < since)
        ).scalar_one()
    )


def my_asks_and_gifts(
    conn: Connection, account_id: int, start: date, today: date
) -> dict[str, int]:
    """Counts for the mirror: my asks and pitches, help given and received, people helped."""
    ask_row = conn.execute(
        select(
            func.count(), func.coalesce(func.sum(asks.c.pitch.cast(type_=people.c.id.type)), 0)
        ).where(asks.c.account_id == account_id, asks.c.on > start, asks.c.on <= today)
    ).one()
    in_window = (exchanges.c.on > start) & (exchanges.c.on <= today)
    given = exchanges.c.direction == Direction.GIVEN
    mine = exchanges.c.account_id == account_id
    # Each reads ix_exchanges_account_direction_person alone: one direction's entries, in
    # person order, so the distinct people need no sort.
    given_row = conn.execute(
        select(func.count(), func.count(func.distinct(exchanges.c.person_id))).where(
            mine, given, in_window
        )
    ).one()
    received = conn.execute(
        select(func.count())
        .select_from(exchanges)
        .where(mine, exchanges.c.direction == Direction.RECEIVED, in_window)
    ).scalar_one()
    helped_ever = conn.execute(
        select(func.count(func.distinct(exchanges.c.person_id))).where(
            mine, given, exchanges.c.on <= today
        )
    ).scalar_one()
    return {
        "asks": int(ask_row[0]),
        "pitches": int(ask_row[1]),
        "given": int(given_row[0]),
        "received": int(received),
        "people_helped": int(given_row[1]),
        "people_helped_ever": int(helped_ever),
    }


def add_snooze(conn: Connection, account_id: int, person_id: int, until: date) -> None:
    """Push a person's next feed back to `until` without logging a contact."""
    conn.execute(insert(snoozes).values(account_id=account_id, person_id=person_id, until=until))
