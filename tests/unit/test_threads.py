"""Thread rules over mail headers, connection rules, and header decoding."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.parser import BytesHeaderParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.model import Initiator
from kith.core.network import Security, is_loopback, port_for, refusal
from kith.core.threads import Mail, correspondents, ignore_reason, mail_contacts, threads
from kith.io import headers
from kith.io.imap import decode_folder, encode_folder, quote_folder, sequence_set

ME = ("me@example.org",)
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=60)


def mail(key: str, sender: str, to: str, hours: float, reply_to: str | None = None) -> Mail:
    return Mail(
        message_id=key,
        at=T0 + timedelta(hours=hours),
        sender=sender,
        recipients=(to,),
        in_reply_to=reply_to,
        references=(reply_to,) if reply_to else (),
    )


def test_initiator_is_the_sender_of_the_earliest_message_whatever_the_order() -> None:
    reply = mail("<2>", "me@example.org", "bo@x.org", 5, reply_to="<1>")
    first = mail("<1>", "bo@x.org", "me@example.org", 0)
    (thread,) = threads([reply, first], ME, NOW)
    assert (thread.root, thread.started_by, thread.by_me) == ("<1>", "bo@x.org", False)
    contacts = mail_contacts([reply, first], ME, NOW)
    assert [(c.message_id, c.email, c.by) for c in contacts] == [
        ("<1>", "bo@x.org", Initiator.THEM),
        ("<2>", "bo@x.org", Initiator.THEM),
    ]


def test_outreach_without_a_reply_in_the_window_is_unanswered_for_that_recipient() -> None:
    outreach = Mail("<1>", T0, "me@example.org", ("bo@x.org", "cy@x.org"))
    bo_replies = mail("<2>", "bo@x.org", "me@example.org", 24, reply_to="<1>")
    cy_late = mail("<3>", "cy@x.org", "me@example.org", 24 * 20, reply_to="<2>")
    (thread,) = threads([outreach, bo_replies, cy_late], ME, NOW)
    assert thread.unanswered == ("cy@x.org",)
    flagged = [c for c in mail_contacts([outreach, bo_replies, cy_late], ME, NOW) if c.unanswered]
    assert [(c.message_id, c.email) for c in flagged] == [("<1>", "cy@x.org")]


def test_outreach_younger_than_the_window_is_still_waiting() -> None:
    outreach = Mail("<1>", NOW - timedelta(days=3), "me@example.org", ("bo@x.org",))
    assert threads([outreach], ME, NOW)[0].unanswered == ()


def test_an_auto_reply_is_no_answer() -> None:
    outreach = Mail("<1>", T0, "me@example.org", ("bo@x.org",))
    auto = Mail(
        "<2>",
        T0 + timedelta(minutes=2),
        "bo@x.org",
        ME,
        in_reply_to="<1>",
        auto_submitted="auto-replied",
        subject="Out of office",
    )
    (thread,) = threads([outreach, auto], ME, NOW)
    assert thread.unanswered == ("bo@x.org",)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"list_id": "<dev.lists.x.org>"}, "mailing list (List-Id)"),
        ({"precedence": " Bulk"}, "bulk mail (Precedence: bulk)"),
        ({"auto_submitted": "auto-generated"}, "automatic mail (Auto-Submitted)"),
        ({"sender": "no-reply@shop.example"}, "no-reply sender"),
        ({"sender": "MAILER-DAEMON@x.org"}, "no-reply sender"),
        ({"subject": "Automatic reply: Lunch"}, "automatic reply (subject)"),
        ({"sender": None}, "no sender"),
        ({"auto_submitted": "no"}, None),
        ({"sender": "noreen@x.org"}, None),
    ],
)
def test_ignore_reasons(changes: dict[str, str | None], reason: str | None) -> None:
    base = {"message_id": "<1>", "at": T0, "sender": "bo@x.org", "recipients": ME}
    assert ignore_reason(Mail(**{**base, **changes}), ME) == reason  # type: ignore[arg-type]


def test_my_own_reply_to_a_list_still_counts() -> None:
    mine = Mail("<1>", T0, "me@example.org", ("bo@x.org",), list_id="<dev.lists.x.org>")
    assert ignore_reason(mine, ME) is None


def test_the_same_message_in_two_folders_is_one_contact() -> None:
    sent = Mail("<1>", T0, "me@example.org", ("bo@x.org", "me@example.org"))
    contacts = mail_contacts([sent, sent], ME, NOW)
    assert [(c.message_id, c.email) for c in contacts] == [("<1>", "bo@x.org")]


@given(st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=60))
def test_sequence_set_names_exactly_the_uids(uids: list[int]) -> None:
    expanded: set[int] = set()
    for part in sequence_set(uids).split(","):
        low, _, high = part.partition(":")
        expanded.update(range(int(low), int(high or low) + 1))
    assert expanded == set(uids)


@given(st.text(min_size=1, max_size=30).filter(lambda s: all(c.isprintable() for c in s)))
def test_folder_names_round_trip_through_modified_utf7(name: str) -> None:
    encoded = encode_folder(name)
    assert encoded.isascii()
    assert decode_folder(encoded) == name


def test_folder_encoding_matches_rfc3501_example() -> None:
    assert encode_folder("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    assert quote_folder('Say "hi"') == '"Say \\"hi\\""'


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("mail.example.org", False),
        ("10.0.0.1", False),
        ("localhost.example.org", False),
    ],
)
def test_loopback_is_judged_by_the_name_alone(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_plain_connections_only_on_loopback_and_usual_ports() -> None:
    assert refusal("imap.example.org", Security.PLAIN) is not None
    assert refusal("imap.example.org", Security.STARTTLS) is None
    assert refusal("127.0.0.1", Security.PLAIN) is None
    assert port_for("imap", Security.TLS, None) == 993
    assert port_for("smtp", Security.STARTTLS, None) == 587
    assert port_for("smtp", Security.TLS, 2465) == 2465


def test_headers_survive_raw_bytes_encoded_commas_and_broken_addresses() -> None:
    raw = (
        b"From: =?utf-8?q?Jos=C3=A9_Garc=C3=ADa=2C_PhD?= <Jose@X.org>\r\n"
        b"Subject: Caf\xe9 cr\xe8me\r\n"
        b'To: a@b.org, "Broken <x@\r\n'
        b"Cc: =?iso-8859-1?q?M=FCller?= <m@x.de>, Zo\xc3\xab <z@x.org>\r\n"
        b"Date: Mon, 2 Mar 2026 10:00:00\r\n"
        b"References: <1@x> <2@x>\r\n\tfolded <3@x>\r\n\r\n"
    )
    parsed = BytesHeaderParser().parsebytes(raw)
    assert headers.addresses(parsed, "From") == (("José García, PhD", "jose@x.org"),)
    assert headers.text(parsed, "Subject") == "Café crème"
    assert headers.addresses(parsed, "To") == (("", "a@b.org"),)
    assert headers.addresses(parsed, "Cc") == (("Müller", "m@x.de"), ("Zoë", "z@x.org"))
    assert headers.message_ids(parsed, "References") == ("<1@x>", "<2@x>", "<3@x>")
    assert headers.sent_at(parsed) == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_correspondents_count_mail_both_ways_and_leave_out_the_known() -> None:
    mails = [
        mail("<1>", "bo@x.org", "me@example.org", 0),
        mail("<2>", "me@example.org", "bo@x.org", 5, reply_to="<1>"),
        Mail("<3>", T0 + timedelta(days=3), "me@example.org", ("cy@x.org", "di@x.org")),
    ]
    contacts = mail_contacts(mails, ME, NOW)
    found = correspondents(contacts, {"bo@x.org": "Bo Berg"}, known={"di@x.org"})
    assert [(c.email, c.name, c.mails, c.wrote_to_me, c.first_on, c.last_on) for c in found] == [
        ("bo@x.org", "Bo Berg", 2, 1, T0.date(), T0.date()),
        ("cy@x.org", None, 1, 0, date(2026, 3, 4), date(2026, 3, 4)),
    ]


@st.composite
def mailboxes(draw: st.DrawFn) -> list[Mail]:
    """Random mail among me and three people, each message replying to an earlier one or not."""
    people = ("me@example.org", "bo@x.org", "cy@x.org", "di@x.org")
    count = draw(st.integers(min_value=1, max_value=40))
    mails: list[Mail] = []
    for n in range(count):
        sender = draw(st.sampled_from(people))
        to = draw(st.sampled_from([p for p in people if p != sender]))
        parent = draw(st.none() | st.sampled_from(mails)) if mails else None
        hours = draw(st.integers(min_value=0, max_value=24 * 50))
        at = (parent.at if parent else T0) + timedelta(hours=hours + 1)
        reply_to = parent.message_id if parent else None
        mails.append(Mail(f"<{n}>", at, sender, (to,), reply_to, (reply_to,) if reply_to else ()))
    return mails


@given(mailboxes())
def test_every_message_is_in_one_thread_whose_root_is_its_earliest(mails: list[Mail]) -> None:
    found = threads(mails, ME, NOW)
    ids = [i for t in found for i in t.message_ids]
    assert sorted(ids) == sorted(m.message_id for m in mails)
    at = {m.message_id: m.at for m in mails}
    for thread in found:
        assert thread.root == thread.message_ids[0]
        assert all(at[thread.root] <= at[i] for i in thread.message_ids)
        assert thread.by_me == (thread.started_by in ME)
        assert not thread.unanswered or thread.by_me
