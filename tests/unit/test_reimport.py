"""`reimport.adds_nothing` says a record adds nothing exactly when `combine` says so.

The stored person is a snapshot row and its lists, and the draft `combine` meets is the one
the import builds from them (`Snapshot.drafts`); incoming drafts are drawn at random and
also from the stored person's own values (so that many add nothing), over every field.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.app.reimport import adds_nothing, drop_unchanged
from kith.core.dedup import combine
from kith.core.model import PersonDraft
from kith.store.dedup_index import DRAFTED_AT, Snapshot
from tests.unit.test_dedup_keys import drafts, texts

PERSON = 7
MET = date(2024, 10, 9)
LISTS = ("emails", "phones", "links")
TAGS = ("interests", "needs", "offers")
# What a draft holds besides its lists and tags: `combine` reads every one but the name and
# the two a stored draft does not read (`cadence_days`, `consent_share`).
SCALARS = tuple(name for name in DRAFTED_AT if name not in ("id", "account_id"))


def test_every_field_of_a_draft_is_weighed() -> None:
    """A field added to `PersonDraft` fails here until `adds_nothing` is checked for it."""
    weighed = {*SCALARS, *LISTS, *TAGS, "cadence_days", "consent_share"}
    assert {f.name for f in fields(PersonDraft)} == weighed


def snapshot_of(person: PersonDraft) -> tuple[Snapshot, tuple[Any, ...]]:
    """The snapshot holding only `person` (its tags left out, as a snapshot leaves them)."""
    row: list[Any] = [None] * len(DRAFTED_AT)
    row[DRAFTED_AT["id"]], row[DRAFTED_AT["account_id"]] = PERSON, 1
    for name in SCALARS:
        row[DRAFTED_AT[name]] = getattr(person, name)
    lists = {name: {PERSON: list(getattr(person, name))} for name in LISTS}
    return Snapshot({}, {}, {}, {PERSON: tuple(row)}, lists), tuple(row)


# Values of each list, several spellings of one key each (`combine` compares keys).
POOLS = {
    "emails": ["ana@acme.com", "ANA@acme.com ", "mailto:ana@acme.com", "bo@x.org"],
    "phones": ["+44 20 7946 0958", "+442079460958", "(+44) 20 7946 0958", "n/a", "12"],
    "links": [
        "https://www.linkedin.com/in/ada",
        "https://linkedin.com/in/ada/",
        "HTTPS://LinkedIn.com/in/ADA",
        "https://acme.com",
    ],
}
# The fields a record may bring that a merge weighs (the name is not).
WEIGHED = [name for name in (*SCALARS, *LISTS, *TAGS) if name != "name"]


def variants(name: str, ours: Any, theirs: Any) -> st.SearchStrategy[Any]:
    """Values of one field near the stored one: equal, empty, within it, around it."""
    if name in TAGS:
        return st.lists(texts, max_size=1).map(tuple)
    if name in LISTS:
        spelt = st.lists(st.sampled_from(POOLS[name]), max_size=2).map(tuple)
        return st.sampled_from([(), ours, theirs, ours + theirs, ours[:1]]) | spelt
    if name in ("met_on", "birthday"):
        return st.sampled_from([None, ours, theirs]) | st.dates()
    if name == "via_id":
        return st.sampled_from([None, 0, 1, ours])
    near = [None, "", ours, theirs]
    if ours:
        near += [f" {ours} ", ours.strip(), ours[:1], f"{ours} and more"]
    return st.sampled_from(near)


@st.composite
def meeting(draw: st.DrawFn, field: str | None) -> tuple[PersonDraft, PersonDraft]:
    """A stored person and a record: the person's own values (lists: a part of them) but
    `field`, drawn near the stored one; `field` None: any record."""
    stored, other = draw(drafts), draw(drafts)
    if field is None:
        return stored, other
    spelt = {name: st.lists(st.sampled_from(POOLS[name]), max_size=2) for name in LISTS}
    lists: dict[str, Any] = {name: tuple(draw(spelt[name])) for name in LISTS}
    stored = replace(stored, **lists)
    values: dict[str, Any] = {name: getattr(stored, name) for name in SCALARS}
    for name in LISTS:
        ours = getattr(stored, name)
        values[name] = tuple(draw(st.lists(st.sampled_from(ours)))) if ours else ()
    values[field] = draw(variants(field, getattr(stored, field), getattr(other, field)))
    return stored, replace(other, **values)


@pytest.mark.parametrize("field", [*WEIGHED, None])
@given(data=st.data())
def test_adds_nothing_exactly_when_combine_returns_the_stored_draft(
    field: str | None, data: st.DataObject
) -> None:
    person, record = data.draw(meeting(field))
    snapshot, row = snapshot_of(person)
    stored = snapshot.drafts([PERSON], LISTS)[PERSON]
    quiet = adds_nothing(snapshot.lists, row, record)
    if any(getattr(record, name) for name in TAGS):
        assert not quiet  # tags: left to the full path
    else:
        assert quiet == (combine(stored, record) is stored)


@given(st.lists(st.sampled_from(WEIGHED).flatmap(meeting), min_size=1, max_size=4))
def test_drop_unchanged_takes_out_the_people_every_record_of_which_adds_nothing(
    pairs: list[tuple[PersonDraft, PersonDraft]],
) -> None:
    """Each pair is a person of its own; people keep their order, the count is of records."""
    drafted: dict[int, tuple[Any, ...]] = {}
    lists: dict[str, dict[int, list[str]]] = {name: {} for name in LISTS}
    into: dict[int, list[tuple[int, PersonDraft, str]]] = {}
    expected_left: list[int] = []
    expected_count = 0
    for n, (person, record) in enumerate(pairs):
        snapshot, row = snapshot_of(person)
        person_id = PERSON + n
        drafted[person_id] = (person_id, *row[1:])
        for name in LISTS:
            lists[name][person_id] = snapshot.lists[name][PERSON]
        stored = snapshot.drafts([PERSON], LISTS)[PERSON]
        merges = [(n, record, "by"), (n, record, "by")]  # the same record twice: adds as once
        into[person_id] = merges
        if any(getattr(record, name) for name in TAGS) or combine(stored, record) is not stored:
            expected_left.append(person_id)
        else:
            expected_count += len(merges)
    into[10**6] = [(0, pairs[0][1], "by")]  # not in the snapshot: left to the full path
    expected_left.append(10**6)
    count = drop_unchanged(Snapshot({}, {}, {}, drafted, lists), into)
    assert (count, list(into)) == (expected_count, expected_left)


def test_a_re_import_record_adds_nothing() -> None:
    """Not vacuous: the usual case, a LinkedIn record met again, is told quiet."""
    person = PersonDraft(
        "Ana Ruiz",
        links=("https://www.linkedin.com/in/ana",),
        company="Acme",
        title="CTO",
        met_on=None,
    )
    snapshot, row = snapshot_of(replace(person, met_on=MET))
    assert adds_nothing(snapshot.lists, row, replace(person, met_on=MET))
    assert not adds_nothing(snapshot.lists, row, replace(person, emails=("ana@acme.com",)))
