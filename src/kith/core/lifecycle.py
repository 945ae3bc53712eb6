"""The lifecycle: seed → growing → trusted, dormant when quiet, weed when defective.

A stage is computed from the history every time, never stored as truth. `judge` first
works out what the history has earned (seed, growing or trusted), then applies the flags in
order: pruned (the user's decision), weed (a defect: a one-sided taker, a recent unresolved
breach, outreach unanswered again and again by someone who never became close), dormant (a
grown tie gone quiet: revive it; Levin, Walter & Murnighan 2011). Quiet alone never makes a
weed, and neither does a low score (Granovetter 1973).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from kith.core.facts import Facts
from kith.core.model import Breach, Person, PersonState, Stage
from kith.core.rules import Rules
from kith.core.scores import (
    Score,
    balance,
    days_known,
    initiation_words,
    known_for,
    reciprocity_words,
    strength,
    trust,
    two_way,
)
from kith.core.wording import ago, plural, signed, span, times


class WeedCause(StrEnum):
    """Why someone is a weed."""

    TAKER = "taker"  # a lopsided ledger, or they ask and pitch without giving
    BREACH = "breach"  # a recent breach of trust, not resolved
    UNANSWERED = "unanswered"  # outreach unanswered again and again, tie never grew


@dataclass(frozen=True)
class Verdict:
    """A person's judged stage, scores, balance and next feed date, with the reasons."""

    stage: Stage
    strength: Score
    trust: Score
    balance: int
    next_feed: date | None
    cadence_days: int
    reasons: tuple[str, ...]  # the weed reasons (if any) first, then the context
    grown: Stage = Stage.SEED  # what the history has earned: seed, growing or trusted
    quiet: bool = False  # grown, but no contact for several cadences
    weed_causes: tuple[WeedCause, ...] = ()
    weed_reasons: tuple[str, ...] = ()  # why it is a weed: the defects alone
    open_breaches: int = 0
    known_days: int = 0
    awaiting_follow_up: bool = False  # a new seed met, not yet followed up: due at once

    @property
    def unflagged(self) -> Stage:
        """The stage before the weed and pruned flags: seed, growing, trusted or dormant."""
        return Stage.DORMANT if self.quiet else self.grown


def judge(person: Person, facts: Facts, rules: Rules) -> Verdict:
    """The stage of one person, with scores, the next feed date and the reasons."""
    # Strength reads the days known (without the created_on fallback) and how two-way the
    # contact is: work them out once.
    facts_known, both_ways = days_known(facts), two_way(facts, rules)
    trust_score = trust(facts, rules)
    known = facts_known if facts.known_since else days_known(facts, person.created_on)
    grown, grown_reasons = _grown(facts, known, trust_score, rules)
    cadence = cadence_days(person, grown, known, rules)
    anchor = facts.last_contact or facts.known_since or person.created_on
    quiet_days = (facts.today - anchor).days if anchor else 0
    quiet = grown is not Stage.SEED and quiet_days >= rules.dormant_after_cadences * cadence
    fresh = awaiting_follow_up(facts, grown, known, rules)
    causes, weed_reasons = _weed(facts, grown, rules)
    stage, context = _stage(person, grown, quiet=quiet, grown_reasons=grown_reasons)
    context += _contact_lines(facts, quiet_days, cadence, WeedCause.UNANSWERED in causes)
    context += _pitch_lines(facts)
    if causes and (facts.given_count or facts.received_count) and WeedCause.TAKER not in causes:
        context += (reciprocity_words(facts),)
    if causes and stage is not Stage.PRUNED:
        stage = Stage.WEED
    return Verdict(
        stage=stage,
        strength=strength(facts, rules, facts_known, both_ways),
        trust=trust_score,
        balance=balance(facts),
        next_feed=_next_feed(anchor, cadence, fresh),
        cadence_days=cadence,
        reasons=(*weed_reasons, *context) if stage is Stage.WEED else context,
        grown=grown,
        quiet=quiet,
        weed_causes=causes,
        weed_reasons=tuple(weed_reasons),
        open_breaches=facts.open_breaches,
        known_days=known,
        awaiting_follow_up=fresh,
    )


