"""Interests, needs and offers as normalised tags.

People write the same thing many ways ("Rock climbing", "bouldering", "climbing"), so kith
compares tags by a canonical key: `normalise` folds case, spacing, punctuation, plurals and
unicode forms; a curated `Vocabulary` (data/synonyms.toml) maps synonyms and roles to one
term; and near spellings of the same word merge with rapidfuzz. The merging is deliberately
conservative: a false match ("java" for "javascript") puts a wrong reason in front of a
person, which costs more than a missed one.

An optional `Related` judgement (kith.semantic's embedding similarity, when installed and
enabled) may widen the near-spelling rule of `shared_interests` and `help_matches`: it is
asked exactly where near spellings are, about keys the curated vocabulary leaves open, so
without it (the default) everything here behaves as it always did.

The display side never invents: `shared_interests` returns words one of the two people
actually wrote, or the vocabulary's name for the term when both wrote different synonyms.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

# Near spellings merge at this rapidfuzz ratio (0-100, normalised Indel similarity) or above:
# one typo in a ten-letter word scores 90-95; "hiking"/"biking" scores 83 and stays apart.
NEAR_SPELLING_RATIO = 90.0
# Shorter keys never merge by spelling: one letter changes a short word ("java"/"jira").
NEAR_SPELLING_MIN_LENGTH = 5

# Words that end in "s" in the singular; folding them would invent a different word.
_INVARIANT_WORDS = frozenset(
    {"news", "sales", "series", "species", "canvas", "kubernetes", "lens", "means", "chess"}
)
# Plurals in "-ies" whose singular ends in "-ie", not "-y" ("movies" is not "movy").
_IE_PLURALS = frozenset(
    {
        "movies",
        "cookies",
        "zombies",
        "rookies",
        "selfies",
        "foodies",
        "techies",
        "newbies",
        "smoothies",
        "brownies",
        "calories",
        "goalies",
        "hippies",
        "indies",
        "pies",
        "ties",
    }
)
# Plurals in "-ches" whose singular ends in "-che", not "-ch".
_CHE_PLURALS = frozenset({"niches", "caches", "headaches", "avalanches", "quiches"})

_APOSTROPHES = re.compile(r"['’`´]")
# Anything but letters, digits, "+" and "#" separates words: "C++" and "C#" survive.
_SEPARATORS = re.compile(r"[^\w+#]+|_")
_DIGITS = re.compile(r"\d+")
_CDIST_BLOCK = 1024

# Whether two normalised keys mean the same although neither spelling nor the vocabulary
# says so. Asked only about pairs the vocabulary does not already settle (see `_alike`).
Related = Callable[[str, str], bool]


def normalise(tag: str) -> str:
    """The comparison form of a tag: NFKC, case-folded, one space between singular words."""
    text = unicodedata.normalize("NFKC", tag).casefold()
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    return " ".join(_singular(word) for word in _SEPARATORS.sub(" ", text).split())


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha() or word in _INVARIANT_WORDS:
        return word
    if word.endswith("ies"):
        return word[:-1] if word in _IE_PLURALS else word[:-3] + "y"
    if word.endswith("ches"):
        return word[:-1] if word in _CHE_PLURALS else word[:-2]
    if word.endswith(("sses", "shes", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ics")):
        return word
    return word[:-1] if word.endswith("s") else word


def near_spelling(a: str, b: str) -> bool:
    """Whether two normalised keys are the same word misspelt.

    Numbers must agree exactly ("windows 10" is not "windows 11"), and short keys never merge.
    """
    if min(len(a), len(b)) < NEAR_SPELLING_MIN_LENGTH:
        return False
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    from rapidfuzz import fuzz  # noqa: PLC0415 - loaded on first use, not by every command's start-up

    return fuzz.ratio(a, b, score_cutoff=NEAR_SPELLING_RATIO) > 0


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The curated terms: every alias key maps to one canonical key.

    Immutable, and hashed by identity so it can key caches. Build it with `load_vocabulary`
    (the shipped data) or `parse_vocabulary` (any TOML text in the same format).
    """

    aliases: Mapping[str, str]  # normalised alias (including the canonical key) -> canonical
    display: Mapping[str, str]  # canonical key -> the name to show
    broader: Mapping[str, frozenset[str]]  # canonical key -> every broader canonical key
    roles: Mapping[str, str]  # normalised role word -> normalised field ("designer" -> "design")
    alias_keys: tuple[str, ...]  # the aliases in a fixed order, for fuzzy lookup

    def knows(self, key: str) -> bool:
        """Whether the curated table knows this normalised tag."""
        return key in self.aliases

    def resolve(self, key: str) -> str:
        """The canonical key of a normalised tag; an unknown tag is its own canonical key."""
        if key in self.aliases:
            return self.aliases[key]
        as_field = self._as_field(key)
        if as_field in self.aliases:
            return self.aliases[as_field]
        misspelt = self._near_alias(as_field)
        return self.aliases[misspelt] if misspelt is not None else as_field

    def name(self, canonical_key: str) -> str:
        """The display name of a canonical tag."""
        return self.display.get(canonical_key, canonical_key)

    def is_role(self, key: str) -> bool:
        """Whether a tag names a role ("UX designer") rather than its field."""
        return key.rsplit(" ", 1)[-1] in self.roles

    def _as_field(self, key: str) -> str:
        # "ux designer" -> "ux design": a person offering a role offers its field.
        head, _, last = key.rpartition(" ")
        field = self.roles.get(last)
        if field is None:
            return key
        return f"{head} {field}" if head else field

    def _near_alias(self, key: str) -> str | None:
        if len(key) < NEAR_SPELLING_MIN_LENGTH or not self.alias_keys:
            return None
        from rapidfuzz import fuzz, process  # noqa: PLC0415 - loaded on first use, not by every command's start-up

        found = process.extractOne(
            key, self.alias_keys, scorer=fuzz.ratio, score_cutoff=NEAR_SPELLING_RATIO
        )
        if found is None or not near_spelling(key, found[0]):
            return None
        return str(found[0])


