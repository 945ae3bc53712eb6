"""Asking: the check before any ask or pitch, recording it, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kith.app import inputs, judging
from kith.app.errors import KithError
from kith.app.garden import Garden
from kith.core.asking import AskCheck, check_ask, give_first_suggestions
from kith.core.model import Ask, AskOutcome, AskSize
from kith.core.tags import help_matches, load_vocabulary, shared_interests
from kith.semantic import related_for
from kith.store import history as history_store
from kith.store import people as people_store


@dataclass(frozen=True)
class AskResult:
    """The verdict on an ask of someone, and whether it was recorded."""

    name: str
    check: AskCheck
    recorded: bool


def ask(
    garden: Garden,
    reference: str,
    what: str,
    *,
    size: str = "small",
    pitch: bool = False,
    check_only: bool = False,
    force: bool = False,
) -> AskResult:
    """Check an ask (or a pitch); record it when it goes ahead.

    A premature ask is refused and not recorded, unless `force`: then it is recorded with
    the verdict it had, so that its outcome still teaches the garden something.
    """
    ask_size = inputs.choice("size", size, AskSize)
    item_what = inputs.text("what", what)
    vocab = load_vocabulary()
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        me = people_store.load_me(conn, garden.account_id)
        ((_, facts, verdict),) = judging.judged(conn, garden, [person])
        related = related_for(
            garden.semantic, [*me.interests, *me.offers, *person.interests, *person.needs]
        )
        suggestions = give_first_suggestions(
            help_matches(person.needs, me.offers, vocab, related),
            shared_interests(me.interests, person.interests, vocab, related),
            facts.last_topics,
        )
        check = check_ask(person, facts, verdict, ask_size, pitch, suggestions, garden.rules)
        goes_ahead = not check_only and (check.ready or force)
        if goes_ahead:
            history_store.add_ask(
                conn,
                garden.account_id,
                Ask(person_id, garden.today, item_what, ask_size, pitch, check.ready),
            )
        return AskResult(person.name, check, goes_ahead)


def ask_outcome(garden: Garden, reference: str, outcome: str, *, on: str | None = None) -> Ask:
    """Close my last open ask of this person: yes, no or ignored."""
    result = inputs.choice("outcome", outcome, AskOutcome)
    if result is AskOutcome.OPEN:
        raise KithError("outcome: say yes, no or ignored")
    when = inputs.date_or_today("on", on, garden.today)
    with garden.transaction() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        open_ask = history_store.last_open_ask(conn, garden.account_id, person_id)
        if open_ask is None or open_ask.id is None:
            raise KithError(f"no open ask of #{person_id} to close")
        history_store.set_ask_outcome(conn, open_ask.id, result, when)
        return replace(open_ask, outcome=result, outcome_on=when)
