"""Errors a user can fix: each message is one line that names what is wrong."""

from __future__ import annotations

from kith.store.errors import GardenBusy, StoreError

# StoreError and GardenBusy are re-exported: the CLI and the web catch them without reaching
# into the store.
__all__ = ["Ambiguous", "GardenBusy", "InvalidInput", "KithError", "NotFound", "StoreError"]


class KithError(Exception):
    """Bad input or a state that refuses the action; shown as one line, exit 1."""


class NotFound(KithError):
    """Nobody (or nothing) matches what the user named."""


class Ambiguous(KithError):
    """What the user named matches several people; the message lists them."""


class InvalidInput(KithError):
    """A value the user gave is not acceptable; `field` names which one."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
