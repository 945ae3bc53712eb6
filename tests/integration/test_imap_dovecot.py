"""The IMAP client and the thread rules against a real Dovecot holding a generated mailbox."""

from __future__ import annotations

import email.utils
import imaplib
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from email.parser import BytesHeaderParser
from typing import Any

import pytest

from kith.core.network import Security
from kith.core.threads import ignore_reason, mail_contacts, threads
from kith.io.imap import (
    FolderFetch,
    FolderState,
    ImapAccount,
    ImapError,
    connect,
    fetch_folder,
    fetch_headers,
    special_folders,
)
from tests.integration._dovecot import PASSWORD, USER, Dovecot, deliver, running_dovecot
from tests.integration._mailbox import ME, NOW, Delivery, Truth, generate_mailbox

pytestmark = pytest.mark.slow

FOLDERS = ("INBOX", "Sent")


@pytest.fixture(scope="module")
def mailbox() -> tuple[list[Delivery], Truth]:
    return generate_mailbox(seed=16, total=2000)


def _serve(deliveries: list[Delivery]) -> Iterator[Dovecot]:
    with running_dovecot() as server:
        for folder in FOLDERS:
            deliver(server, folder, [d.raw for d in deliveries if d.folder == folder])
        yield server


@pytest.fixture(scope="module")
def dovecot(mailbox: tuple[list[Delivery], Truth]) -> Iterator[Dovecot]:
    """One server for the tests that only read (starting one costs seconds)."""
    yield from _serve(mailbox[0])


@pytest.fixture
def fresh_dovecot(mailbox: tuple[list[Delivery], Truth]) -> Iterator[Dovecot]:
    """A server of its own, for a test that changes the mailbox."""
    yield from _serve(mailbox[0])


@pytest.fixture(scope="module")
def first_fetch(dovecot: Dovecot) -> list[FolderFetch]:
    return _fetch_all(dovecot)[0]


def _account(server: Dovecot, security: Security = Security.TLS) -> ImapAccount:
    port = server.imaps_port if security is Security.TLS else server.imap_port
    return ImapAccount(
        "127.0.0.1",
        USER,
        PASSWORD,
        port=port,
        security=security,
        ssl_context=server.tls_context(),
    )


class CountingConnection:
    """Counts the UID commands a real imaplib connection sends (SEARCH, FETCH)."""

    def __init__(self, conn: imaplib.IMAP4) -> None:
        self.conn = conn
        self.commands: list[str] = []
        original: Callable[..., Any] = conn.uid

        def counted(command: str, *args: Any) -> Any:
            self.commands.append(command.upper())
            return original(command, *args)

        conn.uid = counted  # type: ignore[method-assign]


def _fetch_all(
    server: Dovecot, states: dict[str, FolderState] | None = None
) -> tuple[list[FolderFetch], CountingConnection]:
    counting = CountingConnection(connect(_account(server)))
    try:
        results = [fetch_folder(counting.conn, f, (states or {}).get(f)) for f in FOLDERS]
    finally:
        counting.conn.logout()
    return results, counting


def _message_ids(results: list[FolderFetch]) -> set[str]:
    return {m.message_id for r in results for m in r.messages}


def test_first_fetch_reads_every_header_and_the_thread_rules_match_the_truth(
    first_fetch: list[FolderFetch], mailbox: tuple[list[Delivery], Truth]
) -> None:
    deliveries, truth = mailbox
    results = first_fetch
    assert sum(len(r.fetched_uids) for r in results) == len(deliveries) == 2000
    assert all(r.rescanned for r in results)
    errors = [e for r in results for e in r.errors]
    assert [e.field for e in errors] == ["Date"]  # the message with broken headers, by UID
    assert _message_ids(results) == {d.message_id for d in deliveries} - truth.broken_ids

    mails = [m.mail() for r in results for m in r.messages]
    found = threads(mails, ME, NOW)
    assert {t.root: t.started_by for t in found} == truth.initiators
    unanswered = {(t.root, who) for t in found for who in t.unanswered}
    assert unanswered == truth.unanswered
    in_threads = {i for t in found for i in t.message_ids}
    assert in_threads == truth.personal_ids
    assert not in_threads & truth.list_ids


def test_list_mail_bulk_and_auto_replies_are_ignored_with_a_reason(
    first_fetch: list[FolderFetch], mailbox: tuple[list[Delivery], Truth]
) -> None:
    _, truth = mailbox
    results = first_fetch
    reasons = {m.message_id: ignore_reason(m.mail(), ME) for r in results for m in r.messages}
    assert {i for i, why in reasons.items() if why} == truth.ignored_ids
    assert {reasons[i] for i in truth.list_ids} == {"mailing list (List-Id)"}
    contacts = mail_contacts([m.mail() for r in results for m in r.messages], ME, NOW)
    assert {c.message_id for c in contacts} == truth.personal_ids
    assert all(c.email not in ME for c in contacts)


def test_legacy_charset_subjects_are_decoded(
    first_fetch: list[FolderFetch], mailbox: tuple[list[Delivery], Truth]
) -> None:
    _, truth = mailbox
    results = first_fetch
    subjects = {m.message_id: m.subject for r in results for m in r.messages}
    assert truth.latin1_ids
    assert {i: subjects[i] for i in truth.latin1_ids} == truth.latin1_ids
    assert "会議の件" in subjects.values()


