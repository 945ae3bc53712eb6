"""`kith capture whatsapp|telegram FILE`: chats as interactions with people of the garden."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Kith
from tests.unit.test_io_telegram import ANA, CHANNEL, GROUP

DIRECT = """\
12/30/25, 9:15 PM - Ana Lima: Hi, great to meet you
12/30/25, 9:20 PM - Me Myself: Likewise
1/5/26, 10:00 AM - Me Myself: Coffee next week?
1/6/26, 10:00 AM - Ana Lima: Yes!
2/1/26, 10:00 AM - Me Myself: Any news?
"""

CLIMBERS = """\
3/1/26, 10:00 AM - Ana Lima: Who climbs on Saturday?
3/1/26, 10:05 AM - Bea Chen: Me
3/1/26, 10:06 AM - Me Myself: Me too
3/2/26, 9:00 AM - Me Myself: See you there
"""


def _timeline(kith: Kith, who: str) -> list[tuple[str, str, str, bool]]:
    shown = kith.ok("show", who, "--json").json()
    entries = [(e["on"], e["kind"], e["by"], e["unanswered"]) for e in shown["timeline"]]
    return sorted(entries)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_whatsapp_chat_logs_one_interaction_per_day_once(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Lima")
    chat = _write(tmp_path, "WhatsApp Chat with Ana Lima.txt", DIRECT)
    args = ("capture", "whatsapp", str(chat), "--me", "Me Myself", "--json")
    dry = kith.ok(*args, "--dry-run").json()
    assert (dry["logged"], dry["run"]) == (4, None)
    assert _timeline(kith, "Ana") == []
    first = kith.ok(*args).json()
    assert (first["logged"], first["people"], first["unknown"]) == (4, 1, [])
    assert _timeline(kith, "Ana") == [
        ("2025-12-30", "message", "them", False),
        ("2026-01-05", "message", "me", False),  # answered the next day
        ("2026-01-06", "message", "them", False),
        ("2026-02-01", "message", "me", True),  # no answer in the export
    ]
    again = kith.ok(*args).json()
    assert (again["logged"], again["duplicates"]) == (0, 4)
    runs = kith.ok("capture", "runs", "--json").json()
    assert runs[0]["source"].startswith("whatsapp:") and runs[1]["id"] == first["run"]


def test_a_chat_named_after_the_other_needs_no_me(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Lima")
    chat = _write(tmp_path, "WhatsApp Chat with Ana Lima.txt", DIRECT)
    report = kith.ok("capture", "whatsapp", str(chat), "--json").json()
    assert report["logged"] == 4
    assert [by for _, _, by, _ in _timeline(kith, "Ana")] == ["them", "me", "them", "me"]


def test_a_group_chat_logs_writers_and_reports_strangers(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Lima")
    chat = _write(tmp_path, "WhatsApp Chat with Climbers.txt", CLIMBERS)
    report = kith.ok("capture", "whatsapp", str(chat), "--me", "Me Myself", "--json").json()
    assert (report["logged"], report["unknown"], report["skipped_unknown"]) == (1, ["Bea Chen"], 1)
    assert _timeline(kith, "Ana") == [("2026-03-01", "event", "them", False)]
    text = kith.ok("capture", "whatsapp", str(chat), "--me", "Me Myself").stdout
    assert "not in your garden: Bea Chen" in text
    assert kith("show", "Bea Chen").exit_code == 1  # reported, never planted


def test_a_wrong_me_is_refused_naming_the_option(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Lima")
    chat = _write(tmp_path, "WhatsApp Chat with Climbers.txt", CLIMBERS)
    refused = kith("capture", "whatsapp", str(chat), "--me", "Someone Else")
    assert refused.exit_code == 1 and "--me" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert kith.ok("capture", "runs", "--json").json() == []  # nothing written


def test_a_telegram_export_knows_me_by_id_and_undoes(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Lima")
    kith.ok("seed", "Bea Chen")
    data = {
        "personal_information": {"user_id": 7, "first_name": "Me", "last_name": "Myself"},
        "chats": {"list": [ANA, GROUP, CHANNEL]},
    }
    path = _write(tmp_path, "result.json", json.dumps(data))
    report = kith.ok("capture", "telegram", str(path), "--json").json()
    assert report["unknown"] == ["Carl Diaz"]
    assert report["logged"] == 4 + 2  # Ana: four days; Bea: two group days
    assert [e[2] for e in _timeline(kith, "Bea")] == ["them", "me"]
    again = kith.ok("capture", "telegram", str(path), "--json").json()
    assert again["logged"] == 0
    kith.ok("capture", "undo", str(report["run"]))
    assert _timeline(kith, "Ana") == [] and _timeline(kith, "Bea") == []


def test_a_file_that_is_no_export_is_one_line_and_writes_nothing(
    kith: Kith, tmp_path: Path
) -> None:
    path = _write(tmp_path, "result.json", "{not json")
    refused = kith("capture", "telegram", str(path))
    assert refused.exit_code == 1 and "not JSON (line 1" in refused.stderr
    missing = kith("capture", "whatsapp", str(tmp_path / "nothing.txt"))
    assert missing.exit_code == 1 and "nothing.txt" in missing.stderr
    assert kith.ok("capture", "runs", "--json").json() == []
