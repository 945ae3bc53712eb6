"""The JSON API, continued: me, conversation starters, introductions and merging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kith.app import intros, merging, my_addresses, people
from kith.app.garden import Garden
from kith.app.match_views import IntroRow, MeView, SuggestionRow
from kith.app.result_views import MergeView
from kith.core.model import Me
from kith.web import api_models as m
from kith.web.api import ERRORS, GardenDep, PersonId
from kith.web.auth import require_token
from kith.web.deps import Id

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)], responses=ERRORS)


def _me(g: Garden, me: Me) -> MeView:
    return MeView.of(me, my_addresses.my_addresses(g))


@router.get("/me", tags=["me"])
def get_me(g: GardenDep) -> MeView:
    """My own interests, needs, offers and addresses (`kith me`)."""
    return _me(g, people.get_me(g))


@router.patch("/me", tags=["me"])
def update_me(g: GardenDep, body: m.MeIn) -> MeView:
    """Add to my interests, needs and offers, and drop the tags named in `remove`."""
    return _me(g, people.set_me(g, body.interests, body.needs, body.offers, body.remove))


@router.get("/people/{person_id}/starters", tags=["intros"])
def starters(g: GardenDep, person_id: PersonId) -> intros.Starters:
    """The interests we share and conversation starters from them (`kith starters`)."""
    return intros.conversation_starters(g, f"#{person_id}")


@router.get("/intros/suggestions", tags=["intros"])
def suggestions(
    g: GardenDep, limit: Annotated[int, Query(ge=1, le=1000)] = 10
) -> list[SuggestionRow]:
    """Introductions worth making, best first, with why (`kith intros`)."""
    return [SuggestionRow.of(found) for found in intros.suggestions(g, limit)]


@router.get("/intros", tags=["intros"])
def list_intros(g: GardenDep) -> list[IntroRow]:
    """Every introduction started, with its double opt-in steps (`kith intro-status`)."""
    return [IntroRow.of(view) for view in intros.list_all(g)]


@router.post("/intros", status_code=201, tags=["intros"])
def start_intro(g: GardenDep, body: m.IntroIn) -> IntroRow:
    """Propose introducing A and B (`kith intro`); ask each before connecting them."""
    return IntroRow.of(intros.start(g, f"#{body.a_id}", f"#{body.b_id}", body.why))


@router.post("/intros/{intro_id}/steps", tags=["intros"])
def step_intro(g: GardenDep, intro_id: Id, body: m.StepIn) -> IntroRow:
    """Move an introduction along (`kith intro-step`); a made intro counts as help given."""
    return IntroRow.of(intros.step(g, intro_id, body.step, on=body.on, outcome=body.outcome))


@router.post("/people/{person_id}/merge", tags=["people"])
def merge(g: GardenDep, person_id: PersonId, body: m.MergeIn) -> MergeView:
    """Merge `other_id` into this person (`kith merge`): its history moves here; it goes."""
    return MergeView.of(merging.merge(g, f"#{person_id}", f"#{body.other_id}"))
