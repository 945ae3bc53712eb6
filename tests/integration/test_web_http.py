"""HTTP hardening, attacked through the app factory: HEAD, no-store, Origin, oversize and
malformed bodies, upload names, headers on error pages, and 0.0.0.0 as a public host."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from typer.testing import CliRunner

from kith.app import dashboard, people
from kith.app.garden import open_garden
from kith.cli.main import app as cli
from kith.web import pages_garden, pages_match, pages_people
from kith.web.app import create_app
from kith.web.security import MAX_BODY_BYTES
from tests.conftest import TODAY
from tests.integration._web import BASE, api_token, client, csrf_token, make_app, settings_for
from tests.integration.test_api_actions import Served, serve

SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def served(sqlite_url: str, tmp_path: Path) -> tuple[FastAPI, str]:
    """The app over a garden with one person (#1) and an API token."""
    settings = settings_for(sqlite_url, tmp_path)
    token = api_token(settings)
    opened = open_garden(settings, TODAY)
    people.seed(opened, "Ana Ruiz", interests=["climbing"])
    opened.engine.dispose()
    return make_app(settings), token


def _page_paths() -> list[str]:
    paths = [
        re.sub(r"\{\w+\}", "1", route.path)
        for module in (pages_garden, pages_people, pages_match)
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in (route.methods or set())
    ]
    return [*paths, "/login", "/health", "/static/kith.css"]


def test_head_is_answered_on_every_page_like_get_without_a_body(
    served: tuple[FastAPI, str],
) -> None:
    app, token = served
    paths = _page_paths()
    assert len(paths) >= 10
    with client(app) as browser:
        for path in paths:
            got, head = browser.get(path), browser.head(path)
            assert head.status_code == got.status_code == 200, path
            assert head.content == b"", path
            assert head.headers["content-type"] == got.headers["content-type"], path
        api = {"Authorization": f"Bearer {token}"}
        assert browser.head("/api/v1/people", headers=api).status_code == 200
        assert browser.head("/api/v1/people/999", headers=api).status_code == 404


def test_pages_and_downloads_are_no_store_and_static_files_are_not(
    served: tuple[FastAPI, str],
) -> None:
    app, token = served
    api = {"Authorization": f"Bearer {token}"}
    with client(app) as browser:
        for path in ("/", "/people", "/people/1", "/login", "/people/999"):
            assert browser.get(path).headers["cache-control"] == "no-store", path
        for kind in ("json", "vcard", "csv", "ics"):  # json is the backup download
            download = browser.get(f"/api/v1/export/{kind}", headers=api)
            assert download.status_code == 200
            assert download.headers["cache-control"] == "no-store", kind
        form = {"action": "export", "ids": "1", "csrf_token": csrf_token(browser, "/people")}
        csv_download = browser.post("/people/bulk", data=form)
        assert csv_download.headers["content-disposition"].startswith("attachment")
        assert csv_download.headers["cache-control"] == "no-store"
        assert "no-store" not in browser.get("/static/kith.css").headers.get("cache-control", "")


def test_error_pages_carry_the_security_headers(
    served: tuple[FastAPI, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = served

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboard, "figures", broken)
    with client(app) as browser:
        answers = {
            "500": browser.get("/"),
            "404": browser.get("/people/999"),
            "422": browser.get("/people/not-a-number"),
            "400 host": browser.get("/", headers={"Host": "evil.example"}),
            "403 csrf": browser.post("/people", data={"name": "X"}),
            "413": browser.post("/people", content=b"x" * (MAX_BODY_BYTES + 1)),
        }
        for what, answer in answers.items():
            assert answer.status_code == int(what[:3]), what
            for header in SECURITY:
                assert header in answer.headers, (what, header)
            assert answer.headers["cache-control"] == "no-store", what
            assert "Traceback" not in answer.text and "a bug" not in answer.text


def test_state_changes_naming_another_origin_are_refused(served: tuple[FastAPI, str]) -> None:
    app, token = served
    with client(app) as browser:
        form = {"name": "Mallory", "csrf_token": csrf_token(browser, "/people")}
        for header in (
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Origin": "http://127.0.0.1:9999"},
            {"Referer": "http://evil.example/page"},
        ):
            assert browser.post("/people", data=form, headers=header).status_code == 403, header
        same = browser.post("/people", data=form, headers={"Origin": BASE})
        assert same.status_code == 303
        api = {"Authorization": f"Bearer {token}", "Origin": "http://evil.example"}
        refused = browser.post("/api/v1/people", json={"name": "Eve"}, headers=api)
        assert refused.status_code == 403
        assert refused.json() == {"error": "the request came from another site", "field": "origin"}
        names = [p["name"] for p in browser.get("/api/v1/people", headers=api).json()]
        assert names.count("Mallory") == 1
        assert "Eve" not in names


def test_oversize_json_and_form_bodies_get_413_in_the_error_shape(
    served: tuple[FastAPI, str],
) -> None:
    app, token = served
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    ten_mb = json.dumps({"name": "Big", "note": "x" * (10 * 1024 * 1024)}).encode()
    with client(app) as browser:
        answer = browser.post("/api/v1/people", content=ten_mb, headers=api)
        assert answer.status_code == 413
        assert answer.json() == {
            "error": "the request body is over the 5 MB limit",
            "field": "body",
        }
        form = browser.post(
            "/api/v1/import",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("big.vcf", b"x" * (MAX_BODY_BYTES + 1))},
            data={"kind": "vcard"},
        )
        assert form.status_code == 413
        assert form.json()["field"] == "body"


def test_a_10_mb_json_body_to_a_real_server_gets_the_413_not_a_reset(
    sqlite_url: str, tmp_path: Path
) -> None:
    body = json.dumps({"name": "Big", "note": "x" * (10 * 1024 * 1024)}).encode()
    site: Served
    for site in serve(sqlite_url, tmp_path):
        with site.api() as api:
            for _ in range(3):  # the connection survives to answer every time
                answer = api.post(
                    "/api/v1/people", content=body, headers={"Content-Type": "application/json"}
                )
                assert answer.status_code == 413
                assert answer.json()["field"] == "body"


def test_a_malformed_json_body_gets_the_kith_error_shape(served: tuple[FastAPI, str]) -> None:
    app, token = served
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with client(app) as browser:
        for broken in (b'{"name": "Ana"', b"{'name': 1}", b"\xff\xfe", b'{"name": "A",}'):
            answer = browser.post("/api/v1/people", content=broken, headers=api)
            assert answer.status_code == 400, broken
            assert set(answer.json()) == {"error", "field"}, broken
            assert answer.json()["field"] == "body"
            assert answer.json()["error"].startswith("body: not valid JSON")


@pytest.mark.parametrize("name", ["..", ".", "../../etc/passwd", "/", "a/..", "..\\..\\x", " "])
def test_upload_names_are_never_paths(
    served: tuple[FastAPI, str], name: str, tmp_path: Path
) -> None:
    app, token = served
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Noah Lee\r\nEND:VCARD\r\n"
    with client(app) as browser:
        page = browser.post(
            "/import",
            data={"kind": "vcard", "csrf_token": csrf_token(browser, "/import")},
            files={"file": (name, vcard, "text/vcard")},
        )
        assert page.status_code == 200, page.text[:300]
        assert "Noah Lee" in page.text or "1 added" in page.text or "Preview" in page.text
        api = browser.post(
            "/api/v1/import",
            headers={"Authorization": f"Bearer {token}"},
            data={"kind": "vcard", "dry_run": "true"},
            files={"file": (name, vcard, "text/vcard")},
        )
        assert api.status_code == 200, api.text
        assert api.json()["added"] == 1
        capture = browser.post(
            "/api/v1/capture",
            headers={"Authorization": f"Bearer {token}"},
            data={"kind": "ics", "dry_run": "true"},
            files={"file": (name, b"not a calendar")},
        )
        assert capture.status_code in (200, 400), capture.text
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize("wildcard", ["0.0.0.0", "::", "[::]", "0.0.0.0:8470"])
def test_a_wildcard_public_host_is_refused_with_a_clear_message(
    sqlite_url: str, tmp_path: Path, wildcard: str
) -> None:
    env = {"KITH_DATABASE_URL": sqlite_url, "KITH_CONFIG": str(tmp_path / "none")}
    answer = CliRunner().invoke(
        cli,
        ["serve", "--host", "0.0.0.0", "--allow-remote", "--public-host", wildcard],
        env=env,
    )
    assert answer.exit_code == 1
    assert "means every address" in answer.stderr
    assert "Traceback" not in answer.stderr
    with pytest.raises(ValueError, match="no names browsers use"):
        create_app(settings_for(sqlite_url, tmp_path), host="0.0.0.0", public_hosts=[wildcard])


def test_head_over_a_real_server_is_answered_and_no_store(sqlite_url: str, tmp_path: Path) -> None:
    for site in serve(sqlite_url, tmp_path):
        head = httpx.head(f"{site.url}/")
        assert head.status_code == 200
        assert head.headers["cache-control"] == "no-store"
