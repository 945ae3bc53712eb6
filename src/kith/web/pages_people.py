"""Pages about people: the list with filters and bulk actions, and one person's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import asking, events, intros, nurture, people, search, views
from kith.app import dashboard as garden_dashboard
from kith.app.documents import as_document
from kith.app.errors import AlreadyInGarden
from kith.app.garden import Garden
from kith.app.person_views import ProfileView
from kith.app.wording import plural
from kith.core.model import Direction, TagKind
from kith.web import csrf
from kith.web.auth import require_login
from kith.web.deps import FormId, Id, garden, render
from kith.web.forms import FormError, attempt, blank_to_none, lines

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(garden)]
Text = Annotated[str, Form()]
SAVED = {
    "log": "Interaction logged.",
    "give": "Help given, noted.",
    "receive": "Help received, noted.",
    "breach": "Breach recorded.",
    "forgive": "Made right: the breach is resolved.",
    "asked": "Their ask recorded.",
    "ask": "Ask recorded.",
    "outcome": "Outcome recorded.",
    "snooze": "Snoozed.",
    "prune": "Pruned: archived, history kept.",
    "restore": "Restored.",
    "seed": "Planted.",
    "tags": "Saved.",
    "details": "Details saved.",
    "contacts": "Contact details saved.",
}


def _filters(q: str, stage: str, interest: str, need: str, offer: str) -> search.Filters:
    return search.Filters(q.strip(), stage.strip(), interest.strip(), need, offer)


@router.get("/people")
def people_list(
    *,
    request: Request,
    g: GardenDep,
    q: str = "",
    stage: str = "",
    interest: str = "",
    need: str = "",
    offer: str = "",
) -> Response:
    return _people_page(request, g, _filters(q, stage, interest, need, offer))


def _people_page(
    request: Request,
    g: Garden,
    filters: search.Filters,
    *,
    error: FormError | None = None,
    status: int = 200,
    message: str = "",
    extra: dict[str, Any] | None = None,
) -> Response:
    rows, total = search.search_people(g, filters)
    context = {"rows": rows, "total": total, "filters": filters, "error": error}
    return render(request, "people.html", context | {"message": message} | (extra or {}), status)


@router.post("/people")
def seed(
    *,
    request: Request,
    g: GardenDep,
    name: Text,
    email: Text = "",
    company: Text = "",
    title: Text = "",
    met: Text = "",
    on: Text = "",
    via: Text = "",
    interests: Text = "",
    needs: Text = "",
    offers: Text = "",
    birthday: Text = "",
    new: Annotated[bool, Form()] = False,
) -> Response:
    """Plant a seed; a name already in the garden comes back with a warning naming who is
    there and a button to plant another person of that name (an email clash is an error)."""
    planted: list[int] = []
    typed = {
        "name": name,
        "email": email,
        "company": company,
        "title": title,
        "met": met,
        "on": on,
        "via": via,
        "interests": interests,
        "needs": needs,
        "offers": offers,
        "birthday": birthday,
    }

    def act() -> None:
        person = people.seed(
            g,
            name,
            emails=lines(email),
            company=company,
            title=title,
            met=met,
            on=blank_to_none(on),
            via=blank_to_none(via),
            interests=lines(interests),
            needs=lines(needs),
            offers=lines(offers),
            birthday=blank_to_none(birthday),
            new=new,
        )
        planted.append(person.id)

    try:
        error = attempt("seed", act, passing=(AlreadyInGarden,))
    except AlreadyInGarden as exc:
        if not exc.is_name:
            error = FormError("seed", exc.field, exc.message)
        else:
            context = {"duplicate": exc.duplicate.person, "seed_form": typed}
            return _people_page(request, g, search.Filters(), status=409, extra=context)
    if error:
        return _people_page(
            request, g, search.Filters(), error=error, status=422, extra={"seed_form": typed}
        )
    return RedirectResponse(f"/people/{planted[0]}?saved=seed", status_code=303)


@router.post("/people/bulk")
def bulk(
    *,
    request: Request,
    g: GardenDep,
    action: Text,
    ids: Annotated[list[FormId] | None, Form()] = None,
    reason: Text = "",
    tag_kind: Text = "interest",
    tag: Text = "",
) -> Response:
    chosen = ids or []
    if action == "tag":
        return _bulk_tag(request, g, chosen, tag_kind, tag)
    if action == "export":
        csv_text = search.export_csv(g, chosen)
        headers = {"content-disposition": 'attachment; filename="kith-people.csv"'}
        return Response(csv_text, media_type="text/csv; charset=utf-8", headers=headers)
    if action != "prune":
        error: FormError | None = FormError("bulk", "", "choose prune, tag or export")
    elif not chosen:
        error = FormError("bulk", "", "choose at least one person")
    else:  # all of them or, on any error, none
        error = attempt("bulk", lambda: people.prune_many(g, [f"#{i}" for i in chosen], reason))
    if error:
        whole = FormError(
            "bulk", "", f"{error.field}: {error.message}" if error.field else error.message
        )
        return _people_page(request, g, search.Filters(), error=whole, status=422)
    pruned = len(set(chosen))
    message = f"Pruned {plural(pruned, 'person', 'people')}: archived, history kept."
    return _people_page(request, g, search.Filters(), message=message)


_TAG_KINDS = {kind.value: kind for kind in TagKind}


def _bulk_tag(request: Request, g: Garden, chosen: list[int], kind: str, tag: str) -> Response:
    """Add one interest, need or offer to everyone chosen: all of them or, on error, none."""
    if kind not in _TAG_KINDS:
        error: FormError | None = FormError("bulk", "", f"{kind!r} is not interest, need or offer")
    elif not chosen:
        error = FormError("bulk", "", "choose at least one person")
    else:
        refs = [f"#{i}" for i in chosen]
        error = attempt("bulk", lambda: people.tag_many(g, refs, _TAG_KINDS[kind], lines(tag)))
    if error:
        whole = FormError(
            "bulk", "", f"{error.field}: {error.message}" if error.field else error.message
        )
        return _people_page(request, g, search.Filters(), error=whole, status=422)
    count = plural(len(set(chosen)), "person", "people")
    message = f"Added {kind} {', '.join(lines(tag))} to {count}."
    return _people_page(request, g, search.Filters(), message=message)


def _profile(request: Request, g: Garden, person_id: int) -> dict[str, Any]:
    """The `show` document plus conversation starters, cached until the garden changes."""
    key = (g.account_id, person_id, g.today, garden_dashboard.version(g))

    def compute() -> dict[str, Any]:
        shown: dict[str, Any] = as_document(ProfileView.of(views.show(g, f"#{person_id}")))
        opening = intros.conversation_starters(g, f"#{person_id}")
        return shown | {"shared": opening.shared_interests, "starters": opening.starters}

    found: dict[str, Any] = request.app.state.profile_cache.get(key, compute)
    return found


def _person_page(
    request: Request,
    g: Garden,
    person_id: int,
    *,
    error: FormError | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "p": _profile(request, g, person_id),
        "error": error,
        "saved": SAVED.get(request.query_params.get("saved", ""), ""),
        "ask_result": None,
    }
    return render(request, "person.html", context | (extra or {}), status)


# Shared with the routers of other sections of the person page (pages_person_details).
person_page = _person_page
profile = _profile


@router.get("/people/{person_id}")
def person(request: Request, g: GardenDep, person_id: Id, edit: str = "") -> Response:
    """A person's page; `edit` opens one contact detail's form (the no-JS in-place edit)."""
    return _person_page(request, g, person_id, extra={"editing": edit})


def _after(
    request: Request,
    g: Garden,
    person_id: int,
    form: str,
    action: Any,
    *,
    kept: dict[str, object] | None = None,
) -> Response:
    """Run a form's action; on a mistake the page again, the form showing what was typed."""
    error = attempt(form, action)
    if error:
        extra = {"kept": kept or {}}
        return _person_page(request, g, person_id, error=error, status=422, extra=extra)
    return RedirectResponse(f"/people/{person_id}?saved={form}#{form}", status_code=303)