def test_second_run_fetches_only_the_new_messages(fresh_dovecot: Dovecot) -> None:
    dovecot = fresh_dovecot
    first, _ = _fetch_all(dovecot)
    states = {r.folder: r.state for r in first}

    unchanged, counting = _fetch_all(dovecot, states)
    assert counting.commands == []  # UIDNEXT says nothing arrived: no SEARCH, no FETCH
    assert [r.state for r in unchanged] == [r.state for r in first]

    conn = connect(_account(dovecot))
    new_uids = [_append(conn, "INBOX", n) for n in range(3)]
    conn.logout()
    second, counting = _fetch_all(dovecot, states)
    inbox, sent = second
    assert list(inbox.fetched_uids) == new_uids
    assert {m.message_id for m in inbox.messages} == {f"<new{n}@kith.test>" for n in range(3)}
    assert sent.fetched_uids == ()
    assert counting.commands == ["SEARCH", "FETCH"]  # one of each, for INBOX only
    assert inbox.state == FolderState(states["INBOX"].uidvalidity, max(new_uids))
    assert not inbox.rescanned


def test_a_changed_uidvalidity_rescans_the_folder(fresh_dovecot: Dovecot) -> None:
    dovecot = fresh_dovecot
    first, _ = _fetch_all(dovecot)
    states = {r.folder: r.state for r in first}
    renumbered = states["Sent"].uidvalidity + 1000
    dovecot.doveadm("mailbox", "update", "-u", USER, "--uid-validity", str(renumbered), "Sent")
    inbox, sent = _fetch_all(dovecot, states)[0]
    assert sent.rescanned and sent.state.uidvalidity == renumbered
    assert _message_ids([sent]) == _message_ids([first[1]])  # the caller dedups by Message-ID
    assert not inbox.rescanned and inbox.fetched_uids == ()


def test_never_reads_a_body(dovecot: Dovecot, first_fetch: list[FolderFetch]) -> None:
    assert first_fetch
    # Dovecot logs what each session read: headers of every message, no body at all.
    log = (dovecot.root / "dovecot.log").read_text(errors="replace")
    sessions = re.findall(r"hdr_count=(\d+) hdr_bytes=\d+ body_count=(\d+) body_bytes=(\d+)", log)
    assert sum(int(h) for h, _, _ in sessions) >= 2000
    assert {(b, n) for _, b, n in sessions} == {("0", "0")}


def test_starttls_and_special_use_folders(dovecot: Dovecot) -> None:
    results = fetch_headers(_account(dovecot, Security.STARTTLS), ["Sent"], {})
    assert len(results[0].messages) > 0
    conn = connect(_account(dovecot))
    assert special_folders(conn)["\\Sent"] == "Sent"
    conn.logout()


def test_plain_is_refused_off_loopback_and_bad_login_is_one_line(dovecot: Dovecot) -> None:
    with pytest.raises(ImapError, match="only to this machine"):
        connect(ImapAccount("mail.example.org", USER, PASSWORD, security=Security.PLAIN))
    plain = ImapAccount(
        "127.0.0.1", USER, PASSWORD, port=dovecot.imap_port, security=Security.PLAIN
    )
    assert fetch_headers(plain, ["INBOX"], {})[0].fetched_uids
    wrong = ImapAccount(
        "127.0.0.1", USER, "wrong", port=dovecot.imaps_port, ssl_context=dovecot.tls_context()
    )
    with pytest.raises(ImapError, match=r"login as ana@example.org refused") as caught:
        connect(wrong)
    assert "\n" not in str(caught.value)
    with pytest.raises(ImapError, match="TLS failed"):
        connect(ImapAccount("127.0.0.1", USER, PASSWORD, port=dovecot.imaps_port))


def test_since_reads_only_mail_sent_since_that_day(
    dovecot: Dovecot, mailbox: tuple[list[Delivery], Truth]
) -> None:
    deliveries, _ = mailbox
    since = date(2026, 10, 1)
    (sent,) = fetch_headers(_account(dovecot), ["Sent"], {}, since=since)
    expected = {d.message_id for d in deliveries if d.folder == "Sent" and _sent_on(d.raw) >= since}
    assert 0 < len(expected) < sum(1 for d in deliveries if d.folder == "Sent")
    assert {m.message_id for m in sent.messages} == expected


def _sent_on(raw: bytes) -> date:
    headers = BytesHeaderParser().parsebytes(raw)
    return email.utils.parsedate_to_datetime(str(headers["Date"])).date()


def test_a_missing_folder_is_named(dovecot: Dovecot) -> None:
    with pytest.raises(ImapError, match="folder 'Archive 2019'"):
        fetch_headers(_account(dovecot), ["Archive 2019"], {})


def _append(conn: imaplib.IMAP4, folder: str, number: int) -> int:
    at = NOW - timedelta(hours=number + 1)
    raw = (
        f"From: Zoe Novak <zoe@example.com>\r\nTo: {ME[0]}\r\nSubject: New {number}\r\n"
        f"Date: {email.utils.format_datetime(at)}\r\nMessage-ID: <new{number}@kith.test>\r\n"
        "\r\nhello\r\n"
    ).encode()
    typ, data = conn.append(folder, None, None, raw)
    assert typ == "OK"
    match = re.search(rb"APPENDUID \d+ (\d+)", data[0])
    assert match is not None
    return int(match[1])
