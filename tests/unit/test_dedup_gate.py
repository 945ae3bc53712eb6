"""`dedup_gate.independent` flags exactly the records that meet nobody in a file (issue 11).

Two references: the definition pair by pair (shared UID, email, phone, profile URL or name
key; a close folded name at the same company, scored by rapidfuzz one pair at a time), and
`KeyIndex` itself: a file judged in order with the flagged records neither looked up nor
added judges every other record exactly as the full run does, and the full run finds
nobody for the flagged ones.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kith.core import dedup_gate
from kith.core.dedup import (
    NAME_SIMILARITY_MIN,
    KeyColumns,
    KeyIndex,
    Keys,
    Match,
    folded,
    keys_of,
)
from kith.core.model import PersonDraft

NAMES = [
    "Jon Smith", "John Smith", "Joan Smith", "jon  smith", "Smith Jon", "Ana Ruíz", "Ana Ruiz",
    "Anna Ruiz", "Bob Smith", "Rob Smith", "Dan Lee", "Dana Lee", "a\u0301 b", "a b", "\u0301",
]  # fmt: skip
drafts = st.builds(
    PersonDraft,
    st.sampled_from(NAMES) | st.text(alphabet="ab \u0301\u00a0\t", min_size=1, max_size=6),
    company=st.sampled_from([None, "", "Acme", "ACME", "Initech", "Ünïon"]),
    uid=st.sampled_from([None, "", "u1", "u2"]),
    emails=st.lists(st.sampled_from(["a@x.org", "b@x.org", "c@x.org"]), max_size=2).map(tuple),
    phones=st.lists(st.sampled_from(["+44 20 7946 0958", "020 7946 0959", "n/a"]), max_size=2).map(
        tuple
    ),
    links=st.lists(
        st.sampled_from(
            ["https://linkedin.com/in/a", "https://www.linkedin.com/in/b/", "https://acme.com"]
        ),
        max_size=2,
    ).map(tuple),
)
files = st.lists(drafts, max_size=14)
# fast, and the rare cases need many files; no deadline: the machine may be busy
THOROUGH = settings(max_examples=400, deadline=None)


def meets(one: Keys, other: Keys) -> bool:
    """The definition: one key in common, or a close name at the same company."""
    close = fuzz.token_sort_ratio(folded(one.name), folded(other.name)) >= NAME_SIMILARITY_MIN
    return (
        bool(one.uid and one.uid == other.uid)
        or not set(one.emails).isdisjoint(other.emails)
        or not set(one.phones).isdisjoint(other.phones)
        or not set(one.urls).isdisjoint(other.urls)
        or one.name == other.name
        or bool(one.company and one.company == other.company and close)
    )


def judged(keys: list[Keys], skipped: list[bool]) -> list[tuple[Match | None, list[str]]]:
    """Each record's match and foreign keys, in order, the skipped ones not looked up."""
    index = KeyIndex()
    found: list[tuple[Match | None, list[str]]] = []
    for row, (k, skip) in enumerate(zip(keys, skipped, strict=True)):
        if skip:
            found.append((None, []))
            continue
        match = index.find(k)
        ref = -row - 1 if match is None else match.ref
        found.append((match, [] if match is None else index.foreign(ref, k)))
        index.add(ref, k)
    return found


@THOROUGH
@given(files)
def test_a_record_is_independent_when_it_meets_no_other_record(file: list[PersonDraft]) -> None:
    keys = [keys_of(draft) for draft in file]
    expected = [
        not any(meets(k, other) for j, other in enumerate(keys) if j != row)
        for row, k in enumerate(keys)
    ]
    assert dedup_gate.independent(KeyColumns.of(file)) == expected


@THOROUGH
@given(files)
def test_big_companies_compared_in_blocks_flag_the_same_records(file: list[PersonDraft]) -> None:
    keys = KeyColumns.of(file)
    paired = dedup_gate.independent(keys)
    with mock.patch.object(dedup_gate, "PAIRED_MAX", 1), mock.patch.object(dedup_gate, "BLOCK", 2):
        assert dedup_gate.independent(keys) == paired


@THOROUGH
@given(files)
def test_independent_records_left_out_of_the_index_change_no_judgement(
    file: list[PersonDraft],
) -> None:
    keys = [keys_of(draft) for draft in file]
    free = dedup_gate.independent(KeyColumns.of(file))
    full = judged(keys, [False] * len(keys))
    assert judged(keys, free) == full
    assert all(match is None for (match, _), alone in zip(full, free, strict=True) if alone)


def test_close_names_at_one_company_are_not_independent() -> None:
    file = [
        PersonDraft("Jon Smith", company="Acme", links=("https://linkedin.com/in/a",)),
        PersonDraft("John Smith", company="ACME", links=("https://linkedin.com/in/b",)),
        PersonDraft("John Smith", company="Initech"),
        PersonDraft("Dana Lee", company="Acme"),
    ]
    assert dedup_gate.independent(KeyColumns.of(file)) == [False, False, False, True]


def test_an_empty_file_has_no_independent_record() -> None:
    assert dedup_gate.independent(KeyColumns.of([])) == []


@THOROUGH
@given(files)
def test_the_keys_of_a_column_equal_each_drafts_keys(file: list[PersonDraft]) -> None:
    columns = KeyColumns.of(file)
    assert [columns.keys(row) for row in range(len(file))] == [keys_of(d) for d in file]
