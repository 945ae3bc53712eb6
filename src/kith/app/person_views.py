"""What `kith show` and GET /api/v1/people/{id} present: a person's profile and timeline.

Shaped once here; the CLI prints it (`--json` through `documents.to_json`, text by reading
these attributes) and the API answers with it. Only the model is imported at run time, so the
CLI can name these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from kith.core.model import Direction, History, PersonState, Stage

if TYPE_CHECKING:  # the builder's input; the app's views module loads the store
    from kith.app.views import Profile


@dataclass(frozen=True)
class InteractionEvent:
    """A contact on the timeline: its kind, who reached out, and what it was about."""

    on: date
    type: Literal["interaction"]
    kind: str
    by: str
    unanswered: bool
    topics: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class ExchangeEvent:
    """Help given or received on the timeline."""

    on: date
    type: Literal["given", "received"]
    what: str
    kind: str
    weight: int


@dataclass(frozen=True)
class AskEvent:
    """An ask of mine on the timeline, with its outcome."""

    on: date
    type: Literal["ask"]
    what: str
    size: str
    pitch: bool
    ready: bool
    outcome: str


@dataclass(frozen=True)
class BreachEvent:
    """A breach of trust on the timeline, and whether it was made right."""

    on: date
    type: Literal["breach"]
    what: str
    resolved_on: date | None
    resolution: str | None


@dataclass(frozen=True)
class TheirAskEvent:
    """Something they asked of me, or pitched me, on the timeline."""

    on: date
    type: Literal["their_ask", "their_pitch"]
    what: str
    premature: bool


@dataclass(frozen=True)
class IntroEvent:
    """An introduction this person is part of, on the timeline."""

    on: date
    type: Literal["intro"]
    state: str
    why: str | None


TimelineEvent = (
    InteractionEvent | ExchangeEvent | AskEvent | BreachEvent | TheirAskEvent | IntroEvent
)


def timeline(history: History) -> tuple[TimelineEvent, ...]:
    """Every event with this person, newest first."""
    events: list[TimelineEvent] = [
        *(
            InteractionEvent(
                i.on, "interaction", i.kind.value, i.by.value, i.unanswered, i.topics, i.note
            )
            for i in history.interactions
        ),
        *(
            ExchangeEvent(
                e.on,
                "given" if e.direction is Direction.GIVEN else "received",
                e.what,
                e.kind.value,
                e.weight,
            )
            for e in history.exchanges
        ),
        *(
            AskEvent(a.on, "ask", a.what, a.size.value, a.pitch, a.ready, a.outcome.value)
            for a in history.asks
        ),
        *(
            BreachEvent(b.on, "breach", b.what, b.resolved_on, b.resolution)
            for b in history.breaches
        ),
        *(
            TheirAskEvent(t.on, "their_pitch" if t.pitch else "their_ask", t.what, t.premature)
            for t in history.their_asks
        ),
        *(IntroEvent(i.proposed_on, "intro", i.state.value, i.why) for i in history.intros),
    ]
    # Stable: events of one day keep the order above, as they always have.
    return tuple(sorted(events, key=lambda event: event.on, reverse=True))


@dataclass(frozen=True)
class HistoryCounts:
    """How many interactions, gifts, asks, breaches and intros a history holds."""

    interactions: int
    given: int
    received: int
    asks: int
    breaches: int
    intros: int
    their_asks: int

    @classmethod
    def of(cls, history: History) -> HistoryCounts:
        """The counts of this history."""
        return cls(
            interactions=len(history.interactions),
            given=sum(1 for e in history.exchanges if e.direction is Direction.GIVEN),
            received=sum(1 for e in history.exchanges if e.direction is Direction.RECEIVED),
            asks=len(history.asks),
            breaches=len(history.breaches),
            intros=len(history.intros),
            their_asks=len(history.their_asks),
        )

    def labelled(self) -> tuple[tuple[str, int], ...]:
        """Each count with its label, in the order above."""
        return (
            ("interactions", self.interactions),
            ("given", self.given),
            ("received", self.received),
            ("asks", self.asks),
            ("breaches", self.breaches),
            ("intros", self.intros),
            ("their_asks", self.their_asks),
        )


@dataclass(frozen=True)
class ProfileView:
    """The contract's `show` document: more fields are welcome, these are fixed."""

    id: int
    name: str
    stage: Stage
    strength: float
    trust: float
    trust_uncertainty: float
    balance: int
    next_feed: date | None
    interests: tuple[str, ...]
    needs: tuple[str, ...]
    offers: tuple[str, ...]
    reasons: tuple[str, ...]
    strength_reasons: tuple[str, ...]
    trust_reasons: tuple[str, ...]
    cadence: int
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    links: tuple[str, ...]
    company: str | None
    title: str | None
    met_where: str | None
    met_on: date | None
    birthday: date | None
    via: str | None
    note: str | None
    cadence_days: int | None
    consent_share: bool
    state: PersonState
    pruned_reason: str | None
    counts: HistoryCounts
    timeline: tuple[TimelineEvent, ...]

    @classmethod
    def of(cls, profile: Profile) -> ProfileView:
        """The view of a profile: the person, their verdict rounded, counts and timeline."""
        person = profile.history.person
        verdict = profile.verdict
        return cls(
            id=person.id,
            name=person.name,
            stage=verdict.stage,
            strength=round(verdict.strength.value, 3),
            trust=round(verdict.trust.value, 3),
            trust_uncertainty=round(verdict.trust.uncertainty, 3),
            balance=verdict.balance,
            next_feed=verdict.next_feed,
            interests=person.interests,
            needs=person.needs,
            offers=person.offers,
            reasons=verdict.reasons,
            strength_reasons=verdict.strength.reasons,
            trust_reasons=verdict.trust.reasons,
            cadence=verdict.cadence_days,
            emails=person.emails,
            phones=person.phones,
            links=person.links,
            company=person.company,
            title=person.title,
            met_where=person.met_where,
            met_on=person.met_on,
            birthday=person.birthday,
            via=profile.via_name,
            note=person.note,
            cadence_days=person.cadence_days,
            consent_share=person.consent_share,
            state=person.state,
            pruned_reason=person.pruned_reason,
            counts=HistoryCounts.of(profile.history),
            timeline=timeline(profile.history),
        )
