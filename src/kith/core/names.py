"""Which person a reference names: `#ID`, an email, a full name, a word or a word's start.

And, when it names nobody, whose names come closest, so the user can be told "did you mean".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kith.core.identity import name_key

# A word's start resolves from this many letters on: "Fran" names Frank Osei when no one
# else has a word starting with "fran". One or two letters are more often an initial or a
# slip of the keyboard than a name, so "An" lists the candidates instead of acting on one.
PREFIX_MIN_LETTERS = 3
# rapidfuzz ratio (normalised Indel similarity, 0–100) from which a name is suggested for a
# reference that matched nobody: "Anna"/"ana" scores 86, "Frnak"/"frank" 80, "Jon"/"john" 86,
# while "Bob"/"ana" scores 0 and "Maria"/"mark" 67 — a suggestion should look like a typo.
SUGGEST_MIN_SIMILARITY = 75.0
SUGGESTIONS = 3  # more than a few names is a list to search, not a suggestion


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


def resolve_name(reference: str, candidates: Sequence[Candidate]) -> Resolution:
    """Pick the person `reference` names among `candidates` (people whose name contains it).

    The most precise reading that names anyone decides: a full name wins outright; then
    whole words of a name ("Ana" for "Ana Ruiz", "ana ruiz" inside "Maria Ana Ruiz"); then
    the starts of consecutive words ("Fran" for "Frank Osei", "fran os" too). At each step
    one person resolves and several are ambiguous, and the caller lists them so the user
    can be precise; a reference no step matches lists every candidate it was given.
    """
    wanted = name_key(reference)
    words = wanted.split()
    if not words:
        return Resolution(None, tuple(candidates))
    exact = [c for c in candidates if name_key(c.name) == wanted]
    whole = [c for c in candidates if _matches_words(name_key(c.name).split(), words, _same)]
    starts = (
        [c for c in candidates if _matches_words(name_key(c.name).split(), words, _starts)]
        if len(wanted.replace(" ", "")) >= PREFIX_MIN_LETTERS
        else []
    )
    for found in (exact, whole, starts):
        if len(found) == 1:
            return Resolution(found[0].id)
        if found:
            return Resolution(None, tuple(found))
    return Resolution(None, tuple(candidates))


def suggest_names(
    reference: str, everyone: Sequence[Candidate], limit: int = SUGGESTIONS
) -> tuple[Candidate, ...]:
    """The names closest to a reference that named nobody, closest first (maybe none).

    A reference is compared with the whole name and with every run of as many consecutive
    words as it has, so "Anna" finds "Ana Ruiz" and "Frank Osie" finds "Frank Osei".
    """
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - loaded on first use, not by every command's start-up

    wanted = name_key(reference)
    size = len(wanted.split())
    if not size:
        return ()
    pieces: list[str] = []
    owners: list[int] = []
    for index, candidate in enumerate(everyone):
        for piece in _pieces(name_key(candidate.name).split(), size):
            pieces.append(piece)
            owners.append(index)
    best: dict[int, float] = {}
    for _, score, at in process.extract(
        wanted, pieces, scorer=fuzz.ratio, score_cutoff=SUGGEST_MIN_SIMILARITY, limit=None
    ):
        owner = owners[at]
        best[owner] = max(score, best.get(owner, 0.0))
    ranked = sorted(best, key=lambda i: (-best[i], name_key(everyone[i].name), everyone[i].id))
    return tuple(everyone[i] for i in ranked[:limit])


def _pieces(name_words: list[str], size: int) -> set[str]:
    runs = {" ".join(name_words[i : i + size]) for i in range(len(name_words) - size + 1)}
    return runs | {" ".join(name_words)}


def _same(name_word: str, word: str) -> bool:
    return name_word == word


def _starts(name_word: str, word: str) -> bool:
    return name_word.startswith(word)


def _matches_words(
    name_words: list[str], words: list[str], match: Callable[[str, str], bool]
) -> bool:
    size = len(words)
    return any(
        all(match(name_words[i + j], words[j]) for j in range(size))
        for i in range(len(name_words) - size + 1)
    )
