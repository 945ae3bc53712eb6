"""The network map in real Chromium, on the demo garden and on a 2,000-person garden.

What a person sees is asserted from what Cytoscape drew: the dots spread over at least half
the canvas each way, no two names shown overlap, nothing is wider than a 390 px phone, a
search focuses the person found, and a finger drags the map. Screenshots of the map at both
widths go to $KITH_SCREENSHOTS (default test-artifacts/, which git ignores).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bench.garden import GardenSize, build

from kith.app.demo import load_demo
from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY
from tests.e2e import test_web_browser as chromium
from tests.integration.test_api_actions import Served, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

browser = chromium.browser  # the same Chromium fixture as the day-in-the-garden story
VIEWPORTS = {"wide": (1280, 900), "phone": (390, 844)}
BIG = GardenSize(2_000, 20_000)

# Read from the drawing: the canvas, the dots' spread, and the boxes of the names shown.
MEASURE = """() => {
  const cy = window.kithNetwork;
  const dots = cy.nodes().not('.caption').map(n => n.renderedPosition());
  const xs = dots.map(p => p.x), ys = dots.map(p => p.y);
  const names = cy.nodes('.named').map(n => {
    const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false});
    const caption = n.hasClass('caption');
    return {name: n.data('label'), caption: caption, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2};
  });
  return {
    width: cy.width(), height: cy.height(), nodes: dots.length,
    spreadX: Math.max(...xs) - Math.min(...xs), spreadY: Math.max(...ys) - Math.min(...ys),
    names: names,
    selected: cy.nodes(':selected').map(n => n.data('label')),
    pageWidth: document.documentElement.scrollWidth,
    viewWidth: document.documentElement.clientWidth,
  };
}"""


def screenshots() -> Path:
    folder = Path(os.environ.get("KITH_SCREENSHOTS", str(chromium.ARTIFACTS)))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'kith.db'}"
    opened = open_garden(Settings(database_url=url), TODAY)
    load_demo(opened)
    opened.engine.dispose()
    yield from serve(url, folder)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("big")
    url = f"sqlite:///{folder / 'kith.db'}"
    build(url, BIG, TODAY, introduced=0.7).dispose()
    yield from serve(url, folder)


def overlapping(names: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of shown names whose boxes on screen overlap (touching edges do not count)."""
    clashes = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]:
                clashes.append((a["name"], b["name"]))
    return clashes


def open_map(browser: Browser, site: Served, size: str, problems: list[str]) -> Page:
    width, height = VIEWPORTS[size]
    phone = size == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine lays out 2,000 people slowly
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{site.url}/network")
    page.wait_for_selector("#network[data-ready][aria-busy=false]", state="attached")
    return page


def assert_reads(drawn: dict[str, Any]) -> None:
    assert drawn["spreadX"] >= 0.5 * drawn["width"], drawn["spreadX"]
    assert drawn["spreadY"] >= 0.5 * drawn["height"], drawn["spreadY"]
    assert drawn["names"], "no name is shown"
    assert overlapping(drawn["names"]) == []
    assert drawn["pageWidth"] <= drawn["viewWidth"]


def search(page: Page, name: str) -> dict[str, Any]:
    page.get_by_label("Find a person on the map").fill(name)
    page.get_by_role("button", name="Find", exact=True).click()
    page.wait_for_function("window.kithNetwork.nodes(':selected').length === 1")
    page.wait_for_selector("#network[aria-busy=false]", state="attached")  # glided, names chosen
    drawn: dict[str, Any] = page.evaluate(MEASURE)
    return drawn


def look(browser: Browser, site: Served, garden: str, wanted: str) -> dict[str, dict[str, Any]]:
    problems: list[str] = []
    seen: dict[str, dict[str, Any]] = {}
    for size in VIEWPORTS:
        page = open_map(browser, site, size, problems)
        drawn = page.evaluate(MEASURE)
        assert_reads(drawn)
        page.locator("#network").screenshot(path=str(screenshots() / f"map-{garden}-{size}.png"))
        page.screenshot(path=str(screenshots() / f"map-{garden}-{size}-page.png"), full_page=True)
        seen[size] = drawn

        focused = search(page, wanted)
        assert focused["selected"] == [wanted]
        assert wanted in [n["name"] for n in focused["names"]]  # the one found is named
        assert overlapping(focused["names"]) == []
        assert wanted in page.locator("#map-found").inner_text()
        # A keyboard reaches the person found without the canvas.
        assert (
            page.locator("#map-found").get_by_role("link", name=f"Open {wanted}'s page").count()
            == 1
        )
        page.locator("#network").screenshot(
            path=str(screenshots() / f"map-{garden}-{size}-found.png")
        )

        page.get_by_text("The same as a list").click()  # the accessible alternative, open
        assert page.locator("#network-list").get_by_role("link", name=wanted).count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size][0]
        page.context.close()
    assert problems == []  # no script error, no Content-Security-Policy violation
    return seen


def test_the_demo_map_reads_at_1280_and_390_px(browser: Browser, demo_site: Served) -> None:
    seen = look(browser, demo_site, "demo", "Lena Fischer")
    assert seen["wide"]["nodes"] >= 10
    # A small network is named in full: every person's name fits beside the others, and the
    # larger cluster has its caption.
    people = [n for n in seen["wide"]["names"] if not n["caption"]]
    assert len(people) == seen["wide"]["nodes"]
    assert [n["name"] for n in seen["wide"]["names"] if n["caption"]] == [
        "Maya Okafor's circle · machine learning"
    ]


def test_a_map_of_2000_people_renders_and_finds_a_person(
    browser: Browser, big_site: Served
) -> None:
    seen = look(browser, big_site, "2000", "Person 1500")
    assert seen["wide"]["nodes"] > 1_000
    assert len(seen["wide"]["names"]) >= 50  # the hubs are named; the rest as one zooms in


def test_a_finger_drags_and_pinches_the_map_on_a_phone(browser: Browser, demo_site: Served) -> None:
    problems: list[str] = []
    page = open_map(browser, demo_site, "phone", problems)
    page.locator("#network").scroll_into_view_if_needed()
    box = page.locator("#network").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("window.kithNetwork.pan()")
    touch = page.context.new_cdp_session(page)

    def fingers(kind: str, points: list[tuple[float, float]]) -> None:
        touch.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": [{"x": px, "y": py, "id": i} for i, (px, py) in enumerate(points)],
            },
        )

    # A drag that starts on a person moves the map (people stay where the layout put them).
    on = page.evaluate("window.kithNetwork.nodes('[label = \"Maya Okafor\"]').renderedPosition()")
    sx, sy = box["x"] + on["x"], box["y"] + on["y"]
    fingers("touchStart", [(sx, sy)])
    for step in range(1, 6):
        fingers("touchMove", [(sx + 12 * step, sy + 8 * step)])
    fingers("touchEnd", [])
    after = page.evaluate("window.kithNetwork.pan()")
    assert after["x"] > before["x"] and after["y"] > before["y"]
    assert page.url.endswith("/network")  # a drag is not a tap: still on the map

    zoom = page.evaluate("window.kithNetwork.zoom()")
    fingers("touchStart", [(x - 20, y), (x + 20, y)])
    for step in range(1, 6):
        fingers("touchMove", [(x - 20 - 15 * step, y), (x + 20 + 15 * step, y)])
    fingers("touchEnd", [])
    assert page.evaluate("window.kithNetwork.zoom()") > zoom
    page.context.close()
    assert problems == []
