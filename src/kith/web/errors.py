"""Errors as a person or a script should see them: one sentence, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from kith.app.errors import (
    AlreadyInGarden,
    Ambiguous,
    InvalidInput,
    KithError,
    NoSuchPerson,
    NotFound,
)
from kith.core.names import Candidate
from kith.settings import SettingsError
from kith.store.db import StoreError
from kith.web.auth import LoginRequired
from kith.web.deps import render

log = logging.getLogger("kith.web")


def status_of(exc: KithError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Ambiguous | AlreadyInGarden):
        return 409
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _answer(
    request: Request,
    status: int,
    message: str,
    field: str | None = None,
    candidates: tuple[Candidate, ...] = (),
) -> Response:
    if _is_api(request):
        body: dict[str, object] = {"error": message, "field": field}
        if candidates:
            body["candidates"] = [{"id": c.id, "name": c.name} for c in candidates]
        return JSONResponse(body, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status)


def _meant(exc: KithError) -> tuple[Candidate, ...]:
    """The people an error is about, as data beside its sentence."""
    if isinstance(exc, Ambiguous):
        return exc.candidates
    if isinstance(exc, NoSuchPerson):
        return exc.suggestions
    if isinstance(exc, AlreadyInGarden):
        return (exc.existing,)
    return ()


# The app layer names CLI flags in its errors; the API spells them as parameters:
# flag -> (the API's parameter, what to write instead of the flag in the message).
API_NAMES = {"--yes": ("confirm", "confirm=true"), "--from": ("sharer", "sharer")}


async def kith_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KithError)
    if not isinstance(exc, InvalidInput):
        return _answer(request, status_of(exc), str(exc), candidates=_meant(exc))
    field, message = exc.field, str(exc)
    if _is_api(request) and field in API_NAMES:
        field, instead = API_NAMES[exc.field]
        message = f"{field}: {exc.message.replace(exc.field, instead)}"
    if isinstance(exc, AlreadyInGarden) and exc.is_name:
        message += '; send "new": true if this is another person of the same name'
    return _answer(request, status_of(exc), message, field, _meant(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _answer(request, exc.status_code, str(exc.detail))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):  # FastAPI's documented 422 shape, which the schema declares
        return JSONResponse({"detail": _plain(exc)}, status_code=422)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:])
    return _answer(request, 422, f"{where}: {first.get('msg', 'invalid input')}")


def _plain(exc: RequestValidationError) -> list[dict[str, object]]:
    # The raw errors may hold the offending input object; keep what the schema promises.
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type"))}
        for e in exc.errors()
    ]


async def login_required(request: Request, exc: Exception) -> Response:
    del exc
    return RedirectResponse("/login", status_code=303)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(request, 500, "Something went wrong on our side; nothing was changed.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(KithError, kith_error)
    app.add_exception_handler(SettingsError, unexpected)
    app.add_exception_handler(StoreError, unexpected)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(Exception, unexpected)
