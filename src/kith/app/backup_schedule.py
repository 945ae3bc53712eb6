"""Backups while `kith serve` runs: a thread that backs up whenever one is due.

It looks at the backup folder every few minutes (or every `every_hours`, if shorter) and
backs up when the newest copy is `every_hours` old (`core.rotation.backup_due`), so a
server restarted often does not back up each time, and one left running for weeks backs up
on schedule. A failed backup (a full disk, pg_dump missing) is logged and tried again at the
next look; it never stops the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from kith.app.db_backup import BackedUp, backup_if_due
from kith.app.errors import KithError, StoreError
from kith.app.garden import Garden
from kith.settings import BackupSettings

log = logging.getLogger("kith.backups")
LOOK_EVERY_SECONDS = 300.0


class BackupSchedule:
    """Scheduled backups of one garden, started and stopped with the server."""

    def __init__(
        self,
        garden: Garden,
        settings: BackupSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Back up `garden` as `settings` say, reading the time from `clock`."""
        self.garden = garden
        self.settings = settings
        self.clock = clock
        self.done: list[BackedUp] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kith-backups", daemon=True)

    @property
    def interval(self) -> float:
        """Seconds between two looks at the backup folder."""
        return min(LOOK_EVERY_SECONDS, self.settings.every_hours * 3600)

    def start(self) -> None:
        """Look now, then every `interval` seconds until `stop`."""
        if self.settings.every_hours > 0:
            self._thread.start()

    def stop(self) -> None:
        """Stop looking; a backup under way finishes first."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def run_once(self) -> BackedUp | None:
        """One look: back up if due; a failure is logged, not raised."""
        try:
            made = backup_if_due(self.garden, self.settings, self.clock())
        except (KithError, StoreError, OSError) as error:
            log.warning("scheduled backup failed, trying again later: %s", error)
            return None
        if made is not None:
            self.done.append(made)
            log.info("backed up to %s (%d bytes)", made.path, made.size)
        return made

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval)
