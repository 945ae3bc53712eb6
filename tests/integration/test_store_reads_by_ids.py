"""Reading people and their facts by a long list of ids, on both databases.

Weeds of a large garden are thousands: the store reads exactly those people by their
primary key (one statement: an array on PostgreSQL, a JSON array past one IN-list on
SQLite) and never decodes everyone's facts to keep a few. Whatever the list's length, the
answer is the whole garden's, kept to the ids asked for.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from kith.app import events
from kith.app.garden import Garden
from kith.app.importing import import_file
from kith.store import tables
from kith.store.bulk import CHUNK
from kith.store.facts import load_facts
from kith.store.people import load_people_to_judge
from kith.store.sql_lists import one_of

PEOPLE = CHUNK + 300  # past one IN-list


def _plant(garden: Garden, tmp_path: Path) -> list[int]:
    export = tmp_path / "Connections.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "URL", "Company", "Connected On"])
        for n in range(PEOPLE):
            writer.writerow(
                [
                    f"Ana{n}",
                    f"Ruiz{n}",
                    f"https://www.linkedin.com/in/ana-{n}",
                    "Acme",
                    "01 Mar 2024",
                ]
            )
    assert import_file(garden, "linkedin", export).added == PEOPLE
    for n in range(0, PEOPLE, 97):  # some with a history, so their facts are kept rows
        events.log(garden, f"Ana{n} Ruiz{n}", "call", on="2026-10-01", topics=["jobs"])
    with garden.reading() as conn:
        return [int(i) for i in conn.execute(sa.select(tables.people.c.id)).scalars()]


@pytest.mark.parametrize("asked", [50, CHUNK + 100, PEOPLE])
def test_people_and_facts_by_ids_are_everyones_kept_to_those_ids(
    garden: Garden, tmp_path: Path, asked: int
) -> None:
    everyone = _plant(garden, tmp_path)
    ids = [*random.Random(asked).sample(everyone, asked), max(everyone) + 1000]  # one no one has
    wanted = set(ids)
    with garden.reading() as conn:
        account, today, rules = garden.account_id, garden.today, garden.rules
        all_people = load_people_to_judge(conn, account)
        all_facts = load_facts(conn, account, today, rules)
        assert load_people_to_judge(conn, account, None, ids) == [
            p for p in all_people if p.id in wanted
        ]
        assert load_facts(conn, account, today, rules, ids) == {
            pid: facts for pid, facts in all_facts.items() if pid in wanted
        }


def test_one_of_takes_more_text_values_than_one_in_list(garden: Garden, tmp_path: Path) -> None:
    _plant(garden, tmp_path)
    keys = [f"ana{n} ruiz{n}" for n in range(0, PEOPLE, 1)] + ["no one's name"]
    column = tables.people.c.name_key
    with garden.reading() as conn:
        found = conn.execute(sa.select(column).where(one_of(conn, column, keys))).scalars()
        assert sorted(found) == sorted(keys[:-1])
