"""Tie strength, trust and the reciprocity balance, each with the reasons behind it.

Strength follows Gilbert & Karahalios 2009: intensity and recency (a decayed sum of
interaction weights, saturating), then two-way initiation, reciprocal services and
duration. Trust is Beta reputation over evidence (Jøsang & Ismail 2002): help received,
asks honoured and contact they take part in count for it; breaches, ignored asks,
unanswered outreach and premature pitches against it; time alone earns nothing. The
constants and their sources are in `rules`.
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
    uncertainty: float = 0.0  # 0..1: how little evidence the value rests on (trust only)


@dataclass(frozen=True)
class Evidence:
    """Trust evidence in observations: `good` for, `bad` against (Beta reputation's r, s)."""

    good: float
    bad: float

    def expected(self, rules: Rules) -> float:
        """(r + a·W) / (r + s + W): the expected trustworthiness."""
        total = self.good + self.bad + rules.trust_prior_weight
        return (self.good + rules.trust_base_rate * rules.trust_prior_weight) / total

    def uncertainty(self, rules: Rules) -> float:
        """W / (r + s + W): 1 with no evidence, towards 0 as evidence piles up."""
        return rules.trust_prior_weight / (self.good + self.bad + rules.trust_prior_weight)


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


def trust_evidence(facts: Facts, rules: Rules) -> Evidence:
    """The evidence for and against trusting them, in observations."""
    good = (
        facts.evidence_contacts
        + rules.trust_per_received_point * facts.evidence_received
        + rules.trust_per_ask_yes * facts.evidence_yes
    )
    bad = (
        rules.trust_per_open_breach * facts.open_breaches
        + rules.trust_per_mended_breach * facts.mended_breaches
        + rules.trust_per_ask_ignored * facts.asks_ignored
        + rules.trust_per_unanswered * facts.unanswered_streak
        + rules.trust_per_premature_pitch * facts.premature_pitches
    )
    return Evidence(good, bad)


def trust(facts: Facts, rules: Rules) -> Score:
    """Expected trust from the evidence, with its uncertainty and the reasons."""
    evidence = trust_evidence(facts, rules)
    return Score(
        _clamp(evidence.expected(rules)),
        _trust_reasons(facts, evidence, rules),
        evidence.uncertainty(rules),
    )


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


def _trust_reasons(facts: Facts, evidence: Evidence, rules: Rules) -> tuple[str, ...]:
    total = evidence.good + evidence.bad
    amount = (
        "little evidence yet"
        if total < rules.trust_little_evidence
        else "some evidence"
        if total < rules.trust_much_evidence
        else "much evidence"
    )
    return (f"{amount}: {_evidence_words(facts)}", *_against_words(facts))


def _evidence_words(facts: Facts) -> str:
    """What trust rests on, in words: '1 contact', '5 contacts, they helped you twice'."""
    parts = [plural(facts.contacts, "contact")] if facts.contacts else ["no contact yet"]
    if facts.by_them:
        parts.append(f"they reached out {times(facts.by_them)}")
    if facts.received_count:
        parts.append(f"they helped you {times(facts.received_count)}")
    if facts.asks_yes:
        parts.append(f"they said yes to {plural(facts.asks_yes, 'ask')} of yours")
    return ", ".join(parts)


def _against_words(facts: Facts) -> list[str]:
    lines = []
    if facts.open_breaches:
        lines.append(
            f"{plural(facts.open_breaches, 'breach', 'breaches')} not made right "
            "weigh heavily against them"
        )
    if facts.mended_breaches and facts.last_mended is not None:
        mended = (facts.today - facts.last_mended).days
        lines.append(
            f"{plural(facts.mended_breaches, 'breach', 'breaches')} made right "
            f"(the last {ago(mended)}): trust recovers, never fully"
        )
    if facts.asks_ignored:
        lines.append(f"they ignored {plural(facts.asks_ignored, 'ask')} of yours")
    if facts.unanswered_streak:
        lines.append(
            f"{plural(facts.unanswered_streak, 'outreach', 'outreaches')} of yours unanswered"
        )
    if facts.premature_pitches:
        lines.append(
            f"they pitched you {times(facts.premature_pitches)} before the relationship "
            "could carry it"
        )
    return lines
