"""Is an incoming contact someone already in the garden, and how do two records combine?

Pure: the store fills a `KeyIndex` with the keys that already exist (in a few bulk queries), the
importer adds each record's keys as it goes, so duplicates within one file merge too. The strongest
evidence wins, in this order:

1. the same vCard UID (a card we exported or synced before), 2. the same email, 3. the same profile
URL (LinkedIn), 4. the same phone (E.164), 5. the same or a close name at the same company ("Jon
Smith" and "John Smith" at Acme), 6. the same name, when the incoming record has no email or phone
that could say otherwise and the companies do not differ (name-only cards from phones, hand-seeded
people met again on LinkedIn).

A name never merges two records that say they are different people: when both have emails (or
phones, or profile URLs) and share none of them ("Dan Lee" dan@acme.com and "Dana Lee" dana@acme.com
at Acme are two people).

Merging never drops anything: empty fields are filled, new emails, phones, links and tags are added,
the earliest "met on" is kept, and a different note is appended.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache, partial
from typing import Any

from kith.core.identity import name_key, phone_key, url_key
from kith.core.model import PersonDraft

# rapidfuzz token_sort_ratio (0–100, word order ignored) from which two names at the same
# company are one person: "jon smith"/"john smith" scores 95, "joan smith"/"john smith" 90
# (two people), "bob smith"/"rob smith" 89; so the line sits between 90 and 95.
NAME_SIMILARITY_MIN = 92.0
# Only links to a person's own profile identify them: a company website is shared by all
# its staff. Subdomains count (de.linkedin.com).
PROFILE_HOSTS = (
    "linkedin.com", "xing.com", "github.com", "gitlab.com", "twitter.com", "x.com",
    "facebook.com", "instagram.com", "mastodon.social",
)  # fmt: skip
_SUBDOMAIN_OF = tuple("." + host for host in PROFILE_HOSTS)
# Keys are computed again and again for the same values (a record's keys, then its rows;
# the same companies and names across a file): pure functions, so they are remembered.
_CACHE = 1 << 16
name_of = lru_cache(maxsize=_CACHE)(name_key)
_NOT_PLAIN = re.compile(r"[?#\[\]\t\r\n]")  # one search, not a scan per character
_LINKEDIN_PROFILE = "https://www.linkedin.com/"
_LINKEDIN_KEY = "linkedin.com/"  # a key with more after it is a profile (`is_profile`)


@lru_cache(maxsize=_CACHE)
def link_key(url: str) -> str:
    """`identity.url_key`, remembered, and without `urlsplit` for a plain http(s) URL.

    A plain URL (ASCII, no query, fragment, brackets or control characters) splits at
    the first "/" after the host exactly as `urlsplit` would split it.
    """
    text = url.strip()
    plain = text.isascii() and not _NOT_PLAIN.search(text)
    if plain and text.startswith(_LINKEDIN_PROFILE):  # nearly every LinkedIn export's URL
        # the plain split below, with its host known: "www." dropped, the rest lower-cased
        return ("linkedin.com/" + text[len(_LINKEDIN_PROFILE) :]).rstrip("/").lower()
    if plain and text.startswith(("https://", "http://")):
        host, _, path = text.partition("//")[2].partition("/")
        host = host.lower().removeprefix("www.")
        return f"{host}/{path}".rstrip("/").lower() if path else host.lower()
    return url_key(url)


def email_of(email: str) -> str:
    """How emails are stored and compared: stripped, without mailto:, lower-cased.

    Looser than `identity.email_key`: exports hold addresses like `contact1@invalid`
    that the importer already accepted, and they still identify a person.
    """
    text = email.strip().lower()
    return text.removeprefix("mailto:").strip()


@lru_cache(maxsize=_CACHE)
def phone_of(phone: str) -> str | None:
    """The phone's comparison key, or None when it has no digits to compare."""
    try:
        return phone_key(phone)
    except ValueError:
        return None


@lru_cache(maxsize=_CACHE)
def folded(name: str) -> str:
    """A name key without accents, for fuzzy comparison: "Ruíz" is "Ruiz"."""
    if name.isascii():  # nothing to decompose
        return name
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=_CACHE)
def company_of(company: str | None) -> str | None:
    """A company name folded for comparison; None when there is none."""
    return name_key(company) or None if company else None


