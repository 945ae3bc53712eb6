"""The group's business in Chromium: a member passes a lead, moves one to won, logs a one-to-one,
marks a guest, and reads the report's chart; every page fits a phone and passes axe.

Screenshots go to $KITH_SCREENSHOTS (default: the test's tmp folder) at 1280 and 390 px.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kith.app import community, one_to_ones, referrals, visitors
from tests.conftest import TODAY
from tests.e2e.test_web_accessibility import AXE, BLOCKING, _described, _violations
from tests.e2e.test_web_browser import browser
from tests.integration._members import Group, make_group
from tests.integration._web import settings_for
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the fixture, shared with the other browser tests
pytestmark = pytest.mark.postgres
PAGES = ("/group/referrals", "/group/one-to-ones", "/group/visitors", "/group/report")
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def group_site(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Served, Group]]:
    """Ana organises; Carl passed Bob a lead; Bob and Carl are paired; Bob invited a guest."""
    group = make_group(settings_for(postgres_url, tmp_path), "ana", "bob", "carl")
    gardens = {
        login: community.open_member_garden(group.settings, TODAY, login) for login in group.members
    }
    try:
        referrals.refer(gardens["carl"], "bob", "Harbour Co. needs a new website", "12000")
        referrals.refer(gardens["ana"], "carl", "a bakery looks for a bookkeeper")
        for login in ("bob", "carl"):
            one_to_ones.opt(gardens[login], opted_in=True)
        one_to_ones.run_round(gardens["ana"], seed=1)
        visitors.invite(gardens["bob"], "Rita Guest", TODAY.isoformat(), "rita@example.org")
    finally:
        for garden in gardens.values():
            garden.engine.dispose()
    for site in serve(postgres_url, tmp_path):
        yield site, group


def _shots() -> Path:
    folder = Path(os.environ.get("KITH_SCREENSHOTS", "/tmp/kith-gbiz-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _log_in(page: Page, site: Served, group: Group, login: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#login", login)
    page.fill("#password", group.members[login].password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/")


def _chart_drawn(page: Page) -> int:
    """How many members the report's Chart.js chart draws (0: none drawn)."""
    count: int = page.evaluate(
        "() => { const c = Chart.getChart('chart-givers'); return c ? c.data.labels.length : 0; }"
    )
    return count


def test_a_member_does_the_groups_business_in_the_browser(
    browser: Browser, group_site: tuple[Served, Group]
) -> None:
    from playwright.sync_api import expect  # loads after the fixture found chromium

    site, group = group_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, site, group, "bob")

    page.goto(f"{site.url}/group/referrals")
    page.fill("#refer-login", "carl")
    page.fill("#refer-what", "Nora's studio needs a photographer")
    page.fill("#refer-value", "lots")
    page.click("text=Pass the lead")  # htmx: the page's main part is swapped, no reload
    expect(page.locator("#refer-value-error")).to_contain_text("not an amount")
    expect(page.locator("#refer-what")).to_have_value("Nora's studio needs a photographer")
    page.fill("#refer-value", "3000")
    page.click("text=Pass the lead")
    expect(page.locator("[role=status]")).to_have_text("Saved.")
    expect(page.locator("li.referral", has_text="Nora's studio")).to_contain_text("to carl")
    received = page.locator("li.referral", has_text="Harbour Co.")
    received.locator("select").select_option("won")
    received.locator("input[name=value]").fill("9500")
    received.locator("button").click()
    expect(received).to_contain_text("thank-you 9,500.00")
    expect(received.locator("select")).to_have_count(0)  # won: nothing more to move
    page.screenshot(path=str(_shots() / "referrals-1280.png"), full_page=True)

    page.goto(f"{site.url}/group/one-to-ones")
    assert page.locator("text=Run a round").count() == 0  # Bob is no organiser
    meeting = page.locator("li.meeting", has_text="carl")
    meeting.locator("textarea").fill("We talked about harbour clients")
    meeting.get_by_role("button", name="We met").click()
    expect(page.locator("li.meeting")).to_contain_text("You confirmed; waiting for carl")
    expect(page.locator("li.meeting")).to_contain_text("We talked about harbour clients")
    page.screenshot(path=str(_shots() / "one-to-ones-1280.png"), full_page=True)

    page.goto(f"{site.url}/group/visitors")
    page.click("text=Rita Guest came")
    expect(page.locator("li.visitor", has_text="Rita Guest").locator(".status")).to_have_text(
        "came"
    )
    page.fill("#guest-name", "Sam Later")
    page.fill("#guest-meeting", "2026-12-24")
    page.get_by_role("button", name="Invite").click()
    later = page.locator("li.visitor", has_text="Sam Later")
    expect(later).to_contain_text("Mark them after the meeting")
    page.screenshot(path=str(_shots() / "visitors-1280.png"), full_page=True)

    page.goto(f"{site.url}/group/report")
    page.wait_for_load_state("networkidle")
    assert _chart_drawn(page) == 1  # a member sees their own line only
    assert page.locator("table.report-lines tbody tr").count() == 1
    page.screenshot(path=str(_shots() / "report-member-1280.png"), full_page=True)
    context.close()

    organiser = browser.new_context(viewport={"width": 1280, "height": 900})
    page = organiser.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, site, group, "ana")
    page.goto(f"{site.url}/group/report")
    page.wait_for_load_state("networkidle")
    assert _chart_drawn(page) == 3
    assert page.locator("table.report-lines tbody tr").count() == 3
    page.screenshot(path=str(_shots() / "report-organiser-1280.png"), full_page=True)
    organiser.close()


@pytest.mark.parametrize("look", list(WIDTHS))
def test_the_group_pages_fit_and_pass_axe(
    browser: Browser, group_site: tuple[Served, Group], look: str
) -> None:
    """As the organiser (the round's form, everyone's report) and as Bob (forms to move his
    received lead, to log his meeting and to mark his guest)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make pytest installs it with npm)")
    site, group = group_site
    width = WIDTHS[look]
    axe = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    for login in ("ana", "bob"):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        _log_in(page, site, group, login)
        for path in PAGES:
            answer = page.goto(f"{site.url}{path}")
            assert answer is not None and answer.status == 200, path
            page.wait_for_load_state("networkidle")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"{path} ({look}): {wide} px wide, more than {width} px")
            blocking = [v for v in _violations(page, axe) if v["impact"] in BLOCKING]
            problems += [_described(path, f"{look}, {login}", v) for v in blocking]
            name = path.rsplit("/", 1)[-1]
            page.screenshot(path=str(_shots() / f"{name}-{login}-{width}.png"), full_page=True)
        context.close()
    assert problems == [], "\n".join(problems)
