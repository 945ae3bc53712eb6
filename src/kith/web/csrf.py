"""CSRF protection for the browser: a signed double-submit token.

The browser holds a random value in an HttpOnly, SameSite=Strict cookie; every page embeds
HMAC(server secret, that value) in its forms and in htmx's request headers. A state-changing
request must carry the HMAC that matches its cookie. Another site can neither read the page
nor forge the HMAC, and a cookie planted by a sibling domain fails without the secret.
The JSON API is exempt: it authenticates with a bearer token, which a browser never sends
on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from fastapi import HTTPException, Request

COOKIE = "kith_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def well_formed(value: str) -> bool:
    return _VALUE.fullmatch(value) is not None


def cookie_header(value: str) -> bytes:
    return f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict".encode()


def token_for(secret: bytes, cookie_value: str) -> str:
    return hmac.new(secret, f"csrf:{cookie_value}".encode(), hashlib.sha256).hexdigest()


def page_token(request: Request) -> str:
    """The token this browser's pages embed."""
    return token_for(request.app.state.secret, request.state.csrf_cookie)


async def require_token(request: Request) -> None:
    """A dependency of every browser route: refuse a state change without the right token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()  # Starlette caches it, so the route reads it again free
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if sent is None or not hmac.compare_digest(sent, page_token(request)):
        raise HTTPException(403, "The form expired or came from another site; reload the page.")
