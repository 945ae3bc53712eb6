"""A networker's morning in the web app, in Chromium at 1280 px and on a 390 px phone.

On the demo garden: open the dashboard, capture a new contact with the quick box, mark two
feed items done, open a person, edit their phone in place, check an ask, prune a weed from
/weed and land back there. Every page is screenshotted at both sizes into
test-artifacts/morning/ (not committed; the README's two screenshots are copied from there)
and the layout facts the screenshots show are asserted: nothing scrolls sideways, the
person's email is above the fold, and the feed's actions answer to the keyboard.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kith.app.demo import load_demo
from kith.app.garden import open_garden
from tests.conftest import TODAY
from tests.e2e.test_web_browser import ARTIFACTS, browser
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the fixture, shared with the other browser tests

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SHOTS = Path(os.environ.get("KITH_SCREENSHOTS", ARTIFACTS)) / "morning"


@pytest.fixture
def demo(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    for served in serve(sqlite_url, tmp_path):
        opened = open_garden(served.settings, TODAY)
        load_demo(opened)
        opened.engine.dispose()
        yield served


class Morning:
    """The page of one morning, with the checks every screen gets."""

    def __init__(self, page: Page, size: str, height: int) -> None:
        self.page = page
        self.size = size
        self.height = height

    def look(self, name: str) -> None:
        """Screenshot the screen as it is, and check nothing scrolls sideways."""
        self.page.screenshot(path=str(SHOTS / f"{name}-{self.size}.png"), caret="initial")
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {self.size}"

    def settled(self) -> None:
        """Wait until htmx has swapped and settled."""
        busy = self.page.locator(".htmx-request, .htmx-settling, .htmx-added, .htmx-swapping")
        busy.first.wait_for(state="detached")


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_a_morning_in_the_garden(browser: Browser, demo: Served, size: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)  # a busy machine is slow; nothing here is timed
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "422" not in m.text else None,
    )
    morning = Morning(page, size, height)

    # The dashboard: today's feed, with the quick box on top.
    page.goto(f"{demo.url}/")
    morning.look("dashboard")
    feed = page.locator("#feed .feed-item")
    due = feed.count()
    assert due >= 3

    # Capture someone met yesterday evening, previewed before it is saved.
    page.get_by_label("What happened?").fill("met Ana Ruiz at PyCon, talked about climbing")
    page.get_by_role("button", name="Preview").click()
    page.locator(".quick-preview").wait_for()
    morning.settled()
    assert "Ana Ruiz" in page.locator(".quick-preview").inner_text()
    morning.look("quick-preview")
    page.locator(".quick-preview").get_by_role("button", name="Save").click()
    page.locator(".quick-preview.saved").wait_for()
    morning.settled()
    morning.look("quick-saved")

    # Two people fed: the first Done by mouse, the second from the keyboard.
    first, second = (feed.nth(n).locator(".feed-who a").inner_text() for n in (0, 1))
    page.get_by_role("button", name=f"Done: {first}").click()
    page.locator("#feed .feed-item.done").first.wait_for()
    morning.settled()
    page.get_by_role("button", name=f"Done: {second}").focus()
    page.keyboard.press("Enter")
    page.locator("#feed .feed-item.done").nth(1).wait_for()
    morning.settled()
    morning.look("feed-done")
    page.reload()
    names = page.locator("#feed .feed-who a").all_inner_texts()
    assert first not in names and second not in names

    # Maya's page: how to reach her above the fold, a phone added in place.
    page.goto(f"{demo.url}/people")
    page.get_by_role("link", name="Maya Okafor", exact=True).first.click()
    page.wait_for_url("**/people/*")
    email = page.locator("#details a[href^='mailto:']").first
    box = email.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, "email below the fold"
    morning.look("person")
    page.get_by_role("link", name="Add phones").click()
    page.locator("#edit-phones-new").wait_for()
    morning.settled()
    page.locator("#edit-phones-new").fill("+44 20 7946 0958")
    page.locator("#edit-phones").get_by_role("button", name="Save").click()
    page.locator("#details a[href='tel:+442079460958']").wait_for()
    morning.settled()

    # Before asking Maya for an introduction, check it: she is a trusted tie.
    page.locator("#ask-what").fill("an introduction to her head of data")
    page.locator("#ask").get_by_role("button", name="Check").click()
    page.locator("#ask-result .verdict").wait_for()
    morning.settled()
    verdict = page.locator("#ask-result .verdict").inner_text()
    assert "Ready to ask." in verdict or "Not yet" in verdict
    morning.look("person-ask")

    # Weed: prune the first candidate, and land back on the weed list.
    page.goto(f"{demo.url}/weed")
    morning.look("weed")
    prune = page.get_by_role("button", name="Prune ").first
    weed_name = prune.inner_text().removeprefix("Prune ")
    prune.click()
    page.wait_for_url("**/weed*")
    assert page.get_by_role("button", name=f"Prune {weed_name}").count() == 0
    pruned = page.get_by_role("region", name="Pruned")
    assert weed_name in pruned.inner_text()
    morning.look("weed-pruned")

    for path in ("/people", "/network", "/intros", "/import", "/share"):
        page.goto(f"{demo.url}{path}")
        morning.look(path.strip("/"))
    assert problems == []
    context.close()
