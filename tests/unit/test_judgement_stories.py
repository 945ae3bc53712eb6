"""The stories of issue 9, told to the pure rules: takers, forgiveness, fresh follow-ups."""

from __future__ import annotations

import dataclasses

from kith.core.asking import pitch_is_premature
from kith.core.feed import Tier, feed, tier
from kith.core.lifecycle import WeedCause
from kith.core.model import AskOutcome, AskSize, Stage
from kith.core.weeding import weed_candidates
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
    judged,
    person,
    talk,
    theirs,
    two_way_months,
)
from tests.unit.test_asking import check
from tests.unit.test_feed import inputs
from tests.unit.test_lifecycle import trusted_friend


def test_five_favours_against_one_token_still_weed_with_a_reason_about_the_balance() -> None:
    h = history(
        person(met_on=ago(200)),
        *[talk(d, by=THEM) for d in (200, 150, 100, 50)],
        *[gave(d, 3) for d in (180, 140, 110, 80, 40)],
        got(20, 1),
    )
    _, v = judged(h)
    assert v.stage is Stage.WEED
    assert v.weed_causes == (WeedCause.TAKER,)
    assert v.weed_reasons == (
        "one-sided: you have given 5 times (15 points) and received once (1 point): "
        "they return 7% of it, balance +14",
    )


def test_an_even_ledger_is_no_taker_however_often_i_gave() -> None:
    h = history(
        person(met_on=ago(200)),
        *[talk(d, by=THEM) for d in (200, 150, 100, 50)],
        *[gave(d, 1) for d in (180, 140, 110, 80)],
        got(60, 3),
    )
    assert judged(h)[1].stage is not Stage.WEED


def test_a_contact_who_asks_and_pitches_without_giving_is_a_weed_naming_them() -> None:
    h = history(
        person(met_on=ago(150)),
        *[talk(d, by=THEM) for d in (150, 120, 90, 60, 30, 10)],
        *[theirs(d) for d in (120, 90, 60, 30)],
        theirs(150, pitch=True, premature=True),
        theirs(10, pitch=True, premature=True),
    )
    _, v = judged(h)
    assert v.stage is Stage.WEED
    assert v.weed_reasons == (
        "they ask and pitch without giving: 4 asks and 2 pitches of theirs, "
        "and they have never given",
    )
    assert any("they pitched you 10 days ago before the relationship" in r for r in v.reasons)
    assert any("pitched you twice before the relationship" in r for r in v.trust.reasons)


def test_a_pitch_before_any_relationship_is_premature_by_the_seed_rule() -> None:
    seed = history(person(met_on=ago(3)), talk(3, by=THEM))
    facts, verdict = judged(seed)
    assert pitch_is_premature(facts, verdict, RULES)
    facts, verdict = judged(trusted_friend())
    assert not pitch_is_premature(facts, verdict, RULES)


def test_a_breach_made_right_is_no_weed_and_trust_stays_below_the_clean_tie() -> None:
    clean = trusted_friend()
    breached = dataclasses.replace(clean, breaches=(breach(60),))
    forgiven = dataclasses.replace(clean, breaches=(breach(60, resolved=20),))
    assert judged(breached)[1].stage is Stage.WEED
    _, v = judged(forgiven)
    assert v.stage is not Stage.WEED
    assert v.trust.value < judged(clean)[1].trust.value
    assert v.trust.value > judged(breached)[1].trust.value


def test_a_contact_met_six_days_ago_ranks_above_a_seed_silent_for_two_years() -> None:
    fresh = history(person(2, "Fresh", met_on=ago(6)), talk(6))
    stale = history(person(3, "Stale", met_on=ago(900)), talk(900), talk(730, by=THEM))
    dormant = history(person(4, "Old Friend", met_on=ago(800)), *two_way_months(8, 300))
    ranked = feed(inputs(stale, dormant, fresh), TODAY, RULES)
    assert [i.name for i in ranked] == ["Fresh", "Old Friend", "Stale"]
    tiers = [tier(i, RULES) for i in inputs(fresh, dormant, stale)]
    assert tiers == [Tier.FOLLOW_UP, Tier.DORMANT, Tier.STALE_SEED]


def test_a_contact_met_today_is_in_the_feed_until_followed_up() -> None:
    met = history(person(2, "New", met_on=TODAY), talk(0))
    (item,) = feed(inputs(met), TODAY, RULES)
    assert item.why == "met today, not followed up yet: follow up while it is fresh"
    followed = history(person(2, "New", met_on=ago(5)), talk(5), talk(1))
    assert feed(inputs(followed), TODAY, RULES) == []


def test_asking_someone_who_ignored_three_outreaches_never_says_reach_out_again() -> None:
    h = history(person(met_on=ago(90)), talk(90), *[talk(d, unanswered=True) for d in (60, 40, 20)])
    result = check(h, AskSize.SMALL)
    assert not result.ready
    assert result.give_first == (
        "Do not reach out again: wait for them to answer, and prune them if they never do",
    )
    assert not any("reach out" in r.casefold() and "again" not in r for r in result.give_first)


def test_an_open_medium_ask_holds_back_a_second_one() -> None:
    growing = history(
        person(met_on=ago(90)), talk(90), talk(60, by=THEM), talk(30), gave(50), asked(5)
    )
    result = check(growing, AskSize.MEDIUM)
    assert not result.ready
    assert result.reasons == (
        "not ready for a medium ask: 1 ask of yours still open: wait for an answer",
    )
    answered = dataclasses.replace(growing, asks=(asked(5, AskOutcome.YES),))
    assert check(answered, AskSize.MEDIUM).ready


def test_a_trusted_friend_carries_a_large_ask_with_a_balance_of_minus_one() -> None:
    friend = dataclasses.replace(trusted_friend(), exchanges=(gave(150, 2), got(60, 3)))
    result = check(friend, AskSize.LARGE)
    assert result.ready, result.reasons
    assert judged(friend)[1].balance == -1


def test_weed_lists_show_weed_reasons_first_and_context_apart() -> None:
    h = history(person(met_on=ago(90)), talk(90), *[talk(d, unanswered=True) for d in (60, 40, 20)])
    _, v = judged(h)
    (item,) = weed_candidates([(h.person, v)])
    assert item.reasons == ("3 outreaches unanswered in a row",)
    assert item.context and not set(item.context) & set(item.reasons)
    assert not any(r.startswith(("growing:", "a seed:")) for r in item.reasons)


def test_an_intro_i_made_counts_as_contact_but_not_as_an_answer() -> None:
    intro = dataclasses.replace(gave(5, 2), intro_id=7)
    h = history(person(met_on=ago(200)), talk(200), talk(150, by=THEM), talk(40, unanswered=True))
    facts, _ = judged(dataclasses.replace(h, exchanges=(intro,)))
    assert facts.last_contact == ago(5)
    assert facts.last_outreach == ago(40)
    assert facts.unanswered_streak == 1
