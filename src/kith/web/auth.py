"""The login session (only when the garden has a password) and the API's bearer token."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kith.app import web_support
from kith.web.deps import garden

SESSION_COOKIE = "kith_session"
SESSION_SECONDS = 12 * 3600


class LoginRequired(Exception):
    """Raised by a page that needs a login; answered with a redirect to /login."""


def _signature(secret: bytes, expires: int) -> str:
    return hmac.new(secret, f"session:{expires}".encode(), hashlib.sha256).hexdigest()


def session_value(secret: bytes) -> str:
    expires = int(time.time()) + SESSION_SECONDS
    return f"{expires}.{_signature(secret, expires)}"


def valid_session(secret: bytes, value: str | None) -> bool:
    if not value or "." not in value:
        return False
    expires_text, signature = value.split(".", 1)
    if not expires_text.isdigit() or int(expires_text) < time.time():
        return False
    return hmac.compare_digest(signature, _signature(secret, int(expires_text)))


def require_login(request: Request) -> None:
    """Pages need a login only when the garden has a password (always, off loopback)."""
    state = request.app.state
    if state.login_required and not valid_session(
        state.secret, request.cookies.get(SESSION_COOKIE)
    ):
        raise LoginRequired


_bearer = HTTPBearer(auto_error=False, description="The garden's API token: `kith token`.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The API authenticates with the garden's token only, never with a browser cookie."""
    if credentials is None or not web_support.check_token(garden(request), credentials.credentials):
        raise HTTPException(401, "missing or wrong API token (see `kith token`)")
