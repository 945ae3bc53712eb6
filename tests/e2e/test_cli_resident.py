"""`kith resident`: a real resident process, and the real `kith` script asking it first.

Each test starts its own resident on a throwaway SQLite garden and stops it in a finally
block (killing it if it will not stop), so no process outlives the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kith.cli import resident_protocol as protocol
from tests.conftest import TODAY

KITH = str(Path(sys.executable).parent / "kith")


class Garden:
    """A throwaway garden and the environment `kith` runs in for it."""

    def __init__(self, tmp_path: Path) -> None:
        run_dir = tmp_path / "run"
        run_dir.mkdir(mode=0o700)
        self.env = os.environ | {
            "KITH_DATABASE_URL": f"sqlite:///{tmp_path / 'kith.db'}",
            "KITH_CONFIG": str(tmp_path / "config.toml"),
            "KITH_TODAY": TODAY.isoformat(),
            "XDG_RUNTIME_DIR": str(run_dir),
        }
        self.tmp_path = tmp_path

    def kith(self, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [KITH, *args], env=self.env | env, capture_output=True, check=False, timeout=300
        )

    def in_process(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """The same command where no resident listens (another runtime dir)."""
        elsewhere = self.tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700, exist_ok=True)
        return self.kith(*args, XDG_RUNTIME_DIR=str(elsewhere))

    def status(self) -> dict[str, object]:
        done = self.kith("resident", "status", "--json")
        assert done.returncode == 0, done.stderr
        answer: dict[str, object] = json.loads(done.stdout)
        return answer


@pytest.fixture
def garden(tmp_path: Path) -> Garden:
    made = Garden(tmp_path)
    assert made.kith("init").returncode == 0
    seeded = made.kith("seed", "Ana Ruiz", "--email", "ana@example.org", "--interest", "jazz")
    assert seeded.returncode == 0, seeded.stderr
    return made


@pytest.fixture
def resident(garden: Garden) -> Iterator[Garden]:
    started = garden.kith("resident", "start")
    pid = garden.status().get("pid")
    try:
        assert started.returncode == 0, started.stderr
        assert garden.status()["current"] is True
        yield garden
    finally:
        garden.kith("resident", "stop")
        if isinstance(pid, int):
            with contextlib.suppress(ProcessLookupError):  # only if `stop` did not end it
                os.kill(pid, signal.SIGKILL)


def _served(garden: Garden) -> int:
    return int(str(garden.status()["served"]))


@pytest.mark.parametrize(
    "args",
    [
        ("show", "Ana Ruiz"),
        ("show", "Ana Ruiz", "--json"),
        ("list",),
        ("list", "--json"),
        ("feed",),
        ("show", "Nobody"),  # exit 1, one line on stderr
        ("show",),  # a usage error: exit 2 and Click's usage text
        ("log", "--help"),
    ],
)
def test_the_resident_answers_byte_for_byte_as_the_command_in_process(
    resident: Garden, args: tuple[str, ...]
) -> None:
    before = _served(resident)
    through = resident.kith(*args)
    assert _served(resident) == before + 1  # it did go through the resident
    here = resident.in_process(*args)
    assert (through.returncode, through.stdout, through.stderr) == (
        here.returncode,
        here.stdout,
        here.stderr,
    )


def test_a_failing_command_says_one_line_and_exits_1(resident: Garden) -> None:
    done = resident.kith("show", "Nobody")
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == b"kith: no person named 'Nobody'\n"


def test_a_write_through_the_resident_is_in_the_garden(resident: Garden) -> None:
    logged = resident.kith("log", "Ana Ruiz", "call", "--note", "about the gig")
    assert logged.returncode == 0, logged.stderr
    shown = json.loads(resident.in_process("show", "Ana Ruiz", "--json").stdout)
    assert shown["counts"]["interactions"] == 1


def test_the_resident_commands_and_serve_run_in_process(resident: Garden) -> None:
    before = _served(resident)
    resident.kith("resident", "status")
    resident.kith("serve", "--help")
    assert _served(resident) == before


def test_a_resident_of_older_config_is_refused_and_the_command_runs_here(
    resident: Garden,
) -> None:
    (resident.tmp_path / "config.toml").write_text("[rules]\n", encoding="utf-8")
    assert resident.status()["current"] is False
    before = _served(resident)
    done = resident.kith("show", "Ana Ruiz")
    assert done.returncode == 0 and b"Ana Ruiz" in done.stdout
    assert _served(resident) == before  # refused: it ran in the client's own process
    assert resident.kith("resident", "start").returncode == 0  # replaces the stale one
    assert resident.status()["current"] is True


def test_another_garden_never_reaches_this_resident(resident: Garden, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    before = _served(resident)
    done = resident.kith("--db", other, "init")
    assert done.returncode == 0, done.stderr
    assert _served(resident) == before


def test_a_dead_socket_falls_back_to_the_command_in_process(garden: Garden) -> None:
    found = protocol.identity(garden.env, None, None)
    protocol.private_dir(found.socket_path.parent)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(found.socket_path))  # a socket file that nobody listens on
    dead.close()
    done = garden.kith("show", "Ana Ruiz")
    assert done.returncode == 0 and b"Ana Ruiz" in done.stdout
    assert garden.kith("resident", "status").stdout.startswith(b"no kith resident")


def test_the_socket_is_private(resident: Garden) -> None:
    found = protocol.identity(resident.env, None, None)
    assert found.socket_path.stat().st_mode & 0o777 == 0o600
    assert found.socket_path.parent.stat().st_mode & 0o777 == 0o700


def test_stop_ends_the_process(garden: Garden) -> None:
    assert garden.kith("resident", "start").returncode == 0
    pid = garden.status()["pid"]
    try:
        assert garden.kith("resident", "stop").stdout.startswith(b"kith resident stopped")
        assert garden.status()["running"] is False
    finally:
        if isinstance(pid, int):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
