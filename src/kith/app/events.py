"""Recording what happened: interactions, help given and received, breaches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kith.app import inputs, judging
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.core.asking import pitch_is_premature
from kith.core.model import (
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    Initiator,
    Interaction,
    InteractionKind,
    TheirAsk,
)
from kith.store import history as history_store
from kith.store import people as people_store


def log(
    garden: Garden,
    reference: str,
    kind: str,
    *,
    on: str | None = None,
    by: str = "me",
    unanswered: bool = False,
    topics: Sequence[str] = (),
    note: str | None = None,
) -> Interaction:
    """Log a contact: a meeting, a call, a message, small talk..."""
    initiator = inputs.choice("by", by, Initiator)
    if unanswered and initiator is Initiator.THEM:
        raise InvalidInput("unanswered", "only my own outreach can go unanswered (by me)")
    when = inputs.date_or_today("on", on, garden.today)
    interaction_kind = inputs.choice("kind", kind, InteractionKind)
    clean_topics = inputs.tag_list("topic", topics)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        item = Interaction(
            person_id=person_id,
            on=when,
            kind=interaction_kind,
            by=initiator,
            unanswered=unanswered,
            topics=clean_topics,
            note=inputs.optional_text("note", note, one_line=False),
        )
        item_id = history_store.add_interaction(conn, garden.account_id, item)
        return replace(item, id=item_id)


def exchange(
    garden: Garden,
    reference: str,
    what: str,
    direction: Direction,
    *,
    kind: str = "favor",
    weight: int = 1,
    on: str | None = None,
) -> Exchange:
    """One unit of help: given by me (`give`) or received from them (`receive`)."""
    item_what = inputs.text("what", what)
    item_kind = inputs.choice("kind", kind, ExchangeKind)
    item_weight = inputs.weight(weight)
    when = inputs.date_or_today("on", on, garden.today)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        item = Exchange(person_id, when, direction, item_what, item_kind, item_weight)
        item_id = history_store.add_exchange(conn, garden.account_id, item)
        return replace(item, id=item_id)


def breach(garden: Garden, reference: str, what: str, *, on: str | None = None) -> Breach:
    """A broken promise or an abuse of trust."""
    item_what = inputs.text("what", what)
    when = inputs.date_or_today("on", on, garden.today)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        item = Breach(person_id=person_id, on=when, what=item_what)
        # I can no longer vouch for them: what I shared of them is held back from the group at
        # once, as every read vets a share again (core.share_revet), until it is made right.
        item_id = history_store.add_breach(conn, garden.account_id, item)
        return replace(item, id=item_id)


def forgive(garden: Garden, reference: str, what: str, *, on: str | None = None) -> Breach:
    """A breach made right: the oldest one still open is resolved with what mended it."""
    mending = inputs.text("what", what)
    when = inputs.date_or_today("on", on, garden.today)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        still_open = history_store.oldest_open_breach(conn, garden.account_id, person_id, when)
        if still_open is None or still_open.id is None:
            name = people_store.load_people(conn, garden.account_id, ids=[person_id])[0].name
            raise KithError(f"{name} has no breach open on {when.isoformat()} to make right")
        history_store.mend_breach(conn, garden.account_id, still_open.id, when, mending)
        return replace(still_open, resolved_on=when, resolution=mending)


def asked_by(
    garden: Garden, reference: str, what: str, *, pitch: bool = False, on: str | None = None
) -> TheirAsk:
    """Something they asked of me (or pitched me).

    A pitch is judged by the seed's rule as the relationship stood that day, so a pitch
    before any relationship is remembered.
    """
    item_what = inputs.text("what", what)
    when = inputs.date_or_today("on", on, garden.today)
    that_day = replace(garden, today=when)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        ((_, facts, verdict),) = judging.judged(conn, that_day, [person], topics=False)
        premature = pitch and pitch_is_premature(facts, verdict, garden.rules)
        item = TheirAsk(person_id, when, item_what, pitch=pitch, premature=premature)
        item_id = history_store.add_their_ask(conn, garden.account_id, item)
        return replace(item, id=item_id)
