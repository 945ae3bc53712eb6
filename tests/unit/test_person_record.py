"""The person's record is declared once: the shapes that carry it are made from it."""

from __future__ import annotations

import dataclasses
import inspect

from kith.app import people
from kith.core.model import Person, PersonDraft
from kith.io.records import ContactRecord
from kith.web.api_models import EditIn, SeedIn


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_a_person_and_an_imported_record_are_drafts_with_more() -> None:
    draft = _names(PersonDraft)
    assert _names(Person)[: len(draft)] == draft
    assert _names(ContactRecord)[: len(draft)] == draft
    record = ContactRecord("Ana", line=3, source="vcard", emails=("a@x.org",))
    assert record.draft() == PersonDraft("Ana", emails=("a@x.org",))


def test_the_seed_body_and_seed_take_each_field_a_seed_sets() -> None:
    taken = [
        people.SEED_NAMES.get(name, name)
        for name in _names(PersonDraft)
        if name not in people.NOT_SEEDED
    ]
    assert list(SeedIn.model_fields) == [*taken, "new"]
    assert set(inspect.signature(people.seed).parameters) - {"garden"} == {*taken, "new"}


def test_the_edit_body_is_the_edit_the_cli_makes() -> None:
    assert list(EditIn.model_fields) == _names(people.Edit)
