"""Mail headers from mbox files and Maildir folders; bodies are never kept."""

from __future__ import annotations

import mailbox
from dataclasses import fields
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from kith.io.mail import MailMessage, iter_mail, read_mail
from kith.io.records import FormatError, RecordError


def message(**headers: str) -> EmailMessage:
    msg = EmailMessage()
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("A body kith must never keep.")
    return msg


GOOD = message(
    From='"Ada L." <Ada@Example.com>',
    To="me@example.com, Grace <grace@example.com>",
    Cc="bob@example.com",
    Subject="=?utf-8?q?Caf=C3=A9_next_week=3F?=",
    Date="Fri, 05 Jan 2024 23:30:00 -0800",
    Message_ID="<abc@example.com>",
)
NO_DATE = message(From="x@example.com", To="me@example.com", Subject="undated")
NO_ID = message(From="y@example.com", To="me@example.com", Date="Mon, 1 Jan 2024 10:00:00 +0000")


def fill(box: mailbox.Mailbox) -> None:
    for msg in (GOOD, NO_DATE, NO_ID):
        box.add(msg)
    box.flush()
    box.close()


def test_mbox_headers_are_read_and_bad_messages_reported(tmp_path: Path) -> None:
    path = tmp_path / "archive.mbox"
    fill(mailbox.mbox(path))
    messages, errors = read_mail(path)
    assert messages[0] == MailMessage(
        message_id="<abc@example.com>",
        on=date(2024, 1, 5),  # the sender's own day
        from_email="ada@example.com",
        to_emails=("me@example.com", "grace@example.com"),
        cc_emails=("bob@example.com",),
        subject="Café next week?",
    )
    assert messages[1].message_id.startswith("sha256:")
    assert errors == [RecordError(2, "Date", "message 2 has no readable date")]
    assert "body" not in {f.name for f in fields(MailMessage)}


def test_maildir_folders_read_the_same(tmp_path: Path) -> None:
    fill(mailbox.Maildir(tmp_path / "Mail"))
    messages, errors = read_mail(tmp_path / "Mail")
    assert sorted(m.from_email for m in messages) == ["ada@example.com", "y@example.com"]
    assert len(errors) == 1


def test_what_is_not_a_mailbox_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(FormatError, match="not an mbox file"):
        iter_mail(tmp_path / "notes.txt")
    (tmp_path / "folder").mkdir()
    with pytest.raises(FormatError, match="not a Maildir folder"):
        iter_mail(tmp_path / "folder")
