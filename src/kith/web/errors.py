"""Errors as a person or a script should see them: one sentence, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from kith.app.errors import (
    AlreadyInGarden,
    Ambiguous,
    ConfirmationNeeded,
    DiskFull,
    InvalidInput,
    KithError,
    NoSuchPerson,
    NotFound,
    StoreError,
    TryAgain,
)
from kith.settings import SettingsError
from kith.web import security
from kith.web.auth import LoginRequired
from kith.web.deps import NotLoggedIn, render

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
    *,
    headers: Mapping[str, str] | None = None,
    candidates: list[dict[str, object]] | None = None,
) -> Response:
    if _is_api(request):
        body: dict[str, object] = {"error": message, "field": field}
        if candidates:
            body["candidates"] = candidates
        answer: Response = JSONResponse(body, status_code=status, headers=headers)
    else:
        answer = render(request, "error.html", {"status": status, "message": message}, status)
        answer.headers.update(headers or {})
    return answer


def _meant(exc: KithError) -> list[dict[str, object]]:
    """The people an error is about, as data beside its sentence."""
    if isinstance(exc, Ambiguous):
        return [{"id": c.id, "name": c.name} for c in exc.candidates]
    if isinstance(exc, NoSuchPerson):
        return [{"id": c.id, "name": c.name} for c in exc.suggestions]
    if isinstance(exc, AlreadyInGarden):
        return [{"id": exc.existing.id, "name": exc.existing.name}]
    return []


async def kith_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KithError)
    if not isinstance(exc, InvalidInput):
        return _answer(request, status_of(exc), str(exc), candidates=_meant(exc))
    # The app's fields are the API's parameter names, so they need no translation here.
    message = str(exc)
    if isinstance(exc, ConfirmationNeeded):
        message += f"; send {exc.field}=true" if _is_api(request) else ""
    if isinstance(exc, AlreadyInGarden) and exc.is_name:
        message += '; send "new": true if this is another person of the same name'
    return _answer(request, status_of(exc), message, exc.field, candidates=_meant(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _answer(request, exc.status_code, str(exc.detail), headers=exc.headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
    if broken:  # not JSON at all: kith's shape, as for any other bad input
        reason = (broken[0].get("ctx") or {}).get("error", "cannot be parsed")
        return _answer(request, 400, f"body: not valid JSON ({reason})", "body")
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


async def not_logged_in(request: Request, exc: Exception) -> Response:
    """A group server's route with no member behind it: 401 for the API, the login page else."""
    del exc
    if _is_api(request):
        return _answer(request, 401, "missing or wrong API token (see `kith token`)")
    return RedirectResponse("/login", status_code=303)


async def try_again(request: Request, exc: Exception) -> Response:
    """The garden is busy or its database is away: try again soon (503), never a 500."""
    assert isinstance(exc, TryAgain)
    answer = _answer(request, 503, str(exc))
    answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


async def disk_full(request: Request, exc: Exception) -> Response:
    """The database could not grow: say so (507), the write was rolled back."""
    assert isinstance(exc, DiskFull)
    return _answer(request, 507, str(exc))


async def unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    answer = _answer(request, 500, "Something went wrong on our side; nothing was changed.")
    # Starlette sends this answer from outside every middleware (the Guard included),
    # so it carries the security headers itself.
    answer.headers.update(security.response_headers())
    return answer


def install(app: FastAPI) -> None:
    app.add_exception_handler(KithError, kith_error)
    app.add_exception_handler(SettingsError, unexpected)
    app.add_exception_handler(StoreError, unexpected)
    app.add_exception_handler(TryAgain, try_again)
    app.add_exception_handler(DiskFull, disk_full)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(NotLoggedIn, not_logged_in)
    app.add_exception_handler(Exception, unexpected)
