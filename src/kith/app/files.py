"""Files that kith writes (exports, share files): whole or not at all."""

from __future__ import annotations

import os
import tempfile
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
    check_target(path, field)
    content = data.encode("utf-8") if isinstance(data, str) else data
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.resolve().parent, prefix=".kith-", suffix=".tmp")
        temp = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        temp.replace(path)
    except OSError as error:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise KithError(f"{field}: cannot write {path}: {error.strerror}") from None
