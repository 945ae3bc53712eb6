"""The reference computation of Facts from one person's full history, in plain Python.

`kith.store.facts.load_facts` computes the same Facts set-based in SQL for a whole garden;
the integration tests hold the two to each other. The precise meaning of each field:

- Only events dated on or before `today` count; later ones are ignored. A breach resolved
  after `today` is still open today; an ask whose outcome is dated after `today` is still
  open today (an outcome with no date counts as soon as it is recorded).
- A *contact* is an interaction they took part in: they initiated it, or it was not marked
  unanswered. "Unanswered" only ever marks my outreach as failed.
- known_since: the earliest of met_on (if not after today) and the first interaction.
- first_contact: the date of the first interaction of any kind.
- last_contact: the date of the last contact (unanswered outreaches excluded).
- interactions, by_me, by_them: counts of all interactions, of those I initiated, and of
  those they initiated. contacts: the count of contacts.
- unanswered_streak: my unanswered outreaches dated strictly after the last contact (all
  of them if there never was a contact): how often in a row I reached out in vain.
- decayed[i]: the sum over contacts of weight(kind) * 0.5 ** (age_days / half_lives[i]),
  where age_days is today minus the contact's date.
- given_*/received_*: the count and summed weight of exchanges in each direction, and the
  date of the first one.
- breaches: all breaches; open_breaches: those not resolved by today; last_open_breach: the
  date of the latest open one.
- asks_open/yes/no/ignored: my asks by their outcome as of today.
- last_topics: the topics of the latest interaction that has any (by date, then by id, then
  by position in the history).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from kith.core.facts import Facts
from kith.core.model import (
    Ask,
    AskOutcome,
    Direction,
    History,
    Initiator,
    Interaction,
)
from kith.core.rules import Rules


def is_contact(interaction: Interaction) -> bool:
    """Did they take part? They initiated it, or my outreach was answered."""
    return interaction.by is Initiator.THEM or not interaction.unanswered


def decay(weight: float, age_days: int, half_life: float) -> float:
    """`weight` halved every `half_life` days of age."""
    return weight * math.pow(0.5, age_days / half_life)


def summarize(history: History, today: date, rules: Rules) -> Facts:
    """The Facts of one person as of `today`, from their full history."""
    interactions = [i for i in history.interactions if i.on <= today]
    exchanges = [e for e in history.exchanges if e.on <= today]
    asks = [a for a in history.asks if a.on <= today]
    breaches = [b for b in history.breaches if b.on <= today]
    contacts = [i for i in interactions if is_contact(i)]
    first_contact = min((i.on for i in interactions), default=None)
    last_contact = max((i.on for i in contacts), default=None)
    met_on = history.person.met_on if _on_or_before(history.person.met_on, today) else None
    given = [e for e in exchanges if e.direction is Direction.GIVEN]
    received = [e for e in exchanges if e.direction is Direction.RECEIVED]
    open_breaches = [b for b in breaches if not _on_or_before(b.resolved_on, today)]
    outcomes = [_outcome_today(a, today) for a in asks]
    return Facts(
        person_id=history.person.id,
        today=today,
        known_since=_earliest(met_on, first_contact),
        first_contact=first_contact,
        last_contact=last_contact,
        interactions=len(interactions),
        by_me=sum(1 for i in interactions if i.by is Initiator.ME),
        by_them=sum(1 for i in interactions if i.by is Initiator.THEM),
        unanswered_streak=_unanswered_streak(interactions, last_contact),
        decayed=tuple(
            math.fsum(decay(rules.weight(i.kind), (today - i.on).days, h) for i in contacts)
            for h in rules.half_lives
        ),
        given_count=len(given),
        given_weight=sum(e.weight for e in given),
        received_count=len(received),
        received_weight=sum(e.weight for e in received),
        first_given=min((e.on for e in given), default=None),
        first_received=min((e.on for e in received), default=None),
        breaches=len(breaches),
        open_breaches=len(open_breaches),
        last_open_breach=max((b.on for b in open_breaches), default=None),
        asks_open=outcomes.count(AskOutcome.OPEN),
        asks_yes=outcomes.count(AskOutcome.YES),
        asks_no=outcomes.count(AskOutcome.NO),
        asks_ignored=outcomes.count(AskOutcome.IGNORED),
        last_topics=_last_topics(interactions),
        contacts=len(contacts),
    )


def _on_or_before(day: date | None, today: date) -> bool:
    return day is not None and day <= today


def _earliest(*days: date | None) -> date | None:
    return min((d for d in days if d is not None), default=None)


def _unanswered_streak(interactions: Iterable[Interaction], last_contact: date | None) -> int:
    return sum(
        1
        for i in interactions
        if not is_contact(i) and (last_contact is None or i.on > last_contact)
    )


def _outcome_today(ask: Ask, today: date) -> AskOutcome:
    """The outcome as it stood on `today`: one dated later had not happened yet."""
    if ask.outcome_on is not None and ask.outcome_on > today:
        return AskOutcome.OPEN
    return ask.outcome


def _last_topics(interactions: list[Interaction]) -> tuple[str, ...]:
    with_topics = [(i.on, i.id or 0, n, i) for n, i in enumerate(interactions) if i.topics]
    if not with_topics:
        return ()
    return max(with_topics, key=lambda t: t[:3])[3].topics
