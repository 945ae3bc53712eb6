"""Facts kept on write == facts rebuilt from history == summarize, after any writes.

Random sequences of writes go through the store's own functions (backdated and
future-dated events, outcomes, forgiveness, merges, forgets), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kith.core.kept_facts import KeptFacts, kept_from_history
from kith.core.model import (
    AskOutcome,
    Initiator,
    Interaction,
    InteractionKind,
    Intro,
    IntroState,
    Person,
)
from kith.core.rules import Rules
from kith.core.summarize import summarize
from kith.store import history, kept_facts, merges, tables
from kith.store.facts import computed_facts, load_facts
from tests.integration._facts_db import engine
from tests.integration.test_facts_sql import (
    TODAY,
    ask,
    assert_same,
    breach,
    days,
    exchange,
    interaction,
    maybe_day,
    new_account,
    their_ask,
)

__all__ = ["engine"]  # the shared fixture (tests/integration/_facts_db.py)

RULES = Rules()
# Other weights and half-lives (a change of [rules]): the rebuild folds the same way.
OTHER_RULES = dataclasses.replace(
    RULES, weight_call=3.5, half_lives=(30.0, 400.0), half_life_from_days=(0, 100)
)
who = st.integers(min_value=0, max_value=3)
writes = st.one_of(
    st.tuples(st.just("person"), maybe_day),
    # Interactions most often: the unanswered streak after a backdated contact needs several.
    *[st.tuples(st.just("interaction"), who, interaction)] * 4,
    st.tuples(st.just("exchange"), who, exchange),
    st.tuples(st.just("ask"), who, ask),
    st.tuples(st.just("breach"), who, breach),
    st.tuples(st.just("their_ask"), who, their_ask),
    st.tuples(st.just("outcome"), who, st.sampled_from(AskOutcome), days),
    st.tuples(st.just("forgive"), who, days),
    st.tuples(st.just("merge"), who, who),
    st.tuples(st.just("forget"), who),
)


def _contact(days_ago: int, *, unanswered: bool = False) -> Interaction:
    on = TODAY - timedelta(days=days_ago)
    return Interaction(0, on, InteractionKind.EMAIL, Initiator.ME, unanswered=unanswered)


# Two outreaches left unanswered, then a contact logged late, dated between them: the run
# after it is the one outreach dated later (the look-up `needs_outreach_after` asks for).
BACKDATED = [
    ("interaction", 0, _contact(30, unanswered=True)),
    ("interaction", 0, _contact(3, unanswered=True)),
    ("interaction", 0, _contact(10)),
    ("interaction", 0, _contact(20)),
]


class Garden:
    """The people alive in one account, written to only through the store's functions."""

    def __init__(self, conn: sa.Connection, account: int) -> None:
        self.conn, self.account, self.alive = conn, account, list[int]()
        self.intro: int | None = None

    def add_person(self, met_on: date | None) -> int:
        values = {"account_id": self.account, "name": f"p{len(self.alive)}", "met_on": met_on}
        key = self.conn.execute(
            sa.insert(tables.people).values(**values, name_key="p", created_on=TODAY)
        ).inserted_primary_key
        assert key is not None  # an INSERT of one row always has its key
        self.alive.append(int(key.id))  # the key is (account_id, id)
        return self.alive[-1]

    def pick(self, n: int) -> int:
        return self.alive[n % len(self.alive)] if self.alive else self.add_person(None)

    def intro_id(self, pid: int) -> int:
        """One intro row that intro gifts can name (deleted with its people)."""
        if self.intro is None or not self._exists(self.intro):
            self.intro = history.add_intro(
                self.conn,
                self.account,
                Intro(a_id=pid, b_id=pid, why="", state=IntroState.MADE, proposed_on=TODAY),
            )
        return self.intro

    def _exists(self, intro_id: int) -> bool:
        return history.load_intro(self.conn, self.account, intro_id) is not None

    def write(self, op: tuple[Any, ...]) -> None:
        kind, *args = op
        c, a = self.conn, self.account
        if kind == "person":
            self.add_person(args[0])
        elif kind == "merge":
            keep, gone = self.pick(args[0]), self.pick(args[1])
            if keep != gone:
                merges.drop_intros_between(c, a, keep, gone)
                merges.merge_people(c, a, keep, gone)
                self.alive.remove(gone)
        elif kind == "forget":
            if self.alive:
                pid = self.pick(args[0])
                history.delete_person(c, a, pid)
                self.alive.remove(pid)
        elif kind == "outcome":
            open_ask = history.last_open_ask(c, a, self.pick(args[0]))
            if open_ask is not None and open_ask.id is not None:
                history.set_ask_outcome(c, open_ask.id, args[1], args[2])
        elif kind == "forgive":
            pid = self.pick(args[0])
            still_open = history.oldest_open_breach(c, a, pid, args[1])
            if still_open is not None and still_open.id is not None:
                history.mend_breach(c, a, still_open.id, args[1], "made right")
        else:
            pid = self.pick(args[0])
            item = dataclasses.replace(args[1], person_id=pid)
            if kind == "exchange" and item.intro_id is not None:
                item = dataclasses.replace(item, intro_id=self.intro_id(pid))
            adders: dict[str, Any] = {
                "interaction": history.add_interaction,
                "exchange": history.add_exchange,
                "ask": history.add_ask,
                "breach": history.add_breach,
                "their_ask": history.add_their_ask,
            }
            adders[kind](c, a, item)


