"""`kith demo`: a garden of about forty people with months of history to explore.

The story characters are written by hand so that every command has something true to
show (a trusted friend, a taker who asks and pitches, a dormant friend, a breach, one made
right, fresh seeds to follow up); the rest of
the garden is drawn from a seeded random generator, so the demo is the same every time
for the same today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from kith.app.errors import GardenNotEmpty
from kith.app.garden import Garden
from kith.core.intro_flow import IntroStep, advance
from kith.core.model import Ask as AskEvent
from kith.core.model import (
    AskOutcome,
    AskSize,
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    Initiator,
    Interaction,
    InteractionKind,
    Intro,
    PersonDraft,
    TagKind,
    TheirAsk,
)
from kith.core.wording import plural
from kith.store import Connection
from kith.store import history as history_store
from kith.store import people as people_store

ME_INTERESTS = ("climbing", "jazz", "python", "product management", "cycling")
ME_OFFERS = ("Python mentoring", "CV review", "intro to engineering leaders", "UX research")
ME_NEEDS = ("a mentor in fundraising", "speaking slots at conferences")

# (days ago, kind, by, topics, unanswered)
Contact = tuple[int, InteractionKind, Initiator, tuple[str, ...], bool]
M, T = Initiator.ME, Initiator.THEM
K = InteractionKind


@dataclass(frozen=True)
class Character:
    """One person of the demo garden and the history the demo plants for them."""

    name: str
    met_where: str
    met_days_ago: int
    company: str
    title: str
    interests: tuple[str, ...]
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    given: tuple[tuple[int, str, ExchangeKind, int], ...] = ()  # days ago, what, kind, weight
    received: tuple[tuple[int, str, ExchangeKind, int], ...] = ()
    breaches: tuple[tuple[int, str], ...] = ()
    mended: tuple[tuple[int, str], ...] = ()  # days ago, what made each breach right, in order
    their_asks: tuple[tuple[int, str, bool], ...] = ()  # days ago, what, a pitch?
    asks: tuple[tuple[int, str, AskSize, AskOutcome], ...] = ()
    email: str | None = None
    consent_share: bool = False
    note: str | None = None
    via: str | None = None


STORY = (
    Character(
        "Maya Okafor",
        "PyCon",
        430,
        "Northwind",
        "Head of Design",
        ("climbing", "jazz"),
        needs=("a senior Python engineer",),
        offers=("UX design", "design critique"),
        contacts=(
            (430, K.SMALL_TALK, M, ("climbing gyms",), False),
            (415, K.MEAL, T, (), False),
            (360, K.CALL, M, ("hiring",), False),
            (300, K.MEETING, T, (), False),
            (220, K.EVENT, M, ("jazz festival",), False),
            (150, K.MEAL, T, (), False),
            (90, K.CALL, M, ("design systems",), False),
            (40, K.MEETING, T, ("bouldering trip",), False),
            (12, K.MESSAGE, T, ("new climbing wall",), False),
        ),
        given=(
            (400, "reviewed her team's hiring plan", ExchangeKind.ADVICE, 3),
            (200, "intro to a Python contractor", ExchangeKind.INTRO, 4),
        ),
        received=((250, "critique of my product mock-ups", ExchangeKind.ADVICE, 3),),
        asks=((100, "feedback on my talk", AskSize.SMALL, AskOutcome.YES),),
        email="maya@northwind.example",
        consent_share=True,
        note="Prefers calls after 5pm.",
    ),
    Character(
        "Priya Nair",
        "alumni dinner",
        520,
        "Studio Nine",
        "UX Lead",
        ("climbing", "photography"),
        needs=("speaking slots",),
        offers=("UX design", "user research"),
        contacts=(
            (520, K.MEAL, M, (), False),
            (470, K.CALL, T, ("user research",), False),
            (380, K.MEETING, M, (), False),
            (260, K.CALL, T, (), False),
            (160, K.MEAL, M, ("photography",), False),
            (70, K.MEETING, T, (), False),
            (25, K.CALL, M, ("conference talks",), False),
        ),
        given=(
            (450, "CV review", ExchangeKind.ADVICE, 2),
            (170, "conference referral", ExchangeKind.REFERRAL, 4),
        ),
        received=((300, "usability test of my app", ExchangeKind.FAVOR, 3),),
        email="priya@studionine.example",
        consent_share=True,
    ),
    Character(
        "Tom Becker",
        "LinkedIn",
        240,
        "Growthly",
        "Sales Director",
        ("golf",),
        needs=("leads in fintech",),
        contacts=(
            (240, K.MESSAGE, T, ("his product",), False),
            (200, K.CALL, T, ("a favour",), False),
            (150, K.MESSAGE, T, ("another favour",), False),
            (90, K.CALL, T, (), False),
            (30, K.MESSAGE, T, ("intro request",), False),
        ),
        given=(
            (198, "intro to a fintech CTO", ExchangeKind.INTRO, 3),
            (148, "feedback on his pitch deck", ExchangeKind.ADVICE, 2),
            (88, "referral to a client", ExchangeKind.REFERRAL, 4),
            (28, "endorsement on LinkedIn", ExchangeKind.ENDORSEMENT, 1),
        ),
        # A token favour does not clear a taker: the ledger's weight decides.
        received=((100, "a link to a golf club newsletter", ExchangeKind.RESOURCE, 1),),
        their_asks=(
            (240, "a demo of Growthly's sales platform", True),
            (200, "an intro to your CTO friends", False),
            (150, "feedback on his pitch deck", False),
            (90, "a referral to one of your clients", False),
            (30, "an intro to a fintech investor", False),
            (30, "a paid pilot of Growthly", True),
        ),
        note="Always asks, never offers.",
    ),
    Character(
        "Lena Fischer",
        "university",
        1500,
        "Freelance",
        "Data Scientist",
        ("cycling", "jazz", "machine learning"),
        offers=("machine learning advice",),
        contacts=(
            *(
                (days, kind, by, (), False)
                for days, kind, by in (
                    (1500, K.MEETING, M),
                    (1400, K.MEAL, T),
                    (1200, K.CALL, M),
                    (1000, K.MEAL, T),
                    (800, K.EVENT, M),
                    (600, K.CALL, T),
                    (480, K.MEAL, M),
                    (400, K.MEETING, T),
                    (300, K.CALL, T),
                )
            ),
            (290, K.MESSAGE, M, ("cycling holiday",), False),
        ),
        given=((1100, "helped her move flat", ExchangeKind.FAVOR, 3),),
        received=((700, "ML model review", ExchangeKind.ADVICE, 4),),
        email="lena@fischer.example",
    ),
    Character(
        "Raj Patel",
        "meetup",
        200,
        "Kite Labs",
        "Founder",
        ("python", "startups"),
        needs=("a CTO",),
        offers=("angel investing advice",),
        contacts=(
            (200, K.SMALL_TALK, M, ("startups",), False),
            (170, K.CALL, T, (), False),
            (120, K.MEETING, M, (), False),
            (60, K.MEAL, T, ("fundraising",), False),
        ),
        given=((110, "CTO candidate intro", ExchangeKind.INTRO, 3),),
        received=((58, "fundraising advice", ExchangeKind.ADVICE, 2),),
        breaches=((21, "shared my confidential pitch deck with a competitor"),),
    ),
    Character(
        "Daniel Brooks",
        "a workshop he ran",
        330,
        "Brightside",
        "Engineering Manager",
        ("python", "jazz"),
        needs=("speaking slots",),
        offers=("workshop hosting",),
        contacts=(
            (330, K.MEETING, M, ("testing",), False),
            (300, K.CALL, T, (), False),
            (260, K.MEAL, M, ("jazz",), False),
            (200, K.CALL, T, ("the workshop",), False),
            (150, K.MEETING, T, ("making amends",), False),
            (110, K.CALL, M, (), False),
            (60, K.MEAL, T, ("jazz",), False),
            (20, K.CALL, M, ("conference talks",), False),
        ),
        given=((280, "reviewed his conference talk", ExchangeKind.ADVICE, 3),),
        received=((120, "a speaking slot at his meetup", ExchangeKind.REFERRAL, 4),),
        breaches=((190, "cancelled the workshop we co-hosted the night before"),),
        mended=((150, "apologised and ran the next workshop himself"),),
        email="daniel@brightside.example",
    ),
    Character(
        "Sofia Marin",
        "Product Camp",
        3,
        "Flowbase",
        "Product Manager",
        ("product management", "cycling"),
        needs=("intro to engineering leaders",),
        offers=("B2B pricing advice",),
        contacts=((3, K.SMALL_TALK, M, ("roadmaps",), False),),
        email="sofia@flowbase.example",
    ),
    Character(
        "Greg Wolfe",
        "conference",
        150,
        "Bigcorp",
        "VP Engineering",
        ("golf", "python"),
        contacts=(
            (150, K.SMALL_TALK, M, (), False),
            (120, K.MESSAGE, T, (), False),
            (90, K.EMAIL, M, (), True),
            (60, K.EMAIL, M, (), True),
            (20, K.MESSAGE, M, (), True),
        ),
    ),
    Character(
        "Noah Kim",
        "hackathon",
        9,
        "Quanta",
        "Engineer",
        ("python", "climbing"),
        needs=("CV review",),
        contacts=((9, K.EVENT, M, ("hackathon project",), False),),
        via="Maya Okafor",
    ),
)

FIRST = (
    "Amara",
    "Ben",
    "Chloé",
    "Diego",
    "Elif",
    "Farah",
    "Gabe",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lucía",
    "Mateo",
    "Nadia",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Arjun",
    "Björn",
    "Carmen",
    "Dario",
    "Esther",
    "Felix",
)
LAST = (
    "Adeyemi",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "García",
    "Haddad",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Ortiz",
    "Park",
    "Quispe",
    "Rossi",
    "Silva",
    "Tanaka",
    "Usman",
    "Vogel",
    "Weiss",
    "Yilmaz",
    "Zhou",
)
SOURCES = (
    "LinkedIn",
    "PyCon",
    "alumni dinner",
    "meetup",
    "conference",
    "coworking",
    "Product Camp",
)
INTERESTS = (
    "climbing",
    "jazz",
    "python",
    "machine learning",
    "cycling",
    "photography",
    "startups",
    "product management",
    "classical music",
    "chess",
    "UX design",
    "running",
    "open source",
    "sailing",
    "cooking",
)
NEEDS = (
    "a UX designer",
    "intro to investors",
    "a mentor",
    "CV review",
    "a co-founder",
    "legal advice",
    "speaking slots",
    "a data engineer",
)
OFFERS = (
    "UX design",
    "legal advice",
    "Python mentoring",
    "fundraising advice",
    "data engineering",
    "copywriting",
    "intro to investors",
    "machine learning advice",
)
COMPANIES = ("Acme", "Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark")
TITLES = ("Engineer", "Designer", "Founder", "Product Manager", "Recruiter", "Consultant", "CTO")
KINDS = (K.SMALL_TALK, K.MESSAGE, K.EMAIL, K.CALL, K.MEETING, K.MEAL, K.EVENT)


@dataclass
class _Filler:
    rng: random.Random
    used_names: set[str] = field(default_factory=set)

    def name(self) -> str:
        while True:
            candidate = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def character(self) -> Character:
        rng = self.rng
        met_days_ago = rng.randint(5, 700)
        count = min(int(rng.paretovariate(1.2)), 25)  # a few ties carry most of the contact
        days = sorted((rng.randint(0, met_days_ago) for _ in range(count)), reverse=True)
        contacts = tuple(
            (
                d,
                rng.choice(KINDS),
                rng.choice((M, T)),
                tuple(rng.sample(INTERESTS, k=rng.randint(0, 1))),
                False,
            )
            for d in [met_days_ago, *days]
        )
        given = tuple(
            (
                rng.randint(0, met_days_ago),
                "a helping hand",
                rng.choice(list(ExchangeKind)),
                rng.randint(1, 3),
            )
            for _ in range(rng.choice((0, 0, 1, 2)))
        )
        received = tuple(
            (
                rng.randint(0, met_days_ago),
                "useful advice",
                rng.choice(list(ExchangeKind)),
                rng.randint(1, 3),
            )
            for _ in range(rng.choice((0, 0, 1)))
        )
        return Character(
            self.name(),
            rng.choice(SOURCES),
            met_days_ago,
            rng.choice(COMPANIES),
            rng.choice(TITLES),
            tuple(rng.sample(INTERESTS, k=rng.randint(1, 3))),
            needs=tuple(rng.sample(NEEDS, k=rng.randint(0, 1))),
            offers=tuple(rng.sample(OFFERS, k=rng.randint(0, 2))),
            contacts=contacts,
            given=given,
            received=received,
            via=rng.choice(_INTRODUCERS) if rng.random() < 0.3 else None,
        )


# Story characters who introduced some of the others (the network map draws these links).
_INTRODUCERS = ("Maya Okafor", "Priya Nair", "Lena Fischer", "Raj Patel")


def characters(count: int = 40, seed: int = 7) -> list[Character]:
    """The demo's people: its story characters, then generated ones up to `count`."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    filler = _Filler(rng, {c.name for c in STORY})
    return [*STORY, *(filler.character() for _ in range(count - len(STORY)))]


