"""Facts kept on write: folding events in any order agrees with summarize (hypothesis)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kith.core.facts import Facts
from kith.core.kept_facts import (
    KeptFacts,
    anchored_add,
    anchored_value,
    facts_on,
    folded_history,
    kept_from_history,
    needs_outreach_after,
    rules_key,
    rules_of_key,
    same_kept,
    with_ask,
    with_breach,
    with_exchange,
    with_interaction,
    with_their_ask,
)
from kith.core.model import (
    Ask,
    AskOutcome,
    AskSize,
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    History,
    Initiator,
    Interaction,
    InteractionKind,
    Person,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.core.summarize import is_contact, summarize

TODAY = date(2025, 6, 15)
RULES = Rules()
# Other weights and half-lives: a rebuild under changed [rules] folds the same way.
OTHER_RULES = dataclasses.replace(
    RULES,
    weight_meeting=2.5,
    half_lives=(30.0, 400.0),
    half_life_from_days=(0, 100),
    trust_half_life=365.0,
    trust_per_contact=0.3,
)
days = st.integers(min_value=-40_000, max_value=0).map(lambda n: TODAY + timedelta(days=n))
maybe_day = st.none() | days
Event = Interaction | Exchange | Ask | Breach | TheirAsk

events: st.SearchStrategy[Event] = st.one_of(
    st.builds(
        Interaction,
        person_id=st.just(1),
        on=days,
        kind=st.sampled_from(InteractionKind),
        by=st.sampled_from(Initiator),
        unanswered=st.booleans(),
    ),
    st.builds(
        Exchange,
        person_id=st.just(1),
        on=days,
        direction=st.sampled_from(Direction),
        what=st.just("help"),
        kind=st.sampled_from(ExchangeKind),
        weight=st.integers(1, 5),
        intro_id=st.none() | st.just(1),
    ),
    st.builds(
        Ask,
        person_id=st.just(1),
        on=days,
        what=st.just("a favour"),
        size=st.sampled_from(AskSize),
        outcome=st.sampled_from(AskOutcome),
        outcome_on=maybe_day,
    ),
    st.builds(Breach, person_id=st.just(1), on=days, what=st.just("x"), resolved_on=maybe_day),
    st.builds(
        TheirAsk,
        person_id=st.just(1),
        on=days,
        what=st.just("x"),
        pitch=st.booleans(),
        premature=st.booleans(),
    ),
)


def fold(kept: KeptFacts, event: Event, folded: list[Interaction]) -> KeptFacts:
    """One write, as the store does it: the outreach look-up only when the fold asks."""
    if isinstance(event, Interaction):
        after: tuple[int, date | None] = (0, None)
        if needs_outreach_after(kept, event):
            later = [i.on for i in folded if not is_contact(i) and i.on > event.on]
            after = (len(later), max(later, default=None))
        folded.append(event)
        return with_interaction(kept, event, RULES, after)
    if isinstance(event, Exchange):
        return with_exchange(kept, event, RULES)
    if isinstance(event, Ask):
        return with_ask(kept, event, RULES)
    if isinstance(event, Breach):
        return with_breach(kept, event)
    return with_their_ask(kept, event)


def history_of(person: Person, items: list[Event]) -> History:
    return History(
        person=person,
        interactions=tuple(e for e in items if isinstance(e, Interaction)),
        exchanges=tuple(e for e in items if isinstance(e, Exchange)),
        asks=tuple(e for e in items if isinstance(e, Ask)),
        breaches=tuple(e for e in items if isinstance(e, Breach)),
        their_asks=tuple(e for e in items if isinstance(e, TheirAsk)),
    )


def assert_close(got: Facts, want: Facts) -> None:
    floats = ("evidence_contacts", "evidence_received", "evidence_yes")
    for g, w in zip(got.decayed, want.decayed, strict=True):
        assert math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-12)
    for name in floats:
        assert math.isclose(getattr(got, name), getattr(want, name), rel_tol=1e-9, abs_tol=1e-12)

    def rest(facts: Facts) -> Facts:
        return dataclasses.replace(
            facts, decayed=(), evidence_contacts=0.0, evidence_received=0.0, evidence_yes=0.0
        )

    assert rest(got) == rest(want)


@given(
    items=st.lists(events, max_size=25),
    met_on=maybe_day,
    later=st.integers(min_value=0, max_value=50_000),
)
def test_folding_writes_in_any_order_agrees_with_summarize(
    items: list[Event], met_on: date | None, later: int
) -> None:
    kept, folded = KeptFacts(person_id=1), list[Interaction]()
    for event in items:
        kept = fold(kept, event, folded)
    person = Person(id=1, name="x", met_on=met_on)
    history = history_of(person, items)
    today = (kept.latest_on or TODAY) + timedelta(days=later)
    assert_close(facts_on(kept, met_on, today, RULES), summarize(history, today, RULES))
    assert same_kept(kept, kept_from_history(history, RULES))


@given(
    terms=st.lists(
        st.tuples(st.integers(-200_000, 0), st.floats(0.0, 5.0)), min_size=1, max_size=40
    ),
    ahead=st.integers(0, 200_000),
)
def test_an_anchored_sum_never_overflows_and_equals_the_direct_sum(
    terms: list[tuple[int, float]], ahead: int
) -> None:
    total, anchor = 0.0, None
    for offset, weight in terms:
        total, anchor = anchored_add(total, anchor, TODAY + timedelta(days=offset), weight, 90.0)
        assert math.isfinite(total)
        assert total <= sum(w for _, w in terms) + 1e-9
    today = TODAY + timedelta(days=ahead)
    age = (today - TODAY).days
    direct = math.fsum(w * math.pow(0.5, (age - o) / 90.0) for o, w in terms)
    got = anchored_value(total, anchor, today, 90.0)
    assert math.isclose(got, direct, rel_tol=1e-9, abs_tol=1e-300)


def test_rules_key_round_trips_the_rules_that_matter() -> None:
    changed = dataclasses.replace(RULES, weight_meal=9.0, half_lives=(30.0, 60.0, 99.0))
    again = rules_of_key(rules_key(changed))
    assert rules_key(again) == rules_key(changed)
    assert rules_key(changed) != rules_key(RULES)


@given(
    items=st.lists(events, max_size=40),
    rules=st.sampled_from([RULES, OTHER_RULES]),
    squeeze=st.sampled_from([None, 3, 30]),
)
def test_a_folding_rebuilds_the_same_totals_bit_for_bit(
    items: list[Event], rules: Rules, squeeze: int | None
) -> None:
    if squeeze is not None:  # many events on one day: contacts tying with the anchor
        items = [
            dataclasses.replace(e, on=TODAY - timedelta(days=(TODAY - e.on).days % squeeze))
            for e in items
        ]
    history = history_of(Person(id=1, name="x"), items)
    assert folded_history(history, rules) == kept_from_history(history, rules)
