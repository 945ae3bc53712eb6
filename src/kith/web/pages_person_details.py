"""A person's contact details on their page: add and remove emails, phones and links, and
edit company, title, birthday and the private note, through `people.edit` like `kith edit`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from kith.app import people
from kith.app.garden import Garden
from kith.web import csrf
from kith.web.auth import require_login
from kith.web.deps import Id, garden
from kith.web.forms import FormError
from kith.web.pages_people import after, person_page

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(garden)]
Text = Annotated[str, Form()]
KINDS = ("email", "phone", "link")


@router.post("/people/{person_id}/details")
def details(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    company: Text = "",
    title: Text = "",
    note: Text = "",
    birthday: Text = "",
) -> Response:
    """Company, title, birthday and note as typed: a blank one clears it."""
    day = birthday.strip()
    change = people.Edit(
        company=company, title=title, note=note, birthday=day or None, clear_birthday=not day
    )
    return after(request, g, person_id, "details", lambda: people.edit(g, f"#{person_id}", change))


@router.post("/people/{person_id}/contacts/add")
def add_contacts(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    email: Text = "",
    phone: Text = "",
    link: Text = "",
) -> Response:
    typed = {kind: value.strip() for kind, value in zip(KINDS, (email, phone, link), strict=True)}
    if not any(typed.values()):
        error = FormError("contacts", "", "type an email, a phone or a link to add")
        return person_page(request, g, person_id, error=error, status=422)
    change = people.Edit(
        add_emails=_one(typed["email"]),
        add_phones=_one(typed["phone"]),
        add_links=_one(typed["link"]),
    )
    return after(request, g, person_id, "contacts", lambda: people.edit(g, f"#{person_id}", change))


@router.post("/people/{person_id}/contacts/remove")
def remove_contact(
    *, request: Request, g: GardenDep, person_id: Id, kind: Text, value: Text
) -> Response:
    if kind not in KINDS:
        error = FormError("contacts", "", f"{kind!r} is not one of email, phone, link")
        return person_page(request, g, person_id, error=error, status=422)
    change = people.Edit(
        remove_emails=_one(value) if kind == "email" else (),
        remove_phones=_one(value) if kind == "phone" else (),
        remove_links=_one(value) if kind == "link" else (),
    )
    return after(request, g, person_id, "contacts", lambda: people.edit(g, f"#{person_id}", change))


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value.strip() else ()
