"""A group's business in the browser: referrals, one-to-ones, visitors and the report.

The pages call the same app functions as `kith group ...` and the API
(`api_group_business`); a form's mistake comes back on the page (422) next to its field, and
another member's referral, meeting or visitor is 404, as one that does not exist. A server
that keeps one garden has no group: every page answers 404 with a sentence saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import community, one_to_ones, referrals, visitors
from kith.app.errors import KithError, NotFound
from kith.app.garden import Garden
from kith.core.referrals import UPDATES
from kith.web import charts, csrf
from kith.web.auth import require_login
from kith.web.deps import Id, garden, render
from kith.web.forms import FormError, attempt, blank_to_none
from kith.web.group_deps import group_garden

router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(require_login), Depends(csrf.require_token), Depends(group_garden)],
)
GardenDep = Annotated[Garden, Depends(garden)]
Text = Annotated[str, Form(max_length=10_000)]
Short = Annotated[str, Form(max_length=300)]


def _done(path: str) -> Response:
    return RedirectResponse(f"{path}?saved=1", status_code=303)


def _act(
    path: str,
    form: str,
    action: Callable[[], object],
    page: Callable[[FormError | None, int], Response],
    passing: tuple[type[KithError], ...] = (NotFound,),
) -> Response:
    """Run a form's action: a mistake re-renders the page (422); a thing of the path that is
    not found (another member's, or no one's) stays a 404."""
    error = attempt(form, action, passing=passing)
    return page(error, 422) if error else _done(path)


def _context(request: Request, error: FormError | None, **shown: Any) -> dict[str, Any]:
    return {"error": error, "saved": request.query_params.get("saved") == "1"} | shown


# --- referrals -----------------------------------------------------------------------------


def _referrals_page(
    request: Request,
    g: Garden,
    error: FormError | None = None,
    status: int = 200,
    kept: dict[str, str] | None = None,
) -> Response:
    found = referrals.listed(g).referrals
    logins = [m.login for m in community.members(g) if not m.suspended]
    context = _context(
        request, error, referrals=found, logins=logins, updates=UPDATES, kept=kept or {}
    )
    return render(request, "group_referrals.html", context, status)


@router.get("/group/referrals")
def referrals_page(request: Request, g: GardenDep) -> Response:
    return _referrals_page(request, g)


@router.post("/group/referrals")
def refer(request: Request, g: GardenDep, login: Short, what: Text, value: Short = "") -> Response:
    return _act(
        "/group/referrals",
        "refer",
        lambda: referrals.refer(g, login, what, blank_to_none(value)),
        lambda error, status: _referrals_page(
            request, g, error, status, {"login": login, "what": what, "value": value}
        ),
        passing=(),  # "no member zed" is the login field's mistake: shown on the form
    )


@router.post("/group/referrals/{referral_id}/status")
def move(
    *, request: Request, g: GardenDep, referral_id: Id, status: Short, value: Short = ""
) -> Response:
    return _act(
        "/group/referrals",
        f"move-{referral_id}",
        lambda: referrals.move(g, str(referral_id), status.strip().lower(), blank_to_none(value)),
        lambda error, code: _referrals_page(request, g, error, code),
    )


# --- one-to-ones ---------------------------------------------------------------------------


def _rounds_page(
    request: Request,
    g: Garden,
    error: FormError | None = None,
    status: int = 200,
    made: one_to_ones.RoundView | None = None,
) -> Response:
    context = _context(request, error, mine=one_to_ones.mine(g), made=made, today=g.today)
    return render(request, "group_one_to_ones.html", context, status)


@router.get("/group/one-to-ones")
def one_to_ones_page(request: Request, g: GardenDep) -> Response:
    return _rounds_page(request, g)


@router.post("/group/one-to-ones/opt")
def opt(request: Request, g: GardenDep, choice: Short) -> Response:
    return _act(
        "/group/one-to-ones",
        "opt",
        lambda: one_to_ones.opt(g, opted_in=choice == "in"),
        lambda error, status: _rounds_page(request, g, error, status),
    )


@router.post("/group/one-to-ones/round")
def run_round(request: Request, g: GardenDep, on: Short = "") -> Response:
    """Pair the opted-in members (organisers); the page shows the round just made."""
    made: list[one_to_ones.RoundView] = []
    error = attempt("round", lambda: made.append(one_to_ones.run_round(g, blank_to_none(on))))
    return _rounds_page(request, g, error, 422 if error else 200, made[0] if made else None)


@router.post("/group/one-to-ones/{meeting_id}/met")
def met(
    *, request: Request, g: GardenDep, meeting_id: Id, on: Short = "", feedback: Text = ""
) -> Response:
    return _act(
        "/group/one-to-ones",
        f"meeting-{meeting_id}",
        lambda: one_to_ones.met(g, str(meeting_id), blank_to_none(on), blank_to_none(feedback)),
        lambda error, status: _rounds_page(request, g, error, status),
    )


@router.post("/group/one-to-ones/{meeting_id}/no-show")
def no_show(*, request: Request, g: GardenDep, meeting_id: Id, feedback: Text = "") -> Response:
    return _act(
        "/group/one-to-ones",
        f"meeting-{meeting_id}",
        lambda: one_to_ones.no_show(g, str(meeting_id), blank_to_none(feedback)),
        lambda error, status: _rounds_page(request, g, error, status),
    )


# --- visitors ------------------------------------------------------------------------------


def _visitors_page(
    request: Request,
    g: Garden,
    error: FormError | None = None,
    status: int = 200,
    kept: dict[str, str] | None = None,
) -> Response:
    found = visitors.listed(g).visitors
    context = _context(request, error, visitors=found, today=g.today, kept=kept or {})
    return render(request, "group_visitors.html", context, status)


@router.get("/group/visitors")
def visitors_page(request: Request, g: GardenDep) -> Response:
    return _visitors_page(request, g)


@router.post("/group/visitors")
def invite(
    request: Request, g: GardenDep, name: Short, meeting: Short, email: Short = ""
) -> Response:
    return _act(
        "/group/visitors",
        "invite",
        lambda: visitors.invite(g, name, meeting, blank_to_none(email)),
        lambda error, status: _visitors_page(
            request, g, error, status, {"name": name, "meeting": meeting, "email": email}
        ),
    )


def _mark(request: Request, g: Garden, visitor_id: int, *, came: bool) -> Response:
    return _act(
        "/group/visitors",
        f"visitor-{visitor_id}",
        lambda: visitors.mark(g, str(visitor_id), came=came),
        lambda error, status: _visitors_page(request, g, error, status),
    )


@router.post("/group/visitors/{visitor_id}/came")
def came(request: Request, g: GardenDep, visitor_id: Id) -> Response:
    return _mark(request, g, visitor_id, came=True)


@router.post("/group/visitors/{visitor_id}/missed")
def missed(request: Request, g: GardenDep, visitor_id: Id) -> Response:
    return _mark(request, g, visitor_id, came=False)


# --- the report ----------------------------------------------------------------------------


@router.get("/group/report")
def report_page(request: Request, g: GardenDep) -> Response:
    """Givers and takers: every member's line for organisers, one's own for a member."""
    made = referrals.report(g)
    context = {"report": made, "chart": charts.group_report(made)}
    return render(request, "group_report.html", context)
