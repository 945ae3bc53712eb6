"""The server's table of failed logins, per account and per client address.

The rule (how long to wait) is `kith.core.throttle`; this holds the attempts in memory,
behind a lock (routes run in worker threads), bounded so a flood of addresses cannot grow
it without end. A restart forgets it: the waits are minutes, not a ban.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable

from kith.core import throttle

MAX_KEYS = 10_000


class LoginThrottle:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._attempts: dict[str, throttle.Attempts] = {}
        self._lock = threading.Lock()

    def retry_after(self, keys: Iterable[str]) -> int:
        """Whole seconds the longest-blocked key must still wait (0: go ahead)."""
        now = self.clock()
        with self._lock:
            waits = [
                throttle.wait_seconds(self._attempts[k], now) for k in keys if k in self._attempts
            ]
        return math.ceil(max(waits, default=0.0))

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._attempts[key] = throttle.after_failure(
                    self._attempts.get(key, throttle.Attempts()), now
                )
            if len(self._attempts) > MAX_KEYS:
                self._forget(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._attempts.pop(key, None)

    def _forget(self, now: float) -> None:
        """Drop quiet keys; if still too many, the oldest failures go first."""
        for key in [k for k, a in self._attempts.items() if throttle.is_forgotten(a, now)]:
            del self._attempts[key]
        if len(self._attempts) > MAX_KEYS:
            by_age = sorted(self._attempts, key=lambda k: self._attempts[k].last_failure)
            for key in by_age[: len(self._attempts) - MAX_KEYS]:
                del self._attempts[key]