def awaiting_follow_up(facts: Facts, grown: Stage, known: int, rules: Rules) -> bool:
    """A new seed met within the seed window and not yet followed up.

    At most one interaction so far. The step from the first meeting to the second matters
    most (Dunbar), and new ties decay fastest (Burt 2000), so it is due at once.
    """
    return grown is Stage.SEED and known < rules.seed_days and facts.interactions <= 1


def _next_feed(anchor: date | None, cadence: int, fresh: bool) -> date | None:
    if anchor is None:
        return None
    return anchor if fresh else anchor + timedelta(days=cadence)


def cadence_days(person: Person, grown: Stage, known: int, rules: Rules) -> int:
    """Days between feeds for this person.

    A person's override wins; else short for new seeds (follow up the first meeting within
    days), monthly while growing, quarterly once trusted, and yearly for old seeds that never
    grew (weak ties are still worth a yearly word: Granovetter).
    """
    if person.cadence_days:
        return person.cadence_days
    if grown is Stage.TRUSTED:
        return rules.cadence_trusted
    if grown is Stage.GROWING:
        return rules.cadence_growing
    if known < rules.seed_days:
        return rules.cadence_new_seed
    if known < rules.seed_stale_after_days:
        return rules.cadence_seed
    return rules.cadence_stale_seed


def _stage(
    person: Person, grown: Stage, *, quiet: bool, grown_reasons: list[str]
) -> tuple[Stage, tuple[str, ...]]:
    """The stage before the weed flag, and the reasons that describe the tie."""
    if person.state is PersonState.PRUNED:
        why = f": {person.pruned_reason}" if person.pruned_reason else ""
        return Stage.PRUNED, (f"you pruned them{why} (restore brings them back)",)
    if quiet:
        return Stage.DORMANT, (f"a {grown.value} tie gone quiet: revive it", *grown_reasons)
    return grown, tuple(grown_reasons)


def _grown(facts: Facts, known: int, trust_score: Score, rules: Rules) -> tuple[Stage, list[str]]:
    """What the history has earned, before any flag, with the reasons."""
    if known < rules.seed_days:
        return Stage.SEED, [f"a seed: {known_for(known)} (seeds grow for a month)"]
    if facts.contacts < rules.seed_min_contacts:
        return Stage.SEED, [
            f"a seed: {plural(facts.contacts, 'contact')} in which they took part "
            f"({rules.seed_min_contacts} make a relationship)"
        ]
    missing = _not_yet_trusted(facts, known, trust_score, rules)
    if not missing:
        how = "help has flowed both ways" if facts.received_count else "you have given first"
        return Stage.TRUSTED, [
            f"trusted: known for {span(known)}, {plural(facts.contacts, 'contact')}, "
            f"both of you reach out, {how}"
        ]
    return Stage.GROWING, [
        f"growing: {plural(facts.contacts, 'contact')} with them taking part",
        "not yet trusted: " + "; ".join(missing),
    ]


def _not_yet_trusted(facts: Facts, known: int, trust_score: Score, rules: Rules) -> list[str]:
    missing = []
    if known < rules.trusted_min_days:
        missing.append(f"known for {span(known)}, trust takes {span(rules.trusted_min_days)}")
    if facts.contacts < rules.trusted_min_contacts:
        missing.append(f"{plural(facts.contacts, 'contact')} of {rules.trusted_min_contacts}")
    if min(facts.by_me, facts.by_them) < rules.trusted_min_each_side:
        missing.append(initiation_words(facts))
    if facts.given_count < rules.trusted_min_given:
        missing.append("you have not given them anything yet: give first")
    if facts.open_breaches:
        missing.append("an unresolved breach")
    if trust_score.value < rules.trusted_min_trust:
        missing.append(f"trust {trust_score.value:.2f} below {rules.trusted_min_trust:.2f}")
    return missing


