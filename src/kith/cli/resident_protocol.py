"""What the `kith` client and the resident process say to each other, in the standard library.

The client side runs before anything heavy is imported (no Typer, no SQLAlchemy), so this
module imports only the standard library and `kith.settings`.

A message is a 4-byte big-endian length and that many bytes of UTF-8 JSON. The client sends
one request per connection and reads one answer. A resident process serves one garden: its
socket is named after the garden (database URL and account), and its key adds everything a
command's outcome could depend on besides the request itself (the config file, the `KITH_*`
settings, the installed code). A request whose key differs is refused, and the client runs the
command in its own process: an upgrade, an edited config or another garden never reaches a
stale resident.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import struct
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kith.settings import load_settings

PROTOCOL = "kith-resident/1"
_LENGTH = struct.Struct(">I")
_PEERCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid
MAX_MESSAGE = 256 * 1024 * 1024  # an answer carries a command's whole output
# KITH_TODAY is per command (tests and scripts fix the date); it is sent, not keyed. Whether
# and how long a resident runs changes no command's outcome: a shell with another setting
# must not make the garden's resident stale.
UNKEYED = frozenset({"KITH_TODAY", "KITH_RESIDENT", "KITH_RESIDENT_IDLE_MINUTES"})
# Commands the resident never runs: it cannot serve, prompt for a password or read stdin.
IN_PROCESS_ONLY = frozenset({"serve", "resident", "password", "capture", "group"})


class ProtocolError(Exception):
    """A message that is not a kith-resident message."""


class NotPrivate(OSError):
    """The resident's folder, socket or process is not this user's alone: never talk to it."""


@dataclass(frozen=True)
class Identity:
    """Where the resident for a garden listens, the key it must hold, and the settings."""

    socket_path: Path
    key: str
    mode: str = "auto"  # kith.settings.ResidentSettings.mode
    idle_seconds: float = 900.0
    database_url: str = ""  # the garden, so a resident can tell its file went away

    @property
    def lock_path(self) -> Path:
        """Held by the garden's one resident for its whole life (two never run at once)."""
        return self.socket_path.with_suffix(".lock")

    @property
    def log_path(self) -> Path:
        return self.socket_path.with_suffix(".log")


def send(conn: socket.socket, message: Mapping[str, object]) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    conn.sendall(_LENGTH.pack(len(body)) + body)


def receive(conn: socket.socket) -> dict[str, object]:
    (length,) = _LENGTH.unpack(_exactly(conn, _LENGTH.size))
    if length > MAX_MESSAGE:
        raise ProtocolError(f"message of {length} bytes is too long")
    try:
        message = json.loads(_exactly(conn, length))
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message is a JSON object")
    return message


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = conn.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed mid-message")
        chunks += chunk
    return bytes(chunks)


def socket_dir(env: Mapping[str, str]) -> Path:
    """$XDG_RUNTIME_DIR/kith, else a folder of this user's own under /tmp (both 0700)."""
    runtime = env.get("XDG_RUNTIME_DIR")
    return Path(runtime) / "kith" if runtime else Path(f"/tmp/kith-{os.getuid()}")  # noqa: S108 -- checked private below


def private_dir(folder: Path) -> Path:
    """`folder`, made 0700 if missing; refused unless it is this user's alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private_dir(folder)
    return folder


def _check_private_dir(folder: Path) -> None:
    # lstat: a symlink planted by another user (e.g. /tmp/kith-UID) is refused, not followed.
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise NotPrivate(f"{folder} is not a private folder of this user")


def connect(socket_path: Path, timeout: float) -> socket.socket:
    """A connection to the resident at `socket_path`, once it is sure to be this user's own.

    `NotPrivate` if the folder, the socket file or the listening process belongs to anyone
    else: a client sends its whole environment (passwords) and prints what comes back.
    `OSError` if nobody listens.
    """
    _check_private_dir(socket_path.parent)
    info = socket_path.lstat()
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        raise NotPrivate(f"{socket_path} is not a socket of this user")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.connect(str(socket_path))
        listener = peer_uid(conn)
        if listener is not None and listener != os.getuid():
            raise NotPrivate(f"{socket_path} is served by another user (uid {listener})")
    except BaseException:
        conn.close()
        raise
    return conn


def peer_uid(conn: socket.socket) -> int | None:
    """The uid of the process at the other end (Linux SO_PEERCRED), None where unknown."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None  # not Linux: the folder and socket-file checks above stand alone
    raw = conn.getsockopt(socket.SOL_SOCKET, option, _PEERCRED.size)
    _pid, uid, _gid = _PEERCRED.unpack(raw)
    return int(uid)


