"""The JSON API over a real database (SQLite and PostgreSQL), through a real server.

Also holds the server fixture the other web tests share: uvicorn in a thread on a free
loopback port, over a fresh garden with a token.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from kith.app import credentials
from kith.app.garden import open_garden
from kith.settings import Settings
from kith.web.app import create_app
from tests.conftest import TODAY


@dataclass
class Served:
    url: str
    token: str
    settings: Settings

    def api(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(database_url: str, tmp_path: Path, **options: object) -> Iterator[Served]:
    settings = Settings(database_url=database_url, today=TODAY, config_file=tmp_path / "none")
    opened = open_garden(settings, TODAY)
    token = credentials.rotate_token(opened)
    opened.engine.dispose()
    port = free_port()
    # The callers pass create_app's own keyword options through, each of its type.
    app = create_app(settings, host="127.0.0.1", port=port, **options)  # type: ignore[arg-type]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", token, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(database_url, tmp_path)


def test_seed_log_feed_ask_and_show(served: Served) -> None:
    with served.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana Ruiz", "met": "PyCon"})
        assert ana.status_code == 201
        ana_id = ana.json()["id"]
        assert ana.json()["stage"] == "seed"
        logged = api.post(f"/api/v1/people/{ana_id}/interactions", json={"kind": "meeting"})
        assert logged.status_code == 201
        given = api.post(f"/api/v1/people/{ana_id}/given", json={"what": "a CV review"})
        assert given.status_code == 201
        pitch = api.post(
            f"/api/v1/people/{ana_id}/asks", json={"what": "buy my course", "pitch": True}
        ).json()
        assert pitch["ready"] is False
        assert pitch["recorded"] is False
        assert pitch["give_first"]
        shown = api.get(f"/api/v1/people/{ana_id}").json()
        assert {e["type"] for e in shown["timeline"]} == {"interaction", "given"}
        assert [p["name"] for p in api.get("/api/v1/people").json()] == ["Ana Ruiz"]
        assert api.get("/api/v1/stats").json()["by_stage"]["seed"] == 1


def test_prune_restore_forget(served: Served) -> None:
    with served.api() as api:
        tom = api.post("/api/v1/people", json={"name": "Tom Becker"}).json()["id"]
        api.post(f"/api/v1/people/{tom}/breaches", json={"what": "shared my deck"})
        assert [w["name"] for w in api.get("/api/v1/weed").json()] == ["Tom Becker"]
        assert api.post(f"/api/v1/people/{tom}/prune", json={"reason": "sells"}).status_code == 200
        assert api.get("/api/v1/people", params={"stage": "pruned"}).json()[0]["id"] == tom
        again = api.post(f"/api/v1/people/{tom}/prune", json={})
        assert again.status_code == 400
        assert "already pruned" in again.json()["error"]
        assert api.post(f"/api/v1/people/{tom}/restore").status_code == 200
        refused = api.delete(f"/api/v1/people/{tom}")
        assert refused.status_code == 400
        gone = api.delete(f"/api/v1/people/{tom}", params={"confirm": "true"}).json()
        assert gone["removed"]["breaches"] == 1
        assert api.get(f"/api/v1/people/{tom}").status_code == 404


def test_errors_name_the_field_without_a_traceback(served: Served) -> None:
    with served.api() as api:
        bad = api.post("/api/v1/people", json={"name": "Eve", "emails": ["not-an-email"]})
        assert bad.status_code == 400
        assert bad.json()["field"] == "email"
        person = api.post("/api/v1/people", json={"name": "Eve"}).json()["id"]
        weight = api.post(f"/api/v1/people/{person}/given", json={"what": "x", "weight": 9})
        assert weight.json() == {"error": "weight: 9 is outside 1–5", "field": "weight"}
        unknown = api.post(f"/api/v1/people/{person}/interactions", json={"kind": "telepathy"})
        assert unknown.status_code == 400
        assert "Traceback" not in unknown.text


def test_the_api_needs_the_garden_token(served: Served) -> None:
    assert httpx.get(f"{served.url}/api/v1/people").status_code == 401
    wrong = httpx.get(f"{served.url}/api/v1/people", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"].startswith("missing or wrong API token")


def test_only_a_hash_of_the_token_is_stored(sqlite_url: str, tmp_path: Path) -> None:
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    token = credentials.rotate_token(opened)
    assert credentials.check_token(opened, token)
    assert not credentials.check_token(opened, token + "x")
    database = Path(sqlite_url.removeprefix("sqlite:///")).read_bytes()
    assert token.encode() not in database
    newer = credentials.rotate_token(opened)
    assert not credentials.check_token(opened, token)
    assert credentials.check_token(opened, newer)
    opened.engine.dispose()
    del tmp_path


def test_openapi_has_models_and_examples(served: Served) -> None:
    schema = httpx.get(f"{served.url}/openapi.json").json()
    seed = schema["components"]["schemas"]["SeedIn"]
    assert seed["examples"][0]["name"] == "Ana Ruiz"
    assert "/api/v1/people/{person_id}/asks" in schema["paths"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_today_follows_the_settings(served: Served) -> None:
    with served.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana"}).json()
        assert ana["met_on"] == TODAY.isoformat()


def test_the_api_records_their_asks_and_forgives_a_breach(served: Served) -> None:
    with served.api() as api:
        tom = api.post("/api/v1/people", json={"name": "Tom Becker"}).json()
        base = f"/api/v1/people/{tom['id']}"
        pitched = api.post(f"{base}/their-asks", json={"what": "a demo", "pitch": True})
        assert pitched.status_code == 201
        assert pitched.json()["premature"] is True
        assert api.post(f"{base}/forgive", json={"what": "sorry"}).status_code == 400
        assert api.post(f"{base}/breaches", json={"what": "leaked my deck"}).status_code == 201
        assert api.get(base).json()["stage"] == "weed"
        assert api.post(f"{base}/forgive", json={"what": "apologised"}).status_code == 201
        shown = api.get(base).json()
        assert shown["stage"] != "weed"
        assert 0 < shown["trust_uncertainty"] <= 1
        assert all(w["id"] != tom["id"] for w in api.get("/api/v1/weed").json())
