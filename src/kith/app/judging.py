"""Judging people: gathers their facts from the store and asks the core for verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from kith.app.garden import Garden
from kith.core.facts import Facts
from kith.core.lifecycle import Verdict, judge
from kith.core.model import Person
from kith.store import Connection
from kith.store.facts import load_facts, load_last_topics
from kith.store.people import load_people

# Past this many people an IN list costs more than reading the whole garden's facts.
_SELECT_BY_ID_LIMIT = 500


def facts_for(
    conn: Connection, garden: Garden, people: Sequence[Person], *, topics: bool = True
) -> dict[int, Facts]:
    """Their facts; without `topics`, last_topics stays empty (judging never reads it)."""
    ids = [p.id for p in people]
    return load_facts(conn, garden.account_id, garden.today, garden.rules, ids, topics=topics)


def load_in_full(conn: Connection, garden: Garden, ids: Sequence[int]) -> list[Person]:
    """These people with all their details and tags (see `load_people_to_judge`)."""
    if len(ids) <= _SELECT_BY_ID_LIMIT:
        return load_people(conn, garden.account_id, ids=ids)
    wanted = set(ids)
    return [p for p in load_people(conn, garden.account_id) if p.id in wanted]


def last_topics(conn: Connection, garden: Garden, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The topics of each one's latest interaction that had any (Facts.last_topics)."""
    chosen = ids if len(ids) <= _SELECT_BY_ID_LIMIT else None
    return load_last_topics(conn, garden.account_id, garden.today, chosen)


def judge_people(
    conn: Connection, garden: Garden, people: Sequence[Person], *, topics: bool = True
) -> dict[int, Verdict]:
    """Each person's verdict (stage, scores, reasons), by id."""
    facts = facts_for(conn, garden, people, topics=topics)
    return {p.id: judge(p, facts[p.id], garden.rules) for p in people}


def judged(
    conn: Connection, garden: Garden, people: Sequence[Person], *, topics: bool = True
) -> list[tuple[Person, Facts, Verdict]]:
    """Each person with their facts and verdict, in the order given."""
    facts = facts_for(conn, garden, people, topics=topics)
    return [(p, facts[p.id], judge(p, facts[p.id], garden.rules)) for p in people]