def global_options(argv: Sequence[str]) -> tuple[str | None, str | None, str | None]:
    """`--db`, `--as` and the command name, read from the options before the command."""
    found: dict[str, str | None] = {"--db": None, "--as": None}
    index = 0
    while index < len(argv):
        word = argv[index]
        name, equals, value = word.partition("=")
        if name in found and equals:
            found[name] = value
        elif word in found and index + 1 < len(argv):
            found[word] = argv[index + 1]
            index += 1
        elif not word.startswith("-"):
            return found["--db"], found["--as"], word
        index += 1
    return found["--db"], found["--as"], None


def identity(
    env: Mapping[str, str], database_url: str | None, login: str | None, cwd: str | None = None
) -> Identity:
    """The resident a command with these settings may run in (`SettingsError` if none valid).

    `cwd`: the working folder the command runs in (default: this process's).
    """
    settings = load_settings(env, database_url=database_url)
    account = login.strip().lower() if login else settings.account
    context = _garden_context(settings.database_url, env, cwd)
    garden = _digest([settings.database_url, account, *context])
    config = settings.config_file
    kith_env = sorted((k, v) for k, v in env.items() if k.startswith("KITH_") and k not in UNKEYED)
    key = _digest([garden, str(config), _stamp(config), kith_env, code_stamp()])
    return Identity(
        socket_dir(env) / f"resident-{garden[:16]}.sock",
        key,
        mode=settings.resident.mode,
        idle_seconds=settings.resident.idle_minutes * 60,
        database_url=settings.database_url,
    )


def _garden_context(url: str, env: Mapping[str, str], cwd: str | None) -> list[object]:
    """What else names the garden: the folder a relative SQLite path is in; libpq's PG*."""
    # PGUSER, PGPASSWORD, PGHOST... choose the role and database a URL without them reaches:
    # two shells with other PG* settings are two gardens, each with its own resident.
    libpq = sorted((k, v) for k, v in env.items() if k.startswith("PG"))
    path = sqlite_file(url)
    relative = path is not None and not path.startswith("/")
    return [(cwd or os.getcwd()) if relative else None, libpq]


def sqlite_file(url: str) -> str | None:
    """The file of a `sqlite:///PATH` URL as written (relative or absolute), else None."""
    scheme, separator, rest = url.partition(":///")
    if not separator or not scheme.startswith("sqlite"):
        return None
    path = rest.partition("?")[0]
    return path if path and path != ":memory:" else None


def _digest(parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _stamp(path: Path | None) -> list[int] | None:
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size] if info is not None else None


def code_stamp(package: Path | None = None, paths: Sequence[str] | None = None) -> list[object]:
    """The interpreter, kith's files and the installed packages: an edit or upgrade changes it.

    Every file of the package counts (templates, static files and data, not only `.py`);
    `__pycache__` does not (the interpreter writes it). Installing, upgrading or removing a
    dependency adds or removes its `*.dist-info` folder, which changes the mtime of the
    site-packages folder that holds it.
    """
    package = package or Path(__file__).resolve().parents[1]
    newest, count = 0, 0
    for folder, dirs, files in os.walk(package):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in files:
            try:
                changed = os.stat(os.path.join(folder, name)).st_mtime_ns
            except FileNotFoundError:  # gone since the listing (an editor's swap file)
                continue
            newest = max(newest, changed)
            count += 1
    searched = sys.path if paths is None else paths
    installed = [_stamp(Path(entry)) for entry in searched if entry.endswith("-packages")]
    return [sys.executable, sys.version, str(package), newest, count, installed]


def terminal_sizes() -> dict[str, list[int]]:
    """The size of each standard stream that is a terminal, as `os.get_terminal_size` says."""
    sizes = {}
    for fd in (0, 1, 2):
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            continue
        sizes[str(fd)] = [size.columns, size.lines]
    return sizes
