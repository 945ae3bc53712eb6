"""A group with warm ties, served in-process, for the group's pages and API.

Ana knows Bob (trusted), Bob knows Carl (trusted), Carl knows Maya Okafor (trusted, offers
fundraising advice, consented to her details being shared) and shares her with the group.
Members are known in gardens by their own addresses (`kith me --email`). Everything is
planted through the API with each member's token, as a client of the server would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from kith.app import community, my_addresses
from tests.conftest import TODAY
from tests.integration._members import Group, Member, bearer, make_group, member_log_in
from tests.integration._web import Browser, client, make_app, settings_for

HISTORY = ((300, "me"), (260, "them"), (200, "me"), (150, "them"), (90, "me"), (40, "them"))


@dataclass
class Lisbon:
    app: FastAPI
    group: Group
    browsers: dict[str, Browser]  # each member's logged-in browser
    api: Browser  # no cookies: requests carry a member's token

    def call(self, login: str, method: str, path: str, **kwargs: Any) -> Any:
        """The API as `login`: the answer (its status checked by the caller)."""
        headers = bearer(self.group.members[login])
        return self.api.request(method, f"/api/v1{path}", headers=headers, **kwargs)

    def ok(self, login: str, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(login, method, path, **kwargs)
        assert answer.status_code in (200, 201), (path, answer.text)
        return answer.json()

    def member(self, login: str) -> Member:
        return self.group.members[login]


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def plant_trusted(world: Lisbon, login: str, name: str, email: str, **more: Any) -> int:
    """Months of two-way contact and help both ways: a trusted tie in `login`'s garden."""
    person = {"name": name, "met": "PyCon", "on": _ago(300), "emails": [email], **more}
    made = world.ok(login, "POST", "/people", json=person)["id"]
    for days, by in (*HISTORY, (10, "me")):
        meeting = {"kind": "meeting", "on": _ago(days), "by": by}
        world.ok(login, "POST", f"/people/{made}/interactions", json=meeting)
    given = {"what": "reviewed the hiring plan", "kind": "advice", "weight": 3, "on": _ago(250)}
    world.ok(login, "POST", f"/people/{made}/given", json=given)
    back = {"what": "critique of my mock-ups", "kind": "advice", "weight": 2, "on": _ago(120)}
    world.ok(login, "POST", f"/people/{made}/received", json=back)
    return int(made)


@contextmanager
def lisbon(database_url: str, tmp_path: Path) -> Iterator[Lisbon]:
    group = make_group(settings_for(database_url, tmp_path), "ana", "bob", "carl")
    for login in group.members:  # members are known by their own addresses
        opened = community.open_member_garden(group.settings, TODAY, login)
        try:
            my_addresses.my_addresses(opened, [f"{login}@example.org"])
        finally:
            opened.engine.dispose()
    app = make_app(group.settings)
    with ExitStack() as stack:
        browsers = {login: stack.enter_context(client(app)) for login in group.members}
        world = Lisbon(app, group, browsers, stack.enter_context(client(app)))
        plant_trusted(world, "ana", "Bob Member", "bob@example.org")
        plant_trusted(world, "bob", "Carl Member", "carl@example.org")
        maya = plant_trusted(
            world, "carl", "Maya Okafor", "maya@example.org", offers=["fundraising advice"]
        )
        world.ok("carl", "PATCH", f"/people/{maya}", json={"consent_share": True})
        world.ok("carl", "POST", "/group/shares", json={"people": [f"#{maya}"]})
        for login, browser in browsers.items():
            assert member_log_in(browser, login, group.members[login].password) == 303
        yield world
