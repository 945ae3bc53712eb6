"""The bulk path writes dates exactly as SQLAlchemy's SQLite DATE type would (`bulk._bound`)."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from kith.store import bulk
from kith.store.tables import people


def _process() -> object:
    dialect = sqlite.dialect()
    impl = people.c.met_on.type.dialect_impl(dialect)
    assert bulk._iso_dates(impl)  # the schema's dates take the ISO shortcut
    return impl.bind_processor(dialect)


@given(st.lists(st.none() | st.dates() | st.datetimes(), max_size=20))
def test_iso_dates_equal_sqlalchemys_processor(values: list[date | datetime | None]) -> None:
    process = _process()
    column = tuple(values)
    assert bulk._converted(column, process, iso=True) == bulk._converted(column, process)
    assert bulk._converted(column, process) == tuple(
        None if v is None else process(v)  # type: ignore[operator]
        for v in column
    )


def test_a_date_format_of_its_own_is_not_taken_for_iso() -> None:
    own = sqlite.DATE(storage_format="%(day)02d/%(month)02d/%(year)04d")  # type: ignore[no-untyped-call]
    assert not bulk._iso_dates(own)
