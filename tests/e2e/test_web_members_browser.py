"""A member of a group logs in in Chromium, sees only their own garden, gets a token, leaves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.e2e.test_web_browser import browser
from tests.integration._members import Group, bearer, make_group
from tests.integration._web import settings_for
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["browser"]  # the fixture, shared with the other browser tests
pytestmark = pytest.mark.postgres


@pytest.fixture
def group_site(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Served, Group]]:
    group = make_group(settings_for(postgres_url, tmp_path), "ana", "bob")
    for site in serve(postgres_url, tmp_path):
        with httpx.Client(base_url=site.url) as api:
            for login, name in (("ana", "Teresa Anaonly"), ("bob", "Rui Bobonly")):
                made = api.post(
                    "/api/v1/people", json={"name": name}, headers=bearer(group.members[login])
                )
                assert made.status_code == 201
        yield site, group


def test_a_member_logs_in_sees_their_garden_makes_a_token_and_logs_out(
    browser: Browser, group_site: tuple[Served, Group]
) -> None:
    site, group = group_site
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/people")
    assert page.url.endswith("/login")
    page.fill("#login", "bob")
    page.fill("#password", "a wrong passphrase")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Wrong login or password."
    page.fill("#login", "bob")
    page.fill("#password", group.members["bob"].password)
    page.click("button[type=submit]")
    page.goto(f"{site.url}/people")
    assert "Rui Bobonly" in page.content()
    assert "Teresa Anaonly" not in page.content()
    page.click("text=Account")
    page.click("text=Make a new token")
    token = page.locator("#new-token").inner_text()
    answer = httpx.get(f"{site.url}/api/v1/people", headers={"Authorization": f"Bearer {token}"})
    assert [p["name"] for p in answer.json()] == ["Rui Bobonly"]
    page.click("text=Log out")
    assert page.url.endswith("/login")
    page.goto(f"{site.url}/people")
    assert page.url.endswith("/login")
    context.close()
