"""The JSON API, continued: me, conversation starters, introductions and merging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kith.app import intros, merging, people
from kith.core.model import Me
from kith.web import api_models as m
from kith.web.api import ERRORS, GardenDep, PersonId
from kith.web.auth import require_token
from kith.web.deps import Id

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)], responses=ERRORS)


def _me(me: Me) -> m.MeOut:
    return m.MeOut(
        name=me.name, interests=list(me.interests), needs=list(me.needs), offers=list(me.offers)
    )


def _intro(view: intros.IntroView) -> m.IntroOut:
    i = view.intro
    steps = {
        "proposed": i.proposed_on,
        "asked A": i.asked_a_on,
        "asked B": i.asked_b_on,
        "accepted": i.accepted_on,
        "made": i.made_on,
        "outcome": i.outcome_on,
    }
    return m.IntroOut(
        id=i.id or 0,
        a_id=i.a_id,
        b_id=i.b_id,
        a=view.a_name,
        b=view.b_name,
        why=i.why,
        state=i.state.value,
        steps={k: v.isoformat() for k, v in steps.items() if v},
        outcome=i.outcome,
    )


@router.get("/me", tags=["me"])
def get_me(g: GardenDep) -> m.MeOut:
    """My own interests, needs and offers (`kith me`)."""
    return _me(people.get_me(g))


@router.patch("/me", tags=["me"])
def update_me(g: GardenDep, body: m.MeIn) -> m.MeOut:
    """Add to my interests, needs and offers, and drop the tags named in `remove`."""
    return _me(people.set_me(g, body.interests, body.needs, body.offers, body.remove))


@router.get("/people/{person_id}/starters", tags=["intros"])
def starters(g: GardenDep, person_id: PersonId) -> m.StartersOut:
    """The interests we share and conversation starters from them (`kith starters`)."""
    found = intros.conversation_starters(g, f"#{person_id}")
    return m.StartersOut(
        name=found.name, shared_interests=found.shared_interests, starters=found.starters
    )


@router.get("/intros/suggestions", tags=["intros"])
def suggestions(
    g: GardenDep, limit: Annotated[int, Query(ge=1, le=1000)] = 10
) -> list[m.SuggestionOut]:
    """Introductions worth making, best first, with why (`kith intros`)."""
    return [
        m.SuggestionOut(
            a_id=s.a_id, b_id=s.b_id, a=s.a_name, b=s.b_name, why=s.why, score=round(s.score, 3)
        )
        for s in intros.suggestions(g, limit)
    ]


@router.get("/intros", tags=["intros"])
def list_intros(g: GardenDep) -> list[m.IntroOut]:
    """Every introduction started, with its double opt-in steps (`kith intro-status`)."""
    return [_intro(view) for view in intros.list_all(g)]


@router.post("/intros", status_code=201, tags=["intros"])
def start_intro(g: GardenDep, body: m.IntroIn) -> m.IntroOut:
    """Propose introducing A and B (`kith intro`); ask each before connecting them."""
    return _intro(intros.start(g, f"#{body.a_id}", f"#{body.b_id}", body.why))


@router.post("/intros/{intro_id}/steps", tags=["intros"])
def step_intro(g: GardenDep, intro_id: Id, body: m.StepIn) -> m.IntroOut:
    """Move an introduction along (`kith intro-step`); a made intro counts as help given."""
    return _intro(intros.step(g, intro_id, body.step, on=body.on, outcome=body.outcome))


@router.post("/people/{person_id}/merge", tags=["people"])
def merge(g: GardenDep, person_id: PersonId, body: m.MergeIn) -> m.MergeOut:
    """Merge `other_id` into this person (`kith merge`): its history moves here; it goes."""
    merged = merging.merge(g, f"#{person_id}", f"#{body.other_id}")
    return m.MergeOut.model_validate(merged.to_json())
