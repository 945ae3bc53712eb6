"""Feeding and weeding: who to nurture today, who to prune, and snoozes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from kith.app import inputs, judging
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core import feed as feed_rules
from kith.core.dates import next_birthday
from kith.core.facts import Facts
from kith.core.garden_judgement import GardenJudgement, feed_candidates, judge_garden, weed_ids
from kith.core.lifecycle import Verdict
from kith.core.model import Me, Person, PersonState
from kith.core.tags import Related, help_matches, load_vocabulary, shared_interests
from kith.core.weeding import WeedItem, weed_candidates
from kith.semantic import related_for
from kith.store import Connection, aggregates
from kith.store import people as people_store
from kith.store.garden_columns import load_garden_columns


def _active(conn: Connection, garden: Garden, ids: Sequence[int] | None = None) -> list[Person]:
    """The active people (or those of `ids`) with what judging reads, not details and tags."""
    return people_store.load_people_to_judge(conn, garden.account_id, [PersonState.ACTIVE], ids)


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
    """Who to nurture today, most urgent first, each with why and a gesture.

    The whole garden is judged in one vectorised pass over the kept facts
    (`core.garden_judgement`); the Python rules then judge only the people it picks, so the
    list is the one `feed_reference` gives.
    """
    if limit is not None and limit < 1:
        raise InvalidInput("limit", f"{limit} must be at least 1")
    with garden.reading() as conn:
        return feed_judged(conn, garden, _judge_garden(conn, garden), limit)


def feed_judged(
    conn: Connection, garden: Garden, judgement: GardenJudgement | None, limit: int | None
) -> list[feed_rules.FeedItem]:
    """The feed from a vectorised judgement (pruned people in it or not; None: judge all)."""
    if judgement is None:  # facts not kept under these rules: judge everyone
        return feed_from(conn, garden, _judged_active(conn, garden), limit)
    snoozed = aggregates.snoozed_until(conn, garden.account_id, garden.today)
    ids = feed_candidates(judgement, snoozed, garden.rules, limit)
    chosen = judging.judged(conn, garden, _active(conn, garden, ids), topics=False)
    return feed_from(conn, garden, chosen, limit, snoozed=snoozed)


def feed_reference(garden: Garden, limit: int | None = None) -> list[feed_rules.FeedItem]:
    """`feed` with every active person judged by the Python rules: the reference in tests."""
    with garden.reading() as conn:
        return feed_from(conn, garden, _judged_active(conn, garden), limit)


def _judged_active(conn: Connection, garden: Garden) -> list[tuple[Person, Facts, Verdict]]:
    return judging.judged(conn, garden, _active(conn, garden), topics=False)


def _judge_garden(conn: Connection, garden: Garden) -> GardenJudgement | None:
    """The vectorised judgement of the active people; None when facts are not kept."""
    columns = load_garden_columns(conn, garden.account_id, garden.rules, [PersonState.ACTIVE])
    return None if columns is None else judge_garden(columns, garden.today, garden.rules)


def feed_from(
    conn: Connection,
    garden: Garden,
    judged: Sequence[tuple[Person, Facts, Verdict]],
    limit: int | None,
    *,
    snoozed: Mapping[int, date] | None = None,
) -> list[feed_rules.FeedItem]:
    """The feed from people already judged (without topics), so a page judges only once.

    `snoozed` is `aggregates.snoozed_until`, when the caller has read it already.
    """
    if limit is not None and limit < 1:
        raise InvalidInput("limit", f"{limit} must be at least 1")
    if snoozed is None:
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
    """Prune candidates with the reasons; a strong tie gone quiet is never one.

    The vectorised judgement picks the weeds; the Python rules judge them for their reasons.
    """
    with garden.reading() as conn:
        judgement = _judge_garden(conn, garden)
        ids = None if judgement is None else weed_ids(judgement)
        people = _active(conn, garden, ids)
        verdicts = judging.judge_people(conn, garden, people, topics=False)
    return weed_candidates((person, verdicts[person.id]) for person in people)


def weed_reference(garden: Garden) -> list[WeedItem]:
    """`weed` with every active person judged by the Python rules: the reference in tests."""
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
