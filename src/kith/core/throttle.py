"""Login throttling: how long a key (an account, a client address) must wait after failures.

Pure: the caller owns the clock and the table of attempts. The first few failures are free
(people mistype); after that each failure doubles the wait, up to a cap, so an online guess
costs an attacker hours for a few dozen tries while a person who forgot is held up briefly.
A key that stays quiet long enough starts afresh. The shape follows the usual exponential
back-off for password guessing (OWASP's Authentication Cheat Sheet, "Login Throttling").
"""

from __future__ import annotations

from dataclasses import dataclass

FREE_FAILURES = 5  # wrong passwords allowed before any wait
FIRST_WAIT_SECONDS = 2.0  # the wait after the first failure past the free ones; doubles
MAX_WAIT_SECONDS = 15 * 60.0
FORGET_AFTER_SECONDS = 60 * 60.0  # quiet this long after the last failure: a clean slate


@dataclass(frozen=True)
class Attempts:
    """The failed attempts of one key (an account or a client address)."""

    failures: int = 0
    last_failure: float = 0.0
    blocked_until: float = 0.0


def wait_seconds(attempts: Attempts, now: float) -> float:
    """Seconds before this key may try again (0: it may try now)."""
    return max(0.0, attempts.blocked_until - now)


def after_failure(attempts: Attempts, now: float) -> Attempts:
    """The attempts after one more failure at `now`."""
    if is_forgotten(attempts, now):
        attempts = Attempts()
    failures = attempts.failures + 1
    blocked_until = attempts.blocked_until
    if failures > FREE_FAILURES:
        wait = min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES - 1))
        blocked_until = now + wait
    return Attempts(failures, now, blocked_until)


def is_forgotten(attempts: Attempts, now: float) -> bool:
    """Whether the key has been quiet long enough to start afresh."""
    return now - max(attempts.last_failure, attempts.blocked_until) > FORGET_AFTER_SECONDS
