"""Which records of a file can meet nobody, when the garden held nobody (issue 11).

Into an empty garden `KeyIndex` only ever holds the keys of the file's own earlier records.
A record that shares no UID, email, phone or profile URL key with any other record of the
file, whose name key no other record has, and whose folded name is not close (the scorer
and line of `dedup.close_names`) to another record's at the same company:

- is found by nobody: `_find` looks its keys up in tables that only other records filled;
  the name rules look in `names` (by name key: no other holds it) and in its company's
  colleagues (by folded name: none close, equal ones score 100);
- finds nobody later: no later record holds its exact keys or its name key, and at its
  company its folded name scores under the line against every later one, so `close_names`
  leaves it out and keeps the others in the same order; `differs`, `foreign` and
  `company_by_ref` only read refs reached through those tables.

So the importer adds it as a new person without `find` or `add`: every other record is
judged exactly as if it had been looked up and added. The gate needs the whole file: a
record later in the file could match an earlier one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any

from kith.core.dedup import NAME_SIMILARITY_MIN, KeyColumns, folded

# Companies with more records than this are compared in blocks of rows against the whole
# group (a block × group matrix), not pair by pair: the pairs of a big company would not fit.
PAIRED_MAX = 64
BLOCK = 256


def independent(keys: KeyColumns) -> list[bool]:
    """For each record of a file (in order), whether it can meet no other record."""
    free = _unshared(keys)
    for row in _close_at_company(keys):
        free[row] = False
    return free


def _shared(values: Iterable[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def _unshared(keys: KeyColumns) -> list[bool]:
    """Whether each record's exact keys and name key are its alone in the file."""
    uids = _shared(uid for uid in keys.uids if uid)
    emails = _shared(chain.from_iterable(keys.emails))
    phones = _shared(chain.from_iterable(keys.phones))
    urls = _shared(chain.from_iterable(keys.urls))
    names = _shared(keys.names)
    return [
        name not in names
        and uid not in uids
        and urls.isdisjoint(its_urls)
        and emails.isdisjoint(its_emails)
        and phones.isdisjoint(its_phones)
        for name, uid, its_urls, its_emails, its_phones in zip(
            keys.names, keys.uids, keys.urls, keys.emails, keys.phones, strict=True
        )
    ]


def _close_at_company(keys: KeyColumns) -> set[int]:
    """The records whose folded name is close to another's at the same company."""
    groups: dict[str, list[int]] = {}
    for row, company in enumerate(keys.companies):
        if company:
            groups.setdefault(company, []).append(row)
    small = [rows for rows in groups.values() if 1 < len(rows) <= PAIRED_MAX]
    close = _close_in_groups(keys.names, small)
    for rows in groups.values():
        if len(rows) > PAIRED_MAX:
            close.update(_close_in_blocks([folded(keys.names[r]) for r in rows], rows))
    return close


def _scoring() -> tuple[Any, dict[str, Any]]:
    """The `process` module of rapidfuzz, the scorer and line of `dedup.close_names`."""
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - loaded on first use, as in dedup

    return process, {"scorer": fuzz.token_sort_ratio, "score_cutoff": NAME_SIMILARITY_MIN}


def _close_in_groups(name_keys: list[str], groups: list[list[int]]) -> set[int]:
    """The rows close to another of their group: candidate pairs filtered, then scored.

    token_sort_ratio is 100 × (1 - d / (la + lb)), d the insertions and deletions between
    the token-sorted texts (rapidfuzz's reference: `fuzz_py`), whose lengths and letters
    are those of the words joined by single spaces. d is at least the difference of the
    lengths and at least the difference of the letter counts (in `BUCKETS` buckets), so a
    pair either bound puts under the line cannot reach it: only the others are scored, all
    in one `cpdist` call.
    """
    import numpy as np  # noqa: PLC0415 - loaded on first use, as rapidfuzz is

    rows = [row for group in groups for row in group]
    if not rows:
        return set()
    names = [folded(name_keys[row]) for row in rows]
    texts = [" ".join(name.split()) for name in names]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    group_of = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    left, right = _candidates(np, group_of, lengths, _letter_counts(np, texts, lengths))
    if not left:
        return set()
    process, scored = _scoring()
    scores = process.cpdist([names[i] for i in left], [names[i] for i in right], **scored)
    hits = scores.nonzero()[0].tolist()  # under the line scores 0
    return {rows[left[h]] for h in hits} | {rows[right[h]] for h in hits}


BUCKETS = 64  # letters, digits and the space each have their own
_SLACK = (100 - NAME_SIMILARITY_MIN) / 100


def _letter_counts(np: Any, texts: list[str], lengths: Any) -> Any:
    """A row per text: how many of its characters fall in each bucket (code point % BUCKETS)."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(texts)), lengths)
    cells = owner * BUCKETS + (codes % BUCKETS).astype(np.int64)
    counts = np.bincount(cells, minlength=len(texts) * BUCKETS)
    return counts.reshape(len(texts), BUCKETS).astype(np.int16)


def _candidates(np: Any, group_of: Any, lengths: Any, counts: Any) -> tuple[list[int], list[int]]:
    """The pairs of one group that the length and letter bounds leave under the line.

    Sorted by group and length, the k-th next row of a row is within the length bound only
    if every nearer one is: the offsets stop at the first that has no pair within it.
    """
    order = np.lexsort((lengths, group_of))
    group, length = group_of[order], lengths[order]
    left: list[int] = []
    right: list[int] = []
    offset = 1
    while offset < len(order):
        near = (group[offset:] == group[:-offset]) & (
            length[offset:] - length[:-offset]
            <= _SLACK * (length[offset:] + length[:-offset]) + 1e-6
        )
        if not near.any():
            break
        first, second = order[:-offset][near], order[offset:][near]
        apart = np.abs(counts[first] - counts[second]).sum(axis=1)
        within = apart <= _SLACK * (lengths[first] + lengths[second]) + 1e-6
        left.extend(first[within].tolist())
        right.extend(second[within].tolist())
        offset += 1
    return left, right


def _close_in_blocks(names: list[str], rows: list[int]) -> set[int]:
    """The rows of one big group close to another row of it, a block of rows at a time."""
    process, scored = _scoring()
    close: set[int] = set()
    for start in range(0, len(rows), BLOCK):
        block = names[start : start + BLOCK]
        matrix = process.cdist(block, names, **scored)
        for offset in range(len(block)):
            matrix[offset, start + offset] = 0  # a row against itself
        hits = matrix.any(axis=1).nonzero()[0].tolist()
        close.update(rows[start + h] for h in hits)
    return close
