"""The isolation matrix: member A, by session and by token, on every route against B's things.

Generated from the app's own routes, so a new route is covered as soon as it exists (and
fails here until its path parameters have a recipe). For every route and method, Ana's
session and Ana's API token aim at each thing Bob owns (a person, an interaction, an
exchange, an ask, an intro, a share, a referral, his upload) and at an id no one has:
- nothing of Bob's is ever in the answer (his names and notes carry marker words);
- nothing of Bob's changes (every row he owns, read before and after);
- an answer about something not hers is 404 (or 401 without a login, 422 for malformed
  input), never 403 (which would say it exists) and never 500.
Routes without an id act on Ana's own garden: the same checks, but any answer but 403/500.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, UploadFile
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route

from kith.app import credentials, member_logins
from kith.web.auth import SESSION_COOKIE, now
from tests.integration._isolation import (
    MARKERS,
    UNUSED_ID,
    Secrets,
    number_others_from,
    plant_bobs_garden,
    rows_of,
)
from tests.integration._members import Group, Member, bearer, make_group, member_log_in
from tests.integration._web import Browser, client, csrf_token, make_app, settings_for

pytestmark = pytest.mark.postgres

# each gets every id of Bob's, and none (share_id on: the group's ids)
ID_PARAMS = (
    "person_id",
    "intro_id",
    "upload_id",
    "share_id",
    "request_id",
    "referral_id",
    "meeting_id",
    "visitor_id",
)
VALUE_PARAMS = {"kind": "vcard", "name": "company", "kinds": "emails"}  # not ids: one value
REFUSED = {401, 404, 422}
FORM_VALUES = {
    "login": "ana",
    "size": "small",
    "outcome": "yes",
    "step": "asked-a",
    "by": "me",
    "on": "",
    "birthday": "",
    "weight": "1",
    "back": "/people",
    "action": "tag",
    "tag_kind": "interest",
    "gesture": "message",
    "answer": "yes",
    "status": "contacted",  # a referral's next step: the request reaches the look-up
}
PERSON_REFERENCES = ("a", "b", "via", "other", "person")  # a name, an email or #ID
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mallory Upload\r\nEND:VCARD\r\n"


@dataclass
class Ana:
    """Ana's two ways in, refreshed when a route (logout, a new token) spends one."""

    member: Member
    browser: Browser  # her session cookie (and the CSRF cookie)
    api: Browser  # no cookies of hers: only her token

    def refresh(self, app: FastAPI) -> None:
        if self.browser.get("/account").status_code != 200:
            state = app.state
            token = member_logins.start_session(
                state.garden, self.member.account_id, now_of(app), state.session_seconds
            )
            self.browser.cookies.set(SESSION_COOKIE, token)
        if self.api.get("/api/v1/me", headers=bearer(self.member)).status_code != 200:
            mine = member_logins.as_member(app.state.garden, self.member.account_id)
            self.member = replace(self.member, token=credentials.rotate_token(mine))


def now_of(app: FastAPI) -> Any:
    class _Request:  # auth.now reads only request.app.state.clock
        pass

    request = _Request()
    request.app = app  # type: ignore[attr-defined]
    return now(request)  # type: ignore[arg-type]


@pytest.fixture
def world(postgres_url: str, tmp_path: Path) -> Iterator[tuple[FastAPI, Group, Secrets, Ana]]:
    group = make_group(settings_for(postgres_url, tmp_path), "ana", "bob", "carl")
    app = make_app(group.settings)
    with client(app) as bob_browser, client(app) as ana_browser, client(app) as ana_api:
        secrets = plant_bobs_garden(group.settings, bob_browser, group.members["bob"])
        assert member_log_in(bob_browser, "bob", group.members["bob"].password) == 303
        csrf = csrf_token(bob_browser, "/import")
        upload = bob_browser.post(
            "/import",
            files={"file": ("bob.vcf", VCARD.replace(b"Mallory", b"Bobhidden"))},
            data={"kind": "vcard", "csrf_token": csrf},
        )
        found = re.search(r'action="/import/([^"]+)"', upload.text)
        assert found, upload.text
        secrets = replace(secrets, upload_id=found.group(1))
        number_others_from(group.settings, 1_000_000)
        assert member_log_in(ana_browser, "ana", group.members["ana"].password) == 303
        ana_api.cookies.clear()
        yield app, group, secrets, Ana(group.members["ana"], ana_browser, ana_api)


def _routes(app: FastAPI) -> list[tuple[str, str, Route]]:
    """Every (method, path, route) the app answers, static files aside."""
    found = []
    for route in _flat(app.routes):
        if isinstance(route, Mount):
            assert route.path == "/static", route.path  # a new mount needs its own thought
            continue
        assert isinstance(route, Route), route
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append((method, route.path, route))
    assert len(found) > 70
    return found


