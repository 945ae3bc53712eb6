"""The `kith` console script: a resident process runs the command if one answers, else we do.

This path imports only the standard library and `kith.settings` until it knows the command
must run here; then it loads the Typer app as before. See `kith resident` (README).
"""

from __future__ import annotations

import base64
import os
import socket
import sys
from collections.abc import Sequence

from kith.cli import resident_protocol as protocol
from kith.settings import SettingsError

CONNECT_TIMEOUT = 2.0  # seconds to get through to a resident before running here


class ResidentLost(Exception):
    """The resident took the command and then went away: its outcome is unknown."""


def run() -> None:
    try:
        answer = through_resident(sys.argv[1:], os.environ)
    except ResidentLost as exc:
        sys.stderr.write(f"kith: {exc}\n")
        sys.exit(1)
    if answer is None:
        from kith.cli.main import run as run_here

        run_here()
        return
    code, out, err = answer
    sys.stdout.flush()
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    sys.exit(code)


def through_resident(
    argv: Sequence[str], env: os._Environ[str] | dict[str, str]
) -> tuple[int, bytes, bytes] | None:
    """(exit code, stdout, stderr) from the garden's resident; None when it must run here."""
    database_url, login, command = protocol.global_options(argv)
    if command is None or command in protocol.IN_PROCESS_ONLY or _may_read_stdin(argv):
        return None
    try:
        found = protocol.identity(env, database_url, login)
    except (SettingsError, OSError):
        return None  # run here: the command reports the setting as it always has
    if not found.socket_path.exists():
        return None
    request: dict[str, object] = {
        "protocol": protocol.PROTOCOL,
        "op": "run",
        "key": found.key,
        "argv": list(argv),
        "prog": os.path.basename(sys.argv[0]) or "kith",
        "env": dict(env),
        "cwd": os.getcwd(),
        "streams": {name: _stream(name) for name in ("stdin", "stdout", "stderr")},
        "terminal": protocol.terminal_sizes(),
    }
    return _ask(found, request)


def _ask(found: protocol.Identity, request: dict[str, object]) -> tuple[int, bytes, bytes] | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(CONNECT_TIMEOUT)
        try:
            conn.connect(str(found.socket_path))
            conn.settimeout(None)  # a command takes as long as it takes
            protocol.send(conn, request)
        except OSError:
            return None  # nobody there (a dead socket): nothing ran, so run here
        try:
            answer = protocol.receive(conn)
        except (OSError, protocol.ProtocolError):
            raise ResidentLost(
                "the resident process stopped while running the command; check its outcome"
            ) from None
    finally:
        conn.close()
    if answer.get("status") != "ran":
        return None  # refused (stale key, another garden): run here
    return (
        int(str(answer["code"])),
        base64.b64decode(str(answer["stdout"])),
        base64.b64decode(str(answer["stderr"])),
    )


def _may_read_stdin(argv: Sequence[str]) -> bool:
    # `-` names stdin as a file; completion installs inspect the calling shell.
    return any(word in ("-", "--install-completion", "--show-completion") for word in argv)


def _stream(name: str) -> dict[str, object]:
    stream = getattr(sys, name)
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        tty = False
    return {
        "tty": tty,
        "encoding": getattr(stream, "encoding", None) or "utf-8",
        "errors": getattr(stream, "errors", None) or "strict",
    }
