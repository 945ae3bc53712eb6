"""The group's business through the JSON API: referrals, one-to-ones, visitors, the report.

Ana organises the group, Bob and Carl are members; each acts with their own token. Another
member's referral, meeting or visitor answers 404, as one that does not exist; a server that
keeps one SQLite garden has no group (404, saying so). On PostgreSQL and on Citus.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kith.app.community import NotInAGroup
from tests.conftest import TODAY
from tests.integration._members import Group, bearer, make_group
from tests.integration._web import Browser, api_token, client, make_app, settings_for


@dataclass
class Api:
    """One member's calls to /api/v1/group with their token."""

    browser: Browser
    headers: dict[str, str]

    def get(self, path: str, status: int = 200) -> Any:
        answer = self.browser.get(f"/api/v1/group{path}", headers=self.headers)
        assert answer.status_code == status, answer.text
        return answer.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        answer = self.browser.post(f"/api/v1/group{path}", json=body or {}, headers=self.headers)
        assert answer.status_code == status, answer.text
        return answer.json()


@pytest.fixture
def group(community_db_url: str, tmp_path: Path) -> Group:
    return make_group(settings_for(community_db_url, tmp_path), "ana", "bob", "carl")


@pytest.fixture
def members(group: Group) -> Iterator[dict[str, Api]]:
    with client(make_app(group.settings)) as browser:
        yield {login: Api(browser, bearer(m)) for login, m in group.members.items()}


def test_a_referral_goes_from_new_to_won_and_thanks_its_giver(members: dict[str, Api]) -> None:
    ana, bob, carl = members["ana"], members["bob"], members["carl"]
    lead = {"login": "ana", "what": "Acme needs books", "value": "8000"}
    made = bob.post("/referrals", lead, 201)
    assert (made["giver"], made["receiver"], made["status"], made["value"]) == (
        "bob",
        "ana",
        "new",
        8000.0,
    )
    assert [r["id"] for r in ana.get("/referrals")["referrals"]] == [made["id"]]
    assert carl.get("/referrals") == {"referrals": []}
    path = f"/referrals/{made['id']}/status"
    refused = bob.post(path, {"status": "contacted"}, 400)
    assert "only the member who received" in refused["error"]
    assert "not found" in carl.post(path, {"status": "contacted"}, 404)["error"]
    won = ana.post(path, {"status": "WON", "value": "5,250.50"})
    assert won["status"] == "won" and won["thank_you_value"] == 5250.5
    again = ana.post(path, {"status": "lost"}, 400)
    assert "only moves forward" in again["error"]
    assert bob.get("/referrals")["referrals"] == [{**won, "given_by_me": True}]


def test_bad_referral_input_names_its_field_and_writes_nothing(members: dict[str, Api]) -> None:
    bob = members["bob"]
    for body, field in (
        ({"login": "ana", "what": "a lead", "value": "lots"}, "value"),
        ({"login": "ana", "what": "  "}, "what"),
        ({"login": "no one!", "what": "a lead"}, "login"),
    ):
        assert bob.post("/referrals", body, 400)["field"] == field
    assert "no member zed" in bob.post("/referrals", {"login": "zed", "what": "x"}, 404)["error"]
    assert "yourself" in bob.post("/referrals", {"login": "bob", "what": "x"}, 400)["error"]
    assert bob.get("/referrals") == {"referrals": []}
    assert bob.post("/referrals/1/status", {"status": "maybe"}, 400)["field"] == "status"
    assert "detail" in bob.post("/referrals/0/status", {"status": "won"}, 422)


def test_the_report_shows_organisers_everyone_and_a_member_only_themself(
    members: dict[str, Api],
) -> None:
    ana, bob, carl = members["ana"], members["bob"], members["carl"]
    bob.post("/referrals", {"login": "carl", "what": "a lead"}, 201)
    whole = ana.get("/report")
    assert whole["everyone"] is True and whole["group"] == "Lisbon Founders"
    lines = {line["login"]: line for line in whole["lines"]}
    assert sorted(lines) == ["ana", "bob", "carl"]
    assert (lines["bob"]["given"], lines["carl"]["received"]) == (1, 1)
    for member, login in ((bob, "bob"), (carl, "carl")):
        own = member.get("/report")
        assert own["everyone"] is False and own["totals"] == whole["totals"]
        assert own["lines"] == [lines[login]]


