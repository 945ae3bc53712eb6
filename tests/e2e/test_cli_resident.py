"""`kith resident`: a real resident process, and the real `kith` script asking it first.

Each test runs on a throwaway garden (SQLite, and PostgreSQL where marked) whose runtime
folder is its own. The `garden` fixture ends every resident that folder holds when the test
ends (stop, then SIGKILL), including ones a command started by itself (setting auto/on), so
no process outlives its test. Tests of the automatic start set KITH_RESIDENT themselves; the
suite's default is off (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kith.cli import resident_protocol as protocol
from tests.conftest import TODAY

KITH = str(Path(sys.executable).parent / "kith")
PATIENCE = 90.0  # seconds for a resident to come up or go on a loaded machine


class Garden:
    """A throwaway garden and the environment `kith` runs in for it."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        run_dir = tmp_path / "run"
        run_dir.mkdir(mode=0o700)
        self.env = os.environ | {
            "KITH_DATABASE_URL": url,
            "KITH_CONFIG": str(tmp_path / "config.toml"),
            "KITH_TODAY": TODAY.isoformat(),
            "XDG_RUNTIME_DIR": str(run_dir),
        }
        self.tmp_path = tmp_path
        self.run_dir = run_dir

    def kith(self, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [KITH, *args], env=self.env | env, capture_output=True, check=False, timeout=300
        )

    def in_process(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """The same command where no resident listens (another runtime dir)."""
        elsewhere = self.tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700, exist_ok=True)
        return self.kith(*args, XDG_RUNTIME_DIR=str(elsewhere), KITH_RESIDENT="off")

    def status(self, **env: str) -> dict[str, object]:
        done = self.kith("resident", "status", "--json", **env)
        assert done.returncode == 0, done.stderr
        answer: dict[str, object] = json.loads(done.stdout)
        return answer

    def end_residents(self) -> None:
        """Stop every resident of this runtime folder (a SIGKILL if one will not stop)."""
        deadline = time.monotonic() + PATIENCE
        while (held := _held_locks(self.run_dir)) and time.monotonic() < deadline:
            for lock in held:
                _end(lock.with_suffix(".sock"))
            time.sleep(0.1)
        assert _held_locks(self.run_dir) == [], "a resident outlived its test"


