"""The dashboard: today's feed, the stats and the reciprocity histogram, in one judgement."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kith.app import judging, nurture, reports
from kith.app.garden import Garden
from kith.core.feed import FeedItem
from kith.core.garden_judgement import judge_garden
from kith.core.model import PersonState
from kith.core.stats import Stats
from kith.store import Connection
from kith.store import people as people_store
from kith.store.garden_columns import load_garden_columns
from kith.store.write_version import writes_version

BALANCE_BINS = (-10, -5, -2, -1, 0, 1, 2, 5, 10)  # edges of the reciprocity histogram


@dataclass(frozen=True)
class Dashboard:
    """The dashboard: today's feed, the stats and the balance histogram."""

    feed: list[FeedItem]
    stats: Stats
    balances: dict[str, int]  # histogram label -> people


def figures(garden: Garden, feed_limit: int) -> Dashboard:
    """Feed, stats and balances from one judgement of the whole garden.

    One vectorised pass over the kept facts (`core.garden_judgement`) serves all three;
    the Python rules judge only the people shown and those the columns cannot settle.
    `figures_reference` judges everyone in Python.
    """
    with garden.reading() as conn:
        columns = load_garden_columns(conn, garden.account_id, garden.rules, sources=True)
        if columns is None:  # facts not kept under these rules: judge everyone
            return _figures_judging_all(conn, garden, feed_limit)
        judgement = judge_garden(columns, garden.today, garden.rules)
        must = judgement.must_judge()
        active = ~judgement.pruned
        settled = judgement.balance[active & ~must]
        unsettled = judgement.ids[active & must].tolist()
        others: list[int] = []
        if unsettled:
            chosen = people_store.load_people_to_judge(conn, garden.account_id, ids=unsettled)
            verdicts = judging.judge_people(conn, garden, chosen, topics=False)
            others = [verdict.balance for verdict in verdicts.values()]
        return Dashboard(
            feed=nurture.feed_judged(conn, garden, judgement, feed_limit),
            stats=reports.stats_judged(conn, garden, judgement, columns.sources),
            balances=_bin_balance_array(np.concatenate([settled, np.asarray(others, dtype=int)])),
        )


def version(garden: Garden) -> str:
    """What the web app keys its cached figures by: moves with every write, not with reads.

    On PostgreSQL the current snapshot rather than `Garden.version`'s write-ahead log
    position, which checkpoints, vacuum and hint bits move too (`store.write_version`).
    """
    return writes_version(garden.engine)


def figures_reference(garden: Garden, feed_limit: int) -> Dashboard:
    """`figures` with everyone judged by the Python rules: the reference in tests."""
    with garden.reading() as conn:
        return _figures_judging_all(conn, garden, feed_limit)


def _figures_judging_all(conn: Connection, garden: Garden, feed_limit: int) -> Dashboard:
    everyone = people_store.load_people_to_judge(conn, garden.account_id)
    judged = judging.judged(conn, garden, everyone, topics=False)
    return Dashboard(
        feed=nurture.feed_from(conn, garden, judged, feed_limit),
        stats=reports.stats_from(conn, garden, judged),
        balances=bin_balances(
            verdict.balance for person, _, verdict in judged if person.state is PersonState.ACTIVE
        ),
    )


def bin_balances(balances: Iterable[int]) -> dict[str, int]:
    """How many people fall in each band of reciprocity balance, labelled for a chart."""
    labels = _labels()
    counts: Counter[str] = Counter()
    for value in balances:
        counts[labels[_bin(value)]] += 1
    return {label: counts[label] for label in labels}


def _bin_balance_array(balances: npt.NDArray[Any]) -> dict[str, int]:
    """`bin_balances` over an array: one `searchsorted` instead of a loop over 20,000 people."""
    # searchsorted(side="left") is the first edge with value <= edge, what `_bin` finds
    bins = np.searchsorted(np.asarray(BALANCE_BINS), balances, side="left")
    counts = np.bincount(bins, minlength=len(BALANCE_BINS) + 1).tolist()
    return dict(zip(_labels(), counts, strict=True))


def _labels() -> list[str]:
    labels = [f"≤ {BALANCE_BINS[0]}"]
    labels += [f"{lo + 1}…{hi}" if hi - lo > 1 else str(hi) for lo, hi in _pairs()]
    labels.append(f"> {BALANCE_BINS[-1]}")
    return labels


def _pairs() -> list[tuple[int, int]]:
    return list(itertools.pairwise(BALANCE_BINS))


def _bin(value: int) -> int:
    for index, edge in enumerate(BALANCE_BINS):
        if value <= edge:
            return index
    return len(BALANCE_BINS)
