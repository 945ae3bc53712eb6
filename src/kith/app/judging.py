"""Judging people: gathers their facts from the store and asks the core for verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from kith.app.garden import Garden
from kith.core.identity import name_key
from kith.core.model import Person, PersonState, Stage


@dataclass(frozen=True)
class Judgement:
    stage: Stage
    strength: float | None
    trust: float | None
    balance: int | None
    next_feed: date | None
    reasons: tuple[str, ...]


def judge_people(
    conn: Connection, garden: Garden, people: Sequence[Person]
) -> dict[int, Judgement]:
    # Until the judgement rules land, every active person is a seed and scores are unknown.
    del conn, garden
    return {
        p.id: Judgement(
            Stage.PRUNED if p.state is PersonState.PRUNED else Stage.SEED,
            None,
            None,
            None,
            None,
            (),
        )
        for p in people
    }


def has_interest(person: Person, interest: str) -> bool:
    wanted = name_key(interest)
    return any(name_key(i) == wanted for i in person.interests)
