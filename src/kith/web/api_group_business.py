"""The JSON API of a group's business: referrals, one-to-ones, visitors and the report.

The same actions as `kith group refer | referral | referrals | one-to-ones | round | meetings |
met | no-show | visitor | visitors | report`, answering with the view models their `--json`
prints. A member acts with their own token; another member's referral, meeting or visitor is
404, as one that does not exist. A server that keeps one garden has no group: 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import ConfigDict, Field

from kith.app import one_to_ones, referrals, visitors
from kith.app.garden import Garden
from kith.app.one_to_ones import MeetingsView, OptInView, RoundView, SideView
from kith.app.referrals import ReferralsView, ReferralView, ReportView
from kith.app.visitors import VisitorsView, VisitorView
from kith.core import limits
from kith.web.api import ERRORS
from kith.web.api_models import Body
from kith.web.auth import require_token
from kith.web.deps import Id, garden
from kith.web.group_deps import group_garden

router = APIRouter(
    prefix="/api/v1/group",
    dependencies=[Depends(require_token), Depends(group_garden)],
    responses=ERRORS,
    tags=["group"],
)
GardenDep = Annotated[Garden, Depends(garden)]
Amount = Annotated[
    str | None, Field(max_length=40, description="An amount, such as 5000 or 1250.50")
]
Feedback = Annotated[
    str | None, Field(max_length=limits.TEXT, description="A short note, kept private to you")
]


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [values]})


class ReferIn(Body):
    model_config = _example(login="carl", what="Acme needs a bookkeeper", value="5000")
    login: str = Field(max_length=64, description="The member the lead goes to")
    what: str = Field(max_length=limits.TEXT, description="The lead: who needs what")
    value: Amount = None


class MoveIn(Body):
    model_config = _example(status="won", value="4200")
    status: str = Field(max_length=20, description="contacted, won or lost")
    value: Amount = None


class OptIn(Body):
    model_config = _example(opted_in=True)
    opted_in: bool


class RoundIn(Body):
    model_config = _example(on="today")
    on: str | None = Field(default=None, max_length=40, description="The round's day")


class MetIn(Body):
    model_config = _example(on="today", feedback="a good hour; she knows the harbour people")
    on: str | None = Field(default=None, max_length=40, description="When you met")
    feedback: Feedback = None


class NoShowIn(Body):
    model_config = _example(feedback="no word from him")
    feedback: Feedback = None


class InviteIn(Body):
    model_config = _example(name="Rita Guest", meeting="2026-12-08", email="rita@example.org")
    name: str = Field(max_length=limits.NAME)
    meeting: str = Field(max_length=40, description="The meeting's day")
    email: str | None = Field(default=None, max_length=limits.EMAIL)


@router.get("/referrals")
def list_referrals(g: GardenDep) -> ReferralsView:
    """Referrals I gave and received, newest first (`kith group referrals`)."""
    return referrals.listed(g)


@router.post("/referrals", status_code=201)
def refer(g: GardenDep, body: ReferIn) -> ReferralView:
    """Pass a lead to another member (`kith group refer LOGIN WHAT [--value]`)."""
    return referrals.refer(g, body.login, body.what, body.value)


@router.post("/referrals/{referral_id}/status")
def move(g: GardenDep, referral_id: Id, body: MoveIn) -> ReferralView:
    """Move a referral I received forward (`kith group referral ID STATUS [--value]`)."""
    return referrals.move(g, str(referral_id), body.status.strip().lower(), body.value)


@router.get("/one-to-ones")
def opted(g: GardenDep) -> OptInView:
    """Whether I take part in the pairing rounds (`kith group one-to-ones`)."""
    return one_to_ones.status(g)


@router.post("/one-to-ones")
def opt(g: GardenDep, body: OptIn) -> OptInView:
    """Opt in to the pairing rounds, or out (`kith group one-to-ones --opt-in|--opt-out`)."""
    return one_to_ones.opt(g, opted_in=body.opted_in)


@router.post("/rounds", status_code=201)
def run_round(g: GardenDep, body: RoundIn) -> RoundView:
    """Pair the opted-in members (organisers only: `kith group round`)."""
    return one_to_ones.run_round(g, body.on)


@router.get("/meetings")
def meetings(g: GardenDep) -> MeetingsView:
    """My one-to-ones, newest round first (`kith group meetings`)."""
    return one_to_ones.listed(g)


@router.post("/meetings/{meeting_id}/met")
def met(g: GardenDep, meeting_id: Id, body: MetIn) -> SideView:
    """We met (`kith group met ID`); once both say so, it is in both gardens."""
    return one_to_ones.met(g, str(meeting_id), body.on, body.feedback)


@router.post("/meetings/{meeting_id}/no-show")
def no_show(g: GardenDep, meeting_id: Id, body: NoShowIn) -> SideView:
    """My partner did not come (`kith group no-show ID`)."""
    return one_to_ones.no_show(g, str(meeting_id), body.feedback)


@router.get("/visitors")
def list_visitors(g: GardenDep) -> VisitorsView:
    """The guests I invited (`kith group visitors`)."""
    return visitors.listed(g)


@router.post("/visitors", status_code=201)
def invite(g: GardenDep, body: InviteIn) -> VisitorView:
    """Invite a guest to a meeting (`kith group visitor NAME --meeting DATE`)."""
    return visitors.invite(g, body.name, body.meeting, body.email)


@router.post("/visitors/{visitor_id}/came")
def came(g: GardenDep, visitor_id: Id) -> VisitorView:
    """My guest came: a seed in my garden (`kith group visitor ID --came`)."""
    return visitors.mark(g, str(visitor_id), came=True)


@router.post("/visitors/{visitor_id}/missed")
def missed(g: GardenDep, visitor_id: Id) -> VisitorView:
    """My guest did not come (`kith group visitor ID --no-show`)."""
    return visitors.mark(g, str(visitor_id), came=False)


@router.get("/report")
def report(g: GardenDep) -> ReportView:
    """Givers and takers: every line for organisers, mine for a member (`kith group report`)."""
    return referrals.report(g)
