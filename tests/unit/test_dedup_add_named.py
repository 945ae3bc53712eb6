"""`KeyIndex.add_named` of values it already had changes nothing (issue 11).

`dedup_index.load_keys` finds a person by name and again by company (the same row) and
adds them once: the index must be the same as when both calls are made, whatever calls
come in between. Dicts are compared with their order (who came first under a name or at
a company decides later matches).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kith.core.dedup import KeyIndex, Keys

calls = st.lists(
    st.tuples(
        st.integers(min_value=-3, max_value=4),
        st.sampled_from(["jon smith", "john smith", "ana ruíz", "ana ruiz"]),
        st.sampled_from([None, "acme", "initech"]),
    ),
    max_size=20,
)


def ordered(value: Any) -> Any:
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    return value


@given(calls=calls, added=st.lists(st.integers(min_value=0, max_value=19), max_size=4))
def test_adding_a_person_again_changes_nothing(
    calls: list[tuple[int, str, str | None]], added: list[int]
) -> None:
    """Repeated calls dropped vs kept; some records' `add` in between, as imports do."""
    every, once = KeyIndex(), KeyIndex()
    made: set[tuple[int, str, str | None]] = set()
    for n, call in enumerate(calls):
        every.add_named(*call)
        if call not in made:
            once.add_named(*call)
            made.add(call)
        if n in added:
            keys = Keys(name=call[1], company=call[2], urls=(f"linkedin.com/in/{n}",))
            every.add(-10 - n, keys)
            once.add(-10 - n, keys)
    assert ordered(vars(every)) == ordered(vars(once))
