"""Files kith writes: whole or not at all, and never a device or pipe replaced by a file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from kith.app.errors import KithError
from kith.app.files import staged, write_atomically


def test_a_file_is_written_whole_and_a_staged_one_only_when_put_in_place(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, "hello")
    assert target.read_text() == "hello"
    with staged(target, "never"):
        pass  # not put in place: the old content stays, no temporary file is left
    assert target.read_text() == "hello"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_to_a_pipe_writes_into_it_and_never_replaces_it(tmp_path: Path) -> None:
    # /dev/null and /dev/stdout are the everyday cases; a FIFO is one a test may make.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_atomically(pipe, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KithError, match="does not exist"):
        write_atomically(tmp_path / "nowhere" / "out.txt", "x")