def test_a_round_pairs_the_members_who_opted_in_and_each_side_confirms(
    members: dict[str, Api],
) -> None:
    ana, bob, carl = members["ana"], members["bob"], members["carl"]
    assert bob.get("/one-to-ones") == {"login": "bob", "opted_in": False}
    for member in (bob, carl):
        assert member.post("/one-to-ones", {"opted_in": True})["opted_in"] is True
    refused = bob.post("/rounds", {}, 400)
    assert "only an organiser" in refused["error"]
    made = ana.post("/rounds", {"on": TODAY.isoformat()}, 201)
    assert made["opted_in"] == 2 and [m["members"] for m in made["meetings"]] in (
        [["bob", "carl"]],
        [["carl", "bob"]],
    )
    (bobs,) = bob.get("/meetings")["meetings"]
    (carls,) = carl.get("/meetings")["meetings"]
    assert ana.get("/meetings") == {"meetings": []}
    assert "not found" in ana.post(f"/meetings/{bobs['id']}/met", {}, 404)["error"]
    assert "not found" in carl.post(f"/meetings/{bobs['id']}/no-show", {}, 404)["error"]
    side = bob.post(f"/meetings/{bobs['id']}/met", {"feedback": "knows the harbour people"})
    assert side["status"] == "met" and not side["held"]
    assert side["feedback"] == "knows the harbour people"
    held = carl.post(f"/meetings/{carls['id']}/met", {"on": "today"})
    assert held["held"] and held["feedback"] is None  # Bob's feedback stays his
    assert "already recorded" in bob.post(f"/meetings/{bobs['id']}/no-show", {}, 400)["error"]
    assert ana.get("/report")["totals"]["one_to_ones"] == 1


def test_a_guest_who_came_is_a_seed_in_the_inviters_garden(members: dict[str, Api]) -> None:
    bob, carl = members["bob"], members["carl"]
    guest = {"name": "Rita Guest", "meeting": TODAY.isoformat(), "email": "rita@example.org"}
    made = bob.post("/visitors", guest, 201)
    later = bob.post("/visitors", {**guest, "name": "Sam Later", "meeting": "2026-12-24"}, 201)
    assert made["status"] == "invited" and made["person_id"] is None
    assert [v["name"] for v in bob.get("/visitors")["visitors"]] == ["Sam Later", "Rita Guest"]
    assert carl.get("/visitors") == {"visitors": []}
    assert "not found" in carl.post(f"/visitors/{made['id']}/came", None, 404)["error"]
    assert "mark them after it" in bob.post(f"/visitors/{later['id']}/missed", None, 400)["error"]
    came = bob.post(f"/visitors/{made['id']}/came")
    assert came["status"] == "came" and came["person_id"] is not None
    person = bob.browser.get(f"/api/v1/people/{came['person_id']}", headers=bob.headers).json()
    assert person["name"] == "Rita Guest" and person["stage"] == "seed"
    assert "already marked" in bob.post(f"/visitors/{made['id']}/missed", None, 400)["error"]
    assert bob.post("/visitors", {**guest, "meeting": "someday"}, 400)["field"] == "meeting"


def test_a_single_garden_server_has_no_group(sqlite_url: str, tmp_path: Path) -> None:
    settings = settings_for(sqlite_url, tmp_path)
    token = api_token(settings)
    with client(make_app(settings), address="127.0.0.1") as browser:
        headers = {"Authorization": f"Bearer {token}"}
        for path in ("/referrals", "/meetings", "/visitors", "/report", "/one-to-ones"):
            answer = browser.get(f"/api/v1/group{path}", headers=headers)
            assert answer.status_code == 404
            assert answer.json()["error"] == str(NotInAGroup())
        assert browser.get("/api/v1/group/report").status_code == 401  # the token comes first
        page = browser.get("/group/referrals")
        assert page.status_code == 404 and "not in a group" in page.text
