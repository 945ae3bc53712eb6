"""What routes share: the garden for this request, and rendering a page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.templating import Jinja2Templates
from pydantic import Field
from starlette.responses import Response

from kith.app.garden import Garden, local_today
from kith.app.wording import plural
from kith.web import csrf

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Counts in words, the one way everywhere: {{ n|plural("day") }}, {{ n|plural("person", "people") }}
TEMPLATES.env.filters["plural"] = plural
# Ids are 32-bit integers (PostgreSQL's INTEGER); a bigger one would overflow SQLite's
# driver, so a route refuses it with 422 before any query runs.
MAX_ID = 2**31 - 1
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]  # an id in a page route's path
FormId = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id in a submitted form
STAGES = ("seed", "growing", "trusted", "dormant", "weed", "pruned")


class NotLoggedIn(Exception):
    """A group server's route reached with no member logged in: refused, never a default."""


def garden(request: Request) -> Garden:
    """The garden this request works on, with today's date read now (KITH_TODAY wins).

    On a group server: the logged-in member's own, whose account `auth` put in the request's
    state from the session cookie or the API token, and from nothing else the request says.
    Otherwise the one garden opened at start-up.
    """
    state = request.app.state
    opened: Garden = state.garden
    today = state.settings.today or local_today()
    if state.group:
        account_id = getattr(request.state, "member_account", None)
        if account_id is None:
            raise NotLoggedIn
        return replace(opened, account_id=account_id, today=today)
    return replace(opened, today=today)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    base = {
        "csrf_token": csrf.page_token(request),
        "csrf_field": csrf.FIELD,
        "stages": STAGES,
        "nav": request.app.state.nav,
        # set by auth.require_login on pages behind a login; the login page itself asks
        "logged_in": getattr(request.state, "login_on", False),
        "group": bool(request.app.state.group),
    }
    return TEMPLATES.TemplateResponse(request, template, base | context, status_code=status)
