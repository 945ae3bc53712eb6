"""The double opt-in introduction workflow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.intro_flow import MADE_INTRO_WEIGHT, IntroFlowError, IntroStep, advance
from kith.core.model import Direction, ExchangeKind, Intro, IntroState

DAY = date(2026, 11, 1)
PROPOSED = Intro(a_id=1, b_id=2, proposed_on=DAY, why="Bea needs a designer", id=7)


def walk(*steps: IntroStep) -> Intro:
    intro = PROPOSED
    for i, step in enumerate(steps):
        intro = advance(intro, step, DAY + timedelta(days=i), names=("Ana", "Bea")).intro
    return intro


def test_the_happy_path_ends_made_with_help_given_to_both() -> None:
    accepted = walk(IntroStep.ASKED_A, IntroStep.ASKED_B, IntroStep.ACCEPTED)
    assert accepted.state is IntroState.ACCEPTED
    made = advance(accepted, IntroStep.MADE, DAY + timedelta(days=5), names=("Ana", "Bea"))
    assert made.intro.state is IntroState.MADE and made.intro.made_on == DAY + timedelta(days=5)
    assert {(e.person_id, e.direction, e.kind, e.weight) for e in made.exchanges} == {
        (1, Direction.GIVEN, ExchangeKind.INTRO, MADE_INTRO_WEIGHT),
        (2, Direction.GIVEN, ExchangeKind.INTRO, MADE_INTRO_WEIGHT),
    }
    assert made.exchanges[0].what == "introduced to Bea"
    done = advance(made.intro, IntroStep.OUTCOME, DAY + timedelta(days=9), "they hired her").intro
    assert done.outcome == "they hired her"


def test_nobody_is_introduced_before_both_sides_said_yes() -> None:
    with pytest.raises(IntroFlowError, match="both sides must accept"):
        advance(walk(IntroStep.ASKED_A), IntroStep.MADE, DAY)
    with pytest.raises(IntroFlowError, match="ask both sides"):
        advance(walk(IntroStep.ASKED_A), IntroStep.ACCEPTED, DAY)


def test_a_declined_intro_stops() -> None:
    declined = walk(IntroStep.ASKED_A, IntroStep.DECLINED)
    assert declined.state is IntroState.DECLINED
    with pytest.raises(IntroFlowError, match="declined"):
        advance(declined, IntroStep.ASKED_B, DAY)


def test_an_outcome_needs_a_made_intro_and_words() -> None:
    with pytest.raises(IntroFlowError, match="follows a made intro"):
        advance(PROPOSED, IntroStep.OUTCOME, DAY, "great")
    made = walk(IntroStep.ASKED_A, IntroStep.ASKED_B, IntroStep.ACCEPTED, IntroStep.MADE)
    with pytest.raises(IntroFlowError, match="say what came of it"):
        advance(made, IntroStep.OUTCOME, DAY + timedelta(days=9), "  ")


def test_steps_cannot_predate_the_proposal() -> None:
    with pytest.raises(IntroFlowError, match="before the intro was proposed"):
        advance(PROPOSED, IntroStep.ASKED_A, DAY - timedelta(days=1))


@given(st.lists(st.sampled_from(list(IntroStep)), max_size=8))
def test_help_is_only_ever_recorded_by_a_made_step_after_acceptance(steps: list[IntroStep]) -> None:
    intro = PROPOSED
    for step in steps:
        before = intro.state
        try:
            result = advance(intro, step, DAY, "outcome")
        except IntroFlowError:
            continue
        if result.exchanges:
            assert step is IntroStep.MADE and before is IntroState.ACCEPTED
        intro = result.intro


def test_the_next_step_of_an_intro_follows_the_double_opt_in() -> None:
    from kith.core.intro_flow import next_step
    from kith.core.model import Intro, IntroState

    day = date(2026, 11, 1)
    proposed = Intro(1, 2, day)
    assert next_step(proposed, "Ana", "Bea") == "ask Ana whether they want to meet Bea"
    asked_a = Intro(1, 2, day, state=IntroState.ASKED, asked_a_on=day)
    assert next_step(asked_a, "Ana", "Bea") == "ask Bea whether they want to meet Ana"
    both = Intro(1, 2, day, state=IntroState.ASKED, asked_a_on=day, asked_b_on=day)
    assert next_step(both, "Ana", "Bea").startswith("wait for Ana and Bea")  # type: ignore[union-attr]
    accepted = Intro(1, 2, day, state=IntroState.ACCEPTED)
    assert next_step(accepted, "Ana", "Bea") == "introduce Ana and Bea: both said yes"
    made = Intro(1, 2, day, state=IntroState.MADE, made_on=day)
    assert next_step(made, "Ana", "Bea") == "ask Ana and Bea how it went"
    done = Intro(1, 2, day, state=IntroState.MADE, made_on=day, outcome="hired")
    assert next_step(done, "Ana", "Bea") is None
    assert next_step(Intro(1, 2, day, state=IntroState.DECLINED), "Ana", "Bea") is None
