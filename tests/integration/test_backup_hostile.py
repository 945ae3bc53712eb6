"""Every hostile backup of issue 12 is refused whole, naming the path of each bad value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kith.app.backup import BackupRefused, dump
from kith.app.errors import KithError
from kith.app.garden import Garden
from kith.app.importing import import_file
from tests.integration._backups import demo_backup, write
from tests.integration.test_api_actions import serve

Document = dict[str, Any]
NUMBER = 424242  # a placeholder replaced in the text by a value JSON cannot carry as such


def _set(section: str, index: int, key: str, value: object) -> Callable[[Document], None]:
    def mutate(document: Document) -> None:
        target = document[section] if section == "me" else document[section][index]
        target[key] = value

    return mutate


def _duplicate_email(document: Document) -> None:
    document["people"][1]["emails"] = [document["people"][0]["emails"][0].upper()]


def _introduced_by_themselves(document: Document) -> None:
    document["people"][2]["via"] = document["people"][2]["ref"]


# (what, mutation of the demo backup, raw text replacing NUMBER, the path named in the error)
HOSTILE: list[tuple[str, Callable[[Document], None], str | None, str]] = [
    ("cadence 10**15", _set("people", 3, "cadence_days", 10**15), None,
     "people[3].cadence_days: 1000000000000000 is out of range 1..3650"),
    ("negative cadence", _set("people", 3, "cadence_days", -7), None,
     "people[3].cadence_days: -7 is out of range 1..3650"),
    ("state zombie", _set("people", 0, "state", "zombie"), None, "people[0].state: \"zombie\""),
    ("kind telepathy", _set("interactions", 4, "kind", "telepathy"), None,
     "interactions[4].kind: \"telepathy\" is not one of"),
    ("nested topics", _set("interactions", 0, "topics", [["climbing", ["gyms"]]]), None,
     "interactions[0].topics[0]: "),
    ("a 5,001-digit integer", _set("people", 1, "cadence_days", NUMBER), "9" * 5001,
     "people[1].cadence_days: a 5001-digit number is out of range"),
    ("by null", _set("interactions", 2, "by", None), None, "interactions[2].by: is missing"),
    ("consent_share yes", _set("people", 0, "consent_share", "yes"), None,
     "people[0].consent_share: \"yes\" is not true or false"),
    ("100,000-deep nesting", _set("interactions", 1, "topics", NUMBER),
     "[" * 100_000 + "]" * 100_000, "interactions[1].topics[0][0]"),
    ("a duplicate email", _duplicate_email, None, "people[1].emails[0]: 'MAYA@NORTHWIND"),
    ("emails as a string", _set("people", 0, "emails", "maya@northwind.example"), None,
     "people[0].emails: \"maya@northwind.example\" is not a list"),
    ("NaN", _set("exchanges", 0, "weight", NUMBER), "NaN", "exchanges[0].weight: NaN"),
    ("weight 99", _set("exchanges", 1, "weight", 99), None,
     "exchanges[1].weight: 99 is out of range 1..5"),
    ("topics a string", _set("interactions", 3, "topics", "bouldering"), None,
     "interactions[3].topics: \"bouldering\" is not a list"),
    ("an empty name", _set("people", 5, "name", "  "), None, "people[5].name: is empty"),
    ("a future interaction", _set("interactions", 6, "on", "2027-01-01"), None,
     "interactions[6].on: 2027-01-01 is after today"),
    ("a future first meeting", _set("people", 6, "created_on", "2031-05-05"), None,
     "people[6].created_on: 2031-05-05 is after today"),
    ("introduced by themselves", _introduced_by_themselves, None,
     "people[2].via: a person cannot introduce themselves"),
    ("a 400-character name", _set("people", 7, "name", "N" * 400), None,
     "people[7].name: is 400 characters long, more than 300"),
    ("a name too long once casefolded", _set("people", 7, "name", "ß" * 200), None,
     "people[7].name: is longer than 300 characters once casefolded"),
    ("a 3,000,000-character interest", _set("people", 8, "interests", ["x" * 3_000_000]), None,
     "people[8].interests[0]: is 3000000 characters long, more than 300"),
    ("a 400-character company", _set("people", 8, "company", "C" * 400), None,
     "people[8].company: is 400 characters long"),
    ("a 400-character email", _set("people", 0, "emails", ["a" * 390 + "@example.org"]), None,
     "people[0].emails[0]: is 402 characters long, more than 320"),
    ("a 65-character phone", _set("people", 0, "phones", ["1" * 65]), None,
     "people[0].phones[0]: is 65 characters long, more than 64"),
    ("a NUL byte", _set("people", 9, "name", "Ana\x00Ruiz"), None,
     "people[9].name: holds a control character (U+0000)"),
    ("an escape in a name", _set("people", 9, "title", "\x1b[31mred"), None,
     "people[9].title: holds a control character (U+001B)"),
    ("a NUL byte in a note", _set("people", 9, "note", "line\x00"), None,
     "people[9].note: holds a control character (U+0000)"),
    ("a lone surrogate", _set("breaches", 0, "what", "\ud800"), None,
     "breaches[0].what: is not valid UTF-8 text"),
    ("an intro of one person", _set("intros", 0, "b_id", 4), None,
     "intros[0].b_id: an introduction needs two different people"),
    ("a ref to nobody", _set("asks", 0, "person_id", 999), None,
     "asks[0].person_id: 999 is no person's ref"),
    ("an empty me", _set("me", 0, "name", ""), None, "me.name: is empty"),
]  # fmt: skip


def _hostile_file(folder: Path, number: int) -> Path:
    _, mutate, raw, _ = HOSTILE[number]
    document = demo_backup(folder)
    mutate(document)
    path = write(document, folder / f"hostile-{number}.json")
    if raw is not None:
        path.write_text(path.read_text(encoding="utf-8").replace(str(NUMBER), raw, 1))
    return path


def test_the_demo_backup_itself_restores(garden: Garden, tmp_path: Path) -> None:
    report = import_file(garden, "json", write(demo_backup(tmp_path), tmp_path / "ok.json"))
    assert report.added == 40


def test_every_hostile_backup_is_refused_naming_its_path_and_nothing_is_written(
    garden: Garden, tmp_path: Path
) -> None:
    for number, (what, _, _, named) in enumerate(HOSTILE):
        path = _hostile_file(tmp_path, number)
        with pytest.raises(KithError) as refused:
            import_file(garden, "json", path)
        assert named in str(refused.value), f"{what}: {refused.value}"
        assert "\n" not in str(refused.value)
        with garden.reading() as conn:
            assert dump(conn, garden.account_id)["people"] == [], what


def test_every_bad_value_of_one_file_is_reported(tmp_path: Path, sqlite_garden: Garden) -> None:
    document = demo_backup(tmp_path)
    for number in range(30):
        document["exchanges"][number % 50]["weight"] = 6 + number
    document["people"][0]["state"] = "zombie"
    with pytest.raises(BackupRefused) as refused:
        import_file(sqlite_garden, "json", write(document, tmp_path / "many.json"))
    assert len(refused.value.problems) == 31
    assert "31 problems" in str(refused.value) and "and 11 more" in str(refused.value)


def _at_the_limits(document: Document) -> Document:
    """The demo backup with values at every edge the limits allow."""
    first, second = document["people"][0], document["people"][1]
    first.update(cadence_days=3650, met_on="1900-01-01", name="N" * 299 + "a", company="C" * 300)
    first.update(note="a long\tnote\r\n" * 7000, interests=[f"t{n}" for n in range(200)])
    second.update(cadence_days=1, created_on="2026-11-27")
    document["interactions"][0].update(on="1900-01-01", topics=["x" * 300] * 100)
    document["exchanges"][0]["weight"] = 5
    document["snoozes"].append({"person_id": 2, "until": "2036-11-24"})
    return document


def test_the_api_refuses_a_hostile_backup_by_path_and_pages_survive_one_at_the_limits(
    database_url: str, tmp_path: Path
) -> None:
    hostile = demo_backup(tmp_path)
    hostile["people"][3]["cadence_days"] = 10**15
    edge = write(_at_the_limits(demo_backup(tmp_path)), tmp_path / "edge.json")
    for served in serve(database_url, tmp_path):
        with served.api() as api:
            refused = api.post(
                "/api/v1/import",
                data={"kind": "json"},
                files={"file": ("b.json", json.dumps(hostile).encode(), "application/json")},
            )
            assert refused.status_code == 400
            assert (
                "people[3].cadence_days: 1000000000000000 is out of range"
                in refused.json()["error"]
            )
            restored = api.post(
                "/api/v1/import",
                data={"kind": "json"},
                files={"file": ("edge.json", edge.read_bytes(), "application/json")},
            )
            assert restored.status_code == 200, restored.text
            for page in ("/", "/people", "/weed", "/intros", "/api/v1/people", "/api/v1/feed"):
                assert api.get(page).status_code == 200, page
            first = api.get("/api/v1/people").json()[0]["id"]
            assert api.get(f"/people/{first}").status_code == 200