def check(conn: sa.Connection, account: int, today: date, rules: Rules = RULES) -> None:
    assert kept_facts.kept_key(conn, account) is not None
    kept = load_facts(conn, account, today, rules)
    rebuilt = computed_facts(conn, account, today, rules)
    assert set(kept) == set(rebuilt)
    for pid, facts in kept.items():
        row = conn.execute(sa.select(tables.people).where(tables.people.c.id == pid)).one()
        person = Person(id=pid, name=row.name, met_on=row.met_on)
        want = summarize(history.load_history(conn, account, person), today, rules)
        assert_same(facts, want)
        assert_same(rebuilt[pid], want)


def assert_rebuild_is_the_reference(
    conn: sa.Connection, account: int, alive: list[int], rules: Rules = RULES
) -> None:
    """The rebuild == the pure fold of each history (`kept_from_history`), bit for bit,
    for the whole account and for some people, and so are the rows it writes."""
    fresh = kept_facts.rebuilt(conn, account, rules)
    assert set(fresh) <= set(alive)
    for pid in alive:
        want = kept_from_history(history.load_history(conn, account, Person("", id=pid)), rules)
        assert fresh.get(pid, KeptFacts(pid)) == want
    some = alive[::2]
    assert kept_facts.rebuilt(conn, account, rules, some) == {
        pid: kept for pid, kept in fresh.items() if pid in some
    }
    kept_facts.rebuild(conn, account, rules)
    assert kept_facts.load_kept(conn, account) == fresh
    assert kept_facts.drift(conn, account) == []


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(writes, max_size=30))
@example(ops=BACKDATED)
def test_kept_facts_equal_rebuilt_facts_and_summarize_after_any_writes(
    engine: sa.Engine, ops: list[tuple[Any, ...]]
) -> None:
    with engine.connect() as conn, conn.begin() as trans:
        account = new_account(conn)
        kept_facts.rebuild(conn, account, RULES)  # a new garden starts kept
        garden = Garden(conn, account)
        for op in ops:
            garden.write(op)
        assert kept_facts.drift(conn, account) == []
        assert set(kept_facts.load_kept(conn, account)) <= set(garden.alive)
        check(conn, account, TODAY + timedelta(days=60))  # after every event: all kept
        check(conn, account, TODAY)  # some events in the future: those people fall back
        assert_rebuild_is_the_reference(conn, account, garden.alive)
        assert_rebuild_is_the_reference(conn, account, garden.alive, OTHER_RULES)
        trans.rollback()


def test_facts_kept_under_other_rules_are_not_read(engine: sa.Engine) -> None:
    other = dataclasses.replace(RULES, weight_meeting=9.0)
    with engine.connect() as conn, conn.begin() as trans:
        account = new_account(conn)
        kept_facts.rebuild(conn, account, RULES)
        garden = Garden(conn, account)
        garden.write(("interaction", 0, Interaction(0, TODAY, InteractionKind.MEETING)))
        assert kept_facts.ensure(conn, account, other)  # rebuilt under the new rules
        assert not kept_facts.ensure(conn, account, other)
        assert kept_facts.drift(conn, account) == []
        check(conn, account, TODAY + timedelta(days=60), other)
        trans.rollback()
