"""What happened with people: interactions, exchanges, asks, breaches, intros."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, Row, Table, delete, func, insert, or_, select, update

from kith.core.model import (
    Ask,
    AskOutcome,
    AskSize,
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    History,
    Initiator,
    Interaction,
    InteractionKind,
    Intro,
    IntroState,
    Person,
    TheirAsk,
)
from kith.store import kept_facts
from kith.store.tables import (
    PERSON_HISTORY,
    asks,
    breaches,
    exchanges,
    interactions,
    intros,
    people,
    person_emails,
    person_links,
    person_phones,
    tags,
    their_asks,
)


def add_interaction(
    conn: Connection, account_id: int, item: Interaction, source_key: str | None = None
) -> int:
    kept_facts.note_interaction(conn, account_id, item)
    return _insert_item(
        conn, interactions, account_id, item, topics=list(item.topics), source_key=source_key
    )


def add_exchange(conn: Connection, account_id: int, item: Exchange) -> int:
    kept_facts.note_exchange(conn, account_id, item)
    return _insert_item(conn, exchanges, account_id, item)


def add_ask(conn: Connection, account_id: int, item: Ask) -> int:
    kept_facts.note_ask(conn, account_id, item)
    return _insert_item(conn, asks, account_id, item)


def add_breach(conn: Connection, account_id: int, item: Breach) -> int:
    kept_facts.note_breach(conn, account_id, item)
    return _insert_item(conn, breaches, account_id, item)


def add_their_ask(conn: Connection, account_id: int, item: TheirAsk) -> int:
    kept_facts.note_their_ask(conn, account_id, item)
    return _insert_item(conn, their_asks, account_id, item)


def _insert_item(
    conn: Connection, table: Table, account_id: int, item: object, **extra: object
) -> int:
    """Insert a model item, each column from its field of the same name; its new id.

    The id is the database's; `extra` (columns the model has no field for) goes on top.
    """
    values = {
        c.name: getattr(item, c.name)
        for c in table.columns
        if c.name != "id" and hasattr(item, c.name)
    }
    return _insert(conn, table, **{**values, "account_id": account_id, **extra})


def oldest_open_breach(
    conn: Connection, account_id: int, person_id: int, on_or_before: date
) -> Breach | None:
    """The oldest breach of this person still open, dated on or before the given day."""
    row = conn.execute(
        select(breaches)
        .where(
            breaches.c.account_id == account_id,
            breaches.c.person_id == person_id,
            breaches.c.resolved_on.is_(None),
            breaches.c.on <= on_or_before,
        )
        .order_by(breaches.c.on, breaches.c.id)
        .limit(1)
    ).first()
    return None if row is None else _breach(row)


def mend_breach(
    conn: Connection, account_id: int, breach_id: int, on: date, resolution: str
) -> None:
    """Record that a breach was made right, when and how."""
    conn.execute(
        update(breaches)
        .where(breaches.c.account_id == account_id, breaches.c.id == breach_id)
        .values(resolved_on=on, resolution=resolution)
    )
    person = select(breaches.c.person_id).where(breaches.c.id == breach_id)
    kept_facts.refresh(conn, account_id, list(conn.execute(person).scalars()))


def _insert(conn: Connection, table: Table, **values: object) -> int:
    return int(conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def last_open_ask(conn: Connection, account_id: int, person_id: int) -> Ask | None:
    row = conn.execute(
        select(asks)
        .where(
            asks.c.account_id == account_id,
            asks.c.person_id == person_id,
            asks.c.outcome == AskOutcome.OPEN,
        )
        .order_by(asks.c.on.desc(), asks.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _ask(row)


def set_ask_outcome(conn: Connection, ask_id: int, outcome: AskOutcome, on: date) -> None:
    conn.execute(update(asks).where(asks.c.id == ask_id).values(outcome=outcome, outcome_on=on))
    for account_id, person_id in conn.execute(
        select(asks.c.account_id, asks.c.person_id).where(asks.c.id == ask_id)
    ):
        kept_facts.refresh(conn, account_id, [person_id])


def load_history(conn: Connection, account_id: int, person: Person) -> History:
    """One person's whole history, oldest first."""

    def rows(table: Table) -> Sequence[Row]:  # type: ignore[type-arg]
        return conn.execute(
            select(table)
            .where(table.c.account_id == account_id, table.c.person_id == person.id)
            .order_by(table.c.on, table.c.id)
        ).all()

    intro_rows = conn.execute(
        select(intros)
        .where(
            intros.c.account_id == account_id,
            or_(intros.c.a_id == person.id, intros.c.b_id == person.id),
        )
        .order_by(intros.c.proposed_on, intros.c.id)
    ).all()
    return History(
        person=person,
        interactions=tuple(_interaction(r) for r in rows(interactions)),
        exchanges=tuple(_exchange(r) for r in rows(exchanges)),
        asks=tuple(_ask(r) for r in rows(asks)),
        breaches=tuple(_breach(r) for r in rows(breaches)),
        intros=tuple(_intro(r) for r in intro_rows),
        their_asks=tuple(_their_ask(r) for r in rows(their_asks)),
    )


def _interaction(row: Row) -> Interaction:  # type: ignore[type-arg]
    return Interaction(
        id=row.id,
        person_id=row.person_id,
        on=row.on,
        kind=InteractionKind(row.kind),
        by=Initiator(row.by),
        unanswered=bool(row.unanswered),
        topics=tuple(row.topics or ()),
        note=row.note,
    )


