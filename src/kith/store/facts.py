"""Facts for a whole garden, set-based: one GROUP BY per table, never a query per person.

This is the SQL twin of `kith.core.summarize.summarize`, which defines what each field
means; `tests/integration/test_facts_sql.py` holds the two to each other on SQLite and
PostgreSQL. The two dialects differ only in date arithmetic and JSON, each hidden in a
small construct below (`days_between`, `json_length`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from kith.core.facts import Facts
from kith.core.model import AskOutcome, Direction, Initiator, InteractionKind
from kith.core.rules import Rules
from kith.store.tables import asks, breaches, exchanges, interactions, people

# exp(-x) for x beyond this is below 1e-300: PostgreSQL raises on underflow, so it is 0.
_MAX_EXPONENT = 690.0


class days_between(FunctionElement[int]):
    """Whole days from `earlier` to `later` (two dates)."""

    type = sa.Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"  # PostgreSQL: date - date is an integer


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class json_length(FunctionElement[int]):
    """The length of a JSON array column."""

    type = sa.Integer()
    name = "json_length"
    inherit_cache = True


@compiles(json_length)
def _json_length_default(element: json_length, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_array_length(CAST({value} AS JSON))"  # works for json and jsonb columns


@compiles(json_length, "sqlite")
def _json_length_sqlite(element: json_length, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_array_length({value})"


def load_facts(
    conn: sa.Connection,
    account_id: int,
    today: date,
    rules: Rules,
    person_ids: Collection[int] | None = None,
) -> dict[int, Facts]:
    """The Facts of every person of the account (or of `person_ids`) as of `today`."""
    day = sa.literal(today, sa.Date)
    base = _people(conn, account_id, today, person_ids)
    found = {
        "interactions": _interaction_rows(conn, account_id, day, rules, person_ids),
        "streak": _streak_rows(conn, account_id, day, person_ids),
        "exchanges": _exchange_rows(conn, account_id, day, person_ids),
        "asks": _ask_rows(conn, account_id, day, person_ids),
        "breaches": _breach_rows(conn, account_id, day, person_ids),
        "topics": _topic_rows(conn, account_id, day, person_ids),
    }
    return {
        pid: _facts(pid, met_on, today, rules, {k: v.get(pid) for k, v in found.items()})
        for pid, met_on in base.items()
    }


Row = Mapping[str, Any]


def _facts(
    pid: int, met_on: date | None, today: date, rules: Rules, rows: Mapping[str, Row | None]
) -> Facts:
    i, x, a, b = (rows[k] or {} for k in ("interactions", "exchanges", "asks", "breaches"))
    streak, topics = rows["streak"] or {}, rows["topics"] or {}
    first_contact: date | None = i.get("first_contact")
    known = [d for d in (met_on, first_contact) if d is not None]
    return Facts(
        person_id=pid,
        today=today,
        known_since=min(known, default=None),
        first_contact=first_contact,
        last_contact=i.get("last_contact"),
        interactions=int(i.get("n") or 0),
        by_me=int(i.get("by_me") or 0),
        by_them=int(i.get("by_them") or 0),
        unanswered_streak=int(streak.get("n") or 0),
        decayed=tuple(float(i.get(f"decayed_{n}") or 0.0) for n in range(len(rules.half_lives))),
        given_count=int(x.get("given_count") or 0),
        given_weight=int(x.get("given_weight") or 0),
        received_count=int(x.get("received_count") or 0),
        received_weight=int(x.get("received_weight") or 0),
        first_given=x.get("first_given"),
        first_received=x.get("first_received"),
        breaches=int(b.get("n") or 0),
        open_breaches=int(b.get("open") or 0),
        last_open_breach=b.get("last_open"),
        asks_open=int(a.get(AskOutcome.OPEN.value) or 0),
        asks_yes=int(a.get(AskOutcome.YES.value) or 0),
        asks_no=int(a.get(AskOutcome.NO.value) or 0),
        asks_ignored=int(a.get(AskOutcome.IGNORED.value) or 0),
        last_topics=tuple(str(t) for t in topics.get("topics") or ()),
        contacts=int(i.get("contacts") or 0),
    )


def _people(
    conn: sa.Connection, account_id: int, today: date, person_ids: Collection[int] | None
) -> dict[int, date | None]:
    stmt = sa.select(people.c.id, people.c.met_on).where(people.c.account_id == account_id)
    if person_ids is not None:
        stmt = stmt.where(people.c.id.in_(list(person_ids)))
    return {
        pid: met_on if met_on is not None and met_on <= today else None
        for pid, met_on in conn.execute(stmt)
    }


def _scoped(table: sa.FromClause, account_id: int, day: Any, ids: Collection[int] | None) -> Any:
    """The WHERE clause every statement shares: this account, up to today, these people."""
    clause = sa.and_(table.c.account_id == account_id, table.c.on <= day)
    if ids is not None:
        clause = sa.and_(clause, table.c.person_id.in_(list(ids)))
    return clause


def _by_person(conn: sa.Connection, stmt: sa.Select[Any]) -> dict[int, Row]:
    return {row["person_id"]: dict(row) for row in conn.execute(stmt).mappings()}


def _count_if(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _is_contact(t: Any) -> Any:
    """They took part: they initiated it, or my outreach was answered."""
    return sa.or_(t.c.by == Initiator.THEM.value, sa.not_(t.c.unanswered))


def _interaction_rows(
    conn: sa.Connection, account_id: int, day: Any, rules: Rules, ids: Collection[int] | None
) -> dict[int, Row]:
    t = interactions
    contact = _is_contact(t)
    weight = sa.case({k.value: rules.weight(k) for k in InteractionKind}, value=t.c.kind, else_=0.0)
    age = days_between(day, t.c.on)
    decayed = []
    for n, half_life in enumerate(rules.half_lives):
        exponent = sa.cast(age, sa.Float) * (math.log(2) / half_life)
        factor = sa.case((exponent > _MAX_EXPONENT, 0.0), else_=sa.func.exp(-exponent))
        decayed.append(sa.func.sum(sa.case((contact, weight * factor))).label(f"decayed_{n}"))
    stmt = (
        sa.select(
            t.c.person_id,
            sa.func.min(t.c.on).label("first_contact"),
            sa.func.max(sa.case((contact, t.c.on))).label("last_contact"),
            sa.func.count().label("n"),
            _count_if(t.c.by == Initiator.ME.value).label("by_me"),
            _count_if(t.c.by == Initiator.THEM.value).label("by_them"),
            _count_if(contact).label("contacts"),
            *decayed,
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _streak_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t, last = interactions, interactions.alias("last_contact")
    latest = (
        sa.select(last.c.person_id, sa.func.max(last.c.on).label("on"))
        .where(_scoped(last, account_id, day, ids), _is_contact(last))
        .group_by(last.c.person_id)
        .subquery()
    )
    stmt = (
        sa.select(t.c.person_id, sa.func.count().label("n"))
        .select_from(t.outerjoin(latest, latest.c.person_id == t.c.person_id))
        .where(
            _scoped(t, account_id, day, ids),
            sa.not_(_is_contact(t)),
            sa.or_(latest.c.on.is_(None), t.c.on > latest.c.on),
        )
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _exchange_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t = exchanges
    given = t.c.direction == Direction.GIVEN.value
    received = t.c.direction == Direction.RECEIVED.value
    stmt = (
        sa.select(
            t.c.person_id,
            _count_if(given).label("given_count"),
            sa.func.sum(sa.case((given, t.c.weight), else_=0)).label("given_weight"),
            _count_if(received).label("received_count"),
            sa.func.sum(sa.case((received, t.c.weight), else_=0)).label("received_weight"),
            sa.func.min(sa.case((given, t.c.on))).label("first_given"),
            sa.func.min(sa.case((received, t.c.on))).label("first_received"),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _ask_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t = asks
    # An outcome dated after today had not happened yet.
    outcome = sa.case((t.c.outcome_on > day, AskOutcome.OPEN.value), else_=t.c.outcome)
    stmt = (
        sa.select(
            t.c.person_id,
            *(_count_if(outcome == o.value).label(o.value) for o in AskOutcome),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _breach_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t = breaches
    still_open = sa.or_(t.c.resolved_on.is_(None), t.c.resolved_on > day)
    stmt = (
        sa.select(
            t.c.person_id,
            sa.func.count().label("n"),
            _count_if(still_open).label("open"),
            sa.func.max(sa.case((still_open, t.c.on))).label("last_open"),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _topic_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t = interactions
    latest_first = sa.func.row_number().over(
        partition_by=t.c.person_id, order_by=(t.c.on.desc(), t.c.id.desc())
    )
    ranked = (
        sa.select(t.c.person_id, t.c.topics, latest_first.label("rank"))
        .where(_scoped(t, account_id, day, ids), json_length(t.c.topics) > 0)
        .subquery()
    )
    stmt = sa.select(ranked.c.person_id, ranked.c.topics).where(ranked.c.rank == 1)
    return _by_person(conn, stmt)
