"""kill -9 at seeded moments: a crash never leaves half an import, capture, merge, restore or
migration, on SQLite and on PostgreSQL (docs/reliability.md).

Each command is killed at 20 moments spread over its working time (`crash.kill_points`, the
same moments every run for a seed); after each kill the garden passes SQLite's integrity
check and `kith doctor`'s drift check, holds exactly what it held before or what a clean run
leaves, and a rerun from "before" completes to the same state as the clean run.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from alembic import command

from kith.io.carddav import CardDAVClient
from kith.store import db
from tests.conftest import assert_no_drift
from tests.integration import crash
from tests.integration._dovecot import PASSWORD, USER, Dovecot, deliver, running_dovecot
from tests.integration._mailbox import ME, generate_mailbox
from tests.integration.test_io_carddav import MKCOL, radicale  # noqa: F401 - the fixture

KILLS = 20
PEOPLE = 1500
MESSAGES = 1500

pytestmark = pytest.mark.slow


def contacts_vcf(path: Path, count: int) -> Path:
    """A vCard file of `count` distinct people with an email, a company and a note each."""
    cards = [
        "\r\n".join(
            [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"FN:Person {n:05d} Crash",
                f"N:Crash;Person {n:05d};;;",
                f"EMAIL:person{n}@example.org",
                f"ORG:Company {n % 97}",
                f"NOTE:met at the harness meetup number {n}",
                "END:VCARD",
            ]
        )
        for n in range(count)
    ]
    path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    return path


def mail_mbox(path: Path, people: int, count: int) -> Path:
    """`count` messages between me and the people of `contacts_vcf`, over a year."""
    box = mailbox.mbox(path)
    start = datetime(2025, 11, 1, 9, tzinfo=UTC)
    try:
        for n in range(count):
            message = EmailMessage()
            them = f"person{n % people}@example.org"
            mine = n % 3 != 0
            message["From"] = "me@example.org" if mine else them
            message["To"] = them if mine else "me@example.org"
            message["Subject"] = f"catching up {n}"
            message["Message-ID"] = f"<crash-{n}@example.org>"
            message["Date"] = format_datetime(start + timedelta(hours=5 * n))
            message.set_content("hello")
            box.add(message)
    finally:
        box.close()
    return path


@dataclass(frozen=True)
class Workload:
    """A command to interrupt and how to prepare the garden it starts from."""

    name: str
    prepare: Callable[[str, Path], list[str]]  # fills the template, returns the command


def _ok(args: list[str], url: str, home: Path) -> None:
    done = crash.run(args, url, home)
    assert done.returncode == 0, (args, done.stderr)


def _import(url: str, home: Path) -> list[str]:
    _ok(["init"], url, home)
    return ["import", "vcard", str(contacts_vcf(home / "contacts.vcf", PEOPLE))]


def _with_people(url: str, home: Path) -> None:
    _ok(["init"], url, home)
    _ok(["import", "vcard", str(contacts_vcf(home / "few.vcf", PEOPLE // 5))], url, home)


def _capture(url: str, home: Path) -> list[str]:
    _with_people(url, home)
    mbox = mail_mbox(home / "mail.mbox", PEOPLE // 5, MESSAGES)
    return ["capture", "mbox", str(mbox), "--me", "me@example.org"]


def _merge(url: str, home: Path) -> list[str]:
    _with_people(url, home)
    mbox = mail_mbox(home / "mail.mbox", 2, MESSAGES // 3)  # two people, long histories
    _ok(["capture", "mbox", str(mbox), "--me", "me@example.org"], url, home)
    return ["merge", "person0@example.org", "person1@example.org"]


def _restore(url: str, home: Path) -> list[str]:
    backup = home / "garden.json"
    _capture_into(url, home)  # the garden to back up, built where the empty one will be
    _ok(["export", "json", str(backup)], url, home)
    _empty(url)
    _ok(["init"], url, home)
    return ["restore", str(backup)]


def _capture_into(url: str, home: Path) -> None:
    args = _capture(url, home)
    _ok(args, url, home)


def _empty(url: str) -> None:
    """Remove the garden at `url` entirely, so the next command starts a new one."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = db.create(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


def _migrate(url: str, home: Path) -> list[str]:
    _capture_into(url, home)
    engine = db.create(url)
    try:
        command.downgrade(db._alembic_config(engine), "0006")  # before the kept facts
    finally:
        engine.dispose()
    return ["list"]


WORKLOADS = [
    Workload("import", _import),
    Workload("capture", _capture),
    Workload("merge", _merge),
    Workload("restore", _restore),
    Workload("migrate", _migrate),
]


