"""Dedup rules: which evidence says two records are one person, and how they combine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kith.core.dedup import (
    KeyIndex,
    changed_fields,
    combine,
    is_profile,
    keys_of,
    without_keys,
)
from kith.core.model import PersonDraft


def indexed(*drafts: tuple[int, PersonDraft]) -> KeyIndex:
    index = KeyIndex()
    for ref, draft in drafts:
        index.add(ref, keys_of(draft))
    return index


LINK_A = "https://www.linkedin.com/in/danlee/"
LINK_B = "https://www.linkedin.com/in/danlee-2/"
ANA = PersonDraft(
    "Ana Ruiz",
    emails=("ana@acme.com",),
    phones=("+1 415 555 0100",),
    links=("https://www.linkedin.com/in/anaruiz/",),
    company="Acme",
    uid="uid-ana",
)


@pytest.mark.parametrize(
    ("incoming", "by"),
    [
        (PersonDraft("Someone", uid="uid-ana"), "vCard UID"),
        (PersonDraft("A. Ruiz", emails=("ANA@acme.com ",)), "email ana@acme.com"),
        (
            PersonDraft("A. R.", links=("linkedin.com/in/anaruiz",)),
            "profile URL linkedin.com/in/anaruiz",
        ),
        (PersonDraft("Ana", phones=("(415) 555-0100",)), "phone +14155550100"),
        (PersonDraft("Ana Ruíz", company="ACME"), "same name at acme"),
        (PersonDraft("Anna Ruiz", company="Acme"), "close name (ana ruiz) at acme"),
        (PersonDraft("Ruiz Ana", company="acme"), "close name (ana ruiz) at acme"),
        (PersonDraft("ana ruiz"), "same name"),
    ],
)
def test_each_kind_of_evidence_finds_the_person(incoming: PersonDraft, by: str) -> None:
    match = indexed((7, ANA)).find(keys_of(incoming))
    assert match is not None
    assert (match.ref, match.by) == (7, by)


@pytest.mark.parametrize(
    "incoming",
    [
        PersonDraft("Joan Ruiz", company="Acme"),  # a close name, but another person (score 90)
        PersonDraft("Ana Ruiz", company="Globex"),  # same name, another company
        PersonDraft(
            "Ana Ruiz", emails=("ana@other.org",)
        ),  # same name, an email that says otherwise
        PersonDraft(
            "Cy Wu", links=("https://acme.com/team",)
        ),  # a company site is nobody's profile
    ],
)
def test_weak_or_contrary_evidence_finds_nobody(incoming: PersonDraft) -> None:
    index = indexed(
        (7, ANA), (8, PersonDraft("Bo Li", company="Initech", links=("https://acme.com/team",)))
    )
    assert index.find(keys_of(incoming)) is None


DAN = PersonDraft("Dan Lee", emails=("dan@acme.com",), company="Acme")
DAN_IN_FULL = replace(DAN, phones=("+1 415 555 0100",), links=(LINK_A,))


@pytest.mark.parametrize(
    "incoming",
    [
        PersonDraft("Dana Lee", emails=("dana@acme.com",), company="Acme"),  # close name
        PersonDraft("Dan Lee", emails=("dan.lee@acme.com",), company="Acme"),  # same name
        PersonDraft("Dan Lee", phones=("+1 212 555 0199",), company="Acme"),
        PersonDraft("Dan Lee", links=(LINK_B,), company="Acme"),
        PersonDraft("Dan Lee", links=(LINK_B,)),  # same name, no company
    ],
)
def test_a_name_does_not_merge_records_whose_identifiers_differ(incoming: PersonDraft) -> None:
    assert indexed((1, DAN_IN_FULL)).find(keys_of(incoming)) is None


@pytest.mark.parametrize(
    ("incoming", "by"),
    [
        (
            PersonDraft("Dana Lee", company="Acme"),
            "close name (dan lee) at acme",
        ),  # nothing to differ
        (PersonDraft("Dan Lee", phones=("+1 212 555 0199",), company="Acme"), "same name at acme"),
        (PersonDraft("Dan Lee", links=(LINK_B,)), "same name"),  # he has no profile to differ
    ],
)
def test_a_name_still_merges_when_only_one_side_has_identifiers(
    incoming: PersonDraft, by: str
) -> None:
    match = indexed((1, DAN)).find(keys_of(incoming))
    assert match is not None
    assert (match.ref, match.by) == (1, by)


def test_a_close_name_skips_a_colleague_whose_identifiers_differ() -> None:
    index = indexed((1, DAN), (2, PersonDraft("Dann Lee", company="Acme")))
    match = index.find(keys_of(PersonDraft("Dan Lee", emails=("d@lee.org",), company="Acme")))
    assert match is not None and (match.ref, match.by) == (2, "close name (dann lee) at acme")


def test_identifiers_held_under_a_placeholder_count_for_its_real_id() -> None:
    index = indexed((-1, DAN))
    index.aliases[-1] = 42
    index.add_named(42, "dan lee", "acme")
    assert (
        index.find(keys_of(PersonDraft("Dana Lee", emails=("dana@acme.com",), company="Acme")))
        is None
    )
    index.hold(42, "emails", ["dana@acme.com"])  # the store says he has her email too
    assert index.differs(-1, keys_of(PersonDraft("Dana Lee", emails=("dana@acme.com",)))) is False


def test_the_strongest_evidence_wins_and_keys_of_others_are_foreign() -> None:
    index = indexed(
        (1, PersonDraft("Ana", emails=("a@x.org",))),
        (2, PersonDraft("Bob", phones=("+1 212 555 0199",))),
    )
    incoming = PersonDraft("Ana", emails=("a@x.org",), phones=("+1 212 555 0199",))
    keys = keys_of(incoming)
    match = index.find(keys)
    assert match is not None and match.ref == 1
    assert index.foreign(1, keys) == ["+12125550199"]
    assert without_keys(incoming, index.foreign(1, keys)).phones == ()


def test_aliases_turn_placeholders_into_ids() -> None:
    index = indexed((-1, ANA))
    index.aliases[-1] = 42
    match = index.find(keys_of(PersonDraft("x", emails=("ana@acme.com",))))
    assert match is not None and match.ref == 42
    assert index.foreign(42, keys_of(ANA)) == []


def test_combine_fills_adds_keeps_earliest_and_appends_a_new_note() -> None:
    kept = PersonDraft(
        "Ana Ruiz", emails=("ana@acme.com",), met_on=date(2024, 5, 1), note="climber"
    )
    other = PersonDraft(
        "Ana R.",
        emails=("ANA@acme.com", "ana@home.org"),
        company="Acme",
        met_on=date(2023, 1, 1),
        note="met at PyCon",
        interests=("jazz",),
    )
    after = combine(kept, other)
    assert after.name == "Ana Ruiz"
    assert after.emails == ("ana@acme.com", "ana@home.org")
    assert after.company == "Acme" and after.met_on == date(2023, 1, 1)
    assert after.note == "climber\n\nmet at PyCon"
    assert after.interests == ("jazz",)
    assert changed_fields(kept, after) == ["emails", "company", "met_on", "note", "interests"]


def test_combining_what_is_already_there_changes_nothing() -> None:
    after = combine(ANA, ANA)
    assert after == ANA
    assert combine(after, PersonDraft("Ana Ruiz", company="Other Co")) == ANA  # kept values win


def test_profile_links_are_known_sites_with_a_path() -> None:
    assert is_profile("linkedin.com/in/ana")
    assert is_profile("de.linkedin.com/in/ana")
    assert not is_profile("linkedin.com")
    assert not is_profile("acme.com/ana")
