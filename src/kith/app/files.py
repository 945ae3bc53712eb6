"""Files that kith writes (exports, share files): whole or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kith.app.errors import InvalidInput, KithError


def check_target(path: Path, field: str = "file") -> None:
    """Refuse a target that cannot become a file: a folder, or in a missing folder."""
    if path.is_dir():
        raise InvalidInput(field, f"{path} is a folder; give a file name")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InvalidInput(field, f"folder {folder} does not exist")


def write_atomically(path: Path, data: bytes | str, *, field: str = "file") -> None:
    """Write all or nothing (a temporary file renamed into place).

    A half-written file is worse than none. Text is written as UTF-8. `field` names the
    option in errors.
    """
    with staged(path, data, field=field) as put_in_place:
        put_in_place()


@contextmanager
def staged(path: Path, data: bytes | str, *, field: str = "file") -> Iterator[Callable[[], None]]:
    """Write `data` beside `path` now; it takes the place of `path` only when called.

    If the caller never calls the function given, the file is removed. This lets a caller
    put the (slow) writing of a file before a short database transaction and the (instant)
    rename inside it.
    """
    check_target(path, field)
    content = data.encode("utf-8") if isinstance(data, str) else data
    if _is_special(path):
        yield from _straight(path, content, field)
        return
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.resolve().parent, prefix=".kith-", suffix=".tmp")
        temp = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        written = temp

        def put_in_place() -> None:
            written.replace(path)

        yield put_in_place
    except OSError as error:
        raise KithError(f"{field}: cannot write {path}: {error.strerror}") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def _is_special(path: Path) -> bool:
    """A device or a pipe (/dev/null, /dev/stdout, a FIFO): never replaced by a file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _straight(path: Path, content: bytes, field: str) -> Iterator[Callable[[], None]]:
    """Write to a device or pipe, when the caller puts it in place.

    Renaming a temporary file over it would replace /dev/null itself with a file.
    """

    def put_in_place() -> None:
        try:
            with path.open("wb") as target:
                target.write(content)
        except OSError as error:
            raise KithError(f"{field}: cannot write {path}: {error.strerror}") from None

    yield put_in_place