@dataclass(frozen=True)
class Keys:
    """What identifies a record when merging: folded name, company, UID, emails, phones, URLs."""

    name: str
    company: str | None = None
    uid: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @property
    def has_contact(self) -> bool:
        """Whether the record has an email, phone or profile URL to tell it apart by."""
        return bool(self.emails or self.phones or self.urls)


_IDENTIFIERS = ("emails", "phones", "urls")


def keys_of(draft: PersonDraft) -> Keys:
    """The identifying keys of a draft, folded so that equal people compare equal.

    Built without the frozen `__init__` (a setattr per field; this runs for every record
    of an import): the same values, so equal keys (`tests/unit/test_dedup_keys.py`).
    """
    emails, phones, links = draft.emails, draft.phones, draft.links
    return _built(
        name=name_of(draft.name),
        company=company_of(draft.company),
        uid=draft.uid or None,
        emails=_emails(emails) if emails else (),
        phones=_phones(phones) if phones else (),
        urls=_profiles(links) if links else (),
    )


def _built(**values: object) -> Keys:
    """`Keys(**values)` without the frozen `__init__` (a setattr per field): equal keys."""
    keys = object.__new__(Keys)
    keys.__dict__.update(values)
    return keys


def _emails(emails: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(email_of(e) for e in emails))


def _phones(phones: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for p in phones if (k := phone_of(p))))


@dataclass(frozen=True)
class KeyColumns:
    """The keys of many drafts, a list per field of `Keys`: `keys_of` of each, by column.

    Computed a column at a time (the remembered key functions mapped over a list): a whole
    file's keys for `dedup_gate`, which needs no `Keys` object for most records.
    """

    names: list[str]
    companies: list[str | None]
    uids: list[str | None]
    emails: list[tuple[str, ...]]
    phones: list[tuple[str, ...]]
    urls: list[tuple[str, ...]]

    @classmethod
    def of(cls, drafts: Sequence[PersonDraft]) -> KeyColumns:
        """The columns of these drafts' keys, in order."""
        return cls(
            names=list(map(name_of, [d.name for d in drafts])),
            companies=list(map(company_of, [d.company for d in drafts])),
            uids=[d.uid or None for d in drafts],
            emails=[_emails(d.emails) if d.emails else () for d in drafts],
            phones=[_phones(d.phones) if d.phones else () for d in drafts],
            urls=[_profiles(d.links) if d.links else () for d in drafts],
        )

    def keys(self, row: int) -> Keys:
        """The keys of one draft, equal to its `keys_of`."""
        return _built(
            name=self.names[row],
            company=self.companies[row],
            uid=self.uids[row],
            emails=self.emails[row],
            phones=self.phones[row],
            urls=self.urls[row],
        )


def _profiles(links: tuple[str, ...]) -> tuple[str, ...]:
    """The profile URL keys among links, each once, in order."""
    if len(links) == 1:  # nearly always (LinkedIn: the one profile URL)
        key = link_key(links[0])
        if len(key) > len(_LINKEDIN_KEY) and key.startswith(_LINKEDIN_KEY):
            return (key,)  # host linkedin.com, a path: `is_profile` without its partition
        return (key,) if is_profile(key) else ()
    return tuple(dict.fromkeys(k for u in links if is_profile(k := link_key(u))))


def is_profile(key: str) -> bool:
    """Whether a URL key (host/path) is a person's profile on a known site."""
    host, _, path = key.partition("/")
    return bool(path) and (host in PROFILE_HOSTS or host.endswith(_SUBDOMAIN_OF))


