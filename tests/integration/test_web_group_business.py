"""The group's business in the browser: /group/referrals, /one-to-ones, /visitors, /report.

Each member logs in to their own session; forms carry the CSRF token; a mistake comes back on
the page (422) naming its field with nothing written; another member's thing is 404. On
PostgreSQL and on Citus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY
from tests.integration._members import Group, make_group, member_log_in
from tests.integration._web import Browser, client, csrf_token, make_app, settings_for


@dataclass
class Page:
    """One member's browser, logged in."""

    browser: Browser

    def get(self, path: str, status: int = 200) -> str:
        answer = self.browser.get(path)
        assert answer.status_code == status, answer.text
        return str(answer.text)

    def post(self, path: str, form: dict[str, str], status: int = 303) -> str:
        token = csrf_token(self.browser, "/group/referrals")
        answer = self.browser.post(path, data={**form, "csrf_token": token})
        assert answer.status_code == status, answer.text
        if status == 303:
            assert answer.headers["location"].endswith("?saved=1")
        return str(answer.text)


@pytest.fixture
def group(community_db_url: str, tmp_path: Path) -> Group:
    return make_group(settings_for(community_db_url, tmp_path), "ana", "bob", "carl")


@pytest.fixture
def pages(group: Group) -> Iterator[dict[str, Page]]:
    app = make_app(group.settings)
    with ExitStack() as stack:
        found = {}
        for login, member in group.members.items():
            browser = stack.enter_context(client(app))
            assert member_log_in(browser, login, member.password) == 303
            found[login] = Page(browser)
        yield found


def _ids(html: str, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'id="{kind}-(\d+)"', html)]


def test_a_lead_passed_on_the_page_is_moved_to_won_by_its_receiver(
    pages: dict[str, Page],
) -> None:
    ana, bob, carl = pages["ana"], pages["bob"], pages["carl"]
    shown = bob.get("/group/referrals")
    assert '<option value="carl">' in shown and "Pass a lead" in shown
    bob.post("/group/referrals", {"login": "ana", "what": "Acme needs books", "value": "8000"})
    page = ana.get("/group/referrals")
    (ref,) = _ids(page, "referral")
    assert "From bob" in page and "worth 8,000.00" in page and f"status-{ref}" in page
    assert f"status-{ref}" not in bob.get("/group/referrals")  # only its receiver moves it
    assert "Acme needs books" not in carl.get("/group/referrals")
    carl.post(f"/group/referrals/{ref}/status", {"status": "contacted"}, 404)
    ana.post(f"/group/referrals/{ref}/status", {"status": "won", "value": "5250.5"})
    assert "thank-you 5,250.00" not in bob.get("/group/referrals")
    assert "thank-you 5,250.50" in bob.get("/group/referrals")
    assert f"status-{ref}" not in ana.get("/group/referrals")  # won: nothing more to move


def test_a_form_mistake_names_its_field_and_writes_nothing(pages: dict[str, Page]) -> None:
    bob = pages["bob"]
    wrong = bob.post("/group/referrals", {"login": "ana", "what": "a", "value": "lots"}, 422)
    assert 'id="refer-value-error"' in wrong and 'aria-invalid="true"' in wrong
    assert "not an amount" in wrong and 'value="lots"' in wrong  # what was typed stays
    assert "no member zed" in bob.post("/group/referrals", {"login": "zed", "what": "a"}, 422)
    assert "No referrals given or received yet" in bob.get("/group/referrals")
    bad_day = bob.post("/group/visitors", {"name": "Rita", "meeting": "someday"}, 422)
    assert 'id="invite-meeting-error"' in bad_day
    assert "No guests invited yet" in bob.get("/group/visitors")


def test_only_an_organiser_runs_a_round_and_each_member_logs_their_meeting(
    pages: dict[str, Page],
) -> None:
    ana, bob, carl = pages["ana"], pages["bob"], pages["carl"]
    assert "Run a round" in ana.get("/group/one-to-ones")
    assert "Run a round" not in bob.get("/group/one-to-ones")
    for member in (bob, carl):
        member.post("/group/one-to-ones/opt", {"choice": "in"})
        assert "You are in the pairing rounds" in member.get("/group/one-to-ones")
    refused = bob.post("/group/one-to-ones/round", {"on": ""}, 422)
    assert "only an organiser" in refused
    made = ana.post("/group/one-to-ones/round", {"on": TODAY.isoformat()}, 200)
    assert "Round #" in made and "1 meeting for 2 members" in made
    (bobs,) = _ids(bob.get("/group/one-to-ones"), "meeting")
    (carls,) = _ids(carl.get("/group/one-to-ones"), "meeting")
    ana.post(f"/group/one-to-ones/{bobs}/met", {"feedback": "x"}, 404)
    feedback = {"on": TODAY.isoformat(), "feedback": "knows Harbourside"}
    bob.post(f"/group/one-to-ones/{bobs}/met", feedback)
    assert "You confirmed; waiting for carl" in bob.get("/group/one-to-ones")
    assert "Your feedback: knows Harbourside" in bob.get("/group/one-to-ones")
    carls_page = carl.get("/group/one-to-ones")
    assert "To meet; bob confirmed" in carls_page and "Harbourside" not in carls_page
    carl.post(f"/group/one-to-ones/{carls}/no-show", {"feedback": ""})
    assert "You said no-show; bob says met" in carl.get("/group/one-to-ones")
    bob.post("/group/one-to-ones/opt", {"choice": "out"})
    assert "You are not in the pairing rounds" in bob.get("/group/one-to-ones")


def test_a_guest_is_invited_and_marked_on_the_page(pages: dict[str, Page]) -> None:
    bob, carl = pages["bob"], pages["carl"]
    bob.post("/group/visitors", {"name": "Rita Guest", "meeting": TODAY.isoformat()})
    bob.post("/group/visitors", {"name": "Sam Later", "meeting": "2026-12-24", "email": ""})
    page = bob.get("/group/visitors")
    rita, sam = sorted(_ids(page, "visitor"))
    assert "Mark them after the meeting" in page and "Rita Guest came" in page
    carl.post(f"/group/visitors/{rita}/came", {}, 404)
    bob.post(f"/group/visitors/{rita}/came", {})
    assert "status-came" in bob.get("/group/visitors")
    assert "Rita Guest" in bob.get("/people")
    assert "mark them after it" in bob.post(f"/group/visitors/{sam}/missed", {}, 422)


def _chart(html: str) -> Any:
    found = re.search(r'id="report-chart-data">(.*?)</script>', html, re.S)
    assert found, html
    return json.loads(found.group(1))


def test_the_report_page_shows_organisers_everyone_and_a_member_themself(
    pages: dict[str, Page],
) -> None:
    ana, bob = pages["ana"], pages["bob"]
    bob.post("/group/referrals", {"login": "carl", "what": "a lead"})
    bob.post("/group/referrals", {"login": "ana", "what": "another lead"})
    whole = ana.get("/group/report")
    assert "Every member&#39;s line" in whole or "Every member's line" in whole
    chart = _chart(whole)
    assert chart["labels"][0] == "bob" and chart["given"][0] == 2
    assert sorted(chart["labels"]) == ["ana", "bob", "carl"]
    assert '<th scope="row">carl</th>' in whole
    own = bob.get("/group/report")
    assert _chart(own) == {"labels": ["bob"], "given": [2], "received": [0], "left_out": 0}
    assert '<th scope="row">carl</th>' not in own and "2 referrals" in own
