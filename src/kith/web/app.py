"""The web app: `create_app(settings)` builds it; `kith serve` runs it with uvicorn."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kith.app import credentials, dashboard, member_logins, sessions
from kith.app.garden import local_today, open_garden
from kith.settings import Settings
from kith.web import (
    api,
    api_files,
    api_group,
    api_group_business,
    api_match,
    errors,
    pages_account,
    pages_auth,
    pages_garden,
    pages_group,
    pages_group_business,
    pages_match,
    pages_people,
    pages_person_details,
)
from kith.web.cache import VersionedCache
from kith.web.security import Guard, allowed_hosts, is_loopback
from kith.web.throttle import LoginThrottle
from kith.web.uploads import Uploads

NAV = (
    ("/", "Dashboard"),
    ("/people", "People"),
    ("/weed", "Weed"),
    ("/share", "Share"),
    ("/network", "Network"),
    ("/intros", "Intros"),
    ("/import", "Import"),
)


# The API first, then the pages (each module's router holds its own prefix and auth).
ROUTES = (
    api,
    api_match,
    api_files,
    api_group,
    api_group_business,
    pages_auth,
    pages_account,
    pages_garden,
    pages_people,
    pages_person_details,
    pages_match,
    pages_group,
    pages_group_business,
)


def create_app(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    public_hosts: Iterable[str] = (),
    require_login: bool = False,
) -> FastAPI:
    """The app over the garden `settings` point at, listening on `host` (and `port`).

    It answers only to the Host names of `allowed_hosts`: off loopback, that means the
    `public_hosts` people use to reach it, which are then required. Off loopback a login is
    always required and the garden must have a password: whatever serves kith remotely (the
    CLI or another entry point) gets the same checks here.
    """
    public_hosts = [name for name in public_hosts if name.strip()]
    remote = not is_loopback(host)
    if remote and not public_hosts:
        raise ValueError(f"serving on {host} needs public_hosts: the names browsers use")
    hosts = allowed_hosts(host, port, public_hosts)
    garden = open_garden(settings, local_today())
    # A group's server (PostgreSQL with a group) serves each member their own garden after
    # they log in; `kith --as LOGIN serve` still serves that one member's garden alone.
    group = member_logins.serves_members(garden)
    if group:
        member_logins.keep_every_members_facts(garden)
    elif remote and not credentials.has_password(garden):
        garden.engine.dispose()
        raise ValueError(f"serving on {host} needs a login password first (kith password)")
    require_login = require_login or remote or group
    uploads = Uploads()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        uploads.clear()  # uploads nobody confirmed
        garden.engine.dispose()  # close pooled connections when the server stops

    app = FastAPI(
        lifespan=lifespan,
        title="kith",
        version="1",
        summary="Seed, feed and weed your network: the JSON API over your garden.",
        docs_url=None,  # the docs page would need inline scripts; /openapi.json is the schema
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.garden = garden
    app.state.group = group
    app.state.secret = secrets.token_bytes(32)  # CSRF tokens last one run
    # Off loopback a login is always needed; on loopback once the garden has a password,
    # which `auth.login_on` reads per request (so `kith password` needs no restart).
    app.state.login_required = require_login
    app.state.session_seconds = sessions.SESSION_SECONDS
    app.state.clock = time.time  # tests move it to see sessions expire and waits pass
    # a lambda, not the function: a test that swaps app.state.clock moves the throttle too
    app.state.login_throttle = LoginThrottle(lambda: app.state.clock())  # noqa: PLW0108
    # keyed by account too: on a group server every member has their own figures
    members = 16 if group else 1
    app.state.dashboard_cache = VersionedCache(size=4 * members)
    app.state.dashboard_judgements = dashboard.KeptJudgements(size=members)
    app.state.network_cache = VersionedCache(size=2 * members)  # a big map takes a second
    app.state.profile_cache = VersionedCache(size=256)
    app.state.nav = NAV
    app.state.uploads = uploads
    errors.install(app)
    for module in ROUTES:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(Guard, hosts=hosts)
    return app
