"""The dashboard's quick-capture box in headless Chromium, on a wide screen and on a phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.test_web_browser import ARTIFACTS, browser, site  # noqa: F401 - the fixtures

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.integration.test_api_actions import Served


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_contact_is_captured_with_the_box(
    browser: Browser,  # noqa: F811 - the fixture imported above
    site: Served,  # noqa: F811
    width: int,
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 500, has_touch=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []  # a CSP violation is a console error
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{site.url}/")
    page.get_by_label("What happened?").fill("met Zoe Park at PyCon, talked about climbing")
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Plant Zoe Park as a new seed met at PyCon").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"quick-capture-preview-{width}.png"), full_page=True)

    page.get_by_role("button", name="Save").click()
    page.get_by_text("Planted Zoe Park as a new seed").wait_for()
    page.get_by_role("link", name="Open Zoe Park").click()
    page.get_by_role("heading", name="Zoe Park").wait_for()
    assert page.get_by_text("PyCon").count() >= 1

    # Someone now known: the same box logs a contact instead.
    page.goto(f"{site.url}/")
    page.get_by_label("What happened?").fill("coffee with Zoe yesterday")
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Log a meeting with Zoe Park").wait_for()
    assert problems == []
    context.close()
