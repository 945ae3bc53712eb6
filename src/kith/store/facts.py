"""Facts for a whole garden, set-based: one GROUP BY per table, never a query per person.

This is the SQL twin of `kith.core.summarize.summarize`, which defines what each field
means; `tests/integration/test_facts_sql.py` holds the two to each other on SQLite and
PostgreSQL. The two dialects differ only in date arithmetic and JSON, each hidden in a
small construct below (`decay`, `json_length`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from kith.core.facts import Facts, known_since, last_contact
from kith.core.kept_facts import KeptFacts, facts_on, rules_key
from kith.core.model import AskOutcome, Direction, Initiator, InteractionKind
from kith.core.rules import Rules
from kith.store.bulk import CHUNK
from kith.store.kept_facts import KEPT_COLUMNS, kept_key, kept_of_values
from kith.store.sql_lists import one_of
from kith.store.tables import (
    asks,
    breaches,
    exchanges,
    interactions,
    people,
    person_facts,
    their_asks,
)

# exp(-x) for x beyond this is below 1e-300: PostgreSQL raises on underflow, so it is 0.
_MAX_EXPONENT = 690.0


class decay(FunctionElement[float]):
    """0.5 ** (age / half_life), the age being whole days from a date column to `today`.

    Written exp(-age * ln 2 / half_life), as the pure-Python twin computes it to within
    rounding. Each dialect gets the cheapest exact form of the age: on SQLite dates are
    ISO strings, so one julianday() per row against today's Julian day number as a
    constant; on PostgreSQL `date - date` is already whole days.
    """

    type = sa.Float()
    name = "decay"
    inherit_cache = True

    def __init__(self, on: Any, today: date, half_life: float) -> None:
        # Every value is a bound parameter, so a cached compiled statement stays right.
        super().__init__(
            on,
            sa.literal(today, sa.Date),
            sa.literal(_julian_day(today), sa.Float),
            sa.literal(math.log(2) / half_life, sa.Float),
        )


@compiles(decay)
def _decay_default(element: decay, compiler: SQLCompiler, **kw: Any) -> str:
    on, today, _, rate = (compiler.process(c, **kw) for c in element.clauses)
    exponent = f"(CAST({today} - {on} AS DOUBLE PRECISION) * {rate})"
    # exp(-x) for x beyond _MAX_EXPONENT is below 1e-300, and PostgreSQL raises on underflow.
    return f"(CASE WHEN {exponent} > {_MAX_EXPONENT} THEN 0.0 ELSE exp(-{exponent}) END)"


@compiles(decay, "sqlite")
def _decay_sqlite(element: decay, compiler: SQLCompiler, **kw: Any) -> str:
    on, _, julian_today, rate = (compiler.process(c, **kw) for c in element.clauses)
    # julianday() of a date is a whole number plus .5, so the difference is exact; SQLite's
    # exp() quietly underflows to 0.0.
    return f"exp((julianday({on}) - {julian_today}) * {rate})"


def _julian_day(day: date) -> float:
    """The Julian day number of midnight at the start of `day`, as SQLite's julianday()."""
    return day.toordinal() + 1721424.5


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
    *,
    topics: bool = True,
) -> dict[int, Facts]:
    """The Facts of every person of the account (or of `person_ids`) as of `today`.

    They come from the kept rows (`person_facts`, one per person); a person with anything
    dated after `today` (a read in the past), or an account kept under other rules, is
    computed from the history instead (`computed_facts`). With `topics=False`,
    `last_topics` is left empty: the rules that rank and flag people never read it, and
    finding it costs a window over every interaction that has topics.
    """
    if kept_key(conn, account_id) != rules_key(rules):
        return _computed_for(conn, account_id, today, rules, person_ids, topics=topics)
    stmt = sa.select(
        people.c.id, people.c.met_on, person_facts.c.latest_on, *KEPT_COLUMNS
    ).select_from(
        people.outerjoin(
            person_facts,
            sa.and_(
                person_facts.c.account_id == people.c.account_id,
                person_facts.c.person_id == people.c.id,
            ),
        )
    )
    stmt = stmt.where(people.c.account_id == account_id)
    if person_ids is not None:  # only theirs, by the primary key: weeds can be thousands
        stmt = stmt.where(one_of(conn, people.c.id, sorted(person_ids)))
    found: dict[int, Facts | None] = {}
    for pid, met_on, latest_on, *values in conn.execute(stmt):
        if latest_on is not None and latest_on > today:
            found[pid] = None  # something after today: computed from the history below
            continue
        # No row: no history yet (every kept row has an interaction count, never NULL).
        kept = KeptFacts(pid) if values[1] is None else kept_of_values(pid, values)
        found[pid] = facts_on(kept, met_on, today, rules)
    later = [pid for pid, facts in found.items() if facts is None]
    computed = _computed_for(conn, account_id, today, rules, later, topics=False) if later else {}
    result = {pid: facts or computed[pid] for pid, facts in found.items()}
    if topics:
        few = person_ids if person_ids is None or len(person_ids) <= CHUNK else None
        for pid, last in load_last_topics(conn, account_id, today, few).items():
            if pid in result:
                result[pid] = dataclasses.replace(result[pid], last_topics=last)
    return result


