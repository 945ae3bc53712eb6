"""The store on both databases: people, tags, histories, and forgetting."""

from __future__ import annotations

from datetime import date

import pytest

from kith.app import events, people
from kith.app.errors import Ambiguous, NotFound
from kith.app.garden import Garden
from kith.app.inputs import resolve
from kith.core.model import Direction, PersonDraft, PersonState
from kith.store import history as history_store
from kith.store import people as people_store
from kith.store import tables
from tests.conftest import TODAY


def test_people_round_trip_with_all_details(garden: Garden) -> None:
    bea = people.seed(garden, "Bea Chen", emails=["bea@example.org"], interests=["chess"])
    carl = people.seed(
        garden,
        "Carl Díaz",
        emails=["carl@example.org", "c@example.org"],
        phones=["+1 415 555 2671"],
        links=["https://linkedin.com/in/carl"],
        company="Acme",
        title="CTO",
        met="PyCon",
        on="2026-05-01",
        via="Bea",
        interests=["sailing", "Go"],
        needs=["a designer"],
        offers=["mentoring"],
        note="private",
        cadence=10,
    )
    with garden.reading() as conn:
        loaded = people_store.load_people(conn, garden.account_id)
    assert [p.name for p in loaded] == ["Bea Chen", "Carl Díaz"]
    got = loaded[1]
    assert got == carl
    assert got.emails == ("carl@example.org", "c@example.org")
    assert got.via_id == bea.id and got.met_on == date(2026, 5, 1)
    assert got.interests == ("sailing", "Go") and got.cadence_days == 10


def test_resolve_by_id_email_and_name(garden: Garden) -> None:
    ana = people.seed(garden, "Ana Ruiz", emails=["ana@example.org"])
    people.seed(garden, "Ana Lopez")
    with garden.reading() as conn:
        assert resolve(conn, garden.account_id, f"#{ana.id}") == ana.id
        assert resolve(conn, garden.account_id, "ANA@example.org") == ana.id
        assert resolve(conn, garden.account_id, "ana ruiz") == ana.id
        with pytest.raises(Ambiguous):
            resolve(conn, garden.account_id, "Ana")
        with pytest.raises(NotFound):
            resolve(conn, garden.account_id, "100%_ana")  # LIKE wildcards are escaped


def test_history_loads_in_date_order(garden: Garden) -> None:
    people.seed(garden, "Eli Fox")
    events.log(garden, "Eli", "meeting", on="2026-11-02")
    events.log(garden, "Eli", "call", on="2026-10-01", topics=["rust"])
    events.exchange(garden, "Eli", "CV review", Direction.GIVEN, kind="advice", weight=2)
    with garden.reading() as conn:
        eli = people_store.load_people(conn, garden.account_id)[0]
        history = history_store.load_history(conn, garden.account_id, eli)
    assert [i.on for i in history.interactions] == [date(2026, 10, 1), date(2026, 11, 2)]
    assert history.interactions[0].topics == ("rust",)
    assert history.exchanges[0].weight == 2


def test_a_failed_action_writes_nothing(garden: Garden) -> None:
    people.seed(garden, "Ana Ruiz", emails=["ana@example.org"])
    with pytest.raises(Exception, match="already belongs"):
        people.seed(garden, "Ana Two", emails=["new@example.org", "ana@example.org"])
    with garden.reading() as conn:
        assert people_store.count_people(conn, garden.account_id) == 1
        assert people_store.find_by_email(conn, garden.account_id, "new@example.org") is None


def test_forget_leaves_no_row_behind(garden: Garden) -> None:
    ida = people.seed(
        garden, "Ida Jay", emails=["ida@example.org"], phones=["555 0100"], interests=["tea"]
    )
    people.seed(garden, "Jon Kay", via="Ida")
    events.log(garden, "Ida", "meeting")
    events.breach(garden, "Ida", "gossip")
    gone = people.forget(garden, "Ida", confirmed=True)
    assert gone.removed["interactions"] == 1 and gone.removed["breaches"] == 1
    assert gone.removed["introduced-through links"] == 1
    with garden.reading() as conn:
        for table in tables.tags, tables.person_emails, tables.person_phones:
            assert history_store.count_rows(conn, table, garden.account_id) == 0
        remaining = people_store.load_people(conn, garden.account_id)
    assert [p.name for p in remaining] == ["Jon Kay"] and remaining[0].via_id is None
    assert ida.id not in {p.id for p in remaining}


def test_prune_keeps_history_and_restore_brings_back(garden: Garden) -> None:
    people.seed(garden, "Hal Ivy")
    events.log(garden, "Hal", "meal")
    assert people.prune(garden, "Hal", "sells").state is PersonState.PRUNED
    assert people.restore(garden, "Hal").state is PersonState.ACTIVE
    with garden.reading() as conn:
        hal = people_store.load_people(conn, garden.account_id)[0]
        assert len(history_store.load_history(conn, garden.account_id, hal).interactions) == 1


def test_accounts_keep_gardens_apart(garden: Garden) -> None:
    people.seed(garden, "Ana Ruiz")
    with garden.transaction() as conn:
        other = people_store.ensure_account(conn, "club")
    with garden.reading() as conn:
        assert people_store.load_people(conn, other) == []
        assert len(people_store.load_people(conn, garden.account_id)) == 1


def test_an_exact_name_is_found_among_many_that_contain_it(garden: Garden) -> None:
    with garden.transaction() as conn:
        for n in range(60):
            people_store.insert_person(
                conn, garden.account_id, PersonDraft(f"Alice Li{n}"), created_on=TODAY
            )
    li = people.seed(garden, "Li")
    with garden.reading() as conn:
        assert resolve(conn, garden.account_id, "li") == li.id


def test_the_same_phone_or_link_written_otherwise_is_not_added_twice(garden: Garden) -> None:
    people.seed(garden, "Eve Ng", phones=["+1 415 555 2671"], links=["https://linkedin.com/in/eve"])
    edited = people.edit(
        garden,
        "Eve",
        people.Edit(
            add_phones=("+1 (415) 555-2671",),
            add_links=("linkedin.com/in/eve/", "https://eve.example"),
        ),
    )
    assert edited.phones == ("+1 415 555 2671",)
    assert edited.links == ("https://linkedin.com/in/eve", "https://eve.example")
