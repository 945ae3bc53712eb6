"""The morning digest: today's feed, birthdays and open introduction steps, as an email.

`build_digest` is pure: plain inputs in, an `EmailMessage` with a text part and an HTML
alternative out (dates, ids and the clock come in as parameters). `send_digest` hands it
to an SMTP server with the standard library's smtplib, under the connection rules of
core/network.py (STARTTLS by default on submission port 587; implicit TLS; plain only to
this machine).
"""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

from kith.core.network import Security, port_for, refusal

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class FeedLine(Protocol):
    """What the digest says of someone to nurture (`core.feed.FeedItem` is one)."""

    @property
    def name(self) -> str:
        """Who."""
        ...

    @property
    def why(self) -> str:
        """Why today."""
        ...

    @property
    def gesture(self) -> str:
        """What to do."""
        ...


@dataclass(frozen=True)
class Birthday:
    name: str
    on: date  # this year's date of the birthday (or other date that matters)
    what: str = "birthday"


@dataclass(frozen=True)
class IntroStep:
    a: str
    b: str
    next_step: str  # "ask Bea whether she wants to meet Carl"


@dataclass(frozen=True)
class Digest:
    today: date
    feed: Sequence[FeedLine] = ()
    birthdays: Sequence[Birthday] = ()
    intros: Sequence[IntroStep] = ()

    def is_empty(self) -> bool:
        return not (self.feed or self.birthdays or self.intros)


def when(on: date, today: date) -> str:
    """ "today", "tomorrow", a weekday within the week, else the date."""
    days = (on - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 1 < days < 7:
        return f"on {WEEKDAYS[on.weekday()]}"
    return f"on {on.isoformat()}"


def subject(digest: Digest) -> str:
    parts = []
    if digest.feed:
        parts.append(f"{len(digest.feed)} to nurture")
    if digest.birthdays:
        parts.append(f"{len(digest.birthdays)} dates")
    if digest.intros:
        parts.append(f"{len(digest.intros)} intro steps")
    summary = ", ".join(parts) or "nothing due"
    return f"kith, {digest.today.isoformat()}: {summary}"


def digest_text(digest: Digest) -> str:
    """The plain-text body (also what `kith digest --print` shows)."""
    lines = [f"Your garden on {WEEKDAYS[digest.today.weekday()]} {digest.today.isoformat()}", ""]
    if digest.is_empty():
        lines.append("Nothing is due today. Enjoy it.")
    if digest.feed:
        lines.append("Who to nurture today")
        for item in digest.feed:
            lines += [f"- {item.name}: {item.why}", f"  Idea: {item.gesture}"]
        lines.append("")
    if digest.birthdays:
        lines.append("Dates that matter")
        for day in digest.birthdays:
            lines.append(f"- {day.name}'s {day.what} {when(day.on, digest.today)}: a short note")
        lines.append("")
    if digest.intros:
        lines.append("Introductions waiting on you")
        lines += [f"- {step.a} and {step.b}: {step.next_step}" for step in digest.intros]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def digest_html(digest: Digest) -> str:
    e = html.escape
    sections: list[str] = []
    if digest.is_empty():
        sections.append("<p>Nothing is due today. Enjoy it.</p>")
    if digest.feed:
        items = "".join(
            f"<li><strong>{e(i.name)}</strong>: {e(i.why)}<br><em>Idea: {e(i.gesture)}</em></li>"
            for i in digest.feed
        )
        sections.append(f"<h2>Who to nurture today</h2><ul>{items}</ul>")
    if digest.birthdays:
        items = "".join(
            f"<li><strong>{e(d.name)}</strong>'s {e(d.what)} {e(when(d.on, digest.today))}: "
            "a short note</li>"
            for d in digest.birthdays
        )
        sections.append(f"<h2>Dates that matter</h2><ul>{items}</ul>")
    if digest.intros:
        items = "".join(
            f"<li><strong>{e(s.a)}</strong> and <strong>{e(s.b)}</strong>: {e(s.next_step)}</li>"
            for s in digest.intros
        )
        sections.append(f"<h2>Introductions waiting on you</h2><ul>{items}</ul>")
    title = f"Your garden on {WEEKDAYS[digest.today.weekday()]} {digest.today.isoformat()}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head>"
        '<body style="font-family: sans-serif; line-height: 1.4; max-width: 40em">'
        f"<h1>{e(title)}</h1>{''.join(sections)}</body></html>"
    )


def build_digest(
    digest: Digest, *, sender: str, to: str, now: datetime, domain: str = "kith.invalid"
) -> EmailMessage:
    """The digest as a multipart/alternative message (text first, HTML preferred)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject(digest)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
    message.set_content(digest_text(digest))
    message.add_alternative(digest_html(digest), subtype="html")
    return message


class SmtpError(Exception):
    """The digest could not be handed over (one readable line)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None = None  # the security's usual port when None (587 for STARTTLS)
    security: Security = Security.STARTTLS
    user: str | None = None
    password: str | None = None
    ssl_context: ssl.SSLContext | None = None  # the system's trusted CAs when None
    timeout: float = 30.0


def send_digest(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send over SMTP; SmtpError when the server cannot be reached or refuses."""
    reason = refusal(settings.host, settings.security)
    if reason is not None:
        raise SmtpError(reason)
    port = port_for("smtp", settings.security, settings.port)
    context = settings.ssl_context or ssl.create_default_context()
    where = f"{settings.host}:{port}"
    try:
        with _open(settings, port, context) as smtp:
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise SmtpError(f"{where}: login as {settings.user} refused ({error.smtp_code})") from None
    except smtplib.SMTPException as error:
        raise SmtpError(f"{where}: {_one_line(error)}") from None
    except ssl.SSLError as error:
        raise SmtpError(f"{where}: TLS failed: {error.reason or error}") from None
    except OSError as error:
        raise SmtpError(f"{where}: cannot connect: {error.strerror or error}") from None


def _open(settings: SmtpSettings, port: int, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security is Security.TLS:
        return smtplib.SMTP_SSL(settings.host, port, timeout=settings.timeout, context=context)
    smtp = smtplib.SMTP(settings.host, port, timeout=settings.timeout)
    try:
        if settings.security is Security.STARTTLS:
            smtp.starttls(context=context)
    except (smtplib.SMTPException, OSError):
        smtp.close()
        raise
    return smtp


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
