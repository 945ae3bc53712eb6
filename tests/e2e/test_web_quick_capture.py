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


@pytest.mark.parametrize("width", [1280, 390])
def test_the_feed_is_compact_rows_with_actions_inline(
    browser: Browser,  # noqa: F811 - the fixture imported above
    site: Served,  # noqa: F811
    width: int,
) -> None:
    with site.api() as api:  # met two months ago and never since: due today
        assert api.post("/api/v1/people", json={"name": "Ana Ruiz", "on": "2026-09-20"}).is_success
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{site.url}/")
    row = page.locator("#feed li").first
    name = row.get_by_role("link", name="Ana Ruiz").bounding_box()
    done = row.get_by_role("button", name="Done: Ana Ruiz").bounding_box()
    box = row.bounding_box()
    assert name and done and box
    if width >= 760:  # one row: the button beside the name, the row one or two lines tall
        assert done["y"] < name["y"] + name["height"] and box["height"] < 100
    else:
        assert box["height"] < 260
    assert done["height"] >= 44  # a tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # From the keyboard: the Done button takes focus and Enter marks it done in place.
    row.get_by_role("button", name="Done: Ana Ruiz").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").get_by_text("Done").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"feed-compact-{width}.png"))
    context.close()
