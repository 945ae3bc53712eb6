"""Dates as users type them: ISO dates and a few relative words, against a given today."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_AGO = re.compile(r"^(\d{1,5})\s*(d|day|days|w|week|weeks)\s*(ago)?$")


def parse_date(text: str, today: date) -> date:
    """`YYYY-MM-DD`, `today`, `yesterday`, `3 days ago`, `2w`; ValueError names the text."""
    cleaned = text.strip().lower()
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    relative = _AGO.match(cleaned)
    if relative:
        count = int(relative.group(1))
        unit_days = 7 if relative.group(2).startswith("w") else 1
        return today - timedelta(days=count * unit_days)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (YYYY-MM-DD, today, yesterday, N days ago)"
        ) from None


def is_birthday(birthday: date | None, today: date) -> bool:
    """Whether `today` is the birthday; a 29 February one falls on 28 February in other years."""
    if birthday is None:
        return False
    if (birthday.month, birthday.day) == (today.month, today.day):
        return True
    leap_day = (birthday.month, birthday.day) == (2, 29)
    return leap_day and (today.month, today.day) == (2, 28) and not calendar.isleap(today.year)


def next_birthday(birthday: date, today: date) -> date:
    """The birthday's next date, today included (29 February on 28 February in other years)."""
    this_year = _birthday_in(birthday, today.year)
    return this_year if this_year >= today else _birthday_in(birthday, today.year + 1)


def _birthday_in(birthday: date, year: int) -> date:
    if (birthday.month, birthday.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)
