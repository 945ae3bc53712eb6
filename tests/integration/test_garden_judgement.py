"""The vectorised judgement of a whole garden == the Python rules, person by person.

Random gardens are written through the store's own functions (as in test_facts_kept: backdated
and future-dated events, outcomes, forgiveness, merges, forgets), with random cadences,
birthdays, pruned people, snoozes and look-alike names, then judged on a random day under
random rules, on SQLite and PostgreSQL. Stages, dates, cadences and counts must be equal,
scores equal within rounding; and `feed`, `weed`, `stats` and the dashboard (which judge in
Python only the people the vectorised pass picks) must return exactly what the all-Python
references return.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.app import dashboard, nurture, reports
from kith.app.garden import Garden as AppGarden
from kith.core import feed as feed_rules
from kith.core.dates import is_birthday
from kith.core.garden_judgement import STAGES, FeedKeys, feed_keys, judge_garden
from kith.core.lifecycle import judge
from kith.core.model import AskOutcome, PersonState
from kith.core.rules import Rules
from kith.store import aggregates, kept_facts, tables
from kith.store.facts import load_facts
from kith.store.garden_columns import load_garden_columns
from kith.store.people import load_people_to_judge
from tests.integration._facts_db import engine
from tests.integration.test_facts_kept import Garden
from tests.integration.test_facts_sql import (
    TODAY,
    ask,
    breach,
    days,
    exchange,
    interaction,
    maybe_day,
    new_account,
    their_ask,
)

__all__ = ["engine"]  # the shared fixture (tests/integration/_facts_db.py)

who = st.integers(min_value=0, max_value=7)
NAMES = ("Ann", "ann", "Bob", "Cleo")  # casefold ties: the feed's last key, then its input order
writes = st.one_of(
    *[st.tuples(st.just("person"), maybe_day)] * 2,
    *[st.tuples(st.just("interaction"), who, interaction)] * 2,
    # Several contacts with one person, so that short random gardens reach every stage.
    *[st.tuples(st.just("story"), who, st.lists(interaction, min_size=2, max_size=8))] * 3,
    st.tuples(st.just("exchange"), who, exchange),
    st.tuples(st.just("ask"), who, ask),
    st.tuples(st.just("breach"), who, breach),
    st.tuples(st.just("their_ask"), who, their_ask),
    st.tuples(st.just("outcome"), who, st.sampled_from(AskOutcome), days),
    st.tuples(st.just("forgive"), who, days),
    st.tuples(st.just("merge"), who, who),
    st.tuples(st.just("forget"), who),
)
# What a person is besides their history: a cadence of their own, a birthday, pruned or not,
# created on some day (the anchor of a person with no history), a snooze.
person_traits = st.tuples(
    who,
    st.none() | st.integers(1, 120),
    st.none() | st.integers(-2, 2) | st.just("leap day"),  # days from today, or 29 February
    st.booleans(),
    days,
    st.none() | st.integers(1, 90),
    st.none() | st.sampled_from(["", " PyCon ", "PyCon", "work"]),  # where we met
)
rules = st.sampled_from(
    [
        # Easy to trust, so that short random histories reach every stage.
        dataclasses.replace(
            Rules(),
            trusted_min_trust=0.3,
            trusted_min_days=40,
            trusted_min_contacts=2,
            trusted_min_given=0,
            seed_days=7,
            seed_min_contacts=2,
        ),
        Rules(),
        dataclasses.replace(
            Rules(), half_lives=(30.0, 60.0), half_life_from_days=(0, 90), weight_email=2.5
        ),
    ]
)
# Some events are dated up to 30 days after TODAY: on earlier days those people are judged
# from their history (python_only), later every one of them is read from the kept facts.
on_day = st.integers(min_value=-40, max_value=400).map(
    lambda n: TODAY + timedelta(days=n)
) | st.just(date(2026, 2, 28))  # the day of a 29 February birthday in a common year
limits = st.none() | st.integers(1, 6)


class NamedGarden(Garden):
    """The kept-facts test's garden, with names that tie once casefolded."""

    def add_person(self, met_on: date | None) -> int:
        name = NAMES[len(self.alive) % len(NAMES)]
        values = {"account_id": self.account, "name": name, "name_key": name.casefold()}
        key = self.conn.execute(
            sa.insert(tables.people).values(**values, met_on=met_on, created_on=TODAY)
        ).inserted_primary_key
        assert key is not None  # an INSERT of one row always has its key
        self.alive.append(int(key.id))  # the key is (account_id, id)
        return self.alive[-1]

    def write(self, op: tuple[Any, ...]) -> None:
        if op[0] == "story":
            for item in op[2]:
                super().write(("interaction", op[1], item))
        else:
            super().write(op)

    def give_traits(self, traits: tuple[Any, ...], today: date) -> None:
        n, cadence, born, pruned, created_on, snooze, met_where = traits
        birthday = None
        if born == "leap day":
            birthday = date(1992, 2, 29)
        elif born is not None:
            birthday = (today + timedelta(days=born)).replace(year=1992)  # 1992 is a leap year
        if not self.alive:
            return
        pid = self.pick(n)
        state = PersonState.PRUNED if pruned else PersonState.ACTIVE
        self.conn.execute(
            sa.update(tables.people)
            .where(tables.people.c.id == pid)
            .values(
                cadence_days=cadence,
                birthday=birthday,
                state=str(state),
                created_on=created_on,
                met_where=met_where,
            )
        )
        if snooze is not None:
            aggregates.add_snooze(self.conn, self.account, pid, today + timedelta(days=snooze))


