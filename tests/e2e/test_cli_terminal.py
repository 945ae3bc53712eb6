"""Stored names cannot drive the terminal: the CLI's text output shows controls as escapes."""

from __future__ import annotations

from sqlalchemy import select

from kith.app.garden import Garden
from kith.core.model import PersonDraft
from kith.store.people import insert_person
from kith.store.tables import people
from tests.conftest import TODAY, Kith

HOSTILE = "Mallory \x1b[31mRed\x1b]0;owned\x07 \u202eevil\u202c \x9b2J"


def _plant(sqlite_garden: Garden) -> int:
    # Stored as an older kith or another door may have stored it, past any validation.
    with sqlite_garden.transaction() as conn:
        return insert_person(
            conn, sqlite_garden.account_id, PersonDraft(HOSTILE, note="a\x1b[2Jb"), created_on=TODAY
        )


def test_list_and_show_print_escapes_not_control_characters(
    sqlite_garden: Garden, kith_sqlite: Kith
) -> None:
    person_id = _plant(sqlite_garden)
    for args in (("list",), ("show", f"#{person_id}"), ("weed",), ("feed",)):
        out = kith_sqlite.ok(*args).stdout
        for raw in ("\x1b", "\x07", "\u202e", "\u202c", "\x9b"):
            assert raw not in out, (args, raw)
    listed = kith_sqlite.ok("list").stdout
    assert "Mallory \\x1b[31mRed\\x1b]0;owned\\x07 \\u202eevil\\u202c \\x9b2J" in listed
    assert "a\\x1b[2Jb" in kith_sqlite.ok("show", f"#{person_id}").stdout


def test_json_output_keeps_the_stored_value(sqlite_garden: Garden, kith_sqlite: Kith) -> None:
    person_id = _plant(sqlite_garden)
    listed = kith_sqlite.ok("list", "--json").json()
    assert [p["name"] for p in listed if p["id"] == person_id] == [HOSTILE]
    with sqlite_garden.reading() as conn:
        assert conn.execute(select(people.c.name)).scalar_one() == HOSTILE


def test_errors_naming_stored_data_are_neutralised_too(
    sqlite_garden: Garden, kith_sqlite: Kith
) -> None:
    _plant(sqlite_garden)
    with sqlite_garden.transaction() as conn:
        insert_person(
            conn, sqlite_garden.account_id, PersonDraft("Mallory \x1b[1mTwo"), created_on=TODAY
        )
    answer = kith_sqlite("show", "Mallory")
    assert answer.exit_code == 1
    assert "\x1b" not in answer.stderr
    assert "\\x1b[31m" in answer.stderr
