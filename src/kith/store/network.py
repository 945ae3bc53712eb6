"""Who introduced whom: the lines of the network map."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kith.store.tables import intros, people


def introduced_through(conn: Connection, account_id: int) -> list[tuple[int, int]]:
    """(who introduced, who they introduced to me) for everyone introduced through someone."""
    query = select(people.c.via_id, people.c.id).where(
        people.c.account_id == account_id, people.c.via_id.is_not(None)
    )
    return [(int(via), int(pid)) for via, pid in conn.execute(query)]


def intros_made(conn: Connection, account_id: int) -> list[tuple[int, int, str]]:
    """(a, b, state) of every introduction I proposed or made."""
    query = select(intros.c.a_id, intros.c.b_id, intros.c.state).where(
        intros.c.account_id == account_id
    )
    return [(int(a), int(b), str(state)) for a, b, state in conn.execute(query)]
