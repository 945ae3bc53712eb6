"""The garden's statistics from the judgement's arrays: `stats.stats_of` without a row each.

`stats.stats_of` reads one `StatsInput` per person; building 20,000 of them from the
vectorised judgement cost more than judging. Here the stage counts and both funnels are
counted with numpy over codes (stage codes, a code per distinct seeding day and per distinct
source), and only the few distinct keys are worded in Python, by the same functions
`stats_of` uses, so the keys and their order are the reference's. People the columns cannot
settle (`GardenJudgement.must_judge`) arrive judged in Python as `StatsInput` rows and are
counted as `stats_of` counts them. numpy is imported inside the functions, as in
`core.garden_judgement`, so importing this module stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kith.core.garden_judgement import NO_DAY, STAGES, GardenJudgement
from kith.core.mirror import Mirror
from kith.core.model import Stage
from kith.core.stats import (
    UNKNOWN_SOURCE,
    Stats,
    StatsInput,
    WeekCount,
    effort,
    funnel_rows,
    seeded_month,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy counts days from 1970-01-01
_NO_MONTH = -1  # the month code of no seeding day (real ones start at year 1: 12 and up)
_Counts = dict[str, list[int]]  # key -> [seeded, grew, trusted], as `stats.funnels_of` keeps


@dataclass(frozen=True)
class StatsArrays:
    """What the statistics read of the people the columns settle, one entry each."""

    stage: Ints  # a code into `garden_judgement.STAGES`
    grown: Ints  # likewise
    seeded: Ints  # the seeding day's ordinal, `NO_DAY` for none
    sources: Sequence[str | None]  # where we met (met_where)


def judgement_stats(  # noqa: PLR0917 - stats_of's arguments, in its order
    judged: GardenJudgement,
    sources: Sequence[str | None],
    others: Iterable[StatsInput] = (),
    weeks: Sequence[WeekCount] = (),
    mirror: Mirror | None = None,
    people_before: int = 0,
) -> Stats:
    """`stats_of` over everyone the judgement settles plus `others`, judged in Python."""
    import numpy as np

    settled = np.flatnonzero(~judged.must_judge())
    codes, distinct = _source_codes(sources)
    # The sources are coded over everyone first (one pass), then the settled codes taken.
    arrays = StatsArrays(judged.stage[settled], judged.grown[settled], judged.seeded[settled], ())
    return _stats(arrays, codes[settled], distinct, others, weeks, mirror, people_before)


def stats_of_arrays(
    arrays: StatsArrays,
    others: Iterable[StatsInput] = (),
    weeks: Sequence[WeekCount] = (),
    mirror: Mirror | None = None,
    people_before: int = 0,
) -> Stats:
    """`stats.stats_of` over `arrays` and `others`: the same stats, counted with numpy."""
    codes, distinct = _source_codes(arrays.sources)
    return _stats(arrays, codes, distinct, others, weeks, mirror, people_before)


def _stats(  # noqa: PLR0917 - what stats_of reads, split into arrays and codes
    arrays: StatsArrays,
    source_codes: Ints,
    distinct_sources: Sequence[str | None],
    others: Iterable[StatsInput],
    weeks: Sequence[WeekCount],
    mirror: Mirror | None,
    people_before: int,
) -> Stats:
    months, by_source = _funnel_counts(arrays, source_codes, distinct_sources)
    by_stage = _stage_counts(arrays.stage)
    for row in others:  # the few the columns cannot settle, counted as stats_of counts
        by_stage[row.stage.value] += 1
        source = (row.source or "").strip() or UNKNOWN_SOURCE
        for table, key in ((months, row.month), (by_source, source)):
            counts = table.setdefault(key, [0, 0, 0])
            counts[0] += 1
            counts[1] += row.grown in (Stage.GROWING, Stage.TRUSTED)
            counts[2] += row.grown is Stage.TRUSTED
    by_month_rows, by_source_rows = funnel_rows(months, by_source)
    return Stats(
        by_stage=by_stage,
        funnel_by_month=by_month_rows,
        funnel_by_source=by_source_rows,
        effort=effort(weeks, people_before),
        mirror=mirror,
    )


def _stage_counts(stage: Ints) -> dict[str, int]:
    """People per stage, every stage present in `Stage`'s order, as `stats_of` has them."""
    import numpy as np

    per_code = np.bincount(stage, minlength=len(STAGES)).tolist()
    counts = dict.fromkeys((s.value for s in Stage), 0)
    for code, count in enumerate(per_code):
        counts[STAGES[code].value] += count
    return counts


def _source_codes(sources: Sequence[str | None]) -> tuple[Ints, list[str | None]]:
    """A code per person into the distinct sources (one dict pass, no object per person)."""
    import numpy as np

    distinct = list(dict.fromkeys(sources))
    index = {source: code for code, source in enumerate(distinct)}
    # map over a bound method runs in C: no Python frame per person
    codes = np.fromiter(map(index.__getitem__, sources), dtype=np.int64, count=len(sources))
    return codes, distinct


def _funnel_counts(
    arrays: StatsArrays, source_codes: Ints, distinct_sources: Sequence[str | None]
) -> tuple[_Counts, _Counts]:
    """Seeded, grew and trusted per month seeded and per source (keys with anyone only)."""
    import numpy as np

    grew = (arrays.grown == STAGES.index(Stage.GROWING)) | (
        arrays.grown == STAGES.index(Stage.TRUSTED)
    )
    trusted = arrays.grown == STAGES.index(Stage.TRUSTED)
    # Each distinct seeding month worded once, by the reference's own `seeded_month` (of its
    # first day: the word is the month's), no day still "unknown".
    months, month_codes = np.unique(_months(arrays.seeded), return_inverse=True)
    month_words = [
        seeded_month(None if m == _NO_MONTH else date(m // 12, m % 12 + 1, 1))
        for m in months.tolist()
    ]
    # Sources are keyed as stats.funnels_of keys them: stripped, blank is unknown.
    source_words = [(s or "").strip() or UNKNOWN_SOURCE for s in distinct_sources]
    return (
        _counted(month_words, month_codes.reshape(-1), grew, trusted),
        _counted(source_words, source_codes, grew, trusted),
    )


def _months(seeded: Ints) -> Ints:
    """Year * 12 + month - 1 of each seeding day, `_NO_MONTH` for none."""
    import numpy as np

    known = seeded != NO_DAY
    days = np.where(known, seeded, _EPOCH_ORDINAL) - _EPOCH_ORDINAL
    since_1970 = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    months: Ints = np.where(known, since_1970 + 1970 * 12, _NO_MONTH)
    return months


def _counted(words: Sequence[str], codes: Ints, grew: Bools, trusted: Bools) -> _Counts:
    """[seeded, grew, trusted] per word, codes indexing `words` (several codes may share one)."""
    import numpy as np

    size = len(words)
    columns = (
        np.bincount(codes, minlength=size),
        np.bincount(codes[grew], minlength=size),
        np.bincount(codes[trusted], minlength=size),
    )
    counts: _Counts = {}
    for word, seeded, grown, became in zip(words, *(c.tolist() for c in columns), strict=True):
        if seeded:
            total = counts.setdefault(word, [0, 0, 0])
            total[0] += seeded
            total[1] += grown
            total[2] += became
    return counts
