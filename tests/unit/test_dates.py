"""Parsing dates as users type them."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.dates import parse_date

TODAY = date(2026, 11, 27)


@given(st.dates())
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), TODAY) == day


@given(st.integers(min_value=0, max_value=5000))
def test_days_ago_counts_back_from_today(days: int) -> None:
    assert parse_date(f"{days} days ago", TODAY) == TODAY - timedelta(days=days)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        (" Yesterday ", TODAY - timedelta(days=1)),
        ("2w", TODAY - timedelta(days=14)),
        ("1 week ago", TODAY - timedelta(days=7)),
        ("3d", TODAY - timedelta(days=3)),
    ],
)
def test_relative_words(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "tomorrowish", "", "27/11/2026"])
def test_impossible_dates_name_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text, TODAY)


@given(st.text())
def test_parse_date_never_raises_anything_but_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_date(text, TODAY)
