"""The pages on people against a real server: the seed warning and the person's details."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_api_actions import Served, serve
from tests.integration.test_web_pages import browser


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(database_url, tmp_path)


def _names(site: Served) -> list[str]:
    with site.api() as api:
        return sorted(p["name"] for p in api.get("/api/v1/people").json())


def _person(site: Served, person_id: int) -> dict[str, object]:
    with site.api() as api:
        found: dict[str, object] = api.get(f"/api/v1/people/{person_id}").json()
        return found


def test_a_namesake_seed_warns_then_plants_on_the_second_button(site: Served) -> None:
    with site.api() as api:
        api.post("/api/v1/people", json={"name": "Ana Ruiz", "emails": ["ana@example.org"]})
    with browser(site) as (client, token):
        form = {"csrf_token": token, "name": "ana ruiz", "company": "Globex", "met": "a meetup"}
        warned = client.post("/people", data=form)
        assert warned.status_code == 409
        page = html.unescape(warned.text)
        assert 'role="alert" id="seed-duplicate"' in page
        assert '<a href="/people/1">Ana Ruiz</a> is already in your garden' in page
        assert "ana@example.org" in page
        assert 'name="new" value="true">Plant another person of this name' in page
        assert 'value="Globex"' in page and 'value="a meetup"' in page  # what was typed stays
        assert _names(site) == ["Ana Ruiz"]
        planted = client.post("/people", data=form | {"new": "true"}, follow_redirects=False)
        assert planted.status_code == 303 and planted.headers["location"].startswith("/people/2")
    assert _names(site) == ["Ana Ruiz", "ana ruiz"]
    assert _person(site, 2)["company"] == "Globex"


def test_a_seed_with_an_email_already_there_is_an_error_without_the_button(
    site: Served,
) -> None:
    with site.api() as api:
        api.post("/api/v1/people", json={"name": "Ana Ruiz", "emails": ["ana@example.org"]})
    with browser(site) as (client, token):
        form = {"csrf_token": token, "name": "Bea Chen", "email": "ANA@example.org", "new": "true"}
        refused = client.post("/people", data=form)
        assert refused.status_code == 422
        page = html.unescape(refused.text)
        assert 'id="seed-email-error"' in page
        assert "ana@example.org already belongs to Ana Ruiz (#1)" in page
        assert "Plant another person" not in page
    assert _names(site) == ["Ana Ruiz"]


def test_the_seed_form_takes_a_birthday_and_names_a_bad_one(site: Served) -> None:
    with browser(site) as (client, token):
        form = {"csrf_token": token, "name": "Bea Chen", "birthday": "May 1"}
        refused = client.post("/people", data=form)
        assert refused.status_code == 422
        page = html.unescape(refused.text)
        assert 'id="seed-birthday-error"' in page and 'value="May 1"' in page
        planted = client.post("/people", data=form | {"birthday": "1990-05-01"})
        assert planted.status_code in (200, 303)
    assert _names(site) == ["Bea Chen"]
    assert _person(site, 1)["birthday"] == "1990-05-01"


def test_the_person_page_shows_and_edits_contact_details(site: Served) -> None:
    with site.api() as api:
        body = {"name": "Ana Ruiz", "emails": ["ana@example.org"], "company": "Acme"}
        ana = api.post("/api/v1/people", json=body | {"birthday": "1990-05-01"}).json()["id"]
        api.post("/api/v1/people", json={"name": "Bea Chen", "emails": ["bea@example.org"]})
    with browser(site) as (client, token):
        page = client.get(f"/people/{ana}").text
        assert re.search(r"<dt>Birthday</dt>\s*<dd><span class=\"values\">1990-05-01<", page)
        assert '<a href="mailto:ana@example.org">ana@example.org</a>' in page
        assert 'aria-label="Edit emails"' in page and 'aria-label="Add phones"' in page
        add = {
            "csrf_token": token,
            "email": "ana@work.example",
            "phone": "+44 20 7946 0958",
            "link": "https://www.linkedin.com/in/ana-ruiz/",
        }
        added = client.post(f"/people/{ana}/contacts/add", data=add, follow_redirects=True)
        assert added.status_code == 200 and "Contact details saved." in added.text
        assert 'href="https://www.linkedin.com/in/ana-ruiz/"' in added.text
        note = {"csrf_token": token, "company": "Acme", "title": "CTO", "note": "two kids\n<b>"}
        client.post(f"/people/{ana}/details", data=note | {"birthday": "1990-05-02"})
        shown = _person(site, ana)
        assert shown["birthday"] == "1990-05-02"
        assert shown["emails"] == ["ana@example.org", "ana@work.example"]
        assert shown["phones"] == ["+44 20 7946 0958"] and shown["title"] == "CTO"
        assert shown["note"] == "two kids\n<b>"
        page = client.get(f"/people/{ana}").text
        assert "two kids\n&lt;b&gt;" in page and "<b>" not in page  # escaped
        remove = {"csrf_token": token, "kind": "phone", "value": "+44 20 7946 0958"}
        assert client.post(f"/people/{ana}/contacts/remove", data=remove).status_code == 303
        remove = {"csrf_token": token, "kind": "email", "value": "ana@example.org"}
        client.post(f"/people/{ana}/contacts/remove", data=remove)
        shown = _person(site, ana)
        assert (shown["emails"], shown["phones"]) == (["ana@work.example"], [])
        blank = {"csrf_token": token, "company": "", "title": "", "note": ""}
        client.post(f"/people/{ana}/details", data=blank)
        assert (_person(site, ana)["company"], _person(site, ana)["note"]) == (None, None)
        assert _person(site, ana)["birthday"] is None


def test_contact_edits_that_fail_say_why_beside_the_field(site: Served) -> None:
    with site.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana Ruiz"}).json()["id"]
        api.post("/api/v1/people", json={"name": "Bea Chen", "emails": ["bea@example.org"]})
    with browser(site) as (client, token):
        taken = client.post(
            f"/people/{ana}/contacts/add", data={"csrf_token": token, "email": "bea@example.org"}
        )
        assert taken.status_code == 422
        assert re.search(
            r'id="contacts-email-error"[^>]*>bea@example.org already belongs', taken.text
        )
        bad = client.post(f"/people/{ana}/contacts/add", data={"csrf_token": token, "phone": "x"})
        assert bad.status_code == 422 and 'id="contacts-phone-error"' in bad.text
        empty = client.post(f"/people/{ana}/contacts/add", data={"csrf_token": token})
        assert empty.status_code == 422 and "type an email, a phone or a link" in empty.text
        gone = {"csrf_token": token, "kind": "email", "value": "nobody@example.org"}
        missing = client.post(f"/people/{ana}/contacts/remove", data=gone)
        assert missing.status_code == 422 and 'id="contacts-remove-email-error"' in missing.text
        odd = {"csrf_token": token, "kind": "fax", "value": "1"}
        assert client.post(f"/people/{ana}/contacts/remove", data=odd).status_code == 422
        no_token = client.post(f"/people/{ana}/contacts/add", data={"email": "a@example.org"})
        assert no_token.status_code in (400, 403)
    assert _person(site, ana)["emails"] == []


def test_pages_count_in_the_singular_for_one(site: Served) -> None:
    with site.api() as api:
        ana = api.post("/api/v1/people", json={"name": "Ana Ruiz", "cadence": 1}).json()["id"]
    with browser(site) as (client, _):
        assert re.search(r">\s*1 person\.", client.get("/people").text)
        assert "every 1 day" in client.get(f"/people/{ana}").text
