"""The CLI's `--json` and the API answer with one shape: on the demo garden, the same document.

Both shells present the view models of kith.app (person_views, garden_views, match_views): the
CLI through app/documents.to_json, the API through FastAPI. This holds them equal, key for key
and value for value, for the same garden on the same day; the group's commands and
/api/v1/group likewise, for the same member of a group on PostgreSQL (and Citus).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kith.app import community, credentials
from kith.app.demo import load_demo
from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY, Kith
from tests.e2e.test_cli_group import make_group
from tests.e2e.test_cli_group_paths import lisbon
from tests.integration._web import api_token, client, make_app, settings_for


@dataclass
class Shells:
    cli: Kith
    api: Any  # starlette's TestClient, imported by tests.integration._web

    def get(self, path: str) -> Any:
        answer = self.api.get(f"/api/v1{path}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: dict[str, object]) -> Any:
        answer = self.api.post(f"/api/v1{path}", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def cli_json(self, *args: str, exit_code: int = 0) -> Any:
        result = self.cli(*args, "--json")
        assert result.exit_code == exit_code, result.stderr
        return result.json()


@pytest.fixture(scope="module")
def shells(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shells]:
    """One demo garden, read by the CLI and by the API (in-process) on the same day."""
    folder = tmp_path_factory.mktemp("agree")
    url = f"sqlite:///{folder / 'kith.db'}"
    opened = open_garden(Settings(database_url=url), TODAY)
    load_demo(opened)
    opened.engine.dispose()
    settings = settings_for(url, folder)
    token = api_token(settings)
    with client(make_app(settings), address="127.0.0.1") as api:
        api.headers["Authorization"] = f"Bearer {token}"
        yield Shells(Kith(url, folder), api)


def test_list_agrees(shells: Shells) -> None:
    listed = shells.cli_json("list")
    assert listed and listed == shells.get("/people")
    pruned = shells.cli_json("list", "--stage", "pruned")
    assert pruned == shells.get("/people?stage=pruned")


def test_show_agrees_for_everyone(shells: Shells) -> None:
    everyone = shells.get("/people") + shells.get("/people?stage=pruned")
    assert len(everyone) > 30
    with_history = 0
    for person in everyone:
        shown = shells.cli_json("show", f"#{person['id']}")
        assert shown == shells.get(f"/people/{person['id']}"), person["name"]
        with_history += bool(shown["timeline"])
    assert with_history > 30


def test_feed_and_weed_agree(shells: Shells) -> None:
    feed = shells.cli_json("feed", "--limit", "50")
    assert feed and feed == shells.get("/feed?limit=50")
    assert shells.cli_json("feed") == shells.get("/feed")
    weed = shells.cli_json("weed")
    assert weed and weed == shells.get("/weed")


def test_ask_check_only_agrees_ready_or_not(shells: Shells) -> None:
    verdicts: set[bool] = set()
    for person in shells.get("/people"):
        for args, body in (
            ((), {}),
            (("--pitch", "--size", "large"), {"pitch": True, "size": "large"}),
        ):
            check = shells.post(
                f"/people/{person['id']}/asks", {"what": "a demo", "check_only": True, **body}
            )
            exit_code = 0 if check["ready"] else 1
            shown = shells.cli_json(
                "ask", f"#{person['id']}", "a demo", "--check-only", *args, exit_code=exit_code
            )
            assert shown == check, person["name"]
            assert not check["recorded"]
            verdicts.add(check["ready"])
    assert verdicts == {True, False}


def test_intros_agree(shells: Shells) -> None:
    status = shells.cli_json("intro-status")
    assert status and status == shells.get("/intros")
    assert {"a_id", "b_id", "steps", "outcome"} <= set(status[0])
    suggested = shells.cli_json("intros", "--limit", "20")
    assert suggested and suggested == shells.get("/intros/suggestions?limit=20")


def test_starters_and_me_agree(shells: Shells) -> None:
    assert shells.cli_json("me") == shells.get("/me")
    for person in shells.get("/people")[:10]:
        starters = shells.cli_json("starters", f"#{person['id']}")
        assert starters == shells.get(f"/people/{person['id']}/starters")


def test_a_started_intro_agrees_with_the_list(shells: Shells) -> None:
    """An intro started and moved on by the CLI reads the same from the API's list."""
    pair = shells.cli_json("intros", "--limit", "1")[0]
    started = shells.cli_json("intro", f"#{pair['a_id']}", f"#{pair['b_id']}", "--why", "x")
    listed = {row["id"]: row for row in shells.get("/intros")}
    assert started == listed[started["id"]]
    stepped = shells.cli_json("intro-step", str(started["id"]), "asked-a")
    assert stepped == {row["id"]: row for row in shells.get("/intros")}[started["id"]]