def _computed_for(
    conn: sa.Connection,
    account_id: int,
    today: date,
    rules: Rules,
    person_ids: Collection[int] | None,
    *,
    topics: bool,
) -> dict[int, Facts]:
    """`computed_facts` of `person_ids`; past one IN-list, of everyone, then kept to those
    (its queries put the ids in several IN clauses: a long list would pass the driver's
    bound-parameter limit)."""
    if person_ids is None or len(person_ids) <= CHUNK:
        return computed_facts(conn, account_id, today, rules, person_ids, topics=topics)
    wanted = set(person_ids)
    everyone = computed_facts(conn, account_id, today, rules, None, topics=topics)
    return {pid: facts for pid, facts in everyone.items() if pid in wanted}


def computed_facts(
    conn: sa.Connection,
    account_id: int,
    today: date,
    rules: Rules,
    person_ids: Collection[int] | None = None,
    *,
    topics: bool = True,
) -> dict[int, Facts]:
    """`load_facts` computed from the whole history, set-based: the reads before the kept rows."""
    day = sa.literal(today, sa.Date)
    base = _people(conn, account_id, day, person_ids)
    found = {
        "interactions": _interaction_rows(conn, account_id, today, rules, person_ids),
        "exchanges": _exchange_rows(conn, account_id, today, rules, person_ids),
        "asks": _ask_rows(conn, account_id, today, rules, person_ids),
        "breaches": _breach_rows(conn, account_id, day, person_ids),
        "theirs": _their_ask_rows(conn, account_id, day, person_ids),
        "topics": _topic_rows(conn, account_id, day, person_ids) if topics else {},
    }
    empty: Row = {}
    tables = list(found.values())
    return {
        person[0]: _facts(person, today, rules, *(rows.get(person[0], empty) for rows in tables))
        for person in base
    }


