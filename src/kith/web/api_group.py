"""The group's JSON API: the directory, shared contacts, warm paths and intro requests.

The same actions and the same view models as `kith group ... --json`, for the member the
token names. Outside a group (a single garden) every endpoint is 404, "not in a group".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from kith.app import community_shares, group_paths, intro_requests, profiles
from kith.app.community_shares import MySharesView, SharedContactView, SharedView
from kith.app.garden import Garden
from kith.app.group_paths import PathsView
from kith.app.intro_requests import AnswerView, RequestsView, RequestView
from kith.app.profiles import DirectoryView, MyProfileView
from kith.core import limits
from kith.core.profiles import Search
from kith.web import api_models as m
from kith.web.api import ERRORS
from kith.web.auth import require_token
from kith.web.deps import MAX_ID
from kith.web.group_deps import group_garden

router = APIRouter(
    prefix="/api/v1/group",
    dependencies=[Depends(require_token)],
    responses=ERRORS,
    tags=["group"],
)
GardenDep = Annotated[Garden, Depends(group_garden)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's id in my garden")]
ShareId = Annotated[int, Path(ge=1, le=MAX_ID, description="A shared contact's id")]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="An intro request's id")]
Tag = Annotated[str, Query(max_length=limits.TAG)]


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [values]})


class ProfileIn(m.Body):
    model_config = _example(publish=["offers", "interests"], hide=["emails"])
    publish: list[str] = Field(default=[], max_length=10, description="Fields to show")
    hide: list[str] = Field(default=[], max_length=10, description="Fields to hide again")


class ShareIn(m.Body):
    model_config = _example(people=["Maya Okafor"], with_login=None, min_stage="trusted")
    people: list[Annotated[str, Field(max_length=limits.NAME)]] = Field(
        min_length=1, max_length=limits.LIST_ITEMS, description="Names, emails or #IDs"
    )
    with_login: str | None = Field(default=None, max_length=64, description="One member only")
    min_stage: str = Field(default="trusted", max_length=20, description="trusted or growing")


class RequestIn(m.Body):
    model_config = _example(target="offers:fundraising", reason="advice on a seed round")
    target: str = Field(
        max_length=limits.NAME, description="A login, a shared contact, at:X, offers:X, interest:X"
    )
    reason: str = Field(max_length=limits.TEXT, description="Why: the first hop reads it")
    path_number: int = Field(default=1, ge=1, le=3, description="Which path of /group/paths")


class AnswerIn(m.Body):
    model_config = _example(answer="yes", note="ana is great to work with")
    answer: Literal["yes", "no"] = Field(description="yes accepts, no declines")
    note: str | None = Field(default=None, max_length=limits.TEXT)


class SharedOut(BaseModel):
    shared: list[SharedView]


class WithdrawnOut(BaseModel):
    person: str
    withdrawn: int


class ContactsOut(BaseModel):
    contacts: list[SharedContactView]


class TakenOut(BaseModel):
    id: int
    name: str
    met: str | None


@router.get("/profile")
def profile(g: GardenDep) -> MyProfileView:
    """My profile as the directory shows it, and the fields I keep hidden."""
    return profiles.my_profile(g)


@router.put("/profile")
def set_profile(g: GardenDep, body: ProfileIn) -> MyProfileView:
    """Publish or hide fields of my profile (`kith group profile --publish/--hide`)."""
    return profiles.set_profile(g, body.publish, body.hide)


@router.get("/directory")
def directory(g: GardenDep, interest: Tag = "", offer: Tag = "", need: Tag = "") -> DirectoryView:
    """Members and what they published, filtered by tag (`kith group directory`)."""
    return profiles.directory(g, Search(interest, offer, need))


@router.post("/shares", status_code=201)
def share(g: GardenDep, body: ShareIn) -> SharedOut:
    """Share people with the group or one member, vetted as `kith share` vets them."""
    return SharedOut(shared=community_shares.share(g, body.people, body.with_login, body.min_stage))


@router.get("/shares")
def my_shares(g: GardenDep) -> MySharesView:
    """The contacts I share, with whom, and whether the group sees them today (`kith group
    sharing`): a share I can no longer vouch for is held back, with why."""
    return community_shares.my_shares(g)


@router.delete("/shares/{person_id}")
def withdraw(g: GardenDep, person_id: PersonId) -> WithdrawnOut:
    """Withdraw a person I shared, from everyone at once (`kith group withdraw`)."""
    reference = f"#{person_id}"
    return WithdrawnOut(person=reference, withdrawn=community_shares.withdraw(g, reference))


@router.get("/shared")
def shared(g: GardenDep) -> ContactsOut:
    """Contacts shared with me: who vouches for them and how well (`kith group shared`)."""
    return ContactsOut(contacts=community_shares.shared_with_me(g))


@router.post("/shared/{share_id}/take", status_code=201)
def take(g: GardenDep, share_id: ShareId) -> TakenOut:
    """Plant a shared contact in my garden as a seed, known via the sharer (`kith group take`)."""
    planted = community_shares.take(g, f"#{share_id}")
    return TakenOut(id=planted.id, name=planted.name, met=planted.met_where)


@router.get("/paths")
def paths(g: GardenDep, target: Annotated[str, Query(max_length=limits.NAME)]) -> PathsView:
    """The best safe paths to TARGET, each hop with its evidence (`kith group path`)."""
    return group_paths.paths(g, target)


@router.post("/requests", status_code=201)
def request_intro(g: GardenDep, body: RequestIn) -> RequestView:
    """Ask for an introduction along the best safe path (`kith group request`)."""
    return intro_requests.request(g, body.target, body.reason, body.path_number)


@router.get("/requests")
def requests(g: GardenDep) -> RequestsView:
    """My intro requests, and those waiting on my answer (`kith group requests`)."""
    return intro_requests.requests(g)


@router.post("/requests/{request_id}/answer")
def answer(g: GardenDep, request_id: RequestId, body: AnswerIn) -> AnswerView:
    """Accept (yes) or decline (no) a request waiting on me (`kith group answer`)."""
    accept = body.answer == "yes"
    return intro_requests.answer(g, str(request_id), accept=accept, note=body.note)
