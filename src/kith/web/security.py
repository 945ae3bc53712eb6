"""Defences every request passes through, before any route runs.

One plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware, which matters to
the load benchmark) that:
- refuses a Host header other than the one served: a DNS-rebinding page on evil.example
  that resolves to 127.0.0.1 sends `Host: evil.example` and gets 400;
- refuses a state-changing request whose Origin (or Referer) names another host: 403;
- refuses a request body over the upload limit with 413 in kith's error shape, after
  reading what the client sends (chunked ones are read up to the limit);
- answers HEAD on every page as GET without the body;
- marks every answer but static files `Cache-Control: no-store`;
- hands a browser a CSRF cookie on first visit (see `csrf.py` for the check);
- adds the security headers, among them a Content-Security-Policy that allows scripts
  only from our own static files (no inline script, no eval).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from kith.web import csrf

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with our
    # own form posts, which the Origin check must refuse; other sites still get nothing.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_BODY_BYTES = 5 * 1024 * 1024  # an import file of several thousand contacts fits
TOO_LARGE = f"the request body is over the {MAX_BODY_BYTES // (1024 * 1024)} MB limit"
# A refused body is read and dropped up to this size so the client gets the 413, not a reset.
DRAIN_LIMIT_BYTES = 64 * 1024 * 1024
# Pages and downloads hold private data: no browser or proxy keeps a copy (static files may).
NO_STORE = (b"cache-control", b"no-store")


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether a listening address (or name) is this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """0.0.0.0 and :: mean every address: no browser names them in a Host header."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def names_every_address(name: str) -> bool:
    """Whether a --public-host value is 0.0.0.0 or :: (with or without a port)."""
    name = name.strip()
    return is_wildcard(name.rsplit(":", 1)[0] if name.count(":") == 1 else name) or (
        name.startswith("[") and is_wildcard(name.rsplit(":", 1)[0])
    )


def _host_name(name: str) -> str:
    name = name.strip().lower()
    if ":" in name and not name.startswith("[") and name.count(":") > 1:
        return f"[{name}]"  # a bare IPv6 address, as a Host header writes it
    return name


def allowed_hosts(host: str, port: int | None, public: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values this server answers to, lower-cased, with and without the port.

    They are the loopback names when it listens on loopback, the address it listens on
    (unless a wildcard like 0.0.0.0), and each `public` name: the names people type to reach
    it off loopback (a LAN address, a host name, a reverse proxy's name). Any other Host,
    such as a DNS-rebinding page's own domain, gets 400.
    """
    if any(names_every_address(name) for name in public):
        raise ValueError("0.0.0.0 and :: are no names browsers use: name the host instead")
    names = {_host_name(name) for name in public if name.strip()}
    if is_loopback(host):
        names |= set(LOOPBACK_NAMES)
    if not is_wildcard(host):
        names.add(_host_name(host))
    with_port = {f"{name}:{port}" for name in names} if port else set()
    return frozenset(names | with_port)


class Guard:
    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path = str(scope.get("path", ""))
        api = path.startswith("/api/")
        if headers.get(b"host", b"").decode("latin-1").lower() not in self.hosts:
            await _plain(send, 400, b"Invalid Host header")
            return
        length = headers.get(b"content-length")
        announced = int(length) if length is not None and length.isdigit() else 0
        if scope["method"] not in csrf.SAFE_METHODS and not self._same_origin(headers):
            await _drain(receive, announced)
            await _refuse(send, 403, api, "the request came from another site", "origin")
            return
        if length is not None and (not length.isdigit() or announced > MAX_BODY_BYTES):
            await _drain(receive, announced)
            await _refuse(send, 413, api, TOO_LARGE, "body")
            return
        if length is None and headers.get(b"transfer-encoding"):
            # A chunked body announces no size: read it here, up to the limit, then replay.
            body = await _read_limited(receive)
            if body is None:
                await _refuse(send, 413, api, TOO_LARGE, "body")
                return
            receive = _replay(body, receive)
        new_cookie = self._csrf_cookie(scope, headers)
        head = scope["method"] == "HEAD"
        if head:  # HEAD is GET without the body, on every page (FastAPI routes only GET)
            scope = {**scope, "method": "GET"}
        cacheable = path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                names = {name.lower() for name, _ in message.get("headers", [])}
                if not cacheable and b"cache-control" not in names:
                    extra.append(NO_STORE)
                if new_cookie:
                    extra.append((b"set-cookie", new_cookie))
                message["headers"] = [*message.get("headers", []), *extra]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _same_origin(self, headers: dict[bytes, bytes]) -> bool:
        """A state change from a browser names this server in Origin (or else Referer).

        Scripts send neither and pass (the API needs its token anyway). `Origin: null`
        (a sandboxed frame, a cross-site redirect) names no host of ours and is refused.
        """
        for header in (b"origin", b"referer"):
            value = headers.get(header)
            if value is not None:
                netloc = urlsplit(value.decode("latin-1")).netloc.lower()
                return netloc in self.hosts
        return True

    def _csrf_cookie(self, scope: Scope, headers: dict[bytes, bytes]) -> bytes | None:
        """Put the CSRF cookie's value in the request state, issuing one if missing."""
        cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        morsel = cookies.get(csrf.COOKIE)
        value = morsel.value if morsel is not None and csrf.well_formed(morsel.value) else None
        issued = None
        if value is None:
            value = csrf.new_cookie_value()
            issued = csrf.cookie_header(value)
        scope.setdefault("state", {})["csrf_cookie"] = value
        return issued


async def _read_limited(receive: Receive) -> bytes | None:
    """The whole body, or None when it passes the limit (the rest read and dropped)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts)
        chunk = message.get("body", b"")
        size += len(chunk)
        more = message.get("more_body", False)
        if size > MAX_BODY_BYTES:
            if more and size <= DRAIN_LIMIT_BYTES:
                await _drain(receive, 0)
            return None
        parts.append(chunk)
        if not more:
            return b"".join(parts)


def _replay(body: bytes, original: Receive) -> Receive:
    """Hand the app the buffered body, then the connection's own messages (a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _drain(receive: Receive, announced: int) -> None:
    """Read and drop what the client is still sending, so the refusal reaches it.

    Closing a connection with unread bytes makes the kernel reset it, and the client
    then sees "connection reset" instead of our 413. Past DRAIN_LIMIT_BYTES we stop
    reading: a client that sends that much gets the reset.
    """
    if announced > DRAIN_LIMIT_BYTES:
        return
    read = 0
    while read <= DRAIN_LIMIT_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _refuse(send: Send, status: int, api: bool, message: str, field: str) -> None:
    """A refusal in kith's error shape: `{"error", "field"}` for the API, a sentence else."""
    if api:
        body = json.dumps({"error": message, "field": field}).encode()
        await _plain(send, status, body, b"application/json")
    else:
        await _plain(send, status, message[:1].upper().encode() + message[1:].encode() + b".")


def response_headers() -> dict[str, str]:
    """The headers every answer carries, for the one answer sent outside the Guard."""
    return {name.decode(): value.decode() for name, value in [*SECURITY_HEADERS, NO_STORE]}


async def _plain(
    send: Send, status: int, body: bytes, content_type: bytes = b"text/plain; charset=utf-8"
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                NO_STORE,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
