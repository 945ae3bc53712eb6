from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from kith.core.facts import Facts
from kith.core.model import AskOutcome, History, Interaction, InteractionKind
from kith.core.scores import balance, strength, strength_band, trust
from kith.core.summarize import summarize
from tests.unit._stories import (
    RULES,
    THEM,
    TODAY,
    asked,
    breach,
    gave,
    got,
    histories,
    history,
    interactions,
    person,
    talk,
    two_way_months,
)


def facts_of(h: History) -> Facts:
    return summarize(h, TODAY, RULES)


def test_strength_is_zero_without_history_and_bounded() -> None:
    assert strength(facts_of(history(person())), RULES).value == 0.0
    busy = history(person(), *two_way_months(60, 0, every=3), *[gave(n) for n in range(20)])
    assert 0.9 < strength(facts_of(busy), RULES).value <= 1.0


def test_recent_contact_is_stronger_than_old_contact() -> None:
    recent = history(person(), talk(400), talk(5))
    old = history(person(), talk(400), talk(300))
    assert strength(facts_of(recent), RULES).value > strength(facts_of(old), RULES).value


def test_a_meeting_counts_more_than_small_talk() -> None:
    meeting = history(person(), talk(1, InteractionKind.MEETING))
    chat = history(person(), talk(1, InteractionKind.SMALL_TALK))
    assert strength(facts_of(meeting), RULES).value > strength(facts_of(chat), RULES).value


def test_two_way_initiation_raises_strength() -> None:
    one_way = history(person(), talk(30), talk(20), talk(10))
    two_way = history(person(), talk(30), talk(20, by=THEM), talk(10))
    s1, s2 = strength(facts_of(one_way), RULES), strength(facts_of(two_way), RULES)
    assert s2.value > s1.value
    assert any("both of you reach out" in r for r in s2.reasons)
    assert any("only you reach out" in r for r in s1.reasons)


def test_exchanges_raise_strength() -> None:
    plain = history(person(), talk(10))
    helped = history(person(), talk(10), gave(10), got(5))
    assert strength(facts_of(helped), RULES).value > strength(facts_of(plain), RULES).value


def test_strength_reasons_say_how_recent_and_how_long() -> None:
    reasons = strength(facts_of(history(person(), talk(400), talk(140))), RULES).reasons
    assert "2 contacts, the last 140 days ago" in reasons
    assert "known for 13 months" in reasons


def test_balance_is_weighted_given_minus_received() -> None:
    assert balance(facts_of(history(person(), gave(1, 3), gave(2, 2), got(3, 4)))) == 1


def test_breaches_lower_trust_and_resolving_helps() -> None:
    base = history(person(), *two_way_months(6, 0))
    open_ = dataclasses.replace(base, breaches=(breach(10),))
    resolved = dataclasses.replace(base, breaches=(breach(10, resolved=5),))
    t0, t1, t2 = (trust(facts_of(h), RULES).value for h in (base, open_, resolved))
    assert t1 < t2 < t0
    assert (
        "1 breach not made right weigh heavily against them"
        in trust(facts_of(open_), RULES).reasons
    )


def test_asks_answered_yes_raise_trust_and_ignored_asks_lower_it() -> None:
    base = history(person(), talk(40), talk(20, by=THEM))
    yes = dataclasses.replace(base, asks=(asked(10, AskOutcome.YES),))
    ignored = dataclasses.replace(base, asks=(asked(10, AskOutcome.IGNORED),))
    said_no = dataclasses.replace(base, asks=(asked(10, AskOutcome.NO),))
    t = {
        n: trust(facts_of(h), RULES).value
        for n, h in [("b", base), ("y", yes), ("i", ignored), ("n", said_no)]
    }
    assert t["i"] < t["b"] == t["n"] < t["y"]


def test_help_received_raises_trust() -> None:
    base = history(person(), talk(40), talk(20, by=THEM))
    helped = dataclasses.replace(base, exchanges=(got(10),))
    assert trust(facts_of(helped), RULES).value > trust(facts_of(base), RULES).value


def test_strength_bands_have_words() -> None:
    assert strength_band(0.1) == "a weak tie"
    assert strength_band(0.6) == "a strong tie"
    assert strength_band(1.0) == "a very strong tie"


@given(histories, interactions)
def test_a_new_interaction_never_lowers_strength_on_the_day_it_happens(
    h: History, new: Interaction
) -> None:
    today_talk = dataclasses.replace(new, on=TODAY)
    before = strength(facts_of(h), RULES).value
    after = strength(
        facts_of(dataclasses.replace(h, interactions=(*h.interactions, today_talk))), RULES
    ).value
    assert after >= before - 1e-12


@given(histories, st.integers(0, 900), st.none() | st.integers(0, 900))
def test_a_breach_never_raises_trust(h: History, on: int, resolved: int | None) -> None:
    before = trust(facts_of(h), RULES).value
    more = dataclasses.replace(h, breaches=(*h.breaches, breach(on, resolved)))
    assert trust(facts_of(more), RULES).value <= before
