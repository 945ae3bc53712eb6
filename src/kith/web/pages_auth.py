"""Logging in, when the garden has a password (required to serve beyond loopback)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import web_support
from kith.web import auth, csrf
from kith.web.deps import garden, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.require_token)])


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"error": None})


@router.post("/login")
def login(request: Request, password: Annotated[str, Form()] = "") -> Response:
    if not web_support.check_password(garden(request), password):
        return render(request, "login.html", {"error": "Wrong password."}, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        auth.session_value(request.app.state.secret),
        max_age=auth.SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response
