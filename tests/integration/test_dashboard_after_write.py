"""The dashboard the web app serves after a write equals the one judged from scratch.

The web app caches the dashboard's figures against the garden's version; after any write,
through any path, the next dashboard must be what `dashboard.figures_reference` (everyone
judged by the Python rules) gives for the garden as it now is. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.app import dashboard, events, nurture, people
from kith.app.errors import KithError
from kith.app.garden import Garden
from kith.core.model import Direction
from kith.web.cache import VersionedCache
from kith.web.pages_garden import FEED_LIMIT, cached_dashboard
from tests.conftest import TODAY

Write = Callable[[Garden], object]
_PLANTED: set[str] = set()  # gardens (one per test run) already given their six people
KINDS = ("small-talk", "message", "call", "meeting", "meal")


def _seed(number: int) -> Write:
    return lambda g: people.seed(g, f"Person {number}", met="conference", new=True)


def _log(who: int, kind: str, days_ago: int, by: str) -> Write:
    on = (TODAY - timedelta(days=days_ago)).isoformat()
    return lambda g: events.log(g, f"#{who}", kind, on=on, by=by)


def _give(who: int, given: bool) -> Write:
    direction = Direction.GIVEN if given else Direction.RECEIVED
    return lambda g: events.exchange(g, f"#{who}", "a favour", direction)


def _snooze(who: int, days: int) -> Write:
    return lambda g: nurture.snooze(g, f"#{who}", days)


def _prune(who: int) -> Write:
    return lambda g: people.prune(g, f"#{who}")


def _restore(who: int) -> Write:
    return lambda g: people.restore(g, f"#{who}")


WHO = st.integers(min_value=1, max_value=6)
WRITES = st.one_of(
    st.builds(_seed, st.integers(min_value=100, max_value=10_000)),
    st.builds(
        _log,
        WHO,
        st.sampled_from(KINDS),
        st.integers(min_value=-3, max_value=400),  # a few in the future: Python rules judge them
        st.sampled_from(("me", "them")),
    ),
    st.builds(_give, WHO, st.booleans()),
    st.builds(_snooze, WHO, st.integers(min_value=1, max_value=60)),
    st.builds(_prune, WHO),
    st.builds(_restore, WHO),
)


def _planted(garden: Garden) -> None:
    for number in range(1, 7):
        people.seed(garden, f"Person {number}", met="conference", new=True)
        events.log(
            garden, f"#{number}", "meeting", on=(TODAY - timedelta(days=number * 20)).isoformat()
        )


def _attempt(write: Write, garden: Garden) -> None:
    with contextlib.suppress(KithError):  # a refused write (pruned, not there) changes nothing
        write(garden)


def test_the_dashboard_after_each_kind_of_write_is_judged_afresh(garden: Garden) -> None:
    _planted(garden)
    cache = VersionedCache(size=4)
    assert cached_dashboard(cache, garden) == dashboard.figures_reference(garden, FEED_LIMIT)
    for write in (_log(2, "call", 0, "me"), _give(3, True), _snooze(1, 30), _prune(4), _seed(7)):
        write(garden)
        assert cached_dashboard(cache, garden) == dashboard.figures_reference(garden, FEED_LIMIT)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=6))
def test_the_dashboard_after_random_writes_equals_the_reference(
    garden: Garden, writes: list[Write]
) -> None:
    # The garden carries over from one example to the next: a longer random walk.
    if garden.url not in _PLANTED:
        _planted(garden)
        _PLANTED.add(garden.url)
    cache = VersionedCache(size=4)
    cached_dashboard(cache, garden)  # warm, as a server that showed the page before the write
    for write in writes:
        _attempt(write, garden)
        assert cached_dashboard(cache, garden) == dashboard.figures_reference(garden, FEED_LIMIT)
