"""Telegram Desktop's result.json: a single chat and the account's chats.list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kith.core.chats import chat_contacts, unknown_me
from kith.core.model import Initiator, InteractionKind
from kith.io.records import FormatError
from kith.io.telegram import parse_telegram, read_telegram


def _message(number: int, when: str, who: str | None, uid: int, text: Any = "hi") -> Any:
    return {
        "id": number,
        "type": "message",
        "date": when,
        "date_unixtime": "0",
        "from": who,
        "from_id": f"user{uid}",
        "text": text,
        "text_entities": [],
    }


ANA = {
    "name": "Ana Lima",
    "type": "personal_chat",
    "id": 42,
    "messages": [
        {
            "id": 1,
            "type": "service",
            "date": "2024-01-01T09:00:00",
            "actor": "Ana Lima",
            "actor_id": "user42",
            "action": "phone_call",
        },
        _message(2, "2024-01-01T09:05:00", "Ana Lima", 42),
        _message(
            3, "2024-01-01T09:06:00", "Me Myself", 7, [{"type": "bold", "text": "Hello"}, " there"]
        ),
        _message(4, "2024-01-05T18:00:00", "Me Myself", 7),
        _message(5, "2024-02-20T18:00:00", "Me Myself", 7),
        _message(6, "2024-02-21T08:00:00", "Ana Lima", 42),
    ],
}
GROUP = {
    "name": "Climbers",
    "type": "private_supergroup",
    "id": 99,
    "messages": [
        _message(10, "2024-03-01T10:00:00", "Bea Chen", 43),
        _message(11, "2024-03-01T10:01:00", "Me Myself", 7),
        _message(12, "2024-03-01T10:02:00", "Carl Diaz", 44),
        _message(13, "2024-03-02T10:00:00", "Me Myself", 7),
        _message(14, "2024-03-02T10:03:00", "Bea Chen", 43),
        _message(15, "2024-03-02T10:04:00", None, 0),  # a deleted account
    ],
}
CHANNEL = {
    "name": "News",
    "type": "public_channel",
    "id": 5,
    "messages": [_message(1, "2024-03-01T10:00:00", "News", 5)],
}


def test_single_chat_export_gives_one_interaction_per_day() -> None:
    export = parse_telegram(ANA)
    assert export.me_id is None
    (chat,) = export.chats
    assert not chat.is_group
    contacts = chat_contacts(chat, ["me myself"])
    assert [(c.name, c.on, c.by, c.unanswered) for c in contacts] == [
        ("Ana Lima", date(2024, 1, 1), Initiator.THEM, False),
        ("Ana Lima", date(2024, 1, 5), Initiator.ME, True),  # her next word is 47 days later
        ("Ana Lima", date(2024, 2, 20), Initiator.ME, False),
        ("Ana Lima", date(2024, 2, 21), Initiator.THEM, False),
    ]


def test_full_export_knows_me_by_id_and_skips_channels(tmp_path: Path) -> None:
    data = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 7, "first_name": "Me", "last_name": "Myself"},
        "chats": {
            "about": "This page lists all chats from this export.",
            "list": [ANA, GROUP, CHANNEL],
        },
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    export = read_telegram(path)
    assert export.me_id == "user7"
    assert [(c.title, c.id) for c in export.chats] == [("Ana Lima", "42"), ("Climbers", "99")]
    group = export.chats[1]
    assert group.is_group
    contacts = chat_contacts(group, [export.me_id])
    assert [(c.name, c.on, c.by, c.kind) for c in contacts] == [
        ("Bea Chen", date(2024, 3, 1), Initiator.THEM, InteractionKind.EVENT),
        ("Carl Diaz", date(2024, 3, 1), Initiator.THEM, InteractionKind.EVENT),
        ("Bea Chen", date(2024, 3, 2), Initiator.ME, InteractionKind.EVENT),
    ]
    assert export.errors == ()


def test_a_wrong_me_is_noticed() -> None:
    (chat,) = parse_telegram(ANA).chats
    assert unknown_me(chat, ["Someone Else"])
    assert not unknown_me(chat, ["Me Myself"])


def test_bad_date_is_reported_by_message_id() -> None:
    chat = {**ANA, "messages": [_message(9, "yesterday", "Ana Lima", 42)]}
    export = parse_telegram(chat)
    assert [(e.line, e.field) for e in export.errors] == [(9, "date")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "not a Telegram export"),
        ('{"name": "x"}', 'no "messages" or "chats"'),
        ("{oops", "not JSON"),
    ],
)
def test_not_a_telegram_export_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        read_telegram(path)
