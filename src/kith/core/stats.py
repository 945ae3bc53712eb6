"""Garden statistics: stages, the funnel of the law of averages, effort against growth.

Not every seed grows, and that is fine: the funnel shows, of the people seeded each month
and from each source (where you met), how many grew (growing, trusted or dormant today)
and how many became trusted (trusted today, or dormant after being trusted). Effort is
interactions per week against the people added each week, from weekly counts the store
computes in SQL.
`app/stats_views.StatsView` shapes it for output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.mirror import Mirror
from kith.core.model import Person, Stage

UNKNOWN_SOURCE = "unknown"
# What the history earned counts, whatever happened since: a taker who grew before he was
# weeded, or a trusted friend later pruned, still grew from the seed (the law of averages).
_GREW = (Stage.GROWING, Stage.TRUSTED)


@dataclass(frozen=True)
class FunnelRow:
    """How many people seeded in a month (or from a source) grew, and became trusted."""

    key: str  # a month "YYYY-MM" or a source (met_where)
    seeded: int
    grew: int
    trusted: int

    @property
    def grew_share(self) -> float:
        """The share of the seeded who grew."""
        return self.grew / self.seeded if self.seeded else 0.0

    @property
    def trusted_share(self) -> float:
        """The share of the seeded who became trusted."""
        return self.trusted / self.seeded if self.seeded else 0.0


@dataclass(frozen=True)
class WeekCount:
    """Interactions and new people in one week."""

    week: date  # the Monday the week starts on
    interactions: int
    new_people: int


@dataclass(frozen=True)
class EffortRow:
    """The effort in one week against the garden's growth."""

    week: date
    interactions: int
    new_people: int
    people_total: int  # cumulative, the growth curve


@dataclass(frozen=True)
class Stats:
    """The garden's statistics: stages, funnels, effort and the mirror."""

    by_stage: dict[str, int]
    funnel_by_month: tuple[FunnelRow, ...]
    funnel_by_source: tuple[FunnelRow, ...]
    effort: tuple[EffortRow, ...]
    mirror: Mirror | None = None


def garden_stats(
    judged: Iterable[tuple[Person, Facts, Verdict]],
    weeks: Sequence[WeekCount] = (),
    mirror: Mirror | None = None,
    people_before: int = 0,
) -> Stats:
    """All the statistics; `people_before` counts people added before the first week."""
    return stats_of((summary(*row) for row in judged), weeks, mirror, people_before)


@dataclass(frozen=True)
class StatsInput:
    """What the statistics read of one judged person."""

    stage: Stage
    grown: Stage
    month: str  # the month seeded (`seeded_month`)
    source: str | None  # where we met (met_where)


def summary(person: Person, facts: Facts, verdict: Verdict) -> StatsInput:
    """What the statistics read of one judged person."""
    month = seeded_month(seeded_on(person, facts))
    return StatsInput(verdict.stage, verdict.grown, month, person.met_where)


def seeded_month(day: date | None) -> str:
    """The funnel's month key of a seeding day: 2025-06, or unknown."""
    return day.strftime("%Y-%m") if day else UNKNOWN_SOURCE


def stats_of(
    rows: Iterable[StatsInput],
    weeks: Sequence[WeekCount] = (),
    mirror: Mirror | None = None,
    people_before: int = 0,
) -> Stats:
    """`garden_stats` from what it reads of each person (a whole garden judged at once)."""
    summaries = list(rows)
    by_month, by_source = funnels_of(summaries)
    counts = dict.fromkeys((s.value for s in Stage), 0)
    for row in summaries:
        counts[row.stage.value] += 1
    return Stats(
        by_stage=counts,
        funnel_by_month=by_month,
        funnel_by_source=by_source,
        effort=effort(weeks, people_before),
        mirror=mirror,
    )


def count_by_stage(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """People per stage, every stage present (zeros included)."""
    counts = dict.fromkeys((s.value for s in Stage), 0)
    for v in verdicts:
        counts[v.stage.value] += 1
    return counts


def seeded_on(person: Person, facts: Facts) -> date | None:
    """When a person was seeded: when we met, first knew each other, or they were added."""
    return person.met_on or facts.known_since or person.created_on


def funnels(
    judged: Iterable[tuple[Person, Facts, Verdict]],
) -> tuple[tuple[FunnelRow, ...], tuple[FunnelRow, ...]]:
    """The funnel by month seeded (oldest first) and by source (largest first)."""
    return funnels_of(summary(*row) for row in judged)


def funnels_of(
    rows: Iterable[StatsInput],
) -> tuple[tuple[FunnelRow, ...], tuple[FunnelRow, ...]]:
    """`funnels` from what it reads of each person."""
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    sources: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        source = (row.source or "").strip() or UNKNOWN_SOURCE
        for table, key in ((months, row.month), (sources, source)):
            counts = table[key]
            counts[0] += 1
            counts[1] += row.grown in _GREW
            counts[2] += row.grown is Stage.TRUSTED
    return funnel_rows(months, sources)


def funnel_rows(
    months: Mapping[str, Sequence[int]], sources: Mapping[str, Sequence[int]]
) -> tuple[tuple[FunnelRow, ...], tuple[FunnelRow, ...]]:
    """The funnels from [seeded, grew, trusted] per key: months oldest, sources largest first."""
    by_month = tuple(FunnelRow(k, *months[k]) for k in sorted(months))
    by_source = sorted((FunnelRow(k, *c) for k, c in sources.items()), key=_by_size)
    return by_month, tuple(by_source)


def effort(weeks: Sequence[WeekCount], people_before: int = 0) -> tuple[EffortRow, ...]:
    """Interactions per week against people added per week and the running total."""
    total = people_before
    rows = []
    for w in sorted(weeks, key=lambda w: w.week):
        total += w.new_people
        rows.append(EffortRow(w.week, w.interactions, w.new_people, total))
    return tuple(rows)


def _by_size(row: FunnelRow) -> tuple[int, str]:
    return (-row.seeded, row.key)
