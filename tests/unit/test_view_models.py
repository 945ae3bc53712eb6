"""The view models of kith.app: their JSON (one function for every `--json`) and their text.

The keys are the CLI contract's (docs in ../shared/DESIGN.md): more may come, none may go.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from rich.console import Console

from kith.app.documents import as_document, to_json
from kith.app.garden_views import AskVerdict, FeedRow, WeedRow
from kith.app.person_views import ProfileView
from kith.app.stats_views import StatsView
from kith.app.views import Profile
from kith.cli import render
from kith.core.mirror import MirrorCounts, mirror
from kith.core.model import AskSize, Stage
from kith.core.stats import WeekCount, garden_stats
from tests.unit._stories import RULES, ago, asked, breach, history, judged, theirs
from tests.unit.test_feed import taker
from tests.unit.test_lifecycle import trusted_friend
from tests.unit.test_stats import judged_rows

SHOW_KEYS = {
    "id", "name", "stage", "strength", "trust", "trust_uncertainty", "balance", "next_feed",
    "interests", "needs", "offers", "reasons", "strength_reasons", "trust_reasons", "cadence",
    "emails", "phones", "links", "company", "title", "met_where", "met_on", "via", "note",
    "cadence_days", "consent_share", "state", "pruned_reason", "counts", "timeline",
}  # fmt: skip
EVENT_KEYS = {
    "interaction": {"on", "type", "kind", "by", "unanswered", "topics", "note"},
    "given": {"on", "type", "what", "kind", "weight"},
    "received": {"on", "type", "what", "kind", "weight"},
    "ask": {"on", "type", "what", "size", "pitch", "ready", "outcome"},
    "breach": {"on", "type", "what", "resolved_on", "resolution"},
    "their_ask": {"on", "type", "what", "premature"},
}


def _profile() -> ProfileView:
    friend = trusted_friend()
    h = dataclasses.replace(
        friend, asks=(asked(30),), breaches=(breach(40, resolved=20),), their_asks=(theirs(5),)
    )
    _, verdict = judged(h)
    return ProfileView.of(Profile(h, verdict, "Bea Chen"))


def _text(draw: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    assert callable(draw)
    draw(console)
    return console.export_text()


def test_to_json_writes_dates_iso_enums_as_values_and_tuples_as_lists() -> None:
    row = FeedRow(7, "Ana", Stage.GROWING, date(2026, 11, 27), 3, "why", "call")
    assert to_json([row]) == [
        {
            "id": 7,
            "name": "Ana",
            "stage": "growing",
            "due": "2026-11-27",
            "overdue_days": 3,
            "why": "why",
            "gesture": "call",
        }
    ]
    weed = WeedRow(1, "Tom", Stage.WEED, ("a taker",))
    assert to_json(weed) == {
        "id": 1,
        "name": "Tom",
        "stage": "weed",
        "reasons": ["a taker"],
        "context": [],
    }
    with pytest.raises(TypeError, match="object"):
        to_json(object())
    with pytest.raises(TypeError, match="not a view model"):
        as_document([row])


def test_the_profile_document_keeps_the_contract_keys_and_sorts_the_timeline() -> None:
    doc = as_document(_profile())
    assert set(doc) >= SHOW_KEYS
    assert doc["via"] == "Bea Chen"
    assert json.loads(json.dumps(doc)) == doc
    timeline = doc["timeline"]
    assert isinstance(timeline, list)
    days = [str(event["on"]) for event in timeline if isinstance(event, dict)]
    assert days == sorted(days, reverse=True)
    for event in timeline:
        assert isinstance(event, dict) and isinstance(event["type"], str)
        assert set(event) == EVENT_KEYS[event["type"]]
    assert doc["counts"] == {
        "interactions": 9,
        "given": 1,
        "received": 1,
        "asks": 1,
        "breaches": 1,
        "intros": 0,
        "their_asks": 1,
    }


def test_the_profile_reads_as_text() -> None:
    text = _text(lambda c: render.profile(c, _profile()))
    assert text.startswith("Ada  #1  ")
    assert "via: Bea Chen" in text
    assert "history: 9 interactions, 1 given, 1 received, 1 ask, 1 breach" in text
    assert f"(made right on {ago(20).isoformat()})" in text
    assert "(they asked)" in text


def test_feed_weed_and_ask_read_as_text() -> None:
    row = FeedRow(7, "Ana", Stage.GROWING, date(2026, 11, 27), 3, "quiet a while", "call her")
    fed = _text(lambda c: render.feed(c, [row]))
    assert "Ana  growing  due 2026-11-27" in fed and "→ call her" in fed
    weeds = WeedRow(3, "Taker", Stage.WEED, ("only takes",), ("met at a fair",))
    weeded = _text(lambda c: render.weed(c, [weeds]))
    assert "• only takes" in weeded and "(met at a fair)" in weeded
    assert "well fed" in _text(lambda c: render.feed(c, []))
    verdict = AskVerdict("Ana", False, Stage.SEED, ("too early",), ("help first",), None, False)
    asked_text = _text(lambda c: render.ask(c, verdict))
    assert "not ready — Ana is seed" in asked_text and "→ help first" in asked_text
    carried = dataclasses.replace(verdict, ready=True, max_size=AskSize.LARGE, give_first=())
    assert "carries a large ask" in _text(lambda c: render.ask(c, carried))


def test_stats_serialise_to_json_and_read_as_text() -> None:
    stats = garden_stats(
        judged_rows([trusted_friend(), taker()]),
        [WeekCount(ago(7), 3, 1)],
        mirror(MirrorCounts(180, 1, 0, 1, 0, 1, 1), RULES),
    )
    shown = StatsView.of(stats)
    data = json.loads(json.dumps(to_json(shown)))
    assert data["by_stage"]["weed"] == 1
    assert data["effort"][0]["week"] == ago(7).isoformat()
    assert data["mirror"]["asking_more_than_giving"] is False
    assert {"key", "seeded", "grew", "trusted", "grew_share"} <= set(data["funnel_by_source"][0])
    text = _text(lambda c: render.stats(c, shown))
    assert "by stage" in text and "weed 1" in text and "mirror: " in text


def test_a_history_of_one_kind_still_counts_every_kind() -> None:
    h = history(trusted_friend().person)
    _, verdict = judged(h)
    doc = as_document(ProfileView.of(Profile(h, verdict, None)))
    assert doc["timeline"] == []
    assert doc["counts"] == dict.fromkeys(
        ("interactions", "given", "received", "asks", "breaches", "intros", "their_asks"), 0
    )
