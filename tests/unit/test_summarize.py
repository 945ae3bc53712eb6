from __future__ import annotations

import math

from kith.core.model import AskOutcome, InteractionKind
from kith.core.summarize import summarize
from tests.unit._stories import (
    RULES,
    THEM,
    TODAY,
    ago,
    asked,
    breach,
    gave,
    got,
    history,
    person,
    talk,
)


def test_events_after_today_do_not_count() -> None:
    h = history(person(), talk(10), talk(-3), gave(-1), breach(-2))
    f = summarize(h, TODAY, RULES)
    assert f.interactions == 1
    assert f.given_count == 0
    assert f.breaches == 0


def test_known_since_is_the_earliest_of_met_on_and_first_interaction() -> None:
    assert summarize(history(person(met_on=ago(50)), talk(20)), TODAY, RULES).known_since == ago(50)
    assert summarize(history(person(met_on=ago(5)), talk(20)), TODAY, RULES).known_since == ago(20)
    assert summarize(history(person(met_on=ago(-5))), TODAY, RULES).known_since is None


def test_last_contact_skips_unanswered_outreach_and_the_streak_counts_it() -> None:
    h = history(
        person(),
        talk(60, by=THEM),
        talk(40, unanswered=True),
        talk(30),
        talk(20, unanswered=True),
        talk(10, unanswered=True),
    )
    f = summarize(h, TODAY, RULES)
    assert f.last_contact == ago(30)
    assert f.first_contact == ago(60)
    assert f.unanswered_streak == 2
    assert f.contacts == 2
    assert (f.by_me, f.by_them) == (4, 1)


def test_an_unanswered_flag_on_their_own_message_still_counts_as_contact() -> None:
    f = summarize(history(person(), talk(5, by=THEM, unanswered=True)), TODAY, RULES)
    assert f.last_contact == ago(5)
    assert f.unanswered_streak == 0


def test_decay_halves_weight_every_half_life() -> None:
    h = history(person(), talk(90, InteractionKind.MEETING), talk(0, InteractionKind.CALL))
    f = summarize(h, TODAY, RULES)
    assert math.isclose(f.decayed[0], RULES.weight_meeting / 2 + RULES.weight_call)
    assert len(f.decayed) == len(RULES.half_lives)


def test_unanswered_outreach_adds_no_weight() -> None:
    f = summarize(history(person(), talk(0, unanswered=True)), TODAY, RULES)
    assert f.decayed == (0.0, 0.0, 0.0)


def test_exchanges_are_counted_and_weighed_per_direction() -> None:
    f = summarize(history(person(), gave(30, 3), gave(10, 2), got(20, 4)), TODAY, RULES)
    assert (f.given_count, f.given_weight, f.first_given) == (2, 5, ago(30))
    assert (f.received_count, f.received_weight, f.first_received) == (1, 4, ago(20))


def test_breaches_resolved_later_than_today_are_still_open() -> None:
    h = history(person(), breach(100, resolved=50), breach(40, resolved=-5), breach(20))
    f = summarize(h, TODAY, RULES)
    assert (f.breaches, f.open_breaches, f.last_open_breach) == (3, 2, ago(20))


def test_ask_outcomes_as_they_stood_today() -> None:
    late = asked(10, AskOutcome.YES)
    late = late.__class__(**{**late.__dict__, "outcome_on": ago(-2)})
    h = history(
        person(),
        asked(30, AskOutcome.YES),
        asked(20, AskOutcome.IGNORED),
        asked(15, AskOutcome.NO),
        asked(5),
        late,
    )
    f = summarize(h, TODAY, RULES)
    assert (f.asks_open, f.asks_yes, f.asks_no, f.asks_ignored) == (2, 1, 1, 1)


def test_last_topics_come_from_the_latest_interaction_that_had_any() -> None:
    h = history(
        person(),
        talk(30, topics=("jazz",)),
        talk(20, topics=("rust", "hiring")),
        talk(10),
    )
    assert summarize(h, TODAY, RULES).last_topics == ("rust", "hiring")


def test_an_empty_history_has_empty_facts() -> None:
    f = summarize(history(person()), TODAY, RULES)
    assert f.known_since is None
    assert f.last_contact is None
    assert f.interactions == 0
    assert f.decayed == (0.0, 0.0, 0.0)
