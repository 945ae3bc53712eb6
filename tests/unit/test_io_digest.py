"""The morning digest as a message: text and HTML parts from plain inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from kith.core.feed import FeedItem
from kith.core.model import Stage
from kith.io.digest import Birthday, Digest, IntroStep, build_digest, digest_text, when


def nurture_item(name: str, why: str, gesture: str) -> FeedItem:
    """A feed item as the digest reads it (who, why, what to do)."""
    return FeedItem(1, name, Stage.GROWING, date(2026, 11, 1), 26, why, gesture)


TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
DIGEST = Digest(
    today=TODAY,
    feed=(
        nurture_item(
            "Bea Chen", "last contact 40 days ago, cadence 30", "send her the <UX> article"
        ),
        nurture_item("Carl Diaz", "a new seed: follow up", "ask how the launch went"),
    ),
    birthdays=(Birthday("Ana Lima", date(2026, 11, 27)), Birthday("Dan Roy", TODAY)),
    intros=(IntroStep("Bea Chen", "Carl Diaz", "ask Carl whether he wants to meet Bea"),),
)


def _parts(message: EmailMessage) -> tuple[str, str]:
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(preferencelist=("plain",))
    markup = parsed.get_body(preferencelist=("html",))
    assert text is not None and markup is not None
    return str(text.get_content()), str(markup.get_content())


def test_digest_has_text_and_html_with_every_item() -> None:
    message = build_digest(DIGEST, sender="kith@example.org", to="ana@example.org", now=NOW)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "kith, 2026-11-25: 2 to nurture, 2 dates, 1 intro steps"
    assert message["Auto-Submitted"] == "auto-generated"
    text, markup = _parts(message)
    assert "- Bea Chen: last contact 40 days ago, cadence 30" in text
    assert "Idea: send her the <UX> article" in text
    assert "- Ana Lima's birthday on Friday: a short note" in text
    assert "- Dan Roy's birthday today: a short note" in text
    assert "- Bea Chen and Carl Diaz: ask Carl whether he wants to meet Bea" in text
    assert "send her the &lt;UX&gt; article" in markup  # escaped, never markup
    assert "<strong>Ana Lima</strong>'s birthday on Friday" in markup


def test_an_empty_day_says_so() -> None:
    assert "Nothing is due today" in digest_text(Digest(today=TODAY))


def test_when_names_the_day() -> None:
    assert [when(date(2026, 11, d), TODAY) for d in (25, 26, 30)] == [
        "today",
        "tomorrow",
        "on Monday",
    ]
    assert when(date(2026, 12, 9), TODAY) == "on 2026-12-09"
