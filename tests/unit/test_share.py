from __future__ import annotations

import dataclasses
import json

import pytest

from kith.core.model import History, PersonState, Stage
from kith.core.share import shareable_contact, vet
from tests.unit._stories import TODAY, ago, breach, history, judged, person, talk
from tests.unit.test_feed import taker
from tests.unit.test_lifecycle import trusted_friend


def as_person(h: History, pid: int, name: str, **fields: object) -> History:
    # Any Person field by name, as each test needs: the dataclass checks the names at run time.
    who = dataclasses.replace(h.person, id=pid, name=name, **fields)  # type: ignore[arg-type]
    return dataclasses.replace(h, person=who)


def garden() -> list[History]:
    friend = as_person(
        trusted_friend(),
        1,
        "Friend",
        note="owes me lunch",
        emails=("f@example.org",),
        company="Acme",
        interests=("jazz",),
        offers=("intros",),
    )
    return [
        friend,
        as_person(taker(), 2, "Taker"),
        as_person(dataclasses.replace(trusted_friend(), breaches=(breach(400),)), 3, "Breached"),
        as_person(trusted_friend(), 4, "Pruned", state=PersonState.PRUNED),
        as_person(history(person(met_on=TODAY), talk(0)), 5, "Seed"),
    ]


def test_only_the_trusted_friend_is_shared_and_every_other_is_held_back_with_why() -> None:
    outcome = {}
    for h in garden():
        _, verdict = judged(h)
        outcome[h.person.name] = vet(h.person, verdict)
    assert outcome["Friend"] == (True, "trusted: you can vouch for them")
    assert outcome["Taker"][0] is False
    assert outcome["Taker"][1].startswith("flagged as a weed (one-sided")
    assert outcome["Breached"] == (False, "an unresolved breach of trust")
    assert outcome["Pruned"] == (False, "pruned: no longer part of your network")
    assert outcome["Seed"] == (
        False,
        "a seed: you do not know them well enough yet to vouch for them",
    )


def test_a_shared_contact_carries_no_note_and_contact_details_only_by_consent() -> None:
    friend = garden()[0]
    _, verdict = judged(friend)
    contact = shareable_contact(friend.person, verdict)
    assert "owes me lunch" not in json.dumps(contact)
    assert "emails" not in contact
    assert contact["how_well_known"].startswith("trusted, a ")
    assert contact["interests"] == ["jazz"]
    consenting = dataclasses.replace(friend.person, consent_share=True)
    assert shareable_contact(consenting, verdict)["emails"] == ["f@example.org"]


def test_growing_ties_share_only_when_asked_for() -> None:
    growing = history(person(met_on=ago(60)), talk(60), talk(40), talk(20))
    _, verdict = judged(growing)
    assert verdict.stage is Stage.GROWING
    assert vet(growing.person, verdict) == (False, "growing, not yet trusted")
    assert vet(growing.person, verdict, Stage.GROWING)[0]


def test_a_dormant_trusted_tie_can_be_vouched_for() -> None:
    h = trusted_friend(quiet_for=400)
    _, verdict = judged(h)
    assert vet(h.person, verdict) == (True, "trusted, quiet lately: you can vouch for them")


def test_seeds_can_never_be_the_minimum() -> None:
    _, verdict = judged(trusted_friend())
    with pytest.raises(ValueError, match="growing or trusted"):
        vet(person(), verdict, Stage.SEED)