def test_stats_agree(shells: Shells) -> None:
    stats = shells.cli_json("stats")
    assert stats["funnel_by_source"] and stats == shells.get("/stats")


def test_forget_and_merge_answer_in_one_shape(shells: Shells) -> None:
    """Writes, so each shell acts on people of its own; the documents' shapes agree."""
    ids = {}
    for name in ("Zoe Agree", "Zoe Agreed", "Yan Agree", "Yan Agreed"):
        ids[name] = shells.cli_json("seed", name, "--new", "--interest", "chess")["id"]
    merged = shells.cli_json("merge", f"#{ids['Zoe Agree']}", f"#{ids['Zoe Agreed']}")
    answered = shells.post(f"/people/{ids['Yan Agree']}/merge", {"other_id": ids["Yan Agreed"]})
    assert merged["kept"] == {"id": ids["Zoe Agree"], "name": "Zoe Agree"}
    assert _shape(merged) == _shape(answered)
    forgot = shells.cli_json("forget", f"#{ids['Zoe Agree']}", "--yes")
    deleted = shells.api.delete(f"/api/v1/people/{ids['Yan Agree']}?confirm=true")
    assert deleted.status_code == 200
    assert forgot["name"] == "Zoe Agree" and _shape(forgot) == _shape(deleted.json())


