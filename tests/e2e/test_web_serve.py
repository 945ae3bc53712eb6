"""`kith serve` off loopback: it needs the names browsers use, and answers to those only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kith.app import credentials
from kith.app.garden import open_garden
from kith.settings import Settings
from kith.web.app import create_app
from kith.web.security import allowed_hosts
from tests.conftest import TODAY, Kith


def _statuses(app: FastAPI, urls: list[str]) -> list[int]:
    """GET each URL from the app in-process (the Host header is the URL's), then close it."""

    async def run() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            return [(await client.get(url)).status_code for url in urls]

    try:
        return asyncio.run(run())
    finally:
        app.state.garden.engine.dispose()


def _settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=sqlite_url, today=TODAY, config_file=tmp_path / "none")


def test_off_loopback_the_public_names_are_answered(sqlite_url: str, tmp_path: Path) -> None:
    # Off loopback the app factory itself requires a login password (issue 10).
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    credentials.set_password(opened, "correct horse battery")
    opened.engine.dispose()
    app = create_app(
        _settings(sqlite_url, tmp_path),
        host="0.0.0.0",
        port=8470,
        public_hosts=["192.168.1.5", "Kith.Home.Example"],
    )
    public = [
        "http://192.168.1.5:8470/login",
        "http://192.168.1.5/login",
        "http://kith.home.example:8470/login",
        "http://KITH.Home.example/login",
    ]
    foreign = [
        "http://evil.example:8470/login",
        "http://0.0.0.0:8470/login",
        "http://127.0.0.1:8470/login",
    ]
    assert _statuses(app, public + foreign) == [200] * len(public) + [400] * len(foreign)


def test_off_loopback_without_public_names_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="public_hosts"):
        create_app(_settings(sqlite_url, tmp_path), host="0.0.0.0", port=8470)


def test_allowed_hosts_are_lower_case_with_and_without_the_port() -> None:
    assert allowed_hosts("0.0.0.0", 80, ["Box.LAN", "fe80::1"]) == {
        "box.lan",
        "box.lan:80",
        "[fe80::1]",
        "[fe80::1]:80",
    }
    assert {"127.0.0.1:8470", "localhost", "[::1]:8470"} <= allowed_hosts("127.0.0.1", 8470)
    assert "192.168.1.5:8470" in allowed_hosts("192.168.1.5", 8470, ["box.lan"])


def test_serve_off_loopback_needs_a_public_host(kith_sqlite: Kith) -> None:
    refused = kith_sqlite("serve", "--host", "0.0.0.0", "--allow-remote")
    assert refused.exit_code == 1
    assert "--public-host" in refused.stderr
    bad = kith_sqlite("serve", "--host", "0.0.0.0", "--allow-remote", "--public-host", "a b/")
    assert bad.exit_code == 1
    assert "is not a host name" in bad.stderr


def test_serve_off_loopback_answers_its_public_host(
    kith_sqlite: Kith, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    credentials.set_password(opened, "correct horse battery")
    opened.engine.dispose()
    ran: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: ran.update(app=app, **options))
    kith_sqlite.ok("serve", "--host", "0.0.0.0", "--allow-remote", "--public-host", "192.168.1.5")
    assert ran["host"] == "0.0.0.0"
    urls = ["http://192.168.1.5:8470/login", "http://evil.example:8470/login"]
    assert _statuses(ran["app"], urls) == [200, 400]


def test_the_app_factory_itself_refuses_remote_serving_without_a_password(
    sqlite_url: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="login password"):
        create_app(_settings(sqlite_url, tmp_path), host="0.0.0.0", public_hosts=["box.lan"])
