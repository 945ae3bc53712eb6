"""`kith capture imap` against a real Dovecot holding a generated mailbox and its truth."""

from __future__ import annotations

import imaplib
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from kith.app import mail_capture, my_addresses
from kith.app.garden import Garden
from kith.store.tables import interactions
from tests.conftest import Kith
from tests.integration._dovecot import PASSWORD, USER, Dovecot, deliver, running_dovecot
from tests.integration._mailbox import ME, NOW, Delivery, Truth, generate_mailbox
from tests.integration.test_imap_dovecot import _append

pytestmark = pytest.mark.slow

FOLDERS = ("INBOX", "Sent")


@pytest.fixture(scope="module")
def mailbox() -> tuple[list[Delivery], Truth]:
    return generate_mailbox(seed=16, total=600)


@pytest.fixture
def dovecot(mailbox: tuple[list[Delivery], Truth]) -> Iterator[Dovecot]:
    with running_dovecot() as server:
        for folder in FOLDERS:
            deliver(server, folder, [d.raw for d in mailbox[0] if d.folder == folder])
        yield server


def _correspondents(truth: Truth, count: int) -> list[str]:
    """A few people the truth has threads and unanswered outreach with."""
    people = sorted({who for _, who in truth.unanswered})[: count // 2]
    starters = sorted(set(truth.initiators.values()) - set(ME) - set(people))
    return people + starters[: count - len(people)]


def _request(server: Dovecot, **more: object) -> mail_capture.ImapRequest:
    return mail_capture.ImapRequest(
        host="127.0.0.1",
        user=USER,
        password=PASSWORD,
        folders=FOLDERS,
        port=server.imaps_port,
        ssl_context=server.tls_context(),
        **more,  # type: ignore[arg-type]  # the test passes fields by name
    )


def test_capture_logs_what_the_truth_says_with_known_people(
    garden: Garden, kith: Kith, dovecot: Dovecot, mailbox: tuple[list[Delivery], Truth]
) -> None:
    _, truth = mailbox
    known = _correspondents(truth, 8)
    for n, address in enumerate(known):
        kith.ok("seed", f"Person {n}", "--email", address)
    my_addresses.my_addresses(garden, ME)
    dry = mail_capture.capture_imap(garden, _request(dovecot), dry_run=True, now=NOW)
    report = mail_capture.capture_imap(garden, _request(dovecot), now=NOW)
    assert dry.logged == report.logged > 0 and report.fetched == 600
    with garden.reading() as conn:
        rows = conn.execute(
            sa.select(interactions.c.source_key, interactions.c.by, interactions.c.unanswered)
        ).all()
    logged = {}
    for key, by, unanswered in rows:
        message_id, address = key.removeprefix("mail:").rsplit(":", 1)
        logged[(message_id, address)] = (by, unanswered)
    assert {m for m, _ in logged} <= truth.personal_ids
    assert not {m for m, _ in logged} & (truth.ignored_ids | truth.list_ids)
    assert {a for _, a in logged} == set(known)
    for (message_id, _), (by, _) in logged.items():
        if message_id in truth.initiators:
            assert (by == "me") == (truth.initiators[message_id] in ME)
    unanswered = {k for k, (_, flag) in logged.items() if flag}
    assert unanswered == {(r, w) for r, w in truth.unanswered if w in known}
    candidates = mail_capture.candidates(garden)
    assert candidates and not {c.email for c in candidates} & (set(known) | set(ME))
    assert candidates == sorted(candidates, key=lambda c: (-c.mails, c.email))


def test_a_second_run_fetches_only_new_mail_and_undo_removes_a_run(
    kith: Kith, dovecot: Dovecot
) -> None:
    kith.ok("seed", "Zoe Novak", "--email", "zoe@example.com")
    kith.ok("me", "--email", ME[0], "--email", ME[1])
    server = ("--host", "127.0.0.1", "--port", str(dovecot.imap_port), "--plain")
    args = ("capture", "imap", *server, "--user", USER, "--folder", "INBOX", "--folder", "Sent",
            "--json")  # fmt: skip
    env = {"KITH_IMAP_PASSWORD": PASSWORD}
    first = kith(*args, env=env)
    assert first.exit_code == 0, first.stderr
    assert (first.json()["fetched"], first.json()["logged"]) == (600, 0)
    again = kith(*args, env=env).json()
    assert (again["fetched"], again["logged"]) == (0, 0)
    conn = imaplib.IMAP4("127.0.0.1", dovecot.imap_port)
    conn.login(USER, PASSWORD)
    for n in range(3):
        _append(conn, "INBOX", n)
    conn.logout()
    third = kith(*args, env=env).json()
    assert (third["fetched"], third["logged"], third["people"]) == (3, 3, 1)
    zoe = kith.ok("show", "Zoe", "--json").json()
    assert [e["by"] for e in zoe["timeline"]] == ["them"] * 3
    kith.ok("capture", "undo", str(third["run"]))
    assert kith.ok("show", "Zoe", "--json").json()["counts"]["interactions"] == 0


def test_a_wrong_password_or_plain_off_loopback_is_one_line(kith: Kith, dovecot: Dovecot) -> None:
    kith.ok("me", "--email", ME[0])
    base = ("capture", "imap", "--user", USER, "--plain", "--port", str(dovecot.imap_port))
    wrong = kith(*base, "--host", "127.0.0.1", env={"KITH_IMAP_PASSWORD": "nope"})
    assert wrong.exit_code == 1 and "refused" in wrong.stderr
    assert len(wrong.stderr.splitlines()) == 1
    far = kith(*base, "--host", "mail.example.org", env={"KITH_IMAP_PASSWORD": "x"})
    assert far.exit_code == 1 and "plain" in far.stderr
    assert kith.ok("capture", "runs", "--json").json() == []
    assert os.environ.get("KITH_IMAP_PASSWORD") is None
