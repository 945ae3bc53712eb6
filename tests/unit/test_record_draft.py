"""`ContactRecord.draft` (and the importer's `draft_of`) copy fields without the frozen
`__init__`: the same draft."""

from __future__ import annotations

from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st

from kith.app.importing import draft_of
from kith.core.dedup import email_of
from kith.core.model import PersonDraft
from kith.io.records import ContactRecord

texts = st.text(max_size=8)
# emails that the store spells alike ("A@X.org", "a@x.org")
emails = st.sampled_from(["a@x.org", "A@X.org", " mailto:b@y ", "B@y"])
optional = st.none() | texts
lists = st.lists(texts, max_size=3).map(tuple)
records = st.builds(
    ContactRecord,
    name=texts,
    line=st.integers(1, 10),
    source=st.sampled_from(["linkedin", "google", "outlook", "vcard"]),
    emails=st.lists(emails | texts, max_size=3).map(tuple),
    phones=lists,
    links=lists,
    company=optional,
    title=optional,
    met_on=st.none() | st.dates(),
    note=optional,
    uid=optional,
    via_id=st.none() | st.integers(1, 9),
    interests=lists,
    birthday=st.none() | st.dates(),
    cadence_days=st.none() | st.integers(1, 90),
    consent_share=st.booleans(),
)


@given(records)
def test_a_records_draft_equals_the_draft_built_from_its_fields(record: ContactRecord) -> None:
    draft = record.draft()
    built = PersonDraft(**{f.name: getattr(record, f.name) for f in fields(PersonDraft)})
    assert type(draft) is PersonDraft
    assert draft == built
    assert hash(draft) == hash(built)
    assert repr(draft) == repr(built)


@given(records)
def test_the_imported_draft_is_the_records_draft_with_emails_as_stored(
    record: ContactRecord,
) -> None:
    emails = record.emails
    draft = draft_of(record)
    built = PersonDraft(**{f.name: getattr(record, f.name) for f in fields(PersonDraft)})
    expected = replace(built, emails=tuple(dict.fromkeys(email_of(e) for e in emails)))
    assert type(draft) is PersonDraft
    assert (draft, hash(draft), repr(draft)) == (expected, hash(expected), repr(expected))
    assert record.emails == emails  # the record keeps the emails as read
