"""The web app in-process: the app factory over a real database, driven by a TestClient."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from kith.app import credentials
from kith.app.garden import open_garden
from kith.settings import Settings
from kith.web.app import create_app
from tests.conftest import TODAY

with warnings.catch_warnings():
    # Starlette warns on import that it prefers httpx2 to httpx; the client works the same.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

Browser = TestClient  # for annotations elsewhere, without importing starlette's warning again
PORT = 8470
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "correct horse battery"


def settings_for(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, today=TODAY, config_file=tmp_path / "none")


def api_token(settings: Settings) -> str:
    opened = open_garden(settings, TODAY)
    try:
        return credentials.rotate_token(opened)
    finally:
        opened.engine.dispose()


def set_password(settings: Settings, password: str = PASSWORD) -> int:
    opened = open_garden(settings, TODAY)
    try:
        return credentials.set_password(opened, password)
    finally:
        opened.engine.dispose()


def make_app(settings: Settings, **options: Any) -> FastAPI:
    return create_app(settings, host="127.0.0.1", port=PORT, **options)


@contextmanager
def client(app: FastAPI, address: str = "10.0.0.1") -> Iterator[TestClient]:
    """A browser-like client (its own cookies) from `address`; server errors become 500s."""
    with TestClient(
        app,
        base_url=BASE,
        raise_server_exceptions=False,
        follow_redirects=False,
        client=(address, 50000),
    ) as test_client:
        yield test_client


def csrf_token(test_client: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', test_client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def log_in(test_client: TestClient, password: str = PASSWORD) -> int:
    """Post the login form; the status it answered."""
    token = csrf_token(test_client)
    answer = test_client.post("/login", data={"password": password, "csrf_token": token})
    return int(answer.status_code)
