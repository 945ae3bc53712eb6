"""The resident process: kith's modules loaded once, commands run one at a time on request.

Started by `kith resident start` or by a `kith` command (setting `auto`/`on`), as
`python -m kith.cli.resident_server` with its orders as JSON on stdin (resident_spawn.py).
Each request runs in a fresh invocation of the same Typer app as `kith` itself, inside the
client's environment, working directory, argv and terminal (whether each stream is a TTY, and
its size), with stdout and stderr captured and sent back with the exit code: the output is the
one the command would have printed in the client's own process.

Threads: the main thread runs the commands, one at a time. A listener thread takes each
connection: it answers `status` and `stop` itself, refuses a stale key (and then the resident
exits: a newer one is wanted), answers `busy` when a command is already running (that client
runs its command in its own process), and else hands the request to the main thread. While a
command runs, a watcher thread reads its connection: the client hanging up (Ctrl-C) interrupts
the command as Ctrl-C would in the client's own process.

The resident exits by itself after its idle time without a command, and when what it was
started for no longer holds: the key (config file, KITH_* settings, kith's code), its socket
file, the garden's SQLite file.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import importlib
import io
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue
from types import FrameType

from kith.cli import main as cli
from kith.cli import resident_protocol as protocol

WARM = ("log", "show", "list", "note", "feed", "stats")  # loaded before the first request
# What those commands import as they run; events (the writes) is the slowest to import.
WARM_MODULES = ("kith.app.events", "kith.app.garden", "kith.app.views")
CHECK_EVERY = 30.0  # seconds between checks that the garden, config and code still match
LOCK_WAIT = 10.0  # seconds a new resident waits for the one it replaces to let go
RECEIVE_WAIT = 10.0  # seconds a client has to send its request once connected
INTERRUPTED = 130  # the exit status of a command ended by Ctrl-C (128 + SIGINT)


class _Stream(io.TextIOWrapper):
    """A captured standard stream that answers `isatty` as the client's stream does."""

    def __init__(self, spec: Mapping[str, object], data: bytes = b"") -> None:
        super().__init__(
            io.BytesIO(data),
            encoding=str(spec.get("encoding") or "utf-8"),
            errors=str(spec.get("errors") or "strict"),
            write_through=True,
        )
        self._tty = bool(spec.get("tty"))

    def isatty(self) -> bool:
        return self._tty

    def captured(self) -> bytes:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue()


@dataclass(frozen=True)
class Orders:
    """What the resident was started for (sent by resident_spawn.spawn on stdin)."""

    socket_path: Path
    key: str
    idle_seconds: float
    database_url: str | None  # `--db` of the command that started it
    login: str | None  # `--as`
    database_file: str | None  # an SQLite garden's file, absolute

    @classmethod
    def read(cls, text: str) -> Orders:
        raw = json.loads(text)
        return cls(
            socket_path=Path(raw["socket"]),
            key=str(raw["key"]),
            idle_seconds=float(raw["idle_seconds"]),
            database_url=raw.get("db"),
            login=raw.get("as"),
            database_file=raw.get("database_file"),
        )


