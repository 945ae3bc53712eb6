"""Backups scheduled while `kith serve` runs: due by the newest copy's age, failures logged.

The schedule itself with a clock the test moves, and `kith serve` as a real process with a
schedule of seconds.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kith.app.backup_schedule import BackupSchedule
from kith.app.garden import Garden
from kith.settings import BackupSettings
from tests.integration.test_api_actions import free_port

NOW = datetime(2026, 11, 27, 3, 15, tzinfo=UTC)


def _backups(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("kith-*"))


def test_the_schedule_backs_up_when_the_newest_copy_is_old_enough(
    sqlite_garden: Garden, tmp_path: Path
) -> None:
    now = [NOW]
    folder = tmp_path / "backups"
    settings = BackupSettings(folder=folder, daily=2, weekly=0, every_hours=24)
    schedule = BackupSchedule(sqlite_garden, settings, clock=lambda: now[0])

    assert schedule.run_once() is not None  # none yet: due at once
    now[0] = NOW + timedelta(hours=23)
    assert schedule.run_once() is None
    for day in (1, 2, 3):
        now[0] = NOW + timedelta(days=day)
        assert schedule.run_once() is not None
    assert _backups(folder) == ["kith-20261129-031500.sqlite", "kith-20261130-031500.sqlite"]
    assert len(schedule.done) == 4


def test_a_failed_scheduled_backup_is_logged_and_tried_again(
    sqlite_garden: Garden, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    schedule = BackupSchedule(sqlite_garden, BackupSettings(folder=blocked), clock=lambda: NOW)
    with caplog.at_level(logging.WARNING, logger="kith.backups"):
        assert schedule.run_once() is None
    assert "scheduled backup failed" in caplog.text
    blocked.unlink()
    assert schedule.run_once() is not None


def test_kith_serve_backs_up_on_schedule_and_stops_cleanly(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    env = {
        **os.environ,
        "KITH_DATABASE_URL": sqlite_url,
        "KITH_CONFIG": str(tmp_path / "none.toml"),
        "KITH_BACKUP_DIR": str(folder),
        "KITH_BACKUP_EVERY": "0.0005",  # 1.8 s
    }
    kith = str(Path(sys.executable).with_name("kith"))
    subprocess.run([kith, "init"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [kith, "serve", "--port", str(free_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: set[str] = set()
    try:
        deadline = time.monotonic() + 60
        while len(seen) < 2 and time.monotonic() < deadline:  # rotation keeps one a day
            seen.update(_backups(folder))
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert len(seen) >= 2, err
    assert len(_backups(folder)) == 1  # the newest of today, as rotation keeps
    assert "backing up every 0.0005 h" in out
    assert "Traceback" not in err
