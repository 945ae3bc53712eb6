"""Which backups to keep: the newest of each of the last N days and of the last M weeks.

Pure: the moments backups were taken in, the counts out of the settings, and the set of
moments to keep. The newest backup is always kept, whatever the counts say.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime


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
