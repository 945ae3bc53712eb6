"""The capture commands of the CLI contract, end to end on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.conftest import Kith


def test_issue_story_seed_log_show_prints_the_contract_keys(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz", "--met", "PyCon", "--interest", "rock climbing")
    kith.ok("log", "Ana", "meeting", "--by", "them")
    shown = kith.ok("show", "Ana Ruiz", "--json").json()
    contract = {
        "id",
        "name",
        "stage",
        "strength",
        "trust",
        "balance",
        "next_feed",
        "interests",
        "needs",
        "offers",
        "reasons",
    }
    assert contract <= shown.keys()
    assert shown["name"] == "Ana Ruiz"
    assert shown["interests"] == ["rock climbing"]
    assert shown["met_where"] == "PyCon"
    assert shown["counts"]["interactions"] == 1
    assert shown["timeline"][0]["by"] == "them"


def test_init_prints_where_the_garden_is(kith: Kith) -> None:
    result = kith.ok("init")
    assert "garden ready at" in result.stdout


def test_me_adds_and_removes_my_tags(kith: Kith) -> None:
    kith.ok("me", "--interest", "jazz", "--offer", "UX design", "--need", "a co-founder")
    mine = kith.ok("me", "--interest", "Jazz", "--json").json()
    assert mine["interests"] == ["jazz"]  # the same tag in another case is not added twice
    assert mine["offers"] == ["UX design"]
    after = kith.ok("me", "--remove", "jazz", "--json").json()
    assert after["interests"] == []
    refused = kith("me", "--remove", "UX design", "--remove", "jazz")
    assert refused.exit_code == 1 and "'jazz' is not one of your tags" in refused.stderr
    assert kith.ok("me", "--json").json()["offers"] == ["UX design"]  # nothing changed


def test_me_takes_my_name(kith: Kith) -> None:
    assert kith.ok("me", "--json").json()["name"] == "me"
    assert kith.ok("me", "--name", "  Ana   Lopes ", "--json").json()["name"] == "Ana Lopes"
    refused = kith("me", "--name", " ")
    assert refused.exit_code == 1 and "name" in refused.stderr
    assert kith.ok("me", "--json").json()["name"] == "Ana Lopes"  # nothing changed


def test_seed_records_everything_and_via(kith: Kith) -> None:
    kith.ok("seed", "Bea Chen", "--email", "bea@example.org")
    kith.ok(
        "seed",
        "Carl Diaz",
        "--email",
        "Carl@Example.org",
        "--company",
        "Acme",
        "--title",
        "CTO",
        "--met",
        "Bea's dinner",
        "--on",
        "2026-10-01",
        "--via",
        "bea@example.org",
        "--interest",
        "sailing",
        "--need",
        "a designer",
        "--offer",
        "Go mentoring",
        "--note",
        "private",
        "--cadence",
        "14",
        "--phone",
        "+44 20 7946 0958",
    )
    carl = kith.ok("show", "carl diaz", "--json").json()
    assert carl["emails"] == ["carl@example.org"]
    assert carl["via"] == "Bea Chen"
    assert carl["met_on"] == "2026-10-01"
    assert (carl["company"], carl["title"], carl["cadence_days"]) == ("Acme", "CTO", 14)
    assert carl["needs"] == ["a designer"] and carl["offers"] == ["Go mentoring"]
    assert carl["note"] == "private"
    assert carl["phones"] == ["+44 20 7946 0958"]


def test_edit_changes_tags_details_and_consent(kith: Kith) -> None:
    kith.ok("seed", "Dee Eve", "--interest", "chess")
    kith.ok(
        "edit",
        "Dee",
        "--add-interest",
        "go",
        "--remove-interest",
        "CHESS",
        "--add-need",
        "funding",
        "--add-offer",
        "legal advice",
        "--consent-share",
        "--cadence",
        "30",
        "--company",
        "Law&Co",
        "--add-email",
        "dee@law.example",
    )
    dee = kith.ok("show", "Dee Eve", "--json").json()
    assert dee["interests"] == ["go"]
    assert dee["needs"] == ["funding"] and dee["offers"] == ["legal advice"]
    assert dee["consent_share"] is True and dee["cadence_days"] == 30
    assert dee["company"] == "Law&Co" and dee["emails"] == ["dee@law.example"]
    kith.ok("edit", f"#{dee['id']}", "--no-consent-share", "--clear-cadence", "--name", "Dee Evans")
    again = kith.ok("show", "Dee Evans", "--json").json()
    assert again["consent_share"] is False and again["cadence_days"] is None


def test_log_give_receive_breach_fill_the_timeline(kith: Kith) -> None:
    kith.ok("seed", "Eli Fox")
    kith.ok("log", "Eli", "call", "--on", "2026-11-01", "--topic", "rust", "--note", "long call")
    kith.ok("log", "Eli", "email", "--unanswered")
    kith.ok("give", "Eli", "reviewed his CV", "--kind", "advice", "--weight", "3")
    kith.ok(
        "receive", "Eli", "intro to Acme", "--kind", "intro", "--weight", "4", "--on", "yesterday"
    )
    kith.ok("breach", "Eli", "shared my private deck", "--on", "2026-11-20")
    eli = kith.ok("show", "Eli Fox", "--json").json()
    assert eli["counts"] == {
        "interactions": 2,
        "given": 1,
        "received": 1,
        "asks": 0,
        "breaches": 1,
        "intros": 0,
        "their_asks": 0,  # what they asked of me (kith asked-by, issue 9)
    }
    kinds = [event["type"] for event in eli["timeline"]]
    assert kinds == ["interaction", "given", "received", "breach", "interaction"]
    assert eli["timeline"][-1]["topics"] == ["rust"]
    human = kith.ok("show", "Eli Fox").stdout
    assert "reviewed his CV" in human and "shared my private deck" in human


def test_list_filters_and_prints_json(kith: Kith) -> None:
    kith.ok("seed", "Fay Gil", "--interest", "Climbing")
    kith.ok("seed", "Gus Hu")
    listed = kith.ok("list", "--json").json()
    assert [p["name"] for p in listed] == ["Fay Gil", "Gus Hu"]
    assert {"id", "name", "stage"} <= listed[0].keys()
    assert [p["name"] for p in kith.ok("list", "--interest", "climbing", "--json").json()] == [
        "Fay Gil"
    ]
    # the tag rules apply: bouldering is climbing
    assert [p["name"] for p in kith.ok("list", "--interest", "bouldering", "--json").json()] == [
        "Fay Gil"
    ]
    assert kith.ok("list", "--interest", "knitting").stdout.strip() == "nobody matches"
    assert "2 people" in kith.ok("list").stdout


def test_prune_and_restore_lose_nothing(kith: Kith) -> None:
    kith.ok("seed", "Hal Ivy")
    kith.ok("log", "Hal", "meal")
    kith.ok("prune", "Hal", "--reason", "only ever sells")
    assert kith.ok("list", "--json").json() == []
    pruned = kith.ok("list", "--stage", "pruned", "--json").json()
    assert [p["name"] for p in pruned] == ["Hal Ivy"]
    hal = kith.ok("show", "Hal", "--json").json()
    assert hal["stage"] == "pruned" and hal["pruned_reason"] == "only ever sells"
    kith.ok("restore", "Hal")
    back = kith.ok("show", "Hal", "--json").json()
    assert back["state"] == "active" and back["counts"]["interactions"] == 1


def test_forget_removes_every_trace_and_says_what(kith: Kith) -> None:
    kith.ok("seed", "Ida Jay", "--email", "ida@example.org", "--interest", "tea")
    kith.ok("seed", "Jon Kay", "--via", "Ida")
    kith.ok("log", "Ida", "meeting")
    kith.ok("give", "Ida", "a book")
    result = kith.ok("forget", "Ida", "--yes")
    assert "forgot Ida Jay" in result.stdout
    assert "1 interaction," in result.stdout and "1 email," in result.stdout
    assert kith("show", "Ida").exit_code == 1
    assert kith("show", "ida@example.org").exit_code == 1
    assert kith.ok("show", "Jon", "--json").json()["via"] is None
    kith.ok("seed", "Ida Jay", "--email", "ida@example.org")  # the email is free again


def test_person_resolves_by_email_and_id(kith: Kith) -> None:
    kith.ok("seed", "Kim Lee", "--email", "kim@example.org")
    by_email = kith.ok("show", "KIM@example.org", "--json").json()
    assert kith.ok("show", f"#{by_email['id']}", "--json").json()["name"] == "Kim Lee"
