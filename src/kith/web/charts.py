"""The data the page scripts hand to Chart.js and Cytoscape, as plain JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from kith.app.dashboard import Dashboard
from kith.app.network_map import Network
from kith.app.referrals import ReportView

CAPTION_SIZE = 5  # clusters this large get a caption on the map; smaller ones are many
FUNNEL_SOURCES = 8  # the biggest sources; the rest would be unreadable bars
# The Okabe-Ito palette: told apart with any common colour-vision deficiency (kith.css's
# .swatch-* rules use the same; badges carry the stage's name as text as well).
STAGE_COLOURS = {
    "seed": "#56b4e9",  # sky blue
    "growing": "#009e73",  # bluish green
    "trusted": "#0072b2",  # blue
    "dormant": "#e69f00",  # orange
    "weed": "#d55e00",  # vermillion
    "pruned": "#999999",  # grey
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


GROUP_REPORT_BARS = 40  # the members giving and taking most; the table below lists everyone


def group_report(report: ReportView) -> dict[str, Any]:
    """Referrals given and received per member, the biggest balances (either way) first."""
    lines = sorted(report.lines, key=lambda line: (-abs(line.balance), line.login))
    shown = sorted(lines[:GROUP_REPORT_BARS], key=lambda line: (-line.balance, line.login))
    return {
        "labels": [line.login for line in shown],
        "given": [line.given for line in shown],
        "received": [line.received for line in shown],
        "left_out": len(lines) - len(shown),
    }


def network(graph: Network) -> dict[str, Any]:
    """The map's elements (positions in [0, 1]², the page scales them to its canvas) and the
    same people as a list, cluster by cluster, for the page's accessible alternative."""
    nodes = [
        {
            "data": {
                "id": str(node.id),
                "label": node.name,
                "stage": node.stage.value,
                "colour": STAGE_COLOURS[node.stage.value],
                "href": f"/people/{node.id}",
                "degree": node.degree,
                "rank": node.rank,
                "cluster": node.cluster,
            },
            "position": {"x": node.x, "y": node.y},
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
    return {
        "elements": nodes + edges,
        "aspect": graph.aspect,
        "left_out": graph.left_out,
        "colours": STAGE_COLOURS,
        "people": len(graph.nodes),
        "clusters": _clusters(graph),
        "captions": [
            {"cluster": c.id, "label": _caption(c.hub, c.interest)}
            for c in graph.clusters
            if c.size >= CAPTION_SIZE
        ],
    }


def _caption(hub: str, interest: str | None) -> str:
    return f"{hub}'s circle" + (f" · {interest}" if interest else "")


def _clusters(graph: Network) -> list[dict[str, Any]]:
    """Each cluster with its people and whom each is linked to, best connected first."""
    names = {node.id: node.name for node in graph.nodes}
    links: dict[int, list[int]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        links[edge.source].append(edge.target)
        links[edge.target].append(edge.source)
    members: dict[int, list[dict[str, Any]]] = {c.id: [] for c in graph.clusters}
    for node in sorted(graph.nodes, key=lambda n: n.rank):
        members[node.cluster].append(
            {
                "name": node.name,
                "href": f"/people/{node.id}",
                "stage": node.stage.value,
                "links": [
                    {"name": names[other], "href": f"/people/{other}"}
                    for other in sorted(set(links[node.id]), key=lambda i: names[i].casefold())
                ],
            }
        )
    return [
        {"hub": c.hub, "interest": c.interest, "size": c.size, "people": members[c.id]}
        for c in graph.clusters
    ]
