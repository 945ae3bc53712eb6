"""Judging people: gathers their facts from the store and asks the core for verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from kith.app.garden import Garden
from kith.core.facts import Facts
from kith.core.identity import name_key
from kith.core.lifecycle import Verdict, judge
from kith.core.model import Person
from kith.store.facts import load_facts

# Past this many people an IN list costs more than reading the whole garden's facts.
_SELECT_BY_ID_LIMIT = 500


def facts_for(conn: Connection, garden: Garden, people: Sequence[Person]) -> dict[int, Facts]:
    ids = [p.id for p in people] if len(people) <= _SELECT_BY_ID_LIMIT else None
    return load_facts(conn, garden.account_id, garden.today, garden.rules, ids)


def judge_people(conn: Connection, garden: Garden, people: Sequence[Person]) -> dict[int, Verdict]:
    facts = facts_for(conn, garden, people)
    return {p.id: judge(p, facts[p.id], garden.rules) for p in people}


def judged(
    conn: Connection, garden: Garden, people: Sequence[Person]
) -> list[tuple[Person, Facts, Verdict]]:
    """Each person with their facts and verdict, in the order given."""
    facts = facts_for(conn, garden, people)
    return [(p, facts[p.id], judge(p, facts[p.id], garden.rules)) for p in people]


def has_interest(person: Person, interest: str) -> bool:
    wanted = name_key(interest)
    return any(name_key(i) == wanted for i in person.interests)
