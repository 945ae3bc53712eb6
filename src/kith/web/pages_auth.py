"""Logging in and out: with the garden's password, or on a group server as a member.

A login is throttled per account and per client address (`kith.core.throttle`): past a few
wrong passwords each one doubles the wait, answered 429 with Retry-After, and the password
is not even checked while a wait runs. On a group server the form asks for a login too;
an unknown login, a wrong password and (before the password is right) a suspended member
all get the same answer, after the same argon2 work.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import credentials, member_logins, sessions
from kith.web import auth, csrf
from kith.web.deps import garden, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.require_token)])
WRONG = "Wrong password."
WRONG_MEMBER = "Wrong login or password."


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"error": None, "group": auth.is_group(request)})


def _wait_page(request: Request, wait: int) -> Response:
    message = f"Too many wrong passwords; try again in {wait} seconds."
    page = render(request, "login.html", {"error": message, "group": auth.is_group(request)}, 429)
    page.headers["Retry-After"] = str(wait)
    return page


@router.post("/login")
def login(
    request: Request,
    password: Annotated[str, Form(max_length=1000)] = "",
    login: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    group = auth.is_group(request)
    keys = [auth.account_key(request, login), auth.client_key(request)]
    throttle = auth.throttle(request)
    wait = throttle.retry_after(keys)
    if wait:
        return _wait_page(request, wait)
    seconds = request.app.state.session_seconds
    if group:
        outcome = member_logins.check_login(request.app.state.garden, login, password)
        if outcome.account_id is None:
            throttle.failed(keys)
            error = "This member is suspended." if outcome.suspended else WRONG_MEMBER
            return render(request, "login.html", {"error": error, "group": True}, 401)
        token = member_logins.start_session(
            request.app.state.garden, outcome.account_id, auth.now(request), seconds
        )
    else:
        g = garden(request)
        if not credentials.check_password(g, password):
            throttle.failed(keys)
            return render(request, "login.html", {"error": WRONG, "group": False}, 401)
        token = sessions.start(g, auth.now(request), seconds)
    throttle.succeeded(keys)
    return session_cookie(request, RedirectResponse("/", status_code=303), token)


def session_cookie(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(
        auth.SESSION_COOKIE,
        token,
        max_age=request.app.state.session_seconds,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End this session on the server: the cookie is useless from now on, kept or not."""
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if auth.is_group(request):
        account = auth.session_member(request)
        if account is not None:
            mine = member_logins.as_member(request.app.state.garden, account)
            sessions.end(mine, cookie, auth.now(request))
    else:
        sessions.end(garden(request), cookie, auth.now(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response