def _weed(facts: Facts, grown: Stage, rules: Rules) -> tuple[tuple[WeedCause, ...], list[str]]:
    """The defects that flag a weed; quiet and weakness are never among them."""
    causes: list[WeedCause] = []
    reasons: list[str] = []
    taking = _taking(facts, rules)
    if taking:
        causes.append(WeedCause.TAKER)
        reasons += taking
    if facts.last_open_breach is not None:
        age = (facts.today - facts.last_open_breach).days
        if age < rules.breach_recent_days:
            causes.append(WeedCause.BREACH)
            reasons.append(
                f"a breach of trust {ago(age)}, not made right "
                "(kith forgive records it when they mend it)"
            )
    streak = facts.unanswered_streak
    if grown is Stage.SEED and streak >= rules.unanswered_weed_streak:
        causes.append(WeedCause.UNANSWERED)
        reasons.append(f"{plural(streak, 'outreach', 'outreaches')} unanswered in a row")
    return tuple(causes), reasons


def is_lopsided(facts: Facts, rules: Rules) -> bool:
    """I gave again and again and they returned little of its weight.

    The balance and its ratio decide, never whether they ever gave (a token favour does not
    clear a taker).
    """
    return (
        facts.given_count >= rules.taker_min_given
        and balance(facts) >= rules.taker_min_balance
        and facts.received_weight <= rules.taker_max_return * facts.given_weight
    )


def asks_without_giving(facts: Facts, rules: Rules) -> bool:
    """They ask and pitch far more often than they give."""
    taking = facts.their_asks + facts.their_pitches
    return (
        taking >= rules.taker_min_asks
        and taking > rules.taker_max_asks_per_gift * facts.received_count
    )


def _taking(facts: Facts, rules: Rules) -> list[str]:
    reasons = []
    if is_lopsided(facts, rules):
        gave = f"you have given {times(facts.given_count)} ({plural(facts.given_weight, 'point')})"
        if facts.received_weight:
            share = facts.received_weight / facts.given_weight
            got = (
                f"received {times(facts.received_count)} "
                f"({plural(facts.received_weight, 'point')}): they return {share:.0%} of it"
            )
        else:
            got = "they never gave back"
        reasons.append(f"one-sided: {gave} and {got}, balance {signed(balance(facts))}")
    if asks_without_giving(facts, rules):
        gave = f"given {times(facts.received_count)}" if facts.received_count else "never given"
        reasons.append(
            f"they ask and pitch without giving: {plural(facts.their_asks, 'ask')} and "
            f"{plural(facts.their_pitches, 'pitch', 'pitches')} of theirs, and they have {gave}"
        )
    return reasons


def _contact_lines(
    facts: Facts, quiet_days: int, cadence: int, streak_told: bool
) -> tuple[str, ...]:
    """When we were last in touch, saying what counts as contact."""
    if facts.last_contact is not None:
        lines = [
            f"last contact {ago(quiet_days)} (they took part, or you introduced them), "
            f"cadence {cadence}"
        ]
    elif facts.known_since is not None:
        lines = [f"no contact yet since you met {ago(quiet_days)}, cadence {cadence}"]
    else:
        lines = [f"no contact yet, added {ago(quiet_days)}, cadence {cadence}"]
    if facts.last_outreach is not None and not streak_told:
        outreach_age = (facts.today - facts.last_outreach).days
        run = f" ({facts.unanswered_streak} in a row)" if facts.unanswered_streak > 1 else ""
        lines.append(f"your last outreach, {ago(outreach_age)}, is unanswered{run}")
    return tuple(lines)


def _pitch_lines(facts: Facts) -> tuple[str, ...]:
    """The seed's rule applied to them: selling before a relationship exists."""
    if facts.last_premature_pitch is None:
        return ()
    age = (facts.today - facts.last_premature_pitch).days
    return (
        f"they pitched you {ago(age)} before the relationship could carry it "
        "(selling before trust: the rule you keep too)",
    )


def with_mending_story(verdict: Verdict, breaches: Sequence[Breach], today: date) -> Verdict:
    """The verdict with the story of each breach made right among its trust reasons.

    As in "a breach 90 days ago, made right 30 days ago: apologised and made the intro".
    """
    stories = tuple(
        f"a breach {ago((today - b.on).days)}, made right {ago((today - b.resolved_on).days)}"
        + (f": {b.resolution}" if b.resolution else "")
        for b in breaches
        if b.resolved_on is not None and b.on <= b.resolved_on <= today
    )
    if not stories:
        return verdict
    trust_score = replace(verdict.trust, reasons=(*verdict.trust.reasons, *stories))
    return replace(verdict, trust=trust_score)
