from __future__ import annotations

import pytest

from kith.core.tag_filter import has_tag
from kith.core.tags import load_vocabulary


@pytest.mark.parametrize(
    ("values", "wanted"),
    [
        (["rock climbing"], "bouldering"),
        (["Climbing"], "bouldering"),
        (["machine learning"], "ML"),
        (["Photography", "chess"], "photography"),
        (["hiking"], "Hiking"),
    ],
)
def test_has_tag_finds_the_same_tag_by_its_canonical_key(values: list[str], wanted: str) -> None:
    assert has_tag(values, wanted, load_vocabulary())


@pytest.mark.parametrize(
    ("values", "wanted"),
    [
        (["javascript"], "java"),  # a substring is not the same tag
        (["machine learning"], "learning"),
        (["hiking"], "biking"),
        (["hiking"], ""),
        ([], "hiking"),
        (["", " "], "hiking"),
    ],
)
def test_has_tag_refuses_other_tags(values: list[str], wanted: str) -> None:
    assert not has_tag(values, wanted, load_vocabulary())
