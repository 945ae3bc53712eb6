"""A look in the mirror: my own asks against my giving across the whole garden.

A "me, first" attitude poisons relationships; a giver's reputation comes from how many
people they helped. Over the recent window (`Rules.mirror_days`) kith counts my asks and
pitches against my gifts, and says plainly when I have been asking more than giving.
The counts can come from the store in SQL, or from `count_mirror` over plain records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from kith.core.model import Ask, Direction, Exchange
from kith.core.rules import Rules
from kith.core.wording import plural, times


@dataclass(frozen=True)
class MirrorCounts:
    """My own asking and giving over a recent window, counted."""

    days: int  # the window: the last `days` days up to today
    asks: int  # my asks and pitches in the window
    pitches: int
    given: int  # help I gave in the window
    received: int
    people_helped: int  # distinct people I gave to in the window
    people_helped_ever: int = 0


@dataclass(frozen=True)
class Mirror:
    """A look in the mirror: my counts and what to tell me about them."""

    counts: MirrorCounts
    asking_more_than_giving: bool
    lines: tuple[str, ...]  # what to tell the user, the warning first when there is one


def count_mirror(
    asks: Iterable[Ask], exchanges: Iterable[Exchange], today: date, rules: Rules
) -> MirrorCounts:
    """The mirror's counts from plain records (the reference for the store's SQL)."""
    start = today - timedelta(days=rules.mirror_days)
    recent_asks = [a for a in asks if start < a.on <= today]
    given_all = [e for e in exchanges if e.direction is Direction.GIVEN and e.on <= today]
    given = [e for e in given_all if e.on > start]
    received = [e for e in exchanges if e.direction is Direction.RECEIVED and start < e.on <= today]
    return MirrorCounts(
        days=rules.mirror_days,
        asks=len(recent_asks),
        pitches=sum(1 for a in recent_asks if a.pitch),
        given=len(given),
        received=len(received),
        people_helped=len({e.person_id for e in given}),
        people_helped_ever=len({e.person_id for e in given_all}),
    )


def mirror(counts: MirrorCounts, rules: Rules) -> Mirror:
    """Judge the counts: a plain warning when asks outnumber gifts too far."""
    too_many = counts.asks >= rules.mirror_min_asks and counts.asks > (
        counts.given * rules.mirror_max_asks_per_gift
    )
    window = f"in the last {plural(counts.days, 'day')}"
    lines = []
    if too_many:
        lines.append(
            f"You have been asking more than giving: {window} you asked "
            f"{times(counts.asks)} and gave {times(counts.given)}. "
            "A “me, first” attitude poisons relationships: give before you ask."
        )
    lines.append(
        f"{window.capitalize()}: {plural(counts.asks, 'ask')} "
        f"({plural(counts.pitches, 'pitch', 'pitches')}), given {times(counts.given)}, "
        f"received {times(counts.received)}."
    )
    lines.append(
        f"You helped {plural(counts.people_helped, 'person', 'people')} {window} "
        f"and {plural(counts.people_helped_ever, 'person', 'people')} in all."
    )
    return Mirror(counts, too_many, tuple(lines))
