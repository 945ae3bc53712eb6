"""The defences, attacked for real: Host header, CSRF, XSS, CSP, upload size, login."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from kith.app import credentials
from kith.app.errors import InvalidInput
from kith.app.garden import open_garden
from kith.settings import Settings
from kith.web import pages_auth, pages_garden, pages_group_business, pages_match, pages_people
from kith.web.security import MAX_BODY_BYTES
from tests.conftest import TODAY
from tests.integration.test_api_actions import Served, serve

XSS = "<script>alert(1)</script>"


@pytest.fixture
def site(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(sqlite_url, tmp_path)


@contextmanager
def _browser(site: Served) -> Iterator[tuple[httpx.Client, str]]:
    """A client with the cookies a browser would hold, and the page's CSRF token."""
    with httpx.Client(base_url=site.url, timeout=30) as client:
        page = client.get("/people").text
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert found
        yield client, found.group(1)


def test_a_foreign_host_header_is_refused(site: Served) -> None:
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example"):
        answer = httpx.get(f"{site.url}/", headers={"Host": host})
        assert answer.status_code == 400, host
    assert httpx.get(f"{site.url}/health").status_code == 200


def test_every_browser_post_needs_the_csrf_token(site: Served) -> None:
    browser_posts = [
        route.path
        for module in (pages_garden, pages_people, pages_match, pages_auth, pages_group_business)
        for route in module.router.routes
        if isinstance(route, APIRoute) and "POST" in (route.methods or set())
    ]
    assert len(browser_posts) >= 25
    with _browser(site) as (client, _):
        for path in browser_posts:
            url = re.sub(r"\{\w+\}", "1", path)
            answer = client.post(url, data={"name": "Mallory", "what": "x", "kind": "call"})
            assert answer.status_code == 403, path
            forged = client.post(url, data={"name": "M", "csrf_token": "0" * 64})
            assert forged.status_code == 403, path
        assert "Mallory" not in client.get("/people").text


def test_a_form_with_the_token_goes_through(site: Served) -> None:
    with _browser(site) as (client, token):
        seeded = client.post("/people", data={"name": "Ana", "csrf_token": token})
        assert seeded.status_code == 303
        header = client.post(
            "/people", data={"name": "Noah"}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
        )
        assert header.status_code == 303


def test_a_stolen_token_does_not_work_with_another_cookie(site: Served) -> None:
    with _browser(site) as (_, token), httpx.Client(base_url=site.url) as other:
        other.get("/")
        assert other.post("/people", data={"name": "X", "csrf_token": token}).status_code == 403


def test_user_strings_are_escaped(site: Served) -> None:
    with site.api() as api:
        person = api.post(
            "/api/v1/people", json={"name": XSS, "met": XSS, "interests": [XSS]}
        ).json()["id"]
        api.post(f"/api/v1/people/{person}/interactions", json={"kind": "call", "note": XSS})
    for path in ("/", "/people", f"/people/{person}", "/share", "/network", "/weed"):
        page = httpx.get(f"{site.url}{path}").text
        assert XSS not in page, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in httpx.get(f"{site.url}/people/{person}").text


def test_security_headers(site: Served) -> None:
    answer = httpx.get(f"{site.url}/")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "<script>" not in re.sub(r"<script (src|type)=[^>]*>", "", answer.text)


def test_uploads_over_the_limit_are_refused(site: Served) -> None:
    with _browser(site) as (client, token):
        big = b"x" * (MAX_BODY_BYTES + 1)
        answer = client.post("/people", content=big, headers={"X-CSRF-Token": token})
        assert answer.status_code == 413

        def chunks() -> Iterator[bytes]:
            for _ in range(MAX_BODY_BYTES // 65536 + 2):
                yield b"y" * 65536

        streamed = client.post("/people", content=chunks(), headers={"X-CSRF-Token": token})
        assert streamed.status_code == 413


def test_errors_show_no_traceback(site: Served) -> None:
    missing = httpx.get(f"{site.url}/people/999999")
    assert missing.status_code == 404
    assert "Traceback" not in missing.text
    assert "no person #999999" in missing.text
    bad = httpx.get(f"{site.url}/people/not-a-number")
    assert bad.status_code == 422
    assert "Traceback" not in bad.text


def test_a_password_makes_pages_ask_for_a_login(sqlite_url: str, tmp_path: Path) -> None:
    for site in serve(sqlite_url, tmp_path, require_login=True):
        opened = open_garden(site.settings, TODAY)
        credentials.set_password(opened, "correct horse battery")
        opened.engine.dispose()
        with httpx.Client(base_url=site.url) as client:
            first = client.get("/", follow_redirects=False)
            assert first.status_code == 303
            assert first.headers["location"] == "/login"
            found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/login").text)
            assert found
            token = found.group(1)
            wrong = client.post("/login", data={"password": "guess", "csrf_token": token})
            assert wrong.status_code == 401
            right = client.post(
                "/login",
                data={"password": "correct horse battery", "csrf_token": token},
                follow_redirects=True,
            )
            assert right.status_code == 200
            assert "Feed today" in right.text
        assert httpx.get(f"{site.url}/people", follow_redirects=False).status_code == 303
        with site.api() as api:  # the API keeps its token
            assert api.get("/api/v1/people").status_code == 200


def test_short_passwords_are_refused(sqlite_url: str) -> None:
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    with pytest.raises(InvalidInput):
        credentials.set_password(opened, "short")
    assert not credentials.has_password(opened)
    opened.engine.dispose()
