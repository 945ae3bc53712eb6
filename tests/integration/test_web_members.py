"""Members of a group log in to the web app and API, each to their own garden (PostgreSQL).

The session cookie or the API token names the member; suspending them, a new password, a
logout or the session's expiry refuse the old ones at once. Logins are throttled.
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kith.app import community, member_logins
from kith.app.errors import KithError
from kith.app.garden import open_garden
from kith.web.auth import SESSION_COOKIE
from tests.conftest import TODAY, Kith
from tests.integration._members import (
    Group,
    bearer,
    make_group,
    member_log_in,
    suspend,
)
from tests.integration._web import Browser, client, csrf_token, make_app, settings_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def group(postgres_url: str, tmp_path: Path) -> Group:
    return make_group(settings_for(postgres_url, tmp_path), "ana", "bob")


@pytest.fixture
def browser(group: Group) -> Iterator[Browser]:
    with client(make_app(group.settings)) as test_client:
        yield test_client


def _add_person(browser: Browser, name: str) -> None:
    token = csrf_token(browser, "/people")
    assert browser.post("/people", data={"name": name, "csrf_token": token}).status_code == 303


def test_a_group_server_asks_every_visitor_to_log_in(browser: Browser) -> None:
    assert browser.get("/").status_code == 303
    assert browser.get("/").headers["location"] == "/login"
    assert 'name="login"' in browser.get("/login").text
    assert browser.get("/api/v1/people").status_code == 401


def test_each_member_logs_in_to_their_own_garden(group: Group, browser: Browser) -> None:
    assert member_log_in(browser, "ana", group.members["ana"].password) == 303
    _add_person(browser, "Teresa Ana-Only")
    assert "Teresa Ana-Only" in browser.get("/people").text
    with client(browser.app) as bob:  # type: ignore[arg-type]
        assert member_log_in(bob, "bob", group.members["bob"].password) == 303
        assert "Teresa Ana-Only" not in bob.get("/people").text
        assert "Teresa Ana-Only" not in bob.get("/").text
        names = [
            p["name"]
            for p in bob.get("/api/v1/people", headers=bearer(group.members["bob"])).json()
        ]
        assert "Teresa Ana-Only" not in names
    ana_api = browser.get("/api/v1/people", headers=bearer(group.members["ana"])).json()
    assert "Teresa Ana-Only" in [p["name"] for p in ana_api]


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(
    group: Group, browser: Browser
) -> None:
    csrf = csrf_token(browser)
    unknown = browser.post(
        "/login", data={"login": "zed", "password": "whatever it is", "csrf_token": csrf}
    )
    wrong = browser.post(
        "/login", data={"login": "ana", "password": "whatever it is", "csrf_token": csrf}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong login or password." in unknown.text
    assert unknown.text == wrong.text
    assert SESSION_COOKIE not in browser.cookies


def test_an_unknown_login_costs_an_argon2_check_as_a_real_one_does(group: Group) -> None:
    # The stand-in hash has the parameters of every member's hash: the same work.
    assert member_logins.STAND_IN_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    server = open_garden(group.settings, TODAY)
    try:
        assert member_logins.check_login(server, "zed", "x" * 12).account_id is None
        assert (
            member_logins.check_login(server, "ANA ", group.members["ana"].password).account_id
            == group.members["ana"].account_id
        )
        assert member_logins.check_login(server, "../etc", "x").account_id is None
    finally:
        server.engine.dispose()


def _logged_in(group: Group, browser: Browser, login: str) -> Browser:
    assert member_log_in(browser, login, group.members[login].password) == 303
    assert browser.get("/").status_code == 200
    return browser


def test_a_suspended_member_is_refused_at_login_and_their_session_and_token_at_once(
    group: Group, browser: Browser
) -> None:
    _logged_in(group, browser, "bob")
    bob = group.members["bob"]
    assert browser.get("/api/v1/people", headers=bearer(bob)).status_code == 200
    suspend(group.settings, "ana", "bob")
    assert browser.get("/").headers["location"] == "/login"
    assert browser.get("/api/v1/people", headers=bearer(bob)).status_code == 401
    with client(browser.app) as again:  # type: ignore[arg-type]
        assert member_log_in(again, "bob", bob.password) == 401
        assert member_log_in(again, "bob", "a wrong password") == 401
    suspend(group.settings, "ana", "bob", suspended=False)
    assert browser.get("/api/v1/people", headers=bearer(bob)).status_code == 200


def test_logout_ends_the_members_session(group: Group, browser: Browser) -> None:
    _logged_in(group, browser, "ana")
    cookie = browser.cookies[SESSION_COOKIE]
    token = csrf_token(browser, "/")
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    with client(browser.app) as replay:  # type: ignore[arg-type]
        replay.cookies.set(SESSION_COOKIE, cookie)
        assert replay.get("/").status_code == 303


def test_a_session_expires(group: Group, browser: Browser) -> None:
    _logged_in(group, browser, "ana")
    started = browser.app.state.clock()  # type: ignore[attr-defined]
    later = started + browser.app.state.session_seconds + 1  # type: ignore[attr-defined]
    browser.app.state.clock = lambda: later  # type: ignore[attr-defined]
    assert browser.get("/").headers["location"] == "/login"


def test_a_new_password_ends_every_session_of_that_member_only(
    group: Group, browser: Browser
) -> None:
    _logged_in(group, browser, "ana")
    with client(browser.app) as other, client(browser.app) as bob:  # type: ignore[arg-type]
        _logged_in(group, other, "ana")
        _logged_in(group, bob, "bob")
        token = csrf_token(browser, "/account")
        wrong = {"current": "not my password", "new": "a new long passphrase", "csrf_token": token}
        assert browser.post("/account/password", data=wrong).status_code == 401
        short = {"current": group.members["ana"].password, "new": "short", "csrf_token": token}
        assert browser.post("/account/password", data=short).status_code == 422
        form = {**short, "new": "a new long passphrase"}
        assert browser.post("/account/password", data=form).status_code == 303
        assert browser.get("/").status_code == 303
        assert other.get("/").status_code == 303  # every session of Ana's
        assert bob.get("/").status_code == 200  # not Bob's
        assert member_log_in(other, "ana", group.members["ana"].password) == 401
        assert member_log_in(other, "ana", "a new long passphrase") == 303


def test_a_member_makes_a_new_token_on_their_account_page(group: Group, browser: Browser) -> None:
    _logged_in(group, browser, "bob")
    old = group.members["bob"]
    token = csrf_token(browser, "/account")
    page = browser.post("/account/token", data={"csrf_token": token})
    found = re.search(r'<code id="new-token">([^<]+)</code>', page.text)
    assert found
    assert browser.get("/api/v1/people", headers=bearer(old)).status_code == 401
    new = {"Authorization": f"Bearer {found.group(1)}"}
    assert browser.get("/api/v1/me", headers=new).status_code == 200
    # Ana's token still works, and is still hers
    assert browser.get("/api/v1/me", headers=bearer(group.members["ana"])).status_code == 200


def test_wrong_logins_are_throttled_per_login_and_per_address(
    group: Group, browser: Browser
) -> None:
    answers = [member_log_in(browser, "ana", f"wrong guess {n}") for n in range(8)]
    assert answers[0] == 401
    assert answers[-1] == 429
    # even the right password waits now
    assert member_log_in(browser, "ana", group.members["ana"].password) == 429
    with client(browser.app, address="10.0.0.2") as elsewhere:  # type: ignore[arg-type]
        assert member_log_in(elsewhere, "bob", group.members["bob"].password) == 303
        assert member_log_in(elsewhere, "ana", group.members["ana"].password) == 429


def test_a_single_garden_server_has_no_account_page(sqlite_url: str, tmp_path: Path) -> None:
    with client(make_app(settings_for(sqlite_url, tmp_path))) as browser:
        assert browser.get("/account").status_code == 404
        assert 'name="login"' not in browser.get("/login").text


def test_kith_as_a_member_serve_serves_that_members_garden_alone(group: Group) -> None:
    from dataclasses import replace

    settings = replace(group.settings, account="bob")
    with client(make_app(settings)) as browser:
        assert browser.app.state.group is False  # type: ignore[attr-defined]
        assert browser.get("/api/v1/me", headers=bearer(group.members["bob"])).status_code == 200
        assert browser.get("/api/v1/me", headers=bearer(group.members["ana"])).status_code == 401


def test_passwords_are_never_logged(
    group: Group, browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, at its most talkative
    ana = group.members["ana"]
    attempts = [
        ("ana", "a wrong passphrase 1"),
        ("nobody", "an unknown's passphrase"),
        ("ana", ana.password),
    ]
    for login, password in attempts:
        member_log_in(browser, login, password)
    token = csrf_token(browser, "/account")
    form = {"current": ana.password, "new": "the newest passphrase", "csrf_token": token}
    assert browser.post("/account/password", data=form).status_code == 303
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records  # something was logged (the database's chatter at least)
    for _, password in [*attempts, ("", "the newest passphrase")]:
        assert password not in logged


def test_an_invitation_joins_one_member_who_then_logs_in_and_cannot_be_used_again(
    group: Group, browser: Browser
) -> None:
    settings = group.settings
    ana = community.open_member_garden(settings, TODAY, "ana")
    try:
        code = community.invite(ana).code
    finally:
        ana.engine.dispose()
    server = community.open_server(settings, TODAY)
    try:
        community.join(server, code, "dora", "dora's long passphrase")
        with pytest.raises(KithError, match="already been used"):
            community.join(server, code, "eve", "eve's long passphrase")
    finally:
        server.engine.dispose()
    assert member_log_in(browser, "dora", "dora's long passphrase") == 303
    with client(browser.app) as eve:  # type: ignore[arg-type]
        assert member_log_in(eve, "eve", "eve's long passphrase") == 401


def test_a_members_token_from_the_cli_opens_their_garden_on_the_group_server(
    group: Group, browser: Browser, postgres_url: str, tmp_path: Path
) -> None:
    kith = Kith(postgres_url, tmp_path)
    kith.ok("--as", "bob", "seed", "Rui Costa")
    token = kith.ok("--as", "bob", "token", "--rotate").stdout.strip()
    assert token.startswith("kith_")
    mine = {"Authorization": f"Bearer {token}"}
    assert [p["name"] for p in browser.get("/api/v1/people", headers=mine).json()] == ["Rui Costa"]
    ana = browser.get("/api/v1/people", headers=bearer(group.members["ana"])).json()
    assert "Rui Costa" not in [p["name"] for p in ana]


def test_an_unknown_login_takes_as_long_to_refuse_as_a_wrong_password(group: Group) -> None:
    server = open_garden(group.settings, TODAY)

    def median_seconds(login: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert member_logins.check_login(server, login, "a wrong passphrase").account_id is None
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    try:
        median_seconds("ana")  # warm the connection pool
        known, unknown = median_seconds("ana"), median_seconds("nobody-here")
    finally:
        server.engine.dispose()
    # argon2 is the cost of both; without the stand-in hash an unknown login took ~1 ms
    assert 0.5 < unknown / known < 2, (known, unknown)
