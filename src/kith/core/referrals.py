"""Referrals (givers gain): the rules of a lead's status and of its value.

A referral moves forward only: new -> contacted -> won | lost, and new may go straight to won
or lost. A won referral may carry the value of the business closed: the thank-you credited to
the member who gave it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

STATUSES = ("new", "contacted", "won", "lost")
UPDATES = ("contacted", "won", "lost")  # what the receiver can move a referral to
_NEXT = {"new": ("contacted", "won", "lost"), "contacted": ("won", "lost")}
MAX_VALUE = Decimal("999999999999.99")  # fits numeric(14, 2)


def can_move(current: str, to: str) -> bool:
    """Whether a referral in status `current` may move to `to` (only forward)."""
    return to in _NEXT.get(current, ())


def parse_value(text: str) -> Decimal | None:
    """An amount such as '5000' or '1250.50', rounded to cents; None when it is not one.

    Zero and negative amounts, and amounts too big to keep, are not values.
    """
    try:
        amount = Decimal(text.strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_VALUE:
        return None
    return amount.quantize(Decimal("0.01"))