def load_last_topics(
    conn: sa.Connection, account_id: int, today: date, person_ids: Collection[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """`Facts.last_topics` alone, for people whose facts were loaded without topics."""
    rows = _topic_rows(conn, account_id, sa.literal(today, sa.Date), person_ids)
    return {pid: tuple(str(t) for t in row["topics"] or ()) for pid, row in rows.items()}


Row = Mapping[str, Any]
# id, met_on, last answered contact, unanswered streak, last unanswered outreach
PersonRow = tuple[int, date | None, date | None, int | None, date | None]


def _facts(  # noqa: PLR0917 - one row of each statement
    person: PersonRow,
    today: date,
    rules: Rules,
    i: Row,
    x: Row,
    a: Row,
    b: Row,
    theirs: Row,
    topics: Row,
) -> Facts:
    pid, met_on, answered, streak, last_outreach = person
    last_intro: date | None = x.get("last_intro")
    first_contact: date | None = i.get("first_contact")
    n = int(i.get("n") or 0)
    by_me = int(i.get("by_me") or 0)
    return Facts(
        person_id=pid,
        today=today,
        known_since=known_since(met_on, first_contact, today),
        first_contact=first_contact,
        last_contact=last_contact(answered, last_intro),
        interactions=n,
        by_me=by_me,
        by_them=n - by_me,  # `by` is me or them
        unanswered_streak=int(streak or 0),
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
        evidence_contacts=float(i.get("evidence") or 0.0),
        evidence_received=float(x.get("evidence") or 0.0),
        evidence_yes=float(a.get("evidence") or 0.0),
        their_asks=int(theirs.get("asks") or 0),
        their_pitches=int(theirs.get("pitches") or 0),
        premature_pitches=int(theirs.get("premature") or 0),
        last_premature_pitch=theirs.get("last_premature"),
        last_intro=last_intro,
        last_outreach=last_outreach,
        last_mended=b.get("last_mended"),
    )


def _people(
    conn: sa.Connection, account_id: int, day: Any, person_ids: Collection[int] | None
) -> list[PersonRow]:
    """Each person with met_on, their last contact and their unanswered streak.

    The last two are index look-ups per person on (person_id, on), in one statement: the
    latest contact is found walking back from today (usually the first row it meets), and
    the streak counts only the rows after it.
    """
    t, c = interactions.alias("i"), interactions.alias("c")
    mine = sa.and_(t.c.person_id == people.c.id, _scoped(t, account_id, day, None))
    latest = (
        sa.select(c.c.on)
        .where(c.c.person_id == people.c.id, _scoped(c, account_id, day, None), _is_contact(c))
        .order_by(c.c.on.desc())
        .limit(1)
        .correlate(people)
        .scalar_subquery()
    )
    never = sa.literal(date.min, sa.Date)
    unanswered = sa.and_(mine, sa.not_(_is_contact(t)), t.c.on > sa.func.coalesce(latest, never))
    streak = sa.select(sa.func.count()).where(unanswered).correlate(people).scalar_subquery()
    outreach = sa.select(sa.func.max(t.c.on)).where(unanswered).correlate(people).scalar_subquery()
    stmt = sa.select(people.c.id, people.c.met_on, latest, streak, outreach).where(
        people.c.account_id == account_id
    )
    if person_ids is not None:
        stmt = stmt.where(people.c.id.in_(list(person_ids)))
    return [(pid, met_on, last, n, out) for pid, met_on, last, n, out in conn.execute(stmt)]


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
    conn: sa.Connection, account_id: int, today: date, rules: Rules, ids: Collection[int] | None
) -> dict[int, Row]:
    """One pass over the interactions: counts, the first one, and the decayed sums."""
    t, day = interactions, sa.literal(today, sa.Date)
    contact = _is_contact(t)
    weight = sa.case({k.value: rules.weight(k) for k in InteractionKind}, value=t.c.kind, else_=0.0)
    decayed = [
        sa.func.sum(sa.case((contact, weight * decay(t.c.on, today, h)))).label(f"decayed_{n}")
        for n, h in enumerate(rules.half_lives)
    ]
    evidence = sa.case(
        (t.c.by == Initiator.THEM.value, rules.contact_evidence(by_them=True)),
        else_=rules.contact_evidence(by_them=False),
    )
    trust_decay = decay(t.c.on, today, rules.trust_half_life)
    stmt = (
        sa.select(
            t.c.person_id,
            sa.func.min(t.c.on).label("first_contact"),
            sa.func.count().label("n"),
            _count_if(t.c.by == Initiator.ME.value).label("by_me"),
            _count_if(contact).label("contacts"),
            *decayed,
            sa.func.sum(sa.case((contact, evidence * trust_decay))).label("evidence"),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _exchange_rows(
    conn: sa.Connection, account_id: int, today: date, rules: Rules, ids: Collection[int] | None
) -> dict[int, Row]:
    t, day = exchanges, sa.literal(today, sa.Date)
    given = t.c.direction == Direction.GIVEN.value
    trust_decay = decay(t.c.on, today, rules.trust_half_life)
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
            sa.func.sum(sa.case((received, t.c.weight * trust_decay))).label("evidence"),
            sa.func.max(sa.case((sa.and_(given, t.c.intro_id.is_not(None)), t.c.on))).label(
                "last_intro"
            ),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _ask_rows(
    conn: sa.Connection, account_id: int, today: date, rules: Rules, ids: Collection[int] | None
) -> dict[int, Row]:
    t, day = asks, sa.literal(today, sa.Date)
    # An outcome dated after today had not happened yet.
    outcome = sa.case((t.c.outcome_on > day, AskOutcome.OPEN.value), else_=t.c.outcome)
    honoured = decay(sa.func.coalesce(t.c.outcome_on, t.c.on), today, rules.trust_half_life)
    stmt = (
        sa.select(
            t.c.person_id,
            *(_count_if(outcome == o.value).label(o.value) for o in AskOutcome),
            sa.func.sum(sa.case((outcome == AskOutcome.YES.value, honoured))).label("evidence"),
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
            sa.func.max(sa.case((t.c.resolved_on <= day, t.c.resolved_on))).label("last_mended"),
        )
        .where(_scoped(t, account_id, day, ids))
        .group_by(t.c.person_id)
    )
    return _by_person(conn, stmt)


def _their_ask_rows(
    conn: sa.Connection, account_id: int, day: Any, ids: Collection[int] | None
) -> dict[int, Row]:
    t = their_asks
    stmt = (
        sa.select(
            t.c.person_id,
            _count_if(sa.not_(t.c.pitch)).label("asks"),
            _count_if(t.c.pitch).label("pitches"),
            _count_if(t.c.premature).label("premature"),
            sa.func.max(sa.case((t.c.premature, t.c.on))).label("last_premature"),
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
