"""`kith capture runs` and `kith capture undo RUN`: every capture is a run that can be undone."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith
from tests.e2e.test_cli_import import ICS, MBOX


def _capture_both(kith: Kith, tmp_path: Path, *, seed: bool = True) -> tuple[int, int]:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@acme.com")
    if seed:
        kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(MBOX, encoding="utf-8")
    calendar = tmp_path / "cal.ics"
    calendar.write_text(ICS, encoding="utf-8")
    mail = kith.ok("capture", "mbox", str(mbox), "--me", "me@example.org", "--json").json()
    meetings = kith.ok("capture", "ics", str(calendar), "--me", "me@example.org", "--json").json()
    return mail["run"], meetings["run"]


def _count(kith: Kith, who: str) -> int:
    return int(kith.ok("show", who, "--json").json()["counts"]["interactions"])


def test_every_capture_is_a_run_listed_newest_first(kith: Kith, tmp_path: Path) -> None:
    mail_run, ics_run = _capture_both(kith, tmp_path)
    runs = kith.ok("capture", "runs", "--json").json()
    assert [r["id"] for r in runs] == [ics_run, mail_run]
    assert runs[1]["source"].startswith("mbox:") and runs[0]["source"].startswith("ics:")
    assert (runs[1]["counts"]["logged"], runs[1]["present"]) == (3, 3)
    assert (runs[0]["counts"]["logged"], runs[0]["present"]) == (1, 1)
    assert runs[0]["undone_at"] is None
    assert f"#{mail_run}" in kith.ok("capture", "runs").stdout


def test_undo_removes_exactly_what_the_run_added(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    kith.ok("log", "Bob", "call", "--by", "them")  # by hand: no run's, never undone
    mail_run, ics_run = _capture_both(kith, tmp_path, seed=False)
    assert (_count(kith, "Ana"), _count(kith, "Bob")) == (2, 3)
    undone = kith.ok("capture", "undo", f"#{mail_run}", "--json").json()
    assert undone["removed"] == 3
    assert (_count(kith, "Ana"), _count(kith, "Bob")) == (0, 2)  # the call and the meeting
    runs = {r["id"]: r for r in kith.ok("capture", "runs", "--json").json()}
    assert runs[mail_run]["undone_at"] is not None and runs[mail_run]["present"] == 0
    assert runs[ics_run]["present"] == 1
    again = kith("capture", "undo", str(mail_run))
    assert again.exit_code == 1 and "already undone" in again.stderr


def test_an_undone_capture_can_be_captured_again(kith: Kith, tmp_path: Path) -> None:
    mail_run, _ = _capture_both(kith, tmp_path)
    kith.ok("capture", "undo", str(mail_run))
    mbox = tmp_path / "mail.mbox"
    again = kith.ok("capture", "mbox", str(mbox), "--me", "me@example.org", "--json").json()
    assert (again["logged"], again["duplicates"]) == (3, 0)


def test_a_dry_run_records_no_run(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    calendar = tmp_path / "cal.ics"
    calendar.write_text(ICS, encoding="utf-8")
    dry = kith.ok("capture", "ics", str(calendar), "--dry-run", "--json").json()
    assert dry["run"] is None and dry["logged"] == 1
    assert kith.ok("capture", "runs", "--json").json() == []


def test_undo_of_an_unknown_or_malformed_run_is_one_line_and_writes_nothing(kith: Kith) -> None:
    missing = kith("capture", "undo", "42")
    assert missing.exit_code == 1 and "no capture run #42" in missing.stderr
    bad = kith("capture", "undo", "last")
    assert bad.exit_code == 1 and "run: " in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_my_addresses_from_kith_me_tell_who_initiated(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@acme.com")
    assert kith.ok("me", "--email", "Me@Example.org", "--json").json()["emails"] == [
        "me@example.org"
    ]
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(MBOX, encoding="utf-8")
    kith.ok("capture", "mbox", str(mbox))  # no --me: kith me's address is mine
    timeline = kith.ok("show", "Ana", "--json").json()["timeline"]
    assert sorted(e["by"] for e in timeline) == ["me", "them"]
    refused = kith("me", "--email", "not-an-address", "--interest", "jazz")
    assert refused.exit_code == 1 and "email" in refused.stderr
    assert kith.ok("me", "--json").json()["interests"] == []  # nothing half-written
