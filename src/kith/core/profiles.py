"""Profiles in the group's directory: which of my own fields I publish, and who is found.

A member's name is always shown; every other field of their "me" (interests, offers, needs,
their own email addresses) is hidden until they publish it, field by field. The directory
searches published fields with the tag rules (`kith.core.tag_filter`: synonyms and near
spellings), and help matching (`kith.core.matching`) pairs needs with offers across the
group, only through what each member published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kith.core.matching import HelpMatch, who_can_help, whom_i_can_help
from kith.core.model import Me, Person
from kith.core.tag_filter import has_tag
from kith.core.tags import Vocabulary

FIELDS = ("interests", "offers", "needs", "emails")  # what "me" has, besides the name
_SPELLINGS = {field.removesuffix("s"): field for field in FIELDS} | {"email address": "emails"}


@dataclass(frozen=True)
class Profile:
    """A member as the directory shows them: hidden fields are empty, never filled."""

    account_id: int
    login: str
    name: str
    interests: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    published: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Search:
    """A directory search; a blank filter matches everyone."""

    interest: str = ""
    offer: str = ""
    need: str = ""


def field_of(text: str) -> str | None:
    """The profile field a user typed ("Interest", "offers", "email"); None if none."""
    cleaned = " ".join(text.strip().lower().split())
    return cleaned if cleaned in FIELDS else _SPELLINGS.get(cleaned)


def shown_name(login: str, me_name: str) -> str:
    """The name a member is shown by: the one they gave their "me", else their login."""
    name = me_name.strip()
    return login if not name or name == "me" else name


def published_only(profile: Profile) -> Profile:
    """The profile with every unpublished field emptied (the store reads none; this is sure)."""

    def kept(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
        return values if field in profile.published else ()

    return replace(
        profile,
        interests=kept("interests", profile.interests),
        offers=kept("offers", profile.offers),
        needs=kept("needs", profile.needs),
        emails=kept("emails", profile.emails),
    )


def found(profiles: Iterable[Profile], search: Search, vocab: Vocabulary) -> list[Profile]:
    """Profiles matching every filter of a search, by name; only published fields count."""
    shown = [published_only(p) for p in profiles]
    return sorted(
        (
            p
            for p in shown
            if _has(p.interests, search.interest, vocab)
            and _has(p.offers, search.offer, vocab)
            and _has(p.needs, search.need, vocab)
        ),
        key=lambda p: (p.name.casefold(), p.login),
    )


def _has(values: Sequence[str], wanted: str, vocab: Vocabulary) -> bool:
    return not wanted.strip() or has_tag(values, wanted, vocab)


def _as_person(profile: Profile) -> Person:
    shown = published_only(profile)
    return Person(shown.name, needs=shown.needs, offers=shown.offers, id=shown.account_id)


def who_helps(me: Me, my_id: int, others: Iterable[Profile], vocab: Vocabulary) -> list[HelpMatch]:
    """Members whose published offers meet my needs (all of mine: they are my own)."""
    mine = Person(me.name, needs=me.needs, offers=me.offers, id=my_id)
    people = [_as_person(p) for p in others if p.account_id != my_id]
    return who_can_help(mine, people, vocab)


def whom_i_help(
    me: Me, my_id: int, others: Iterable[Profile], vocab: Vocabulary
) -> list[HelpMatch]:
    """Members whose published needs my offers meet."""
    return whom_i_can_help(me, [_as_person(p) for p in others if p.account_id != my_id], vocab)
