"""People through the CLI: duplicates refused unless --new, and names resolved or suggested."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith


def _count(kith: Kith) -> int:
    return len(kith.ok("list", "--json").json())


def test_a_second_seed_of_a_name_is_refused_naming_who_is_there(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    refused = kith("seed", "ana  RUIZ", "--company", "Acme")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr == (
        "kith: Ana Ruiz is already in your garden (#1, ana@example.org); "
        "add --new if this is another person of the same name\n"
    )
    assert _count(kith) == 1


def test_new_plants_a_namesake_and_then_the_first_name_lists_both(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    assert kith.ok("log", "Ana", "call").exit_code == 0  # one Ana: she resolves
    planted = kith.ok("seed", "Ana Ruiz", "--new", "--company", "Globex", "--json").json()
    assert planted == {"id": 2, "name": "Ana Ruiz"}
    ambiguous = kith("show", "Ana")
    assert ambiguous.exit_code == 1
    assert "Ana Ruiz (#1)" in ambiguous.stderr and "Ana Ruiz (#2)" in ambiguous.stderr
    assert kith("show", "Ana Ruiz").exit_code == 1  # the full name is shared too
    assert kith.ok("show", "#2", "--json").json()["name"] == "Ana Ruiz"


def test_an_email_already_there_is_refused_even_with_new(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    refused = kith("seed", "Ana Ruiz", "--new", "--email", "ANA@example.org")
    assert refused.exit_code == 1
    assert "email: ana@example.org already belongs to Ana Ruiz (#1)" in refused.stderr
    assert "--new does not clear it" in refused.stderr
    assert _count(kith) == 1


def test_a_pruned_namesake_is_named_as_pruned(kith: Kith) -> None:
    kith.ok("seed", "Tom Becker")
    kith.ok("prune", "Tom", "--reason", "only ever sells")
    refused = kith("seed", "Tom Becker")
    assert refused.exit_code == 1 and "(#1, pruned)" in refused.stderr


def test_a_misspelled_name_suggests_the_closest_people(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz")
    kith.ok("seed", "Frank Osei")
    missed = kith("show", "Anna")
    assert missed.exit_code == 1
    assert missed.stderr == "kith: no person named 'Anna'; did you mean Ana Ruiz?\n"
    assert "did you mean Frank Osei?" in kith("log", "Frank Osie", "call").stderr
    assert kith("show", "Quentin").stderr == "kith: no person named 'Quentin'\n"


def test_a_unique_start_of_a_name_resolves(kith: Kith) -> None:
    kith.ok("seed", "Frank Osei")
    kith.ok("seed", "Ana Ruiz")
    assert kith.ok("show", "Fran", "--json").json()["name"] == "Frank Osei"
    kith.ok("log", "fran", "call", "--by", "them")
    assert kith.ok("show", "Frank Osei", "--json").json()["counts"]["interactions"] == 1
    kith.ok("seed", "Frances Lee")
    both = kith("show", "Fran")
    assert both.exit_code == 1
    assert "Frank Osei (#1)" in both.stderr and "Frances Lee (#3)" in both.stderr
    assert kith.ok("show", "Frank", "--json").json()["id"] == 1  # a whole word still wins


def test_edit_adds_and_removes_contact_details(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    kith.ok("seed", "Bea Chen", "--email", "bea@example.org")
    kith.ok(
        "edit", "Ana", "--add-email", "ana@work.example", "--add-phone", "+44 20 7946 0958",
        "--add-link", "https://www.linkedin.com/in/ana-ruiz/",
    )  # fmt: skip
    kith.ok("edit", "Ana", "--add-email", "ANA@example.org")  # hers already: nothing to do
    shown = kith.ok("show", "Ana", "--json").json()
    assert shown["emails"] == ["ana@example.org", "ana@work.example"]
    taken = kith("edit", "Ana", "--add-email", "bea@example.org")
    assert taken.exit_code == 1 and "already belongs to Bea Chen (#2)" in taken.stderr
    kith.ok(
        "edit", "Ana", "--remove-email", "Ana@Example.org", "--remove-phone", "+442079460958",
        "--remove-link", "linkedin.com/in/ana-ruiz",
    )  # fmt: skip
    shown = kith.ok("show", "Ana", "--json").json()
    assert (shown["emails"], shown["phones"], shown["links"]) == (["ana@work.example"], [], [])
    missing = kith("edit", "Ana", "--remove-email", "nobody@example.org", "--note", "hi")
    assert missing.exit_code == 1 and "remove-email: not all" in missing.stderr
    assert kith.ok("show", "Ana", "--json").json()["note"] is None  # nothing changed


def test_seed_help_tells_of_new(kith: Kith) -> None:
    shown = kith.ok("seed", "--help").stdout
    assert "--new" in shown and "already in the garden" in shown


def test_a_birthday_is_kept_shown_exported_and_fed_on_the_day(kith: Kith, tmp_path: Path) -> None:
    kith.ok("seed", "Ana Ruiz", "--on", "2026-11-20", "--birthday", "1990-11-27")
    kith.ok("seed", "Bo Li", "--on", "2026-11-27", "--birthday", "1985-11-28")
    assert kith.ok("show", "Ana", "--json").json()["birthday"] == "1990-11-27"
    assert "birthday: 1990-11-27" in kith.ok("show", "Ana").stdout
    first = kith.ok("feed", "--json").json()[0]
    assert (first["name"], first["why"]) == ("Ana Ruiz", "birthday today")
    out = tmp_path / "people.vcf"
    kith.ok("export", "vcard", str(out))
    assert "BDAY:1990-11-27" in out.read_text(encoding="utf-8")
    kith.ok("edit", "Bo", "--birthday", "1985-11-27")
    assert kith.ok("show", "Bo", "--json").json()["birthday"] == "1985-11-27"
    kith.ok("edit", "Ana", "--clear-birthday")
    assert kith.ok("show", "Ana", "--json").json()["birthday"] is None


def test_a_birthday_that_is_not_a_date_is_refused_naming_the_field(kith: Kith) -> None:
    refused = kith("seed", "Ana Ruiz", "--birthday", "27 Nov")
    assert refused.exit_code == 1
    assert refused.stderr == "kith: --birthday: '27 Nov' is not a date (YYYY-MM-DD)\n"
    assert kith("seed", "Ana Ruiz", "--birthday", "2030-01-01").exit_code == 1
    assert _count(kith) == 0
