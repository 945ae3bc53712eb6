"""The resident process: kith's modules loaded once, commands run one at a time on request.

Started by `kith resident start` as `python -m kith.cli.resident_server SOCKET KEY`. Each
request runs in a fresh invocation of the same Typer app as `kith` itself, inside the
client's environment, working directory, argv and terminal (whether each stream is a TTY, and
its size), with stdout and stderr captured and sent back with the exit code: the output is the
one the command would have printed in the client's own process.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import io
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType

from kith.cli import main as cli
from kith.cli import resident_protocol as protocol

WARM = ("log", "show", "list", "note", "feed", "stats")  # loaded before the first request
# What those commands import as they run; events (the writes) is the slowest to import.
WARM_MODULES = ("kith.app.events", "kith.app.garden", "kith.app.views")


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


class Resident:
    """One garden's resident: its key, and the commands it has run."""

    def __init__(self, socket_path: Path, key: str) -> None:
        self.socket_path = socket_path
        self.key = key
        self.started = time.time()
        self.served = 0
        self.stopping = False

    def answer(self, request: Mapping[str, object]) -> dict[str, object]:
        if request.get("protocol") != protocol.PROTOCOL:
            return {"status": "refused", "reason": "another protocol"}
        op = request.get("op")
        if op == "status":
            return self.status(request)
        if op == "stop":
            self.stopping = True
            return {"status": "stopping", "pid": os.getpid()}
        if op != "run":
            return {"status": "refused", "reason": f"unknown op {op!r}"}
        if request.get("key") != self.key:
            return {"status": "refused", "reason": "stale: another garden, config or kith"}
        code, out, err = run_command(request)
        self.served += 1
        return {
            "status": "ran",
            "code": code,
            "stdout": base64.b64encode(out).decode(),
            "stderr": base64.b64encode(err).decode(),
        }

    def status(self, request: Mapping[str, object]) -> dict[str, object]:
        return {
            "status": "running",
            "pid": os.getpid(),
            "current": request.get("key") == self.key,
            "started": self.started,
            "served": self.served,
        }


def run_command(request: Mapping[str, object]) -> tuple[int, bytes, bytes]:
    """Run one client's command here; (exit code, stdout bytes, stderr bytes)."""
    streams = request["streams"]
    assert isinstance(streams, dict)
    out, err = _Stream(streams["stdout"]), _Stream(streams["stderr"])
    argv = [str(word) for word in request["argv"]]  # type: ignore[attr-defined]
    with _as_client(request, out, err):
        code = _exit_code(lambda: cli.run(argv, prog_name=str(request.get("prog") or "kith")))
    return code, out.captured(), err.captured()


def _exit_code(command: Callable[[], None]) -> int:
    """What the process's exit status would be, as the interpreter itself reports it."""
    try:
        command()
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
    """The client's env, cwd, argv, streams and terminal sizes, for the length of a command."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, os.get_terminal_size)
    env = request["env"]
    streams = request["streams"]
    sizes = request.get("terminal") or {}
    assert isinstance(env, dict)
    assert isinstance(streams, dict)
    assert isinstance(sizes, dict)
    try:
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        os.chdir(str(request["cwd"]))
        sys.stdin = _Stream(streams["stdin"])  # empty: commands that read stdin run in-process
        sys.stdout, sys.stderr = out, err
        sys.argv = [str(request.get("prog") or "kith"), *request["argv"]]  # type: ignore[misc]
        os.get_terminal_size = _client_terminal(sizes)
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv, os.get_terminal_size = saved
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


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


def serve(socket_path: Path, key: str) -> None:
    resident = Resident(socket_path, key)
    protocol.private_dir(socket_path.parent)
    with contextlib.suppress(FileNotFoundError):
        socket_path.unlink()  # a dead resident's socket: `kith resident start` checked it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket is made 0600: only this user may connect
    try:
        listener.bind(str(socket_path))
    finally:
        os.umask(old_umask)
    listener.listen(16)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    warm()
    try:
        while not resident.stopping:
            conn, _ = listener.accept()
            with conn:
                _serve_one(resident, conn)
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            socket_path.unlink()


def _serve_one(resident: Resident, conn: socket.socket) -> None:
    try:
        request = protocol.receive(conn)
    except (OSError, protocol.ProtocolError):
        return  # a client that went away, or not a client: nothing to answer
    with contextlib.suppress(OSError):
        protocol.send(conn, resident.answer(request))


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise SystemExit(0)  # unwinds serve(), which removes the socket


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])