@pytest.fixture
def made(
    database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[crash.Gardens]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgres"
    admin = str(request.getfixturevalue("postgres_admin_url")) if kind == "postgres" else ""
    with crash.gardens(kind, tmp_path, admin) as copies:
        yield copies


def _startup(url: str, home: Path) -> float:
    """How long kith takes to start and read a garden: kills before it only test start-up."""
    return min(crash.run(["stats"], url, home).seconds for _ in range(2))


def _report(name: str, outcomes: list[crash.Outcome]) -> None:
    """Print the figures docs/reliability.md quotes; enough kills must land mid-run."""
    states = {state: sum(o.state == state for o in outcomes) for state in ("before", "after")}
    killed = sum(o.killed for o in outcomes)
    print(f"crash harness {name}: {KILLS} kills, {states}, {killed} mid-run")
    assert killed >= KILLS // 4, f"only {killed} of {KILLS} kills landed while {name} ran"


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.name for w in WORKLOADS])
def test_a_kill_leaves_the_garden_as_before_or_after_and_a_rerun_completes(
    made: crash.Gardens, workload: Workload, tmp_path: Path
) -> None:
    args = workload.prepare(made.template, tmp_path)
    startup = _startup(made.template, tmp_path) if workload.name != "migrate" else 0.3
    outcomes = crash.attack(
        made,
        args,
        tmp_path,
        seed=sum(map(ord, workload.name)),
        kills=KILLS,
        startup=startup,
        check=assert_no_drift,
    )
    assert len(outcomes) == KILLS
    _report(workload.name, outcomes)


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot holding a generated mailbox of 600 messages in INBOX and Sent."""
    deliveries, _ = generate_mailbox(seed=16, total=600)
    with running_dovecot() as server:
        for folder in ("INBOX", "Sent"):
            deliver(server, folder, [d.raw for d in deliveries if d.folder == folder])
        yield server


def test_a_kill_during_imap_capture_leaves_the_garden_as_before_or_after(
    made: crash.Gardens, dovecot: Dovecot, tmp_path: Path
) -> None:
    _, truth = generate_mailbox(seed=16, total=600)
    _ok(["init"], made.template, tmp_path)
    _ok(["me", "--email", ME[0], "--email", ME[1]], made.template, tmp_path)
    people = sorted(set(truth.initiators.values()) - set(ME))[:40]
    for n, email in enumerate(people):
        _ok(["seed", f"Correspondent {n:02d}", "--email", email], made.template, tmp_path)
    server = ["--host", "127.0.0.1", "--port", str(dovecot.imap_port), "--plain"]
    args = ["capture", "imap", *server, "--user", USER, "--folder", "INBOX", "--folder", "Sent"]
    outcomes = crash.attack(
        made,
        args,
        tmp_path,
        seed=sum(map(ord, "imap")),
        kills=KILLS,
        startup=_startup(made.template, tmp_path),
        check=assert_no_drift,
        env={"KITH_IMAP_PASSWORD": PASSWORD},
    )
    _report("imap", outcomes)


def test_a_kill_during_a_carddav_sync_leaves_both_sides_whole(
    made: crash.Gardens,
    radicale: str,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    _with_people(made.template, tmp_path)  # 300 people, none on the server yet
    books = iter(range(10_000))
    current: list[str] = []

    def fresh_book() -> list[str]:
        url = f"{radicale}alice/book-{next(books)}/"
        with httpx.Client(auth=("alice", "x"), timeout=10) as http:
            http.request("PROPFIND", f"{radicale}alice/", headers={"Depth": "0"})
            assert http.request("MKCOL", url, content=MKCOL.encode()).status_code == 201
        current[:] = [url]
        return ["sync", "carddav", url, "--user", "alice"]

    def both_sides_whole(url: str) -> None:
        assert_no_drift(url)
        synced = crash.fingerprint(url)[0]
        if dict(synced).get("sync_state", 0) == 0:
            return  # nothing recorded here yet: the next sync starts over
        with httpx.Client(auth=("alice", "x"), timeout=30) as http:
            cards = CardDAVClient(current[0], http).snapshot()
        people = dict(synced)["people"]
        assert len(cards) == people, f"{len(cards)} cards on the server for {people} people"

    outcomes = crash.attack(
        made,
        fresh_book,
        tmp_path,
        seed=sum(map(ord, "sync")),
        kills=KILLS,
        startup=_startup(made.template, tmp_path),
        check=both_sides_whole,
    )
    _report("sync", outcomes)
