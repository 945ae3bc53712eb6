"""Backup rotation: N daily and M weekly, the newest always kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kith.core.rotation import backup_due, to_keep

START = datetime(2026, 1, 5, 3, 15, tzinfo=UTC)  # a Monday


def test_thirty_nightly_backups_keep_seven_days_and_four_weeks() -> None:
    nights = [START + timedelta(days=n) for n in range(30)]  # up to Tuesday 2026-02-03
    kept = to_keep(nights, daily=7, weekly=4)
    assert set(nights[-7:]) <= kept
    # the newest of each of the last four ISO weeks: Sunday 01-25, 02-01 and this week's
    # Tuesday (within the daily ones), and Sunday 01-18
    assert kept - set(nights[-7:]) == {START + timedelta(days=20), START + timedelta(days=13)}


def test_two_backups_on_one_day_count_as_that_day_once() -> None:
    morning, evening = START, START + timedelta(hours=12)
    assert to_keep([morning, evening, START - timedelta(days=1)], daily=1, weekly=0) == {evening}


moments = st.lists(
    st.datetimes(
        START.replace(tzinfo=None), START.replace(year=2030, tzinfo=None), timezones=st.just(UTC)
    ),
    max_size=60,
)


@given(moments, st.integers(0, 10), st.integers(0, 10))
def test_the_newest_is_kept_and_never_more_than_asked(
    stamps: list[datetime], daily: int, weekly: int
) -> None:
    kept = to_keep(stamps, daily, weekly)
    assert kept <= set(stamps)
    if stamps:
        assert max(stamps) in kept
        assert len(kept) <= max(1, daily + weekly)
    assert to_keep(kept, daily, weekly) == kept  # rotating again removes nothing more


def test_a_scheduled_backup_is_due_when_the_newest_is_old_enough() -> None:
    assert backup_due([], START, every_hours=24)
    assert not backup_due([START], START + timedelta(hours=23, minutes=59), every_hours=24)
    assert backup_due([START - timedelta(days=3), START], START + timedelta(hours=24), 24)
    assert not backup_due([], START, every_hours=0)  # 0 turns the schedule off


def test_a_backup_stamped_in_the_future_does_not_stop_the_schedule() -> None:
    assert backup_due([START + timedelta(days=30)], START, every_hours=24)