after = _after


@router.post("/people/{person_id}/log")
def log(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    kind: Text,
    on: Text = "",
    by: Text = "me",
    unanswered: Annotated[bool, Form()] = False,
    topics: Text = "",
    note: Text = "",
) -> Response:
    return _after(
        request,
        g,
        person_id,
        "log",
        lambda: events.log(
            g,
            f"#{person_id}",
            kind,
            on=blank_to_none(on),
            by=by,
            unanswered=unanswered,
            topics=lines(topics),
            note=note,
        ),
        kept={
            "kind": kind,
            "on": on,
            "by": by,
            "unanswered": unanswered,
            "topics": topics,
            "note": note,
        },
    )


def _exchange(
    request: Request, g: Garden, person_id: int, direction: Direction, fields: dict[str, str]
) -> Response:
    form = "give" if direction is Direction.GIVEN else "receive"
    weight = fields["weight"]
    return _after(
        request,
        g,
        person_id,
        form,
        lambda: events.exchange(
            g,
            f"#{person_id}",
            fields["what"],
            direction,
            kind=fields["kind"],
            weight=int(weight) if weight.isdigit() else 0,
            on=blank_to_none(fields["on"]),
        ),
        kept=dict(fields),
    )


@router.post("/people/{person_id}/give")
def give(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    what: Text = "",
    kind: Text = "favor",
    weight: Text = "1",
    on: Text = "",
) -> Response:
    fields = {"what": what, "kind": kind, "weight": weight, "on": on}
    return _exchange(request, g, person_id, Direction.GIVEN, fields)


