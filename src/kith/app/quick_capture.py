"""Quick capture: one line of free text, previewed against the garden, then saved.

`core/quick_capture` reads the line; here the garden says whether its person is known (a
log of the contact), new (a seed) or could be several people (nothing is saved until the
line names one). Saving calls the same actions as `kith seed`, `kith log` and `kith intro`,
each one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from kith.app import events, inputs, intros, people
from kith.app.errors import AlreadyInGarden, Ambiguous, InvalidInput, NoSuchPerson
from kith.app.garden import Garden
from kith.app.quick_views import QuickAction, QuickCaptureView
from kith.app.result_views import PersonRef
from kith.core.names import Candidate, resolve_name
from kith.core.quick_capture import (
    IntroReading,
    NotUnderstood,
    QuickLog,
    QuickSeed,
    decide,
    parse,
)
from kith.store import Connection
from kith.store import people as people_store


def preview(garden: Garden, text: str, on: str | None = None) -> QuickCaptureView:
    """What `text` would save (`on` overrides the date it mentions); nothing is written."""
    with garden.reading() as conn:
        return read(conn, garden.account_id, text, garden.today, on)


def apply(garden: Garden, text: str, on: str | None = None) -> QuickCaptureView:
    """Save what `text` says: plant the seed, log the contact or propose the introduction."""
    view = preview(garden, text, on)
    if view.candidates:
        raise Ambiguous(view.name, tuple(_candidate(c) for c in view.candidates))
    day = view.on.isoformat()
    with _as_text():
        if view.action is QuickAction.SEED:
            planted = people.seed(
                garden, view.name, met=view.met, on=day, interests=view.tags, note=view.note
            )
            person = PersonRef(planted.id, planted.name)
        elif view.action is QuickAction.LOG:
            assert view.person is not None
            assert view.kind is not None
            events.log(
                garden, f"#{view.person.id}", view.kind.value, on=day, topics=view.tags,
                note=view.note,
            )  # fmt: skip
            person = view.person
        else:
            assert view.person is not None
            assert view.other is not None
            intros.start(garden, f"#{view.person.id}", f"#{view.other.id}", view.note)
            person = view.person
    return replace(view, saved=True, person=person, summary=_summary(view, saved=True))


def read(
    conn: Connection, account_id: int, text: str, today: date, on: str | None = None
) -> QuickCaptureView:
    """Read `text` against the garden behind `conn`: who is known, what would be saved."""
    day = inputs.optional_date("on", on, today)
    inputs.storable("text", text)
    try:
        reading = parse(text, today)
    except NotUnderstood as exc:
        raise InvalidInput(exc.field, str(exc)) from None
    if isinstance(reading, IntroReading):
        return _intro(conn, account_id, text, reading, today)
    if day is not None:
        reading = replace(reading, on=day)
    try:
        person_id = inputs.resolve(conn, account_id, reading.name)
    except NoSuchPerson:
        return _seed(text, decide(reading, known=False))
    except Ambiguous as exc:
        named = tuple(c for c in exc.candidates if _names(reading.name, c))
        if not named:  # "met Ed" where only Fred and Edwina contain "ed": someone new
            return _seed(text, decide(reading, known=False))
        return _view(text, decide(reading, known=True), candidates=named)
    known = people_store.load_people(conn, account_id, ids=[person_id])[0]
    return _view(text, decide(reading, known=True), PersonRef(known.id, known.name))


def _seed(text: str, seed: QuickSeed | QuickLog) -> QuickCaptureView:
    assert isinstance(seed, QuickSeed)
    # Checked now, as `seed` will check them, so the preview never shows what cannot be saved.
    with _as_text():
        name = inputs.name(seed.name)
        met = inputs.optional_text("met", seed.met)
        interests = inputs.tag_list("interest", seed.interests)
        note = inputs.optional_text("note", seed.note, one_line=False)
    return _finish(
        QuickCaptureView(
            text, QuickAction.SEED, False, "", name, None, None, None, seed.on, met,
            interests, note, (), None,
        )
    )  # fmt: skip


def _view(
    text: str,
    log: QuickSeed | QuickLog,
    person: PersonRef | None = None,
    candidates: tuple[Candidate, ...] = (),
) -> QuickCaptureView:
    assert isinstance(log, QuickLog)
    with _as_text():
        topics = inputs.tag_list("topic", log.topics)
        note = inputs.optional_text("note", log.note, one_line=False)
    listed = tuple(PersonRef(c.id, c.name) for c in candidates)
    problem = (
        f"{log.name!r} could be {len(listed)} people; write the full name or #ID"
        if listed
        else None
    )
    return _finish(
        QuickCaptureView(
            text, QuickAction.LOG, False, "", log.name, person, None, log.kind, log.on, None,
            topics, note, listed, problem,
        )
    )  # fmt: skip


def _intro(
    conn: Connection, account_id: int, text: str, reading: IntroReading, today: date
) -> QuickCaptureView:
    a_id = inputs.resolve(conn, account_id, reading.a)
    b_id = inputs.resolve(conn, account_id, reading.b)
    if a_id == b_id:
        raise InvalidInput("text", "an introduction needs two different people")
    names = {p.id: p.name for p in people_store.load_people(conn, account_id, ids=[a_id, b_id])}
    with _as_text():
        why = inputs.optional_text("why", reading.why)
    return _finish(
        QuickCaptureView(
            text, QuickAction.INTRO, False, "", names[a_id], PersonRef(a_id, names[a_id]),
            PersonRef(b_id, names[b_id]), None, today, None, (), why, (), None,
        )
    )  # fmt: skip


def _finish(view: QuickCaptureView) -> QuickCaptureView:
    return replace(view, summary=_summary(view, saved=False))


def _summary(view: QuickCaptureView, *, saved: bool) -> str:
    """One line saying what is (or was) saved, in the words a person would use."""
    day = view.on.isoformat()
    if view.action is QuickAction.SEED:
        verb = "Planted" if saved else "Plant"
        where = f" met at {view.met}" if view.met else ""
        tags = f"; interests: {', '.join(view.tags)}" if view.tags else ""
        return f"{verb} {view.name} as a new seed{where} on {day}{tags}"
    if view.action is QuickAction.LOG:
        verb = "Logged" if saved else "Log"
        who = view.person.name if view.person else view.name
        kind = view.kind.value if view.kind else "contact"
        tags = f"; topics: {', '.join(view.tags)}" if view.tags else ""
        return f"{verb} a {kind} with {who} on {day}{tags}"
    verb = "Proposed" if saved else "Propose"
    other = view.other.name if view.other else ""
    why = f" ({view.note})" if view.note else ""
    return f"{verb} introducing {view.name} to {other}{why}"


@contextmanager
def _as_text() -> Iterator[None]:
    """A part of the line the garden refuses is the line's fault: name `text`, say which part.

    A clash with someone already there keeps its own kind (each shell offers its way out),
    and so does a bad `on` (the one part given apart from the line).
    """
    try:
        yield
    except AlreadyInGarden:
        raise
    except InvalidInput as exc:
        if exc.field == "on":
            raise
        raise InvalidInput("text", f"{exc.field} {exc.message}") from None


def _names(reference: str, candidate: Candidate) -> bool:
    """Whether `reference` names `candidate` by a whole word or a word's start, not by chance."""
    return resolve_name(reference, [candidate]).person_id is not None


def _candidate(ref: PersonRef) -> Candidate:
    return Candidate(ref.id, ref.name)
