"""What `kith feed`, `kith weed` and `kith ask` present, and the API answers with.

Shaped once here; the CLI prints these (`--json` through `documents.to_json`) and the API's
GET /feed, GET /weed and POST /people/{id}/asks return them. Only the model is imported at
run time, so the CLI can name these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kith.core.model import AskSize, Stage

if TYPE_CHECKING:  # the builders' inputs
    from kith.app.asking import AskResult
    from kith.core.feed import FeedItem
    from kith.core.weeding import WeedItem


@dataclass(frozen=True)
class FeedRow:
    """One person to nurture today: when it was due, why, and a gesture."""

    id: int
    name: str
    stage: Stage
    due: date
    overdue_days: int
    why: str
    gesture: str

    @classmethod
    def of(cls, item: FeedItem) -> FeedRow:
        """The row of one feed item."""
        return cls(
            item.person_id,
            item.name,
            item.stage,
            item.due,
            item.overdue_days,
            item.why,
            item.gesture,
        )


@dataclass(frozen=True)
class WeedRow:
    """A prune candidate: the defects that make them one, and the rest of the picture."""

    id: int
    name: str
    stage: Stage
    reasons: tuple[str, ...]
    context: tuple[str, ...] = ()

    @classmethod
    def of(cls, item: WeedItem) -> WeedRow:
        """The row of one weed item."""
        return cls(item.person_id, item.name, item.stage, item.reasons, item.context)


@dataclass(frozen=True)
class AskVerdict:
    """Whether an ask of someone is welcome now, why, what to give first, and if recorded."""

    name: str
    ready: bool
    stage: Stage
    reasons: tuple[str, ...]
    give_first: tuple[str, ...]
    max_size: AskSize | None
    recorded: bool

    @classmethod
    def of(cls, result: AskResult) -> AskVerdict:
        """The verdict of one checked ask."""
        check = result.check
        return cls(
            name=result.name,
            ready=check.ready,
            stage=check.stage,
            reasons=check.reasons,
            give_first=check.give_first,
            max_size=check.max_size,
            recorded=result.recorded,
        )
