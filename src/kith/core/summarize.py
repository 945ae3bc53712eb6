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
- last_contact: the date of the last contact: the latest interaction they took part in
  (unanswered outreaches excluded) or introduction I made for them (an exchange given
  with an intro), whichever is later.
- interactions, by_me, by_them: counts of all interactions, of those I initiated, and of
  those they initiated. contacts: the count of contacts.
- unanswered_streak: my unanswered outreaches dated strictly after the last interaction
  they took part in (all of them if there never was one): how often in a row I reached out
  in vain. An introduction I made for them is contact, but no answer to my outreach.
  last_outreach: the latest of those outreaches.
- decayed[i]: the sum over contacts of weight(kind) * 0.5 ** (age_days / half_lives[i]),
  where age_days is today minus the contact's date.
- given_*/received_*: the count and summed weight of exchanges in each direction, and the
  date of the first one.
- breaches: all breaches; open_breaches: those not resolved by today; last_open_breach: the
  date of the latest open one; last_mended: the latest resolved_on on or before today.
- evidence_contacts: the sum over contacts of rules.contact_evidence(they initiated),
  decayed by age with rules.trust_half_life; evidence_received: the weights of help
  received, decayed likewise; evidence_yes: my asks with the outcome yes by today, each
  decayed from its outcome date (the ask's date when the outcome has none).
- their_asks / their_pitches: what they asked of me, split into plain asks and pitches;
  premature_pitches and last_premature_pitch: the pitches recorded as premature.
- last_intro: the latest exchange I gave them as an introduction.
- asks_open/yes/no/ignored: my asks by their outcome as of today.
- last_topics: the topics of the latest interaction that has any (by date, then by id, then
  by position in the history).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from kith.core.facts import Facts, known_since, last_contact
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
    theirs = [a for a in history.their_asks if a.on <= today]
    contacts = [i for i in interactions if is_contact(i)]
    first_contact = min((i.on for i in interactions), default=None)
    answered = max((i.on for i in contacts), default=None)
    intros = [e.on for e in exchanges if e.intro_id is not None and e.direction is Direction.GIVEN]
    last_intro = max(intros, default=None)
    outreach = _unanswered_since(interactions, answered)
    given = [e for e in exchanges if e.direction is Direction.GIVEN]
    received = [e for e in exchanges if e.direction is Direction.RECEIVED]
    open_breaches = [b for b in breaches if not _on_or_before(b.resolved_on, today)]
    outcomes = [_outcome_today(a, today) for a in asks]
    return Facts(
        person_id=history.person.id,
        today=today,
        known_since=known_since(history.person.met_on, first_contact, today),
        first_contact=first_contact,
        last_contact=last_contact(answered, last_intro),
        interactions=len(interactions),
        by_me=sum(1 for i in interactions if i.by is Initiator.ME),
        by_them=sum(1 for i in interactions if i.by is Initiator.THEM),
        unanswered_streak=len(outreach),
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
        evidence_contacts=_decayed(
            ((i.on, rules.contact_evidence(i.by is Initiator.THEM)) for i in contacts),
            today,
            rules.trust_half_life,
        ),
        evidence_received=_decayed(
            ((e.on, e.weight) for e in received), today, rules.trust_half_life
        ),
        evidence_yes=_decayed(
            (
                (a.outcome_on or a.on, 1.0)
                for a, o in zip(asks, outcomes, strict=True)
                if o is AskOutcome.YES
            ),
            today,
            rules.trust_half_life,
        ),
        their_asks=sum(1 for a in theirs if not a.pitch),
        their_pitches=sum(1 for a in theirs if a.pitch),
        premature_pitches=sum(1 for a in theirs if a.premature),
        last_premature_pitch=max((a.on for a in theirs if a.premature), default=None),
        last_intro=last_intro,
        last_outreach=max(outreach, default=None),
        last_mended=_latest(*(b.resolved_on for b in breaches), before=today),
    )


def _on_or_before(day: date | None, today: date) -> bool:
    return day is not None and day <= today


def _latest(*days: date | None, before: date | None = None) -> date | None:
    """The latest of the known days (on or before `before`, when given)."""
    return max((d for d in days if d is not None and (before is None or d <= before)), default=None)


def _unanswered_since(interactions: Iterable[Interaction], answered: date | None) -> list[date]:
    """The dates of my outreaches left unanswered after the last contact in the log."""
    return [
        i.on for i in interactions if not is_contact(i) and (answered is None or i.on > answered)
    ]


def _decayed(dated: Iterable[tuple[date, float]], today: date, half_life: float) -> float:
    return math.fsum(decay(weight, (today - on).days, half_life) for on, weight in dated)


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
