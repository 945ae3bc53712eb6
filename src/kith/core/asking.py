"""The ask check: is this relationship ready for this ask, and if not, what to give first.

Small asks are fine from early on: people underestimate by up to half how often others
agree to a direct request (Flynn & Lake 2008), so kith gates on reciprocity and recency,
not on a high strength threshold. A medium ask needs a growing relationship in which I have
given and no ask of mine still open; a large ask and any pitch (selling) need a trusted
relationship, a balance in my favour or roughly even (`rules.ask_even_*`), and no ask of
mine still open; a small ask may sit beside one open ask. Pruned people and weeds are never ready,
with one exception: a weed who is only a one-sided taker. Asking someone who has taken
again and again for something in return is fair, and their answer says whether to prune;
it is judged on the stage the history earned, so giving never makes an ask less ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kith.core.facts import Facts
from kith.core.gestures import (
    HOW_CAN_I_HELP,
    follow_up_topic,
    help_with_need,
    share_on_interest,
)
from kith.core.lifecycle import Verdict, WeedCause
from kith.core.model import AskSize, Person, Stage
from kith.core.rules import Rules
from kith.core.wording import ago, plural, signed

_SIZES = (AskSize.SMALL, AskSize.MEDIUM, AskSize.LARGE)


@dataclass(frozen=True)
class AskCheck:
    """Whether an ask would be welcome now, why, and what to give first when it would not."""

    ready: bool
    stage: Stage
    reasons: tuple[str, ...]
    give_first: tuple[str, ...]  # suggestions when not ready; empty when ready
    max_size: AskSize | None  # the largest plain ask this relationship carries today


def check_ask(  # noqa: PLR0917 - the contract the app calls positionally
    person: Person,
    facts: Facts,
    verdict: Verdict,
    size: AskSize,
    pitch: bool,
    give_first: Sequence[str],
    rules: Rules,
) -> AskCheck:
    """Whether asking `person` for an ask of `size` (or a pitch) is ready, and why."""
    del person  # the verdict already carries what matters about them
    blocked = _blocked(verdict)
    if blocked:
        return AskCheck(False, verdict.stage, blocked, _instead_of_giving(verdict), None)
    stage = verdict.unflagged  # a taker-only weed is judged on what the history earned
    fits = {s: _missing(s, stage, facts, verdict, rules) for s in _SIZES}
    wanted = AskSize.LARGE if pitch else size
    missing = fits[wanted]
    max_size = next((s for s in reversed(_SIZES) if not fits[s]), None)
    reasons = list(_taker_note(verdict))
    if missing:
        what = "a pitch" if pitch else f"a {size.value} ask"
        reasons.append(f"not ready for {what}: {missing[0]}")
        reasons += missing[1:]
    else:
        reasons.append(_ready_reason(wanted, pitch, verdict))
    ready = not missing
    advice = () if ready else _taker_advice(verdict) or tuple(give_first)
    return AskCheck(ready, verdict.stage, tuple(reasons), advice, max_size)


def pitch_is_premature(facts: Facts, verdict: Verdict, rules: Rules) -> bool:
    """The seed's rule applied to them: is their pitch premature?

    It is, unless the relationship is trusted and the ledger is in their favour or roughly even (as
    mine must be for mine).
    """
    if verdict.unflagged is not Stage.TRUSTED:
        return True
    return -verdict.balance < -even_tolerance(facts, rules)


def give_first_suggestions(
    can_help: Sequence[tuple[str, str]],
    shared_interests: Sequence[str],
    last_topics: Sequence[str],
) -> tuple[str, ...]:
    """What to give before asking, most generous first.

    Their needs I can meet (need, my offer), then something on a shared interest or the last
    topic; "How can I help you?" if nothing else.
    """
    suggestions = [help_with_need(need, offer) for need, offer in can_help]
    suggestions += [share_on_interest(i) for i in shared_interests]
    suggestions += [follow_up_topic(t) for t in last_topics]
    unique = tuple(dict.fromkeys(suggestions))
    return unique or (HOW_CAN_I_HELP,)


def _blocked(verdict: Verdict) -> tuple[str, ...]:
    if verdict.stage is Stage.PRUNED:
        return ("you pruned them: restore them before asking anything", *verdict.reasons)
    if verdict.stage is Stage.WEED and set(verdict.weed_causes) != {WeedCause.TAKER}:
        return ("flagged as a weed: do not ask, consider pruning", *verdict.weed_reasons)
    return ()


def _instead_of_giving(verdict: Verdict) -> tuple[str, ...]:
    """What to do when no ask is possible.

    The advice fits why: never "reach out again" to someone who left outreach unanswered.
    """
    if verdict.stage is Stage.PRUNED:
        return ("Restore them first, if the tie matters to you again",)
    advice = []
    if WeedCause.BREACH in verdict.weed_causes:
        advice.append(
            "Wait for them to make the breach right (record it with kith forgive), "
            "or prune them without shame"
        )
    if WeedCause.UNANSWERED in verdict.weed_causes:
        advice.append(
            "Do not reach out again: wait for them to answer, and prune them if they never do"
        )
    return tuple(advice)


def _taker_advice(verdict: Verdict) -> tuple[str, ...]:
    """Giving more to a taker is no way to earn an ask: ask for something small back."""
    if verdict.stage is not Stage.WEED:
        return ()
    return (
        "Do not give more first: ask them for something small in return; "
        "how they answer tells you whether to prune",
    )


def _taker_note(verdict: Verdict) -> tuple[str, ...]:
    if verdict.stage is not Stage.WEED:
        return ()
    return (
        "a one-sided taker: asking for something in return is fair, "
        "and how they answer tells you whether to prune",
    )


def _missing(
    size: AskSize, stage: Stage, facts: Facts, verdict: Verdict, rules: Rules
) -> list[str]:
    """What this relationship lacks for an ask of `size`; empty when it carries it."""
    if size is AskSize.SMALL:
        return _open_asks(facts, rules.ask_small_max_open)
    missing = []
    if size is AskSize.MEDIUM:
        missing += _needs_stage(stage, (Stage.GROWING, Stage.TRUSTED), "growing", facts)
        if facts.given_count < rules.ask_medium_min_given:
            missing.append("you have not given them anything yet: give first")
        return missing + _open_asks(facts, rules.ask_max_open)
    missing += _needs_stage(stage, (Stage.TRUSTED,), "trusted", facts)
    tolerance = even_tolerance(facts, rules)
    if verdict.balance < -tolerance:
        missing.append(
            f"the balance is {signed(verdict.balance)}: they have given you more than you "
            f"gave, beyond the {plural(tolerance, 'point')} a roughly even ledger allows"
        )
    return missing + _open_asks(facts, rules.ask_max_open)


def even_tolerance(facts: Facts, rules: Rules) -> int:
    """How far in their favour a ledger may be and still count as roughly even."""
    exchanged = facts.given_weight + facts.received_weight
    return max(rules.ask_even_points, round(rules.ask_even_share * exchanged))


def _open_asks(facts: Facts, allowed: int) -> list[str]:
    if facts.asks_open <= allowed:
        return []
    return [f"{plural(facts.asks_open, 'ask')} of yours still open: wait for an answer"]


def _needs_stage(stage: Stage, allowed: tuple[Stage, ...], word: str, facts: Facts) -> list[str]:
    if stage in allowed:
        return []
    if stage is Stage.DORMANT and facts.last_contact is not None:
        quiet = (facts.today - facts.last_contact).days
        return [f"it has gone quiet (last contact {ago(quiet)}): reconnect before asking"]
    return [f"it needs a {word} relationship, and they are {_article(stage)}"]


def _article(stage: Stage) -> str:
    return f"{'an' if stage.value[0] in 'aeiou' else 'a'} {stage.value} tie"


def _ready_reason(size: AskSize, pitch: bool, verdict: Verdict) -> str:
    if size is AskSize.SMALL:
        return "ready: a small ask is fine early, people agree more often than you expect"
    if size is AskSize.MEDIUM:
        return "ready: a growing relationship in which you have given, no ask of yours open"
    what = "a pitch" if pitch else "a large ask"
    return (
        f"ready for {what}: a trusted relationship, balance {signed(verdict.balance)} "
        "(roughly even or in your favour), no ask of yours open"
    )