def _held_locks(run_dir: Path) -> list[Path]:
    """The lock files a live resident holds (each holds its garden's for its whole life)."""
    held = []
    for path in sorted(run_dir.glob("*/*.lock")):
        with path.open("a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.append(path)
    return held


def _end(socket_path: Path) -> None:
    found = protocol.Identity(socket_path, key="")
    answer = _ask(found, "status")
    if answer is None:
        return  # still starting: it binds its socket before it loads kith
    pid = int(str(answer["pid"]))
    _ask(found, "stop")
    if not _gone(pid, seconds=10):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _ask(found: protocol.Identity, op: str) -> dict[str, object] | None:
    from kith.cli.resident_spawn import ask

    return ask(found, op)


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if this process happened to start it
        time.sleep(0.1)
    return False


def _eventually(check: Callable[[], bool], seconds: float = PATIENCE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def garden(tmp_path: Path, database_url: str) -> Iterator[Garden]:
    made = Garden(tmp_path, database_url)
    try:
        assert made.kith("init").returncode == 0
        seeded = made.kith("seed", "Ana Ruiz", "--email", "ana@example.org", "--interest", "jazz")
        assert seeded.returncode == 0, seeded.stderr
        yield made
    finally:
        made.end_residents()


@pytest.fixture
def resident(garden: Garden) -> Garden:
    started = garden.kith("resident", "start")
    assert started.returncode == 0, started.stderr
    assert garden.status()["current"] is True
    return garden


# Most tests need one database; those about the garden's identity and its data run on both.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _served(garden: Garden) -> int:
    return int(str(garden.status()["served"]))


@SQLITE
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


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_on_postgresql_the_resident_answers_as_the_command_in_process(resident: Garden) -> None:
    for args in (("show", "Ana Ruiz", "--json"), ("list",), ("feed",), ("show", "Nobody")):
        before = _served(resident)
        through = resident.kith(*args)
        assert _served(resident) == before + 1
        here = resident.in_process(*args)
        assert (through.returncode, through.stdout, through.stderr) == (
            here.returncode,
            here.stdout,
            here.stderr,
        )


@SQLITE
def test_a_failing_command_says_one_line_and_exits_1(resident: Garden) -> None:
    done = resident.kith("show", "Nobody")
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == b"kith: no person named 'Nobody'\n"


def test_a_write_through_the_resident_is_in_the_garden(resident: Garden) -> None:
    logged = resident.kith("log", "Ana Ruiz", "call", "--note", "about the gig")
    assert logged.returncode == 0, logged.stderr
    shown = json.loads(resident.in_process("show", "Ana Ruiz", "--json").stdout)
    assert shown["counts"]["interactions"] == 1


@SQLITE
def test_the_resident_commands_and_serve_run_in_process(resident: Garden) -> None:
    before = _served(resident)
    resident.kith("resident", "status")
    resident.kith("serve", "--help")
    assert _served(resident) == before


@SQLITE
def test_a_resident_of_older_config_is_refused_runs_here_and_goes(resident: Garden) -> None:
    pid = int(str(resident.status()["pid"]))
    (resident.tmp_path / "config.toml").write_text("[rules]\n", encoding="utf-8")
    assert resident.status()["current"] is False
    done = resident.kith("show", "Ana Ruiz")
    assert done.returncode == 0 and b"Ana Ruiz" in done.stdout
    assert _gone(pid, PATIENCE)  # refused (it ran here), and the stale resident went away
    assert resident.status()["running"] is False
    assert resident.kith("resident", "start").returncode == 0
    assert resident.status()["current"] is True


@SQLITE
def test_another_garden_never_reaches_this_resident(resident: Garden, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    before = _served(resident)
    done = resident.kith("--db", other, "init")
    assert done.returncode == 0, done.stderr
    assert _served(resident) == before


def test_another_member_never_reaches_this_resident(resident: Garden) -> None:
    env = resident.env
    mine = protocol.identity(env, None, None)
    theirs = protocol.identity(env, None, "Maya")
    assert theirs.socket_path != mine.socket_path  # `--as` names another garden
    before = _served(resident)
    through = resident.kith("--as", "maya", "show", "Ana Ruiz")
    here = resident.in_process("--as", "maya", "show", "Ana Ruiz")
    assert (through.returncode, through.stdout, through.stderr) == (
        here.returncode,
        here.stdout,
        here.stderr,
    )
    assert _served(resident) == before


@SQLITE
def test_a_dead_socket_falls_back_to_the_command_in_process(garden: Garden) -> None:
    found = protocol.identity(garden.env, None, None)
    protocol.private_dir(found.socket_path.parent)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(found.socket_path))  # a socket file that nobody listens on
    dead.close()
    done = garden.kith("show", "Ana Ruiz")
    assert done.returncode == 0 and b"Ana Ruiz" in done.stdout
    assert garden.kith("resident", "status").stdout.startswith(b"no kith resident")


@SQLITE
def test_the_socket_is_private(resident: Garden) -> None:
    found = protocol.identity(resident.env, None, None)
    assert found.socket_path.stat().st_mode & 0o777 == 0o600
    assert found.socket_path.parent.stat().st_mode & 0o777 == 0o700


@SQLITE
def test_stop_ends_the_process(garden: Garden) -> None:
    assert garden.kith("resident", "start").returncode == 0
    pid = int(str(garden.status()["pid"]))
    assert garden.kith("resident", "stop").stdout.startswith(b"kith resident stopped")
    assert garden.status()["running"] is False
    assert _gone(pid, PATIENCE)


# The resident started by the commands themselves (setting `resident`, KITH_RESIDENT).


def test_auto_runs_the_first_command_here_and_starts_a_resident_for_the_next(
    garden: Garden,
) -> None:
    auto = {"KITH_RESIDENT": "auto"}
    assert garden.status()["running"] is False
    first = garden.kith("show", "Ana Ruiz", "--json", **auto)
    here = garden.in_process("show", "Ana Ruiz", "--json")
    assert (first.returncode, first.stdout) == (0, here.stdout)
    assert _eventually(lambda: garden.status()["current"] is True)
    assert _served(garden) == 0  # the first command ran in its own process
    second = garden.kith("show", "Ana Ruiz", "--json", **auto)
    assert (second.returncode, second.stdout, second.stderr) == (0, here.stdout, here.stderr)
    assert _served(garden) == 1


@SQLITE
def test_off_starts_no_resident_but_uses_one_started_by_hand(garden: Garden) -> None:
    off = {"KITH_RESIDENT": "off"}
    assert garden.kith("show", "Ana Ruiz", **off).returncode == 0
    time.sleep(3)  # what `auto` would have started binds its socket well within this
    assert garden.status()["running"] is False
    assert _held_locks(garden.run_dir) == []
    assert garden.kith("resident", "start", **off).returncode == 0
    assert garden.kith("show", "Ana Ruiz", **off).returncode == 0
    assert _served(garden) == 1


@SQLITE
def test_on_starts_a_resident_and_runs_the_first_command_in_it(garden: Garden) -> None:
    done = garden.kith("show", "Ana Ruiz", "--json", KITH_RESIDENT="on")
    assert (done.returncode, done.stdout) == (
        0,
        garden.in_process("show", "Ana Ruiz", "--json").stdout,
    )
    assert _served(garden) == 1


@SQLITE
def test_a_bad_resident_setting_is_one_line_and_exit_1(garden: Garden) -> None:
    done = garden.kith("show", "Ana Ruiz", KITH_RESIDENT="sometimes")
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == b"kith: KITH_RESIDENT: 'sometimes' is not auto, on or off\n"


@SQLITE
def test_a_resident_exits_by_itself_after_its_idle_time(garden: Garden) -> None:
    idle = {"KITH_RESIDENT_IDLE_MINUTES": "0.05"}  # 3 s
    assert garden.kith("resident", "start", **idle).returncode == 0
    pid = int(str(garden.status()["pid"]))
    assert garden.status()["idle_seconds"] == pytest.approx(3.0)
    assert _gone(pid, PATIENCE)
    assert garden.status()["running"] is False


@SQLITE
def test_a_resident_exits_when_its_config_changes_without_a_command(garden: Garden) -> None:
    idle = {"KITH_RESIDENT_IDLE_MINUTES": "10"}  # it checks every 30 s at most
    assert garden.kith("resident", "start", **idle).returncode == 0
    pid = int(str(garden.status()["pid"]))
    (garden.tmp_path / "config.toml").write_text("[rules]\n", encoding="utf-8")
    assert _gone(pid, PATIENCE)


def _hold_the_write_lock(garden: Garden) -> sqlite3.Connection:
    path = protocol.sqlite_file(garden.env["KITH_DATABASE_URL"])
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # every kith write now waits (reads go on: WAL)
    return holder


WAIT = {"KITH_WRITE_WAIT": "120"}  # a command held on the write lock waits, not fails


def _busy(resident: Garden) -> tuple[sqlite3.Connection, subprocess.Popen[bytes]]:
    """The resident running a client's `kith log`, held on the write lock, and that client.

    Roll back and close the returned connection to let the command finish.
    """
    assert resident.kith("resident", "start", **WAIT).returncode == 0  # with that setting
    holder = _hold_the_write_lock(resident)
    client = _client(resident.env | WAIT, "log", "Ana Ruiz", "call")
    if not _eventually(lambda: resident.status(**WAIT)["busy"] is True):
        _release(holder)
        client.kill()
        client.communicate()
        pytest.fail("the resident never took the command")
    return holder, client


def _release(holder: sqlite3.Connection) -> None:
    holder.rollback()
    holder.close()


def _interactions(garden: Garden) -> int:
    shown = json.loads(garden.in_process("show", "Ana Ruiz", "--json").stdout)
    return int(shown["counts"]["interactions"])


def _client(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """`kith ARGS` in the background, answering Ctrl-C as from a terminal."""
    return subprocess.Popen(
        [KITH, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell's background job starts with SIGINT ignored and a child inherits that, so
        # Python would never raise KeyboardInterrupt; a `kith` typed at a terminal has it.
        preexec_fn=_default_sigint,  # noqa: PLW1509 -- resets one signal, nothing else
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@SQLITE
def test_a_second_client_while_the_resident_is_busy_runs_in_its_own_process(
    resident: Garden,
) -> None:
    holder, first = _busy(resident)
    with first:
        try:
            served = _served(resident)
            second = resident.kith("show", "Ana Ruiz", "--json", **WAIT)
            assert second.returncode == 0, second.stderr
            assert json.loads(second.stdout)["name"] == "Ana Ruiz"
            assert _served(resident) == served  # it ran in its own process, beside the first
            assert first.poll() is None  # the first still waits for the write lock
        finally:
            _release(holder)
        _out, err = first.communicate(timeout=PATIENCE)
    assert first.returncode == 0, err
    assert _interactions(resident) == 1


@SQLITE
def test_ctrl_c_in_the_client_interrupts_the_command_in_the_resident(resident: Garden) -> None:
    holder, client = _busy(resident)
    with client:
        try:
            client.send_signal(signal.SIGINT)
            _out, err = client.communicate(timeout=PATIENCE)
            assert client.returncode == 130 and err.endswith(b"Aborted!\n")
            # The write lock is still held: only an interrupt can have ended the command.
            assert _eventually(lambda: resident.status(**WAIT)["busy"] is False, seconds=30)
        finally:
            _release(holder)
            client.kill()  # if an assertion above failed first; nothing if it has ended
    assert _interactions(resident) == 0  # nothing half-written, nothing written after
    assert resident.kith("show", "Ana Ruiz", **WAIT).returncode == 0  # it serves on


# Review fixes (branch resfix): who listens, SIGTERM, stop while busy, the working folder, TZ.

NOBODY = 65534  # the uid and gid of `nobody`: another user than the one running the tests


def _listening(path: Path) -> socket.socket:
    """A listener at `path` that takes no connection: whatever connects is left queued."""
    fake = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    fake.bind(str(path))
    fake.listen(4)
    fake.setblocking(False)
    return fake


def _open_the_folder(folder: Path, sock: Path) -> None:
    folder.chmod(0o777)  # any user may create, replace or listen in it


def _give_the_socket_away(folder: Path, sock: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(sock, NOBODY, NOBODY)


@SQLITE
@pytest.mark.parametrize("spoil", [_open_the_folder, _give_the_socket_away])
def test_a_listener_not_of_this_user_never_hears_the_command(
    garden: Garden, spoil: Callable[[Path, Path], None]
) -> None:
    found = protocol.identity(garden.env, None, None)
    folder = protocol.private_dir(found.socket_path.parent)
    with _listening(found.socket_path) as fake:
        spoil(folder, found.socket_path)
        done = garden.kith("show", "Ana Ruiz", "--json", KITH_RESIDENT="auto")
        with pytest.raises(BlockingIOError):
            fake.accept()  # nobody ever connected: the environment was not sent
    here = garden.in_process("show", "Ana Ruiz", "--json")
    assert (done.returncode, done.stdout) == (0, here.stdout)
    assert done.stderr.startswith(b"kith: not using the resident: ")
    assert done.stderr.endswith(b"\n" + here.stderr) and done.stderr.count(b"\n") == 1
    assert list(folder.glob("*.lock")) == []  # and no resident was started in that folder


_LISTEN_AS_NOBODY = """
import os, socket, sys, time
fake = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
fake.bind(sys.argv[1])  # as root: the socket file is root's
os.setgid(65534)
os.setuid(65534)
fake.listen(4)  # Linux records the listening process's credentials here (SO_PEERCRED)
print("listening", flush=True)
conn, _ = fake.accept()
print("heard", len(conn.recv(1 << 20)), flush=True)
time.sleep(30)
"""


@SQLITE
@pytest.mark.skipif(not hasattr(socket, "SO_PEERCRED"), reason="SO_PEERCRED is Linux's")
def test_a_resident_socket_of_this_user_served_by_another_is_not_spoken_to(
    garden: Garden,
) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can listen as another user on a socket of its own")
    found = protocol.identity(garden.env, None, None)
    protocol.private_dir(found.socket_path.parent)
    with subprocess.Popen(
        [sys.executable, "-c", _LISTEN_AS_NOBODY, str(found.socket_path)],
        stdout=subprocess.PIPE,
    ) as fake:
        try:
            assert fake.stdout is not None
            assert fake.stdout.readline() == b"listening\n"
            done = garden.kith("show", "Ana Ruiz", "--json")
        finally:
            fake.kill()
        heard, _ = fake.communicate(timeout=PATIENCE)
    assert heard in (b"", b"heard 0\n")  # not a byte of the request (nor its environment)
    assert (done.returncode, done.stdout) == (
        0,
        garden.in_process("show", "Ana Ruiz", "--json").stdout,
    )
    assert b"served by another user (uid 65534)" in done.stderr


@SQLITE
def test_sigterm_to_the_resident_mid_command_is_no_success_for_its_client(
    resident: Garden,
) -> None:
    holder, client = _busy(resident)
    pid = int(str(resident.status(**WAIT)["pid"]))
    with client:
        try:
            os.kill(pid, signal.SIGTERM)
            _out, err = client.communicate(timeout=PATIENCE)
            assert _gone(pid, PATIENCE)  # the resident went, as SIGTERM asks
        finally:
            _release(holder)
            client.kill()
    assert client.returncode == 1
    assert (
        err == b"kith: the resident process stopped while running the command; check its outcome\n"
    )
    assert _interactions(resident) == 0  # the aborted write left nothing
    assert resident.status()["running"] is False


@SQLITE
def test_a_client_after_stop_while_a_command_runs_runs_its_command_itself(
    resident: Garden,
) -> None:
    holder, first = _busy(resident)
    with first:
        try:
            assert resident.kith("resident", "stop", **WAIT).returncode == 0
            with _client(resident.env | WAIT, "show", "Ana Ruiz", "--json") as second:
                try:
                    out, err = second.communicate(timeout=60)  # not held until the first ends
                finally:
                    second.kill()  # if it hung: the `with` must not wait for it
            assert (second.returncode, err) == (0, b"")
            assert json.loads(out)["name"] == "Ana Ruiz"
            assert first.poll() is None  # the first still waits for the write lock
        finally:
            _release(holder)
        _out, err = first.communicate(timeout=PATIENCE)
    assert first.returncode == 0, err  # the command in hand is finished and answered
    assert _interactions(resident) == 1


@SQLITE
def test_a_command_in_a_deleted_folder_runs_in_process(resident: Garden) -> None:
    gone = resident.tmp_path / "gone"
    gone.mkdir()
    script = "import os, subprocess, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
    script += "sys.exit(subprocess.run(sys.argv[2:]).returncode)"
    done = subprocess.run(
        [sys.executable, "-c", script, str(gone), KITH, "show", "Ana Ruiz", "--json"],
        env=resident.env,
        capture_output=True,
        check=False,
        timeout=300,
    )
    here = resident.in_process("show", "Ana Ruiz", "--json")
    assert (done.returncode, done.stdout, done.stderr) == (0, here.stdout, here.stderr)


@SQLITE
def test_a_resident_started_in_a_folder_since_deleted_serves_on(garden: Garden) -> None:
    started_in = garden.tmp_path / "started-in"
    started_in.mkdir()
    started = subprocess.run(
        [KITH, "resident", "start"],
        env=garden.env,
        cwd=started_in,
        capture_output=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    started_in.rmdir()
    for _ in range(2):  # and it is still there for the next one
        before = _served(garden)
        done = garden.kith("show", "Ana Ruiz", "--json")
        assert (done.returncode, done.stdout) == (
            0,
            garden.in_process("show", "Ana Ruiz", "--json").stdout,
        )
        assert _served(garden) == before + 1


def _date_in(zone: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(zone)).date().isoformat()


@SQLITE
def test_the_clients_time_zone_dates_what_the_resident_writes(garden: Garden) -> None:
    # 26 hours apart: their dates differ at every hour of the day.
    resident_env = {"TZ": "Etc/GMT+12"}
    assert garden.kith("resident", "start", **resident_env).returncode == 0
    client_env = {k: v for k, v in garden.env.items() if k != "KITH_TODAY"}
    client_env["TZ"] = "Pacific/Kiritimati"
    days = {_date_in("Pacific/Kiritimati")}
    done = subprocess.run(
        [KITH, "log", "Ana Ruiz", "call"], env=client_env, capture_output=True, check=False
    )
    days.add(_date_in("Pacific/Kiritimati"))
    assert done.returncode == 0, done.stderr
    assert _served(garden) == 1  # it ran in the resident
    assert done.stdout.decode() in {f"logged call on {day} (by me)\n" for day in days}
    again = garden.kith("show", "Ana Ruiz", **resident_env)  # it serves on
    assert again.returncode == 0


@SQLITE
def test_a_file_the_resident_writes_gets_the_clients_umask(
    resident: Garden, tmp_path: Path
) -> None:
    out = tmp_path / "network.json"
    done = subprocess.run(
        [KITH, "share", "--out", str(out)],
        env=resident.env,
        capture_output=True,
        check=False,
        umask=0o077,  # the resident was started with the test's (0o022 or so)
    )
    assert done.returncode == 0, done.stderr
    assert _served(resident) == 1  # it ran in the resident
    assert out.stat().st_mode & 0o777 == 0o600
