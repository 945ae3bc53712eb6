"""Filtering people by a tag (an interest, need or offer) with the tag rules of `tags`.

"bouldering" finds someone who wrote "rock climbing", and "ML" someone who wrote
"machine learning": a person has a tag when one of their tags has its canonical key.
Pure, so the CLI's and the web app's filters agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from kith.core.tags import Vocabulary, canonical

# Filtering a garden asks for the same few thousand tags on every search; resolving one
# may take a fuzzy lookup in the vocabulary, so remember them (a Vocabulary hashes by
# identity and is immutable, so a cached key never goes stale).
_canonical = lru_cache(maxsize=65_536)(canonical)


def has_tag(values: Iterable[str], wanted: str, vocab: Vocabulary) -> bool:
    """Whether any of `values` means the same tag as `wanted` (a blank `wanted` matches none)."""
    if not wanted.strip():
        return False
    key = _canonical(wanted, vocab)
    return any(value.strip() and _canonical(value, vocab) == key for value in values)
