"""What the commands of mutual interest present: introductions, suggestions, and me.

Shaped once here; the CLI prints these (`--json` through `documents.to_json`) and the API
answers with them. Conversation starters are `intros.Starters` as they are. Only the model is
imported at run time, so the CLI can name these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kith.core.model import IntroState

if TYPE_CHECKING:  # the builders' inputs
    from collections.abc import Sequence

    from kith.app.intros import IntroView
    from kith.core.matching import IntroSuggestion
    from kith.core.model import Me


@dataclass(frozen=True)
class IntroRow:
    """An introduction: who it joins, why, its state, and each double opt-in step's date."""

    id: int
    a_id: int
    b_id: int
    a: str
    b: str
    why: str | None
    state: IntroState
    steps: dict[str, date]  # only the steps taken so far, in the order they are taken
    outcome: str | None

    @classmethod
    def of(cls, view: IntroView) -> IntroRow:
        """The row of one introduction with its people's names."""
        intro = view.intro
        steps = {
            "proposed": intro.proposed_on,
            "asked A": intro.asked_a_on,
            "asked B": intro.asked_b_on,
            "accepted": intro.accepted_on,
            "made": intro.made_on,
            "outcome": intro.outcome_on,
        }
        return cls(
            id=intro.id or 0,
            a_id=intro.a_id,
            b_id=intro.b_id,
            a=view.a_name,
            b=view.b_name,
            why=intro.why,
            state=intro.state,
            steps={step: day for step, day in steps.items() if day},
            outcome=intro.outcome,
        )


@dataclass(frozen=True)
class SuggestionRow:
    """Two people who should meet, why, and how well they fit (0 to 1)."""

    a_id: int
    b_id: int
    a: str
    b: str
    why: str
    score: float

    @classmethod
    def of(cls, found: IntroSuggestion) -> SuggestionRow:
        """The row of one suggestion, its score rounded."""
        return cls(
            found.a_id, found.b_id, found.a_name, found.b_name, found.why, round(found.score, 3)
        )


@dataclass(frozen=True)
class MeView:
    """My own interests, needs and offers, and the addresses mail capture knows as mine."""

    name: str
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    offers: tuple[str, ...]
    emails: tuple[str, ...]

    @classmethod
    def of(cls, me: Me, emails: Sequence[str]) -> MeView:
        """The view of me with my addresses."""
        return cls(me.name, me.interests, me.needs, me.offers, tuple(emails))
