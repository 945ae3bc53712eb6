"""The dashboard the web app serves after a write equals the one judged from scratch.

The web app caches the dashboard's figures against the garden's version and keeps its last
judgement of the garden (`dashboard.KeptJudgements`), judging again after a write only the
people whose rows changed (`store.garden_changes`); after any write, through any path, the
next dashboard must be what `dashboard.figures_reference` (everyone judged by the Python
rules) gives for the garden as it now is. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from kith.app import asking, dashboard, events, exporting, importing, merging, nurture, people
from kith.app.dashboard import KeptJudgements
from kith.app.errors import KithError
from kith.app.garden import Garden, open_garden
from kith.core.model import Direction
from kith.settings import Settings
from kith.store import garden_changes
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


def _ask(who: int, outcome: str | None) -> Write:
    def write(g: Garden) -> None:
        asking.ask(g, f"#{who}", "an intro", force=True)
        if outcome:
            asking.ask_outcome(g, f"#{who}", outcome)

    return write


def _asked_by(who: int, pitch: bool) -> Write:
    return lambda g: events.asked_by(g, f"#{who}", "a favour", pitch=pitch)


def _breach(who: int, forgiven: bool) -> Write:
    def write(g: Garden) -> None:
        events.breach(g, f"#{who}", "a broken promise")
        if forgiven:
            events.forgive(g, f"#{who}", "a broken promise")

    return write


def _cadence(who: int, days: int | None) -> Write:
    change = people.Edit(cadence=days, clear_cadence=days is None)
    return lambda g: people.edit(g, f"#{who}", change)


def _merge(keep: int, gone: int) -> Write:
    return lambda g: merging.merge(g, f"#{keep}", f"#{gone}")


def _forget(who: int) -> Write:
    return lambda g: people.forget(g, f"#{who}", confirmed=True)


def _import(names: list[str]) -> Write:
    """A LinkedIn export of these people (new ones added, known ones merged)."""

    def write(g: Garden) -> None:
        rows = "".join(f"{name},Smith,,,Acme,,01 Oct 2024\n" for name in names)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "connections.csv"
            path.write_text(LINKEDIN_HEADER + rows, encoding="utf-8")
            importing.import_file(g, "linkedin", path)

    return write


LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _prune(who: int) -> Write:
    return lambda g: people.prune(g, f"#{who}")


def _restore(who: int) -> Write:
    return lambda g: people.restore(g, f"#{who}")


WHO = st.integers(min_value=1, max_value=8)
WRITES = st.one_of(
    st.builds(_ask, WHO, st.sampled_from((None, "yes", "no", "ignored"))),
    st.builds(_asked_by, WHO, st.booleans()),
    st.builds(_breach, WHO, st.booleans()),
    st.builds(_cadence, WHO, st.one_of(st.none(), st.integers(min_value=1, max_value=90))),
    st.builds(_merge, WHO, WHO),
    st.builds(_forget, WHO),
    st.builds(_import, st.lists(st.sampled_from(("Ana", "Jon", "Person")), max_size=3)),
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


EACH_KIND: tuple[Write, ...] = (
    _log(2, "call", 0, "me"),
    _log(5, "meal", 3, "them"),
    _give(3, True),
    _give(3, False),
    _snooze(1, 30),
    _ask(2, "yes"),
    _ask(5, None),
    _asked_by(6, True),
    _breach(3, False),
    _breach(2, True),
    _cadence(6, 3),
    _cadence(6, None),
    _prune(4),
    _restore(4),
    _seed(7),
    _merge(1, 7),
    _forget(5),
    _import(["Ana", "Person"]),
    _import(["Ana"]),
)


def _fresh_cache() -> tuple[VersionedCache, KeptJudgements]:
    return VersionedCache(size=4), KeptJudgements()


def test_the_dashboard_after_each_kind_of_write_is_judged_afresh(garden: Garden) -> None:
    _planted(garden)
    cache, kept = _fresh_cache()
    assert cached_dashboard(cache, garden, kept) == dashboard.figures_reference(garden, FEED_LIMIT)
    with garden.reading() as conn:
        assert garden_changes.position(conn) is not None  # the kept judgement is updated
    for write in EACH_KIND:
        write(garden)
        reference = dashboard.figures_reference(garden, FEED_LIMIT)
        assert cached_dashboard(cache, garden, kept) == reference
        assert cached_dashboard(VersionedCache(size=1), garden) == reference  # judging all
        assert kept.get(garden.account_id) is not None


def test_a_restored_garden_is_judged_afresh(garden: Garden, tmp_path: Path) -> None:
    _planted(garden)
    _prune(3)(garden)
    backup = tmp_path / "backup.json"
    exporting.export(garden, "json", backup)
    url = garden.engine.url.render_as_string(hide_password=False)
    restored = open_garden(Settings(database_url=url, account="restored"), garden.today)
    try:
        cache, kept = _fresh_cache()
        empty = cached_dashboard(cache, restored, kept)
        assert empty == dashboard.figures_reference(restored, FEED_LIMIT)
        importing.import_file(restored, "json", backup)
        after = cached_dashboard(cache, restored, kept)
        assert after == dashboard.figures_reference(restored, FEED_LIMIT)
        assert sum(after.stats.by_stage.values()) > 0  # the restore is in it
    finally:
        restored.engine.dispose()


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
    cache, kept = _fresh_cache()
    cached_dashboard(cache, garden, kept)  # warm, as a server that showed the page before
    for write in writes:
        _attempt(write, garden)
        assert cached_dashboard(cache, garden, kept) == dashboard.figures_reference(
            garden, FEED_LIMIT
        )


def test_two_writers_committing_out_of_xid_order_are_both_seen(postgres_url: str) -> None:
    # PostgreSQL: the younger transaction commits first; the kept judgement must still take
    # in the older one when it commits (the log's position is a snapshot, not a number).
    garden = open_garden(Settings(database_url=postgres_url), TODAY)
    try:
        _planted(garden)
        cache, kept = _fresh_cache()
        cached_dashboard(cache, garden, kept)
        with garden.reading() as conn:
            first, second = conn.execute(text("SELECT id FROM people ORDER BY id LIMIT 2")).all()
        prune = text("UPDATE people SET state = 'pruned' WHERE id = :id")
        with garden.engine.connect() as older, garden.engine.connect() as younger:
            older_write = older.begin()
            older.execute(prune, {"id": first.id})  # takes its transaction id first
            with younger.begin():
                younger.execute(prune, {"id": second.id})
            seen = cached_dashboard(cache, garden, kept)
            assert seen == dashboard.figures_reference(garden, FEED_LIMIT)
            older_write.commit()
        after = cached_dashboard(cache, garden, kept)
        assert after == dashboard.figures_reference(garden, FEED_LIMIT)
        assert after.stats.by_stage != seen.stats.by_stage  # the older write is in it
    finally:
        garden.engine.dispose()


@pytest.mark.citus
def test_on_citus_the_dashboard_after_a_write_is_judged_whole(citus_garden_url: str) -> None:
    # Citus distributes no table with triggers: no change log, the whole garden each time.
    garden = open_garden(Settings(database_url=citus_garden_url), TODAY)
    try:
        _planted(garden)
        cache, kept = _fresh_cache()
        with garden.reading() as conn:
            assert garden_changes.position(conn) is None
        cached_dashboard(cache, garden, kept)
        _log(2, "call", 0, "me")(garden)
        _prune(3)(garden)
        reference = dashboard.figures_reference(garden, FEED_LIMIT)
        assert dashboard.figures(garden, FEED_LIMIT, kept) == reference
        assert cached_dashboard(cache, garden, kept) == reference
        assert kept.get(garden.account_id) is None
    finally:
        garden.engine.dispose()


def test_a_kept_judgement_made_under_other_rules_is_not_reused(garden: Garden) -> None:
    # The kept facts' rules (weights, half-lives) are the same; when a seed goes stale is not.
    _planted(garden)
    kept = KeptJudgements()
    before = dashboard.figures(garden, FEED_LIMIT, kept)
    patient = replace(garden, rules=replace(garden.rules, seed_stale_after_days=271))
    after = dashboard.figures(patient, FEED_LIMIT, kept)
    assert after == dashboard.figures_reference(patient, FEED_LIMIT)
    assert after != before  # the other rules do judge this garden otherwise
