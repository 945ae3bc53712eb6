"""The dashboard: today's feed, the stats and the reciprocity histogram, in one judgement."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kith.app import judging, nurture, reports
from kith.app.garden import Garden
from kith.core.feed import FeedItem
from kith.core.model import PersonState
from kith.core.stats import Stats
from kith.store import people as people_store

BALANCE_BINS = (-10, -5, -2, -1, 0, 1, 2, 5, 10)  # edges of the reciprocity histogram


@dataclass(frozen=True)
class Dashboard:
    """The dashboard: today's feed, the stats and the balance histogram."""

    feed: list[FeedItem]
    stats: Stats
    balances: dict[str, int]  # histogram label -> people


def figures(garden: Garden, feed_limit: int) -> Dashboard:
    """Feed, stats and balances from one judgement of the whole garden."""
    with garden.reading() as conn:
        everyone = people_store.load_people_to_judge(conn, garden.account_id)
        judged = judging.judged(conn, garden, everyone, topics=False)
        return Dashboard(
            feed=nurture.feed_from(conn, garden, judged, feed_limit),
            stats=reports.stats_from(conn, garden, judged),
            balances=bin_balances(
                verdict.balance
                for person, _, verdict in judged
                if person.state is PersonState.ACTIVE
            ),
        )


def bin_balances(balances: Iterable[int]) -> dict[str, int]:
    """How many people fall in each band of reciprocity balance, labelled for a chart."""
    labels = [f"≤ {BALANCE_BINS[0]}"]
    labels += [f"{lo + 1}…{hi}" if hi - lo > 1 else str(hi) for lo, hi in _pairs()]
    labels.append(f"> {BALANCE_BINS[-1]}")
    counts: Counter[str] = Counter()
    for value in balances:
        counts[labels[_bin(value)]] += 1
    return {label: counts[label] for label in labels}


def _pairs() -> list[tuple[int, int]]:
    return list(itertools.pairwise(BALANCE_BINS))


def _bin(value: int) -> int:
    for index, edge in enumerate(BALANCE_BINS):
        if value <= edge:
            return index
    return len(BALANCE_BINS)
