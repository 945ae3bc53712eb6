"""Placing the network map's clusters on a canvas: pure geometry, no drawing library.

A force-directed layout of the whole network leaves a knot in one corner: the separate
trees of who-introduced-whom push each other to the edges. Instead each cluster (a
connected group of introductions) is laid out on its own, scaled so that every cluster has
the same density, and the clusters are packed row by row into a rectangle of the canvas's
shape, clusters that share an interest next to each other.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
SPACING = 1.0  # the distance between neighbours, in layout units
GAP = 1.5  # the free margin between two packed boxes, in layout units


@dataclass(frozen=True)
class Size:
    """A box to pack: its width and height in layout units."""

    width: float
    height: float


def spread(points: Sequence[Point]) -> list[Point]:
    """A cluster's points centred on the origin, scaled so its radius grows as √(size).

    Every cluster then has about the same density of people per unit of area, so a pair is
    small and a tree of a hundred is large, and none is a dot or a sprawl.
    """
    if not points:
        return []
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    radius = max(math.hypot(x - cx, y - cy) for x, y in points)
    if radius == 0:
        return [(0.0, 0.0) for _ in points]
    target = SPACING * 0.75 * math.sqrt(len(points))
    factor = target / radius
    return [((x - cx) * factor, (y - cy) * factor) for x, y in points]


def bounds(points: Iterable[Point]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of some points; all zero for none."""
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


def pack(sizes: Sequence[Size], aspect: float, gap: float = GAP) -> list[Point]:
    """Top-left corners for boxes packed in rows into a region about `aspect` wide per tall.

    Boxes keep their order along the rows (the caller orders them so that related ones sit
    together); a row is closed once it reaches the width that makes the whole region about
    `aspect`, so a few large boxes and many small ones both fill a rectangle.
    """
    if not sizes:
        return []
    area = sum((s.width + gap) * (s.height + gap) for s in sizes)
    row_width = max(math.sqrt(area * aspect), *(s.width for s in sizes))
    corners: list[Point] = []
    x = y = row_height = 0.0
    for size in sizes:
        if x > 0 and x + size.width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        corners.append((x, y))
        x += size.width + gap
        row_height = max(row_height, size.height)
    return corners


def normalise(points: Sequence[Point]) -> tuple[list[Point], float]:
    """Points scaled into [0, 1] on both axes, and the width/height ratio they had."""
    left, top, right, bottom = bounds(points)
    width, height = right - left, bottom - top
    aspect = width / height if width and height else 1.0
    return [
        ((x - left) / width if width else 0.5, (y - top) / height if height else 0.5)
        for x, y in points
    ], aspect


def shared_interest(interests: Iterable[Iterable[str]]) -> str | None:
    """The interest most members of a cluster share (at least two of them), if any."""
    counts: Counter[str] = Counter()
    for own in interests:
        counts.update({i.casefold() for i in own})
    best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return best[0][0] if best and best[0][1] >= 2 else None


def label_ranks(degrees: Sequence[int], names: Sequence[str]) -> list[int]:
    """The order in which labels claim room on the map: the best connected first, then A-Z.

    The page shows a label only where it does not cover one shown before it, so the hubs
    (who introduced many) stay named at every zoom.
    """
    order = sorted(range(len(degrees)), key=lambda i: (-degrees[i], names[i].casefold(), i))
    ranks = [0] * len(degrees)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks


def radial_tree(links: dict[int, list[int]], root: int) -> dict[int, Point]:
    """A cluster laid out as rings around its best connected person, one ring per step.

    Introductions form trees: each person's wedge of the circle is shared among the people
    they lead to, in proportion to how many lie beyond, so branches do not cross. A ring is
    pushed out until its people have room (a connector with a hundred introductions gets a
    wide first ring). Links that close a loop are drawn but not followed.
    """
    levels, children = _breadth_first(links, root)
    weight: dict[int, int] = {}
    for ring in reversed(levels):
        for person in ring:
            weight[person] = max(1, sum(weight[c] for c in children[person]))
    radius = [0.0]
    for ring in levels[1:-1]:
        radius.append(max(radius[-1] + SPACING, len(ring) * SPACING / (2 * math.pi)))
    angle: dict[int, tuple[float, float]] = {root: (0.0, 2 * math.pi)}  # wedge: start, width
    placed: dict[int, Point] = {root: (0.0, 0.0)}
    for depth, ring in enumerate(levels[:-1]):
        for person in ring:
            start, width = angle[person]
            if depth:
                middle = start + width / 2
                placed[person] = (
                    radius[depth] * math.cos(middle),
                    radius[depth] * math.sin(middle),
                )
            for child in children[person]:
                share = width * weight[child] / weight[person]
                angle[child] = (start, share)
                start += share
    return placed


def _breadth_first(
    links: dict[int, list[int]], root: int
) -> tuple[list[list[int]], dict[int, list[int]]]:
    """The rings of a cluster (people one, two... steps from the root) and who leads to whom."""
    children: dict[int, list[int]] = {root: []}
    levels = [[root]]
    while levels[-1]:
        ring: list[int] = []
        for person in levels[-1]:
            for other in sorted(links.get(person, ())):
                if other not in children:
                    children[other] = []
                    children[person].append(other)
                    ring.append(other)
        levels.append(ring)
    return levels, children
