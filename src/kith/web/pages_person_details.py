"""A person's contact details on their page, each editable in place: with htmx the details
card is swapped for one field's small form and back; without JS the same links and forms work
as plain page loads and posts (`?edit=FIELD`, then a redirect). Changes go through
`people.edit` and `people.set_contacts`, as `kith edit` does."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import people
from kith.app.garden import Garden
from kith.web import csrf
from kith.web.auth import require_login
from kith.web.deps import Id, garden, render
from kith.web.forms import FormError, attempt
from kith.web.pages_people import after, person_page, profile

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(garden)]
Text = Annotated[str, Form()]
KINDS = people.CONTACT_KINDS
# The fields edited one at a time in place, and the list fields (one input per value).
FIELDS = ("company", "title", "met", "birthday", "note")
LISTS = {"emails": "email", "phones": "phone", "links": "link"}


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


def _details(
    request: Request,
    g: Garden,
    person_id: int,
    *,
    editing: str = "",
    error: FormError | None = None,
    typed: object = None,
    status: int = 200,
    note: str = "",
) -> Response:
    """The details card alone (for htmx), or the whole page with it (without JS)."""
    context = {"editing": editing, "typed": typed, "note": note}
    if request.headers.get("hx-request"):
        context |= {"p": profile(request, g, person_id), "error": error}
        return render(request, "_person_details.html", context, status)
    return person_page(request, g, person_id, error=error, status=status, extra=context)


@router.get("/people/{person_id}/details")
def details_card(request: Request, g: GardenDep, person_id: Id, edit: str = "") -> Response:
    """The details card, with one field open for editing when `edit` names it."""
    return _details(request, g, person_id, editing=edit if _editable(edit) else "")


def _editable(name: str) -> bool:
    return name in FIELDS or name in LISTS


def _saved(request: Request, g: Garden, person_id: int) -> Response:
    if request.headers.get("hx-request"):  # said in the card, which takes the focus
        return _details(request, g, person_id, note="Saved.")
    return RedirectResponse(f"/people/{person_id}?saved=details#details", status_code=303)


@router.post("/people/{person_id}/field/{name}")
def edit_field(
    *, request: Request, g: GardenDep, person_id: Id, name: str, value: Text = ""
) -> Response:
    """One of company, title, where you met, birthday and note, as typed; blank clears it."""
    if name not in FIELDS:
        odd = FormError("details", "", f"{name!r} cannot be edited here")
        return _details(request, g, person_id, error=odd, status=422)
    day = value.strip()
    change = {
        "company": people.Edit(company=value),
        "title": people.Edit(title=value),
        "met": people.Edit(met=value),
        "note": people.Edit(note=value),
        "birthday": people.Edit(birthday=day or None, clear_birthday=not day),
    }[name]
    error = attempt("details", lambda: people.edit(g, f"#{person_id}", change))
    if error:
        field_error = FormError("details", name, error.message)
        return _details(
            request, g, person_id, editing=name, error=field_error, typed=value, status=422
        )
    return _saved(request, g, person_id)


@router.post("/people/{person_id}/contacts/{kinds}")
def edit_contacts(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    kinds: str,
    value: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """A person's emails, phones or links as the form lists them: a blanked one is removed."""
    values = value or []
    if kinds not in LISTS:
        odd = FormError("details", "", f"{kinds!r} is not one of emails, phones, links")
        return _details(request, g, person_id, error=odd, status=422)
    kind = LISTS[kinds]
    error = attempt("details", lambda: people.set_contacts(g, f"#{person_id}", kind, values))
    if error:
        field_error = FormError("details", kinds, error.message)
        return _details(
            request, g, person_id, editing=kinds, error=field_error, typed=values, status=422
        )
    return _saved(request, g, person_id)
