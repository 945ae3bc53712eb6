"""A member of a group in Chromium: the directory, a shared contact, a warm path, an intro.

Ana finds Maya (shared by Carl) through Bob and Carl, asks for an introduction; Bob says yes
in his inbox. Each group page is checked by axe at 1280 and 390 px, and shot into /tmp.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.test_web_accessibility import BLOCKING, _described, _violations, axe_source
from tests.e2e.test_web_browser import browser
from tests.integration._group_web import Lisbon, lisbon
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["axe_source", "browser"]  # the fixtures, shared with the other browser tests
pytestmark = pytest.mark.postgres
PAGES = ("/group", "/group/shared", "/group/paths?target=offers:fundraising", "/group/requests")
SHOTS = Path("/tmp/kith-group-shots")


@pytest.fixture
def group_site(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Served, Lisbon]]:
    with lisbon(postgres_url, tmp_path) as world:
        for site in serve(postgres_url, tmp_path):
            yield site, world


def _log_in(page: Page, site: Served, world: Lisbon, login: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#login", login)
    page.fill("#password", world.member(login).password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_member_finds_a_warm_path_asks_for_an_intro_and_the_first_hop_says_yes(
    browser: Browser, group_site: tuple[Served, Lisbon]
) -> None:
    site, world = group_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, site, world, "ana")
    page.click("header >> text=Group")
    assert page.url.endswith("/group")
    page.click("text=Publish offers")
    page.locator("text=Hide offers").wait_for()  # the form posted, and the page came back
    page.click("nav[aria-label=Group] >> text=Shared")
    page.locator("text=Known to carl").wait_for()
    page.click("nav[aria-label=Group] >> text=Warm paths")
    page.fill("#path-target", "offers:fundraising")
    page.click("text=Find paths")
    assert page.locator("li.hop").first.inner_text().startswith("ana knows bob")
    page.fill("#req-reason", "advice on a seed round")
    page.click("button:has-text('Request an intro')")
    page.wait_for_url(re.compile(r"/group/requests\?sent=\d+$"))
    assert "advice on a seed round" in page.content()
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, site, world, "bob")
    page.goto(f"{site.url}/group/requests")
    assert "ana asks you to introduce them to carl" in page.content()
    page.fill("input[name=note]", "ana is great")
    _shot(page, "requests-390-bob")
    page.click("text=Yes, accept")
    assert "forwarded to carl" in page.locator("[role=status]").inner_text()
    context.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_group_pages_have_no_serious_accessibility_violation(
    browser: Browser, group_site: tuple[Served, Lisbon], axe_source: str, width: int
) -> None:
    site, world = group_site
    world.ok("ana", "POST", "/group/requests", json={"target": "carl", "reason": "a chat"})
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, site, world, "bob")  # bob has a request waiting on him
    problems: list[str] = []
    for path in PAGES:
        answer = page.goto(f"{site.url}{path}")
        assert answer is not None and answer.status == 200, path
        page.wait_for_load_state("networkidle")
        _shot(page, f"{path.strip('/').split('?')[0].replace('/', '-')}-{width}")
        blocking = [v for v in _violations(page, axe_source) if v["impact"] in BLOCKING]
        problems += [_described(path, f"{width} px", v) for v in blocking]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{path} scrolls sideways at {width} px ({wide} px wide)")
    context.close()
    assert problems == [], "\n".join(problems)
