"""The directory's rules: published fields only, the tag rules, help matching both ways."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kith.core.model import Me
from kith.core.profiles import (
    FIELDS,
    Profile,
    Search,
    field_of,
    found,
    published_only,
    shown_name,
    who_helps,
    whom_i_help,
)
from kith.core.tags import load_vocabulary

ANA = Profile(
    1,
    "ana",
    "Ana Lopes",
    interests=("rock climbing",),
    offers=("bookkeeping",),
    needs=("seed funding",),
    emails=("ana@example.org",),
    published=frozenset({"interests", "offers"}),
)
CLEO = Profile(
    3,
    "cleo",
    "cleo",
    interests=("climbing",),
    offers=("tax advice",),
    needs=("fundraising",),
    published=frozenset({"interests", "needs"}),
)


def test_a_field_is_named_as_users_type_it() -> None:
    assert field_of("Interest") == "interests" and field_of(" offers ") == "offers"
    assert field_of("email") == "emails" and field_of("email  address") == "emails"
    assert field_of("salary") is None and field_of("name") is None


def test_a_member_is_shown_by_the_name_of_their_me_or_their_login() -> None:
    assert shown_name("ana", "Ana Lopes") == "Ana Lopes"
    assert shown_name("ana", "me") == "ana" and shown_name("ana", " ") == "ana"


def test_unpublished_fields_are_emptied() -> None:
    shown = published_only(ANA)
    assert shown.offers == ("bookkeeping",) and shown.needs == () and shown.emails == ()


def test_the_directory_searches_published_fields_with_the_tag_rules() -> None:
    vocab = load_vocabulary()
    assert [p.login for p in found([CLEO, ANA], Search(interest="bouldering"), vocab)] == [
        "ana",
        "cleo",
    ]
    assert [p.login for p in found([ANA, CLEO], Search(offer="accounting"), vocab)] == ["ana"]
    assert found([ANA], Search(need="fundraising"), vocab) == []  # ana's needs are hidden
    assert [p.login for p in found([ANA, CLEO], Search(need="raising money"), vocab)] == ["cleo"]


def test_help_is_matched_through_published_fields_only() -> None:
    vocab = load_vocabulary()
    bob = Me("bob", needs=("accounting", "funding"), offers=("fundraising",))
    (helper,) = who_helps(bob, 2, [ANA, CLEO], vocab)  # cleo's tax advice is hidden
    assert (helper.name, helper.matches) == ("Ana Lopes", (("accounting", "bookkeeping"),))
    (helped,) = whom_i_help(bob, 2, [ANA, CLEO], vocab)  # ana's needs are hidden
    assert (helped.name, helped.matches) == ("cleo", (("fundraising", "fundraising"),))
    assert who_helps(Me("ana", needs=("bookkeeping",)), 1, [ANA], vocab) == []  # not myself


_values = st.lists(st.sampled_from(["climbing", "bookkeeping", "a@b.c", "chess"]), max_size=3)


@given(
    st.tuples(_values, _values, _values, _values),
    st.frozensets(st.sampled_from(FIELDS)),
)
def test_nothing_unpublished_is_ever_shown(
    values: tuple[list[str], list[str], list[str], list[str]], published: frozenset[str]
) -> None:
    interests, offers, needs, emails = (tuple(v) for v in values)
    profile = Profile(1, "x", "x", interests, offers, needs, emails, published=published)
    shown = published_only(profile)
    for field in FIELDS:
        assert getattr(shown, field) == (getattr(profile, field) if field in published else ())
