"""Tie strength, trust and the reciprocity balance, each with the reasons behind it.

Strength follows Gilbert & Karahalios 2009: intensity and recency (a decayed sum of
interaction weights, saturating), then two-way initiation, reciprocal services and
duration. Trust starts modest and grows with time, two-way contact and help received;
breaches and ignored asks take it away. The constants and their sources are in `rules`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from kith.core.facts import Facts
from kith.core.rules import Rules
from kith.core.wording import ago, plural, signed, span, times

# Words for a strength value (for people reading a shared file): below each cut, the word.
STRENGTH_BANDS: tuple[tuple[float, str], ...] = (
    (0.25, "a weak tie"),
    (0.5, "a moderate tie"),
    (0.75, "a strong tie"),
    (math.inf, "a very strong tie"),
)


@dataclass(frozen=True)
class Score:
    """A score from 0 to 1 with the reasons that make it up."""

    value: float  # 0..1
    reasons: tuple[str, ...]


def days_known(facts: Facts, since: date | None = None) -> int:
    """Days since we first knew them (known_since, else the given fallback), never negative."""
    start = facts.known_since or since
    return max(0, (facts.today - start).days) if start else 0


def two_way(facts: Facts, rules: Rules) -> float:
    """0..1: how far both sides start contact; grows with the less active side."""
    return min(1.0, min(facts.by_me, facts.by_them) / max(1, rules.two_way_full_at))


def balance(facts: Facts) -> int:
    """Weighted help I gave minus help I received: positive means in my favour."""
    return facts.given_weight - facts.received_weight


def strength(
    facts: Facts, rules: Rules, known: int | None = None, both_ways: float | None = None
) -> Score:
    """`known` and `both_ways`, when given, are days_known(facts) and two_way(facts, rules)."""
    known = days_known(facts) if known is None else known
    both_ways = two_way(facts, rules) if both_ways is None else both_ways
    decayed = facts.decayed[rules.half_life_index(known)] if facts.decayed else 0.0
    parts = (
        rules.strength_part_intensity * (1 - math.exp(-decayed / rules.strength_saturation)),
        rules.strength_part_two_way * both_ways,
        rules.strength_part_exchanges * _exchange_part(facts, rules),
        rules.strength_part_duration * min(1.0, known / max(1, rules.duration_full_days)),
    )
    return Score(_clamp(sum(parts)), _strength_reasons(facts, known))


def strength_band(value: float) -> str:
    """A tie strength in words: a weak, moderate, strong or very strong tie."""
    return next(word for cut, word in STRENGTH_BANDS if value < cut)


def trust(
    facts: Facts, rules: Rules, known: int | None = None, both_ways: float | None = None
) -> Score:
    """`known` and `both_ways`, when given, are days_known(facts) and two_way(facts, rules)."""
    known = days_known(facts) if known is None else known
    both_ways = two_way(facts, rules) if both_ways is None else both_ways
    resolved = facts.breaches - facts.open_breaches
    value = (
        rules.trust_base
        + rules.trust_part_duration * min(1.0, known / max(1, rules.trust_duration_full_days))
        + rules.trust_part_two_way * both_ways
        + rules.trust_part_received
        * min(1.0, facts.received_count / max(1, rules.trust_received_full_at))
        + rules.trust_per_ask_yes * min(facts.asks_yes, rules.trust_asks_yes_cap)
        - rules.trust_per_ask_ignored * facts.asks_ignored
        - rules.trust_per_open_breach * facts.open_breaches
        - rules.trust_per_resolved_breach * resolved
    )
    return Score(_clamp(value), _trust_reasons(facts, resolved))


def _exchange_part(facts: Facts, rules: Rules) -> float:
    total = facts.given_count + facts.received_count
    return 1 - math.exp(-total / rules.exchanges_saturation)


def _clamp(value: float) -> float:
    return 1.0 if value > 1.0 else (value if value > 0.0 else 0.0)


def known_for(days: int) -> str:
    """How long I have known someone, in words."""
    return "met today" if days == 0 else f"known for {span(days)}"


def initiation_words(facts: Facts) -> str:
    """Who reaches out, in words."""
    if facts.by_me and facts.by_them:
        return f"both of you reach out ({facts.by_me} by you, {facts.by_them} by them)"
    if facts.by_me:
        return f"only you reach out ({times(facts.by_me)})"
    if facts.by_them:
        return f"only they reach out ({times(facts.by_them)})"
    return "no interaction logged yet"


def reciprocity_words(facts: Facts) -> str:
    """How help has flowed between us, in words, with the balance."""
    received = (
        f"received {times(facts.received_count)}" if facts.received_count else "received nothing"
    )
    return (
        f"you have given {times(facts.given_count)} and {received} "
        f"(balance {signed(balance(facts))})"
    )


def _strength_reasons(facts: Facts, known: int) -> tuple[str, ...]:
    reasons = []
    if facts.last_contact is None:
        reasons.append("no contact yet in which they took part")
    else:
        last = (facts.today - facts.last_contact).days
        reasons.append(f"{plural(facts.contacts, 'contact')}, the last {ago(last)}")
    if facts.known_since is not None:
        reasons.append(known_for(known))
    reasons.append(initiation_words(facts))
    if facts.given_count or facts.received_count:
        reasons.append(reciprocity_words(facts))
    return tuple(reasons)


def _trust_reasons(facts: Facts, resolved: int) -> tuple[str, ...]:
    reasons = []
    if facts.received_count:
        reasons.append(f"they have helped you {times(facts.received_count)}")
    if facts.asks_yes:
        reasons.append(f"they said yes to {plural(facts.asks_yes, 'ask')} of yours")
    if facts.asks_ignored:
        reasons.append(f"they ignored {plural(facts.asks_ignored, 'ask')} of yours")
    if facts.open_breaches:
        reasons.append(f"{plural(facts.open_breaches, 'unresolved breach', 'unresolved breaches')}")
    if resolved:
        reasons.append(f"{plural(resolved, 'resolved breach', 'resolved breaches')}")
    if not reasons:
        reasons.append("no help, asks or breaches yet: trust rests on time and contact")
    return tuple(reasons)
