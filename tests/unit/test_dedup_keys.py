"""Per-record shortcuts of the import build the same values as the plain code did.

`keys_of` builds `Keys` without the frozen `__init__`, `combine` reads fields by name and
passes over empty lists, `records.record_of` builds a record without `__init__`: each is
checked against the plain construction, kept here as the reference.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kith.core.dedup import (
    _LISTS,
    Keys,
    _note,
    _profiles,
    _union,
    combine,
    company_of,
    email_of,
    is_profile,
    keys_of,
    link_key,
    name_of,
    phone_of,
)
from kith.core.identity import url_key
from kith.core.model import PersonDraft
from kith.io.records import ContactRecord, record_of

texts = st.sampled_from(["", " ", "Ada", "ada", "Acme", "ACME ", "Ruíz", "x"])
optional = st.none() | texts
emails = st.lists(st.sampled_from(["a@x.org", "A@X.org ", "mailto:b@y.com", "b@y.com"]))
phones = st.lists(st.sampled_from(["+44 20 7946 0958", "020 7946 0958", "n/a", "12"]))
links = st.lists(
    st.sampled_from(
        [
            "https://www.linkedin.com/in/ada",
            "https://linkedin.com/in/ada/",
            "http://de.linkedin.com/in/Bob?x=1",
            "https://acme.com",
            "github.com/ada",
        ]
    )
)
drafts = st.builds(
    PersonDraft,
    name=texts.filter(bool),
    emails=emails.map(tuple),
    phones=phones.map(tuple),
    links=links.map(tuple),
    company=optional,
    title=optional,
    met_where=optional,
    met_on=st.none() | st.dates(),
    note=optional,
    uid=optional,
    via_id=st.none() | st.integers(0, 3),
    interests=st.lists(texts).map(tuple),
    birthday=st.none() | st.dates(),
)


def reference_keys(draft: PersonDraft) -> Keys:
    emails, phones, links = draft.emails, draft.phones, draft.links
    return Keys(
        name=name_of(draft.name),
        company=company_of(draft.company),
        uid=draft.uid or None,
        emails=tuple(dict.fromkeys(email_of(e) for e in emails)) if emails else (),
        phones=tuple(dict.fromkeys(k for p in phones if (k := phone_of(p)))) if phones else (),
        urls=tuple(dict.fromkeys(k for u in links if is_profile(k := link_key(u))))
        if links
        else (),
    )


FILLED = ("company", "title", "met_where", "uid", "via_id", "birthday")


def reference_combine(kept: PersonDraft, other: PersonDraft) -> PersonDraft:
    values: dict[str, object] = {
        name: getattr(other, name)
        for name in FILLED
        if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, "")
    }
    for name, key in _LISTS:
        ours = getattr(kept, name)
        union = _union(ours, getattr(other, name), key)
        if union != ours:
            values[name] = union
    if other.met_on and (kept.met_on is None or other.met_on < kept.met_on):
        values["met_on"] = other.met_on
    note = _note(kept.note, other.note)
    if note != kept.note:
        values["note"] = note
    return replace(kept, **values) if values else kept  # type: ignore[arg-type]


@given(drafts)
def test_keys_of_equals_the_keys_built_by_init(draft: PersonDraft) -> None:
    keys = keys_of(draft)
    assert keys == reference_keys(draft)
    assert hash(keys) == hash(reference_keys(draft))
    assert repr(keys) == repr(reference_keys(draft))


@given(drafts, drafts)
def test_combine_equals_the_plain_combine(kept: PersonDraft, other: PersonDraft) -> None:
    combined, expected = combine(kept, other), reference_combine(kept, other)
    assert combined == expected
    assert (combined is kept) == (expected is kept)


@given(drafts, st.integers(1, 99), st.sampled_from(["linkedin", "google", "vcard"]))
def test_record_of_equals_the_record_built_by_init(
    draft: PersonDraft, line: int, source: str
) -> None:
    values = {
        "name": draft.name,
        "line": line,
        "source": source,
        "emails": draft.emails,
        "links": draft.links,
        "company": draft.company,
        "met_on": draft.met_on,
    }
    built = ContactRecord(**values)  # type: ignore[arg-type]
    quick = record_of(values)
    assert quick == built
    assert hash(quick) == hash(built)
    assert repr(quick) == repr(built)
    assert quick.draft() == built.draft()


# URLs of every shape `link_key` tells apart: LinkedIn's own prefix (its fast path), other
# plain http(s) URLs, and what only `urlsplit` reads (queries, fragments, brackets, control
# characters, non-ASCII, no scheme, odd case and spacing, trailing slashes).
_url_parts = st.text(
    st.sampled_from(list("aZ-_./?#[]:@% \t\né0")) | st.characters(codec="utf-8"), max_size=12
)
urls = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", " ", "\t"]),
        st.sampled_from(
            [
                "https://www.linkedin.com/",
                "https://www.linkedin.com/in/",
                "HTTPS://WWW.LINKEDIN.COM/in/",
                "https://www.linkedin.com",
                "http://www.linkedin.com/in/",
                "https://de.linkedin.com/in/",
                "https://linkedin.com/in/",
                "www.linkedin.com/in/",
                "https://www.linkedin.com.evil.org/in/",
                "https://github.com/",
                "",
            ]
        ),
        _url_parts,
        st.sampled_from(["", "/", "//", " ", "?x=1", "#top"]),
    ),
)


@given(urls)
def test_link_key_equals_url_key_for_every_shape(url: str) -> None:
    link_key.cache_clear()  # the path taken, not a remembered answer
    assert link_key(url) == url_key(url)


@given(st.lists(urls, max_size=3).map(tuple))
def test_profile_keys_equal_the_keys_filtered_by_is_profile(links: tuple[str, ...]) -> None:
    expected = tuple(dict.fromkeys(k for u in links if is_profile(k := url_key(u))))
    assert _profiles(links) == expected
