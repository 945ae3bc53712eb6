"""A person using the web app in real headless Chromium (Debian's package, via Playwright).

One scenario, kept short: seed, log a meeting and watch the feed change, a pitch refused,
a weed pruned, a vCard imported, and the dashboard on a phone. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:  # playwright loads in the fixture, once chromium is known to be there
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required under CI=true (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def site(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    yield from serve(sqlite_url, tmp_path)


def test_a_day_in_the_garden(browser: Browser, site: Served, corpus: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    # Seed Ana, met two months ago and never contacted since: she is due in the feed.
    page.goto(f"{site.url}/people")
    page.get_by_text("Plant a seed").click()
    page.get_by_label("Name").fill("Ana Ruiz")
    page.get_by_label("Where you met").fill("PyCon")
    page.get_by_label("When (YYYY-MM-DD, today, yesterday)").fill("2026-09-20")
    page.get_by_role("button", name="Plant").click()
    page.get_by_text("Planted.").wait_for()
    ana_url = page.url.split("?")[0]
    page.goto(f"{site.url}/")
    assert page.locator("#feed").get_by_text("Ana Ruiz").count() == 1

    # Log a meeting she asked for: she is fed, and leaves today's feed.
    page.goto(ana_url)
    page.locator("summary", has_text="Log a contact").click()  # the actions are folded
    page.locator("#log").get_by_label("Kind").select_option("meeting")
    page.get_by_label("Who reached out").select_option("them")
    page.locator("#log").get_by_role("button", name="Log").click()
    page.get_by_text("Interaction logged.").wait_for()
    assert page.locator(".timeline").get_by_text("meeting by them").count() == 1
    page.goto(f"{site.url}/")
    assert page.locator("#feed").get_by_text("Ana Ruiz").count() == 0

    # A premature pitch is refused before anything is recorded (htmx swaps the verdict in).
    page.goto(ana_url)
    page.get_by_label("What you want to ask for (or sell)").fill("buy my course")
    page.get_by_label("it is a pitch").check()
    page.locator("#ask").get_by_role("button", name="Check").click()
    page.get_by_text("Not yet: this ask would be premature.").wait_for()
    assert page.locator("#ask-result").get_by_text("Give first:").count() == 1
    page.screenshot(path=str(ARTIFACTS / "ask-refused.png"), full_page=True)

    # A breach makes Tom a weed; pruning him from the weed page archives him.
    page.goto(f"{site.url}/people")
    page.get_by_text("Plant a seed").click()
    page.get_by_label("Name").fill("Tom Becker")
    page.get_by_role("button", name="Plant").click()
    page.locator("summary", has_text="A breach of trust").click()
    page.get_by_label("What happened").fill("shared my deck without asking")
    page.get_by_role("button", name="Record breach").click()
    page.get_by_text("Breach recorded.").wait_for()
    page.goto(f"{site.url}/weed")
    page.get_by_role("button", name="Prune Tom Becker").click()
    page.get_by_text("Pruned: archived, history kept.").wait_for()
    page.goto(f"{site.url}/weed")
    assert page.get_by_role("button", name="Restore Tom Becker").count() == 1

    # A vCard from the corpus: previewed first (nothing written), then imported.
    page.goto(f"{site.url}/import")
    page.get_by_label("Format").select_option("vcard")
    page.get_by_label("File").set_input_files(str(corpus / "vcard" / "aosp-v21-multiple-entry.vcf"))
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_text("nothing written yet").wait_for()
    assert "3 to add" in page.locator("#import-report").inner_text()
    page.get_by_role("button", name="Import it").click()
    page.get_by_text("Imported aosp-v21-multiple-entry.vcf").wait_for()
    page.goto(f"{site.url}/people")
    assert page.get_by_text("4 people").count() == 1  # Ana and 3 imported; Tom is pruned

    # The dashboard on a phone: nothing wider than the screen, the charts drawn.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    mobile.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    mobile.goto(f"{site.url}/")
    mobile.wait_for_function("document.querySelector('#chart-funnel').width > 0")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    mobile.keyboard.press("Tab")
    assert mobile.evaluate("document.activeElement.textContent") == "Skip to content"
    mobile.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    phone.close()
    context.close()
    assert problems == []  # no script error and no Content-Security-Policy violation
