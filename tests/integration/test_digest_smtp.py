"""The digest sent to a real SMTP server (aiosmtpd): plain on loopback, STARTTLS with login."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from kith.core.network import Security
from kith.io.digest import (
    Digest,
    SmtpError,
    SmtpSettings,
    build_digest,
    send_digest,
)
from tests.integration._tls import self_signed
from tests.unit.test_io_digest import nurture_item

DIGEST = Digest(
    today=date(2026, 11, 25),
    feed=(nurture_item("Bea Chen", "last contact 40 days ago", "send her the article"),),
)
NOW = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        del server, session
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


def _login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    del server, session, envelope, mechanism
    ok = auth_data.login == b"ana" and auth_data.password == b"s3cret"
    # handled=False: aiosmtpd then answers a refusal with 535 itself (it defaults to True,
    # which means "I have replied already" and leaves the client waiting).
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_login,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _received(inbox: Inbox) -> EmailMessage:
    ((sender, recipients, content),) = inbox.received
    assert (sender, recipients) == ("kith@example.org", ["ana@example.org"])
    parsed = message_from_bytes(content, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _digest() -> EmailMessage:
    return build_digest(DIGEST, sender="kith@example.org", to="ana@example.org", now=NOW)


def test_digest_arrives_over_plain_smtp_on_loopback(plain_server: tuple[Inbox, int]) -> None:
    inbox, port = plain_server
    send_digest(_digest(), SmtpSettings("127.0.0.1", port, Security.PLAIN))
    message = _received(inbox)
    assert message["Subject"] == "kith, 2026-11-25: 1 to nurture"
    body = message.get_body(preferencelist=("plain",))
    markup = message.get_body(preferencelist=("html",))
    assert body is not None and "- Bea Chen: last contact 40 days ago" in body.get_content()
    assert markup is not None and "<strong>Bea Chen</strong>" in markup.get_content()


def test_digest_arrives_over_starttls_with_login(
    tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = tls_server
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    settings = SmtpSettings("127.0.0.1", port, Security.STARTTLS, "ana", "s3cret", trusted)
    send_digest(_digest(), settings)
    assert "Bea Chen" in str(_received(inbox).get_body(preferencelist=("plain",)))


def test_wrong_password_and_untrusted_certificate_are_one_line_errors(
    tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = tls_server
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    with pytest.raises(SmtpError, match="login as ana refused"):
        send_digest(
            _digest(), SmtpSettings("127.0.0.1", port, Security.STARTTLS, "ana", "no", trusted)
        )
    with pytest.raises(SmtpError, match="TLS failed"):
        send_digest(_digest(), SmtpSettings("127.0.0.1", port, Security.STARTTLS, "ana", "s3cret"))
    assert inbox.received == []


def test_plain_smtp_off_loopback_is_refused_before_connecting() -> None:
    with pytest.raises(SmtpError, match="only to this machine"):
        send_digest(_digest(), SmtpSettings("smtp.example.org", 25, Security.PLAIN))
