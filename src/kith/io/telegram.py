"""Telegram Desktop's JSON export (result.json): one chat, or the whole account's chats.

A single chat's export is an object with "name", "type", "id" and "messages"; the account's
export holds "personal_information" (whose "user_id" tells which messages are mine) and
"chats": {"list": [...]} (and "left_chats"). Each message has "id", "type" ("message" or
"service"), "date" (local ISO time), "from" and "from_id" ("user123"); its "text" is a
string or a list of entities, and is never read here. Channels, bots and Saved Messages
hold no conversation with a person and are passed over; service lines (joins, pins) too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kith.core.chats import Chat, ChatMessage
from kith.io.records import FormatError, RecordError

DIRECT = frozenset({"personal_chat"})
GROUPS = frozenset({"private_group", "private_supergroup", "public_supergroup"})


@dataclass(frozen=True)
class TelegramExport:
    chats: tuple[Chat, ...]
    me_id: str | None  # "user<id>" from personal_information, when the export has it
    errors: tuple[RecordError, ...]  # line is the message's id, field names the key


def read_telegram(path: Path) -> TelegramExport:
    try:
        with path.open("rb") as stream:
            data = json.load(stream)
    except UnicodeDecodeError:
        raise FormatError(f"{path.name}: not UTF-8 JSON") from None
    except json.JSONDecodeError as error:
        raise FormatError(f"{path.name}: not JSON (line {error.lineno}: {error.msg})") from None
    return parse_telegram(data, path.name)


def parse_telegram(data: Any, name: str = "result.json") -> TelegramExport:
    if not isinstance(data, dict):
        raise FormatError(f"{name}: not a Telegram export (the top level is not an object)")
    raw_chats = list(_raw_chats(data, name))
    errors: list[RecordError] = []
    chats = []
    for raw in raw_chats:
        kind = raw.get("type")
        if kind not in DIRECT | GROUPS:
            continue
        messages = [m for m in _messages(raw, errors) if m is not None]
        title = raw.get("name") if isinstance(raw.get("name"), str) else None
        chat_id = str(raw["id"]) if raw.get("id") is not None else None
        chats.append(Chat(title, kind in GROUPS, tuple(messages), chat_id))
    return TelegramExport(tuple(chats), _me_id(data), tuple(errors))


def _raw_chats(data: Mapping[str, Any], name: str) -> Iterator[Mapping[str, Any]]:
    if isinstance(data.get("messages"), list):
        yield data
        return
    lists = [data.get(key) for key in ("chats", "left_chats")]
    found = [part["list"] for part in lists if isinstance(part, dict) and "list" in part]
    if not found:
        raise FormatError(f'{name}: not a Telegram export (no "messages" or "chats")')
    for chat_list in found:
        if not isinstance(chat_list, list):
            raise FormatError(f'{name}: "chats"."list" is not a list')
        yield from (chat for chat in chat_list if isinstance(chat, dict))


def _me_id(data: Mapping[str, Any]) -> str | None:
    info = data.get("personal_information")
    if isinstance(info, dict) and info.get("user_id") is not None:
        return f"user{info['user_id']}"
    return None


def _messages(raw: Mapping[str, Any], errors: list[RecordError]) -> Iterator[ChatMessage | None]:
    messages = raw.get("messages")
    if not isinstance(messages, list):
        return
    for message in messages:
        if isinstance(message, dict) and message.get("type") == "message":
            yield _message(message, errors)


def _message(message: Mapping[str, Any], errors: list[RecordError]) -> ChatMessage | None:
    number = message.get("id")
    line = number if isinstance(number, int) else 0
    sender, sender_id = message.get("from"), message.get("from_id")
    if not isinstance(sender, str) or not sender.strip():
        if sender_id is None:
            errors.append(RecordError(line, "from", "message has no sender"))
        return None  # a deleted account ("from": null) is nobody to log
    try:
        at = datetime.fromisoformat(str(message["date"]))
    except (KeyError, ValueError):
        errors.append(RecordError(line, "date", f"unreadable date {message.get('date')!r}"))
        return None
    return ChatMessage(
        sender=" ".join(sender.split()),
        at=at.replace(tzinfo=None),
        line=line,
        sender_id=str(sender_id) if sender_id is not None else None,
    )
