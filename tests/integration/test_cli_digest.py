"""`kith digest`: printed, and sent to a real SMTP server (aiosmtpd) from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import Kith
from tests.integration.test_digest_smtp import Inbox, _free_port


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_print_shows_todays_feed(kith: Kith) -> None:
    kith.ok("seed", "Bea Chen", "--met", "PyCon")
    text = kith.ok("digest", "--print").stdout
    assert "Who to nurture today" in text and "- Bea Chen:" in text
    doc = kith.ok("digest", "--print", "--json").json()
    assert [f["name"] for f in doc["feed"]] == ["Bea Chen"] and doc["intros"] == []


def test_birthdays_today_lead_the_feed_and_the_coming_week_are_dates_that_matter(
    kith: Kith,
) -> None:
    kith.ok("seed", "Bea Chen", "--on", "2026-11-01", "--birthday", "1990-11-27")  # today
    kith.ok("seed", "Cy Li", "--on", "2026-11-27", "--birthday", "1985-11-29")  # Sunday
    kith.ok("seed", "Dee Ray", "--on", "2026-11-27", "--birthday", "1980-12-10")  # too far
    doc = kith.ok("digest", "--print", "--json").json()
    assert (doc["feed"][0]["name"], doc["feed"][0]["why"]) == ("Bea Chen", "birthday today")
    assert doc["birthdays"] == [{"name": "Cy Li", "on": "2026-11-29", "what": "birthday"}]
    text = kith.ok("digest", "--print").stdout
    assert "Dates that matter" in text and "- Cy Li's birthday" in text and "Dee Ray's" not in text


def test_the_digest_arrives_at_the_smtp_server(kith: Kith, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    kith.ok("seed", "Bea Chen", "--met", "PyCon")
    env = {
        "KITH_SMTP_HOST": "127.0.0.1",
        "KITH_SMTP_PORT": str(port),
        "KITH_SMTP_SECURITY": "plain",
        "KITH_SMTP_FROM": "kith@example.org",
    }
    sent = kith("digest", "--to", "ana@example.org", "--json", env=env)
    assert sent.exit_code == 0, sent.stderr
    assert sent.json()["sent_to"] == "ana@example.org"
    ((sender, recipients, content),) = inbox.received
    assert (sender, recipients) == ("kith@example.org", ["ana@example.org"])
    message = message_from_bytes(content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None and "Bea Chen" in body.get_content()
    assert message.get_body(("html",)) is not None


def test_no_server_or_no_choice_is_one_line(kith: Kith) -> None:
    unset = kith("digest", "--to", "ana@example.org")
    assert unset.exit_code == 1 and "KITH_SMTP_HOST" in unset.stderr
    neither = kith("digest")
    assert neither.exit_code == 1 and "--to" in neither.stderr
    both = kith("digest", "--to", "ana@example.org", "--print")
    assert both.exit_code == 1 and "not both" in both.stderr
    bad = kith("digest", "--to", "not-an-address", env={"KITH_SMTP_HOST": "127.0.0.1"})
    assert bad.exit_code == 1 and "email" in bad.stderr
