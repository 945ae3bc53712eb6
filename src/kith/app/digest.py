"""`kith digest`: today's feed and open introduction steps, printed or sent by email.

A birthday today comes in the feed ("birthday today", first); the birthdays of the coming
week are the digest's "dates that matter", so a card can be on its way in time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kith.app import intros, nurture
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.inputs import emails
from kith.core.intro_flow import next_step
from kith.core.network import Security
from kith.io.digest import (
    Birthday,
    Digest,
    IntroStep,
    SmtpError,
    SmtpSettings,
    build_digest,
    digest_text,
    send_digest,
)
from kith.settings import SmtpConfig


def todays_digest(garden: Garden) -> Digest:
    """Today's feed and the introductions waiting on me."""
    feed = nurture.feed(garden)
    steps = []
    for view in intros.list_all(garden):
        step = next_step(view.intro, view.a_name, view.b_name)
        if step is not None:
            steps.append(IntroStep(view.a_name, view.b_name, step))
    ahead = tuple(Birthday(name, on) for name, on in nurture.birthdays_ahead(garden))
    return Digest(today=garden.today, feed=tuple(feed), birthdays=ahead, intros=tuple(steps))


def _json(digest: Digest) -> dict[str, Any]:
    return {
        "today": digest.today.isoformat(),
        "feed": [{"name": f.name, "why": f.why, "gesture": f.gesture} for f in digest.feed],
        "birthdays": [
            {"name": b.name, "on": b.on.isoformat(), "what": b.what} for b in digest.birthdays
        ],
        "intros": [{"a": s.a, "b": s.b, "next_step": s.next_step} for s in digest.intros],
    }


def printed(garden: Garden) -> tuple[str, dict[str, Any]]:
    """The digest as text (what the email's text part says), and as JSON."""
    digest = todays_digest(garden)
    return digest_text(digest), _json(digest)


def _smtp(config: SmtpConfig) -> SmtpSettings:
    if not config.host:
        raise InvalidInput("smtp", "no SMTP server set up: set KITH_SMTP_HOST or [smtp] host")
    return SmtpSettings(
        host=config.host,
        port=config.port,
        security=Security(config.security),
        user=config.user,
        password=config.password,
    )


def send(
    garden: Garden, to: str, config: SmtpConfig, *, now: datetime | None = None
) -> dict[str, Any]:
    """Send today's digest to `to` over the configured SMTP server."""
    (address,) = emails([to]) if to.strip() else ("",)
    if not address:
        raise InvalidInput("to", "is empty")
    settings = _smtp(config)
    digest = todays_digest(garden)
    sender = config.sender or (config.user if config.user and "@" in config.user else None)
    message = build_digest(
        digest,
        sender=sender or "kith@localhost",
        to=address,
        now=now or datetime.now(UTC),
    )
    try:
        send_digest(message, settings)
    except SmtpError as error:
        raise KithError(f"the digest was not sent: {error}") from None
    return {**_json(digest), "sent_to": address}
