"""What `kith stats` and GET /api/v1/stats present: stages, funnels, effort and the mirror.

Shaped once here from core's `Stats`; the CLI prints it (`--json` through
`documents.to_json`) and the API answers with it. Only the standard library is imported at
run time, so the CLI can name these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the builders' inputs
    from kith.core.mirror import Mirror
    from kith.core.stats import EffortRow, FunnelRow, Stats


@dataclass(frozen=True)
class FunnelView:
    """Of the people seeded in a month (or from a source): how many grew, became trusted."""

    key: str
    seeded: int
    grew: int
    trusted: int
    grew_share: float
    trusted_share: float

    @classmethod
    def of(cls, row: FunnelRow) -> FunnelView:
        """The view of one funnel row, its shares rounded."""
        return cls(
            row.key,
            row.seeded,
            row.grew,
            row.trusted,
            round(row.grew_share, 3),
            round(row.trusted_share, 3),
        )


@dataclass(frozen=True)
class EffortView:
    """One week's interactions and new people, and the garden's size after it."""

    week: date
    interactions: int
    new_people: int
    people_total: int

    @classmethod
    def of(cls, row: EffortRow) -> EffortView:
        """The view of one week."""
        return cls(row.week, row.interactions, row.new_people, row.people_total)


@dataclass(frozen=True)
class MirrorView:
    """My own asking and giving lately, and what to tell me about it."""

    days: int
    asks: int
    pitches: int
    given: int
    received: int
    people_helped: int
    people_helped_ever: int
    asking_more_than_giving: bool
    lines: tuple[str, ...]

    @classmethod
    def of(cls, found: Mirror) -> MirrorView:
        """The view of a look in the mirror."""
        c = found.counts
        return cls(
            days=c.days,
            asks=c.asks,
            pitches=c.pitches,
            given=c.given,
            received=c.received,
            people_helped=c.people_helped,
            people_helped_ever=c.people_helped_ever,
            asking_more_than_giving=found.asking_more_than_giving,
            lines=found.lines,
        )


@dataclass(frozen=True)
class StatsView:
    """The garden's statistics: people per stage, the funnels, effort, and the mirror."""

    by_stage: dict[str, int]
    funnel_by_month: tuple[FunnelView, ...]
    funnel_by_source: tuple[FunnelView, ...]
    effort: tuple[EffortView, ...]
    mirror: MirrorView | None

    @classmethod
    def of(cls, stats: Stats) -> StatsView:
        """The view of the garden's statistics."""
        return cls(
            by_stage=dict(stats.by_stage),
            funnel_by_month=tuple(FunnelView.of(r) for r in stats.funnel_by_month),
            funnel_by_source=tuple(FunnelView.of(r) for r in stats.funnel_by_source),
            effort=tuple(EffortView.of(r) for r in stats.effort),
            mirror=MirrorView.of(stats.mirror) if stats.mirror else None,
        )
