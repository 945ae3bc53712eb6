"""The rest of the JSON API: me, starters, intros, merge, export, import, capture and pair.

On SQLite and PostgreSQL, through a real server (the `serve` fixture of test_api_actions).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kith.app.demo import load_demo
from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY
from tests.integration.test_api_actions import Served, serve

MEMBERS = """id,name,interests,needs,offers
a1,Ann Lee,rock climbing; jazz,,UX design
b2,Ben Ode,rock climbing,legal advice,
c3,Cy Park,jazz; chess,,
d4,Di Roy,chess,,
"""
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Quinn\r\nEMAIL:zoe@example.org\r\nEND:VCARD\r\n"
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:coffee-1@example.org\r\nDTSTART;VALUE=DATE:20240102\r\nSUMMARY:Coffee\r\n"
    "ORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:ana@example.org\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(database_url, tmp_path)


@pytest.fixture
def demo_site(database_url: str, tmp_path: Path) -> Iterator[Served]:
    opened = open_garden(Settings(database_url=database_url), TODAY)
    load_demo(opened)
    opened.engine.dispose()
    yield from serve(database_url, tmp_path)


def _seed(api: httpx.Client, name: str, **fields: object) -> int:
    made = api.post("/api/v1/people", json={"name": name, **fields})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_me_and_starters(served: Served) -> None:
    with served.api() as api:
        assert api.get("/api/v1/me").json()["interests"] == []
        body = {"interests": ["rock climbing", "jazz"], "offers": ["CV reviews"]}
        me = api.patch("/api/v1/me", json=body)
        assert me.status_code == 200
        assert set(me.json()["interests"]) == {"rock climbing", "jazz"}
        dropped = api.patch("/api/v1/me", json={"remove": ["jazz"]}).json()
        assert dropped["interests"] == ["rock climbing"]
        assert dropped["offers"] == ["CV reviews"]
        assert api.get("/api/v1/me").json() == dropped
        assert api.patch("/api/v1/me", json={"hobbies": ["x"]}).status_code == 422

        ana = _seed(api, "Ana Ruiz", interests=["rock climbing"])
        found = api.get(f"/api/v1/people/{ana}/starters").json()
        assert found["name"] == "Ana Ruiz"
        assert found["shared_interests"] == ["rock climbing"]
        assert found["starters"]
        assert api.get("/api/v1/people/999999/starters").status_code == 404


def test_intro_suggestions_start_step_and_list(demo_site: Served) -> None:
    with demo_site.api() as api:
        found = api.get("/api/v1/intros/suggestions", params={"limit": 3})
        assert found.status_code == 200
        assert 1 <= len(found.json()) <= 3
        best = found.json()[0]
        body = {"a_id": best["a_id"], "b_id": best["b_id"], "why": best["why"]}
        started = api.post("/api/v1/intros", json=body)
        assert started.status_code == 201, started.text
        intro = started.json()
        assert intro["state"] == "proposed"
        assert (intro["a"], intro["b"]) == (best["a"], best["b"])
        again = api.post("/api/v1/intros", json=body)
        assert again.status_code == 400
        assert "already have introduction" in again.json()["error"]

        stepped = api.post(f"/api/v1/intros/{intro['id']}/steps", json={"step": "asked-a"})
        assert stepped.status_code == 200
        assert "asked A" in stepped.json()["steps"]
        wrong = api.post(f"/api/v1/intros/{intro['id']}/steps", json={"step": "flew"})
        assert wrong.status_code == 400
        assert wrong.json()["field"] == "step"
        assert api.post("/api/v1/intros/999999/steps", json={"step": "made"}).status_code == 404
        listed = {i["id"]: i for i in api.get("/api/v1/intros").json()}
        assert listed[intro["id"]]["state"] == stepped.json()["state"]
        after = api.get("/api/v1/intros/suggestions").json()
        assert {(s["a_id"], s["b_id"]) for s in after}.isdisjoint({(best["a_id"], best["b_id"])})


def test_merge_moves_the_history_and_removes_the_duplicate(served: Served) -> None:
    with served.api() as api:
        ana = _seed(api, "Ana Ruiz")
        dup = _seed(api, "Ana R.", company="Acme", emails=["ana@example.org"])
        api.post(f"/api/v1/people/{dup}/interactions", json={"kind": "call"})
        merged = api.post(f"/api/v1/people/{ana}/merge", json={"other_id": dup})
        assert merged.status_code == 200, merged.text
        doc = merged.json()
        assert doc["kept"] == {"id": ana, "name": "Ana Ruiz"}
        assert doc["gone"] == {"id": dup, "name": "Ana R."}
        assert "company" in doc["filled"]
        assert api.get(f"/api/v1/people/{dup}").status_code == 404
        assert api.get(f"/api/v1/people/{ana}").json()["company"] == "Acme"
        same = api.post(f"/api/v1/people/{ana}/merge", json={"other_id": ana})
        assert same.status_code == 400
        assert same.json()["field"] == "person"


def test_export_each_kind_as_a_download(served: Served) -> None:
    with served.api() as api:
        _seed(api, "Ana Ruiz", emails=["ana@example.org"], note="private")
        vcard = api.get("/api/v1/export/vcard", params={"version": "3.0"})
        assert vcard.status_code == 200
        assert vcard.headers["content-type"].startswith("text/vcard")
        assert "attachment" in vcard.headers["content-disposition"]
        assert "FN:Ana Ruiz" in vcard.text
        assert "private" not in vcard.text
        table = api.get("/api/v1/export/csv", params={"notes": True})
        assert table.headers["content-type"].startswith("text/csv")
        assert "private" in table.text
        feed = api.get("/api/v1/export/ics")
        assert feed.headers["content-type"].startswith("text/calendar")
        assert feed.text.startswith("BEGIN:VCALENDAR")
        backup = api.get("/api/v1/export/json")
        assert backup.headers["content-type"] == "application/json"
        assert [p["name"] for p in backup.json()["people"]] == ["Ana Ruiz"]
        assert api.get("/api/v1/export/pdf").status_code == 422


def test_import_a_dry_run_then_for_real_and_a_backup_round_trip(served: Served) -> None:
    with served.api() as api:
        upload = {"file": ("contacts.vcf", VCARD.encode(), "text/vcard")}
        dry = api.post("/api/v1/import", files=upload, data={"kind": "vcard", "dry_run": "true"})
        assert dry.status_code == 200, dry.text
        assert (dry.json()["added"], dry.json()["dry_run"]) == (1, True)
        assert api.get("/api/v1/people").json() == []
        done = api.post("/api/v1/import", files=upload, data={"kind": "vcard"})
        assert done.json()["added"] == 1
        assert [p["name"] for p in api.get("/api/v1/people").json()] == ["Zoe Quinn"]
        again = api.post("/api/v1/import", files=upload, data={"kind": "vcard"}).json()
        assert (again["added"], again["skipped"]) == (0, 1)

        backup = api.get("/api/v1/export/json").content
        restored = api.post(
            "/api/v1/import",
            files={"file": ("backup.json", backup, "application/json")},
            data={"kind": "json", "dry_run": "true"},
        )
        assert restored.status_code in (200, 400), restored.text
        share = api.post("/api/v1/import", files=upload, data={"kind": "share"})
        assert share.status_code == 400
        assert api.post("/api/v1/import", files=upload, data={"kind": "pdf"}).status_code == 422


@pytest.mark.parametrize("kind", ["vcard", "linkedin", "google", "outlook", "json", "share"])
def test_import_of_garbage_is_a_clean_error(served: Served, kind: str) -> None:
    garbage = {"file": ("x\x00y.bin", b"\xff\xfe\x00\x81garbage,\n\x00;;", "text/plain")}
    data = {"kind": kind, "sharer": "nobody"} if kind == "share" else {"kind": kind}
    with served.api() as api:
        answer = api.post("/api/v1/import", files=garbage, data=data)
    assert answer.status_code in (200, 400, 404), answer.text
    if answer.status_code != 200:
        assert answer.json()["error"]


def test_capture_an_uploaded_calendar(served: Served) -> None:
    with served.api() as api:
        ana = _seed(api, "Ana Ruiz", emails=["ana@example.org"])
        upload = {"file": ("cal.ics", ICS.encode(), "text/calendar")}
        data = {"kind": "ics", "me": "me@example.org"}
        dry = api.post("/api/v1/capture", files=upload, data={**data, "dry_run": "true"})
        assert dry.status_code == 200, dry.text
        assert (dry.json()["logged"], dry.json()["dry_run"]) == (1, True)
        done = api.post("/api/v1/capture", files=upload, data=data).json()
        assert (done["logged"], done["people"]) == (1, 1)
        assert api.post("/api/v1/capture", files=upload, data=data).json()["duplicates"] == 1
        timeline = api.get(f"/api/v1/people/{ana}").json()["timeline"]
        assert [(i["kind"], i["by"]) for i in timeline] == [("meeting", "me")]
        junk = {"file": ("m.mbox", b"\xff\x00not mail", "application/mbox")}
        assert api.post("/api/v1/capture", files=junk, data={"kind": "mbox"}).status_code in (
            200,
            400,
        )
        maildir = api.post("/api/v1/capture", files=upload, data={"kind": "maildir"})
        assert maildir.status_code == 422


def test_pair_returns_pairs_csv(served: Served) -> None:
    members = {"members": ("MEMBERS.csv", MEMBERS.encode(), "text/csv")}
    with served.api() as api:
        first = api.post("/api/v1/pair", files=members, data={"round": "1", "seed": "7"})
        assert first.status_code == 200, first.text
        assert first.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(first.text)))
        assert len(rows) == 2
        files = [
            ("members", ("MEMBERS.csv", MEMBERS.encode(), "text/csv")),
            ("previous", ("PAIRS-1.csv", first.content, "text/csv")),
        ]
        second = api.post("/api/v1/pair", files=files, data={"round": "2", "seed": "7"})
        assert second.status_code == 200, second.text
        pairs = {frozenset(r.values()) for r in csv.DictReader(io.StringIO(second.text))}
        assert pairs != {frozenset(r.values()) for r in rows}
        lonely = {"members": ("MEMBERS.csv", b"id,name,interests\na1,Ann,jazz\n", "text/csv")}
        refused = api.post("/api/v1/pair", files=lonely, data={"round": "1"})
        assert refused.status_code == 400
        assert "two members" in refused.json()["error"]
        junk = {"members": ("m.csv", b"\xff\xfe\x00\x81", "text/csv")}
        assert api.post("/api/v1/pair", files=junk, data={"round": "1"}).status_code == 400
        assert api.post("/api/v1/pair", files=members, data={"round": "0"}).status_code == 422


def test_new_operations_are_in_the_schema(served: Served) -> None:
    schema = httpx.get(f"{served.url}/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/me",
        "/api/v1/intros",
        "/api/v1/intros/suggestions",
        "/api/v1/intros/{intro_id}/steps",
        "/api/v1/people/{person_id}/starters",
        "/api/v1/people/{person_id}/merge",
        "/api/v1/export/{kind}",
        "/api/v1/import",
        "/api/v1/capture",
        "/api/v1/pair",
    ):
        assert path in paths, path
    assert "text/calendar" in paths["/api/v1/export/{kind}"]["get"]["responses"]["200"]["content"]
    assert schema["components"]["schemas"]["MeIn"]["examples"]
    assert json.dumps(schema)  # serialisable as a whole


def test_the_api_takes_what_the_cli_takes_and_refuses_what_it_refuses(served: Served) -> None:
    """The seed's schema limits come from core.limits, the rule of every door."""
    with served.api() as api:
        long_note = "n" * 50_000  # within the note's cap (100,000), beyond other text's
        assert _seed(api, "Ana Ruiz", note=long_note) > 0
        many = [f"topic {n}" for n in range(201)]  # one more than a person's list may hold
        refused = api.post("/api/v1/people", json={"name": "Noah Kim", "interests": many})
        assert refused.status_code == 422
        assert "interests" in refused.text
        names = [p["name"] for p in api.get("/api/v1/people").json()]
        assert names == ["Ana Ruiz"]
