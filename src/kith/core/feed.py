"""The daily feed: who to nurture today, most urgent first, with why and a gesture.

A person is due when their next feed date (last contact plus cadence, see `lifecycle`)
has come, or when a snooze ends if that is later; a new seed not yet followed up is due
from the day you met. Pruned people and weeds are never fed: weeds are for the weed list.

On someone's birthday they are in the feed whatever their due date or snooze (a weed too: a
birthday is the most natural, generous reason to get back in touch), but never once pruned.

The ranking puts what is lost soonest and worth most first, in tiers (`Tier`):

0. Birthdays today: the reason lasts one day, and a wish asks nothing of them.
1. Follow-ups of new contacts: the step from the first meeting to the second matters most
   (Dunbar's layers, DESIGN.md), and new ties decay fastest (Burt 2000), so a contact met
   this week outranks any old tie.
2. Dormant ties that had grown: reconnecting them brings trust and new information at
   little cost (Levin, Walter & Murnighan 2011).
3. Growing and trusted ties that are due.
4. Seeds that are due.
5. Stale seeds, never grown after months: still worth a yearly word (weak ties carry job
   leads, Granovetter 1973), but last.

Within a tier, lateness measured in cadences comes first (a trusted tie a quarter late
ranks with a growing one a month late), then tie strength, then the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from kith.core import gestures
from kith.core.dates import is_birthday
from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.model import Person, PersonState, Stage
from kith.core.rules import Rules
from kith.core.wording import ago, plural

_NOT_FED = (Stage.PRUNED, Stage.WEED)


class Tier(IntEnum):
    """The feed's urgency tiers, most urgent first (see the module's docstring)."""

    BIRTHDAY = 0
    FOLLOW_UP = 1
    DORMANT = 2
    GROWN = 3
    SEED = 4
    STALE_SEED = 5


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

    id: int
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
        birthday = _birthday_today(item, today)
        if birthday:
            due = today if due is None or due > today else due
        elif due is None or due > today or item.verdict.stage in _NOT_FED:
            continue
        overdue = (today - due).days
        lateness = overdue / max(1, item.verdict.cadence_days)
        key = (
            Tier.BIRTHDAY if birthday else tier(item, rules),
            -lateness,
            -item.verdict.strength.value,
            item.person.name.casefold(),
        )
        ranked.append((key, _item(item, due, overdue, rules, birthday=birthday)))
    ranked.sort(key=lambda pair: pair[0])
    return [fed for _, fed in ranked[:limit]]


def _birthday_today(item: FeedInput, today: date) -> bool:
    pruned = item.person.state is PersonState.PRUNED or item.verdict.stage is Stage.PRUNED
    return not pruned and is_birthday(item.person.birthday, today)


def tier(item: FeedInput, rules: Rules) -> Tier:
    """Which urgency tier a due person falls in, their birthday aside."""
    verdict = item.verdict
    if verdict.awaiting_follow_up:
        return Tier.FOLLOW_UP
    if verdict.stage is Stage.DORMANT:
        return Tier.DORMANT
    if verdict.stage in (Stage.GROWING, Stage.TRUSTED):
        return Tier.GROWN
    if verdict.known_days >= rules.seed_stale_after_days:
        return Tier.STALE_SEED
    return Tier.SEED


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
    if item.verdict.awaiting_follow_up:
        return gestures.follow_up_first_meeting(topic)
    if item.verdict.stage is Stage.DORMANT:
        return gestures.revive(topic or interest)
    if topic:
        return gestures.follow_up_topic(topic)
    if interest:
        return gestures.share_on_interest(interest)
    return gestures.HOW_CAN_I_HELP


def _why(item: FeedInput, overdue: int, rules: Rules) -> str:
    facts, verdict = item.facts, item.verdict
    last = (facts.today - facts.last_contact).days if facts.last_contact else None
    if verdict.stage is Stage.DORMANT and last is not None:
        return (
            f"a {verdict.grown.value} tie quiet for {plural(last, 'day')} (cadence "
            f"{verdict.cadence_days}): worth reviving"
        )
    if item.verdict.awaiting_follow_up:
        return f"met {ago(verdict.known_days)}, not followed up yet: follow up while it is fresh"
    if last is not None:
        return f"last contact {ago(last)}, cadence {verdict.cadence_days}"
    late = f", {plural(overdue, 'day')} overdue" if overdue else ""
    return f"no contact yet, cadence {verdict.cadence_days}{late}"


def _item(
    item: FeedInput, due: date, overdue: int, rules: Rules, *, birthday: bool = False
) -> FeedItem:
    return FeedItem(
        id=item.person.id,
        name=item.person.name,
        stage=item.verdict.stage,
        due=due,
        overdue_days=overdue,
        why="birthday today" if birthday else _why(item, overdue, rules),
        gesture=gestures.BIRTHDAY_WISH if birthday else gesture(item, rules),
    )
