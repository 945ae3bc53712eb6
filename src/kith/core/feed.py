"""The daily feed: who to nurture today, most urgent first, with why and a gesture.

A person is due when their next feed date (last contact plus cadence, see `lifecycle`)
has come, or when a snooze ends if that is later. Urgency is lateness measured in
cadences, so a trusted tie a quarter late ranks with a new seed a week late. Pruned people
and weeds are never fed: weeds are for the weed list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kith.core import gestures
from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.model import Person, Stage
from kith.core.rules import Rules
from kith.core.wording import ago

_NOT_FED = (Stage.PRUNED, Stage.WEED)


@dataclass(frozen=True)
class FeedInput:
    """One person as the feed sees them: their verdict, facts and what we share."""

    person: Person
    verdict: Verdict
    facts: Facts
    can_help: tuple[tuple[str, str], ...] = ()  # (their need, my offer), from matching
    shared_interests: tuple[str, ...] = ()
    snoozed_until: date | None = None


@dataclass(frozen=True)
class FeedItem:
    """One person to nurture today: when it was due, why, and a concrete gesture."""

    person_id: int
    name: str
    stage: Stage
    due: date
    overdue_days: int
    why: str
    gesture: str


def feed(
    items: Iterable[FeedInput], today: date, rules: Rules, limit: int | None = None
) -> list[FeedItem]:
    """Everyone due on or before `today`, most urgent first, at most `limit` of them."""
    ranked = []
    for item in items:
        due = due_date(item)
        if due is None or due > today or item.verdict.stage in _NOT_FED:
            continue
        overdue = (today - due).days
        urgency = overdue / max(1, item.verdict.cadence_days)
        key = (-urgency, -item.verdict.strength.value, item.person.name.casefold())
        ranked.append((key, _item(item, due, overdue, rules)))
    ranked.sort(key=lambda pair: pair[0])
    return [fed for _, fed in ranked[:limit]]


def due_date(item: FeedInput) -> date | None:
    """When this person is next due in the feed, a snooze pushing it later."""
    due = item.verdict.next_feed
    if due is not None and item.snoozed_until is not None:
        return max(due, item.snoozed_until)
    return due


def gesture(item: FeedInput, rules: Rules) -> str:
    """One concrete thing to do, in order of generosity and fit."""
    topic = item.facts.last_topics[0] if item.facts.last_topics else None
    interest = item.shared_interests[0] if item.shared_interests else None
    if item.can_help:
        return gestures.help_with_need(*item.can_help[0])
    if _new_seed(item, rules):
        return gestures.follow_up_first_meeting(topic)
    if item.verdict.stage is Stage.DORMANT:
        return gestures.revive(topic or interest)
    if topic:
        return gestures.follow_up_topic(topic)
    if interest:
        return gestures.share_on_interest(interest)
    return gestures.HOW_CAN_I_HELP


def _new_seed(item: FeedInput, rules: Rules) -> bool:
    return item.verdict.stage is Stage.SEED and item.verdict.known_days < rules.seed_days


def _why(item: FeedInput, overdue: int, rules: Rules) -> str:
    facts, verdict = item.facts, item.verdict
    last = (facts.today - facts.last_contact).days if facts.last_contact else None
    if verdict.stage is Stage.DORMANT and last is not None:
        return (
            f"a {verdict.grown.value} tie quiet for {last} days (cadence "
            f"{verdict.cadence_days}): worth reviving"
        )
    if _new_seed(item, rules):
        return f"met {ago(verdict.known_days)}: follow up while it is fresh"
    if last is not None:
        return f"last contact {ago(last)}, cadence {verdict.cadence_days}"
    late = f", {overdue} days overdue" if overdue else ""
    return f"no contact yet, cadence {verdict.cadence_days}{late}"


def _item(item: FeedInput, due: date, overdue: int, rules: Rules) -> FeedItem:
    return FeedItem(
        person_id=item.person.id,
        name=item.person.name,
        stage=item.verdict.stage,
        due=due,
        overdue_days=overdue,
        why=_why(item, overdue, rules),
        gesture=gesture(item, rules),
    )
