"""Small builders for histories told in days-ago, and hypothesis strategies for them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from hypothesis import strategies as st

from kith.core.facts import Facts
from kith.core.lifecycle import Verdict, judge
from kith.core.model import (
    Ask,
    AskOutcome,
    AskSize,
    Breach,
    Direction,
    Exchange,
    History,
    Initiator,
    Interaction,
    InteractionKind,
    Person,
    PersonState,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.core.summarize import summarize

TODAY = date(2025, 6, 15)
RULES = Rules()
ME, THEM = Initiator.ME, Initiator.THEM

Event = Interaction | Exchange | Ask | Breach | TheirAsk
E = TypeVar("E", Interaction, Exchange, Ask, Breach, TheirAsk)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def person(pid: int = 1, name: str = "Ada", **fields: object) -> Person:
    fields.setdefault("created_on", ago(0))
    # Any Person field by name, as each story needs: the dataclass checks the names at run time.
    return Person(id=pid, name=name, **fields)  # type: ignore[arg-type]


def talk(
    days: int,
    kind: InteractionKind = InteractionKind.MEETING,
    by: Initiator = ME,
    *,
    unanswered: bool = False,
    topics: tuple[str, ...] = (),
) -> Interaction:
    return Interaction(1, ago(days), kind, by, unanswered, topics)


def gave(days: int, weight: int = 1) -> Exchange:
    return Exchange(1, ago(days), Direction.GIVEN, "help", weight=weight)


def got(days: int, weight: int = 1) -> Exchange:
    return Exchange(1, ago(days), Direction.RECEIVED, "help", weight=weight)


def asked(days: int, outcome: AskOutcome = AskOutcome.OPEN, size: AskSize = AskSize.SMALL) -> Ask:
    return Ask(1, ago(days), "a favour", size, outcome=outcome)


def breach(days: int, resolved: int | None = None) -> Breach:
    return Breach(1, ago(days), "broke a promise", None if resolved is None else ago(resolved))


def theirs(days: int, *, pitch: bool = False, premature: bool = False) -> TheirAsk:
    """Something they asked of me (or pitched me)."""
    return TheirAsk(1, ago(days), "a favour", pitch=pitch, premature=premature)


def history(who: Person, *events: Event) -> History:
    def pick(kind: type[E]) -> tuple[E, ...]:
        return tuple(e for e in events if isinstance(e, kind))

    return History(
        who,
        pick(Interaction),
        pick(Exchange),
        pick(Ask),
        pick(Breach),
        their_asks=pick(TheirAsk),
    )


def judged(h: History, today: date = TODAY, rules: Rules = RULES) -> tuple[Facts, Verdict]:
    facts = summarize(h, today, rules)
    return facts, judge(h.person, facts, rules)


def two_way_months(months: int, start_days: int, every: int = 20) -> list[Interaction]:
    """Regular contact for `months`, alternating who reaches out, ending `start_days` ago."""
    count = months * 30 // every
    return [
        talk(start_days + n * every, InteractionKind.MEETING, ME if n % 2 else THEM)
        for n in range(count)
    ]


# --- hypothesis strategies -------------------------------------------------------------

days_ago = st.integers(min_value=0, max_value=900)
interactions = st.builds(
    talk,
    days_ago,
    st.sampled_from(InteractionKind),
    st.sampled_from(Initiator),
    unanswered=st.booleans(),
    topics=st.lists(st.sampled_from(["jazz", "rust", "hiring"]), max_size=2).map(tuple),
)
exchanges = st.builds(
    lambda d, w, given: gave(d, w) if given else got(d, w),
    days_ago,
    st.integers(1, 5),
    st.booleans(),
)
asks = st.builds(asked, days_ago, st.sampled_from(AskOutcome), st.sampled_from(AskSize))
breaches = st.builds(breach, days_ago, st.none() | st.integers(0, 900))
their_asks = st.builds(theirs, days_ago, pitch=st.booleans(), premature=st.booleans())
people = st.builds(
    person,
    met_on=st.none() | days_ago.map(ago),
    cadence_days=st.none() | st.integers(1, 400),
    state=st.sampled_from(PersonState),
    created_on=days_ago.map(ago),
)
histories = st.builds(
    lambda who, i, x, a, b, t: history(who, *i, *x, *a, *b, *t),
    people,
    st.lists(interactions, max_size=25),
    st.lists(exchanges, max_size=8),
    st.lists(asks, max_size=3),
    st.lists(breaches, max_size=2),
    st.lists(their_asks, max_size=4),
)
