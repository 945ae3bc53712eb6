"""Chat exports (WhatsApp, Telegram) as interactions: one per person per day.

The contract: "one interaction per person per day, initiated by whoever wrote first that
day". In a one-to-one chat that is the other person on every day either of us wrote. In a
group chat it is an event with each participant, only on the days they wrote themselves
(someone who only reads took no part), initiated by me when I wrote first that day.
A day on which only I wrote in a one-to-one chat, with no answer from them within the
reply window, is unanswered outreach.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from kith.core.model import Initiator, InteractionKind

# The same window as mail (core/threads.py): a reply two weeks later still answers.
CHAT_REPLY_WINDOW_DAYS = 14


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat export: who wrote it and when (in the exporter's local time)."""

    sender: str  # the name as the export spells it
    at: datetime
    line: int = 0  # where it starts in the file (WhatsApp) or its message id (Telegram)
    sender_id: str | None = None  # Telegram's from_id ("user123"); WhatsApp has none


@dataclass(frozen=True)
class Chat:
    """One chat of an export: a person's or a group's, with its messages."""

    title: str | None  # the group's or person's name, when the export says it
    is_group: bool
    messages: tuple[ChatMessage, ...]
    id: str | None = None  # Telegram's chat id, LinkedIn's conversation id, WhatsApp's file

    def senders(self) -> list[str]:
        """Everyone who wrote, in order of their first message."""
        return list(dict.fromkeys(m.sender for m in self.messages))


@dataclass(frozen=True)
class ChatContact:
    """One interaction to log: with whom (their name in the chat), on which day, by whom."""

    name: str
    on: date
    kind: InteractionKind
    by: Initiator
    unanswered: bool = False


def source_key(source: str, chat: Chat, contact: ChatContact) -> str:
    """A key that stays the same when the export is read again.

    The same export, or a later and longer one: so a re-run logs nothing twice. It is made of
    the source, the chat, the person and the day.
    """
    where = chat.id or chat.title or "-"
    return f"{source}:{where}:{fold(contact.name)}:{contact.on.isoformat()}"


def fold(name: str) -> str:
    """How names are compared: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def is_mine(message: ChatMessage, me: Collection[str]) -> bool:
    """`me` holds my names (folded) and, for Telegram, my from_id."""
    return fold(message.sender) in me or (message.sender_id is not None and message.sender_id in me)


def chat_contacts(
    chat: Chat,
    me: Iterable[str],
    *,
    reply_window_days: int = CHAT_REPLY_WINDOW_DAYS,
) -> list[ChatContact]:
    """The interactions of one chat, by day then name; `me` are my names or sender ids."""
    mine = frozenset(fold(m) for m in me) | frozenset(me)
    ordered = sorted(chat.messages, key=lambda m: m.at)
    days = [list(day) for _, day in groupby(ordered, key=lambda m: m.at.date())]
    if chat.is_group:
        return [c for day in days for c in _group_day(day, mine)]
    return [c for c in (_direct_day(day, ordered, mine, reply_window_days) for day in days) if c]


def _group_day(day: Sequence[ChatMessage], mine: frozenset[str]) -> list[ChatContact]:
    by = Initiator.ME if is_mine(day[0], mine) else Initiator.THEM
    writers = dict.fromkeys(m.sender for m in day if not is_mine(m, mine))
    on = day[0].at.date()
    return [ChatContact(name, on, InteractionKind.EVENT, by) for name in writers]


def _direct_day(
    day: Sequence[ChatMessage],
    everything: Sequence[ChatMessage],
    mine: frozenset[str],
    window: int,
) -> ChatContact | None:
    theirs = [m for m in day if not is_mine(m, mine)]
    on = day[0].at.date()
    if theirs:
        by = Initiator.ME if is_mine(day[0], mine) else Initiator.THEM
        return ChatContact(theirs[0].sender, on, InteractionKind.MESSAGE, by)
    other = _other_party(everything, mine)
    if other is None:
        return None  # a chat in which only I ever wrote names nobody to log it with
    deadline = day[-1].at + timedelta(days=window)
    answered = any(not is_mine(m, mine) and day[-1].at < m.at <= deadline for m in everything)
    return ChatContact(other, on, InteractionKind.MESSAGE, Initiator.ME, not answered)


def _other_party(messages: Sequence[ChatMessage], mine: frozenset[str]) -> str | None:
    return next((m.sender for m in messages if not is_mine(m, mine)), None)


def unknown_me(chat: Chat, me: Iterable[str]) -> bool:
    """True when none of `me` wrote in a chat with two or more writers.

    A likely typo in --me, which would otherwise log my own messages as someone else's.
    """
    mine = frozenset(fold(m) for m in me) | frozenset(me)
    return len(chat.senders()) >= 2 and not any(is_mine(m, mine) for m in chat.messages)
