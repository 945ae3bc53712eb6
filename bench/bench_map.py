"""Benchmark: the network map of 2,000 and 10,000 people (issue 13: "a graph of 2,000 people
stays interactive").

Gardens from bench/garden.py with 70% of people introduced by someone already there
(connectors introduce many). Timed: `kith.app.network_map.network` (query, judging, layout;
median of 3, cold cache each time), and in Debian's Chromium the /network page of the
2,000-person garden: from navigation to the map drawn (median of 3 loads, the server's cache
warm), and one zoom's restyle and choice of names (median of 5 zooms).

Target: the 2,000-person map drawn within 3 s and a zoom settled within 200 ms.

Run: `.venv/bin/python -m bench bench_map` (writes its section of docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from bench.garden import GardenSize, build
from bench.report import write_section
from kith.app import network_map
from kith.app.garden import open_garden
from kith.settings import Settings

TODAY = date(2026, 11, 27)
SIZES = (GardenSize(2_000, 20_000), GardenSize(10_000, 100_000))
INTRODUCED = 0.7
CHROMIUM = "/usr/bin/chromium"
TARGET_DRAW_S = 3.0
TARGET_ZOOM_MS = 200.0

# One zoom by half again; the page marks the canvas aria-busy until it has restyled and chosen
# the names, 80 ms after the last move: the time past those 80 ms.
ZOOM = """(factor) => new Promise(done => {
  const cy = window.kithNetwork;
  const t0 = performance.now();
  cy.zoom({level: cy.zoom() * factor, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});
  (function wait() {
    if (cy.container().getAttribute('aria-busy') === 'false') { done(performance.now() - t0 - 80); }
    else { setTimeout(wait, 2); }
  })();
})"""


def _server_times(url: str) -> tuple[float, int, int]:
    garden = open_garden(Settings(database_url=url), TODAY)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        graph = network_map.network(garden)
        times.append(time.perf_counter() - start)
    garden.engine.dispose()
    return statistics.median(times), len(graph.nodes), len(graph.clusters)


def _browser_times(url: str, folder: Path) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright
    from tests.integration.test_api_actions import serve

    with contextmanager(serve)(url, folder) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        draws = []
        for _ in range(4):  # the first warms the server's cache and is not counted
            page.goto(f"{site.url}/network")
            page.wait_for_selector("#network[data-ready]", state="attached")
            draws.append(page.evaluate("performance.now()") / 1000)
        zooms = [float(page.evaluate(ZOOM, 1.5 if i % 2 else 1 / 1.5)) for i in range(6)]
        browser.close()
    return statistics.median(draws[1:]), statistics.median(zooms[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    parser.add_argument("--quick", action="store_true", help="the 2,000-person garden only")
    args = parser.parse_args()
    rows = []
    draw = zoom = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES[:1] if args.quick else SIZES:
            url = f"sqlite:///{tmp}/map-{size.people}.db"
            build(url, size, TODAY, introduced=INTRODUCED).dispose()
            seconds, nodes, clusters = _server_times(url)
            rows.append(f"| {size.people:,} | {nodes:,} | {clusters:,} | {seconds:.2f} |")
            print(rows[-1], flush=True)
            if size.people == 2_000 and Path(CHROMIUM).exists():
                draw, zoom = _browser_times(url, Path(tmp))
                print(f"drawn in {draw:.2f} s, zoom settled in {zoom:.0f} ms", flush=True)
    body = "\n".join(
        [
            "Gardens from bench/garden.py with 70% of people introduced by someone already "
            "there; `python -m bench bench_map`, on this machine "
            f"({os.cpu_count()} cores, shared).",
            "",
            "| people | on the map | clusters | `network()` s (median of 3) |",
            "| ---: | ---: | ---: | ---: |",
            *rows,
            "",
            (
                f"In Chromium, the 2,000-person map: drawn {draw:.2f} s after navigation "
                f"(median of 3, server cache warm), a zoom settled (restyle and names) in "
                f"{zoom:.0f} ms (median of 5 after one). "
                f"Target: drawn within {TARGET_DRAW_S:.0f} s, "
                f"a zoom within {TARGET_ZOOM_MS:.0f} ms: "
                + ("met." if draw <= TARGET_DRAW_S and zoom <= TARGET_ZOOM_MS else "NOT met.")
                if draw is not None and zoom is not None
                else "Chromium is not installed: the page was not timed."
            ),
        ]
    )
    if args.no_write:
        print(body)
    else:
        write_section("Network map", body)


if __name__ == "__main__":
    main()
