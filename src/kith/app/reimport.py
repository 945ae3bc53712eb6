"""A re-import's merges that add nothing, told apart without reading people back (issue 11).

While an import holds the account's snapshot (`dedup_index.Snapshot`: the database as it
is, since nothing has been written after it was read), a record matched to a stored person
adds nothing exactly when `combine(stored, record)` would return the stored draft itself:
then the full path counts it skipped and writes nothing for that person. `adds_nothing`
tells that from the snapshot's row and lists, without building the stored person's draft
(`load_drafts`) and the merge (`combine`) for every person of a re-import.

It is `combine`'s test, field by field, never looser: where it cannot tell (tags, which
the snapshot does not hold; a person it does not hold) it says the record may add
something, and the full path judges. `tests/unit/test_reimport.py` checks it against
`combine` for drafts of every field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from kith.core.dedup import email_of, link_key, phone_of
from kith.core.model import PersonDraft
from kith.store.dedup_index import DRAFTED_AT, Snapshot

# The fields `combine` fills when the stored one is empty: the draft's, and the snapshot
# row's (one tuple each, compared pairwise).
_FILLED = ("company", "title", "met_where", "uid", "via_id", "birthday")
_THEIRS_FILLED = itemgetter(*_FILLED)
_OURS_FILLED = itemgetter(*(DRAFTED_AT[name] for name in _FILLED))
_EMPTY = (None, "")
_MET_ON, _NOTE = DRAFTED_AT["met_on"], DRAFTED_AT["note"]
# The lists `combine` unites, each compared by its key, as `combine` compares them.
_KEYED: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("emails", email_of),
    ("phones", lambda p: phone_of(p) or p),
    ("links", link_key),
)


def drop_unchanged(snapshot: Snapshot, into: dict[int, list[tuple[int, PersonDraft, str]]]) -> int:
    """Take out of `into` the people none of whose records adds anything; how many records.

    Those records are what the full path counts skipped; the people left keep their order.
    Each record merged into an unchanged person meets the same stored draft, so records
    that each add nothing add nothing together.
    """
    drafted, lists = snapshot.drafted, snapshot.lists
    quiet = []
    for person_id, merges in into.items():  # plain loops: one turn per record
        row = drafted.get(person_id)
        if row is None:  # not one the snapshot read: the full path judges
            continue
        for _, draft, _ in merges:
            if not adds_nothing(lists, row, draft):
                break
        else:
            quiet.append(person_id)
    return sum(len(into.pop(person_id)) for person_id in quiet)


def adds_nothing(
    lists: dict[str, dict[int, list[str]]], row: Sequence[Any], draft: PersonDraft
) -> bool:
    """Whether `combine(stored, draft)` is `stored` itself (a snapshot row and its lists).

    Its tests in its order, each no looser; tags, which the snapshot does not hold, are
    left to the full path.
    """
    theirs = draft.__dict__  # fields by name, as `combine` reads them
    if theirs["interests"] or theirs["needs"] or theirs["offers"]:
        return False  # tags: not in the snapshot
    for value, stored in zip(_THEIRS_FILLED(theirs), _OURS_FILLED(row), strict=True):
        if value not in _EMPTY and stored in _EMPTY:
            return False
    person_id = row[0]
    for name, key in _KEYED:
        values = theirs[name]
        if values and not _held(values, lists[name].get(person_id), key):
            return False
    met_on: date | None = row[_MET_ON]
    if draft.met_on and (met_on is None or draft.met_on < met_on):
        return False
    return _same_note(row[_NOTE], draft.note)


def _held(values: tuple[str, ...], stored: list[str] | None, key: Callable[[str], object]) -> bool:
    """Whether every value's key is among the stored values' keys (`combine`'s union)."""
    if not stored:
        return False  # `values` is not empty: the union would add them
    if len(values) == len(stored) == 1:  # nearly always (a LinkedIn profile URL): no set
        return key(values[0]) == key(stored[0])
    keys = set(map(key, stored))
    return all(key(value) in keys for value in values)


def _same_note(ours: str | None, theirs: str | None) -> bool:
    """Whether `combine`'s note of these two is ours, unchanged."""
    if theirs and not (ours and theirs.strip() in ours):
        return False  # appended to ours, or ours was empty
    return (ours or theirs) == ours
