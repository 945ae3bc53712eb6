"""`dedup.close_names` answers as rapidfuzz's `extract` alone did (issue 11).

It asks `extractOne` first and runs `extract` only when that finds a name over the line;
the answer must be the same list: the same names, scores and order (ties included).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from kith.core.dedup import NAME_SIMILARITY_MIN, close_names

# Names from few letters and words, so that many pairs score near the line (92), tie, or
# match exactly.
word = st.text(alphabet="jonahsmit", min_size=1, max_size=6)
names = st.lists(word, min_size=1, max_size=3).map(" ".join)


def reference(name: str, others: list[str]) -> list[tuple[str, float, int]]:
    """The code before: one `extract` over the colleagues' names."""
    found = process.extract(
        name, others, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SIMILARITY_MIN, limit=None
    )
    return [(choice, score, index) for choice, score, index in found]


@settings(max_examples=2000)
@given(name=names, others=st.lists(names, max_size=12, unique=True))
def test_close_names_are_those_extract_finds(name: str, others: list[str]) -> None:
    assert close_names(name, dict.fromkeys(others).keys()) == reference(name, others)


def test_close_names_find_the_close_and_leave_the_far() -> None:
    others = ["john smith", "joan smith", "jon smith", "ana ruiz"]
    found = close_names("jon smith", others)  # ties (94.7) in the order given
    assert [choice for choice, _, _ in found] == ["jon smith", "john smith", "joan smith"]
    assert close_names("bo li", others) == []
