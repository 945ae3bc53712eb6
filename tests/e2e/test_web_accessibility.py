"""Accessibility of every page, checked by axe-core in Chromium on the demo garden.

axe-core (from the npm registry, installed by `make pytest` into tests/e2e/axe) runs in the
page after it loaded, at a desktop and a phone width, and on the phone in dark mode. A
serious or critical violation fails the test with the rule, its help text and the elements.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import pytest

from kith.app.demo import load_demo
from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY
from tests.e2e.test_web_browser import browser
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the fixture, shared with the other browser tests

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Each page and the status it answers with: the error page is a page too.
PAGES = {
    "/": 200,
    "/people": 200,
    "/people/1": 200,
    "/weed": 200,
    "/intros": 200,
    "/network": 200,
    "/import": 200,
    "/share": 200,
    "/login": 200,
    "/people/999999": 404,
}
# Each look: the viewport and the colour scheme the system asks for.
LOOKS = {
    "desktop": ((1280, 800), "light"),
    "phone": ((390, 844), "light"),
    "phone, dark": ((390, 844), "dark"),
}
BLOCKING = {"serious", "critical"}


class Node(TypedDict):
    target: list[str]


class Violation(TypedDict):
    id: str
    impact: str | None
    help: str
    nodes: list[Node]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is required under CI=true ({AXE}; run `make pytest`)")
        pytest.skip("axe-core is not installed (make pytest installs it with npm)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("accessibility")
    url = f"sqlite:///{folder / 'demo.db'}"
    opened = open_garden(Settings(database_url=url), TODAY)
    load_demo(opened)
    opened.engine.dispose()
    yield from serve(url, folder)


def _violations(page: Page, axe_source: str) -> list[Violation]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(axe_source)
    found: list[Violation] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return found


def _described(path: str, look: str, violation: Violation) -> str:
    where = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    rule = f"{violation['id']} [{violation['impact']}] {violation['help']}"
    return f"{path} ({look}): {rule}: {where}"


@pytest.mark.slow
@pytest.mark.parametrize("look", list(LOOKS))
def test_no_page_has_a_serious_accessibility_violation(
    browser: Browser, demo_site: Served, axe_source: str, look: str
) -> None:
    (wide, high), scheme = LOOKS[look]
    context = browser.new_context(
        viewport={"width": wide, "height": high},
        color_scheme=scheme,  # type: ignore[arg-type]  # "light" or "dark", as LOOKS says
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    for path, status in PAGES.items():
        answer = page.goto(f"{demo_site.url}{path}")
        assert answer is not None and answer.status == status, path
        page.wait_for_load_state("networkidle")
        blocking = [v for v in _violations(page, axe_source) if v["impact"] in BLOCKING]
        problems += [_described(path, look, v) for v in blocking]
    context.close()
    assert problems == [], "\n".join(problems)
