"""`kith import linkedin EXPORT.zip`: connections, messages, invitations and help, undoable."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith
from tests.unit.test_io_linkedin_export import _export


def test_the_whole_export_comes_in_as_one_undoable_run(kith: Kith, tmp_path: Path) -> None:
    path = _export(tmp_path)
    dry = kith.ok("import", "linkedin", str(path), "--dry-run", "--json").json()
    assert (dry["added"], dry["run"]) == (2, None)
    assert kith.ok("list", "--json").json() == []
    report = kith.ok("import", "linkedin", str(path), "--json").json()
    assert (report["added"], report["messages"], report["help"], report["met"]) == (2, 3, 4, 2)
    assert [e["line"] for e in report["errors"]] == [7, 16, 4]  # each file's bad row, by line
    bea = kith.ok("show", "Bea Chen", "--json").json()
    assert bea["met_where"] == "LinkedIn invitation" and bea["met_on"] == "2024-02-01"
    talks = [e for e in bea["timeline"] if e["type"] == "interaction"]
    assert sorted((e["on"], e["by"], e["unanswered"]) for e in talks) == [
        ("2024-02-05", "them", False),
        ("2024-04-01", "me", True),
    ]
    assert bea["counts"]["given"] == 2
    carl = kith.ok("show", "Carl Diaz", "--json").json()
    assert (carl["counts"]["received"], carl["counts"]["interactions"]) == (2, 1)
    again = kith.ok("import", "linkedin", str(path), "--json").json()
    assert (again["added"], again["messages"], again["help"]) == (0, 0, 0)
    kith.ok("capture", "undo", str(report["run"]))
    bea = kith.ok("show", "Bea Chen", "--json").json()
    assert (bea["counts"]["interactions"], bea["counts"]["given"]) == (0, 0)
    assert kith.ok("show", "Carl Diaz", "--json").json()["counts"]["received"] == 0


def test_a_zip_that_is_no_export_is_one_line_and_writes_nothing(kith: Kith, tmp_path: Path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_text("First Name,Last Name\n", encoding="utf-8")
    refused = kith("import", "linkedin", str(bad))
    assert refused.exit_code == 1 and "not a zip file" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert kith.ok("capture", "runs", "--json").json() == []
