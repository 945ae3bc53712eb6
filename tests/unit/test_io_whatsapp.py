"""WhatsApp chat exports: Android and iOS layouts, locales' dates, system and media lines."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.chats import chat_contacts
from kith.core.model import Initiator, InteractionKind
from kith.io.records import FormatError
from kith.io.whatsapp import parse_whatsapp, read_whatsapp

LRM = "\u200e"
SYSTEM_NOTE = "No one outside of this chat, not even WhatsApp, can read or listen to them."


def local(*fields: int) -> datetime:
    """A naive local time: chat exports write local times without a zone."""
    padded = (*fields, *(0,) * (6 - len(fields)))
    return datetime.fromisoformat("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format(*padded))


NNBSP = "\u202f"

ANDROID_US = f"""\
12/31/23, 9:15 PM - Messages and calls are end-to-end encrypted. {SYSTEM_NOTE} Tap

12/31/23, 9:15 PM - Ana Lima: Happy new year!
Hope 2024 is good to you
1/2/24, 8:01 AM - Me Myself: Thanks Ana: same to you
1/2/24, 8:03 AM - Ana Lima: <Media omitted>
1/3/24, 10:00 PM - Me Myself: Coffee on Friday?
"""

ANDROID_DE = """\
31.12.23, 21:15 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.
Tippe, um mehr zu erfahren.
31.12.23, 21:15 - Ana Lima: Frohes neues Jahr!
02.01.24, 08:01 - Me Myself: Danke
"""

IOS = f"""\
[31/12/2023, 21:15:07] Ana Lima: {LRM}Messages and calls are end-to-end encrypted. {SYSTEM_NOTE}
[31/12/2023, 21:15:07] Ana Lima: Happy new year!
{LRM}[02/01/2024, 08:01:00] Me Myself: {LRM}image omitted
[02/01/2024, 08:05:10] Ana Lima: Lovely
second line
"""

IOS_US_GROUP = f"""\
[12/31/23, 9:15:07{NNBSP}PM] Climbers: {LRM}Messages and calls are end-to-end encrypted.
[12/31/23, 9:15:07{NNBSP}PM] Climbers: {LRM}Ana Lima created group “Climbers”
[12/31/23, 9:16:00{NNBSP}PM] Climbers: {LRM}Ana Lima added Bea Chen
[12/31/23, 9:17:00{NNBSP}PM] Ana Lima: Welcome!
[12/31/23, 9:20:00{NNBSP}PM] Bea Chen: Hi all
[1/1/24, 10:00:00{NNBSP}AM] Me Myself: Happy new year climbers
[1/1/24, 10:05:00{NNBSP}AM] Carl Diaz: {LRM}sticker omitted
"""


def _parse(text: str) -> tuple[list[tuple[str, datetime]], bool]:
    chat, errors = parse_whatsapp(text.splitlines())
    assert errors == []
    return [(m.sender, m.at) for m in chat.messages], chat.is_group


def test_android_us_am_pm_multiline_media_and_system() -> None:
    messages, group = _parse(ANDROID_US)
    assert messages == [
        ("Ana Lima", local(2023, 12, 31, 21, 15)),
        ("Me Myself", local(2024, 1, 2, 8, 1)),
        ("Ana Lima", local(2024, 1, 2, 8, 3)),
        ("Me Myself", local(2024, 1, 3, 22, 0)),
    ]
    assert not group


def test_android_german_dots_are_day_first() -> None:
    messages, _ = _parse(ANDROID_DE)
    assert messages == [
        ("Ana Lima", local(2023, 12, 31, 21, 15)),
        ("Me Myself", local(2024, 1, 2, 8, 1)),
    ]


def test_ios_brackets_seconds_and_direction_marks() -> None:
    messages, group = _parse(IOS)
    assert messages == [
        ("Ana Lima", local(2023, 12, 31, 21, 15, 7)),
        ("Me Myself", local(2024, 1, 2, 8, 1)),
        ("Ana Lima", local(2024, 1, 2, 8, 5, 10)),
    ]
    assert not group


def test_ios_group_drops_the_groups_own_voice_and_keeps_stickers() -> None:
    messages, group = _parse(IOS_US_GROUP)
    assert group
    assert [s for s, _ in messages] == ["Ana Lima", "Bea Chen", "Me Myself", "Carl Diaz"]
    assert messages[2][1] == local(2024, 1, 1, 10, 0)


@pytest.mark.parametrize(
    "line",
    [
        "31/12/2023 à 21:15 - Ana Lima: Bonne année",  # French Android
        "31/12/23, 9:15 p. m. - Ana Lima: Feliz año",  # Spanish Android
        "31.12.23 um 21:15 - Ana Lima: Frohes Neues",  # older German Android
        "2023-12-31, 21:15 - Ana Lima: Gott nytt år",  # Swedish Android
        "[31.12.23, 21:15:00] Ana Lima: Frohes Neues",  # German iOS
    ],
)
def test_more_locales(line: str) -> None:
    messages, _ = _parse(line + "\n")
    assert messages == [("Ana Lima", local(2023, 12, 31, 21, 15))]


def test_ambiguous_day_month_is_decided_by_time_running_forward() -> None:
    # Every field is <= 12; read month-first the chat would jump from March back to February.
    text = "02/03/24, 10:00 - Ana: a\n03/03/24, 10:00 - Ana: b\n01/04/24, 10:00 - Me: c\n"
    messages, _ = _parse(text)
    assert [at.date() for _, at in messages] == [
        date(2024, 3, 2),
        date(2024, 3, 3),
        date(2024, 4, 1),
    ]


def test_one_field_above_twelve_settles_the_whole_file() -> None:
    text = "04/05/24, 10:00 - Ana: a\n04/13/24, 10:00 - Me: b\n"
    messages, _ = _parse(text)
    assert [at.date() for _, at in messages] == [date(2024, 4, 5), date(2024, 4, 13)]


def test_impossible_date_is_an_error_by_line_and_the_rest_is_read() -> None:
    chat, errors = parse_whatsapp(["13/01/24, 10:00 - Ana: a", "31/02/24, 10:00 - Ana: b"])
    assert len(chat.messages) == 1
    assert [(e.line, e.field) for e in errors] == [(2, "date")]


def test_a_file_without_timestamps_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing else\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"notes\.txt: not a WhatsApp chat export"):
        read_whatsapp(path)


def test_reads_a_utf8_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Ana Lima.txt"
    path.write_text("\ufeff" + IOS, encoding="utf-8")
    chat, errors = read_whatsapp(path)
    assert errors == []
    assert len(chat.messages) == 3


def test_direct_chat_gives_one_interaction_per_day_by_first_writer() -> None:
    chat, _ = parse_whatsapp(ANDROID_US.splitlines())
    contacts = chat_contacts(chat, ["me myself"])
    assert [(c.name, c.on, c.by, c.unanswered) for c in contacts] == [
        ("Ana Lima", date(2023, 12, 31), Initiator.THEM, False),
        ("Ana Lima", date(2024, 1, 2), Initiator.ME, False),
        ("Ana Lima", date(2024, 1, 3), Initiator.ME, True),  # no answer after it
    ]
    assert {c.kind for c in contacts} == {InteractionKind.MESSAGE}


def test_group_chat_is_an_event_with_each_writer_on_their_days() -> None:
    chat, _ = parse_whatsapp(IOS_US_GROUP.splitlines())
    contacts = chat_contacts(chat, ["Me Myself"])
    assert [(c.name, c.on, c.by) for c in contacts] == [
        ("Ana Lima", date(2023, 12, 31), Initiator.THEM),
        ("Bea Chen", date(2023, 12, 31), Initiator.THEM),
        ("Carl Diaz", date(2024, 1, 1), Initiator.ME),
    ]
    assert {c.kind for c in contacts} == {InteractionKind.EVENT}


@given(
    start=st.datetimes(min_value=local(2010, 1, 1), max_value=local(2030, 1, 1)),
    gaps=st.lists(st.integers(min_value=0, max_value=60 * 24 * 40), min_size=2, max_size=30),
    layout=st.sampled_from(["android_us", "android_de", "ios_eu", "ios_us"]),
)
def test_any_chronological_chat_round_trips_its_timestamps(
    start: datetime, gaps: list[int], layout: str
) -> None:
    times = [start.replace(second=0, microsecond=0)]
    for gap in gaps:
        times.append(times[-1] + timedelta(minutes=gap))
    lines = [_line(layout, at, "Ana" if i % 2 else "Me") for i, at in enumerate(times)]
    chat, errors = parse_whatsapp(lines)
    assert errors == []
    parsed = [m.at for m in chat.messages]
    if any(t.day > 12 for t in times):
        assert parsed == times
    else:
        # Every day could be a month: either reading is possible, but the one chosen must
        # run forward in time as the true one does, and only swap day and month.
        assert parsed == sorted(parsed)
        swapped = [t.replace(month=t.day, day=t.month) for t in times]
        assert parsed in (times, swapped)


def _line(layout: str, at: datetime, who: str) -> str:
    hour12 = f"{at.hour % 12 or 12}:{at.minute:02d}"
    ampm = "PM" if at.hour >= 12 else "AM"
    if layout == "android_us":
        return f"{at.month}/{at.day}/{at:%y}, {hour12} {ampm} - {who}: hi"
    if layout == "android_de":
        return f"{at:%d.%m.%y, %H:%M} - {who}: hi"
    if layout == "ios_eu":
        return f"[{at:%d/%m/%Y, %H:%M:%S}] {who}: hi"
    return f"[{at.month}/{at.day}/{at:%y}, {hour12}:00{NNBSP}{ampm}] {who}: hi"


def test_reads_the_chat_inside_an_ios_zip_export(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Ana Lima.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", IOS.encode("utf-8"))
        archive.writestr("00000012-PHOTO-2024-01-02-08-01-00.jpg", b"\xff\xd8")
    chat, errors = read_whatsapp(path)
    assert errors == []
    assert [m.sender for m in chat.messages] == ["Ana Lima", "Me Myself", "Ana Lima"]
    assert (chat.title, chat.id) == ("Ana Lima", "Ana Lima")


@pytest.mark.parametrize(
    ("file_name", "title"),
    [
        ("WhatsApp Chat with Ana Lima.txt", "Ana Lima"),
        ("WhatsApp-Chat mit Bea Chen.txt", "Bea Chen"),
        ("_chat.txt", None),
    ],
)
def test_android_file_names_give_the_chat_title(tmp_path: Path, file_name: str, title: str) -> None:
    path = tmp_path / file_name
    path.write_text(ANDROID_DE, encoding="utf-8")
    chat = read_whatsapp(path)[0]
    assert chat.title == title
    assert chat.id == (title or "_chat")
