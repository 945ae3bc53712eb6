"""The API on people: a duplicate seed refused with who is there, `new`, and suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_api_actions import Served, serve


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(database_url, tmp_path)


def test_a_duplicate_seed_is_409_with_who_is_there_unless_new(served: Served) -> None:
    with served.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana Ruiz", "emails": ["ana@example.org"]})
        assert ana.status_code == 201
        again = api.post("/api/v1/people", json={"name": "ana ruiz"})
        assert again.status_code == 409
        assert again.json() == {
            "error": "name: Ana Ruiz is already in your garden (#1, ana@example.org); "
            'send "new": true if this is another person of the same name',
            "field": "name",
            "candidates": [{"id": 1, "name": "Ana Ruiz"}],
        }
        twin = api.post("/api/v1/people", json={"name": "Ana Ruiz", "new": True})
        assert twin.status_code == 201 and twin.json()["id"] == 2
        assert len(api.get("/api/v1/people").json()) == 2


def test_an_email_already_there_is_409_even_with_new(served: Served) -> None:
    with served.api() as api:
        api.post("/api/v1/people", json={"name": "Ana Ruiz", "emails": ["ana@example.org"]})
        body = {"name": "Ana Ruiz", "new": True, "emails": ["Ana@Example.org"]}
        refused = api.post("/api/v1/people", json=body)
        assert refused.status_code == 409
        assert refused.json()["field"] == "email"
        assert refused.json()["error"] == "email: ana@example.org already belongs to Ana Ruiz (#1)"
        assert len(api.get("/api/v1/people").json()) == 1


def test_an_unknown_via_suggests_the_closest_name(served: Served) -> None:
    with served.api() as api:
        api.post("/api/v1/people", json={"name": "Frank Osei"})
        missed = api.post("/api/v1/people", json={"name": "Noah Kim", "via": "Frnak"})
        assert missed.status_code == 404
        assert missed.json()["candidates"] == [{"id": 1, "name": "Frank Osei"}]
        assert "did you mean Frank Osei?" in missed.json()["error"]
        found = api.post("/api/v1/people", json={"name": "Noah Kim", "via": "Fran"})
        assert found.status_code == 201 and found.json()["via"] == "Frank Osei"


def test_edit_removes_emails_phones_and_links(served: Served) -> None:
    with served.api() as api:
        body = {"name": "Ana Ruiz", "emails": ["ana@example.org"], "phones": ["+44 20 7946 0958"]}
        ana = api.post("/api/v1/people", json=body).json()["id"]
        change = {"remove_emails": ["ana@example.org"], "remove_phones": ["+442079460958"]}
        edited = api.patch(f"/api/v1/people/{ana}", json=change)
        assert edited.status_code == 200
        assert (edited.json()["emails"], edited.json()["phones"]) == ([], [])
        again = api.patch(f"/api/v1/people/{ana}", json={"remove_links": ["example.org/ana"]})
        assert again.status_code == 400 and again.json()["field"] == "remove-link"


def test_a_birthday_is_seeded_edited_and_refused_when_not_a_date(served: Served) -> None:
    with served.api() as api:
        body = {"name": "Ana Ruiz", "birthday": "1990-05-01", "met": "PyCon", "cadence": 30}
        ana = api.post("/api/v1/people", json=body)
        assert ana.status_code == 201
        shown = ana.json()
        assert (shown["birthday"], shown["met_where"], shown["cadence_days"]) == (
            "1990-05-01",
            "PyCon",
            30,
        )
        bad = api.patch(f"/api/v1/people/{shown['id']}", json={"birthday": "May 1"})
        assert bad.status_code == 400 and bad.json()["field"] == "birthday"
        cleared = api.patch(f"/api/v1/people/{shown['id']}", json={"clear_birthday": True})
        assert cleared.json()["birthday"] is None
        assert api.post("/api/v1/people", json={"name": "Bo", "uid": "x"}).status_code == 422
