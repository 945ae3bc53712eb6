"""Re-vetting a share on read (core.share_revet): today's judgement, never a stale one."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kith.core.model import PersonState, Stage
from kith.core.share import Standing, shareable_contact, standing, vet, vet_standing
from kith.core.share_revet import GONE, LEGACY_MIN_STAGE, min_stage_of, revet
from tests.unit._stories import TODAY, breach, judged
from tests.unit.test_feed import taker
from tests.unit.test_lifecycle import trusted_friend


def shared_snapshot(min_stage: Stage = Stage.TRUSTED, **more: Any) -> dict[str, Any]:
    """What `share` keeps of a trusted friend who consented to their details leaving."""
    h = trusted_friend()
    _, verdict = judged(h)
    who = dataclasses.replace(h.person, consent_share=True, emails=("a@x.org",))
    return shareable_contact(who, verdict) | {"min_stage": min_stage.value} | more


def standing_on(days_later: int, h: Any = None) -> Standing:
    h = h or trusted_friend()
    _, verdict = judged(h, TODAY + timedelta(days=days_later))
    return standing(h.person, verdict)


def test_a_share_read_the_day_it_was_made_passes_with_the_words_it_was_shared_with() -> None:
    contact = shared_snapshot()
    now = revet(contact, standing_on(0), consent=True)
    assert now.shown
    assert now.how_well_known == contact["how_well_known"]
    assert now.contact["emails"] == ["a@x.org"]


def test_a_long_quiet_keeps_a_trusted_tie_shown_but_worded_as_today_judges_it() -> None:
    now = revet(shared_snapshot(), standing_on(500), consent=True)
    assert now.shown
    assert now.how_well_known.startswith("trusted, quiet lately, ")
    assert now.how_well_known != shared_snapshot()["how_well_known"]
    assert now.known_days == standing_on(500).known_days


def test_a_tie_decayed_below_the_floor_it_was_shared_at_is_held_back_as_no_longer() -> None:
    decayed = standing_on(1000)
    assert decayed.grown is Stage.GROWING
    now = revet(shared_snapshot(Stage.TRUSTED), decayed, consent=True)
    assert (now.shown, now.why) == (False, "growing, no longer trusted")
    # Shared at the growing floor, the same tie still passes: the sharer's floor is kept.
    assert revet(shared_snapshot(Stage.GROWING), decayed, consent=True).shown


def test_a_weed_a_breach_and_a_pruned_person_are_held_back_whatever_the_floor() -> None:
    h = trusted_friend()
    breached = dataclasses.replace(h, breaches=(breach(5),))
    pruned = dataclasses.replace(h, person=dataclasses.replace(h.person, state=PersonState.PRUNED))
    for floor in (Stage.GROWING, Stage.TRUSTED):
        for story, why in ((taker(), "flagged as a weed ("), (breached, "flagged as a weed (")):
            now = revet(shared_snapshot(floor), standing_on(0, story), consent=True)
            assert not now.shown and now.why.startswith(why)
        now = revet(shared_snapshot(floor), standing_on(0, pruned), consent=True)
        assert (now.shown, now.why) == (False, "pruned: no longer part of your network")


def test_a_person_gone_from_the_garden_is_held_back() -> None:
    now = revet(shared_snapshot(), None, consent=True)
    assert (now.shown, now.why) == (False, GONE)


def test_contact_details_leave_only_while_the_person_consents_today() -> None:
    now = revet(shared_snapshot(), standing_on(0), consent=False)
    assert now.shown and not {"emails", "phones", "links"} & set(now.contact)


def test_a_share_kept_before_its_floor_was_recorded_is_vetted_at_the_lowest_vouching_stage() -> (
    None
):
    legacy = {k: v for k, v in shared_snapshot().items() if k != "min_stage"}
    assert min_stage_of(legacy) is LEGACY_MIN_STAGE is Stage.GROWING


def test_vetting_a_person_and_their_standing_agree_on_a_garden_of_stories() -> None:
    for h in (trusted_friend(), taker(), trusted_friend(400)):
        _, verdict = judged(h)
        assert vet(h.person, verdict) == vet_standing(standing(h.person, verdict))


standings = st.builds(
    Standing,
    stage=st.sampled_from(list(Stage)),
    grown=st.sampled_from([Stage.SEED, Stage.GROWING, Stage.TRUSTED]),
    strength=st.floats(0, 1),
    open_breaches=st.integers(0, 3),
    known_days=st.integers(0, 5000),
    pruned=st.booleans(),
)


@given(
    stands=standings, floor=st.sampled_from([Stage.GROWING, Stage.TRUSTED]), consent=st.booleans()
)
def test_a_share_is_shown_exactly_when_vetting_today_at_its_floor_passes(
    stands: Standing, floor: Stage, consent: bool
) -> None:
    now = revet(shared_snapshot(floor), stands, consent=consent)
    assert now.shown == vet_standing(stands, floor)[0]
    if stands.pruned or stands.open_breaches or stands.stage in {Stage.WEED, Stage.PRUNED}:
        assert not now.shown  # never a defective contact, whatever the floor
    if not consent:
        assert not {"emails", "phones", "links"} & set(now.contact)
    assert now.known_days == stands.known_days
