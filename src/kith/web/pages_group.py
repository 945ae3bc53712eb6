"""The group's pages: the directory and my profile, shared contacts, warm paths, intro requests.

The same app functions as `kith group ...`, for the logged-in member. Outside a group every
page is 404, "not in a group". A mistake in a form shows next to it (422); anything of
another member's, or of no one's, is 404 like everywhere else.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import community_shares, group_paths, intro_requests, profiles
from kith.app.errors import KithError, NotFound
from kith.app.garden import Garden
from kith.core import limits
from kith.core.profiles import FIELDS, Search
from kith.web import csrf
from kith.web.auth import require_login
from kith.web.deps import Id, render
from kith.web.forms import FormError, attempt, blank_to_none
from kith.web.group_deps import group_garden

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(group_garden)]
Text = Annotated[str, Form(max_length=limits.TEXT)]
Tag = Annotated[str, Query(max_length=limits.TAG)]


def _redirect(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, {"error": None, **context}, status)


# --- the hub: my profile and the directory ---------------------------------------------------


def _hub(
    request: Request, g: Garden, search: Search, error: FormError | None = None, status: int = 200
) -> Response:
    return _page(
        request,
        "group_hub.html",
        status,
        mine=profiles.my_profile(g),
        found=profiles.directory(g, search),
        search=search,
        fields=FIELDS,
        error=error,
    )


@router.get("/group")
def hub(
    request: Request, g: GardenDep, interest: Tag = "", offer: Tag = "", need: Tag = ""
) -> Response:
    return _hub(request, g, Search(interest, offer, need))


@router.post("/group/profile")
def set_profile(request: Request, g: GardenDep, field: Text, action: Text) -> Response:
    """Publish or hide one field of my profile, as its button says."""
    shown, hidden = ([field], []) if action == "publish" else ([], [field])
    if action not in {"publish", "hide"}:
        error: FormError | None = FormError("profile", "", "choose publish or hide")
    else:
        error = attempt("profile", lambda: profiles.set_profile(g, shown, hidden))
    if error:
        return _hub(request, g, Search(), error, 422)
    return _redirect("/group")


# --- shared contacts ------------------------------------------------------------------------


def _shared(
    request: Request, g: Garden, error: FormError | None = None, status: int = 200
) -> Response:
    return _page(
        request,
        "group_shared.html",
        status,
        contacts=community_shares.shared_with_me(g),
        mine=community_shares.my_shares(g).shares,
        saved=request.query_params.get("saved"),
        error=error,
    )


@router.get("/group/shared")
def shared(request: Request, g: GardenDep) -> Response:
    return _shared(request, g)


@router.post("/group/shares")
def share(request: Request, g: GardenDep, person: Text, with_login: Text = "") -> Response:
    """Share one of my people with the group, or with one member."""
    audience = blank_to_none(with_login)
    error = attempt("share", lambda: community_shares.share(g, [person], audience))
    if error:
        return _shared(request, g, error, 422)
    return _redirect("/group/shared?saved=shared")


@router.post("/group/shares/{person_id}/withdraw")
def withdraw(g: GardenDep, person_id: Id) -> Response:
    """Withdraw a person I share, from everyone at once (404 if I share no such person)."""
    community_shares.withdraw(g, f"#{person_id}")
    return _redirect("/group/shared?saved=withdrawn")


@router.post("/group/shared/{share_id}/take")
def take(g: GardenDep, share_id: Id) -> Response:
    """A shared contact into my garden as a seed; their page is next."""
    planted = community_shares.take(g, f"#{share_id}")
    return _redirect(f"/people/{planted.id}")


# --- warm paths and intro requests ----------------------------------------------------------


@router.get("/group/paths")
def paths(
    request: Request, g: GardenDep, target: Annotated[str, Query(max_length=limits.NAME)] = ""
) -> Response:
    found: list[group_paths.PathsView] = []
    error = None
    if target.strip():
        error = attempt("path", lambda: found.append(group_paths.paths(g, target)))
    shown = found[0] if found else None
    status = 422 if error else 200
    return _page(request, "group_paths.html", status, target=target, found=shown, error=error)


def _requests(request: Request, g: Garden, status: int = 200, **shown: Any) -> Response:
    sent = request.query_params.get("sent", "")
    # only a number is echoed: the address bar must not put words in the page's mouth
    context = {
        "answered": None,
        "sent": sent if sent.isascii() and sent.isdigit() else None,
    } | shown
    found = intro_requests.requests(g)
    return _page(request, "group_requests.html", status, found=found, **context)


@router.post("/group/requests")
def request_intro(
    request: Request,
    g: GardenDep,
    target: Text,
    reason: Text,
    path_number: Annotated[int, Form(ge=1, le=3)] = 1,
) -> Response:
    """Ask for an introduction along the chosen path; the inbox shows it next."""
    made: list[intro_requests.RequestView] = []
    error = attempt(
        "request",
        lambda: made.append(intro_requests.request(g, target, reason, path_number)),
    )
    if error:
        found = _paths_or_none(g, target)
        return _page(request, "group_paths.html", 422, target=target, found=found, error=error)
    return _redirect(f"/group/requests?sent={made[0].id}")


def _paths_or_none(g: Garden, target: str) -> group_paths.PathsView | None:
    try:
        return group_paths.paths(g, target)
    except KithError:  # the page shows the request's error; the paths are only a help
        return None


@router.get("/group/requests")
def requests(request: Request, g: GardenDep) -> Response:
    return _requests(request, g)


@router.post("/group/requests/{request_id}/answer")
def answer_request(
    request: Request, g: GardenDep, request_id: Id, answer: Text, note: Text = ""
) -> Response:
    """Yes or no to a request waiting on me; what it did shows at the top of the inbox."""
    done: list[intro_requests.AnswerView] = []

    def act() -> None:
        accept = intro_requests.yes_or_no(answer)
        done.append(
            intro_requests.answer(g, str(request_id), accept=accept, note=blank_to_none(note))
        )

    error = attempt(f"answer-{request_id}", act, passing=(NotFound,))
    if error:
        return _requests(request, g, 422, error=error)
    return _requests(request, g, answered=done[0])
