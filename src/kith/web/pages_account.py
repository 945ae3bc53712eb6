"""A member's own account on a group server: a new API token, a new password.

Only the logged-in member's own account, from their session; a single-garden server has no
such page (its owner uses `kith token` and `kith password`). A new password ends every
session of the member, this one too, so they log in again with it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import credentials
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.web import auth, csrf
from kith.web.deps import garden, render


def group_only(request: Request) -> None:
    if not auth.is_group(request):
        raise HTTPException(404, "Not Found")


router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(group_only), Depends(auth.require_login), Depends(csrf.require_token)],
)
GardenDep = Annotated[Garden, Depends(garden)]


def _page(request: Request, status: int = 200, **shown: object) -> Response:
    context = {"token": None, "error": None, "message": None} | shown
    return render(request, "account.html", context, status)


@router.get("/account")
def account(request: Request) -> Response:
    return _page(request)


@router.post("/account/token")
def new_token(request: Request, g: GardenDep) -> Response:
    """A new API token for me, shown once; the old one stops working."""
    return _page(request, token=credentials.rotate_token(g))


@router.post("/account/password")
def new_password(
    request: Request,
    g: GardenDep,
    current: Annotated[str, Form(max_length=1000)] = "",
    new: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    keys = [f"account:{g.account_id}", auth.client_key(request)]
    throttle = auth.throttle(request)
    wait = throttle.retry_after(keys)
    if wait:
        message = f"Too many wrong passwords; try again in {wait} seconds."
        page = _page(request, 429, error=message)
        page.headers["Retry-After"] = str(wait)
        return page
    if not credentials.check_password(g, current):
        throttle.failed(keys)
        return _page(request, 401, error="Your current password is wrong.")
    try:
        credentials.set_password(g, new, auth.now(request))
    except InvalidInput as exc:
        return _page(request, 422, error=f"New password: {exc}")
    throttle.succeeded(keys)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response