@router.post("/people/{person_id}/receive")
def receive(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    what: Text = "",
    kind: Text = "favor",
    weight: Text = "1",
    on: Text = "",
) -> Response:
    fields = {"what": what, "kind": kind, "weight": weight, "on": on}
    return _exchange(request, g, person_id, Direction.RECEIVED, fields)


@router.post("/people/{person_id}/breach")
def breach(
    *, request: Request, g: GardenDep, person_id: Id, what: Text = "", on: Text = ""
) -> Response:
    return _after(
        request,
        g,
        person_id,
        "breach",
        lambda: events.breach(g, f"#{person_id}", what, on=blank_to_none(on)),
        kept={"what": what, "on": on},
    )


@router.post("/people/{person_id}/forgive")
def forgive(
    *, request: Request, g: GardenDep, person_id: Id, what: Text = "", on: Text = ""
) -> Response:
    return _after(
        request,
        g,
        person_id,
        "forgive",
        lambda: events.forgive(g, f"#{person_id}", what, on=blank_to_none(on)),
        kept={"what": what, "on": on},
    )


@router.post("/people/{person_id}/asked")
def asked_by(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    what: Text = "",
    pitch: Annotated[bool, Form()] = False,
    on: Text = "",
) -> Response:
    return _after(
        request,
        g,
        person_id,
        "asked",
        lambda: events.asked_by(g, f"#{person_id}", what, pitch=pitch, on=blank_to_none(on)),
        kept={"what": what, "pitch": pitch, "on": on},
    )


@router.post("/people/{person_id}/ask/check")
def ask_check(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    what: Text = "",
    size: Text = "small",
    pitch: Annotated[bool, Form()] = False,
) -> Response:
    """The check before an ask: the verdict, nothing recorded; the page offers to confirm."""
    found: list[asking.AskResult] = []
    error = attempt(
        "ask",
        lambda: found.append(
            asking.ask(g, f"#{person_id}", what, size=size, pitch=pitch, check_only=True)
        ),
    )
    ask = {"what": what, "size": size, "pitch": pitch}
    context = {"ask_result": found[0] if found else None, "ask": ask, "error": error}
    if request.headers.get("hx-request"):
        context |= {"p": {"id": person_id}}
        return render(request, "_ask_result.html", context, 422 if error else 200)
    return _person_page(
        request, g, person_id, error=error, status=422 if error else 200, extra=context
    )


@router.post("/people/{person_id}/ask")
def ask_record(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    what: Text = "",
    size: Text = "small",
    pitch: Annotated[bool, Form()] = False,
    force: Annotated[bool, Form()] = False,
) -> Response:
    return _after(
        request,
        g,
        person_id,
        "ask",
        lambda: asking.ask(g, f"#{person_id}", what, size=size, pitch=pitch, force=force),
    )


@router.post("/people/{person_id}/ask-outcome")
def ask_outcome(request: Request, g: GardenDep, person_id: Id, outcome: Text) -> Response:
    return _after(
        request, g, person_id, "outcome", lambda: asking.ask_outcome(g, f"#{person_id}", outcome)
    )


@router.post("/people/{person_id}/snooze")
def snooze(
    *, request: Request, g: GardenDep, person_id: Id, days: Annotated[int, Form()] = 7
) -> Response:
    return _after(request, g, person_id, "snooze", lambda: nurture.snooze(g, f"#{person_id}", days))


@router.post("/people/{person_id}/prune")
def prune(
    request: Request, g: GardenDep, person_id: Id, reason: Text = "", back: Text = ""
) -> Response:
    done = _after(
        request,
        g,
        person_id,
        "prune",
        lambda: people.prune(g, f"#{person_id}", reason),
        kept={"reason": reason},
    )
    return _back_to(done, back, person_id, "pruned")


@router.post("/people/{person_id}/restore")
def restore(request: Request, g: GardenDep, person_id: Id, back: Text = "") -> Response:
    done = _after(request, g, person_id, "restore", lambda: people.restore(g, f"#{person_id}"))
    return _back_to(done, back, person_id, "restored")


# Pages a form may send the user back to (a fixed list: never a URL from the request).
_BACK = {"weed": "/weed"}


def _back_to(done: Response, back: str, person_id: int, what: str) -> Response:
    """After a prune or restore from a list page, land back on that page."""
    if done.status_code != 303 or back not in _BACK:
        return done
    return RedirectResponse(f"{_BACK[back]}?{what}={person_id}", status_code=303)


@router.post("/people/{person_id}/tags")
def tags(
    *,
    request: Request,
    g: GardenDep,
    person_id: Id,
    interests: Text = "",
    needs: Text = "",
    offers: Text = "",
) -> Response:
    change = people.Edit(
        add_interests=tuple(lines(interests)),
        add_needs=tuple(lines(needs)),
        add_offers=tuple(lines(offers)),
    )
    kept: dict[str, object] = {"interests": interests, "needs": needs, "offers": offers}
    return _after(
        request, g, person_id, "tags", lambda: people.edit(g, f"#{person_id}", change), kept=kept
    )
