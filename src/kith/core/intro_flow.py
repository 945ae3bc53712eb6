"""The double opt-in introduction: proposed → asked (each side) → accepted → made → outcome.

I vouch for both sides, so neither is introduced before both have said yes. A made intro
is help given to both: each side gets an exchange in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.model import Direction, Exchange, ExchangeKind, Intro, IntroState, Stage

MADE_INTRO_WEIGHT = 2  # a warm introduction: more than a small kindness, less than a referral


# I vouch for both sides of an introduction: only ties that grew, and never anyone who
# broke trust (even a resolved breach), a weed, a pruned person or a new seed.
VOUCHABLE_STAGES = (Stage.GROWING, Stage.TRUSTED, Stage.DORMANT)


def can_vouch(verdict: Verdict, facts: Facts) -> bool:
    """Whether I can vouch for this person in an introduction."""
    return verdict.stage in VOUCHABLE_STAGES and facts.breaches == 0


def why_not_vouch(name: str, verdict: Verdict, facts: Facts) -> str | None:
    """None when I can vouch for them; else why not, in words."""
    if facts.breaches:
        return f"you cannot vouch for {name}: they broke your trust before"
    if verdict.stage not in VOUCHABLE_STAGES:
        return (
            f"you cannot vouch for {name} ({verdict.stage.value}): introduce only people"
            " whose relationship with you grew and kept trust"
        )
    return None


def open_between(intros: list[Intro], a_id: int, b_id: int) -> Intro | None:
    """An introduction of these two that is under way or made (declined ones don't count)."""
    pair = {a_id, b_id}
    return next(
        (i for i in intros if {i.a_id, i.b_id} == pair and i.state is not IntroState.DECLINED),
        None,
    )


class IntroStep(StrEnum):
    """A step of the double opt-in introduction, as the user names it."""

    ASKED_A = "asked-a"  # I asked A whether they want to meet B
    ASKED_B = "asked-b"
    ACCEPTED = "accepted"  # both said yes
    DECLINED = "declined"  # either said no: the intro stops here, no harm done
    MADE = "made"  # I connected them
    OUTCOME = "outcome"  # what came of it


class IntroFlowError(ValueError):
    """A step that does not follow from the intro's state; the message says why.

    `field` names the input at fault: the step itself, or what came with it (the outcome).
    """

    def __init__(self, message: str, field: str = "step") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Advanced:
    """An introduction after a step, and the help that step records."""

    intro: Intro
    exchanges: tuple[Exchange, ...] = ()  # help given, to record in the ledger


_CLOSED = (IntroState.DECLINED,)


def advance(
    intro: Intro,
    step: IntroStep,
    on: date,
    outcome: str | None = None,
    names: tuple[str, str] = ("A", "B"),
) -> Advanced:
    """The intro after `step` on `on`, or IntroFlowError when the step is out of order."""
    if intro.state in _CLOSED:
        raise IntroFlowError("this introduction was declined; start a new one if things changed")
    if on < intro.proposed_on:
        raise IntroFlowError(f"{on.isoformat()} is before the intro was proposed")
    handlers = {
        IntroStep.ASKED_A: _asked_a,
        IntroStep.ASKED_B: _asked_b,
        IntroStep.ACCEPTED: _accepted,
        IntroStep.DECLINED: _declined,
        IntroStep.OUTCOME: _outcome,
    }
    if step is IntroStep.MADE:
        return _made(intro, on, names)
    return handlers[step](intro, on, outcome)


def _before_made(intro: Intro, what: str) -> None:
    if intro.state in (IntroState.MADE,):
        raise IntroFlowError(f"the intro is already made; {what} comes before that")


def _asked_a(intro: Intro, on: date, _outcome: str | None) -> Advanced:
    _before_made(intro, "asking")
    return Advanced(replace(intro, asked_a_on=on, state=_asked_state(intro)))


def _asked_b(intro: Intro, on: date, _outcome: str | None) -> Advanced:
    _before_made(intro, "asking")
    return Advanced(replace(intro, asked_b_on=on, state=_asked_state(intro)))


def _asked_state(intro: Intro) -> IntroState:
    return IntroState.ACCEPTED if intro.state is IntroState.ACCEPTED else IntroState.ASKED


def _accepted(intro: Intro, on: date, _outcome: str | None) -> Advanced:
    _before_made(intro, "accepting")
    if intro.asked_a_on is None or intro.asked_b_on is None:
        raise IntroFlowError("double opt-in: ask both sides (asked-a, asked-b) before they accept")
    return Advanced(replace(intro, accepted_on=on, state=IntroState.ACCEPTED))


def _declined(intro: Intro, on: date, outcome: str | None) -> Advanced:
    _before_made(intro, "declining")
    return Advanced(replace(intro, state=IntroState.DECLINED, outcome=outcome, outcome_on=on))


def _made(intro: Intro, on: date, names: tuple[str, str]) -> Advanced:
    if intro.state is IntroState.MADE and intro.made_on is not None:
        raise IntroFlowError(f"this introduction was already made on {intro.made_on.isoformat()}")
    if intro.state is not IntroState.ACCEPTED:
        raise IntroFlowError("double opt-in: both sides must accept before the intro is made")
    a_name, b_name = names
    gifts = (
        Exchange(
            intro.a_id,
            on,
            Direction.GIVEN,
            f"introduced to {b_name}",
            ExchangeKind.INTRO,
            MADE_INTRO_WEIGHT,
            intro_id=intro.id,
        ),
        Exchange(
            intro.b_id,
            on,
            Direction.GIVEN,
            f"introduced to {a_name}",
            ExchangeKind.INTRO,
            MADE_INTRO_WEIGHT,
            intro_id=intro.id,
        ),
    )
    return Advanced(replace(intro, made_on=on, state=IntroState.MADE), gifts)


def _outcome(intro: Intro, on: date, outcome: str | None) -> Advanced:
    if intro.state is not IntroState.MADE:
        raise IntroFlowError("an outcome follows a made intro")
    if not outcome or not outcome.strip():
        raise IntroFlowError("say what came of it", field="outcome")
    return Advanced(replace(intro, outcome=outcome.strip(), outcome_on=on))


def next_step(intro: Intro, a: str, b: str) -> str | None:
    """What I should do next for an open introduction, in words; None when nothing is open.

    Double opt-in: ask A, then B, connect them once both said yes, then ask how it went.
    """
    if intro.state is IntroState.DECLINED or intro.outcome is not None:
        return None
    if intro.state is IntroState.MADE:
        return f"ask {a} and {b} how it went"
    if intro.state is IntroState.ACCEPTED:
        return f"introduce {a} and {b}: both said yes"
    if intro.asked_a_on is None:
        return f"ask {a} whether they want to meet {b}"
    if intro.asked_b_on is None:
        return f"ask {b} whether they want to meet {a}"
    return f"wait for {a} and {b} to answer, then record it (kith intro-step)"
