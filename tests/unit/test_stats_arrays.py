"""The stats counted over the judgement's arrays equal `stats.stats_of`, the reference."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.garden_judgement import NO_DAY, STAGES
from kith.core.mirror import MirrorCounts, mirror
from kith.core.model import Stage
from kith.core.rules import Rules
from kith.core.stats import StatsInput, WeekCount, seeded_month, stats_of
from kith.core.stats_arrays import StatsArrays, stats_of_arrays

# Sources as people type them: none, blank, padded, differing only in case or space.
SOURCES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "PyCon", " PyCon ", "pycon", "unknown", "meetup"]),
    st.text(max_size=4),
)
# Any day a date can hold (years before 1000 word oddly), or no day at all.
DAYS = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(STAGES),
        st.sampled_from(STAGES),
        DAYS,
        SOURCES,
        st.booleans(),  # settled by the columns, else judged in Python
    ),
    max_size=60,
)


def _arrays(people: list[tuple[Stage, Stage, date | None, str | None, bool]]) -> StatsArrays:
    def ints(values: list[int]) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
        return np.asarray(values, dtype=np.int64).reshape(-1)

    return StatsArrays(
        stage=ints([STAGES.index(stage) for stage, *_ in people]),
        grown=ints([STAGES.index(grown) for _, grown, *_ in people]),
        seeded=ints([day.toordinal() if day else NO_DAY for _, _, day, *_ in people]),
        sources=[source for *_, source, _ in people],
    )


@settings(max_examples=300)  # cheap: no database
@given(PEOPLE)
def test_the_arrays_count_what_stats_of_counts(
    people: list[tuple[Stage, Stage, date | None, str | None, bool]],
) -> None:
    rows = [StatsInput(s, g, seeded_month(day), source) for s, g, day, source, _ in people]
    settled = [p for p in people if p[4]]
    others = [row for row, p in zip(rows, people, strict=True) if not p[4]]
    weeks = [WeekCount(date(2026, 11, 23), 3, 1), WeekCount(date(2026, 11, 16), 2, 0)]
    looking_glass = mirror(
        MirrorCounts(days=30, asks=1, pitches=0, given=2, received=1, people_helped=1), Rules()
    )
    assert stats_of_arrays(_arrays(settled), others, weeks, looking_glass, 4) == stats_of(
        rows, weeks, looking_glass, 4
    )


def test_an_empty_garden_has_every_stage_at_zero_and_no_funnel() -> None:
    assert stats_of_arrays(_arrays([])) == stats_of([])
    assert stats_of_arrays(_arrays([])).by_stage == dict.fromkeys((s.value for s in Stage), 0)


def test_sources_differing_only_in_space_are_one_row_and_blank_is_unknown() -> None:
    people = [
        (Stage.TRUSTED, Stage.TRUSTED, date(2025, 6, 3), " PyCon ", True),
        (Stage.PRUNED, Stage.GROWING, date(2025, 6, 30), "PyCon", True),
        (Stage.SEED, Stage.SEED, None, "  ", True),
        (Stage.SEED, Stage.SEED, date(2025, 7, 1), None, True),
    ]
    stats = stats_of_arrays(_arrays(people))
    assert [(r.key, r.seeded, r.grew, r.trusted) for r in stats.funnel_by_source] == [
        ("PyCon", 2, 2, 1),
        ("unknown", 2, 0, 0),
    ]
    assert [r.key for r in stats.funnel_by_month] == ["2025-06", "2025-07", "unknown"]
