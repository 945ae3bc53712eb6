"""Which backups to keep: the newest of each of the last N days and of the last M weeks.

Pure: the moments backups were taken in, the counts out of the settings, and the set of
moments to keep. The newest backup is always kept, whatever the counts say.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta


def _newest_per(
    stamps: list[datetime], period: Callable[[datetime], Hashable], count: int
) -> set[datetime]:
    newest: dict[Hashable, datetime] = {}
    for stamp in sorted(stamps, reverse=True):
        newest.setdefault(period(stamp), stamp)
    return set(sorted(newest.values(), reverse=True)[:count])


def to_keep(stamps: Iterable[datetime], daily: int, weekly: int) -> set[datetime]:
    """The stamps to keep: newest per day for `daily` days, per ISO week for `weekly` weeks."""
    listed = list(stamps)
    if not listed:
        return set()
    kept = {max(listed)}
    kept |= _newest_per(listed, lambda s: s.date(), daily)
    kept |= _newest_per(listed, lambda s: s.isocalendar()[:2], weekly)
    return kept


def backup_due(stamps: Iterable[datetime], now: datetime, every_hours: float) -> bool:
    """Whether a scheduled backup is due: none yet, or the newest is `every_hours` old.

    `every_hours` 0 means never. A newest stamp in the future (a clock set back) is not
    waited for: it counts as due, so a wrong clock cannot stop the backups.
    """
    if every_hours <= 0:
        return False
    newest = max(stamps, default=None)
    if newest is None or newest > now:
        return True
    return now - newest >= timedelta(hours=every_hours)
