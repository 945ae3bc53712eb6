"""A seeded mailbox of threads across INBOX and Sent, with the truth it was built from.

Personal threads are planned first (who starts them, who replies to my outreach in time,
late, or never) and written after, so the truth is the plan, not what any rule computes.
Around them: mailing-list mail (List-Id) some of it from people I also write with,
newsletters from no-reply senders (Precedence: bulk), out-of-office auto-replies to my
outreach (Auto-Submitted: auto-replied, which must not count as an answer), a message with
broken headers, subjects in raw Latin-1 bytes and in encoded words of other charsets, and
copies of my own mail in INBOX when I Cc myself (the same Message-ID in two folders).
"""

from __future__ import annotations

import base64
import email.utils
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

ME = ("ana@example.org", "ana.lima@work.example")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
WINDOW = timedelta(days=14)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FIRST_NAMES = ("Bea", "Carl", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea")
LAST_NAMES = ("Chen", "Diaz", "Okafor", "Novak", "Silva", "Berg", "Ito", "Roy")
LATIN1_SUBJECTS = ("Café au lait?", "Réunion à Zürich", "Grüße aus Köln")


@dataclass(frozen=True)
class Delivery:
    folder: str  # "INBOX" or "Sent"
    message_id: str
    raw: bytes


@dataclass
class Truth:
    me: tuple[str, ...]
    now: datetime
    initiators: dict[str, str] = field(default_factory=dict)  # root id -> who started it
    unanswered: set[tuple[str, str]] = field(default_factory=set)  # (root id, recipient)
    personal_ids: set[str] = field(default_factory=set)
    ignored_ids: set[str] = field(default_factory=set)  # lists, bulk, auto-replies
    list_ids: set[str] = field(default_factory=set)
    broken_ids: set[str] = field(default_factory=set)  # no readable date: an error
    latin1_ids: dict[str, str] = field(default_factory=dict)  # message id -> subject


@dataclass
class _Writer:
    rng: random.Random
    deliveries: list[Delivery] = field(default_factory=list)

    def write(
        self,
        folder: str,
        headers: list[tuple[str, str | bytes]],
        message_id: str,
    ) -> None:
        lines = [
            name.encode() + b": " + (value if isinstance(value, bytes) else value.encode())
            for name, value in headers
        ]
        body = b"\r\n".join(lines) + b"\r\n\r\nThe body, which kith never reads.\r\n"
        self.deliveries.append(Delivery(folder, message_id, body))


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    people = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append((f"{first} {last}", f"{first.lower()}.{last.lower()}{i}@example.com"))
    return people


def _address(name: str, email_address: str) -> str:
    return email.utils.formataddr((name, email_address))


def generate_mailbox(seed: int = 16, total: int = 2000) -> tuple[list[Delivery], Truth]:
    rng = random.Random(seed)
    writer = _Writer(rng)
    truth = Truth(me=ME, now=NOW)
    people = _people(rng, 60)
    _fixed_noise(writer, truth)
    thread = 0
    while True:
        before = len(writer.deliveries)
        plan = _thread(writer, truth, people, thread)
        if len(writer.deliveries) > total - 40:  # leave room for list mail to fill up
            del writer.deliveries[before:]
            _forget(truth, plan)
            break
        thread += 1
    _list_mail(writer, truth, people, total - len(writer.deliveries))
    return writer.deliveries, truth


def _forget(truth: Truth, plan: _Plan) -> None:
    truth.initiators.pop(plan.root, None)
    truth.unanswered = {pair for pair in truth.unanswered if pair[0] != plan.root}
    truth.personal_ids -= set(plan.ids)
    truth.ignored_ids -= set(plan.ids)
    for key in plan.ids:
        truth.latin1_ids.pop(key, None)


@dataclass
class _Plan:
    root: str
    ids: list[str] = field(default_factory=list)


def _thread(writer: _Writer, truth: Truth, people: list[tuple[str, str]], number: int) -> _Plan:
    rng = writer.rng
    others = rng.sample(people, rng.choice((1, 1, 1, 2)))
    mine = rng.choice(ME)
    by_me = rng.random() < 0.5
    start = START + timedelta(minutes=rng.randrange(0, int((NOW - START).total_seconds() / 60)))
    plan = _Plan(root=f"<t{number}.0@kith.test>")
    # Who speaks when: (time, sender email, sender name); the first message starts it.
    first = ("Ana Lima", mine) if by_me else others[0]
    events: list[tuple[datetime, tuple[str, str]]] = [(start, first)]
    if by_me:
        for person in others:
            reply = _planned_reply(writer, truth, person, root=plan.root, start=start, mine=mine)
            if reply is not None:
                events.append((reply, person))
    else:
        events.append((start + timedelta(hours=rng.randrange(1, 24 * 5)), ("Ana Lima", mine)))
    # More talk after the plan: after the window when I started it, so that nobody who was
    # planned to stay silent answers in time by chance.
    last = max(at for at, _ in events)
    if by_me:
        last = max(last, start + WINDOW)
    for _ in range(rng.randrange(0, 4)):
        last += timedelta(hours=rng.randrange(1, 24 * 4))
        events.append((last, rng.choice([("Ana Lima", mine), *others])))
    events = sorted((e for e in events if e[0] < NOW), key=lambda e: e[0])
    truth.initiators[plan.root] = first[1]
    references: list[str] = []
    for index, (at, (name, sender)) in enumerate(events):
        message_id = f"<t{number}.{index}@kith.test>"
        _thread_message(
            writer,
            truth,
            at=at,
            sender=(name, sender),
            others=others,
            mine=mine,
            message_id=message_id,
            references=references,
        )
        plan.ids.append(message_id)
        references.append(message_id)
    return plan


def _planned_reply(
    writer: _Writer,
    truth: Truth,
    person: tuple[str, str],
    *,
    root: str,
    start: datetime,
    mine: str,
) -> datetime | None:
    """When this recipient of my outreach answers: in time, late, or never (None)."""
    rng = writer.rng
    fate = rng.random()
    if fate < 0.7:
        return start + timedelta(hours=rng.randrange(1, 24 * 10))
    reply = start + WINDOW + timedelta(days=rng.randrange(2, 30)) if fate < 0.85 else None
    if NOW - start >= WINDOW:
        truth.unanswered.add((root, person[1]))
    if rng.random() < 0.4:
        _auto_reply(writer, truth, person, root=root, start=start, mine=mine)
    return reply


def _thread_message(
    writer: _Writer,
    truth: Truth,
    *,
    at: datetime,
    sender: tuple[str, str],
    others: list[tuple[str, str]],
    mine: str,
    message_id: str,
    references: list[str],
) -> None:
    rng = writer.rng
    from_me = sender[1] in ME
    recipients = [p for p in others if p[1] != sender[1]]
    if not from_me:
        recipients = [("Ana Lima", mine), *recipients]
    subject: str | bytes = "Coffee next week?" if not references else "Re: Coffee next week?"
    if rng.random() < 0.05:
        text = rng.choice(LATIN1_SUBJECTS)
        subject = text.encode("latin-1")  # raw 8-bit, no charset declared
        truth.latin1_ids[message_id] = text
    elif rng.random() < 0.05:
        subject = "=?shift_jis?B?" + _b64("会議の件".encode("shift_jis")) + "?="
    headers: list[tuple[str, str | bytes]] = [
        ("From", _address(*sender)),
        ("To", ", ".join(_address(*p) for p in recipients[:1])),
    ]
    if recipients[1:]:
        headers.append(("Cc", ", ".join(_address(*p) for p in recipients[1:])))
    headers += [
        ("Subject", subject),
        ("Date", email.utils.format_datetime(at)),
        ("Message-ID", message_id),
    ]
    if references:
        headers += [("In-Reply-To", references[-1]), ("References", " ".join(references[-10:]))]
    writer.write("Sent" if from_me else "INBOX", headers, message_id)
    if from_me and rng.random() < 0.05:  # a Bcc to myself: the same message lands in INBOX
        writer.write("INBOX", headers, message_id)
    truth.personal_ids.add(message_id)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _auto_reply(
    writer: _Writer,
    truth: Truth,
    person: tuple[str, str],
    *,
    root: str,
    start: datetime,
    mine: str,
) -> None:
    message_id = f"<auto.{root.strip('<>')}@kith.test>"
    at = start + timedelta(minutes=3)
    if at >= NOW:
        return
    headers: list[tuple[str, str | bytes]] = [
        ("From", _address(*person)),
        ("To", _address("Ana Lima", mine)),
        ("Subject", "Automatic reply: Coffee next week?"),
        ("Date", email.utils.format_datetime(at)),
        ("Message-ID", message_id),
        ("In-Reply-To", root),
        ("References", root),
        ("Auto-Submitted", "auto-replied"),
    ]
    writer.write("INBOX", headers, message_id)
    truth.ignored_ids.add(message_id)


def _fixed_noise(writer: _Writer, truth: Truth) -> None:
    for n in range(40):  # newsletters
        message_id = f"<news{n}@shop.example>"
        at = START + timedelta(days=n * 7)
        writer.write(
            "INBOX",
            [
                ("From", _address("Shop", "no-reply@shop.example")),
                ("To", ME[0]),
                ("Subject", f"Deals of week {n}"),
                ("Date", email.utils.format_datetime(at)),
                ("Message-ID", message_id),
                ("Precedence", "bulk"),
            ],
            message_id,
        )
        truth.ignored_ids.add(message_id)
    broken = "<broken@kith.test>"
    writer.write(
        "INBOX",
        [
            ("From", '"Broken <nobody@'),
            ("To", "undisclosed-recipients:;"),
            ("Subject", b"=?utf-8?q?unterminated \xff\xfe"),
            ("Date", "Thursday, the 32nd of Smarch"),
            ("Message-ID", broken),
        ],
        broken,
    )
    truth.broken_ids.add(broken)


def _list_mail(writer: _Writer, truth: Truth, people: list[tuple[str, str]], count: int) -> None:
    rng = writer.rng
    for n in range(count):
        poster = rng.choice(people)  # people I write with post to lists too: not a contact
        message_id = f"<list{n}@lists.kith.test>"
        at = START + timedelta(hours=n * 3)
        headers: list[tuple[str, str | bytes]] = [
            ("From", _address(*poster)),
            ("To", "climbing@lists.kith.test"),
            ("Subject", f"[climbing] Route {n}"),
            ("Date", email.utils.format_datetime(at)),
            ("Message-ID", message_id),
            ("List-Id", "Climbing <climbing.lists.kith.test>"),
            ("Precedence", "list"),
        ]
        if n and rng.random() < 0.5:
            parent = f"<list{rng.randrange(n)}@lists.kith.test>"
            headers += [("In-Reply-To", parent), ("References", parent)]
        writer.write("INBOX", headers, message_id)
        truth.ignored_ids.add(message_id)
        truth.list_ids.add(message_id)
