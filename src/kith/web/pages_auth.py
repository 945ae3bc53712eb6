"""Logging in and out, when the garden has a password (required to serve beyond loopback).

A login is throttled per account and per client address (`kith.core.throttle`): past a few
wrong passwords each one doubles the wait, answered 429 with Retry-After, and the password
is not even checked while a wait runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import credentials, sessions
from kith.web import auth, csrf
from kith.web.deps import garden, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.require_token)])


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"error": None})


def _wait_page(request: Request, wait: int) -> Response:
    message = f"Too many wrong passwords; try again in {wait} seconds."
    page = render(request, "login.html", {"error": message}, 429)
    page.headers["Retry-After"] = str(wait)
    return page


@router.post("/login")
def login(request: Request, password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    keys = [auth.account_key(request), auth.client_key(request)]
    throttle = auth.throttle(request)
    wait = throttle.retry_after(keys)
    if wait:
        return _wait_page(request, wait)
    g = garden(request)
    if not credentials.check_password(g, password):
        throttle.failed(keys)
        return render(request, "login.html", {"error": "Wrong password."}, 401)
    throttle.succeeded(keys)
    seconds = request.app.state.session_seconds
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        sessions.start(g, auth.now(request), seconds),
        max_age=seconds,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End this session on the server: the cookie is useless from now on, kept or not."""
    sessions.end(garden(request), request.cookies.get(auth.SESSION_COOKIE), auth.now(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response