def _exchange(row: Row) -> Exchange:  # type: ignore[type-arg]
    return Exchange(
        id=row.id,
        person_id=row.person_id,
        on=row.on,
        direction=Direction(row.direction),
        what=row.what,
        kind=ExchangeKind(row.kind),
        weight=row.weight,
        intro_id=row.intro_id,
    )


def _ask(row: Row) -> Ask:  # type: ignore[type-arg]
    return Ask(
        id=row.id,
        person_id=row.person_id,
        on=row.on,
        what=row.what,
        size=AskSize(row.size),
        pitch=bool(row.pitch),
        ready=bool(row.ready),
        outcome=AskOutcome(row.outcome),
        outcome_on=row.outcome_on,
    )


def _breach(row: Row) -> Breach:  # type: ignore[type-arg]
    return Breach(
        id=row.id,
        person_id=row.person_id,
        on=row.on,
        what=row.what,
        resolved_on=row.resolved_on,
        resolution=row.resolution,
    )


def _their_ask(row: Row) -> TheirAsk:  # type: ignore[type-arg]
    return TheirAsk(
        id=row.id,
        person_id=row.person_id,
        on=row.on,
        what=row.what,
        pitch=bool(row.pitch),
        premature=bool(row.premature),
    )


def _intro(row: Row) -> Intro:  # type: ignore[type-arg]
    return Intro(
        id=row.id,
        a_id=row.a_id,
        b_id=row.b_id,
        why=row.why,
        state=IntroState(row.state),
        proposed_on=row.proposed_on,
        asked_a_on=row.asked_a_on,
        asked_b_on=row.asked_b_on,
        accepted_on=row.accepted_on,
        made_on=row.made_on,
        outcome=row.outcome,
        outcome_on=row.outcome_on,
    )


# Everything that hangs off a person, in the order it must go when they are forgotten.
_PERSON_TABLES: tuple[tuple[str, Table], ...] = (
    ("emails", person_emails),
    ("phones", person_phones),
    ("links", person_links),
    ("tags", tags),
    *((table.name, table) for table in PERSON_HISTORY),
)


def delete_person(conn: Connection, account_id: int, person_id: int) -> dict[str, int]:
    """Remove every trace of a person; return how many rows of each kind went."""
    sides = select(intros.c.a_id, intros.c.b_id).where(
        intros.c.account_id == account_id,
        or_(intros.c.a_id == person_id, intros.c.b_id == person_id),
    )
    # The other side of each intro loses its record of it (below): their facts change too.
    others = {pid for row in conn.execute(sides) for pid in row} - {person_id}
    kept_facts.forget(conn, account_id, [person_id])
    removed: dict[str, int] = {}
    # people.via_id has no ON DELETE SET NULL (Citus refuses it, docs/scale.md): others
    # introduced through this person keep their history but lose the link, here.
    unlinked = conn.execute(
        update(people)
        .where(people.c.account_id == account_id, people.c.via_id == person_id)
        .values(via_id=None)
    ).rowcount
    for label, table in _PERSON_TABLES:
        result = conn.execute(
            delete(table).where(table.c.account_id == account_id, table.c.person_id == person_id)
        )
        removed[label] = int(result.rowcount or 0)
    theirs = select(intros.c.id).where(
        intros.c.account_id == account_id,
        or_(intros.c.a_id == person_id, intros.c.b_id == person_id),
    )
    # A made intro is help given to both sides: the other side's record of it goes too.
    result = conn.execute(
        delete(exchanges).where(
            exchanges.c.account_id == account_id, exchanges.c.intro_id.in_(theirs)
        )
    )
    removed["exchanges"] += int(result.rowcount or 0)
    result = conn.execute(
        delete(intros).where(
            intros.c.account_id == account_id,
            or_(intros.c.a_id == person_id, intros.c.b_id == person_id),
        )
    )
    removed["intros"] = int(result.rowcount or 0)
    conn.execute(delete(people).where(people.c.account_id == account_id, people.c.id == person_id))
    kept_facts.refresh(conn, account_id, others)
    removed["introduced-through links"] = int(unlinked or 0)
    return removed


def count_rows(conn: Connection, table: Table, account_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(table).where(table.c.account_id == account_id)
        ).scalar_one()
    )


def add_intro(conn: Connection, account_id: int, item: Intro) -> int:
    return _insert(
        conn,
        intros,
        account_id=account_id,
        a_id=item.a_id,
        b_id=item.b_id,
        why=item.why,
        state=item.state,
        proposed_on=item.proposed_on,
    )


def load_intro(conn: Connection, account_id: int, intro_id: int) -> Intro | None:
    row = conn.execute(
        select(intros).where(intros.c.account_id == account_id, intros.c.id == intro_id)
    ).first()
    return None if row is None else _intro(row)


def save_intro(conn: Connection, account_id: int, item: Intro) -> None:
    conn.execute(
        update(intros)
        .where(intros.c.account_id == account_id, intros.c.id == item.id)
        .values(
            state=item.state,
            asked_a_on=item.asked_a_on,
            asked_b_on=item.asked_b_on,
            accepted_on=item.accepted_on,
            made_on=item.made_on,
            outcome=item.outcome,
            outcome_on=item.outcome_on,
        )
    )


def list_intros(conn: Connection, account_id: int) -> list[Intro]:
    rows = conn.execute(
        select(intros)
        .where(intros.c.account_id == account_id)
        .order_by(intros.c.proposed_on.desc(), intros.c.id.desc())
    )
    return [_intro(row) for row in rows]
