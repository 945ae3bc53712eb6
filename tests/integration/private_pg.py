"""A PostgreSQL server of the test's own, to stop and start without touching the shared one.

Built from the machine's PostgreSQL with the Citus harness's helpers (`initdb` as the
`postgres` user when we are root), without Citus.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.citus.cluster import Node, _give_to_server_user, _server, free_ports

SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "'.'",
    "fsync": "off",
    "shared_buffers": "'32MB'",
    "log_min_messages": "warning",
}


def start(node: Node) -> None:
    """Start the server and wait until it accepts connections."""
    log = node.data / "server.log"
    _server(["pg_ctl", "-D", str(node.data), "-l", str(log), "-w", "-t", "60", "start"], log)


def stop(node: Node, mode: str = "fast") -> None:
    """Stop the server (`fast`: sessions are ended, as a restart by an administrator does)."""
    if (node.data / "postmaster.pid").exists():
        _server(["pg_ctl", "-D", str(node.data), "-m", mode, "-w", "stop"])


@contextmanager
def private_server() -> Iterator[Node]:
    """A running server on a free port; stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="kith-pg-"))
    _give_to_server_user(root)  # mkdtemp makes it 0700: only its owner may enter
    node = Node("private", free_ports(1)[0], root / "data")
    try:
        _server(["initdb", "-D", str(node.data), "-U", "postgres", "-A", "trust", "--no-sync"])
        settings = {**SETTINGS, "port": str(node.port)}
        with (node.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        start(node)
        yield node
    finally:
        stop(node, "immediate")
        shutil.rmtree(root, ignore_errors=True)