@cache
def _fuzzy() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The `extract` and `extractOne` of rapidfuzz, bound to the scorer and the line.

    rapidfuzz is imported here once, not by every command's start-up, nor by an import
    statement per record (2 µs each).
    """
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - loaded on first use, see above

    scored = {"scorer": fuzz.token_sort_ratio, "score_cutoff": NAME_SIMILARITY_MIN}
    return partial(process.extract, limit=None, **scored), partial(process.extractOne, **scored)


def close_names(name: str, others: Collection[str]) -> list[tuple[str, float, int]]:
    """The names among `others` close to `name` (token_sort_ratio), best first.

    rapidfuzz's `extract` (ties in the order of `others`). Nearly always there is none:
    `extractOne` (same scorer, same line) says so in half the time, so `extract` only runs
    when it has something to sort.
    """
    extract, best = _fuzzy()
    choices = list(others)  # a list: rapidfuzz reads it faster than a dict's keys
    if best(name, choices) is None:
        return []
    return extract(name, choices)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Match:
    """Someone a record was merged into, and by which evidence."""

    ref: int  # an existing person's id, or the importer's reference to an earlier record
    by: str  # which evidence: "vCard UID", "email x", "profile URL", ...


@dataclass
class KeyIndex:
    """Who holds which key. Filled from the store and by the importer as it goes."""

    uids: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    phones: dict[str, int] = field(default_factory=dict)
    urls: dict[str, int] = field(default_factory=dict)
    names: dict[str, list[int]] = field(default_factory=dict)
    companies: dict[str, dict[str, int]] = field(default_factory=dict)  # company -> name -> ref
    company_by_ref: dict[int, str | None] = field(default_factory=dict)
    aliases: dict[int, int] = field(default_factory=dict)  # a placeholder ref -> its real id
    # ref -> its known emails, phones and profile URLs, by kind (what a name is checked
    # against); `held_loaded`: the people whose stored ones the store has added
    held: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    held_loaded: set[int] = field(default_factory=set)
    looked_up: set[str] = field(default_factory=set)  # companies the store has filled in

    def real(self, ref: int) -> int:
        """The person a reference stands for, once an earlier record has been stored."""
        return self.aliases.get(ref, ref)

    def add(self, ref: int, keys: Keys) -> None:
        """Record that `ref` holds these keys; a key someone already holds stays theirs."""
        if keys.uid:
            self.uids.setdefault(keys.uid, ref)
        # each kind written out, not looped over: this runs for every record, and most
        # records have a profile URL and no email or phone
        if emails := keys.emails:
            for value in emails:
                self.emails.setdefault(value, ref)
            self.hold(ref, "emails", emails)
        if phones := keys.phones:
            for value in phones:
                self.phones.setdefault(value, ref)
            self.hold(ref, "phones", phones)
        if urls := keys.urls:
            for value in urls:
                self.urls.setdefault(value, ref)
            self.hold(ref, "urls", urls)
        refs = self.names.get(keys.name)
        if refs is None:
            self.names[keys.name] = [ref]
        elif ref not in refs:
            refs.append(ref)
        if keys.company:
            self.companies.setdefault(keys.company, {}).setdefault(folded(keys.name), ref)
        if self.company_by_ref.get(ref) is None:
            self.company_by_ref[ref] = keys.company

    def hold(self, ref: int, kind: str, values: Iterable[str]) -> None:
        """Record that `ref` has these "emails", "phones" or "urls" (keys, as in `Keys`)."""
        found = set(values)
        if found:
            self.held.setdefault(ref, {}).setdefault(kind, set()).update(found)

    def differs(self, ref: int, keys: Keys) -> bool:
        """Whether these keys and `ref` have different identifiers, so different people.

        True when both have emails (or phones, or profile URLs) and share none of them.
        """
        if not keys.has_contact:
            return False
        mine = self.held.get(ref, {})
        real = self.real(ref)
        alias = self.held.get(real, {}) if real != ref else {}
        for kind in _IDENTIFIERS:
            values = getattr(keys, kind)
            theirs = mine.get(kind, set()) | alias.get(kind, set())
            if values and theirs and theirs.isdisjoint(values):
                return True
        return False

    def add_named(self, ref: int, name: str, company: str | None) -> None:
        """`add(ref, Keys(name=name, company=company))`, for people read from the store."""
        refs = self.names.setdefault(name, [])
        if ref not in refs:
            refs.append(ref)
        if company:
            self.companies.setdefault(company, {}).setdefault(folded(name), ref)
        if self.company_by_ref.get(ref) is None:
            self.company_by_ref[ref] = company

    def find(self, keys: Keys) -> Match | None:
        """The person these keys point to, strongest evidence first; None if nobody."""
        found = self._find(keys)
        if found is None:
            return None
        real = self.real(found.ref)
        return found if real == found.ref else Match(real, found.by)  # one Match, mostly

    def _find(self, keys: Keys) -> Match | None:
        if keys.uid and keys.uid in self.uids:
            return Match(self.uids[keys.uid], "vCard UID")
        for label, table, values in (
            ("email", self.emails, keys.emails),
            ("profile URL", self.urls, keys.urls),
            ("phone", self.phones, keys.phones),
        ):
            for value in values:
                if value in table:
                    return Match(table[value], f"{label} {value}")
        return self._by_name(keys)

    def _by_name(self, keys: Keys) -> Match | None:
        if keys.company and (colleagues := self.companies.get(keys.company)):
            name = folded(keys.name)
            same = colleagues.get(name)
            if same is not None and not self.differs(same, keys):
                return Match(same, f"same name at {keys.company}")
            close = close_names(name, colleagues.keys())
            for other, _score, _ in close:  # best first
                if other != name and not self.differs(colleagues[other], keys):
                    return Match(colleagues[other], f"close name ({other}) at {keys.company}")
        if keys.emails or keys.phones:
            return None
        for ref in self.names.get(keys.name, ()):
            if self.differs(ref, keys):
                continue  # both have a profile, and not the same one
            theirs = self.company_by_ref.get(ref)
            if keys.company is None or theirs is None or theirs == keys.company:
                return Match(ref, "same name")
        return None

    def foreign(self, ref: int, keys: Keys) -> list[str]:
        """Keys of this record that belong to someone other than `ref` (not to be added)."""
        return [
            value
            for table, values in (
                (self.emails, keys.emails),
                (self.phones, keys.phones),
                (self.urls, keys.urls),
            )
            for value in values
            if self.real(table.get(value, ref)) != ref
        ]


def without_keys(draft: PersonDraft, taken: Iterable[str]) -> PersonDraft:
    """The draft minus the emails, phones and links whose key is in `taken`."""
    drop = set(taken)
    if not drop:
        return draft
    return replace(
        draft,
        emails=tuple(e for e in draft.emails if email_of(e) not in drop),
        phones=tuple(p for p in draft.phones if phone_of(p) not in drop),
        links=tuple(u for u in draft.links if link_key(u) not in drop),
    )


_FILLED = ("company", "title", "met_where", "uid", "via_id", "birthday")
_LISTS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("emails", email_of),
    ("phones", lambda p: phone_of(p) or p),
    ("links", link_key),
    ("interests", name_of),
    ("needs", name_of),
    ("offers", name_of),
)


def _union(
    ours: tuple[str, ...], theirs: tuple[str, ...], key: Callable[[str], object]
) -> tuple[str, ...]:
    if not theirs:
        return ours
    seen = {key(value) for value in ours}
    added = []
    for value in theirs:
        if key(value) not in seen:
            seen.add(key(value))
            added.append(value)
    return ours + tuple(added)


def _note(ours: str | None, theirs: str | None) -> str | None:
    if not theirs or (ours and theirs.strip() in ours):
        return ours or theirs
    return f"{ours}\n\n{theirs}" if ours else theirs


def combine(kept: PersonDraft, other: PersonDraft) -> PersonDraft:
    """`kept` with what `other` adds; `kept`'s own values win where both have one.

    Returns `kept` itself when `other` adds nothing (a re-import, mostly).
    """
    mine, theirs = kept.__dict__, other.__dict__  # fields by name: this runs per record
    values: dict[str, object] = {
        name: theirs[name]
        for name in _FILLED
        if theirs[name] not in (None, "") and mine[name] in (None, "")
    }
    for name, key in _LISTS:
        if theirs[name]:  # most lists of a record are empty: nothing to add
            ours = mine[name]
            union = _union(ours, theirs[name], key)
            if union != ours:
                values[name] = union
    if other.met_on and (kept.met_on is None or other.met_on < kept.met_on):
        values["met_on"] = other.met_on  # we met when the earlier record says we did
    note = _note(kept.note, other.note)
    if note != kept.note:
        values["note"] = note
    return replace(kept, **values) if values else kept  # type: ignore[arg-type]


_FIELD_NAMES = tuple(f.name for f in fields(PersonDraft))


def changed_fields(before: PersonDraft, after: PersonDraft) -> list[str]:
    """The names of the fields that differ, in declaration order."""
    if before is after:
        return []
    return [name for name in _FIELD_NAMES if getattr(before, name) != getattr(after, name)]
