"""The group in the web app: its JSON API and its pages, for a logged-in member.

On PostgreSQL and Citus (`community_db_url`); a single SQLite garden answers "not in a group".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration._group_web import Lisbon, lisbon
from tests.integration._web import api_token, client, make_app, settings_for


@pytest.fixture
def world(community_db_url: str, tmp_path: Path) -> Iterator[Lisbon]:
    with lisbon(community_db_url, tmp_path) as made:
        yield made


def test_a_member_publishes_a_field_and_the_directory_finds_them_by_it(world: Lisbon) -> None:
    world.ok("ana", "PATCH", "/me", json={"offers": ["UX design"], "interests": ["climbing"]})
    mine = world.ok("ana", "GET", "/group/profile")
    assert mine["profile"]["published"] == [] and "offers" in mine["hidden"]
    assert world.ok("bob", "GET", "/group/directory?offer=UX design")["members"] == []
    changed = world.ok("ana", "PUT", "/group/profile", json={"publish": ["offers"]})
    assert changed["profile"]["offers"] == ["UX design"] and changed["profile"]["published"] == [
        "offers"
    ]
    assert world.ok("ana", "GET", "/group/profile") == changed
    (found,) = world.ok("bob", "GET", "/group/directory?offer=ux design")["members"]
    assert found["login"] == "ana" and found["interests"] == []  # interests stay hidden
    everyone = world.ok("bob", "GET", "/group/directory")["members"]
    assert sorted(m["login"] for m in everyone) == ["ana", "bob", "carl"]


def test_bad_profile_fields_are_refused_naming_the_field_and_nothing_changes(
    world: Lisbon,
) -> None:
    answer = world.call("ana", "PUT", "/group/profile", json={"publish": ["salary"]})
    assert answer.status_code == 400 and answer.json()["field"] == "publish"
    answer = world.call("ana", "PUT", "/group/profile", json={"hide": ["name"]})
    assert answer.status_code == 400 and answer.json()["field"] == "hide"
    assert world.ok("ana", "GET", "/group/profile")["profile"]["published"] == []


def test_a_shared_contact_is_seen_taken_and_withdrawn_everywhere_at_once(world: Lisbon) -> None:
    (maya,) = world.ok("ana", "GET", "/group/shared")["contacts"]
    assert maya["name"] == "Maya Okafor" and maya["sharer"] == "carl"
    assert maya["emails"] == ["maya@example.org"]  # she consented
    taken = world.call("ana", "POST", f"/group/shared/{maya['id']}/take")
    assert taken.status_code == 201, taken.text
    assert taken.json()["met"] == "shared in the group by carl"
    shown = world.ok("ana", "GET", f"/people/{taken.json()['id']}")
    assert shown["stage"] == "seed"
    (mine,) = world.ok("carl", "GET", "/group/shares")["shares"]
    assert mine["name"] == "Maya Okafor" and mine["with_login"] is None
    assert world.call("bob", "DELETE", f"/group/shares/{mine['person_id']}").status_code == 404
    gone = world.ok("carl", "DELETE", f"/group/shares/{mine['person_id']}")
    assert gone == {"person": f"#{mine['person_id']}", "withdrawn": 1}
    assert world.ok("ana", "GET", "/group/shared") == {"contacts": []}
    assert world.ok("carl", "GET", "/group/shares") == {"shares": []}
    assert world.call("ana", "POST", f"/group/shared/{maya['id']}/take").status_code == 404


def test_sharing_refuses_someone_the_sharer_cannot_vouch_for(world: Lisbon) -> None:
    seed = world.ok("ana", "POST", "/people", json={"name": "Nina Newcomer"})
    answer = world.call("ana", "POST", "/group/shares", json={"people": [f"#{seed['id']}"]})
    assert answer.status_code == 400 and "Nina Newcomer cannot be shared" in answer.json()["error"]
    answer = world.call("ana", "POST", "/group/shares", json={"people": ["#1"], "with_login": "x"})
    assert answer.status_code == 404
    assert world.ok("ana", "GET", "/group/shares") == {"shares": []}


def test_a_warm_path_and_an_intro_request_travel_with_consent_at_every_hop(
    world: Lisbon,
) -> None:
    found = world.ok("ana", "GET", "/group/paths?target=offers:fundraising")
    best = found["paths"][0]
    assert best["through"] == ["ana", "bob", "carl", "Maya Okafor"]
    assert [h["words"].split(":")[0] for h in best["hops"]] == [
        "ana knows bob",
        "bob knows carl",
        "carl knows Maya Okafor",
    ]
    body = {"target": "offers:fundraising", "reason": "advice on a seed round"}
    made = world.call("ana", "POST", "/group/requests", json=body)
    assert made.status_code == 201, made.text
    number = made.json()["id"]
    assert made.json()["status"] == "open"
    early = world.call("carl", "POST", f"/group/requests/{number}/answer", json={"answer": "yes"})
    assert early.status_code == 404  # not yet waiting on carl
    (asked,) = world.ok("bob", "GET", "/group/requests")["asked"]
    assert asked["id"] == number and asked["reason"] == "advice on a seed round"
    bad = world.call("bob", "POST", f"/group/requests/{number}/answer", json={"answer": "maybe"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "answer"]
    yes = {"answer": "yes", "note": "ana is great"}
    done = world.ok("bob", "POST", f"/group/requests/{number}/answer", json=yes)
    assert done["forwarded_to"] == "carl" and done["made"] is False
    mine = world.ok("ana", "GET", "/group/requests")["mine"]
    assert mine[0]["details"] is None  # nothing revealed before the last yes
    done = world.ok("carl", "POST", f"/group/requests/{number}/answer", json={"answer": "yes"})
    assert done["made"] is True
    (mine,) = world.ok("ana", "GET", "/group/requests")["mine"]
    assert mine["status"] == "made" and mine["details"]["emails"] == ["maya@example.org"]
    again = world.call("carl", "POST", f"/group/requests/{number}/answer", json={"answer": "no"})
    assert again.status_code == 404


def test_no_path_is_an_honest_answer_and_a_missing_target_is_refused(world: Lisbon) -> None:
    nobody = world.ok("ana", "GET", "/group/paths?target=at:Acme")
    assert nobody["paths"] == [] and nobody["no_path"]["words"].startswith("Nobody")
    assert world.call("ana", "GET", "/group/paths").status_code == 422
    refused = world.call(
        "ana", "POST", "/group/requests", json={"target": "at:Acme", "reason": "x"}
    )
    assert refused.status_code in (400, 404) and refused.json()["error"]


def _form(world: Lisbon, login: str, page: str, action: str) -> dict[str, str]:
    """The CSRF token of the form posting to `action` on `page`: each form carries its own."""
    html = world.browsers[login].get(page).text
    found = re.search(
        rf'<form method="post" action="{re.escape(action)}"[^>]*>\s*'
        r'<input type="hidden" name="csrf_token" value="([0-9a-f]+)">',
        html,
    )
    assert found, f"no form to {action} with a CSRF token on {page}"
    return {"csrf_token": found.group(1)}


def test_the_group_pages_show_the_directory_shares_paths_and_the_inbox(world: Lisbon) -> None:
    ana = world.browsers["ana"]
    hub = ana.get("/group")
    assert hub.status_code == 200
    assert re.search(r'<a href="/group" aria-current="page">Group</a>', hub.text)
    for link in ("/group/shared", "/group/paths", "/group/requests", "/group/referrals"):
        assert f'href="{link}"' in hub.text
    assert "Publish offers" in hub.text
    form = _form(world, "ana", "/group", "/group/profile") | {
        "field": "offers",
        "action": "publish",
    }
    assert ana.post("/group/profile", data=form).status_code == 303
    assert "Hide offers" in ana.get("/group").text
    bad = ana.post("/group/profile", data=form | {"field": "salary"})
    assert bad.status_code == 422 and "salary" in bad.text

    shared = ana.get("/group/shared").text
    assert "Maya Okafor" in shared and "Known to carl" in shared
    (share_id,) = re.findall(r'action="/group/shared/(\d+)/take"', shared)
    taken = ana.post(
        f"/group/shared/{share_id}/take",
        data=_form(world, "ana", "/group/shared", f"/group/shared/{share_id}/take"),
    )
    assert taken.status_code == 303 and taken.headers["location"].startswith("/people/")

    paths = ana.get("/group/paths?target=offers:fundraising").text
    assert "bob knows carl" in paths and "Request an intro" in paths
    here = "/group/paths?target=offers:fundraising"
    request = _form(world, "ana", here, "/group/requests") | {
        "target": "offers:fundraising",
        "reason": "advice on a seed round",
    }
    sent = ana.post("/group/requests", data=request)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/group/requests?sent=")
    assert "advice on a seed round" in ana.get(sent.headers["location"]).text
    assert "lies" not in ana.get("/group/requests?sent=lies").text  # only a number is echoed

    bob = world.browsers["bob"]
    inbox = bob.get("/group/requests").text
    (number,) = re.findall(r'action="/group/requests/(\d+)/answer"', inbox)
    answer = _form(world, "bob", "/group/requests", f"/group/requests/{number}/answer") | {
        "answer": "yes",
        "note": "glad to",
    }
    done = bob.post(f"/group/requests/{number}/answer", data=answer)
    assert done.status_code == 200 and "forwarded to carl" in done.text
    assert "glad to" in world.browsers["carl"].get("/group/requests").text
    again = bob.post(f"/group/requests/{number}/answer", data=answer)
    assert again.status_code == 404


def test_a_page_share_and_withdraw_and_a_form_mistake_shows_next_to_the_form(
    world: Lisbon,
) -> None:
    carl = world.browsers["carl"]
    page = carl.get("/group/shared").text
    assert "Maya Okafor" in page and "Withdraw Maya Okafor" in page
    (person,) = re.findall(r'action="/group/shares/(\d+)/withdraw"', page)
    done = carl.post(
        f"/group/shares/{person}/withdraw",
        data=_form(world, "carl", "/group/shared", f"/group/shares/{person}/withdraw"),
    )
    assert done.status_code == 303
    assert "You share nobody yet" in carl.get("/group/shared").text
    again = _form(world, "carl", "/group/shared", "/group/shares") | {
        "person": f"#{person}",
        "with_login": "ana",
    }
    assert carl.post("/group/shares", data=again).status_code == 303
    assert "with ana" in carl.get("/group/shared").text
    maya_page = f"/people/{person}"
    assert "Share Maya Okafor" in carl.get(maya_page).text  # the person page offers it too
    from_page = _form(world, "carl", maya_page, "/group/shares") | {"person": f"#{person}"}
    assert carl.post("/group/shares", data=from_page).status_code == 303
    wrong = _form(world, "carl", "/group/shared", "/group/shares") | {"person": "Nobody Atall"}
    answer = carl.post("/group/shares", data=wrong)
    assert answer.status_code == 422 and "Nobody Atall" in answer.text


def test_outside_a_group_the_group_pages_and_api_say_not_in_a_group(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path)
    token = api_token(settings)
    with client(make_app(settings), address="127.0.0.1") as browser:
        page = browser.get("/group/paths")
        assert page.status_code == 404 and "not in a group" in page.text
        assert 'href="/group"' not in browser.get("/").text  # no Group in the nav
        api = browser.get("/api/v1/group/directory", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 404 and api.json()["error"].startswith("not in a group")
