"""Merging two people into one: their history, details, intros and introductions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, and_, delete, func, or_, select, update

from kith.store import kept_facts
from kith.store.tables import (
    PERSON_HISTORY,
    exchanges,
    intros,
    people,
    person_emails,
    person_links,
    person_phones,
    sync_state,
    tags,
)

# Moved whole; emails are unique per account, so `gone` and `keep` never share one.
_MOVED: tuple[tuple[str, Table], ...] = (
    *((table.name, table) for table in PERSON_HISTORY),
    ("emails", person_emails),
)


def _move(conn: Connection, table: Table, account_id: int, keep: int, gone: int) -> int:
    result = conn.execute(
        update(table)
        .where(table.c.account_id == account_id, table.c.person_id == gone)
        .values(person_id=keep)
    )
    return int(result.rowcount or 0)


def _move_unique(
    conn: Connection, table: Table, key: Any, account_id: int, *, keep: int, gone: int
) -> int:
    """Move rows whose key `keep` lacks; drop the ones `keep` already has (one UPDATE each)."""
    theirs = and_(table.c.account_id == account_id, table.c.person_id == gone)
    kept = select(key).where(table.c.account_id == account_id, table.c.person_id == keep)
    conn.execute(delete(table).where(theirs, key.in_(kept)))
    return int(conn.execute(update(table).where(theirs).values(person_id=keep)).rowcount or 0)


def merge_people(conn: Connection, account_id: int, keep: int, gone: int) -> dict[str, int]:
    """Move everything of `gone` to `keep` and delete `gone`; how many rows of each moved.

    Their introductions to each other go (see `drop_intros_between`; call it first to
    report them).
    """
    drop_intros_between(conn, account_id, keep, gone)
    moved = {label: _move(conn, table, account_id, keep, gone) for label, table in _MOVED}
    tag_key = tags.c.kind + ":" + func.lower(tags.c.value)
    for label, table, key in (
        ("phones", person_phones, person_phones.c.phone_key),
        ("links", person_links, person_links.c.url_key),
        ("tags", tags, tag_key),
    ):
        moved[label] = _move_unique(conn, table, key, account_id, keep=keep, gone=gone)
    moved["intros"] = _move_intros(conn, account_id, keep, gone)
    moved["introduced-through links"] = int(
        conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.via_id == gone, people.c.id != keep)
            .values(via_id=keep)
        ).rowcount
        or 0
    )
    conn.execute(  # nobody is introduced through themselves
        update(people)
        .where(people.c.account_id == account_id, people.c.id == keep, people.c.via_id == gone)
        .values(via_id=None)
    )
    conn.execute(
        delete(sync_state).where(
            sync_state.c.account_id == account_id, sync_state.c.person_id == gone
        )
    )
    kept_facts.forget(conn, account_id, [gone])
    conn.execute(delete(people).where(people.c.account_id == account_id, people.c.id == gone))
    kept_facts.refresh(conn, account_id, [keep])
    return moved


def drop_intros_between(conn: Connection, account_id: int, a: int, b: int) -> tuple[int, int]:
    """Delete the introductions of `a` and `b` to each other, with the gifts they were.

    Once the two are one person such an intro means nothing, and its "introduced to ..."
    gifts would make them introduced to themselves. The gifts are found by the intro they
    name (`intro_id`; migration 0006 filled it in for gifts made before it existed), never
    by their text. Returns (intros, gifts) deleted.
    """
    between = conn.execute(
        select(intros.c.id).where(
            intros.c.account_id == account_id,
            or_(
                and_(intros.c.a_id == a, intros.c.b_id == b),
                and_(intros.c.a_id == b, intros.c.b_id == a),
            ),
        )
    ).all()
    if not between:
        return 0, 0
    ids = [row.id for row in between]
    linked = delete(exchanges).where(
        exchanges.c.account_id == account_id, exchanges.c.intro_id.in_(ids)
    )
    gifts = int(conn.execute(linked).rowcount or 0)
    conn.execute(delete(intros).where(intros.c.account_id == account_id, intros.c.id.in_(ids)))
    kept_facts.refresh(conn, account_id, [a, b])
    return len(ids), gifts


def _move_intros(conn: Connection, account_id: int, keep: int, gone: int) -> int:
    mine = intros.c.account_id == account_id
    moved = 0
    for column in ("a_id", "b_id"):
        result = conn.execute(
            update(intros).where(mine, intros.c[column] == gone).values({column: keep})
        )
        moved += int(result.rowcount or 0)
    return moved