def make_garden(
    engine: sa.Engine,
    ops: list[tuple[Any, ...]],
    traits: list[tuple[Any, ...]],
    rules: Rules,
    today: date = TODAY,
) -> int:
    """A new account with this history and these people, kept under `rules`; its id."""
    with engine.begin() as conn:
        account = new_account(conn)
        kept_facts.rebuild(conn, account, rules)
        garden = NamedGarden(conn, account)
        for op in ops:
            garden.write(op)
        for trait in traits:
            garden.give_traits(trait, today)
    return account


def assert_judged_alike(conn: sa.Connection, account: int, today: date, rules: Rules) -> None:
    """The vectorised pass and `lifecycle.judge` agree on everyone the columns settle."""
    columns = load_garden_columns(conn, account, rules)
    assert columns is not None  # the account is kept under these rules
    judged = judge_garden(columns, today, rules)
    snoozed = aggregates.snoozed_until(conn, account, today)
    keys = feed_keys(judged, snoozed, rules)
    people = {p.id: p for p in load_people_to_judge(conn, account)}
    facts = load_facts(conn, account, today, rules, topics=False)
    assert sorted(judged.ids.tolist()) == sorted(people)
    for i, pid in enumerate(judged.ids.tolist()):
        assert bool(judged.birthday[i]) == is_birthday(people[pid].birthday, today), pid
        if judged.python_only[i]:
            continue  # facts with a date after today: the Python rules judge them
        verdict = judge(people[pid], facts[pid], rules)
        want = verdict.next_feed.toordinal() if verdict.next_feed else None
        got = int(judged.next_feed[i])
        assert math.isclose(judged.strength[i], verdict.strength.value, abs_tol=1e-9), pid
        assert math.isclose(judged.trust[i], verdict.trust.value, abs_tol=1e-9), pid
        assert int(judged.known[i]) == verdict.known_days, pid
        assert int(judged.weed_causes[i]) == len(verdict.weed_causes), pid
        if judged.borderline[i]:
            continue  # trust on its threshold within rounding: the Python rules decide
        item = feed_rules.FeedInput(
            people[pid], verdict, facts[pid], snoozed_until=snoozed.get(pid)
        )
        assert_ranked_alike(keys, i, item, today, rules)
        assert judged.stage_of(i) is verdict.stage, pid
        assert STAGES[int(judged.grown[i])] is verdict.grown, pid
        assert (got if got != -(2**40) else None) == want, pid
        assert int(judged.cadence[i]) == verdict.cadence_days, pid
        assert bool(judged.awaiting[i]) == verdict.awaiting_follow_up, pid


def assert_ranked_alike(
    keys: FeedKeys, i: int, item: feed_rules.FeedInput, today: date, rules: Rules
) -> None:
    """The vectorised feed keys of one person are `feed.feed`'s own (see its loop)."""
    fed = feed_rules.feed([item], today, rules)
    assert bool(keys.fed[i]) == bool(fed), item.person.id
    if not fed:
        return
    assert keys.due[i] == fed[0].due.toordinal(), item.person.id
    assert keys.lateness[i] == fed[0].overdue_days / max(1, item.verdict.cadence_days)
    birthday = fed[0].why == "birthday today"
    tier = feed_rules.Tier.BIRTHDAY if birthday else feed_rules.tier(item, rules)
    assert keys.tier[i] == tier, item.person.id


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(writes, min_size=3, max_size=30),
    traits=st.lists(person_traits, max_size=8),
    rules=rules,
    today=on_day,
    limit=limits,
)
def test_vectorised_judgement_equals_the_python_rules(
    engine: sa.Engine,
    *,
    ops: list[tuple[Any, ...]],
    traits: list[tuple[Any, ...]],
    rules: Rules,
    today: date,
    limit: int | None,
) -> None:
    account = make_garden(engine, ops, traits, rules, today)
    with engine.connect() as conn:
        assert_judged_alike(conn, account, today, rules)
    garden = AppGarden(engine=engine, account_id=account, today=today, url="", rules=rules)
    assert nurture.feed(garden, limit) == nurture.feed_reference(garden, limit)
    assert nurture.weed(garden) == nurture.weed_reference(garden)
    assert reports.stats(garden) == reports.stats_reference(garden)
    shown = limit or 10
    assert dashboard.figures(garden, shown) == dashboard.figures_reference(garden, shown)


def test_feed_and_weed_judge_everyone_when_facts_are_not_kept(engine: sa.Engine) -> None:
    ops = [("person", TODAY - timedelta(days=n)) for n in (0, 5, 40, 400)]
    account = make_garden(engine, ops, [], Rules())
    with engine.begin() as conn:
        kept = tables.facts_rules.c.account_id == account
        conn.execute(sa.delete(tables.facts_rules).where(kept))  # the account is no longer kept
        assert load_garden_columns(conn, account, Rules()) is None
    garden = AppGarden(engine=engine, account_id=account, today=TODAY, url="")
    fed = nurture.feed(garden, 2)
    assert fed == nurture.feed_reference(garden, 2)
    assert len(fed) == 2
    assert nurture.weed(garden) == nurture.weed_reference(garden)
    assert reports.stats(garden) == reports.stats_reference(garden)
    assert dashboard.figures(garden, 2) == dashboard.figures_reference(garden, 2)