class Resident:
    """One garden's resident: its orders, the command in hand, and the commands it has run."""

    def __init__(self, orders: Orders) -> None:
        self.orders = orders
        self.key = orders.key
        self.started = time.time()
        self.last_used = time.monotonic()
        self.served = 0
        self.stopping = threading.Event()
        self.working = threading.Lock()  # held from hand-over to answer: one command at a time
        self.requests: Queue[tuple[int, dict[str, object], socket.socket] | None] = Queue()
        self.running: int | None = None  # the number of the command the main thread runs
        self.cancelled: int | None = None  # ... and of one whose client hung up
        self.numbered = 0
        self.bound: tuple[int, int] | None = None  # the socket file we bound (its inode)

    def answer_now(self, request: Mapping[str, object]) -> dict[str, object] | None:
        """The listener's own answer to `request`, or None: the main thread must run it."""
        if request.get("protocol") != protocol.PROTOCOL:
            return {"status": "refused", "reason": "another protocol"}
        op = request.get("op")
        if op == "status":
            return self.status(request)
        if op == "stop":
            self.stop()
            return {"status": "stopping", "pid": os.getpid()}
        if op != "run":
            return {"status": "refused", "reason": f"unknown op {op!r}"}
        if request.get("key") != self.key:
            self.stop()  # the garden's config or kith changed: make room for a current one
            return {"status": "refused", "reason": "stale: another config or kith"}
        if not self.working.acquire(blocking=False):
            return {"status": "busy"}  # the client runs its command in its own process
        if self.stopping.is_set():
            self.working.release()
            return {"status": "busy"}  # on our way out: run it there
        return None

    def stop(self) -> None:
        self.stopping.set()
        # New clients find no socket and run here, rather than wait in the listen backlog
        # for a resident that will take nothing more.
        _unlink_if(self.orders.socket_path, self.bound)
        self.requests.put(None)  # wakes the main thread

    def status(self, request: Mapping[str, object]) -> dict[str, object]:
        return {
            "status": "running",
            "pid": os.getpid(),
            "current": request.get("key") == self.key,
            "started": self.started,
            "served": self.served,
            "idle_seconds": self.orders.idle_seconds,
            "idle_for": time.monotonic() - self.last_used,
            "busy": self.working.locked(),
        }

    def run(self, number: int, request: Mapping[str, object]) -> dict[str, object]:
        self.running = number
        try:
            if self.cancelled == number:  # hung up before it started: run nothing
                self.running = None
                code, out, err = INTERRUPTED, b"", b""
            else:
                code, out, err = run_command(request, self)
        finally:
            self.served += 1
            self.last_used = time.monotonic()
        return {
            "status": "ran",
            "code": code,
            "stdout": base64.b64encode(out).decode(),
            "stderr": base64.b64encode(err).decode(),
        }

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        """SIGINT: Ctrl-C for the command whose client hung up; nothing else is interrupted."""
        del signum, frame
        if self.running is not None and self.cancelled == self.running:
            raise KeyboardInterrupt


def run_command(request: Mapping[str, object], resident: Resident) -> tuple[int, bytes, bytes]:
    """Run one client's command here; (exit code, stdout bytes, stderr bytes)."""
    streams = request["streams"]
    assert isinstance(streams, dict)
    out, err = _Stream(streams["stdout"]), _Stream(streams["stderr"])
    argv = [str(word) for word in request["argv"]]  # type: ignore[attr-defined]
    with _as_client(request, out, err):
        code = _exit_code(
            lambda: cli.run(argv, prog_name=str(request.get("prog") or "kith")), resident
        )
    return code, out.captured(), err.captured()


def _exit_code(command: Callable[[], None], resident: Resident) -> int:
    """What the process's exit status would be, as the interpreter itself reports it."""
    try:
        try:
            command()
        finally:
            resident.running = None  # a hang-up from now on interrupts nothing
    except KeyboardInterrupt:
        return INTERRUPTED  # the client hung up (Ctrl-C): nobody reads this answer
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)  # as the interpreter does for a non-int code
        return 1
    except Exception:  # noqa: BLE001 -- an uncaught error ends a process with its traceback
        traceback.print_exc()
        return 1
    return 0


@contextlib.contextmanager
def _as_client(request: Mapping[str, object], out: _Stream, err: _Stream) -> Iterator[None]:
    """The client's env, cwd, argv, streams and terminal sizes, for the length of a command.

    Between commands the resident works in "/" (serve): the folder it was started in may go.
    """
    saved_env = dict(os.environ)
    saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, os.get_terminal_size)
    env = request["env"]
    streams = request["streams"]
    sizes = request.get("terminal") or {}
    mask = request.get("umask")
    assert isinstance(env, dict)
    assert isinstance(streams, dict)
    assert isinstance(sizes, dict)
    # The files a command writes (`kith share --out`, backups) get the client's modes.
    saved_mask = os.umask(mask if isinstance(mask, int) else 0o077)
    try:
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        time.tzset()  # the client's TZ: its local date and times, not the resident's
        os.chdir(str(request["cwd"]))
        sys.stdin = _Stream(streams["stdin"])  # empty: commands that read stdin run in-process
        sys.stdout, sys.stderr = out, err
        sys.argv = [str(request.get("prog") or "kith"), *request["argv"]]  # type: ignore[misc]
        os.get_terminal_size = _client_terminal(sizes)
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv, os.get_terminal_size = saved
        os.chdir("/")
        os.umask(saved_mask)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()


