"""The sharers' judgement today of the people they share: what re-vetting a share reads.

A page of shares is judged at once, across every sharer's garden: one read of the kept
columns (`garden_columns.load_people_columns`: people and their kept facts, co-located by
account under Citus) judged in numpy (`core.garden_judgement`), never a query per share. The
few the columns cannot settle (anything dated after today, trust on the trusted threshold)
and gardens whose facts are not kept are judged by the Python rules, one garden at a time,
as the trust graph does (`app.trust_graph`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace

from kith.app import judging
from kith.app.garden import Garden
from kith.core.garden_judgement import STAGES, judge_garden
from kith.core.share import Standing, standing
from kith.store import Connection, garden_columns
from kith.store import people as people_store

Owned = tuple[int, int]  # (the owner's account, the person's id in their garden)


def standings(conn: Connection, garden: Garden, owned: Collection[Owned]) -> dict[Owned, Standing]:
    """How each person stands in their owner's garden today, under the garden's rules.

    People no longer in their owner's garden are missing from the answer.
    """
    wanted = set(owned)
    if not wanted:
        return {}
    ids = [person_id for _, person_id in wanted]
    columns, accounts, left = garden_columns.load_people_columns(conn, ids, garden.rules)
    judged = judge_garden(columns, garden.today, garden.rules)
    must = judged.must_judge()
    found: dict[Owned, Standing] = {}
    later: set[int] = set(left)
    for i, person_id in enumerate(judged.ids.tolist()):
        if (accounts[i], person_id) not in wanted:
            continue  # a person id of another garden: never read as this one's
        if must[i]:
            later.add(person_id)
            continue
        found[(accounts[i], person_id)] = Standing(
            stage=judged.stage_of(i),
            grown=STAGES[int(judged.grown[i])],
            strength=float(judged.strength[i]),
            open_breaches=int(columns.kept["open_breaches"][i]),
            known_days=int(judged.known[i]),
            pruned=bool(judged.pruned[i]),
        )
    owners: dict[int, list[int]] = defaultdict(list)
    for account_id, person_id in sorted(wanted):
        if person_id in later:
            owners[account_id].append(person_id)
    for account_id, person_ids in owners.items():
        found |= _in_python(conn, replace(garden, account_id=account_id), person_ids)
    return found


def _in_python(conn: Connection, theirs: Garden, person_ids: list[int]) -> dict[Owned, Standing]:
    """These people of one garden judged by the Python rules."""
    people = people_store.load_people_to_judge(conn, theirs.account_id, ids=person_ids)
    return {
        (theirs.account_id, person.id): standing(person, verdict)
        for person, _facts, verdict in judging.judged(conn, theirs, people, topics=False)
    }
