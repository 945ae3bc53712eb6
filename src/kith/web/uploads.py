"""Files uploaded for an import preview, kept until confirmed, expired, or the server stops.

A preview (a dry run) needs the file again when the person confirms, so it is kept on disk
under a random id. Nobody has to confirm, so each new upload first removes those older than
`UPLOAD_TTL_SECONDS` (and the folders of servers that stopped without cleaning up); at most
`MAX_UPLOADS` are kept, and the server removes all of them when it stops.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

UPLOAD_TTL_SECONDS = 3600.0
MAX_UPLOADS = 20  # each is at most 5 MB (the body limit), so at most 100 MB on disk
ROOT_PREFIX = "kith-uploads-"


UPLOAD_FILE = "upload"  # the name on disk: a client's filename is never part of a path
MAX_SHOWN_NAME = 200


@dataclass(frozen=True)
class _Kept:
    path: Path
    at: float
    name: str  # the client's filename, to show (escaped) and nothing else
    owner: int = 0  # the account that uploaded it: on a group server no one else sees it


def shown_name(filename: str | None) -> str:
    """The client's filename as a label: its last part, printable, bounded; never a path."""
    last = re.split(r"[/\\]", filename or "")[-1]
    printable = "".join(c for c in last if c.isprintable())[:MAX_SHOWN_NAME]
    return printable if printable.strip(" .") else "the file"


class Uploads:
    def __init__(
        self,
        ttl: float = UPLOAD_TTL_SECONDS,
        limit: int = MAX_UPLOADS,
        clock: Callable[[], float] = time.time,
        temp_dir: Path | None = None,
    ) -> None:
        self.ttl = ttl
        self.limit = limit
        self.clock = clock
        self.temp_dir = temp_dir or Path(tempfile.gettempdir())
        self._root: Path | None = None
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def add(self, filename: str | None, source: BinaryIO, owner: int = 0) -> tuple[str, Path]:
        """Keep an uploaded file; its id and where it is. Expires old uploads first."""
        self.expire()
        with self._lock:
            if self._root is None or not self._root.is_dir():
                self._root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=self.temp_dir))
            folder = Path(tempfile.mkdtemp(dir=self._root))
        path = folder / UPLOAD_FILE
        with path.open("wb") as out:
            shutil.copyfileobj(source, out)
        upload_id = secrets.token_urlsafe(16)
        with self._lock:
            self._kept[upload_id] = _Kept(path, self.clock(), shown_name(filename), owner)
            oldest_first = sorted(self._kept, key=lambda key: self._kept[key].at)
            evicted = [self._kept.pop(key) for key in oldest_first[: -self.limit]]
        _remove(evicted)
        return upload_id, path

    def _mine(self, upload_id: str, owner: int) -> _Kept | None:
        with self._lock:
            kept = self._kept.get(upload_id)
        return kept if kept is not None and kept.owner == owner else None

    def get(self, upload_id: str, owner: int = 0) -> Path | None:
        """The kept file, or None when it is unknown, someone else's, confirmed already, or
        expired."""
        kept = self._mine(upload_id, owner)
        if kept is None or self.clock() - kept.at > self.ttl or not kept.path.is_file():
            return None
        return kept.path

    def name(self, upload_id: str, owner: int = 0) -> str:
        """The filename the client gave, for the page; "the file" once it is gone."""
        kept = self._mine(upload_id, owner)
        return kept.name if kept else "the file"

    def discard(self, upload_id: str, owner: int = 0) -> None:
        with self._lock:
            kept = self._kept.get(upload_id)
            if kept is None or kept.owner != owner:
                return
            del self._kept[upload_id]
        _remove([kept] if kept else [])

    def expire(self) -> None:
        """Remove uploads older than the time to live, and stale folders of stopped servers."""
        now = self.clock()
        with self._lock:
            old = [key for key, kept in self._kept.items() if now - kept.at > self.ttl]
            expired = [self._kept.pop(key) for key in old]
        _remove(expired)
        for root in self.temp_dir.glob(f"{ROOT_PREFIX}*"):
            try:
                age = time.time() - root.stat().st_mtime  # the file system's clock
                stale = root != self._root and age > self.ttl
            except OSError:
                continue
            if stale:
                shutil.rmtree(root, ignore_errors=True)

    def clear(self) -> None:
        """Remove every kept upload (the server is stopping)."""
        with self._lock:
            self._kept.clear()
            root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)


def _remove(kept: list[_Kept]) -> None:
    for item in kept:
        shutil.rmtree(item.path.parent, ignore_errors=True)