def load_demo(garden: Garden) -> int:
    """Plant the demo garden in an empty garden; return how many people it holds."""
    with garden.transaction() as conn:
        existing = people_store.count_people(conn, garden.account_id)
        if existing:
            raise GardenNotEmpty(
                f"this garden already has {plural(existing, 'person', 'people')};"
                " the demo goes into an empty one only"
            )
        for kind, values in (
            (TagKind.INTEREST, ME_INTERESTS),
            (TagKind.NEED, ME_NEEDS),
            (TagKind.OFFER, ME_OFFERS),
        ):
            people_store.add_tags(conn, garden.account_id, None, kind, values)
        ids: dict[str, int] = {}
        cast = characters()
        for character in cast:
            ids[character.name] = _plant(conn, garden, character, ids)
        _plant_intros(conn, garden, ids)
        return len(cast)


# (a, b, why, days ago proposed, steps taken a few days apart)
INTROS = (
    ("Lena Fischer", "Maya Okafor", "Maya's team wants machine learning advice; Lena gives it",
     70, (IntroStep.ASKED_A, IntroStep.ASKED_B, IntroStep.ACCEPTED, IntroStep.MADE)),
    ("Priya Nair", "Maya Okafor", "both lead design teams and love climbing", 6,
     (IntroStep.ASKED_A,)),
)  # fmt: skip


