"""The login session (when the garden has a password) and the API's bearer token.

Sessions live on the server (`kith.app.sessions`): the cookie holds a random token, which
logging out, a password change or the session's expiry turns useless at once. Whether
pages need a login is read per request, so `kith password` takes effect without a restart.
Failed logins and wrong API tokens are throttled per account and per client address.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kith.app import credentials as garden_credentials
from kith.app import sessions
from kith.web.deps import garden
from kith.web.throttle import LoginThrottle

SESSION_COOKIE = "kith_session"


class LoginRequired(Exception):
    """Raised by a page that needs a login; answered with a redirect to /login."""


def now(request: Request) -> datetime:
    """The server's clock (tests move it to see sessions expire)."""
    return datetime.fromtimestamp(request.app.state.clock(), UTC)


def login_on(request: Request) -> bool:
    """Whether pages ask for a login: always off loopback, else once a password is set."""
    state = request.app.state
    return bool(state.login_required) or garden_credentials.has_password(garden(request))


def require_login(request: Request) -> None:
    """A dependency of every page: a live session, when logins are on."""
    on = login_on(request)
    request.state.login_on = on
    if on and not sessions.is_live(
        garden(request), request.cookies.get(SESSION_COOKIE), now(request)
    ):
        raise LoginRequired


def client_key(request: Request) -> str:
    return f"client:{request.client.host if request.client else 'unknown'}"


def account_key(request: Request) -> str:
    return f"account:{garden(request).account_id}"


def throttle(request: Request) -> LoginThrottle:
    held: LoginThrottle = request.app.state.login_throttle
    return held


def too_many(wait: int, what: str) -> HTTPException:
    return HTTPException(
        429, f"too many wrong {what}; try again in {wait} s", headers={"Retry-After": str(wait)}
    )


_bearer = HTTPBearer(auto_error=False, description="The garden's API token: `kith token`.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The API authenticates with the garden's token only, never with a browser cookie.

    A client that keeps sending wrong tokens is made to wait (429), as a login would be.
    """
    keys = [client_key(request)]
    wait = throttle(request).retry_after(keys)
    if wait:
        raise too_many(wait, "API tokens")
    if credentials is None or not garden_credentials.check_token(
        garden(request), credentials.credentials
    ):
        if credentials is not None:
            throttle(request).failed(keys)
        raise HTTPException(401, "missing or wrong API token (see `kith token`)")
