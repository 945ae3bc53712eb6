"""Whom a warm path is for: a member, a shared contact, a company, an offer or an interest.

`kith group path TARGET`: a login or a contact's name as any person is named
(`core.names.resolve_name`: "maya" for "Maya Okafor"), or `at:Acme` / `company:Acme`,
`offers:fundraising` / `offer:...`, `interests:climbing` / `interest:...`. Offers and
interests follow the tag rules (`core.tags`: synonyms and broader terms), and a wanted tag
also matches a longer one that contains all its words ("fundraising" finds "fundraising
advice"), because people describe what they offer in phrases. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kith.core.identity import name_key
from kith.core.names import Candidate, Resolution, resolve_name
from kith.core.tag_filter import has_tag
from kith.core.tags import Vocabulary, canonical, meets, normalise

KINDS = {
    "at": "company",
    "company": "company",
    "offers": "offer",
    "offer": "offer",
    "interests": "interest",
    "interest": "interest",
}


@dataclass(frozen=True)
class Target:
    """What a path is asked for: `kind` is name, company, offer or interest."""

    kind: str
    value: str

    @property
    def words(self) -> str:
        """The target in words, for "no safe path" answers: "someone who offers X"."""
        if self.kind == "company":
            return f"someone at {self.value}"
        if self.kind == "offer":
            return f"someone who offers {self.value}"
        if self.kind == "interest":
            return f"someone interested in {self.value}"
        return self.value


@dataclass(frozen=True)
class Described:
    """A node as targets see it: a member by login, a contact by what its shares say."""

    index: int
    name: str
    member: bool
    company: str | None = None
    offers: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()


def parse(text: str) -> Target:
    """The target a user typed; ValueError when it is empty or its prefix has no value."""
    cleaned = " ".join(text.split())
    prefix, colon, rest = cleaned.partition(":")
    if colon and prefix.strip().lower() in KINDS:
        value = rest.strip()
        if not value:
            raise ValueError(f"say what after {prefix.strip()}:, such as {prefix.strip()}:acme")
        return Target(KINDS[prefix.strip().lower()], value)
    if not cleaned:
        raise ValueError("name a member, a shared contact, or at:, offers:, interests:")
    return Target("name", cleaned)


def matching(target: Target, nodes: Sequence[Described], vocab: Vocabulary) -> Resolution:
    """The nodes the target means: by name one (or the ambiguous candidates), else every match.

    A Resolution's `person_id` is a node index; several matches of a company, offer or
    interest come back as its candidates with `person_id` None.
    """
    if target.kind == "name":
        return _by_name(target.value, nodes)
    if target.kind == "company":
        wanted = name_key(target.value)
        chosen = [n for n in nodes if n.company and wanted in name_key(n.company)]
    else:
        field = "offers" if target.kind == "offer" else "interests"
        chosen = [n for n in nodes if tag_matches(getattr(n, field), target.value, vocab)]
    return Resolution(None, tuple(Candidate(n.index, n.name) for n in chosen))


def _by_name(reference: str, nodes: Sequence[Described]) -> Resolution:
    wanted = name_key(reference)
    logins = [n for n in nodes if n.member and n.name == wanted]
    if logins:
        return Resolution(logins[0].index)
    candidates = tuple(Candidate(n.index, n.name) for n in nodes if wanted in name_key(n.name))
    if not candidates:
        return Resolution(None)
    return resolve_name(reference, candidates)


def tag_matches(values: Iterable[str], wanted: str, vocab: Vocabulary) -> bool:
    """Whether one of `values` is the wanted tag, a narrower one, or a phrase containing it."""
    listed = [v for v in values if v.strip()]
    if has_tag(listed, wanted, vocab):
        return True
    key = canonical(wanted, vocab)
    words = set(normalise(wanted).split())
    return any(
        meets(key, canonical(v, vocab), vocab) or words <= set(normalise(v).split()) for v in listed
    )
