"""The LinkedIn reader takes cells by position: the same items as reading rows by name.

The reference is the reader as it was, on `tabular.Row` (a dict per row, `get` per cell);
the files vary what a position-based reader could get wrong: column order, columns missing
or repeated, "URL" or "Profile URL", short and long rows, spaces, bad emails and dates,
values over the store's limits, blank rows and quoted newlines.

The importer's reader (`iter_linkedin_drafts`, drafts straight from the cells) gives the
entries the importer made of the records: the same drafts, warnings and errors, in order.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.app.importing import _read_all
from kith.core import limits
from kith.io.dates import DateError, parse_date
from kith.io.linkedin import MET_WHERE, iter_linkedin, iter_linkedin_drafts, read_linkedin
from kith.io.records import ContactRecord, Item, RecordError, collect, fallback_name, is_email
from kith.io.tabular import Row, columns, is_linkedin, named, read_rows

_connected_on = lru_cache(maxsize=64)(parse_date)


def reference_record(row: Row) -> Item:
    """The Row-based reader this module replaced, as it was."""
    email = row.get("email address")
    dropped: list[RecordError] = []
    if email and not is_email(email):
        dropped.append(RecordError(row.line, "Email Address", f"invalid email {email!r}"))
        email = ""
    try:
        met_on = _connected_on(row.get("connected on"))
    except DateError as error:
        met_on = None
        dropped.append(RecordError(row.line, "Connected On", str(error)))
    full = f"{row.get('first name')} {row.get('last name')}"
    name = fallback_name(full, email)
    if name is None:
        return named(row, None)
    url = row.get("url", "profile url")
    return ContactRecord(
        name=name,
        line=row.line,
        source="linkedin",
        emails=(email,) if email else (),
        company=row.get("company") or None,
        title=row.get("position") or None,
        links=(url,) if url else (),
        met_on=met_on,
        met_where=MET_WHERE,
        dropped=tuple(dropped),
    )


HEADERS = [
    "First Name", "Last Name", "URL", "Profile URL", "Email Address", "Company", "Position",
    "Connected On", "Notes",
]  # fmt: skip
CELLS = st.sampled_from(
    [
        "", " ", "Ada", " Grace  Hopper ", "Acme", "ada@example.com", " bob@x.org ",
        "not an email", "https://www.linkedin.com/in/ada", "09 Oct 2024", "15-Jan-24",
        "31 Feb 2024", "someday", "a,b", 'say "hi"', "two\nlines",
    ]
) | st.sampled_from(
    [
        # what the importer's own reader must leave to the records: emails as stored
        # (case, mailto:), odd spaces, values just within and beyond the store's limits
        "Ada@Example.COM", "mailto:Bob@X.org", "Grace\u00a0 Hopper", "\t",
        "n" * limits.NAME, "n" * (limits.NAME + 1),
        "e" * (limits.EMAIL - 6) + "@x.org", "e" * (limits.EMAIL - 5) + "@x.org",
        "https://u/" + "u" * (limits.URL - 10), "https://u/" + "u" * (limits.URL - 9),
    ]
)  # fmt: skip


# Cells a column of a real export holds: rows that read whole, most of them, so the
# importer's own reader takes them (any cell of CELLS sends a row to the records).
LONG = st.integers(0, 3).map(lambda extra: "n" * (limits.NAME - 2 + extra))
FITTING = {
    "Connected On": st.sampled_from(["", "09 Oct 2024", "15-Jan-24", "1 Jan 2020"]),
    "Email Address": st.sampled_from(
        ["", "", "ada@example.com", "Ada@Example.COM", "mailto:Bob@X.org", "not an email"]
    )
    | st.integers(-2, 1).map(lambda extra: "e" * (limits.EMAIL - 6 + extra) + "@x.org"),
    "URL": st.sampled_from(["", "https://www.linkedin.com/in/ada"])
    | st.integers(-2, 1).map(lambda extra: "https://u/" + "u" * (limits.URL - 10 + extra)),
    "First Name": st.sampled_from(["", "Ada", " Grace  Hopper ", "Zoë\u00a0"]) | LONG,
    "Last Name": st.sampled_from(["", "Lovelace", "O'Neil"]),
    "Company": st.sampled_from(["", "Acme", "a,b"]) | LONG,
    "Position": st.sampled_from(["", "CTO", "two\nlines"]) | LONG,
}
FITTING["Profile URL"] = FITTING["URL"]


@st.composite
def exports(draw: st.DrawFn) -> str:
    """A LinkedIn-like CSV: its header, then rows of any width, of cells of any column or
    (one row in two) cells fitting their column."""
    extra = draw(st.lists(st.sampled_from(HEADERS), max_size=6))
    header = draw(st.permutations(["First Name", "Last Name", "Connected On", *extra]))
    fitting = st.tuples(*(FITTING.get(name, CELLS) for name in header)).map(list)
    any_cells = st.lists(CELLS, max_size=len(header) + 2)  # short, full and long rows
    rows = draw(st.lists(fitting | any_cells, max_size=12))
    out = io.StringIO()
    writer = csv.writer(out)
    if draw(st.booleans()):
        out.write("Notes:\n\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@contextmanager
def written(text: str) -> Iterator[Path]:
    """A Connections.csv holding `text`, for as long as the block runs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Connections.csv"
        path.write_text(text, encoding="utf-8", newline="")
        yield path


@settings(max_examples=300, deadline=None)
@given(exports())
def test_the_positional_reader_reads_what_the_row_reader_read(text: str) -> None:
    with written(text) as path:
        expected = collect(read_rows(path, is_linkedin, "LinkedIn connections", reference_record))
        assert read_linkedin(path) == expected


@settings(max_examples=300, deadline=None)
@given(exports())
def test_the_importers_reader_gives_the_entries_of_the_records(text: str) -> None:
    with written(text) as path:
        expected = list(_read_all(iter_linkedin(path)))
        found = list(_read_all(iter_linkedin_drafts(path)))
    assert found == expected
    for entry, reference in zip(found, expected, strict=True):  # drafts, not records
        assert type(entry) is type(reference)
        if isinstance(entry, tuple) and isinstance(reference, tuple):
            assert type(entry[1]) is type(reference[1])
            assert repr(entry[1]) == repr(reference[1])
            assert hash(entry[1]) == hash(reference[1])


def test_columns_take_the_last_repeated_header_a_row_has_and_pad_short_rows() -> None:
    cells_of = columns(["A", "b ", "a", "C"], "a", "b", "d")
    assert cells_of(["1", " 2 ", "3", "4"]) == ["3", "2", ""]
    assert cells_of(["1"]) == ["1", "", ""]
    assert cells_of([]) == ["", "", ""]
    assert cells_of(["1", "2", "3", "4", "5", "6"]) == ["3", "2", ""]
    assert columns(["a", "b"], "b", "a")(["1", "2", "3"]) == ["2", "1"]


def test_columns_refuses_a_single_name() -> None:
    with pytest.raises(ValueError, match="two names"):
        columns(["a", "b"], "a")
