"""Which person a reference names: `#ID`, an email, a full name or a unique word of one."""

from __future__ import annotations

from dataclasses import dataclass

from kith.core.identity import name_key


@dataclass(frozen=True)
class Candidate:
    """A person a reference might mean."""

    id: int
    name: str


@dataclass(frozen=True)
class Resolution:
    """Exactly one of: the id found, or the candidates that made the reference ambiguous."""

    person_id: int | None
    candidates: tuple[Candidate, ...] = ()


def resolve_name(reference: str, candidates: list[Candidate]) -> Resolution:
    """Pick the person `reference` names among `candidates` (people whose name contains it).

    A full name wins outright. Otherwise a reference that is a whole word of exactly one
    name ("Ana" for "Ana Ruiz") resolves; a fragment or a word shared by several names is
    ambiguous, and the caller lists the candidates so the user can be precise.
    """
    wanted = name_key(reference)
    exact = [c for c in candidates if name_key(c.name) == wanted]
    if len(exact) == 1:
        return Resolution(exact[0].id)
    if exact:
        return Resolution(None, tuple(exact))
    words = wanted.split()
    whole_words = [c for c in candidates if _contains_words(name_key(c.name).split(), words)]
    if len(whole_words) == 1:
        return Resolution(whole_words[0].id)
    return Resolution(None, tuple(whole_words or candidates))


def _contains_words(name_words: list[str], words: list[str]) -> bool:
    size = len(words)
    return any(name_words[i : i + size] == words for i in range(len(name_words) - size + 1))