def _client_terminal(sizes: Mapping[str, object]) -> Callable[..., os.terminal_size]:
    """`os.get_terminal_size` answering for the client's fds 0-2, as it measured them."""

    def get_terminal_size(fd: int = 1) -> os.terminal_size:
        size = sizes.get(str(fd))
        if not isinstance(size, list):
            raise OSError(25, "Inappropriate ioctl for device")
        return os.terminal_size((int(size[0]), int(size[1])))

    return get_terminal_size


def warm() -> None:
    """Load what the common commands need before anyone waits for it."""
    for name in WARM:
        cli.click_command(name)
    for module in WARM_MODULES:
        importlib.import_module(module)
    from kith.app.garden import keep_engines

    keep_engines()  # SQLAlchemy's compiled SQL outlives each command


def serve(orders: Orders) -> None:
    """Serve the garden until stopped, idle for too long, or no longer current."""
    with _garden_lock(orders) as held:
        if not held:
            return  # another resident serves this garden (or is starting): it will do
        resident = Resident(orders)
        listener = _bind(orders.socket_path)
        resident.bound = _inode(orders.socket_path)
        watch = Watch(orders, os.getcwd())
        os.chdir("/")  # see _as_client
        try:
            signal.signal(signal.SIGTERM, _stop_on_signal)
            signal.signal(signal.SIGINT, resident.interrupt)
            warm()
            threading.Thread(target=_listen, args=(resident, listener), daemon=True).start()
            _work(resident, watch)
            _finish(resident)
        finally:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the listener thread's accept()
            listener.close()
            _unlink_if(orders.socket_path, resident.bound)


def _unlink_if(socket_path: Path, bound: tuple[int, int] | None) -> None:
    """Remove our socket file; not if someone removed or replaced it."""
    if bound is not None and _inode(socket_path) == bound:
        with contextlib.suppress(FileNotFoundError):
            socket_path.unlink()


@contextlib.contextmanager
def _garden_lock(orders: Orders) -> Iterator[bool]:
    """The garden's lock file, held for the resident's life; False if another holds it."""
    protocol.private_dir(orders.socket_path.parent)
    lock_path = orders.socket_path.with_suffix(".lock")
    with open(lock_path, "a+b") as lock:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.05)  # the stale resident we replace is on its way out
        yield True


def _bind(socket_path: Path) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        socket_path.unlink()  # a dead resident's socket: we hold the garden's lock
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket is made 0600: only this user may connect
    try:
        listener.bind(str(socket_path))
    finally:
        os.umask(old_umask)
    listener.listen(16)
    return listener


class Watch:
    """Whether what the resident was started for still holds (checked between commands)."""

    def __init__(self, orders: Orders, home: str) -> None:
        self.orders = orders
        self.home = home  # the folder it was started in: a relative SQLite path's
        self.socket_inode = _inode(orders.socket_path)
        self.database_inode = _inode(Path(orders.database_file)) if orders.database_file else None

    def still_current(self) -> bool:
        if _inode(self.orders.socket_path) != self.socket_inode:
            return False  # removed (its folder cleaned up) or taken over
        if self.orders.database_file and _inode(Path(self.orders.database_file)) != (
            self.database_inode
        ):
            return False  # the garden's file was deleted or replaced
        try:
            now = protocol.identity(
                os.environ, self.orders.database_url, self.orders.login, self.home
            )
        except (ValueError, OSError):
            return False  # the config file no longer reads: commands will say why
        return now.key == self.orders.key


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _work(resident: Resident, watch: Watch) -> None:
    """The main thread: run what the listener hands over until it is time to go."""
    idle = resident.orders.idle_seconds
    while not resident.stopping.is_set():
        waited = time.monotonic() - resident.last_used
        if waited >= idle:
            return  # idle for too long: the next command starts a new one (setting auto)
        try:
            handed = resident.requests.get(timeout=min(CHECK_EVERY, idle - waited))
        except Empty:
            if not watch.still_current():
                return
            continue
        if handed is not None:
            _run_handed(resident, handed)


