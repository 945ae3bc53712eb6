"""The dashboard's quick-capture box and its API, over a real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_api_actions import Served, serve


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(database_url, tmp_path)


def _token(client: httpx.Client) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/").text)
    assert found
    return found.group(1)


def test_without_javascript_the_box_previews_then_saves(site: Served) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        token = _token(client)
        line = "met Ana Ruiz at PyCon, talked about climbing"
        preview = client.post("/capture/quick/preview", data={"text": line, "csrf_token": token})
        assert preview.status_code == 200
        assert "Plant Ana Ruiz as a new seed met at PyCon" in preview.text
        assert 'id="feed-h"' in preview.text  # the whole dashboard, the preview on top
        assert f'value="{line}"' in preview.text  # what was typed stays in the box
        with site.api() as api:
            assert api.get("/api/v1/people").json() == []

        saved = client.post("/capture/quick", data={"text": line, "csrf_token": token})
        assert saved.status_code == 303
        person = client.get(saved.headers["location"])
        assert "Ana Ruiz" in person.text and "PyCon" in person.text


def test_with_htmx_the_answer_is_the_preview_alone(site: Served) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        headers = {"HX-Request": "true", "X-CSRF-Token": _token(client)}
        preview = client.post(
            "/capture/quick/preview", data={"text": "coffee with Noah"}, headers=headers
        )
        assert preview.status_code == 200
        assert preview.text.lstrip().startswith('<div id="quick-result"')
        assert "Plant Noah as a new seed" in preview.text and ">Save</button>" in preview.text
        saved = client.post(
            "/capture/quick", data={"text": "coffee with Noah", "on": "2026-11-20"}, headers=headers
        )
        assert saved.status_code == 200
        assert "Planted Noah as a new seed on 2026-11-20" in saved.text

        refused = client.post("/capture/quick/preview", data={"text": "hello"}, headers=headers)
        assert refused.status_code == 422
        assert 'id="quick-text-error"' in refused.text and "could not tell" in refused.text


def test_a_form_without_its_token_is_refused(site: Served) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        client.get("/")
        refused = client.post("/capture/quick", data={"text": "coffee with Noah"})
        assert refused.status_code == 403
    with site.api() as api:
        assert api.get("/api/v1/people").json() == []


def test_the_api_previews_saves_and_names_the_field(site: Served) -> None:
    with site.api() as api:
        line = {"text": "met Ana Ruiz at PyCon"}
        preview = api.post("/api/v1/capture/quick/preview", json=line)
        assert preview.status_code == 200 and preview.json()["action"] == "seed"
        saved = api.post("/api/v1/capture/quick", json=line)
        assert saved.status_code == 201
        assert saved.json()["person"]["name"] == "Ana Ruiz"
        logged = api.post("/api/v1/capture/quick", json={"text": "call with Ana yesterday"})
        assert (logged.json()["action"], logged.json()["kind"]) == ("log", "call")
        refused = api.post("/api/v1/capture/quick", json={"text": "hello"})
        assert refused.status_code == 400
        assert refused.json()["field"] == "text"
        unknown = api.post("/api/v1/capture/quick", json={"text": "x", "extra": 1})
        assert unknown.status_code in (400, 422)
