"""The network map's data on the demo garden: every linked person placed, clusters named."""

from __future__ import annotations

from pathlib import Path

import httpx

from kith.app.demo import load_demo
from kith.app.garden import Garden
from kith.app.network_map import network
from tests.integration.test_api_actions import serve


def test_the_demo_map_places_everyone_linked_in_the_unit_square_by_cluster(garden: Garden) -> None:
    load_demo(garden)
    graph = network(garden)
    names = {node.name for node in graph.nodes}
    assert {"Maya Okafor", "Priya Nair", "Lena Fischer", "Raj Patel"} <= names
    assert all(0 <= node.x <= 1 and 0 <= node.y <= 1 for node in graph.nodes)
    assert min(n.x for n in graph.nodes) == 0 and max(n.x for n in graph.nodes) == 1
    assert min(n.y for n in graph.nodes) == 0 and max(n.y for n in graph.nodes) == 1
    # Maya and Lena are linked by an intro, Raj's introductions are apart from them.
    cluster = {node.name: node.cluster for node in graph.nodes}
    assert cluster["Maya Okafor"] == cluster["Lena Fischer"] != cluster["Raj Patel"]
    assert sum(c.size for c in graph.clusters) == len(graph.nodes)
    hubs = {c.hub for c in graph.clusters}
    assert "Raj Patel" in hubs
    assert min(graph.nodes, key=lambda n: n.rank).degree == max(n.degree for n in graph.nodes)
    assert network(garden) == graph  # seeded: the map does not move between visits


def test_an_empty_garden_has_an_empty_map(garden: Garden) -> None:
    graph = network(garden)
    assert graph.nodes == [] and graph.edges == [] and graph.clusters == []


def test_the_map_page_of_an_empty_garden_says_how_people_get_on_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    for site in serve(sqlite_url, tmp_path):
        page = httpx.get(f"{site.url}/network", timeout=30)
        assert page.status_code == 200
        assert "No introductions yet." in page.text
        assert 'id="network"' not in page.text
