"""load_facts (set-based SQL) agrees with summarize (plain Python) on random histories."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.core.facts import Facts
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
    Person,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.core.summarize import summarize
from kith.store import tables
from kith.store.facts import load_facts
from tests.integration._facts_db import engine

__all__ = ["engine"]  # the shared fixture (tests/integration/_facts_db.py)

TODAY = date(2025, 6, 15)
RULES = Rules()

days = st.integers(min_value=-1500, max_value=30).map(lambda n: TODAY + timedelta(days=n))
maybe_day = st.none() | days
topics = st.lists(st.sampled_from(["jazz", "rust", "hiring", "café", "AI"]), max_size=3)

interaction = st.builds(
    Interaction,
    person_id=st.just(0),
    on=days,
    kind=st.sampled_from(InteractionKind),
    by=st.sampled_from(Initiator),
    unanswered=st.booleans(),
    topics=topics.map(tuple),
)
exchange = st.builds(
    Exchange,
    person_id=st.just(0),
    on=days,
    direction=st.sampled_from(Direction),
    what=st.just("help"),
    kind=st.sampled_from(ExchangeKind),
    weight=st.integers(1, 5),
    intro_id=st.none() | st.just(1),  # 1: an intro I made (a real intro row is made for it)
)
their_ask = st.builds(
    TheirAsk,
    person_id=st.just(0),
    on=days,
    what=st.just("a favour"),
    pitch=st.booleans(),
    premature=st.booleans(),
)
ask = st.builds(
    Ask,
    person_id=st.just(0),
    on=days,
    what=st.just("a favour"),
    size=st.sampled_from(AskSize),
    pitch=st.booleans(),
    ready=st.booleans(),
    outcome=st.sampled_from(AskOutcome),
    outcome_on=maybe_day,
)
breach = st.builds(
    Breach,
    person_id=st.just(0),
    on=days,
    what=st.just("broke a promise"),
    resolved_on=maybe_day,
    resolution=st.none() | st.just("apologised"),
)
history = st.builds(
    History,
    person=st.builds(Person, id=st.just(0), name=st.just("x"), met_on=maybe_day),
    interactions=st.lists(interaction, max_size=8).map(tuple),
    exchanges=st.lists(exchange, max_size=4).map(tuple),
    asks=st.lists(ask, max_size=3).map(tuple),
    breaches=st.lists(breach, max_size=2).map(tuple),
    their_asks=st.lists(their_ask, max_size=3).map(tuple),
)


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key.id)  # a garden key is (account_id, id)


def insert_history(conn: sa.Connection, account_id: int, h: History) -> History:
    """Store one history; return it with the ids the database gave."""
    pid = _inserted_id(
        conn.execute(
            sa.insert(tables.people).values(
                account_id=account_id,
                name=h.person.name,
                name_key=h.person.name.casefold(),
                met_on=h.person.met_on,
                created_on=TODAY,
            )
        )
    )
    stored = []
    for i in h.interactions:
        row = dataclasses.asdict(i) | {"person_id": pid, "account_id": account_id}
        row["topics"] = list(i.topics)
        del row["id"]
        new_id = _inserted_id(conn.execute(sa.insert(tables.interactions).values(row)))
        stored.append(dataclasses.replace(i, person_id=pid, id=new_id))
    intro_id = None
    if any(e.intro_id is not None for e in h.exchanges):
        intro_id = _inserted_id(
            conn.execute(
                sa.insert(tables.intros).values(
                    account_id=account_id, a_id=pid, b_id=pid, proposed_on=TODAY
                )
            )
        )
    for table, rows in (
        (tables.exchanges, h.exchanges),
        (tables.asks, h.asks),
        (tables.breaches, h.breaches),
        (tables.their_asks, h.their_asks),
    ):
        for r in rows:
            values = dataclasses.asdict(r) | {"person_id": pid, "account_id": account_id}
            del values["id"]
            if "intro_id" in values and values["intro_id"] is not None:
                values["intro_id"] = intro_id
            conn.execute(sa.insert(table).values(values))
    return dataclasses.replace(
        h, person=dataclasses.replace(h.person, id=pid), interactions=tuple(stored)
    )


def new_account(conn: sa.Connection) -> int:
    name = f"acct-{conn.execute(sa.select(sa.func.count()).select_from(tables.accounts)).scalar()}"
    return _inserted_id(conn.execute(sa.insert(tables.accounts).values(name=name)))


_FLOATS = ("evidence_contacts", "evidence_received", "evidence_yes")


def assert_same(got: Facts, want: Facts) -> None:
    assert len(got.decayed) == len(want.decayed)
    for g, w in zip(got.decayed, want.decayed, strict=True):
        assert math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9), (got.decayed, want.decayed)
    for name in _FLOATS:
        g, w = getattr(got, name), getattr(want, name)
        assert math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9), (name, g, w)

    def rest(facts: Facts) -> Facts:
        return dataclasses.replace(
            facts, decayed=(), evidence_contacts=0.0, evidence_received=0.0, evidence_yes=0.0
        )

    assert rest(got) == rest(want)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=st.lists(history, min_size=1, max_size=4))
def test_load_facts_agrees_with_summarize(engine: sa.Engine, histories: list[History]) -> None:
    with engine.connect() as conn, conn.begin() as trans:
        account = new_account(conn)
        other = new_account(conn)
        stored = [insert_history(conn, account, h) for h in histories]
        insert_history(conn, other, histories[0])  # another garden must not leak in
        facts = load_facts(conn, account, TODAY, RULES)
        assert set(facts) == {h.person.id for h in stored}
        for h in stored:
            assert_same(facts[h.person.id], summarize(h, TODAY, RULES))
        trans.rollback()


def test_load_facts_for_some_people_only(engine: sa.Engine) -> None:
    h = History(
        person=Person(id=0, name="Ada", met_on=TODAY - timedelta(days=40)),
        interactions=(
            Interaction(0, TODAY - timedelta(days=30), InteractionKind.MEETING, topics=("jazz",)),
            Interaction(0, TODAY - timedelta(days=3), InteractionKind.EMAIL, unanswered=True),
        ),
    )
    with engine.connect() as conn, conn.begin() as trans:
        account = new_account(conn)
        first = insert_history(conn, account, h)
        insert_history(conn, account, dataclasses.replace(h, person=Person(id=0, name="Bo")))
        facts = load_facts(conn, account, TODAY, RULES, person_ids=[first.person.id])
        assert list(facts) == [first.person.id]
        got = facts[first.person.id]
        assert got.unanswered_streak == 1
        assert got.last_topics == ("jazz",)
        assert got.last_contact == TODAY - timedelta(days=30)
        assert_same(got, summarize(first, TODAY, RULES))
        trans.rollback()


def test_a_person_with_no_history_has_empty_facts(engine: sa.Engine) -> None:
    with engine.connect() as conn, conn.begin() as trans:
        account = new_account(conn)
        lone = insert_history(conn, account, History(person=Person(id=0, name="Cy")))
        got = load_facts(conn, account, TODAY, RULES)[lone.person.id]
        assert_same(got, summarize(lone, TODAY, RULES))
        assert got.decayed == (0.0,) * len(RULES.half_lives)
        trans.rollback()
