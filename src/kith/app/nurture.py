"""Feeding and weeding: who to nurture today, who to prune, and snoozes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from kith.app import inputs, judging
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core import feed as feed_rules
from kith.core.dates import next_birthday
from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.model import Me, Person, PersonState
from kith.core.tags import Related, help_matches, load_vocabulary, shared_interests
from kith.core.weeding import WeedItem, weed_candidates
from kith.semantic import related_for
from kith.store import Connection, aggregates
from kith.store import people as people_store


def _active(conn: Connection, garden: Garden) -> list[Person]:
    """The active people with what judging reads, not their details and tags."""
    return people_store.load_people_to_judge(conn, garden.account_id, [PersonState.ACTIVE])


def birthdays_ahead(garden: Garden, days: int = 7) -> list[tuple[str, date]]:
    """The active people whose birthday falls in the coming `days`, with its date, soonest first.

    Not today's: the feed has those.
    """
    with garden.reading() as conn:
        people = _active(conn, garden)
    today = garden.today
    ahead = [
        (on, person.name)
        for person in people
        if person.birthday is not None
        and today < (on := next_birthday(person.birthday, today)) <= today + timedelta(days=days)
    ]
    return [(name, on) for on, name in sorted(ahead)]


def _in_full(
    conn: Connection, garden: Garden, items: dict[int, feed_rules.FeedInput], ids: list[int]
) -> None:
    """Give the chosen their details, tags and last topics: what the gesture reads."""
    if not ids:
        return
    people = {p.id: p for p in judging.load_in_full(conn, garden, ids)}
    topics = judging.last_topics(conn, garden, ids)
    for pid in ids:
        item = items[pid]
        facts = replace(item.facts, last_topics=topics.get(pid, ()))
        items[pid] = replace(item, person=people[pid], facts=facts)


def with_matching(
    item: feed_rules.FeedInput, me: Me, related: Related | None = None
) -> feed_rules.FeedInput:
    """Add what I can do for this person and what we share (for the gesture).

    `related` is the optional embedding similarity (kith.semantic), when it is on.
    """
    vocab = load_vocabulary()
    person = item.person
    return replace(
        item,
        can_help=tuple(help_matches(person.needs, me.offers, vocab, related)),
        shared_interests=tuple(shared_interests(me.interests, person.interests, vocab, related)),
    )


def feed(garden: Garden, limit: int | None = None) -> list[feed_rules.FeedItem]:
    """Who to nurture today, most urgent first, each with why and a gesture."""
    with garden.reading() as conn:
        judged = judging.judged(conn, garden, _active(conn, garden), topics=False)
        return feed_from(conn, garden, judged, limit)


def feed_from(
    conn: Connection,
    garden: Garden,
    judged: Sequence[tuple[Person, Facts, Verdict]],
    limit: int | None,
) -> list[feed_rules.FeedItem]:
    """The feed from people already judged (without topics), so a page judges only once."""
    if limit is not None and limit < 1:
        raise InvalidInput("limit", f"{limit} must be at least 1")
    snoozed = aggregates.snoozed_until(conn, garden.account_id, garden.today)
    me = people_store.load_me(conn, garden.account_id)
    items = {
        person.id: feed_rules.FeedInput(
            person, verdict, facts, snoozed_until=snoozed.get(person.id)
        )
        for person, facts, verdict in judged
        if person.state is PersonState.ACTIVE
    }
    # Ranking reads only the verdicts, names and snoozes; so details, tags, topics and
    # matching are fetched for the people who made the list, and they are ranked again.
    ranked = feed_rules.feed(items.values(), garden.today, garden.rules, limit)
    chosen = [item.id for item in ranked]
    _in_full(conn, garden, items, chosen)
    tags = [t for pid in chosen for t in (*items[pid].person.interests, *items[pid].person.needs)]
    related = related_for(garden.semantic, [*me.interests, *me.offers, *tags])
    matched = [with_matching(items[pid], me, related) for pid in chosen]
    return feed_rules.feed(matched, garden.today, garden.rules, limit)


def weed(garden: Garden) -> list[WeedItem]:
    """Prune candidates with the reasons; a strong tie gone quiet is never one."""
    with garden.reading() as conn:
        people = _active(conn, garden)
        verdicts = judging.judge_people(conn, garden, people, topics=False)
    return weed_candidates((person, verdicts[person.id]) for person in people)


def snooze(garden: Garden, reference: str, days: int) -> tuple[Person, Verdict]:
    """Push a person's next feed back without logging a contact."""
    if not 1 <= days <= 365:
        raise InvalidInput("days", f"{days} is outside 1–365")
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        until = garden.today + timedelta(days=days)
        aggregates.add_snooze(conn, garden.account_id, person_id, until)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        return person, judging.judge_people(conn, garden, [person])[person_id]
