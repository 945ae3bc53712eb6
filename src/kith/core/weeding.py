"""Weed candidates: the people whose stage is weed, with the reasons, to prune or keep.

Pruning is no failure (the law of averages: not every seed grows) and it is reversible.
Only defects make a weed (see `lifecycle`); quiet and weak ties never appear here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kith.core.lifecycle import Verdict
from kith.core.model import Person, Stage


@dataclass(frozen=True)
class WeedItem:
    """A prune candidate and the reasons it is one."""

    id: int
    name: str
    stage: Stage
    reasons: tuple[str, ...]  # why they are a weed: the defects alone
    context: tuple[str, ...] = ()  # the rest of the picture, kept apart


def weed_candidates(judged: Iterable[tuple[Person, Verdict]]) -> list[WeedItem]:
    """Everyone flagged as a weed, most serious first (more defects), then by name."""
    weeds = [(p, v) for p, v in judged if v.stage is Stage.WEED]
    weeds.sort(key=lambda pv: (-len(pv[1].weed_causes), pv[0].name.casefold()))
    return [
        WeedItem(
            p.id,
            p.name,
            v.stage,
            v.weed_reasons,
            tuple(r for r in v.reasons if r not in v.weed_reasons),
        )
        for p, v in weeds
    ]
