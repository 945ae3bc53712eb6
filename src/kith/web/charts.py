"""The data the page scripts hand to Chart.js and Cytoscape, as plain JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from kith.app.dashboard import Dashboard
from kith.app.network_map import Network

FUNNEL_SOURCES = 8  # the biggest sources; the rest would be unreadable bars
STAGE_COLOURS = {
    "seed": "#7cb342",
    "growing": "#2e7d32",
    "trusted": "#00695c",
    "dormant": "#f9a825",
    "weed": "#c62828",
    "pruned": "#9e9e9e",
}


def dashboard(board: Dashboard) -> dict[str, Any]:
    funnel = board.stats.funnel_by_source[:FUNNEL_SOURCES]
    effort = board.stats.effort
    return {
        "funnel": {
            "labels": [row.key for row in funnel],
            "seeded": [row.seeded for row in funnel],
            "grew": [row.grew for row in funnel],
            "trusted": [row.trusted for row in funnel],
        },
        "effort": {
            "labels": [row.week.isoformat() for row in effort],
            "interactions": [row.interactions for row in effort],
            "people": [row.people_total for row in effort],
        },
        "balance": {
            "labels": list(board.balances),
            "counts": list(board.balances.values()),
        },
    }


def network(graph: Network) -> dict[str, Any]:
    scale = 400  # rustworkx lays out in about [-1, 1]; Cytoscape draws in pixels
    nodes = [
        {
            "data": {
                "id": str(node.id),
                "label": node.name,
                "stage": node.stage.value,
                "colour": STAGE_COLOURS[node.stage.value],
                "href": f"/people/{node.id}",
            },
            "position": {"x": node.x * scale, "y": node.y * scale},
        }
        for node in graph.nodes
    ]
    edges = [
        {
            "data": {
                "id": f"e{i}",
                "source": str(edge.source),
                "target": str(edge.target),
                "kind": edge.kind,
            }
        }
        for i, edge in enumerate(graph.edges)
    ]
    return {"elements": nodes + edges, "left_out": graph.left_out, "colours": STAGE_COLOURS}
