"""A group server with two members, Ana (organiser) and Bob, for the web's member tests.

Each member has their own garden, API token and password; the app is served in-process
(`_web.client`) as `kith serve` serves a group: every member logs in to their own garden.
"""

from __future__ import annotations

from dataclasses import dataclass

from kith.app import community, credentials
from kith.settings import Settings
from tests.conftest import TODAY
from tests.integration._web import Browser, csrf_token

PASSWORDS = {login: f"{login}'s long passphrase" for login in ("ana", "bob", "carl")}


@dataclass(frozen=True)
class Member:
    login: str
    password: str
    account_id: int
    token: str


@dataclass(frozen=True)
class Group:
    settings: Settings
    members: dict[str, Member]


def make_group(settings: Settings, *logins: str) -> Group:
    """The group with `logins` as members (the first its organiser), each with a token."""
    server = community.open_server(settings, TODAY)
    try:
        first, *others = logins
        community.create_group(server, "Lisbon Founders", first, PASSWORDS[first])
        for login in others:
            organiser = community.open_member_garden(settings, TODAY, first)
            try:
                code = community.invite(organiser).code
            finally:
                organiser.engine.dispose()
            community.join(server, code, login, PASSWORDS[login])
    finally:
        server.engine.dispose()
    return Group(settings, {login: _member(settings, login) for login in logins})


def _member(settings: Settings, login: str) -> Member:
    opened = community.open_member_garden(settings, TODAY, login)
    try:
        token = credentials.rotate_token(opened)
        return Member(login, PASSWORDS[login], opened.account_id, token)
    finally:
        opened.engine.dispose()


def suspend(settings: Settings, organiser: str, who: str, *, suspended: bool = True) -> None:
    opened = community.open_member_garden(settings, TODAY, organiser)
    try:
        community.suspend(opened, who, suspended=suspended)
    finally:
        opened.engine.dispose()


def member_log_in(client: Browser, login: str, password: str) -> int:
    """Post the login form as a member; the status it answered."""
    token = csrf_token(client)
    form = {"login": login, "password": password, "csrf_token": token}
    return int(client.post("/login", data=form).status_code)


def bearer(member: Member) -> dict[str, str]:
    return {"Authorization": f"Bearer {member.token}"}