class VocabularyError(ValueError):
    """The vocabulary data is inconsistent (an alias claimed by two terms, a bad entry)."""


def parse_vocabulary(text: str) -> Vocabulary:
    """Build a vocabulary from TOML text in the format of data/synonyms.toml."""
    data = tomllib.loads(text)
    terms = data.get("term", [])
    if not isinstance(terms, list):
        raise VocabularyError("'term' must be an array of tables ([[term]])")
    aliases: dict[str, str] = {}
    display: dict[str, str] = {}
    direct_broader: dict[str, set[str]] = {}
    for number, term in enumerate(terms, start=1):
        key = _add_term(term, number, aliases, display)
        direct_broader.setdefault(key, set()).update(
            normalise(b) for b in _strings(term, "broader", number)
        )
    for key in [b for bs in direct_broader.values() for b in bs]:
        # A broader term nobody declared still needs a canonical key of its own.
        aliases.setdefault(key, key)
    broader = {key: frozenset(_ancestors(key, direct_broader)) for key in direct_broader}
    roles = {normalise(role): normalise(field) for role, field in _roles(data).items()}
    return Vocabulary(
        aliases=MappingProxyType(aliases),
        display=MappingProxyType(display),
        broader=MappingProxyType(broader),
        roles=MappingProxyType(roles),
        alias_keys=tuple(sorted(aliases)),
    )


def _add_term(term: object, number: int, aliases: dict[str, str], display: dict[str, str]) -> str:
    if not isinstance(term, dict) or not isinstance(term.get("name"), str):
        raise VocabularyError(f"term {number}: needs a string 'name'")
    key = normalise(term["name"])
    if not key:
        raise VocabularyError(f"term {number}: the name is empty")
    display[key] = term["name"]
    for alias in [key, *(normalise(s) for s in _strings(term, "synonyms", number))]:
        claimed = aliases.setdefault(alias, key)
        if claimed != key:
            raise VocabularyError(
                f"term {number} ({term['name']!r}): {alias!r} already belongs to {claimed!r}"
            )
    return key


