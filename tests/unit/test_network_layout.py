"""The network map's geometry: clusters spread to one density, packed without overlap."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from kith.core.network_layout import (
    GAP,
    Size,
    bounds,
    label_ranks,
    normalise,
    pack,
    radial_tree,
    shared_interest,
    spread,
)

sizes = st.lists(st.builds(Size, st.floats(0, 50), st.floats(0, 50)), min_size=1, max_size=60)


@given(sizes, st.floats(0.3, 3))
def test_packed_boxes_never_overlap(boxes: list[Size], aspect: float) -> None:
    corners = pack(boxes, aspect)
    placed = [(x, y, x + b.width, y + b.height) for (x, y), b in zip(corners, boxes, strict=True)]
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            apart_x = a[2] + GAP / 2 <= b[0] or b[2] + GAP / 2 <= a[0]
            apart_y = a[3] + GAP / 2 <= b[1] or b[3] + GAP / 2 <= a[1]
            assert apart_x or apart_y


def test_many_equal_boxes_fill_a_region_of_the_asked_shape() -> None:
    boxes = [Size(2, 2)] * 400
    left, top, right, bottom = bounds(
        [c for x, y in pack(boxes, 1.6) for c in ((x, y), (x + 2, y + 2))]
    )
    assert 1.3 <= (right - left) / (bottom - top) <= 2.0


def test_a_cluster_is_centred_and_its_radius_grows_with_the_square_root_of_its_size() -> None:
    small = spread([(0, 0), (10, 0)])
    large = spread([(math.cos(a / 10), math.sin(a / 10)) for a in range(100)])
    assert small == [(-0.75 * math.sqrt(2), 0.0), (0.75 * math.sqrt(2), 0.0)]
    assert max(math.hypot(x, y) for x, y in large) == 0.75 * 10
    assert spread([(3, 3), (3, 3)]) == [(0.0, 0.0), (0.0, 0.0)]


def test_normalised_points_fill_the_unit_square_and_keep_their_shape_apart() -> None:
    points, aspect = normalise([(-4, 1), (4, 3), (0, 2)])
    assert points == [(0.0, 0.0), (1.0, 1.0), (0.5, 0.5)]
    assert aspect == 4.0
    assert normalise([(1, 1)]) == ([(0.5, 0.5)], 1.0)


def test_a_cluster_is_named_by_the_interest_most_of_its_members_share() -> None:
    assert shared_interest([("Climbing", "jazz"), ("climbing",), ("jazz", "python")]) == "climbing"
    assert shared_interest([("jazz",), ("python",)]) is None  # nobody shares anything
    assert shared_interest([]) is None


def test_the_best_connected_claim_room_for_their_names_first() -> None:
    assert label_ranks([1, 5, 1, 3], ["Zoe", "Maya", "ana", "Lena"]) == [3, 0, 2, 1]


def test_an_introducer_sits_in_the_middle_of_rings_of_the_people_they_led_to() -> None:
    # 1 introduced 2, 3 and 4; 2 introduced 5 and 6; 6 and 3 also met (a loop, not followed).
    links = {1: [2, 3, 4], 2: [1, 5, 6], 3: [1, 6], 4: [1], 5: [2], 6: [2, 3]}
    placed = radial_tree(links, 1)
    assert placed[1] == (0.0, 0.0)
    first = {round(math.hypot(*placed[p]), 6) for p in (2, 3, 4)}
    second = {round(math.hypot(*placed[p]), 6) for p in (5, 6)}
    assert len(first) == len(second) == 1 and min(second) > max(first) > 0
    assert len(set(placed.values())) == 6


def test_a_connector_with_many_introductions_gets_a_ring_wide_enough_for_them() -> None:
    placed = radial_tree({0: list(range(1, 101))}, 0)
    ring = sorted(math.atan2(y, x) for x, y in (placed[p] for p in range(1, 101)))
    radius = math.hypot(*placed[1])
    gaps = [b - a for a, b in itertools.pairwise(ring)]
    assert min(gaps) * radius >= 0.99  # neighbours on the ring at least SPACING apart


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=120))
def test_in_any_tree_of_introductions_everyone_has_a_place_of_their_own(
    picks: list[int],
) -> None:
    # Person i + 1 was introduced by someone already there (picked from the earlier ones).
    links: dict[int, list[int]] = {0: []}
    for person, pick in enumerate(picks, start=1):
        parent = pick % person
        links[person] = [parent]
        links[parent].append(person)
    placed = radial_tree(links, 0)
    assert set(placed) == set(links)
    assert len({(round(x, 9), round(y, 9)) for x, y in placed.values()}) == len(placed)
    for person, pick in enumerate(
        picks, start=1
    ):  # everyone sits further out than their introducer
        assert math.hypot(*placed[person]) > math.hypot(*placed[pick % person])
