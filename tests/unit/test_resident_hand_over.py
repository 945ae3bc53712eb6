"""The resident's listener when a command cannot be handed over to its main thread."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from kith.cli import resident_protocol as protocol
from kith.cli import resident_server as server


def _resident(tmp_path: Path) -> server.Resident:
    orders = server.Orders(tmp_path / "r.sock", "k", 60.0, None, None, None)
    return server.Resident(orders)


def _request() -> dict[str, object]:
    return {"protocol": protocol.PROTOCOL, "op": "run", "key": "k", "argv": ["list"]}


def test_a_command_not_handed_over_frees_the_resident_and_runs_in_the_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = _resident(tmp_path)

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    client, listener_end = socket.socketpair()
    with client:
        protocol.send(client, _request())
        server._take(resident, listener_end)
        assert protocol.receive(client) == {"status": "busy"}  # the client runs it itself
    assert not resident.working.locked()  # the next client is served
    assert resident.requests.empty()  # nothing was queued to run here


def test_a_command_handed_over_holds_the_resident_until_answered(tmp_path: Path) -> None:
    resident = _resident(tmp_path)
    client, listener_end = socket.socketpair()
    with client:
        protocol.send(client, _request())
        server._take(resident, listener_end)
        handed = resident.requests.get_nowait()
        assert handed is not None
        number, request, _conn = handed
        assert (number, request["argv"]) == (1, ["list"])
        assert resident.working.locked()
