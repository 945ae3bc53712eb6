"""The JSON API: one endpoint per CLI action, each a call into `kith.app`.

People are addressed by id in paths (`/api/v1/people/42`); `via` in a body takes the
CLI's PERSON reference. Every endpoint needs the garden's token: `Authorization: Bearer`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from kith.app import asking, events, nurture, people, quick_capture, reports, views
from kith.app import share_preview as shares
from kith.app.garden import Garden
from kith.app.garden_views import AskVerdict, FeedRow, WeedRow
from kith.app.person_views import ProfileView
from kith.app.quick_views import QuickCaptureView
from kith.app.result_views import ForgetView, HeldBack
from kith.app.stats_views import StatsView
from kith.core.model import Direction, Stage
from kith.web import api_models as m
from kith.web.auth import require_token
from kith.web.deps import MAX_ID, garden

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": m.ErrorOut, "description": "Bad input; `field` names it"},
    401: {"model": m.ErrorOut, "description": "Missing or wrong API token"},
    404: {"model": m.ErrorOut, "description": "No such person"},
    409: {
        "model": m.ErrorOut,
        "description": "An ambiguous reference, or a seed of someone already in the garden",
    },
    413: {"model": m.ErrorOut, "description": "The request body is over the 5 MB limit"},
    429: {"model": m.ErrorOut, "description": "Too many wrong tokens: wait Retry-After s"},
}
router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)], responses=ERRORS)
GardenDep = Annotated[Garden, Depends(garden)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's id")]


def _ref(person_id: int) -> str:
    return f"#{person_id}"


def _show(g: Garden, person_id: int) -> ProfileView:
    return ProfileView.of(views.show(g, _ref(person_id)))


@router.post("/people", status_code=201, tags=["people"])
def seed(g: GardenDep, body: m.SeedIn) -> ProfileView:
    """Plant a new connection (`kith seed`)."""
    fields = body.model_dump()
    person = people.seed(g, fields.pop("name"), **fields)
    return _show(g, person.id)


@router.post("/capture/quick/preview", tags=["capture"])
def quick_preview(g: GardenDep, body: m.QuickIn) -> QuickCaptureView:
    """What a line of quick capture would save (`kith note --dry-run`); nothing is written."""
    return quick_capture.preview(g, body.text, body.on)


@router.post("/capture/quick", status_code=201, tags=["capture"])
def quick(g: GardenDep, body: m.QuickIn) -> QuickCaptureView:
    """Save a line: a seed for someone new, a log for someone known (`kith note`)."""
    return quick_capture.apply(g, body.text, body.on)


@router.get("/people", tags=["people"])
def list_people(
    g: GardenDep,
    stage: Annotated[str | None, Query(max_length=20)] = None,
    interest: Annotated[str | None, Query(max_length=300)] = None,
) -> list[views.ListedPerson]:
    """Everyone but the pruned (unless `stage=pruned`), as `kith list`."""
    return views.list_people(g, stage, interest)


@router.get("/people/{person_id}", tags=["people"])
def show(g: GardenDep, person_id: PersonId) -> ProfileView:
    """Profile, stage, scores with reasons and timeline (`kith show --json`)."""
    return _show(g, person_id)


@router.patch("/people/{person_id}", tags=["people"])
def edit(g: GardenDep, person_id: PersonId, body: m.EditIn) -> ProfileView:
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in body.model_dump().items()
    }
    change = people.Edit(**values)
    people.edit(g, _ref(person_id), change)
    return _show(g, person_id)


@router.post("/people/{person_id}/interactions", status_code=201, tags=["history"])
def log(g: GardenDep, person_id: PersonId, body: m.LogIn) -> m.ItemOut:
    item = events.log(g, _ref(person_id), **body.model_dump())
    return m.ItemOut(id=item.id or 0, kind=item.kind.value)


def _exchange(g: Garden, person_id: int, body: m.ExchangeIn, direction: Direction) -> m.ItemOut:
    fields = body.model_dump()
    item = events.exchange(g, _ref(person_id), fields.pop("what"), direction, **fields)
    return m.ItemOut(id=item.id or 0, kind=item.kind.value)


@router.post("/people/{person_id}/given", status_code=201, tags=["history"])
def give(g: GardenDep, person_id: PersonId, body: m.ExchangeIn) -> m.ItemOut:
    return _exchange(g, person_id, body, Direction.GIVEN)


@router.post("/people/{person_id}/received", status_code=201, tags=["history"])
def receive(g: GardenDep, person_id: PersonId, body: m.ExchangeIn) -> m.ItemOut:
    return _exchange(g, person_id, body, Direction.RECEIVED)


@router.post("/people/{person_id}/breaches", status_code=201, tags=["history"])
def breach(g: GardenDep, person_id: PersonId, body: m.BreachIn) -> m.ItemOut:
    item = events.breach(g, _ref(person_id), body.what, on=body.on)
    return m.ItemOut(id=item.id or 0, kind="breach")


@router.post("/people/{person_id}/forgive", status_code=201, tags=["history"])
def forgive(g: GardenDep, person_id: PersonId, body: m.ForgiveIn) -> m.ItemOut:
    """A breach made right: resolves their oldest open breach (`kith forgive`)."""
    item = events.forgive(g, _ref(person_id), body.what, on=body.on)
    return m.ItemOut(id=item.id or 0, kind="forgiven")


@router.post("/people/{person_id}/their-asks", status_code=201, tags=["history"])
def asked_by(g: GardenDep, person_id: PersonId, body: m.TheirAskIn) -> m.TheirAskOut:
    """Something they asked of me, or pitched me (`kith asked-by`)."""
    item = events.asked_by(g, _ref(person_id), body.what, pitch=body.pitch, on=body.on)
    return m.TheirAskOut(id=item.id or 0, pitch=item.pitch, premature=item.premature)


@router.post("/people/{person_id}/asks", tags=["asking"])
def ask(g: GardenDep, person_id: PersonId, body: m.AskIn) -> AskVerdict:
    """Check an ask or a pitch; it is recorded only when ready (or forced), never on check_only."""
    fields = body.model_dump()
    return AskVerdict.of(asking.ask(g, _ref(person_id), fields.pop("what"), **fields))


@router.post("/people/{person_id}/ask-outcome", tags=["asking"])
def ask_outcome(g: GardenDep, person_id: PersonId, body: m.OutcomeIn) -> m.ItemOut:
    closed = asking.ask_outcome(g, _ref(person_id), body.outcome, on=body.on)
    return m.ItemOut(id=closed.id or 0, kind=closed.outcome.value)


@router.post("/people/{person_id}/snooze", tags=["nurture"])
def snooze(g: GardenDep, person_id: PersonId, body: m.SnoozeIn) -> views.ListedPerson:
    person, verdict = nurture.snooze(g, _ref(person_id), body.days)
    return views.ListedPerson(person.id, person.name, verdict.stage)


@router.post("/people/{person_id}/prune", tags=["nurture"])
def prune(g: GardenDep, person_id: PersonId, body: m.PruneIn) -> views.ListedPerson:
    person = people.prune(g, _ref(person_id), body.reason)
    return views.ListedPerson(person.id, person.name, Stage.PRUNED)


@router.post("/people/{person_id}/restore", tags=["nurture"])
def restore(g: GardenDep, person_id: PersonId) -> ProfileView:
    people.restore(g, _ref(person_id))
    return _show(g, person_id)


@router.delete("/people/{person_id}", tags=["people"])
def forget(
    g: GardenDep,
    person_id: PersonId,
    confirm: Annotated[
        bool, Query(description="Must be true: forgetting cannot be undone")
    ] = False,
) -> ForgetView:
    return ForgetView.of(people.forget(g, _ref(person_id), confirmed=confirm))


@router.get("/feed", tags=["nurture"])
def feed(g: GardenDep, limit: Annotated[int, Query(ge=1, le=1000)] = 10) -> list[FeedRow]:
    """Who to nurture today, most urgent first (`kith feed`)."""
    return nurture.feed(g, limit)


@router.get("/weed", tags=["nurture"])
def weed(g: GardenDep) -> list[WeedRow]:
    """Prune candidates: the defects that make each one, and the rest of the picture."""
    return nurture.weed(g)


@router.get("/stats", tags=["garden"])
def stats(g: GardenDep) -> StatsView:
    """Stages, the funnels from seed to trusted, effort, and the mirror (`kith stats`)."""
    return StatsView.of(reports.stats(g))


@router.get("/share/preview", tags=["garden"])
def share_preview(
    g: GardenDep, min_stage: Annotated[str, Query(max_length=20)] = "trusted"
) -> m.SharePreviewOut:
    """Who `kith share` would export and who is held back, and why; nothing is written."""
    preview = shares.preview(g, min_stage)
    return m.SharePreviewOut(
        min_stage=preview.min_stage.value,
        shared=len(preview.shared),
        names=preview.shared,
        held_back=[HeldBack(**held) for held in preview.held_back],
    )
