"""`kith me --email`: my own addresses, which tell mail capture which mail is mine."""

from __future__ import annotations

from collections.abc import Sequence

from kith.app.garden import Garden
from kith.app.inputs import emails
from kith.store import mail_state


def check_addresses(values: Sequence[str]) -> tuple[str, ...]:
    """Addresses as typed, checked and folded (InvalidInput naming `email` otherwise)."""
    return emails(values)


def my_addresses(garden: Garden, add: Sequence[str] = ()) -> list[str]:
    """My own addresses (mail from them is mine), after adding `add`."""
    new = emails(add)
    if not new:
        with garden.reading() as conn:
            return mail_state.my_addresses(conn, garden.account_id)
    with garden.transaction() as conn:
        mail_state.add_my_addresses(conn, garden.account_id, new)
        return mail_state.my_addresses(conn, garden.account_id)
