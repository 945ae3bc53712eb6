"""Recording what happened: interactions, help given and received, breaches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kith.app import inputs
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core.model import (
    Breach,
    Direction,
    Exchange,
    ExchangeKind,
    Initiator,
    Interaction,
    InteractionKind,
)
from kith.store import history as history_store


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
        raise InvalidInput("--unanswered", "only my own outreach can go unanswered (--by me)")
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
        item_id = history_store.add_breach(conn, garden.account_id, item)
        return replace(item, id=item_id)