def _flat(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """The app's routes with each included router's own (FastAPI keeps them nested)."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is None:
            yield route
        else:
            yield from (context.original_route for context in contexts())


def _path_choices(path: str, secrets: Secrets) -> list[dict[str, str]]:
    """Every filling of the path's parameters; fails for a parameter with no recipe."""
    params = re.findall(r"\{(\w+)\}", path)
    missing = [p for p in params if p not in ID_PARAMS and p not in VALUE_PARAMS]
    assert not missing, f"{path}: no recipe for {missing}: add one to the isolation matrix"
    options = []
    for param in params:
        if param == "upload_id":
            options.append([secrets.upload_id, "no-such-upload"])
        elif param in ID_PARAMS:
            options.append([str(i) for i in secrets.every_id()])
        else:
            options.append([VALUE_PARAMS[param]])
    return [dict(zip(params, chosen, strict=True)) for chosen in itertools.product(*options)]


def _json_body(app: FastAPI, method: str, path: str, bobs_person: int) -> dict[str, Any] | None:
    """The route's own documented example, its ids aimed at Bob's person."""
    operation = app.openapi()["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = content["application/json"]["schema"]
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    declared = app.openapi()["components"]["schemas"].get(name, schema)
    example = dict((declared.get("examples") or [{}])[0])
    for key in declared.get("properties", {}):
        if key.endswith("_id"):
            example[key] = bobs_person
    return example


def _form(route: Route, bobs_person: int, csrf: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Form fields that pass validation, their references aimed at Bob's person, and files.

    A field's type gives its value (a number, a flag), its name a plausible one, so the
    request reaches the look-up of Bob's things rather than stopping at a malformed form.
    """
    data: dict[str, Any] = {"csrf_token": csrf}
    files: dict[str, Any] = {}
    if not isinstance(route, APIRoute):
        return data, files
    for field in route.dependant.body_params:
        kind = field.field_info.annotation
        if kind is UploadFile:
            files[field.name] = ("x.vcf", VCARD)
        elif field.name in ("ids",):
            data[field.name] = [str(bobs_person)]
        elif field.name in PERSON_REFERENCES:
            data[field.name] = f"#{bobs_person}"
        elif kind is int:
            data[field.name] = "7"
        elif kind is bool:
            data[field.name] = "false"
        else:
            data[field.name] = _plausible(route.path, field.name)
    return data, files


def _plausible(path: str, name: str) -> str:
    if name == "kind":
        for part, value in (("import", "vcard"), ("contacts", "email"), ("give", "advice")):
            if part in path:
                return value
        return "meeting" if "log" in path else "advice" if "receive" in path else "meeting"
    return FORM_VALUES.get(name, "Mallory x")


def _query(route: Route) -> str:
    """The route's yes/no query flags set: a confirmation must not stand before the lookup."""
    if not isinstance(route, APIRoute):
        return ""
    flags = [q.name for q in route.dependant.query_params if q.field_info.annotation is bool]
    return "?" + "&".join(f"{flag}=true" for flag in flags) if flags else ""


def _leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace").lower()
    return [marker for marker in MARKERS if marker in text]


def test_member_a_can_neither_read_nor_change_anything_of_member_b(
    world: tuple[FastAPI, Group, Secrets, Ana],
) -> None:
    app, group, secrets, ana = world
    bob = group.members["bob"]
    bobs_person = secrets.ids["person"]
    before = rows_of(group.settings, bob.account_id)
    problems: list[str] = []
    tried = 0
    for method, path, route in _routes(app):
        choices = _path_choices(path, secrets)
        aimed = bool(re.search(r"\{(\w+)\}", path)) and any(p in path for p in ID_PARAMS)
        for filling, (how, who) in itertools.product(
            choices, [("session", ana.browser), ("token", ana.api)]
        ):
            url = path.format(**filling) + _query(route)
            headers = bearer(ana.member) if how == "token" else {}
            # each client's own valid CSRF token: a refusal must come from the ownership
            # check, not from a forged form
            csrf = csrf_token(who, "/account" if how == "session" else "/login")
            headers["X-CSRF-Token"] = csrf
            body = _json_body(app, method, path, bobs_person)
            data, files = _form(route, bobs_person, csrf)
            if method == "GET":
                answer = who.get(url, headers=headers)
            elif body is not None:
                answer = who.request(method, url, json=body, headers=headers)
            else:
                answer = who.request(method, url, data=data, files=files or None, headers=headers)
            tried += 1
            status = answer.status_code
            where = f"{method} {url} by {how}: {status}"
            if status in (403, 500):
                problems.append(f"{where} (never 403 or 500)")
            elif aimed and not (
                status in REFUSED or (status == 303 and answer.headers.get("location") == "/login")
            ):
                problems.append(f"{where} (Bob's or no one's: 404, 401 or 422)")
            if leaked := _leaks(answer.content):
                problems.append(f"{where} shows Bob's {leaked}")
            ana.refresh(app)
        after = rows_of(group.settings, bob.account_id)
        if after != before:
            changed = [name for name in before if before[name] != after[name]]
            problems.append(f"{method} {path} changed Bob's rows in {changed}")
            before = after
    assert not problems, "\n".join(problems)
    # the same routes did work on Ana's own garden: she seeded people of her own
    people = ana.api.get("/api/v1/people", headers=bearer(ana.member)).json()
    assert people and all(p["id"] > 1_000_000 for p in people)
    assert tried > 300  # every route, both ways in, each of Bob's ids
    assert UNUSED_ID in secrets.every_id()
