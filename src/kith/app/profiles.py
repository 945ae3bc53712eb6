"""Profiles and the group's directory: what members publish, who is found, who can help.

Live, not a snapshot: the directory reads each member's own "me" (their tags and addresses)
at the moment it is searched, restricted in SQL to the fields they published. So a profile
is never stale, hiding a field hides it from the very next read everywhere, and no second
copy of a member's data exists to be forgotten, leaked or left behind when they leave. The
price is a read across members (a fan-out on Citus: docs/scale.md), fine for a directory
searched now and then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kith.app import community
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core import profiles as rules
from kith.core.matching import HelpMatch
from kith.core.tags import load_vocabulary
from kith.store import Connection
from kith.store import community as community_store
from kith.store import people as people_store
from kith.store import profiles as store

_FIELD_NAMES = ", ".join(rules.FIELDS)


@dataclass(frozen=True)
class ProfileView:
    """A member as the directory shows them: their name and the fields they published."""

    login: str
    name: str
    interests: tuple[str, ...]
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    emails: tuple[str, ...]
    published: tuple[str, ...]  # the fields shown besides the name, in FIELDS order


@dataclass(frozen=True)
class MyProfileView:
    """My profile as others see it, and the fields I keep hidden."""

    profile: ProfileView
    hidden: tuple[str, ...]


@dataclass(frozen=True)
class DirectoryView:
    """The members a directory search found."""

    members: list[ProfileView]


@dataclass(frozen=True)
class MatchView:
    """One need met by one offer."""

    need: str
    offer: str


@dataclass(frozen=True)
class HelpView:
    """A member who can help me (or whom I can help), and which needs the offers meet."""

    login: str
    name: str
    matches: list[MatchView]


@dataclass(frozen=True)
class HelpersView:
    """The members who can help me, or whom I can help, best first."""

    members: list[HelpView]


def _fields(option: str, typed: Sequence[str]) -> list[str]:
    found = []
    for text in typed:
        field = rules.field_of(text)
        if field is None and text.strip().lower() != "name":
            raise InvalidInput(option, f"{text!r} is not a field: use {_FIELD_NAMES}")
        if field is not None:
            found.append(field)
    return found


def set_profile(garden: Garden, publish: Sequence[str], hide: Sequence[str]) -> MyProfileView:
    """Publish and hide fields of my profile (name is always shown), then show it."""
    if any(text.strip().lower() == "name" for text in hide):
        raise InvalidInput("hide", "name is always shown: it is how members know you")
    shown, hidden = _fields("publish", publish), _fields("hide", hide)
    both = sorted(set(shown) & set(hidden))
    if both:
        raise InvalidInput("publish", f"{', '.join(both)} cannot be published and hidden at once")
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        store.publish(conn, me.account_id, shown)
        store.hide(conn, me.account_id, hidden)
        return _mine(conn, me)


def my_profile(garden: Garden) -> MyProfileView:
    """My profile as others see it, and the fields I keep hidden; nothing is changed."""
    with garden.reading() as conn:
        return _mine(conn, community.acting_member(conn, garden))


def _mine(conn: Connection, me: community_store.MemberRow) -> MyProfileView:
    (mine,) = _profiles(conn, me.group_id, only=me.account_id)
    view = _view(mine)
    return MyProfileView(view, tuple(f for f in rules.FIELDS if f not in view.published))


def directory(garden: Garden, search: rules.Search) -> DirectoryView:
    """Members (none suspended) whose published fields match every filter, by name."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        everyone = _profiles(conn, me.group_id)
    return DirectoryView([_view(p) for p in rules.found(everyone, search, load_vocabulary())])


def helps_me(garden: Garden) -> HelpersView:
    """Members whose published offers meet my needs: most needs met first."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        mine = people_store.load_me(conn, me.account_id)
        others = _profiles(conn, me.group_id, fields=("offers",))
    return _helps(rules.who_helps(mine, me.account_id, others, load_vocabulary()), others)


def i_can_help(garden: Garden) -> HelpersView:
    """Members whose published needs my offers meet: most needs met first."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        mine = people_store.load_me(conn, me.account_id)
        others = _profiles(conn, me.group_id, fields=("needs",))
    return _helps(rules.whom_i_help(mine, me.account_id, others, load_vocabulary()), others)


def _profiles(
    conn: Connection,
    group_id: int,
    only: int | None = None,
    fields: Sequence[str] = rules.FIELDS,
) -> list[rules.Profile]:
    return [
        rules.Profile(
            r.account_id,
            r.login,
            rules.shown_name(r.login, r.me_name),
            interests=tuple(r.values.get("interests", ())),
            offers=tuple(r.values.get("offers", ())),
            needs=tuple(r.values.get("needs", ())),
            emails=tuple(r.values.get("emails", ())),
            published=frozenset(r.published),
        )
        for r in store.profiles(conn, group_id, only, fields)
    ]


def _view(profile: rules.Profile) -> ProfileView:
    shown = rules.published_only(profile)
    return ProfileView(
        shown.login,
        shown.name,
        shown.interests,
        shown.offers,
        shown.needs,
        shown.emails,
        tuple(f for f in rules.FIELDS if f in shown.published),
    )


def _helps(found: list[HelpMatch], profiles: list[rules.Profile]) -> HelpersView:
    login = {p.account_id: p.login for p in profiles}
    return HelpersView(
        [
            HelpView(
                login[h.person_id], h.name, [MatchView(need, offer) for need, offer in h.matches]
            )
            for h in found
        ]
    )
