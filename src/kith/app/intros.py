"""Mutual interest in action: conversation starters, introductions and their double opt-in."""

from __future__ import annotations

from dataclasses import dataclass

from kith.app import inputs, judging
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.core.intro_flow import (
    IntroFlowError,
    IntroStep,
    advance,
    can_vouch,
    open_between,
    why_not_vouch,
)
from kith.core.matching import IntroCandidate, IntroSuggestion, starters, suggest_intros
from kith.core.model import Intro, PersonState
from kith.core.tags import load_vocabulary, shared_interests
from kith.semantic import related_for
from kith.store import Connection
from kith.store import history as history_store
from kith.store import people as people_store


@dataclass(frozen=True)
class Starters:
    """What I share with someone, and conversation starters from it."""

    name: str
    shared_interests: list[str]
    starters: list[str]


def conversation_starters(garden: Garden, reference: str) -> Starters:
    """What we share, and openers from it and from what we last talked about."""
    with garden.reading() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        me = people_store.load_me(conn, garden.account_id)
        ((_, facts, _),) = judging.judged(conn, garden, [person])
    related = related_for(garden.semantic, [*me.interests, *person.interests])
    shared = shared_interests(me.interests, person.interests, load_vocabulary(), related)
    return Starters(person.name, shared, starters(shared, facts.last_topics))


def suggestions(garden: Garden, limit: int = 10) -> list[IntroSuggestion]:
    """Introductions worth making between people I know, best first, never made twice."""
    if limit < 1:
        raise InvalidInput("limit", f"{limit} must be at least 1")
    with garden.reading() as conn:
        people = people_store.load_people(conn, garden.account_id, states=[PersonState.ACTIVE])
        judged = judging.judged(conn, garden, people)
        already = {
            frozenset((i.a_id, i.b_id)) for i in history_store.list_intros(conn, garden.account_id)
        }
    candidates = [
        IntroCandidate(
            person, verdict.strength.value, verdict.trust.value, can_vouch(verdict, facts)
        )
        for person, facts, verdict in judged
    ]
    found = suggest_intros(candidates, load_vocabulary(), limit + len(already))
    return [s for s in found if frozenset((s.a_id, s.b_id)) not in already][:limit]


@dataclass(frozen=True)
class IntroView:
    """An introduction with the names of the two people it joins."""

    intro: Intro
    a_name: str
    b_name: str


def start(garden: Garden, a: str, b: str, why: str | None = None) -> IntroView:
    """Propose introducing A and B; nothing is sent until both have been asked."""
    with garden.transaction() as conn:
        a_id = inputs.resolve(conn, garden.account_id, a)
        b_id = inputs.resolve(conn, garden.account_id, b)
        if a_id == b_id:
            raise InvalidInput("b", "an introduction needs two different people")
        pair = people_store.load_people(conn, garden.account_id, ids=[a_id, b_id])
        by_id = {p.id: p for p in pair}
        for person, facts, verdict in judging.judged(conn, garden, pair, topics=False):
            refusal = why_not_vouch(person.name, verdict, facts)
            if refusal:
                raise KithError(refusal)
        existing = open_between(history_store.list_intros(conn, garden.account_id), a_id, b_id)
        if existing is not None:
            raise KithError(
                f"{by_id[a_id].name} and {by_id[b_id].name} already have introduction"
                f" #{existing.id} ({existing.state.value})"
            )
        clean_why = inputs.optional_text("why", why)
        intro = Intro(a_id, b_id, garden.today, clean_why)
        intro_id = history_store.add_intro(conn, garden.account_id, intro)
        saved = history_store.load_intro(conn, garden.account_id, intro_id)
        assert saved is not None
        return IntroView(saved, by_id[a_id].name, by_id[b_id].name)


def step(
    garden: Garden,
    intro_id: int,
    step_name: str,
    *,
    on: str | None = None,
    outcome: str | None = None,
) -> IntroView:
    """Move an introduction along: asked-a, asked-b, accepted, declined, made, outcome."""
    chosen = inputs.choice("step", step_name, IntroStep)
    when = inputs.date_or_today("on", on, garden.today)
    outcome = inputs.optional_text("outcome", outcome, one_line=False)
    with garden.transaction() as conn:
        in_range = 1 <= intro_id <= inputs.MAX_ID
        intro = history_store.load_intro(conn, garden.account_id, intro_id) if in_range else None
        if intro is None:
            raise NotFound(f"no introduction #{intro_id}")
        names = _names(conn, garden, intro)
        try:
            advanced = advance(intro, chosen, when, outcome, names)
        except IntroFlowError as exc:
            raise InvalidInput(exc.field, str(exc)) from None
        history_store.save_intro(conn, garden.account_id, advanced.intro)
        for gift in advanced.exchanges:
            history_store.add_exchange(conn, garden.account_id, gift)
        return IntroView(advanced.intro, *names)


def _names(conn: Connection, garden: Garden, intro: Intro) -> tuple[str, str]:
    pair = {
        p.id: p.name
        for p in people_store.load_people(conn, garden.account_id, ids=[intro.a_id, intro.b_id])
    }
    return pair[intro.a_id], pair[intro.b_id]


def list_all(garden: Garden) -> list[IntroView]:
    """Every introduction of the garden, with its dated steps."""
    with garden.reading() as conn:
        found = history_store.list_intros(conn, garden.account_id)
        ids = {i for intro in found for i in (intro.a_id, intro.b_id)}
        names = (
            {p.id: p.name for p in people_store.load_people(conn, garden.account_id, ids=ids)}
            if ids
            else {}
        )
    return [IntroView(i, names[i.a_id], names[i.b_id]) for i in found]
