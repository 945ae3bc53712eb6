from __future__ import annotations

import dataclasses

import pytest

from kith.core.model import InteractionKind
from kith.core.rules import Rules


def test_defaults_are_consistent() -> None:
    Rules().validate()


def test_face_time_outweighs_a_call_which_outweighs_a_message_and_small_talk() -> None:
    r = Rules()
    kinds = ("meal", "meeting", "call", "message", "small-talk")
    weights = [r.weight(InteractionKind(k)) for k in kinds]
    assert weights == sorted(weights, reverse=True)
    assert all(r.weight(k) > 0 for k in InteractionKind)


def test_cadences_lengthen_as_trust_grows() -> None:
    r = Rules()
    assert r.cadence_new_seed < r.cadence_growing <= r.cadence_trusted


@pytest.mark.parametrize(
    ("known_days", "index"), [(0, 0), (364, 0), (365, 1), (1094, 1), (1095, 2), (9000, 2)]
)
def test_older_ties_use_longer_half_lives(known_days: int, index: int) -> None:
    assert Rules().half_life_index(known_days) == index


def test_overrides_replace_and_coerce() -> None:
    r = Rules().with_overrides({"cadence_trusted": 60, "weight_call": 3})
    assert r.cadence_trusted == 60
    assert r.weight_call == 3.0
    assert isinstance(r.weight_call, float)
    # half_lives and half_life_from_days must match in length
    with pytest.raises(ValueError, match="same length"):
        Rules().with_overrides({"half_lives": [60, 400]})
    ok = Rules().with_overrides({"half_lives": [60, 400], "half_life_from_days": [0, 700]})
    assert ok.half_lives == (60.0, 400.0)
    assert dataclasses.replace(r, cadence_trusted=90) != r


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"cadence_trusty": 3}, "cadence_trusty"),
        ({"cadence_trusted": "90"}, "cadence_trusted"),
        ({"cadence_trusted": 90.5}, "cadence_trusted"),
        ({"weight_call": True}, "weight_call"),
        ({"half_lives": 90}, "half_lives"),
        ({"half_lives": ["a", "b", "c"]}, "half_lives"),
        ({"seed_days": -1}, "seed_days"),
    ],
)
def test_bad_overrides_name_the_key(overrides: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        Rules().with_overrides(overrides)


def test_overrides_leave_the_original_alone() -> None:
    r = Rules()
    r.with_overrides({"seed_days": 10})
    assert r.seed_days == 30
