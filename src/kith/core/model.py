"""The concepts of kith as plain, immutable dataclasses.

Nothing here does I/O or reads the clock: the store fills these in, the rules in
`kith.core` judge them, and the shells present the result.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from datetime import date
from enum import StrEnum


class InteractionKind(StrEnum):
    """How we were in touch, from small talk to a shared meal."""

    SMALL_TALK = "small-talk"
    MESSAGE = "message"
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    MEAL = "meal"
    EVENT = "event"


class Initiator(StrEnum):
    """Who reached out: me or them."""

    ME = "me"
    THEM = "them"


class ExchangeKind(StrEnum):
    """What kind of help was given or received."""

    ADVICE = "advice"
    INTRO = "intro"
    REFERRAL = "referral"
    RESOURCE = "resource"
    ENDORSEMENT = "endorsement"
    FAVOR = "favor"


class Direction(StrEnum):
    """Which way help went: given by me or received by me."""

    GIVEN = "given"  # I helped them
    RECEIVED = "received"  # they helped me


class AskSize(StrEnum):
    """How much an ask asks of someone."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class AskOutcome(StrEnum):
    """What became of an ask."""

    OPEN = "open"
    YES = "yes"
    NO = "no"
    IGNORED = "ignored"


class PersonState(StrEnum):
    """Whether a person is in the garden or pruned."""

    ACTIVE = "active"
    PRUNED = "pruned"


class Stage(StrEnum):
    """Where a relationship stands, computed from its history every time."""

    SEED = "seed"
    GROWING = "growing"
    TRUSTED = "trusted"
    DORMANT = "dormant"
    WEED = "weed"
    PRUNED = "pruned"


class IntroState(StrEnum):
    """Where a double opt-in introduction stands."""

    PROPOSED = "proposed"
    ASKED = "asked"  # at least one side has been asked
    ACCEPTED = "accepted"  # both sides said yes
    MADE = "made"
    DECLINED = "declined"


class TagKind(StrEnum):
    """What a tag says about a person: an interest, a need or an offer."""

    INTEREST = "interest"
    NEED = "need"
    OFFER = "offer"


@dataclass(frozen=True)
class Me:
    """The owner of a garden."""

    name: str = "me"
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonDraft:
    """Everything one can know about someone before the garden gives them an id.

    The one declaration of a person's record: an imported contact, a seed, what the store
    inserts and what dedup merges are all drafts, and `Person` is a draft with an id.
    Only `name` may be given by position; the rest are keywords so the record can grow.
    """

    name: str
    _: KW_ONLY
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    company: str | None = None
    title: str | None = None
    met_where: str | None = None
    met_on: date | None = None
    note: str | None = None
    uid: str | None = None  # the vCard UID they are known by (an import, a CardDAV book)
    via_id: int | None = None
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    birthday: date | None = None  # with its year: a year-less birthday is not kept
    cadence_days: int | None = None
    consent_share: bool = False


@dataclass(frozen=True)
class Person(PersonDraft):
    """Someone in the garden: who they are, how to reach them, what they care about."""

    id: int = field(kw_only=True)
    state: PersonState = field(default=PersonState.ACTIVE, kw_only=True)
    pruned_reason: str | None = field(default=None, kw_only=True)
    created_on: date | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Interaction:
    """One contact with a person: when, how and who reached out."""

    person_id: int
    on: date
    kind: InteractionKind
    by: Initiator = Initiator.ME
    unanswered: bool = False
    topics: tuple[str, ...] = ()
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Exchange:
    """Help given to or received from a person."""

    person_id: int
    on: date
    direction: Direction
    what: str
    kind: ExchangeKind = ExchangeKind.FAVOR
    weight: int = 1
    id: int | None = None
    intro_id: int | None = None  # set when the help was an introduction I made


@dataclass(frozen=True)
class Ask:
    """Something I asked of a person, with the verdict it had and its outcome."""

    person_id: int
    on: date
    what: str
    size: AskSize = AskSize.SMALL
    pitch: bool = False
    ready: bool = True  # the verdict of the check when the ask was made
    outcome: AskOutcome = AskOutcome.OPEN
    outcome_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class TheirAsk:
    """Something they asked of me, or pitched me (selling their product or service).

    `premature` is the seed's rule applied to them, judged when it was recorded: a pitch
    before the relationship was trusted, with the ledger in their favour or even.
    """

    person_id: int
    on: date
    what: str
    pitch: bool = False
    premature: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Breach:
    """A breach of trust by a person, resolved or not."""

    person_id: int
    on: date
    what: str
    resolved_on: date | None = None  # made right on this day (kith forgive)
    resolution: str | None = None  # what they did to make it right
    id: int | None = None


@dataclass(frozen=True)
class Intro:
    """A double opt-in introduction between two people, with its dated steps."""

    a_id: int
    b_id: int
    proposed_on: date
    why: str | None = None
    state: IntroState = IntroState.PROPOSED
    asked_a_on: date | None = None
    asked_b_on: date | None = None
    accepted_on: date | None = None
    made_on: date | None = None
    outcome: str | None = None
    outcome_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class History:
    """Everything known about one person: what `show` displays and the rules judge."""

    person: Person
    interactions: tuple[Interaction, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    asks: tuple[Ask, ...] = ()
    breaches: tuple[Breach, ...] = ()
    intros: tuple[Intro, ...] = field(default=())
    their_asks: tuple[TheirAsk, ...] = ()
