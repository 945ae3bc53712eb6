"""The resident's wire format, where its socket lives, and what its key depends on."""

from __future__ import annotations

import os
import socket
import struct
import threading
from pathlib import Path

import pytest

from kith.cli import resident_protocol as protocol


def _env(tmp_path: Path, **more: str) -> dict[str, str]:
    return {
        "KITH_DATABASE_URL": f"sqlite:///{tmp_path / 'kith.db'}",
        "KITH_CONFIG": str(tmp_path / "config.toml"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        **more,
    }


def test_a_message_goes_through_whole() -> None:
    message = {"argv": ["show", "Ana"], "big": "x" * 300_000}  # more than a socket buffer
    left, right = socket.socketpair()
    with left, right:
        sender = threading.Thread(target=protocol.send, args=(left, message))
        sender.start()
        assert protocol.receive(right) == message
        sender.join()


@pytest.mark.parametrize(
    "raw",
    [
        struct.pack(">I", 4) + b"[1]\n",  # JSON, but not an object
        struct.pack(">I", 3) + b"{no",  # not JSON
        struct.pack(">I", 10) + b"{}",  # cut short
        struct.pack(">I", protocol.MAX_MESSAGE + 1),  # longer than any answer
    ],
)
def test_what_is_not_a_message_is_refused(raw: bytes) -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(raw)
        left.shutdown(socket.SHUT_WR)
        with pytest.raises(protocol.ProtocolError):
            protocol.receive(right)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "Ana"], (None, None, "show")),
        (["--db", "sqlite:///x.db", "log", "Ana", "call"], ("sqlite:///x.db", None, "log")),
        (["--db=sqlite:///x.db", "--as", "maya", "feed"], ("sqlite:///x.db", "maya", "feed")),
        (["--help"], (None, None, None)),
        (["show", "--db", "ignored"], (None, None, "show")),  # after the command: its own
    ],
)
def test_the_global_options_are_read_before_the_command(
    argv: list[str], expected: tuple[str | None, str | None, str | None]
) -> None:
    assert protocol.global_options(argv) == expected


def test_the_key_changes_with_the_config_and_settings_but_not_today(tmp_path: Path) -> None:
    first = protocol.identity(_env(tmp_path), None, None)
    assert protocol.identity(_env(tmp_path, KITH_TODAY="2026-01-02"), None, None) == first
    assert protocol.identity(_env(tmp_path, KITH_SEMANTIC="0"), None, None).key != first.key
    (tmp_path / "config.toml").write_text("[rules]\n", encoding="utf-8")
    configured = protocol.identity(_env(tmp_path), None, None)
    assert configured.key != first.key
    assert configured.socket_path == first.socket_path  # the same garden, the same socket


def test_each_garden_has_its_own_socket(tmp_path: Path) -> None:
    ours = protocol.identity(_env(tmp_path), None, None)
    other = protocol.identity(_env(tmp_path), f"sqlite:///{tmp_path / 'other.db'}", None)
    member = protocol.identity(_env(tmp_path), None, "Maya")
    assert len({ours.socket_path, other.socket_path, member.socket_path}) == 3
    assert ours.socket_path.parent == tmp_path / "run" / "kith"


def test_without_a_runtime_dir_the_socket_is_in_a_private_tmp_folder(tmp_path: Path) -> None:
    env = _env(tmp_path)
    del env["XDG_RUNTIME_DIR"]
    assert protocol.identity(env, None, None).socket_path.parent.name.startswith("kith-")


def test_a_folder_others_may_enter_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with pytest.raises(OSError, match="not a private folder"):
        protocol.private_dir(folder)
    made = protocol.private_dir(tmp_path / "made")
    assert made.stat().st_mode & 0o777 == 0o700


def test_a_socket_reached_through_a_symlinked_folder_is_never_connected(tmp_path: Path) -> None:
    # Another user may plant /tmp/kith-UID as a link to a folder of theirs: not followed.
    real = protocol.private_dir(tmp_path / "real")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(real / "resident.sock"))
        listener.listen(1)
        listener.setblocking(False)
        (tmp_path / "planted").symlink_to(real)
        with pytest.raises(protocol.NotPrivate, match="not a private folder"):
            protocol.connect(tmp_path / "planted" / "resident.sock", timeout=1.0)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing connected
        with protocol.connect(real / "resident.sock", timeout=1.0) as conn:
            assert protocol.peer_uid(conn) in (None, os.getuid())  # our own: connected


def test_whether_and_how_long_a_resident_runs_changes_no_key(tmp_path: Path) -> None:
    first = protocol.identity(_env(tmp_path), None, None)
    other = protocol.identity(
        _env(tmp_path, KITH_RESIDENT="on", KITH_RESIDENT_IDLE_MINUTES="1"), None, None
    )
    assert (other.socket_path, other.key) == (first.socket_path, first.key)
    assert (other.mode, other.idle_seconds) == ("on", 60.0)


def test_libpq_variables_name_another_garden(tmp_path: Path) -> None:
    env = _env(tmp_path, KITH_DATABASE_URL="postgresql+psycopg:///kith")
    ours = protocol.identity(env, None, None)
    theirs = protocol.identity(env | {"PGUSER": "maya"}, None, None)
    assert theirs.socket_path != ours.socket_path


def test_a_relative_sqlite_path_is_a_garden_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env(tmp_path, KITH_DATABASE_URL="sqlite:///kith.db")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    in_a = protocol.identity(env, None, None)
    monkeypatch.chdir(tmp_path / "b")
    assert protocol.identity(env, None, None).socket_path != in_a.socket_path


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///kith.db", "kith.db"),
        ("sqlite:////home/ana/kith.db", "/home/ana/kith.db"),
        ("sqlite+pysqlite:///x.db?timeout=5", "x.db"),
        ("sqlite:///:memory:", None),
        ("postgresql:///kith", None),
    ],
)
def test_the_file_of_a_sqlite_url(url: str, expected: str | None) -> None:
    assert protocol.sqlite_file(url) == expected


def test_the_code_stamp_changes_with_any_file_of_the_package_but_not_its_bytecode(
    tmp_path: Path,
) -> None:
    package = tmp_path / "kith"
    (package / "web" / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    template = package / "web" / "templates" / "page.html"
    template.write_text("<p>one</p>")
    before = protocol.code_stamp(package, paths=[])
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert protocol.code_stamp(package, paths=[]) == before
    os.utime(template, ns=(10**18, 10**18))  # an edited (or upgraded) template
    assert protocol.code_stamp(package, paths=[]) != before


def test_the_code_stamp_changes_when_a_dependency_is_installed(tmp_path: Path) -> None:
    package = tmp_path / "kith"
    package.mkdir()
    site = tmp_path / "site-packages"
    site.mkdir()
    before = protocol.code_stamp(package, paths=[str(site)])
    (site / "rapidfuzz-9.9.dist-info").mkdir()
    os.utime(site, ns=(10**18, 10**18))  # as the new folder does, at a coarse clock
    assert protocol.code_stamp(package, paths=[str(site)]) != before