def _run_handed(resident: Resident, handed: tuple[int, dict[str, object], socket.socket]) -> None:
    number, request, conn = handed
    try:
        answer = resident.run(number, request)
        with contextlib.suppress(OSError):
            protocol.send(conn, answer)
    finally:
        resident.working.release()
        with contextlib.suppress(OSError):
            conn.shutdown(socket.SHUT_RDWR)  # wakes the watcher, which closes it


def _finish(resident: Resident) -> None:
    """Run a command handed over as we stopped: its client must not see us vanish."""
    resident.stopping.set()  # from now on the listener hands nothing over
    while not resident.working.acquire(timeout=0.05):
        with contextlib.suppress(Empty):
            handed = resident.requests.get_nowait()
            if handed is not None:
                _run_handed(resident, handed)


def _listen(resident: Resident, listener: socket.socket) -> None:
    """The listener thread: take each connection and answer it or hand it over.

    It answers until the listener closes, stopping or not: a client that connected while
    the last command ran hears "busy" (and runs its command itself), never silence.
    """
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return  # the listener was closed: the resident is going
        _take(resident, conn)


def _take(resident: Resident, conn: socket.socket) -> None:
    conn.settimeout(RECEIVE_WAIT)
    try:
        request = protocol.receive(conn)
    except (OSError, protocol.ProtocolError):
        conn.close()
        return  # a client that went away, or not a client: nothing to answer
    answer = resident.answer_now(request)
    if answer is not None:
        with conn, contextlib.suppress(OSError):
            protocol.send(conn, answer)
        return
    try:
        _hand_over(resident, request, conn)
    except Exception:  # noqa: BLE001 -- e.g. no thread to be had: nothing was handed over
        # Free the resident for the next client, and send this one to run its command in
        # its own process, as when busy: nothing ran here.
        resident.working.release()
        with conn, contextlib.suppress(OSError):
            conn.settimeout(RECEIVE_WAIT)
            protocol.send(conn, {"status": "busy"})


def _hand_over(resident: Resident, request: Mapping[str, object], conn: socket.socket) -> None:
    """Queue the command for the main thread, with a watcher for its client's hang-up."""
    conn.settimeout(None)
    number = resident.numbered + 1
    watcher = threading.Thread(target=_watch_hang_up, args=(resident, number, conn), daemon=True)
    watcher.start()
    resident.numbered = number
    resident.requests.put((number, dict(request), conn))


def _watch_hang_up(resident: Resident, number: int, conn: socket.socket) -> None:
    """Interrupt command `number` if its client hangs up before the answer (Ctrl-C there)."""
    # The client sends nothing more: recv returns when it hangs up (or resets: the same).
    with conn, contextlib.suppress(OSError):
        conn.recv(1)
    if resident.served < number:  # not answered yet (`served` counts the answered)
        resident.cancelled = number
        if resident.running == number:
            os.kill(os.getpid(), signal.SIGINT)  # the handler raises only if it still runs


class Terminated(BaseException):
    """SIGTERM: unwinds serve() through a running command, which `_exit_code` lets pass.

    Not SystemExit: that would be taken as the command's own exit (status 0). The command's
    client gets no answer and says the resident stopped while running it (exit 1).
    """


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise Terminated  # unwinds serve(), which removes the socket


def main() -> None:
    with contextlib.suppress(Terminated):
        serve(Orders.read(sys.stdin.read()))


if __name__ == "__main__":
    main()
