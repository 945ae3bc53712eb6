"""What `kith feed`, `kith weed` and `kith ask` present, and the API answers with.

Shaped once here (feed and weed rows are core's own items); the CLI prints these (`--json`
through `documents.to_json`) and the API's GET /feed, GET /weed and POST /people/{id}/asks
return them. Only core is imported at run time, so the CLI can name these types without
loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kith.core.feed import FeedItem
from kith.core.model import AskSize, Stage
from kith.core.weeding import WeedItem

if TYPE_CHECKING:  # the builders' inputs
    from kith.app.asking import AskResult


# Feed and weed rows are core's items themselves: their fields are the contract's keys.
FeedRow = FeedItem
WeedRow = WeedItem


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
