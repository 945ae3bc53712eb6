from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from kith.core.asking import AskCheck, check_ask, give_first_suggestions
from kith.core.model import AskOutcome, AskSize, History, PersonState, Stage
from tests.unit._stories import (
    RULES,
    THEM,
    TODAY,
    ago,
    asked,
    breach,
    gave,
    got,
    histories,
    history,
    judged,
    person,
    talk,
)
from tests.unit.test_lifecycle import trusted_friend


def check(
    h: History, size: AskSize = AskSize.SMALL, *, pitch: bool = False, give: Sequence[str] = ()
) -> AskCheck:
    facts, verdict = judged(h)
    return check_ask(h.person, facts, verdict, size, pitch, tuple(give), RULES)


def test_a_contact_met_today_and_pitched_at_once_is_refused_with_a_give_first() -> None:
    newcomer = person(met_on=TODAY, needs=("a frontend developer",))
    h = history(newcomer, talk(0, topics=("design systems",)))
    give = give_first_suggestions(
        [("a frontend developer", "React consulting")], ["jazz"], ["design systems"]
    )
    result = check(h, AskSize.SMALL, pitch=True, give=give)
    assert not result.ready
    assert result.stage is Stage.SEED
    assert result.reasons[0].startswith("not ready for a pitch: it needs a trusted relationship")
    assert all(not r.rstrip().endswith(":") for r in result.reasons)  # no dangling headers
    assert (
        "not ready for a pitch: it needs a trusted relationship, and they are a seed tie"
        in result.reasons
    )
    assert result.give_first[0] == (
        "Help with their need “a frontend developer”: you can offer React consulting"
    )
    assert result.max_size is AskSize.SMALL


def test_the_same_contact_after_months_of_giving_first_is_ready_for_a_large_ask() -> None:
    result = check(trusted_friend(), AskSize.LARGE, give=["something"])
    assert result.ready
    assert result.stage is Stage.TRUSTED
    assert result.give_first == ()
    assert result.max_size is AskSize.LARGE
    assert check(trusted_friend(), pitch=True).ready


def test_small_asks_are_fine_early() -> None:
    assert check(history(person(met_on=TODAY), talk(0)), AskSize.SMALL).ready


def test_medium_asks_need_a_growing_tie_in_which_i_have_given() -> None:
    growing = history(person(met_on=ago(60)), talk(60), talk(40, by=THEM), talk(20))
    refused = check(growing, AskSize.MEDIUM)
    assert not refused.ready
    assert refused.reasons == (
        "not ready for a medium ask: you have not given them anything yet: give first",
    )
    assert check(dataclasses.replace(growing, exchanges=(gave(30),)), AskSize.MEDIUM).ready


def test_large_asks_need_an_even_balance_and_no_open_ask() -> None:
    owing = dataclasses.replace(trusted_friend(), exchanges=(gave(150), got(60, 4)))
    assert check(owing, AskSize.LARGE).reasons[-1] == (
        "not ready for a large ask: the balance is -3: they have given you more than you "
        "gave, beyond the 2 points a roughly even ledger allows"
    )
    waiting = dataclasses.replace(trusted_friend(), asks=(asked(3),))
    result = check(waiting, AskSize.LARGE)
    assert not result.ready
    assert "not ready for a large ask: 1 ask of yours still open: wait for an answer" in (
        result.reasons
    )
    assert result.max_size is AskSize.SMALL  # an open ask holds back medium ones too (issue 9)


def test_weeds_and_pruned_are_never_ready() -> None:
    breached = dataclasses.replace(trusted_friend(), breaches=(breach(5),))
    assert not check(breached, AskSize.SMALL).ready
    assert check(breached).max_size is None
    pruned = dataclasses.replace(trusted_friend(), person=person(state=PersonState.PRUNED))
    assert not check(pruned, AskSize.SMALL).ready


def test_a_taker_may_be_asked_for_something_in_return() -> None:
    taker = dataclasses.replace(trusted_friend(), exchanges=tuple(gave(d) for d in (150, 90, 30)))
    result = check(taker, AskSize.LARGE)
    assert result.stage is Stage.WEED
    assert result.ready
    assert result.reasons[0].startswith("a one-sided taker: asking for something in return is fair")


def test_a_dormant_tie_is_reconnected_before_a_medium_ask() -> None:
    result = check(trusted_friend(quiet_for=400), AskSize.MEDIUM)
    assert not result.ready
    assert "reconnect before asking" in result.reasons[-1]
    assert result.max_size is AskSize.SMALL


def test_give_first_suggestions_in_order_and_without_repeats() -> None:
    got_back = give_first_suggestions([("funding", "investor intros")], ["jazz", "jazz"], ["rust"])
    assert got_back == (
        "Help with their need “funding”: you can offer investor intros",
        "Share something on jazz, an interest you both have",
        "Follow up on rust, which you talked about last time",
    )
    assert give_first_suggestions([], [], []) == ("Check in and ask: “How can I help you?”",)


@given(
    histories,
    st.integers(0, 900),
    st.integers(1, 5),
    st.sampled_from(AskSize),
    st.booleans(),
)
def test_giving_never_makes_an_ask_less_ready(
    h: History, on: int, weight: int, size: AskSize, pitch: bool
) -> None:
    before = check(h, size, pitch=pitch)
    after = check(
        dataclasses.replace(h, exchanges=(*h.exchanges, gave(on, weight))), size, pitch=pitch
    )
    assert after.ready or not before.ready
    order = [None, AskSize.SMALL, AskSize.MEDIUM, AskSize.LARGE]
    assert order.index(after.max_size) >= order.index(before.max_size)


def test_ignored_asks_do_not_block_a_small_ask() -> None:
    h = dataclasses.replace(trusted_friend(), asks=(asked(30, AskOutcome.IGNORED),))
    assert check(h, AskSize.SMALL).ready
