"""The person page's in-place edits, forms that keep what was typed, bulk tagging, and the
HTTP edges the notes listed (HEAD /, a malformed JSON body), against a real server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_api_actions import Served, serve
from tests.integration.test_web_pages import browser

HTMX = {"HX-Request": "true"}


@pytest.fixture
def site(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(sqlite_url, tmp_path)


def _plant(site: Served, name: str, **fields: object) -> int:
    with site.api() as api:
        person_id: int = api.post("/api/v1/people", json={"name": name, **fields}).json()["id"]
        return person_id


def _person(site: Served, person_id: int) -> dict[str, object]:
    with site.api() as api:
        found: dict[str, object] = api.get(f"/api/v1/people/{person_id}").json()
        return found


def test_a_detail_edited_in_place_swaps_only_the_card_with_htmx(site: Served) -> None:
    ana = _plant(site, "Ana Ruiz", emails=["ana@example.org"])
    with browser(site) as (client, token):
        card = client.get(f"/people/{ana}/details?edit=phones", headers=HTMX)
        assert card.status_code == 200 and "<html" not in card.text
        assert 'id="edit-phones"' in card.text and 'hx-post="/people/' in card.text
        saved = client.post(
            f"/people/{ana}/contacts/phones",
            data={"csrf_token": token, "value": ["", "+44 20 7946 0958"]},
            headers=HTMX,
        )
        assert saved.status_code == 200 and "<html" not in saved.text
        assert '<a href="tel:+442079460958">+44 20 7946 0958</a>' in saved.text
        assert 'id="edit-phones"' not in saved.text
        assert 'role="status" tabindex="-1" autofocus>Saved.</p>' in saved.text
        refused = client.post(
            f"/people/{ana}/field/birthday",
            data={"csrf_token": token, "value": "soon"},
            headers=HTMX,
        )
        assert refused.status_code == 422 and "<html" not in refused.text
        assert 'value="soon"' in refused.text and 'id="details-birthday-error"' in refused.text
    assert _person(site, ana)["phones"] == ["+44 20 7946 0958"]
    assert _person(site, ana)["birthday"] is None


def test_a_detail_edits_without_js_by_plain_page_loads(site: Served) -> None:
    ana = _plant(site, "Ana Ruiz", emails=["ana@example.org"], company="Acme")
    with browser(site) as (client, token):
        page = client.get(f"/people/{ana}?edit=company").text
        assert '<form method="post" action="/people/' + str(ana) + '/field/company"' in page
        assert 'value="Acme"' in page
        saved = client.post(
            f"/people/{ana}/field/company", data={"csrf_token": token, "value": "Globex"}
        )
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/people/{ana}?saved=details#details"
        # The emails as listed: a blanked one goes, a new one comes, in one transaction.
        swapped = client.post(
            f"/people/{ana}/contacts/emails",
            data={"csrf_token": token, "value": ["", "ana@globex.example"]},
        )
        assert swapped.status_code == 303
        taken = _plant(site, "Bea Chen", emails=["bea@example.org"])
        clash = client.post(
            f"/people/{ana}/contacts/emails",
            data={"csrf_token": token, "value": ["ana@globex.example", "bea@example.org"]},
        )
        assert clash.status_code == 422 and "<html" in clash.text
        assert 'id="details-emails-error"' in clash.text and 'value="bea@example.org"' in clash.text
        odd = client.post(f"/people/{ana}/field/name", data={"csrf_token": token, "value": "x"})
        assert odd.status_code == 422
        no_token = client.post(f"/people/{ana}/field/company", data={"value": "Initech"})
        assert no_token.status_code in (400, 403)
    shown = _person(site, ana)
    assert (shown["company"], shown["emails"]) == ("Globex", ["ana@globex.example"])
    assert _person(site, taken)["emails"] == ["bea@example.org"]


def test_a_refused_form_shows_what_was_typed_not_the_default(site: Served) -> None:
    ana = _plant(site, "Ana Ruiz")
    with browser(site) as (client, token):
        fields = {"what": "a CV review", "kind": "referral", "weight": "9", "on": "2026-11-01"}
        refused = client.post(f"/people/{ana}/give", data={"csrf_token": token, **fields})
        assert refused.status_code == 422
        form = refused.text.split('id="give-box"', 1)[1].split("</details>", 1)[0]
        assert " open>" in form.split("\n", 1)[0]  # the form is unfolded to show the error
        assert 'name="weight" type="number" min="1" max="5" value="9"' in form
        assert 'value="a CV review"' in form and "<option selected>referral</option>" in form
        assert 'id="give-weight-error"' in form
        logged = client.post(
            f"/people/{ana}/log",
            data={"csrf_token": token, "kind": "call", "by": "them", "on": "someday"},
        )
        form = logged.text.split('id="log-box"', 1)[1].split("</details>", 1)[0]
        assert "<option selected>call</option>" in form
        assert "<option selected>them</option>" in form and 'value="someday"' in form


def test_bulk_tagging_adds_one_tag_to_everyone_chosen_or_no_one(site: Served) -> None:
    ana, bea = _plant(site, "Ana Ruiz"), _plant(site, "Bea Chen", interests=["climbing"])
    with browser(site) as (client, token):
        tagged = client.post(
            "/people/bulk",
            data={
                "csrf_token": token,
                "action": "tag",
                "tag_kind": "interest",
                "tag": "Climbing",
                "ids": [str(ana), str(bea)],
            },
        )
        assert tagged.status_code == 200
        assert "Added interest Climbing to 2 people." in tagged.text
        none = client.post(
            "/people/bulk", data={"csrf_token": token, "action": "tag", "tag": "jazz"}
        )
        assert none.status_code == 422 and "choose at least one person" in none.text
        blank = {"csrf_token": token, "action": "tag", "tag": " ", "ids": [str(ana)]}
        assert client.post("/people/bulk", data=blank).status_code == 422
        odd = {"csrf_token": token, "action": "tag", "tag_kind": "hobby", "tag": "x", "ids": "1"}
        assert client.post("/people/bulk", data=odd).status_code == 422
        missing = {"csrf_token": token, "action": "tag", "tag": "jazz", "ids": [str(ana), "999"]}
        assert client.post("/people/bulk", data=missing).status_code == 422
    assert _person(site, ana)["interests"] == ["Climbing"]
    assert _person(site, bea)["interests"] == ["climbing"]  # already there, kept as it was


def test_head_of_the_dashboard_answers_200(site: Served) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        assert client.head("/").status_code == 200


def test_a_malformed_json_body_gets_kiths_error_shape(site: Served) -> None:
    with site.api() as api:
        answer = api.post(
            "/api/v1/people", content=b'{"name": ', headers={"content-type": "application/json"}
        )
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] == "body" and body["error"].startswith("body: not valid JSON")
    assert "detail" not in body


def test_the_import_page_shows_upload_progress_from_a_static_script(site: Served) -> None:
    with browser(site) as (client, _):
        page = client.get("/import").text
        assert '<script src="/static/import.js" defer></script>' in page
        assert re.search(r'<progress id="import-progress" max="100" value="0">', page)
        assert 'hx-encoding="multipart/form-data"' in page
        assert "htmx:xhr:progress" in client.get("/static/import.js").text
