"""kith doctor: the kept facts checked against the history, and rebuilt from it."""

from __future__ import annotations

from sqlalchemy import create_engine, update

from kith.store.db import normalise_url
from kith.store.tables import person_facts
from tests.conftest import Kith


def test_doctor_finds_no_drift_after_writes(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--on", "2026-01-10")
    kith.ok("log", "Ana", "meeting", "--on", "2026-03-01", "--by", "them")
    kith.ok("log", "Ana", "email", "--unanswered")
    kith.ok("log", "Ana", "call", "--on", "2026-02-01")  # backdated
    kith.ok("give", "Ana", "a lead", "--weight", "3")
    doc = kith.ok("doctor", "--json").json()
    assert doc["ok"] is True
    assert doc["facts"] == {"kept": True, "drift": [], "rebuilt": None}
    assert doc["integrity"] in ([], None)  # None: PostgreSQL keeps its own


def test_doctor_reports_drift_and_rebuild_facts_mends_it(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz")
    kith.ok("log", "Ana", "meeting")
    engine = create_engine(normalise_url(kith.env["KITH_DATABASE_URL"]))
    with engine.begin() as conn:
        conn.execute(update(person_facts).values(interactions=person_facts.c.interactions + 5))
    engine.dispose()
    found = kith("doctor", "--json")
    assert found.exit_code == 1
    assert [d["name"] for d in found.json()["facts"]["drift"]] == ["Ana Ruiz"]
    said = kith("doctor")
    assert said.exit_code == 1 and "Ana Ruiz" in said.stdout
    mended = kith.ok("doctor", "--rebuild-facts", "--json").json()
    assert mended["facts"]["rebuilt"] == 1
    assert kith.ok("doctor", "--json").json()["facts"]["drift"] == []
    assert kith.ok("show", "Ana", "--json").json()["stage"] == "seed"
