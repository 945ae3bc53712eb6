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
    # The last contact: an interaction they took part in, or an introduction I made for them.
    last_contact: date | None
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
    # --- Evidence for trust (Beta reputation): decayed by age with rules.trust_half_life.
    evidence_contacts: float = 0.0  # contacts, weighted by who reached out
    evidence_received: float = 0.0  # weight points of help they gave me
    evidence_yes: float = 0.0  # my asks they honoured
    # --- What they asked of me (kith asked-by): asks, pitches, and pitches made too early.
    their_asks: int = 0  # plain asks (not pitches)
    their_pitches: int = 0
    premature_pitches: int = 0
    last_premature_pitch: date | None = None
    # --- Contact beyond the interaction log.
    last_intro: date | None = None  # the latest introduction I made for them
    last_outreach: date | None = None  # my latest outreach left unanswered since they took part
    last_mended: date | None = None  # the latest breach made right (kith forgive)

    @property
    def mended_breaches(self) -> int:
        """Breaches made right by today."""
        return self.breaches - self.open_breaches


# The facts that follow from others are derived here only: `summarize` (the reference), the
# kept rows (`kept_facts.facts_on`) and the set-based SQL (`store/facts.py`) all call these.


def known_since(met_on: date | None, first_contact: date | None, today: date) -> date | None:
    """The earliest of `met_on` (unless it is after `today`) and the first interaction."""
    met = met_on if met_on is not None and met_on <= today else None
    return earliest(met, first_contact)


def last_contact(last_answered: date | None, last_intro: date | None) -> date | None:
    """The last contact: an interaction they took part in, or an introduction I made for them."""
    return latest(last_answered, last_intro)


def earliest(*days: date | None) -> date | None:
    """The earliest of the known days, or None when none is known."""
    return min((d for d in days if d is not None), default=None)


def latest(*days: date | None) -> date | None:
    """The latest of the known days, or None when none is known."""
    return max((d for d in days if d is not None), default=None)
