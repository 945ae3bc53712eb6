"""Mail threads as interactions: who started each thread, and which outreach went unanswered.

Pure rules over headers (no bodies, no I/O, no clock: `now` is a parameter).

- Mail that no person wrote to me is ignored, so it neither counts as contact nor as a
  reply: mailing lists (List-Id, Precedence: list/bulk/junk), automatic mail
  (Auto-Submitted other than "no", RFC 3834; out-of-office subjects of mailers that set
  no header), and no-reply senders.
- A thread is what In-Reply-To and References connect (message ids only: two mails with
  the same subject and no references are two threads, as in most clients' strict mode).
  Its initiator is the sender of its earliest message.
- An outreach is the first message of a thread I started; it is unanswered for each of
  its recipients who wrote nothing in the thread within the window. An outreach younger
  than the window is still waiting, and is neither answered nor unanswered yet.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kith.core.model import Initiator

# Most replies to professional mail come within days; two weeks leaves room for travel and
# holidays before silence counts against a tie (the weed rule needs several in a row anyway).
REPLY_WINDOW_DAYS = 14

_NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply|mailer-daemon|postmaster|bounces?"
    r"|notifications?|newsletter)([-+_.].*)?@",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^(auto(matic)?( reply| response)?\s*:|out of (the )?office|abwesenheitsnotiz"
    r"|réponse automatique|respuesta automática|automatisch antwoord|undeliverable"
    r"|delivery status notification)",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})


@dataclass(frozen=True)
class Mail:
    """The headers of one message that the rules need (addresses lower-cased)."""

    message_id: str
    at: datetime
    sender: str | None
    recipients: tuple[str, ...]  # To and Cc
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    subject: str | None = None
    list_id: str | None = None
    precedence: str | None = None
    auto_submitted: str | None = None


@dataclass(frozen=True)
class MailContact:
    """One interaction to log: a message exchanged with one person of it."""

    message_id: str
    email: str
    on: date
    by: Initiator  # who started the thread, seen from me and this person
    unanswered: bool = False
    from_them: bool = False  # this message was theirs (else mine to them)


@dataclass(frozen=True)
class Thread:
    """A mail thread: who started it, when, and its messages."""

    root: str  # the message id of its earliest message
    started_by: str
    started_at: datetime
    message_ids: tuple[str, ...]
    by_me: bool
    unanswered: tuple[str, ...] = ()  # recipients of my outreach who did not reply in time


def ignore_reason(mail: Mail, mine: Collection[str] = ()) -> str | None:
    """Why this mail is no personal contact, or None when it is one."""
    if mail.sender is None:
        return "no sender"
    if mail.sender in mine:
        return None  # my own mail is personal even when I reply to a list
    if mail.list_id:
        return "mailing list (List-Id)"
    if mail.precedence and mail.precedence.strip().lower() in _BULK_PRECEDENCE:
        return f"bulk mail (Precedence: {mail.precedence.strip().lower()})"
    if mail.auto_submitted and mail.auto_submitted.strip().lower() != "no":
        return "automatic mail (Auto-Submitted)"
    if _NO_REPLY.match(mail.sender):
        return "no-reply sender"
    if mail.subject and _AUTO_SUBJECT.match(mail.subject.strip()):
        return "automatic reply (subject)"
    return None


def personal(mails: Iterable[Mail], mine: Collection[str]) -> list[Mail]:
    """The mail that people wrote, each message once (a copy in two folders is one)."""
    seen: dict[str, Mail] = {}
    for mail in mails:
        if ignore_reason(mail, mine) is None:
            seen.setdefault(mail.message_id, mail)
    return sorted(seen.values(), key=lambda m: (m.at, m.message_id))


def threads(
    mails: Iterable[Mail],
    mine: Collection[str],
    now: datetime,
    window_days: int = REPLY_WINDOW_DAYS,
) -> list[Thread]:
    """The threads of the personal mail, earliest first."""
    kept = personal(mails, mine)
    groups = _components(kept)
    window = timedelta(days=window_days)
    return [_thread(group, mine, now, window) for group in groups]


def mail_contacts(
    mails: Iterable[Mail],
    mine: Collection[str],
    now: datetime,
    window_days: int = REPLY_WINDOW_DAYS,
) -> list[MailContact]:
    """One contact per personal message and person in it (other than me)."""
    kept = personal(mails, mine)
    window = timedelta(days=window_days)
    contacts: list[MailContact] = []
    for group in _components(kept):
        thread = _thread(group, mine, now, window)
        for mail in group:
            contacts.extend(_contacts(mail, thread, mine))
    return contacts


def _contacts(mail: Mail, thread: Thread, mine: Collection[str]) -> list[MailContact]:
    assert mail.sender is not None  # personal() keeps only mail with a sender
    if mail.sender in mine:
        people = [r for r in dict.fromkeys(mail.recipients) if r not in mine]
    else:
        people = [mail.sender]
    first = mail.message_id == thread.root
    return [
        MailContact(
            message_id=mail.message_id,
            email=person,
            on=mail.at.date(),
            by=Initiator.ME if thread.by_me else Initiator.THEM,
            unanswered=first and person in thread.unanswered,
            from_them=mail.sender == person,
        )
        for person in people
    ]


def _thread(
    group: Sequence[Mail], mine: Collection[str], now: datetime, window: timedelta
) -> Thread:
    first = group[0]
    sender = first.sender or ""
    by_me = sender in mine
    unanswered: tuple[str, ...] = ()
    if by_me and now - first.at >= window:
        deadline = first.at + window
        replied = {m.sender for m in group[1:] if m.at <= deadline}
        recipients = dict.fromkeys(r for r in first.recipients if r not in mine)
        unanswered = tuple(r for r in recipients if r not in replied)
    return Thread(
        root=first.message_id,
        started_by=sender,
        started_at=first.at,
        message_ids=tuple(m.message_id for m in group),
        by_me=by_me,
        unanswered=unanswered,
    )


def _components(mails: Sequence[Mail]) -> list[list[Mail]]:
    """Mails joined by In-Reply-To and References, each group in time order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.get(root, root) != root:
            root = parent[root]
        while key != root:  # path compression keeps long threads cheap
            parent[key], key = root, parent[key]
        return root

    for mail in mails:
        parent.setdefault(mail.message_id, mail.message_id)
        for linked in (*mail.references, *([mail.in_reply_to] if mail.in_reply_to else [])):
            parent.setdefault(linked, linked)
            a, b = find(mail.message_id), find(linked)
            if a != b:
                parent[a] = b
    groups: dict[str, list[Mail]] = {}
    for mail in mails:  # already in time order
        groups.setdefault(find(mail.message_id), []).append(mail)
    return sorted(groups.values(), key=lambda g: (g[0].at, g[0].message_id))


@dataclass(frozen=True)
class Correspondent:
    """Someone I exchanged personal mail with: a candidate to seed when not in the garden."""

    email: str
    name: str | None
    mails: int  # messages exchanged (theirs to me and mine to them)
    wrote_to_me: int  # how many of them they sent: mail only I sent is weaker evidence
    first_on: date
    last_on: date


def correspondents(
    contacts: Iterable[MailContact],
    names: Mapping[str, str] | None = None,
    *,
    known: Collection[str] = (),
) -> list[Correspondent]:
    """Everyone in the contacts who is not `known` (already in the garden), most mail first.

    `contacts` come from mail_contacts; `names` maps an address to a display name seen in
    the headers (MailHeaders.names).
    """
    found: dict[str, list[MailContact]] = {}
    for contact in contacts:
        if contact.email not in known:
            found.setdefault(contact.email, []).append(contact)
    result = [
        Correspondent(
            email=address,
            name=(names or {}).get(address),
            mails=len(rows),
            wrote_to_me=sum(1 for r in rows if r.from_them),
            first_on=min(r.on for r in rows),
            last_on=max(r.on for r in rows),
        )
        for address, rows in found.items()
    ]
    return sorted(result, key=lambda c: (-c.mails, c.email))