def _strings(term: dict[str, object], field: str, number: int) -> list[str]:
    values = term.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise VocabularyError(f"term {number}: '{field}' must be a list of strings")
    return [v for v in values if isinstance(v, str)]


def _roles(data: dict[str, object]) -> dict[str, str]:
    roles = data.get("roles", {})
    if not isinstance(roles, dict) or not all(isinstance(v, str) for v in roles.values()):
        raise VocabularyError("[roles] must map role words to field names")
    return {str(k): str(v) for k, v in roles.items()}


def _ancestors(key: str, direct: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(direct.get(key, ()))
    while stack:
        parent = stack.pop()
        if parent not in seen and parent != key:
            seen.add(parent)
            stack.extend(direct.get(parent, ()))
    return seen


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped with kith, read once on first use."""
    data = resources.files("kith.core").joinpath("data", "synonyms.toml")
    return parse_vocabulary(data.read_text(encoding="utf-8"))


def canonical(tag: str, vocab: Vocabulary) -> str:
    """The canonical key of a tag: what two tags must share to mean the same thing."""
    return vocab.resolve(normalise(tag))


def canonical_keys(tags: Iterable[str], vocab: Vocabulary) -> dict[str, str]:
    """Canonical keys of many tags at once, near spellings among them merged too.

    `canonical` can only merge a misspelling with a vocabulary term; across a whole group
    "photograpy" and "photography" should meet even if the vocabulary lacks both. Each
    unknown key joins the most common near spelling before it (a leader per cluster, so a
    chain of small differences never drifts from one word to another).
    """
    counts: dict[str, int] = {}
    for tag in tags:
        counts[tag] = counts.get(tag, 0) + 1
    keys = {tag: canonical(tag, vocab) for tag in counts}
    unknown: dict[str, int] = {}
    for tag, key in keys.items():
        if not vocab.knows(key):
            unknown[key] = unknown.get(key, 0) + counts[tag]
    leader = _near_spelling_leaders(unknown)
    return {tag: leader.get(key, key) for tag, key in keys.items()}


def _near_spelling_leaders(frequency: Mapping[str, int]) -> dict[str, str]:
    """Map each key to the most frequent near spelling that precedes it (itself if none)."""
    ordered = sorted(
        (k for k in frequency if len(k) >= NEAR_SPELLING_MIN_LENGTH),
        key=lambda k: (-frequency[k], k),
    )
    if len(ordered) < 2:
        return {}
    import numpy as np  # noqa: PLC0415 - loaded on first use, not by every command's start-up
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - loaded on first use, not by every command's start-up

    leaders: dict[str, str] = {}
    # Row blocks bound the memory of the similarity matrix; j < i keeps the earlier leader.
    for start in range(0, len(ordered), _CDIST_BLOCK):
        stop = min(start + _CDIST_BLOCK, len(ordered))
        similar = process.cdist(
            ordered[start:stop],
            ordered[:stop],
            scorer=fuzz.ratio,
            score_cutoff=NEAR_SPELLING_RATIO,
            dtype=np.uint8,
            workers=-1,
        )
        for row, j in zip(*similar.nonzero(), strict=True):
            i = start + int(row)
            is_free = j < i and ordered[j] not in leaders and ordered[i] not in leaders
            if is_free and near_spelling(ordered[i], ordered[j]):
                leaders[ordered[i]] = ordered[j]
    return leaders


def _keys_with_forms(tags: Iterable[str], vocab: Vocabulary) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for tag in tags:
        if tag.strip():
            forms.setdefault(canonical(tag, vocab), []).append(tag.strip())
    return forms


def _alike(a: str, b: str, related: Related | None) -> bool:
    """Near spellings, or keys the optional `related` judgement holds to mean the same."""
    return near_spelling(a, b) or (related is not None and related(a, b))


def _same_pairs(
    a_keys: Collection[str],
    b_keys: Collection[str],
    vocab: Vocabulary,
    related: Related | None = None,
) -> list[tuple[str, str]]:
    """Pairs of keys from both sides that mean the same: equal, or alike outside the vocabulary."""
    pairs = [(k, k) for k in a_keys if k in b_keys]
    for a in a_keys:
        if a in b_keys:
            continue
        for b in b_keys:
            if b in a_keys or (vocab.knows(a) and vocab.knows(b)):
                continue
            if _alike(a, b, related):
                pairs.append((a, b))
    return pairs


def shared_form(
    mine: Iterable[str],
    theirs: Iterable[str],
    key: str,
    vocab: Vocabulary,
    norm: Callable[[str], str] = normalise,
) -> str:
    """The one display form of an interest two people share, the same whichever is first.

    Words both wrote win ("bouldering" and "Bouldering" share "bouldering"); then a form
    that is the canonical term itself ("climbing" over "rock climbing"); when both wrote
    different synonyms, the vocabulary's name is what they have in common. `norm` may be a
    lookup of forms normalised beforehand, for callers that share many interests at once.
    """
    mine, theirs = sorted(set(mine)), sorted(set(theirs))
    both = {norm(f) for f in mine} & {norm(f) for f in theirs}
    candidates = [*mine, *theirs]
    for chosen in (both, {key}):
        forms = [f for f in candidates if norm(f) in chosen]
        if forms:
            return min(forms, key=lambda f: (norm(f) != key, f != norm(f), len(f), f))
    if vocab.knows(key):
        return vocab.name(key)
    return min(candidates, key=lambda f: (len(f), f))


def shared_interests(
    a: Iterable[str], b: Iterable[str], vocab: Vocabulary, related: Related | None = None
) -> list[str]:
    """The interests both sides really have, each once, in alphabetical order.

    `related` (optional) also pairs keys it holds to mean the same, where a near spelling
    would; the words shown are still ones the two people wrote.
    """
    mine, theirs = _keys_with_forms(a, vocab), _keys_with_forms(b, vocab)
    shared = {
        shared_form(mine[ka], theirs[kb], ka if ka == kb else min(ka, kb), vocab)
        for ka, kb in _same_pairs(mine.keys(), theirs.keys(), vocab, related)
    }
    return sorted(shared, key=lambda s: (s.casefold(), s))


def meets(need_key: str, offer_key: str, vocab: Vocabulary) -> bool:
    """Whether an offer (canonical key) meets a need: the same term, or a narrower one."""
    return need_key == offer_key or need_key in vocab.broader.get(offer_key, frozenset())


def help_matches(
    needs: Iterable[str],
    offers: Iterable[str],
    vocab: Vocabulary,
    related: Related | None = None,
) -> list[tuple[str, str]]:
    """(need, offer) pairs for each need that one of the offers meets, in the needs' order.

    Each need is paired with its best offer: the same term before a narrower one. A broader
    offer does not meet a narrower need ("design" offered does not promise "UX design").
    `related` (optional) widens only the last resort, near spellings outside the vocabulary.
    """
    offer_forms = _keys_with_forms(offers, vocab)
    matches: list[tuple[str, str]] = []
    seen: set[str] = set()
    for need in needs:
        need_key = canonical(need, vocab)
        if not need.strip() or need_key in seen:
            continue
        offer = _best_offer(need_key, offer_forms, vocab, related)
        if offer is not None:
            seen.add(need_key)
            matches.append((need.strip(), offer))
    return matches


def _best_offer(
    need_key: str,
    offer_forms: Mapping[str, list[str]],
    vocab: Vocabulary,
    related: Related | None = None,
) -> str | None:
    if need_key in offer_forms:
        return offer_forms[need_key][0]
    for offer_key, forms in offer_forms.items():
        if meets(need_key, offer_key, vocab):
            return forms[0]
    if not vocab.knows(need_key):
        for offer_key, forms in offer_forms.items():
            if not vocab.knows(offer_key) and _alike(need_key, offer_key, related):
                return forms[0]
    return None
