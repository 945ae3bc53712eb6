from __future__ import annotations

import dataclasses
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kith.core.dates import is_birthday, next_birthday
from kith.core.feed import FeedInput, Tier, feed
from kith.core.model import History, PersonState, Stage
from kith.core.weeding import weed_candidates
from tests.unit._stories import (
    RULES,
    THEM,
    TODAY,
    ago,
    gave,
    histories,
    history,
    judged,
    person,
    talk,
)
from tests.unit.test_lifecycle import trusted_friend


def inputs(*hs: History, **extra: object) -> list[FeedInput]:
    made = []
    for h in hs:
        facts, verdict = judged(h)
        # FeedInput's optional fields by name; the dataclass checks them at run time.
        made.append(FeedInput(h.person, verdict, facts, **extra))  # type: ignore[arg-type]
    return made


def taker() -> History:
    return history(
        person(3, "Taker", met_on=ago(120)),
        *[talk(d, by=THEM) for d in (120, 90, 60, 30)],
        *[gave(d) for d in (100, 70, 40)],
    )


def test_a_quiet_friend_is_fed_as_dormant_with_a_revive_gesture_and_not_weeded() -> None:
    friend = dataclasses.replace(
        trusted_friend(quiet_for=400), person=person(1, "Quiet", met_on=ago(600))
    )
    (item,) = feed(inputs(friend), TODAY, RULES)
    assert item.stage is Stage.DORMANT
    assert item.why == "a trusted tie quiet for 400 days (cadence 90): worth reviving"
    assert item.gesture.startswith("Revive the tie")
    assert item.overdue_days == 310
    _, verdict = judged(friend)
    assert weed_candidates([(friend.person, verdict)]) == []


def test_a_new_seed_is_followed_up_within_days() -> None:
    seed = history(person(2, "New", met_on=ago(9)), talk(9, topics=("climbing",)))
    (item,) = feed(inputs(seed), TODAY, RULES)
    assert item.due == ago(9)  # due from the day we met until followed up
    assert item.why == "met 9 days ago, not followed up yet: follow up while it is fresh"
    assert item.gesture == (
        "Follow up on your first meeting within days (you talked about climbing): "
        "suggest a coffee or a call"
    )


def test_helping_with_a_stated_need_comes_first() -> None:
    seed = history(person(2, "New", met_on=ago(9)), talk(9, topics=("climbing",)))
    (item,) = feed(inputs(seed, can_help=(("a mentor", "mentoring"),)), TODAY, RULES)
    assert item.gesture == "Help with their need “a mentor”: you can offer mentoring"


def test_gestures_fall_back_from_topic_to_interest_to_how_can_i_help() -> None:
    friend = trusted_friend(quiet_for=100)
    (item,) = feed(inputs(friend, shared_interests=("jazz",)), TODAY, RULES)
    assert item.gesture == "Share something on jazz, an interest you both have"
    assert item.why == "last contact 100 days ago, cadence 90"
    (plain,) = feed(inputs(friend), TODAY, RULES)
    assert plain.gesture == "Check in and ask: “How can I help you?”"
    topical = dataclasses.replace(
        friend, interactions=(*friend.interactions, talk(95, topics=("the move",)))
    )
    assert feed(inputs(topical), TODAY, RULES)[0].gesture.startswith("Follow up on the move")


def test_not_yet_due_and_snoozed_people_wait() -> None:
    assert feed(inputs(trusted_friend(quiet_for=10)), TODAY, RULES) == []
    assert feed(inputs(trusted_friend(quiet_for=100), snoozed_until=ago(-3)), TODAY, RULES) == []


def test_most_urgent_first_in_cadences_late_and_limited() -> None:
    late_seed = history(person(1, "Seed", met_on=ago(20)), talk(20))  # 13 days late, cadence 7
    late_friend = dataclasses.replace(trusted_friend(quiet_for=120), person=person(2, "Friend"))
    items = feed(inputs(late_friend, late_seed), TODAY, RULES)
    assert [i.name for i in items] == ["Seed", "Friend"]
    assert [i.name for i in feed(inputs(late_friend, late_seed), TODAY, RULES, limit=1)] == ["Seed"]


def test_weeds_are_not_fed_but_listed_for_weeding_with_reasons() -> None:
    h = taker()
    assert feed(inputs(h), TODAY, RULES) == []
    _, verdict = judged(h)
    (item,) = weed_candidates([(h.person, verdict)])
    assert item.name == "Taker"
    assert item.stage is Stage.WEED
    assert "they never gave back" in item.reasons[0]


@given(st.lists(histories, max_size=6))
def test_a_pruned_person_never_appears_in_feed_or_weed(hs: list[History]) -> None:
    hs = [
        dataclasses.replace(h, person=dataclasses.replace(h.person, id=n)) for n, h in enumerate(hs)
    ]
    fed = inputs(*hs)
    pruned = {i.person.id for i in fed if i.person.state is PersonState.PRUNED}
    shown = {i.id for i in feed(fed, TODAY, RULES)}
    weeds = {w.id for w in weed_candidates((i.person, i.verdict) for i in fed)}
    assert not pruned & shown
    assert not pruned & weeds
    assert all(i.stage not in (Stage.WEED, Stage.PRUNED) for i in feed(fed, TODAY, RULES))


def test_a_birthday_puts_someone_not_due_first_with_the_reason() -> None:
    friend = dataclasses.replace(
        trusted_friend(quiet_for=5),
        person=person(1, "Birthday", met_on=ago(600), birthday=date(1990, 6, 15)),
    )
    seed = history(person(2, "New", met_on=ago(9)), talk(9))
    first, second = feed(inputs(friend, seed), TODAY, RULES)
    assert (first.name, first.why, first.due, first.overdue_days) == (
        "Birthday",
        "birthday today",
        TODAY,
        0,
    )
    assert "birthday" in first.gesture
    assert second.name == "New"
    assert Tier.BIRTHDAY < Tier.FOLLOW_UP
    assert feed(inputs(friend, snoozed_until=ago(-30)), TODAY, RULES)[0].why == "birthday today"


def test_no_birthday_reminder_the_day_before_or_for_the_pruned() -> None:
    born = date(1990, 6, 16)  # tomorrow
    friend = dataclasses.replace(
        trusted_friend(quiet_for=5), person=person(1, "Soon", met_on=ago(600), birthday=born)
    )
    assert feed(inputs(friend), TODAY, RULES) == []
    today = dataclasses.replace(friend.person, birthday=date(1990, 6, 15))
    pruned = dataclasses.replace(today, state=PersonState.PRUNED)
    assert feed(inputs(dataclasses.replace(friend, person=pruned)), TODAY, RULES) == []


def test_a_leap_day_birthday_is_kept_on_28_february_in_other_years() -> None:
    leap = date(2000, 2, 29)
    assert is_birthday(leap, date(2025, 2, 28))
    assert not is_birthday(leap, date(2024, 2, 28))
    assert is_birthday(leap, date(2024, 2, 29))
    assert not is_birthday(leap, date(2025, 3, 1))
    assert not is_birthday(None, date(2025, 2, 28))


def test_the_next_birthday_is_today_or_later_and_a_leap_day_one_is_on_28_february() -> None:
    assert next_birthday(date(1990, 6, 15), TODAY) == TODAY
    assert next_birthday(date(1990, 6, 14), TODAY) == date(2026, 6, 14)
    assert next_birthday(date(2000, 2, 29), date(2025, 3, 1)) == date(2026, 2, 28)
    assert next_birthday(date(2000, 2, 29), date(2027, 3, 1)) == date(2028, 2, 29)
