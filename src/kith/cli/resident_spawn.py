"""Starting a garden's resident process, detached, in the standard library only.

Both `kith resident start` and the `kith` script itself (setting `auto` or `on`) start one.
The new process takes the garden's lock file before it binds the socket, so two commands
that start one at the same moment leave one resident, never two.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

from kith.cli import resident_protocol as protocol


def spawn(found: protocol.Identity, database_url: str | None, login: str | None) -> None:
    """Start the resident for `found` in its own session and return at once.

    It inherits this environment (its settings are this command's); what it needs besides
    goes in on stdin, never on its command line, where other users could read a database URL.
    """
    protocol.private_dir(found.socket_path.parent)
    orders = {
        "socket": str(found.socket_path),
        "key": found.key,
        "idle_seconds": found.idle_seconds,
        "db": database_url,
        "as": login,
        "database_file": _database_file(found.database_url),
    }
    with found.log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kith.cli.resident_server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,  # nothing of ours: a caller's pipe must reach EOF
            stderr=log,
            cwd=os.getcwd(),  # a relative SQLite path names the same file as for us
            start_new_session=True,  # outlives this command and the terminal's Ctrl-C
        )
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        process.stdin.write(json.dumps(orders).encode())
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    process.returncode = 0  # not ours to wait for: no ResourceWarning when it outlives us


def _database_file(url: str) -> str | None:
    path = protocol.sqlite_file(url)
    return os.path.abspath(path) if path is not None else None


def ask(found: protocol.Identity, op: str, timeout: float = 10.0) -> dict[str, object] | None:
    """The resident's answer to `op` (status, stop), or None when none listens."""
    try:
        conn = protocol.connect(found.socket_path, timeout)
    except OSError:
        return None  # nobody listens, or not this user's own (protocol.NotPrivate)
    try:
        protocol.send(conn, {"protocol": protocol.PROTOCOL, "op": op, "key": found.key})
        return protocol.receive(conn)
    except (OSError, protocol.ProtocolError):
        return None
    finally:
        conn.close()


def wait_current(found: protocol.Identity, seconds: float) -> dict[str, object] | None:
    """The status of a current resident once one answers, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = ask(found, "status")
        if answer is not None and answer.get("current"):
            return answer
        time.sleep(0.05)
    return None
