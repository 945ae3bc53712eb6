"""The dashboard: today's feed, the stats and the reciprocity histogram, in one judgement."""

from __future__ import annotations

import itertools
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from kith.app import judging, nurture, reports
from kith.app.garden import Garden
from kith.core.feed import FeedItem
from kith.core.garden_judgement import GardenJudgement, by_id, judge_garden, spliced
from kith.core.model import PersonState
from kith.core.rules import Rules
from kith.core.stats import Stats
from kith.store import Connection, garden_changes
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


# More changed people than this since the kept judgement: judging everyone is as quick.
CHANGED_AT_MOST = 2_000


@dataclass(frozen=True)
class _Kept:
    """A garden's judgement, the day and rules it was made under, where the log stood."""

    today: date
    rules: Rules  # all of them: the judgement uses more than the kept facts' rules_key
    position: garden_changes.Position  # read before the garden
    judgement: GardenJudgement
    sources: Any  # each person's met_where, an array in the judgement's order


class KeptJudgements:
    """The last whole-garden judgement of each account (the most recent `size` accounts).

    One per web app: after a write, the next dashboard judges again only the people whose
    rows changed since (`store.garden_changes`) instead of reading the whole garden.
    """

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._kept: OrderedDict[int, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, account_id: int) -> _Kept | None:
        """The account's last judgement, if kept."""
        with self._lock:
            return self._kept.get(account_id)

    def put(self, account_id: int, kept: _Kept) -> None:
        """Keep the account's judgement, forgetting the least recent account's past `size`."""
        with self._lock:
            self._kept[account_id] = kept
            self._kept.move_to_end(account_id)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def figures(garden: Garden, feed_limit: int, kept: KeptJudgements | None = None) -> Dashboard:
    """Feed, stats and balances from one judgement of the whole garden.

    One vectorised pass over the kept facts (`core.garden_judgement`) serves all three;
    the Python rules judge only the people shown and those the columns cannot settle.
    With `kept`, the judgement is that of the last call with only the people changed since
    judged again. `figures_reference` judges everyone in Python.
    """
    with garden.reading() as conn:
        judged = _judgement(conn, garden, kept)
        if judged is None:  # facts not kept under these rules: judge everyone
            return _figures_judging_all(conn, garden, feed_limit)
        judgement, sources = judged
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
            stats=reports.stats_judged(conn, garden, judgement, sources.tolist()),
            balances=_bin_balance_array(np.concatenate([settled, np.asarray(others, dtype=int)])),
        )


def _judgement(
    conn: Connection, garden: Garden, kept: KeptJudgements | None
) -> tuple[GardenJudgement, Any] | None:
    """The garden's judgement and sources: updated from `kept`'s when it can be, else whole."""
    position = None if kept is None else garden_changes.position(conn)  # before the garden
    last = None if kept is None else kept.get(garden.account_id)
    rules = garden.rules
    if position is None or last is None or (last.today, last.rules) != (garden.today, rules):
        judged = _whole(conn, garden)
    else:
        judged = _updated(conn, garden, last, position)
    if kept is not None and position is not None and judged is not None:
        kept.put(garden.account_id, _Kept(garden.today, rules, position, *judged))
    return judged


def _whole(conn: Connection, garden: Garden) -> tuple[GardenJudgement, Any] | None:
    columns = load_garden_columns(conn, garden.account_id, garden.rules, sources=True)
    if columns is None:
        return None
    judgement = judge_garden(columns, garden.today, garden.rules)
    return by_id(judgement, _objects(columns.sources))


def _updated(
    conn: Connection, garden: Garden, last: _Kept, now: garden_changes.Position
) -> tuple[GardenJudgement, Any] | None:
    """`last`'s judgement with the people changed since judged again."""
    changed = garden_changes.changed_since(conn, garden.account_id, last.position, now)
    if changed is None or len(changed) > CHANGED_AT_MOST:
        return _whole(conn, garden)
    if not changed:
        return last.judgement, last.sources
    columns = load_garden_columns(conn, garden.account_id, garden.rules, sources=True, ids=changed)
    if columns is None:  # the facts are kept under other rules now
        return None
    fresh = judge_garden(columns, garden.today, garden.rules)
    return spliced((last.judgement, last.sources), (fresh, _objects(columns.sources)), changed)


def _objects(values: Iterable[Any]) -> Any:
    found = list(values)
    array = np.empty(len(found), dtype=object)
    array[:] = found
    return array


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
