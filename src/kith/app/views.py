"""What `show` and `list` find: a person's profile, and the garden's list.

The profile is shaped for output in `person_views.ProfileView`; a list row is `ListedPerson`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kith.app import inputs, judging
from kith.app.garden import Garden
from kith.core.lifecycle import Verdict, with_mending_story
from kith.core.model import History, PersonState, Stage
from kith.core.tag_filter import has_tag
from kith.core.tags import load_vocabulary
from kith.store import history as history_store
from kith.store import people as people_store


@dataclass(frozen=True)
class Profile:
    """A person's whole history, their verdict, and who introduced them."""

    history: History
    verdict: Verdict
    via_name: str | None


def show(garden: Garden, reference: str) -> Profile:
    """The profile of the person `reference` names (`kith show`)."""
    with garden.reading() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        history = history_store.load_history(conn, garden.account_id, person)
        verdict = judging.judge_people(conn, garden, [person])[person_id]
        verdict = with_mending_story(verdict, history.breaches, garden.today)
        via = (
            people_store.load_people(conn, garden.account_id, ids=[person.via_id])
            if person.via_id is not None
            else []
        )
        return Profile(history, verdict, via[0].name if via else None)


@dataclass(frozen=True)
class ListedPerson:
    """One line of `kith list` (and GET /api/v1/people): who, their stage and company."""

    id: int
    name: str
    stage: Stage
    company: str | None = None


def list_people(
    garden: Garden, stage: str | None = None, interest: str | None = None
) -> list[ListedPerson]:
    """Everyone but the pruned (unless asked for), optionally of one stage or interest."""
    wanted = inputs.choice("stage", stage, Stage) if stage else None
    states = [PersonState.PRUNED] if wanted is Stage.PRUNED else [PersonState.ACTIVE]
    with garden.reading() as conn:
        people = people_store.load_people(conn, garden.account_id, states=states)
        if interest:
            vocab = load_vocabulary()
            people = [p for p in people if has_tag(p.interests, interest, vocab)]
        verdicts = judging.judge_people(conn, garden, people)
    listed = [ListedPerson(p.id, p.name, verdicts[p.id].stage, p.company) for p in people]
    return [item for item in listed if wanted is None or item.stage is wanted]
