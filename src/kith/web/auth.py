"""The login session and the API's bearer token: who a request acts as.

Sessions live on the server (`kith.app.sessions`): the cookie holds a random token, which
logging out, a password change or the session's expiry turns useless at once. Whether
pages need a login is read per request, so `kith password` takes effect without a restart.
Failed logins and wrong API tokens are throttled per account and per client address.

On a group server (`app.state.group`) every page needs a login, and the session or the token
names the member: their account goes into `request.state.member_account`, which
`deps.garden` alone reads. Suspending a member refuses their sessions and token at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kith.app import credentials as garden_credentials
from kith.app import member_logins, sessions
from kith.web.deps import garden
from kith.web.throttle import LoginThrottle

SESSION_COOKIE = "kith_session"


class LoginRequired(Exception):
    """Raised by a page that needs a login; answered with a redirect to /login."""


def now(request: Request) -> datetime:
    """The server's clock (tests move it to see sessions expire)."""
    return datetime.fromtimestamp(request.app.state.clock(), UTC)


def is_group(request: Request) -> bool:
    """Whether this server serves a group's members (else one garden)."""
    return bool(request.app.state.group)


def login_on(request: Request) -> bool:
    """Whether pages ask for a login: always off loopback or for a group, else once a
    password is set."""
    state = request.app.state
    if state.login_required or state.group:
        return True
    return garden_credentials.has_password(garden(request))


def session_member(request: Request) -> int | None:
    """On a group server, the member this request's session cookie logs in (if live)."""
    opened = request.app.state.garden
    return member_logins.session_account(opened, request.cookies.get(SESSION_COOKIE), now(request))


def require_login(request: Request) -> None:
    """A dependency of every page: a live session, when logins are on."""
    on = login_on(request)
    request.state.login_on = on
    if is_group(request):
        account = session_member(request)
        if account is None:
            raise LoginRequired
        request.state.member_account = account
        return
    if on and not sessions.is_live(
        garden(request), request.cookies.get(SESSION_COOKIE), now(request)
    ):
        raise LoginRequired


def client_key(request: Request) -> str:
    return f"client:{request.client.host if request.client else 'unknown'}"


def account_key(request: Request, login: str = "") -> str:
    """The throttle's key for the account a login tries: the login typed, on a group server."""
    if is_group(request):
        return f"login:{login.strip().lower()[:200]}"
    return f"account:{garden(request).account_id}"


def throttle(request: Request) -> LoginThrottle:
    held: LoginThrottle = request.app.state.login_throttle
    return held


def too_many(wait: int, what: str) -> HTTPException:
    return HTTPException(
        429, f"too many wrong {what}; try again in {wait} s", headers={"Retry-After": str(wait)}
    )


_bearer = HTTPBearer(auto_error=False, description="Your API token: `kith token`.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The API authenticates with a token only, never with a browser cookie.

    A client that keeps sending wrong tokens is made to wait (429), as a login would be.
    """
    keys = [client_key(request)]
    wait = throttle(request).retry_after(keys)
    if wait:
        raise too_many(wait, "API tokens")
    if credentials is not None and _token_right(request, credentials.credentials):
        return
    if credentials is not None:
        throttle(request).failed(keys)
    raise HTTPException(401, "missing or wrong API token (see `kith token`)")


def _token_right(request: Request, token: str) -> bool:
    if not is_group(request):
        return garden_credentials.check_token(garden(request), token)
    account = member_logins.token_account(request.app.state.garden, token)
    if account is None:
        return False
    request.state.member_account = account
    return True
