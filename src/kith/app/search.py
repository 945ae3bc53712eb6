"""The people page: search and filters, and the chosen people as CSV.

Every function is one read, like the rest of `kith.app`, so that routes stay a few lines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from kith.app import inputs, judging
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core.identity import name_key
from kith.core.lifecycle import Verdict
from kith.core.model import Person, PersonState, Stage
from kith.core.tag_filter import has_tag
from kith.core.tags import Vocabulary, load_vocabulary
from kith.io.csv_export import write_people_csv
from kith.store import people as people_store

SEARCH_LIMIT = 200  # a page of people; the filters narrow a big garden down


@dataclass(frozen=True)
class PersonRow:
    """One row of the people page."""

    id: int
    name: str
    stage: Stage
    company: str | None
    balance: int
    interests: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    """The people page's search and filters; empty means any."""

    query: str = ""
    stage: str = ""
    interest: str = ""
    need: str = ""
    offer: str = ""


def _matches(person: Person, filters: Filters, vocab: Vocabulary) -> bool:
    """Whether a person matches the filters of the people page.

    The query is words of the name, company or emails; the tags follow the tag rules, as the
    CLI's do ("bouldering" finds "rock climbing", "ML" finds "machine learning").
    """
    words = name_key(filters.query).split()
    haystack = name_key(" ".join([person.name, person.company or "", *person.emails]))
    return (
        all(word in haystack for word in words)
        and (not filters.interest.strip() or has_tag(person.interests, filters.interest, vocab))
        and (not filters.need.strip() or has_tag(person.needs, filters.need, vocab))
        and (not filters.offer.strip() or has_tag(person.offers, filters.offer, vocab))
    )


def search_people(
    garden: Garden, filters: Filters, limit: int = SEARCH_LIMIT
) -> tuple[list[PersonRow], int]:
    """People matching every filter (pruned ones only when asked for), and how many matched."""
    wanted = inputs.choice("stage", filters.stage, Stage) if filters.stage else None
    states = [PersonState.PRUNED] if wanted is Stage.PRUNED else [PersonState.ACTIVE]
    vocab = load_vocabulary()
    with garden.reading() as conn:
        found = [
            p
            for p in people_store.load_people(conn, garden.account_id, states=states)
            if _matches(p, filters, vocab)
        ]
        # Judging is the costly part: without a stage filter, judge only the page shown.
        judged = found if wanted else found[:limit]
        verdicts = judging.judge_people(conn, garden, judged)
    rows = [_row(p, verdicts[p.id]) for p in judged]
    rows = [row for row in rows if wanted is None or row.stage is wanted]
    return rows[:limit], len(rows) if wanted else len(found)


def _row(person: Person, verdict: Verdict) -> PersonRow:
    return PersonRow(
        person.id, person.name, verdict.stage, person.company, verdict.balance, person.interests
    )


def export_csv(garden: Garden, ids: Sequence[int]) -> str:
    """The chosen people as spreadsheet-safe CSV (private notes stay behind)."""
    if not ids:
        raise InvalidInput("ids", "choose at least one person")
    with garden.reading() as conn:
        chosen = people_store.load_people(conn, garden.account_id, ids=list(ids))
    out = io.StringIO(newline="")
    write_people_csv(chosen, out)
    return out.getvalue()
