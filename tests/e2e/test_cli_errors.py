"""Bad input: one line on stderr naming what is wrong, exit 1 (2 for usage), nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY, Kith


def _nothing_written(kith: Kith, name: str = "Ana Ruiz") -> None:
    shown = kith.ok("show", name, "--json").json()
    assert shown["counts"] == {
        "interactions": 0,
        "given": 0,
        "received": 0,
        "asks": 0,
        "breaches": 0,
        "intros": 0,
        "their_asks": 0,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "Nobody"), "no person named 'Nobody'"),
        (("show", "#999"), "no person #999"),
        (("show", "nobody@example.org"), "no person with email"),
        (("log", "Ana Ruiz", "meeting", "--on", "2026-02-30"), "on: '2026-02-30' is not a date"),
        (("give", "Ana Ruiz", "help", "--weight", "6"), "weight: 6 is outside 1–5"),
        (("receive", "Ana Ruiz", "help", "--weight", "0"), "weight: 0 is outside 1–5"),
        (("log", "Ana Ruiz", "dance"), "kind: 'dance' is not one of"),
        (("give", "Ana Ruiz", "help", "--kind", "money"), "kind: 'money' is not one of"),
        (("log", "Ana Ruiz", "call", "--by", "them", "--unanswered"), "--unanswered"),
        (("breach", "Ana Ruiz", "  "), "what: is empty"),
        (("forget", "Ana Ruiz"), "--yes"),
        (("seed", " "), "name: is empty"),
        (("seed", "X", "--email", "not-an-email"), "email: 'not-an-email' is not an email"),
        (("seed", "X", "--cadence", "0"), "cadence: 0 days"),
        (("list", "--stage", "blooming"), "stage: 'blooming' is not one of"),
        (("seed", "Bad\udcffName"), "name: is not valid UTF-8 text"),
        (("seed", "X", "--company", "\udcfe"), "company: is not valid UTF-8 text"),
        (("log", "Ana Ruiz", "call", "--note", "\udcfe"), "note: is not valid UTF-8 text"),
        (("seed", "X", "--link", "[broken"), None),
        (("show", "#99999999999999999999"), "no person #99999999999999999999"),
        (("edit", "Ana Ruiz", "--remove-interest", "knitting"), "remove-interest: not all"),
        (("log", "Ana Ruiz", "call", "--on", "9999-12-31"), "on: 9999-12-31 is after today"),
        (("seed", "X", "--on", "0001-01-01"), "on: 0001-01-01 is before 1900"),
        (("intro-step", "99999999999999999999", "made"), "no introduction #99999999999999999999"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    kith_sqlite: Kith, args: tuple[str, ...], message: str
) -> None:
    kith_sqlite.ok("seed", "Ana Ruiz")
    result = kith_sqlite(*args)
    if message is None:  # accepted: a strange but storable value
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""
    _nothing_written(kith_sqlite)
    assert len(kith_sqlite.ok("list", "--json").json()) == 1


def test_ambiguous_name_lists_the_candidates(kith_sqlite: Kith) -> None:
    kith_sqlite.ok("seed", "Ana Ruiz")
    kith_sqlite.ok("seed", "Ana Lopez")
    result = kith_sqlite("log", "Ana", "call")
    assert result.exit_code == 1
    assert "Ana Lopez (#2)" in result.stderr and "Ana Ruiz (#1)" in result.stderr
    _nothing_written(kith_sqlite)


def test_partial_name_is_an_error_listing_candidates(kith_sqlite: Kith) -> None:
    kith_sqlite.ok("seed", "Ana Ruiz")
    result = kith_sqlite("log", "An", "call")
    assert result.exit_code == 1 and "Ana Ruiz (#1)" in result.stderr


def test_taken_email_is_refused(kith_sqlite: Kith) -> None:
    kith_sqlite.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    result = kith_sqlite("seed", "Other", "--email", "ANA@example.org")
    assert result.exit_code == 1 and "already belongs to Ana Ruiz (#1)" in result.stderr
    assert len(kith_sqlite.ok("list", "--json").json()) == 1


def test_missing_argument_is_a_usage_error(kith_sqlite: Kith) -> None:
    assert kith_sqlite("log").exit_code == 2


def test_bad_today_names_the_variable(kith_sqlite: Kith) -> None:
    result = kith_sqlite("list", env={"KITH_TODAY": "2026-13-01"})
    assert result.exit_code == 1 and "KITH_TODAY" in result.stderr


def test_unopenable_database_is_one_line(tmp_path: Path) -> None:
    kith = Kith("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    result = kith("list")
    assert result.exit_code == 1
    assert result.stderr.startswith("kith: cannot open database") and result.stderr.count("\n") == 1


def test_invalid_url_is_one_line(tmp_path: Path) -> None:
    result = Kith("not a url", tmp_path)("list")
    assert result.exit_code == 1 and "not a valid SQLAlchemy URL" in result.stderr


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KITH_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "KITH_TODAY": TODAY.isoformat(),
        "KITH_CONFIG": str(tmp_path / "none.toml"),
    }
    kith = [sys.executable, "-m", "kith"]
    done = subprocess.run(
        [*kith, "show", "Nobody"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr == "kith: no person named 'Nobody'\n"
    assert done.stdout == ""


def test_a_mistyped_database_folder_is_an_error_and_init_creates_it(tmp_path: Path) -> None:
    kith = Kith(f"sqlite:///{tmp_path / 'typo' / 'kith.db'}", tmp_path)
    result = kith("list")
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "typo").exists()
    assert kith("init").exit_code == 0
    assert kith("list").exit_code == 0
