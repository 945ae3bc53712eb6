"""The pages (not the API) against a real server: bounds, bulk actions, filters, uploads."""

from __future__ import annotations

import inspect
import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Connection

from kith.app import people, reports, search, share_preview
from kith.app.garden import Garden
from kith.core.model import Stage
from kith.web import pages_garden, pages_match, pages_people, pages_person_details
from kith.web.uploads import ROOT_PREFIX, UPLOAD_FILE, Uploads
from tests.integration.test_api_actions import Served, serve

Vetted = tuple[list[dict[str, Any]], list[dict[str, str]]]
HUGE = "99999999999999999999"  # past SQLite's 64-bit integers


@pytest.fixture
def site(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(sqlite_url, tmp_path)


@contextmanager
def browser(site: Served) -> Iterator[tuple[httpx.Client, str]]:
    """A client with the cookies a browser would hold, and the page's CSRF token."""
    with httpx.Client(base_url=site.url, timeout=30) as client:
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/people").text)
        assert found
        yield client, found.group(1)


def test_ids_out_of_range_are_refused_never_a_500(site: Served) -> None:
    routes = [
        route
        for module in (pages_garden, pages_people, pages_match, pages_person_details)
        for route in module.router.routes
        if isinstance(route, APIRoute) and re.search(r"\{\w+_id\}", route.path)
    ]
    assert len(routes) >= 15
    with browser(site) as (client, token):
        for route in routes:
            for bad in (HUGE, str(2**31), "0", "-1"):
                url = re.sub(r"\{\w+_id\}", bad, route.path)
                if "GET" in (route.methods or set()):
                    answer = client.get(url)
                else:
                    answer = client.post(url, data={"csrf_token": token, "kind": "call"})
                assert answer.status_code in (404, 422), (url, answer.status_code)
                assert "Traceback" not in answer.text
        assert client.get(f"/people/{2**31 - 1}").status_code == 404
        bulk = {"csrf_token": token, "action": "export", "ids": [HUGE]}
        assert client.post("/people/bulk", data=bulk).status_code == 422


def _stage(site: Served, person_id: int) -> str:
    with site.api() as api:
        return str(api.get(f"/api/v1/people/{person_id}").json()["stage"])


def test_bulk_prune_is_all_or_nothing(site: Served) -> None:
    with site.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana Ruiz"}).json()["id"]
        ben = api.post("/api/v1/people", json={"name": "Ben Okafor"}).json()["id"]
        api.post(f"/api/v1/people/{ben}/prune", json={"reason": "moved on"})
    with browser(site) as (client, token):
        form = {"csrf_token": token, "action": "prune", "reason": "tidy", "ids": [ana, ben]}
        refused = client.post("/people/bulk", data=form)
        assert refused.status_code == 422
        assert "Ben Okafor is already pruned" in refused.text
        assert _stage(site, ana) != "pruned"  # one error and nobody is pruned
        for bad in ({"action": "prune", "ids": []}, {"action": "delete", "ids": [ana]}):
            assert client.post("/people/bulk", data={"csrf_token": token, **bad}).status_code == 422
        assert _stage(site, ana) != "pruned"
        done = client.post("/people/bulk", data={**form, "ids": [ana]})
        assert done.status_code == 200
        assert "Pruned 1 person" in done.text
        assert _stage(site, ana) == "pruned"


VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n"


def _upload(client: httpx.Client, token: str) -> httpx.Response:
    files = {"file": ("friends.vcf", VCARD, "text/vcard")}
    return client.post("/import", data={"csrf_token": token, "kind": "vcard"}, files=files)


def _kept_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_upload_preview_then_confirm_and_nothing_left_behind(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert not inspect.iscoroutinefunction(pages_match.upload)  # file I/O off the event loop
    for site in serve(sqlite_url, tmp_path):
        with browser(site) as (client, token):
            preview = _upload(client, token)
            assert preview.status_code == 200
            found = re.search(r'action="/import/([\w-]+)"', preview.text)
            assert found
            assert [p.name for p in _kept_files(temp)] == [UPLOAD_FILE]  # never the client's name
            done = client.post(
                f"/import/{found.group(1)}", data={"csrf_token": token, "kind": "vcard"}
            )
            assert done.status_code == 200
            assert "Imported friends.vcf" in done.text
            assert _kept_files(temp) == []
            again = client.post(
                f"/import/{found.group(1)}", data={"csrf_token": token, "kind": "vcard"}
            )
            assert again.status_code == 422
            assert _upload(client, token).status_code == 200  # previewed, never confirmed
            assert len(_kept_files(temp)) == 1
    assert _kept_files(temp) == []  # the server removed it when it stopped


def test_old_uploads_expire_when_a_new_one_arrives(tmp_path: Path) -> None:
    now = [1000.0]
    uploads = Uploads(ttl=3600, limit=3, clock=lambda: now[0], temp_dir=tmp_path)
    stale_root = tmp_path / f"{ROOT_PREFIX}dead"  # a server that stopped without cleaning up
    (stale_root / "x").mkdir(parents=True)
    os.utime(stale_root, (0, 0))
    first, path = uploads.add("a.vcf", io.BytesIO(b"a"))
    assert uploads.get(first) == path
    assert path.read_bytes() == b"a"
    assert not stale_root.exists()
    now[0] += 3601
    assert uploads.get(first) is None  # expired, even before anything removes it
    second, _ = uploads.add("../../b.vcf", io.BytesIO(b"b"))
    assert not path.exists()
    kept = uploads.get(second)
    assert kept is not None
    assert kept.parent.parent.parent == tmp_path
    later = [uploads.add(f"{n}.vcf", io.BytesIO(b"n"))[0] for n in range(3)]
    assert uploads.get(second) is None  # only the newest `limit` are kept
    assert all(uploads.get(key) for key in later)
    uploads.clear()
    assert list(tmp_path.iterdir()) == []


def test_people_filters_follow_the_tag_rules(sqlite_garden: Garden) -> None:
    people.seed(sqlite_garden, "Ana Ruiz", interests=["Rock climbing"], needs=["UX designer"])
    people.seed(sqlite_garden, "Ben Okafor", interests=["climbing", "javascript"])
    people.seed(sqlite_garden, "Chen Wei", interests=["machine learning"], offers=["ML"])

    def names(**wanted: str) -> list[str]:
        rows, _ = search.search_people(sqlite_garden, search.Filters(**wanted))
        return sorted(row.name for row in rows)

    assert names(interest="bouldering") == ["Ana Ruiz", "Ben Okafor"]
    assert names(interest="ML") == ["Chen Wei"]
    assert names(offer="Machine Learning") == ["Chen Wei"]
    assert names(need="ux design") == ["Ana Ruiz"]
    assert names(interest="java") == []  # a substring is another tag
    assert names(interest="learning") == []
    assert names(interest=" ") == ["Ana Ruiz", "Ben Okafor", "Chen Wei"]


def test_share_and_its_preview_vet_through_one_function(
    sqlite_garden: Garden, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people.seed(sqlite_garden, "Ana Ruiz")
    with sqlite_garden.reading() as conn:
        contacts, held = reports.vetted(conn, sqlite_garden, Stage.TRUSTED)
    assert contacts == []
    assert [h["name"] for h in held] == ["Ana Ruiz"]
    preview = share_preview.preview(sqlite_garden, "trusted")
    assert (preview.shared, preview.held_back) == ([], held)

    calls: list[Stage] = []

    def fake(conn: Connection, garden: Garden, min_stage: Stage) -> Vetted:
        calls.append(min_stage)
        return [{"name": "Zoe Vetted"}], [{"name": "Yan Held", "why": "a reason"}]

    monkeypatch.setattr(reports, "vetted", fake)
    preview = share_preview.preview(sqlite_garden, "growing")
    assert preview.shared == ["Zoe Vetted"]
    assert preview.held_back == [{"name": "Yan Held", "why": "a reason"}]
    written = reports.share(sqlite_garden, tmp_path / "share.json", "growing")
    assert written.shared == 1
    assert written.held_back == [{"name": "Yan Held", "why": "a reason"}]
    assert calls == [Stage.GROWING, Stage.GROWING]


def test_api_forget_without_confirm_names_its_parameter(site: Served) -> None:
    with site.api() as api:
        tom = api.post("/api/v1/people", json={"name": "Tom Becker"}).json()["id"]
        refused = api.delete(f"/api/v1/people/{tom}")
        assert refused.status_code == 400
        assert refused.json()["field"] == "confirm"
        assert "confirm=true" in refused.json()["error"]
        assert "--yes" not in refused.json()["error"]
        assert api.get(f"/api/v1/people/{tom}").status_code == 200
        assert api.delete(f"/api/v1/people/{tom}", params={"confirm": "true"}).status_code == 200


def test_the_person_page_records_their_asks_and_forgives_a_breach(site: Served) -> None:
    with browser(site) as (client, token):
        planted = client.post("/people", data={"csrf_token": token, "name": "Raj Patel"})
        assert planted.status_code in (200, 303)
        person_url = planted.headers.get("location") or "/people/1"
        person_id = re.search(r"/people/(\d+)", person_url)
        assert person_id
        base = f"/people/{person_id.group(1)}"
        answer = client.post(f"{base}/breach", data={"csrf_token": token, "what": "shared my deck"})
        assert answer.status_code == 303
        page = client.get(base).text
        assert 'action="' + base + '/forgive"' in page
        answer = client.post(f"{base}/forgive", data={"csrf_token": token, "what": "apologised"})
        assert answer.status_code == 303
        page = client.get(base).text
        assert "made right" in page and "apologised" in page
        assert 'action="' + base + '/forgive"' not in page  # nothing left open
        answer = client.post(
            f"{base}/asked", data={"csrf_token": token, "what": "a demo", "pitch": "true"}
        )
        assert answer.status_code == 303
        assert (
            "they pitched: a demo (before the relationship could carry it)" in client.get(base).text
        )
        refused = client.post(f"{base}/forgive", data={"csrf_token": token, "what": "again"})
        assert refused.status_code == 422


def test_pruning_from_the_weed_page_lands_back_on_it_with_context_apart(site: Served) -> None:
    with browser(site) as (client, token):
        planted = client.post("/people", data={"csrf_token": token, "name": "Greg Wolfe"})
        found = re.search(r"/people/(\d+)", planted.headers.get("location", ""))
        assert found
        pid = found.group(1)
        for days in ("100 days ago", "60 days ago", "30 days ago"):
            client.post(
                f"/people/{pid}/log",
                data={"csrf_token": token, "kind": "email", "on": days, "unanswered": "true"},
            )
        page = client.get("/weed").text
        assert "3 outreaches unanswered in a row" in page
        assert "The rest of the picture" in page
        pruned = client.post(
            f"/people/{pid}/prune", data={"csrf_token": token, "reason": "silent", "back": "weed"}
        )
        assert pruned.status_code == 303
        assert pruned.headers["location"] == f"/weed?pruned={pid}"
        assert "Greg Wolfe can be restored below" in client.get(pruned.headers["location"]).text
        elsewhere = client.post(
            f"/people/{pid}/restore", data={"csrf_token": token, "back": "https://evil.example"}
        )
        assert elsewhere.headers["location"].startswith(f"/people/{pid}")
