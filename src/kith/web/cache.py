"""Figures worth keeping between requests until the garden changes.

Judging a 20,000-person garden takes seconds; the dashboard shows the same figures until
someone writes. Entries are keyed by the garden's version (`Garden.version`, from
`kith.store.db.version`), read before computing, so a write by anyone makes the next read recompute.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class VersionedCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        # One computation at a time: 32 clients on a cold cache must not judge 32 times.
        with self._lock:
            if key in self._entries:
                return self._entries[key]  # type: ignore[return-value]
            value = compute()
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return value
