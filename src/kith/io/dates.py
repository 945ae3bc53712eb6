"""Dates as contact exports write them, parsed without the locale or the clock.

`strptime("%b")` depends on the process locale, so English month names are looked up here.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4}|\d{2})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
# Apple writes a birthday without a year as year 1604; Outlook writes "no date" as 0/0/00.
_NO_YEAR = 1604


class DateError(ValueError):
    pass


def _year(text: str) -> int:
    """Four digits as they are; two digits in a 1930–2029 window (no clock to pivot on)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900
    return year


def _month(name: str) -> int:
    month = _MONTHS.get(name[:3].lower())
    if month is None:
        raise DateError(f"unknown month {name!r}")
    return month


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"invalid date {text!r}") from None


def parse_date(text: str) -> date | None:
    """A date from ISO, `09 Oct 2024`, `15-Jan-24`, `Oct 9, 2024` or slashed forms.

    Empty, year-less (`--0203`, Apple's 1604) and Outlook's `0/0/00` give None; anything
    else unreadable raises DateError. Slashed dates are day-first only when the first
    number cannot be a month (13/01/1991), else month-first as US Outlook writes them.
    """
    text = text.strip()
    if not text or _YEARLESS.match(text) or re.fullmatch(r"0+[/.-]0+[/.-]0+", text):
        return None
    if match := _ISO.match(text):
        year, month, day = map(int, match.groups())
        return None if year == _NO_YEAR else _make(year, month, day, text)
    if match := _DAY_MONTH_YEAR.match(text):
        day_text, month_name, year_text = match.groups()
        return _make(_year(year_text), _month(month_name), int(day_text), text)
    if match := _MONTH_DAY_YEAR.match(text):
        month_name, day_text, year_text = match.groups()
        return _make(_year(year_text), _month(month_name), int(day_text), text)
    if match := _SLASHED.match(text):
        first, second, year_text = match.groups()
        month, day = (int(second), int(first)) if int(first) > 12 else (int(first), int(second))
        return _make(_year(year_text), month, day, text)
    raise DateError(f"invalid date {text!r}")


def date_from_parts(year: str, month: str, day: str) -> date | None:
    """Thunderbird splits birthdays into Birth Year / Month / Day; a part may be missing."""
    if not (year.strip() and month.strip() and day.strip()):
        return None
    try:
        return _make(int(year), int(month), int(day), f"{year}-{month}-{day}")
    except ValueError:
        raise DateError(f"invalid date {year}-{month}-{day}") from None
