"""Server-side web sessions and login throttling, on SQLite and PostgreSQL.

A logout, a password change (from `kith password`, while the server runs) and the session's
expiry each make the old cookie useless at once; wrong passwords and wrong API tokens are
made to wait, per account and per client address.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from kith.app.garden import open_garden
from kith.cli.main import app as cli
from kith.core import throttle
from kith.settings import Settings
from kith.store.tables import web_sessions
from kith.web.auth import SESSION_COOKIE
from tests.conftest import TODAY
from tests.integration._web import (
    PASSWORD,
    api_token,
    client,
    csrf_token,
    log_in,
    make_app,
    set_password,
    settings_for,
)


def _stored_hashes(settings: Settings) -> list[str]:
    opened = open_garden(settings, TODAY)
    try:
        with opened.reading() as conn:
            return list(conn.execute(select(web_sessions.c.token_hash)).scalars())
    finally:
        opened.engine.dispose()


def test_logout_ends_the_session_and_the_old_cookie_gets_the_login_page(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    set_password(settings)
    app = make_app(settings)
    with client(app) as browser:
        assert browser.get("/").status_code == 303
        assert log_in(browser) == 303
        cookie = browser.cookies[SESSION_COOKIE]
        assert browser.get("/").status_code == 200
        # only a hash is kept: a copy of the database holds no cookie that works
        assert _stored_hashes(settings) == [hashlib.sha256(cookie.encode()).hexdigest()]
        token = csrf_token(browser, "/")
        assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    with client(app) as replay:  # someone who kept the cookie
        replay.cookies.set(SESSION_COOKIE, cookie)
        again = replay.get("/")
        assert again.status_code == 303
        assert again.headers["location"] == "/login"
        assert replay.get("/people/1").status_code == 303


def test_a_password_change_from_the_cli_ends_every_session_without_a_restart(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    set_password(settings)
    app = make_app(settings)
    with client(app, "10.0.0.1") as one, client(app, "10.0.0.2") as two:
        assert log_in(one) == 303
        assert log_in(two) == 303
        assert one.get("/").status_code == 200
        assert two.get("/people").status_code == 200
        env = {"KITH_DATABASE_URL": database_url, "KITH_CONFIG": str(tmp_path / "none")}
        changed = CliRunner().invoke(
            cli, ["password"], input="a new long secret\na new long secret\n", env=env
        )
        assert changed.exit_code == 0, changed.output
        assert "2 web sessions ended" in changed.stdout
        assert one.get("/").status_code == 303
        assert two.get("/people").status_code == 303
        assert log_in(one, PASSWORD) == 401  # the old password no longer works
        assert log_in(one, "a new long secret") == 303
        assert one.get("/").status_code == 200


def test_a_password_set_while_serving_asks_for_a_login_at_once(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    app = make_app(settings)
    with client(app) as browser:
        assert browser.get("/").status_code == 200  # loopback, no password: open
        set_password(settings)
        assert browser.get("/").status_code == 303


def test_a_session_expires(database_url: str, tmp_path: Path) -> None:
    settings = settings_for(database_url, tmp_path)
    set_password(settings)
    app = make_app(settings)
    start = app.state.clock()
    app.state.clock = lambda: start
    with client(app) as browser:
        assert log_in(browser) == 303
        app.state.clock = lambda: start + app.state.session_seconds - 60
        assert browser.get("/").status_code == 200
        app.state.clock = lambda: start + app.state.session_seconds + 1
        assert browser.get("/").status_code == 303


def test_wrong_passwords_are_throttled_per_account_with_retry_after(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    set_password(settings)
    app = make_app(settings)
    now = app.state.clock()
    app.state.clock = lambda: now
    with client(app, "10.0.0.1") as attacker, client(app, "10.0.0.9") as owner:
        answers = [log_in(attacker, f"guess {n}") for n in range(throttle.FREE_FAILURES + 1)]
        assert answers == [401] * (throttle.FREE_FAILURES + 1)
        blocked = attacker.post(
            "/login", data={"password": PASSWORD, "csrf_token": csrf_token(attacker)}
        )
        assert blocked.status_code == 429  # not even the right password while it waits
        assert int(blocked.headers["retry-after"]) == throttle.FIRST_WAIT_SECONDS
        assert "try again in" in blocked.text
        assert "content-security-policy" in blocked.headers
        assert log_in(owner) == 429  # the account waits, whatever the address
        app.state.clock = lambda: now + throttle.FIRST_WAIT_SECONDS + 0.5
        assert log_in(owner) == 303
        assert owner.get("/").status_code == 200


def test_each_failure_past_the_free_ones_doubles_the_wait(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    set_password(settings)
    app = make_app(settings)
    now = [app.state.clock()]
    app.state.clock = lambda: now[0]
    waits: list[int] = []
    with client(app) as attacker:
        for n in range(40):
            form = {"password": f"guess {n}", "csrf_token": csrf_token(attacker)}
            answer = attacker.post("/login", data=form)
            if answer.status_code == 429:
                waits.append(int(answer.headers["retry-after"]))
                now[0] += waits[-1] + 0.01
            else:
                assert answer.status_code == 401
            if len(waits) == 4:
                break
    first = int(throttle.FIRST_WAIT_SECONDS)
    assert waits == [first, first * 2, first * 4, first * 8]


def test_wrong_api_tokens_are_throttled_per_client_in_the_error_shape(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path)
    token = api_token(settings)
    app = make_app(settings)
    with client(app, "10.0.0.1") as guesser, client(app, "10.0.0.2") as script:
        wrong = {"Authorization": "Bearer kith_guess"}
        for _ in range(throttle.FREE_FAILURES + 1):
            assert guesser.get("/api/v1/people", headers=wrong).status_code == 401
        refused = guesser.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 429
        assert refused.json()["error"].startswith("too many wrong API tokens")
        assert set(refused.json()) == {"error", "field"}
        assert int(refused.headers["retry-after"]) >= 1
        ok = script.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200  # another client is not held up
