"""Trust is earned by evidence (Beta reputation), never by the calendar alone (issue 9)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from kith.core.lifecycle import asks_without_giving, is_lopsided
from kith.core.model import AskOutcome, History
from kith.core.scores import trust
from kith.core.summarize import summarize
from tests.unit._stories import (
    RULES,
    THEM,
    TODAY,
    ago,
    asked,
    breach,
    days_ago,
    gave,
    got,
    histories,
    history,
    person,
    talk,
    two_way_months,
)


def trust_of(h: History, days_later: int = 0) -> float:
    return trust(summarize(h, TODAY + timedelta(days=days_later), RULES), RULES).value


def test_a_stranger_starts_at_the_base_rate_with_full_uncertainty() -> None:
    score = trust(summarize(history(person()), TODAY, RULES), RULES)
    assert score.value == RULES.trust_base_rate
    assert score.uncertainty == 1.0
    assert score.reasons[0] == "little evidence yet: no contact yet"


def test_someone_met_once_eight_months_ago_stays_low_and_says_so() -> None:
    once = history(person(met_on=ago(240)), talk(240, by=THEM))
    score = trust(summarize(once, TODAY, RULES), RULES)
    assert score.value < 0.3
    assert score.reasons[0] == "little evidence yet: 1 contact, they reached out once"


def test_ignored_outreach_is_evidence_against_trust() -> None:
    ignored = history(
        person(met_on=ago(300)),
        talk(300),
        *[talk(d, unanswered=True) for d in (200, 150, 100)],
    )
    score = trust(summarize(ignored, TODAY, RULES), RULES)
    assert score.value < RULES.trusted_min_trust / 2
    assert "3 outreaches of yours unanswered" in score.reasons


def test_help_received_and_asks_honoured_earn_trust() -> None:
    base = history(person(met_on=ago(200)), *two_way_months(4, 10))
    helped = dataclasses.replace(base, exchanges=(got(30, 3),))
    honoured = dataclasses.replace(base, asks=(asked(20, AskOutcome.YES),))
    assert trust_of(helped) > trust_of(base)
    assert trust_of(honoured) > trust_of(base)


def test_a_mended_breach_recovers_trust_but_stays_below_the_same_tie_without_it() -> None:
    clean = history(person(met_on=ago(300)), *two_way_months(8, 5), got(100, 3))
    breached = dataclasses.replace(clean, breaches=(breach(90),))
    mended = dataclasses.replace(clean, breaches=(breach(90, resolved=30),))
    assert trust_of(breached) < trust_of(mended) < trust_of(clean)


# --- properties ------------------------------------------------------------------------


@given(histories, st.integers(1, 2000))
def test_time_passing_alone_never_raises_trust(h: History, later: int) -> None:
    # Every event of the strategies is dated on or before TODAY, so only time passes.
    assert trust_of(h, later) <= trust_of(h) + 1e-12


@given(histories, days_ago, st.none() | days_ago)
def test_a_breach_never_raises_trust(h: History, on: int, resolved: int | None) -> None:
    if resolved is not None:
        resolved = min(resolved, on)  # made right on or after the day it happened
    worse = dataclasses.replace(h, breaches=(*h.breaches, breach(on, resolved)))
    assert trust_of(worse) <= trust_of(h) + 1e-12


@given(histories, days_ago, st.data())
def test_forgiving_never_lowers_trust(h: History, on: int, data: st.DataObject) -> None:
    open_ = dataclasses.replace(h, breaches=(*h.breaches, breach(on)))
    mended_on = data.draw(st.integers(0, on))
    mended = dataclasses.replace(h, breaches=(*h.breaches, breach(on, resolved=mended_on)))
    assert trust_of(mended) >= trust_of(open_) - 1e-12


@given(histories, days_ago, st.integers(1, 5))
def test_help_received_never_makes_a_taker_more_of_a_taker(
    h: History, on: int, weight: int
) -> None:
    before = summarize(h, TODAY, RULES)
    after = summarize(
        dataclasses.replace(h, exchanges=(*h.exchanges, got(on, weight))), TODAY, RULES
    )
    assert is_lopsided(after, RULES) <= is_lopsided(before, RULES)
    assert asks_without_giving(after, RULES) <= asks_without_giving(before, RULES)


@given(histories)
def test_trust_and_its_uncertainty_stay_between_0_and_1(h: History) -> None:
    score = trust(summarize(h, TODAY, RULES), RULES)
    assert 0.0 <= score.value <= 1.0
    assert 0.0 < score.uncertainty <= 1.0
    assert score.reasons and not score.reasons[0].endswith(":")


def test_gifts_given_do_not_count_as_evidence_of_their_trustworthiness() -> None:
    base = history(person(met_on=ago(100)), talk(100), talk(50, by=THEM))
    assert trust_of(dataclasses.replace(base, exchanges=(gave(40, 5),))) == trust_of(base)
