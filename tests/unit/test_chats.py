"""Invariants of the chat rule: one interaction per person per day, by the first writer."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kith.core.chats import Chat, ChatMessage, chat_contacts, source_key
from kith.core.model import Initiator

START = datetime(2026, 1, 1, 8, 0)  # noqa: DTZ001 - chat exports carry local times
PEOPLE = ("Me", "Ana", "Bea", "Carl")

messages = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.integers(min_value=0, max_value=60 * 24 * 30)),
    min_size=1,
    max_size=60,
)


def _chat(rows: list[tuple[str, int]], group: bool) -> Chat:
    return Chat(None, group, tuple(ChatMessage(s, START + timedelta(minutes=m)) for s, m in rows))


@given(messages)
def test_group_chat_one_event_per_writer_per_day_by_first_writer(
    rows: list[tuple[str, int]],
) -> None:
    contacts = chat_contacts(_chat(rows, group=True), ["me"])
    keys = [(c.name, c.on) for c in contacts]
    assert len(keys) == len(set(keys))
    wrote = {(s, (START + timedelta(minutes=m)).date()) for s, m in rows if s != "Me"}
    assert set(keys) == wrote
    for contact in contacts:
        # Messages of the same minute keep the export's order (a stable sort).
        ordered = sorted(rows, key=lambda row: row[1])
        day = [s for s, m in ordered if (START + timedelta(minutes=m)).date() == contact.on]
        assert contact.by == (Initiator.ME if day[0] == "Me" else Initiator.THEM)


@given(messages.map(lambda rows: [(s if s == "Me" else "Ana", m) for s, m in rows]))
def test_direct_chat_one_message_per_day_with_anyone_writing(rows: list[tuple[str, int]]) -> None:
    contacts = chat_contacts(_chat(rows, group=False), ["Me"])
    days = {(START + timedelta(minutes=m)).date() for _, m in rows}
    if all(s == "Me" for s, _ in rows):
        assert contacts == []  # nobody to log it with
        return
    assert [c.on for c in contacts] == sorted(days)
    assert {c.name for c in contacts} == {"Ana"}
    theirs = {(START + timedelta(minutes=m)).date() for s, m in rows if s == "Ana"}
    assert all(not c.unanswered for c in contacts if c.on in theirs)


def test_source_key_names_source_chat_person_and_day() -> None:
    chat = Chat("Climbers", True, (ChatMessage("Ana  Lima", START),), id="4711")
    (contact,) = chat_contacts(chat, ["Me"])
    assert source_key("telegram", chat, contact) == "telegram:4711:ana lima:2026-01-01"
