"""Facts: the summary of one person's history that every judgement reads.

A garden of 20,000 people and a million interactions cannot be judged one interaction at
a time in Python, so the rules read these per-person aggregates instead. They can be
computed two ways that must agree: `summarize` in pure Python from a `History` (for one
person, and as the reference in tests), and the set-based SQL in `kith.store.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Facts:
    """What one person's history adds up to today: the inputs of every judgement."""

    person_id: int
    today: date
    known_since: date | None  # the earliest of met_on and the first interaction
    first_contact: date | None  # first interaction
    last_contact: date | None  # last interaction that was not an unanswered outreach
    interactions: int
    by_me: int  # interactions I initiated
    by_them: int  # interactions they initiated
    unanswered_streak: int  # my outreaches left unanswered since they last took part
    decayed: tuple[float, ...]  # sum of kind weights decayed by age, one per half-life in rules
    given_count: int
    given_weight: int
    received_count: int
    received_weight: int
    first_given: date | None
    first_received: date | None
    breaches: int
    open_breaches: int
    last_open_breach: date | None
    asks_open: int  # my asks of them still waiting for an outcome
    asks_yes: int
    asks_no: int
    asks_ignored: int
    last_topics: tuple[str, ...] = ()  # topics of the most recent interaction that had any
    contacts: int = 0  # interactions they took part in: they initiated, or it was answered