def _shape(document: Any) -> Any:
    """The keys of a document all the way down, without its values."""
    if isinstance(document, dict):
        return {key: _shape(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_shape(value) for value in document[:1]]
    return type(document).__name__


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Maya Okafor
EMAIL:maya@northwind.example
TEL:+44 20 7946 0958
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Agnes Newcomer
EMAIL:agnes@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Broken Card
EMAIL:not an email
END:VCARD
"""
MEETING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//kith//test//EN
BEGIN:VEVENT
UID:agree-1@example.org
DTSTART:20261120T100000Z
DTEND:20261120T110000Z
SUMMARY:Design review
ORGANIZER:mailto:me@example.org
ATTENDEE:mailto:maya@northwind.example
END:VEVENT
END:VCALENDAR
"""


def test_dry_run_import_and_capture_agree(shells: Shells, tmp_path: Path) -> None:
    cards = tmp_path / "cards.vcf"
    cards.write_text(VCARDS, encoding="utf-8")
    imported = shells.cli_json("import", "vcard", str(cards), "--dry-run")
    with cards.open("rb") as upload:
        answer = shells.api.post(
            "/api/v1/import",
            files={"file": ("cards.vcf", upload, "text/vcard")},
            data={"kind": "vcard", "dry_run": "true"},
        )
    assert answer.status_code == 200, answer.text
    # "Broken Card" keeps its person; its bad email is left out with a warning (issue 10)
    assert imported["added"] == 2 and imported["merges"] and imported["warnings"]
    assert imported == answer.json()
    calendar = tmp_path / "meetings.ics"
    calendar.write_text(MEETING, encoding="utf-8")
    captured = shells.cli_json("capture", "ics", str(calendar), "--me", "me@example.org",
                               "--dry-run")  # fmt: skip
    with calendar.open("rb") as upload:
        answer = shells.api.post(
            "/api/v1/capture",
            files={"file": ("meetings.ics", upload, "text/calendar")},
            data={"kind": "ics", "me": "me@example.org", "dry_run": "true"},
        )
    assert answer.status_code == 200, answer.text
    assert captured["logged"] == 1 and captured == answer.json()


def test_share_and_its_preview_agree(shells: Shells, tmp_path: Path) -> None:
    for stage in ("trusted", "growing"):
        out = tmp_path / f"share-{stage}.json"
        shared = shells.cli_json("share", "--out", str(out), "--min-stage", stage)
        preview = shells.get(f"/share/preview?min_stage={stage}")
        assert shared["held_back"] and shared["held_back"] == preview["held_back"]
        assert shared["shared"] == preview["shared"] == len(preview["names"])


QUICK_LINES = (
    "coffee with Noah",
    "call with Maya Okafor yesterday about her job search",
    "lunch with @Noah on 2026-11-20",
    "met Quentin Newcomer at PyCon, talked about climbing - runs a gym",
    "coffee with Ma",
)


@pytest.mark.parametrize("line", QUICK_LINES)
def test_quick_capture_preview_agrees(shells: Shells, line: str) -> None:
    shown = shells.cli_json("note", line, "--dry-run")
    assert shown == shells.post("/capture/quick/preview", {"text": line})
    assert not shown["saved"]


def test_quick_capture_saves_in_one_shape(shells: Shells) -> None:
    """Writes, so each shell plants a person of its own; the documents agree but for them."""
    by_cli = shells.cli_json("note", "met Quinta Cli at PyCon", "--on", "yesterday")
    answer = shells.api.post(
        "/api/v1/capture/quick", json={"text": "met Quinta Api at PyCon", "on": "yesterday"}
    )
    assert answer.status_code == 201, answer.text
    by_api = answer.json()
    assert by_cli["saved"] and by_api["saved"]
    for document in (by_cli, by_api):
        document.pop("person")
    assert by_cli == {
        **by_api,
        "text": "met Quinta Cli at PyCon",
        "name": "Quinta Cli",
        "summary": by_api["summary"].replace("Quinta Api", "Quinta Cli"),
    }


# --- the group: the CLI as each member (`--as`), the API with that member's token ----------


def _member_tokens(url: str, folder: Path, logins: list[str]) -> dict[str, str]:
    tokens = {}
    for login in logins:
        opened = community.open_member_garden(settings_for(url, folder), TODAY, login)
        try:
            tokens[login] = credentials.rotate_token(opened)
        finally:
            opened.engine.dispose()
    return tokens


def test_the_group_commands_and_the_group_api_agree(community_db_url: str, tmp_path: Path) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana, lea, omar = group["ana"], group["lea"], group["omar"]
    ana.ok("me", "--offer", "UX design")
    tokens = _member_tokens(community_db_url, tmp_path, list(group))
    with client(make_app(settings_for(community_db_url, tmp_path))) as api:

        def call(login: str, method: str, path: str, body: Any = None) -> Any:
            headers = {"Authorization": f"Bearer {tokens[login]}"}
            answer = api.request(method, f"/api/v1/group{path}", json=body, headers=headers)
            assert answer.status_code in (200, 201), answer.text
            return answer.json()

        published = ana.ok("group", "profile", "--publish", "offers", "--json").json()
        assert published == call("ana", "GET", "/profile")
        assert published == call("ana", "PUT", "/profile", {"publish": ["offers"]})
        directory = lea.ok("group", "directory", "--offer", "ux design", "--json").json()
        assert directory["members"] and directory == call(
            "lea", "GET", "/directory?offer=ux design"
        )
        shared = lea.ok("group", "shared", "--json").json()
        assert shared["contacts"] and shared == call("lea", "GET", "/shared")
        sharing = {login: group[login].ok("group", "sharing", "--json").json() for login in group}
        assert any(mine["shares"] for mine in sharing.values())
        assert sharing == {login: call(login, "GET", "/shares") for login in group}
        for target in ("offers:fundraising", "omar", "at:Acme"):
            paths = ana.ok("group", "path", target, "--json").json()
            assert paths == call("ana", "GET", f"/paths?target={target}"), target
        by_cli = ana.ok("group", "request", "omar", "--why", "a seed round", "--json").json()
        by_api = call("ana", "POST", "/requests", {"target": "omar", "reason": "a seed round"})
        assert by_api == by_cli | {"id": by_api["id"]}
        for login in ("ana", "lea", "omar"):
            inbox = group[login].ok("group", "requests", "--json").json()
            assert inbox == call(login, "GET", "/requests"), login
        cli_answer = lea.ok("group", "answer", str(by_cli["id"]), "yes", "--json").json()
        api_answer = call("lea", "POST", f"/requests/{by_api['id']}/answer", {"answer": "yes"})
        assert api_answer == cli_answer | {"id": by_api["id"]}
        assert omar.ok("group", "requests", "--json").json() == call("omar", "GET", "/requests")


# --- the group's business: the CLI as a member (`--as`) and the API with that member's token ---


def _member_api(api: Any, url: str, login: str) -> Any:
    """`api.get`/`api.post` for /api/v1/group as `login`, with a token of theirs."""
    opened = community.open_member_garden(Settings(database_url=url), TODAY, login)
    try:
        headers = {"Authorization": f"Bearer {credentials.rotate_token(opened)}"}
    finally:
        opened.engine.dispose()

    class MemberApi:
        def get(self, path: str) -> Any:
            answer = api.get(f"/api/v1/group{path}", headers=headers)
            assert answer.status_code == 200, answer.text
            return answer.json()

        def post(self, path: str, body: dict[str, object]) -> Any:
            answer = api.post(f"/api/v1/group{path}", json=body, headers=headers)
            assert answer.status_code in (200, 201), answer.text
            return answer.json()

    return MemberApi()


def test_the_group_business_agrees(community_db_url: str, tmp_path: Path) -> None:
    """Referrals, the report, one-to-ones and visitors read the same from both shells."""
    ana, bob, cleo = make_group(Kith(community_db_url, tmp_path), tmp_path, "ana", "bob", "cleo")
    with client(make_app(settings_for(community_db_url, tmp_path))) as api:
        apis = {m.login: _member_api(api, community_db_url, m.login) for m in (ana, bob, cleo)}
        made = bob.ok("group", "refer", "ana", "Acme needs books", "--value", "8000", "--json")
        ana.ok("group", "referral", str(made.json()["id"]), "won", "--value", "5250.5")
        by_api = apis["ana"].post("/referrals", {"login": "cleo", "what": "a lead", "value": "9"})
        assert _shape(by_api) == _shape(made.json())
        for member in (cleo, bob):
            member.ok("group", "one-to-ones", "--opt-in")
        ana.ok("group", "round", "--seed", "1")
        side = bob.ok("group", "meetings", "--json").json()["meetings"][0]["id"]
        bob.ok("group", "met", str(side), "--feedback", "a good hour")
        bob.ok("group", "visitor", "Rita Guest", "--meeting", TODAY.isoformat())
        apis["bob"].post("/visitors", {"name": "Sam Guest", "meeting": TODAY.isoformat()})
        for member in (ana, bob, cleo):
            shell = apis[member.login]
            for args, path in (
                (("referrals",), "/referrals"),
                (("report",), "/report"),
                (("one-to-ones",), "/one-to-ones"),
                (("meetings",), "/meetings"),
                (("visitors",), "/visitors"),
            ):
                shown = member.ok("group", *args, "--json").json()
                assert shown == shell.get(path), (member.login, path)
        assert len(bob.ok("group", "visitors", "--json").json()["visitors"]) == 2
        assert len(ana.ok("group", "report", "--json").json()["lines"]) == 3
