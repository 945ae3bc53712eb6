"""SQLite on a full filesystem: one clear line, nothing half-written, usable once freed.

The garden lives on a 2 MiB tmpfs mounted for the test (root only: CI runs as root, and
under CI=true a missing mount fails the run instead of skipping it).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Kith, assert_no_drift
from tests.integration import crash
from tests.integration.test_crash_harness import contacts_vcf


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 and os.environ.get("CI") != "true":
        pytest.skip("mounting a small filesystem needs root")
    subprocess.run(
        ["/usr/bin/mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True
    )
    try:
        yield mount
    finally:
        subprocess.run(["/usr/bin/umount", str(mount)], check=True)


def _fill(folder: Path, leave: int) -> Path:
    """Take all but `leave` bytes of the filesystem with one file."""
    filler = folder / "filler"
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_is_one_clear_line_writes_nothing_and_the_garden_works_once_freed(
    small_disk: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{small_disk / 'garden.db'}"
    kith = Kith(url, tmp_path)
    kith.ok("init")
    kith.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    before = crash.fingerprint(url)
    filler = _fill(small_disk, leave=48 * 1024)
    contacts = contacts_vcf(tmp_path / "contacts.vcf", 3000)

    refused = kith("import", "vcard", str(contacts))

    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1
    assert "disk is full" in refused.stderr
    assert "Traceback" not in refused.stderr
    filler.unlink()
    assert crash.integrity(url) == []
    assert crash.fingerprint(url) == before
    kith.ok("import", "vcard", str(contacts))
    assert kith.ok("list", "--json").json()[0]["name"]
    assert_no_drift(url)
