"""`kith note`: quick capture from the command line, with --dry-run, --json and --on."""

from __future__ import annotations

from tests.conftest import TODAY, Kith


def test_a_new_person_is_planted_and_then_logged(kith: Kith) -> None:
    would = kith.ok("note", "met Ana Ruiz at PyCon, talked about climbing", "--dry-run")
    assert would.stdout == (
        f"would: Plant Ana Ruiz as a new seed met at PyCon on {TODAY.isoformat()};"
        " interests: climbing\n"
    )
    assert kith.ok("list", "--json").json() == []

    kith.ok("note", "met Ana Ruiz at PyCon, talked about climbing")
    shown = kith.ok("show", "Ana", "--json").json()
    assert (shown["met_where"], shown["interests"]) == ("PyCon", ["climbing"])

    logged = kith.ok("note", "lunch with @Ana", "--on", "2026-11-20", "--json").json()
    assert logged["action"] == "log" and logged["saved"] is True
    assert (logged["person"]["name"], logged["kind"], logged["on"]) == (
        "Ana Ruiz",
        "meal",
        "2026-11-20",
    )
    timeline = kith.ok("show", "Ana", "--json").json()["timeline"]
    assert any(event.get("kind") == "meal" for event in timeline)


def test_an_ambiguous_name_saves_nothing_and_lists_who(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz")
    kith.ok("seed", "Ana Lopez")
    refused = kith("note", "coffee with Ana")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "Ana Ruiz (#1)" in refused.stderr and "Ana Lopez (#2)" in refused.stderr
    would = kith.ok("note", "coffee with Ana", "--dry-run")
    assert "could be 2 people" in would.stdout


def test_bad_input_is_one_line_naming_the_field(kith: Kith) -> None:
    unread = kith("note", "hello there")
    assert unread.exit_code == 1
    assert unread.stderr.startswith("kith: text: could not tell what happened")
    assert unread.stderr.count("\n") == 1
    late = kith("note", "coffee with Noah", "--on", "2099-01-01")
    assert late.exit_code == 1 and late.stderr.startswith("kith: --on: ")