def _plant_intros(conn: Connection, garden: Garden, ids: dict[str, int]) -> None:
    """Introductions walked through the same double opt-in as `kith intro-step`."""
    for a, b, why, days, steps in INTROS:
        proposed = garden.today - timedelta(days=days)
        intro = Intro(ids[a], ids[b], proposed, why)
        intro = replace(intro, id=history_store.add_intro(conn, garden.account_id, intro))
        for number, step in enumerate(steps, start=1):
            advanced = advance(intro, step, proposed + timedelta(days=2 * number), names=(a, b))
            intro = advanced.intro
            for gift in advanced.exchanges:
                history_store.add_exchange(conn, garden.account_id, gift)
        history_store.save_intro(conn, garden.account_id, intro)


def _plant(conn: Connection, garden: Garden, c: Character, ids: dict[str, int]) -> int:
    today = garden.today

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    account = garden.account_id
    person_id = people_store.insert_person(
        conn,
        account,
        PersonDraft(
            name=c.name,
            emails=(c.email,) if c.email else (),
            company=c.company,
            title=c.title,
            met_where=c.met_where,
            met_on=ago(c.met_days_ago),
            via_id=ids.get(c.via) if c.via else None,
            note=c.note,
            interests=c.interests,
            needs=c.needs,
            offers=c.offers,
            consent_share=c.consent_share,
        ),
        created_on=ago(c.met_days_ago),
        source="demo",
    )
    for days, kind, by, topics, unanswered in c.contacts:
        history_store.add_interaction(
            conn, account, Interaction(person_id, ago(days), kind, by, unanswered, topics)
        )
    for direction, exchanges in ((Direction.GIVEN, c.given), (Direction.RECEIVED, c.received)):
        for days, what, help_kind, weight in exchanges:
            history_store.add_exchange(
                conn, account, Exchange(person_id, ago(days), direction, what, help_kind, weight)
            )
    mended = [(ago(days), what) for days, what in c.mended]
    for n, (days, what) in enumerate(c.breaches):
        made_right = mended[n] if n < len(mended) else (None, None)
        history_store.add_breach(conn, account, Breach(person_id, ago(days), what, *made_right))
    for days, what, pitch in c.their_asks:
        # The story's pitches all came before any relationship, as a taker's do.
        item = TheirAsk(person_id, ago(days), what, pitch=pitch, premature=pitch)
        history_store.add_their_ask(conn, account, item)
    for days, what, size, outcome in c.asks:
        history_store.add_ask(
            conn,
            account,
            AskEvent(person_id, ago(days), what, size, False, True, outcome, ago(days - 2)),
        )
    return person_id
