"""The machinery of the crash harness: gardens to start from, a kill at a seeded moment, checks.

Each workload is a garden to start from (a template: an SQLite file, or a PostgreSQL database
that `CREATE DATABASE ... TEMPLATE` copies in a fraction of a second) and one kith command. A
clean run gives the state after it and how long it takes; then each kill starts the command on
a fresh copy of the template, sends SIGKILL at a moment drawn from a seeded random generator
within the command's working time, and checks that the garden is sound and exactly as it was
before or as it is after, never in between, and that running the command again completes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from kith.store.db import integrity_problems, normalise_url

KITH = str(Path(sys.executable).with_name("kith"))
TODAY = "2026-11-27"

# What a garden holds, compared before and after: rows per table and who is in it. Ids are
# left out: PostgreSQL's sequences move on even when a transaction rolls back.
Fingerprint = tuple[tuple[tuple[str, int], ...], tuple[str, ...], tuple[str, ...]]


def fingerprint(url: str) -> Fingerprint:
    """Rows per table, the schema's revision and the sorted names of everyone."""
    engine = sa.create_engine(normalise_url(url))
    try:
        found = sa.MetaData()
        found.reflect(engine)
        with engine.connect() as conn:
            counts = tuple(
                (name, int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()))
                for name, t in sorted(found.tables.items())
            )
            names: tuple[str, ...] = ()
            if "people" in found.tables:
                people = found.tables["people"]
                names = tuple(sorted(conn.execute(sa.select(people.c.name)).scalars()))
            revision: tuple[str, ...] = ()
            if "alembic_version" in found.tables:
                version = found.tables["alembic_version"]
                revision = tuple(conn.execute(sa.select(version.c.version_num)).scalars())
    finally:
        engine.dispose()
    return counts, revision, names


def integrity(url: str) -> list[str]:
    """SQLite's integrity check findings ([] when sound, and always on PostgreSQL)."""
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return integrity_problems(conn) or []
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Run:
    """One command's run: how it ended and how long it took."""

    returncode: int
    seconds: float
    stderr: str


def kith_env(url: str, home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a kith process on `url`, with no user config."""
    return {
        **os.environ,
        "KITH_DATABASE_URL": url,
        "KITH_TODAY": TODAY,
        "KITH_CONFIG": str(home / "no-config.toml"),
        "HOME": str(home),
        **(extra or {}),
    }


def run(
    args: list[str],
    url: str,
    home: Path,
    kill_after: float | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run `kith ARGS`; with `kill_after`, SIGKILL it after that many seconds if still running."""
    started = time.monotonic()
    process = subprocess.Popen(
        [KITH, *args],
        env=kith_env(url, home, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=600)
    return Run(process.returncode, time.monotonic() - started, stderr)


class Gardens:
    """Copies of one template garden, on SQLite (file copies) or PostgreSQL (template DBs)."""

    def __init__(self, kind: str, folder: Path, admin_url: str) -> None:
        self.kind = kind
        self.folder = folder
        self.admin_url = admin_url
        self.template = self._new_url("template")
        self._made: list[str] = []

    def _new_url(self, label: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.folder / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        name = f"kith_crash_{label}_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return sa.make_url(self.admin_url).set(database=name).render_as_string(False)

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def copy(self) -> str:
        """A fresh copy of the template, as it is now."""
        if self.kind == "sqlite":
            url = self._new_url("copy")
            source = Path(sa.make_url(self.template).database or "")
            for suffix in ("", "-wal"):
                if Path(f"{source}{suffix}").exists():
                    target = Path(sa.make_url(url).database or "")
                    shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
            return url
        name = f"kith_crash_copy_{uuid.uuid4().hex[:10]}"
        template = sa.make_url(self.template).database
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._made.append(name)
        return sa.make_url(self.admin_url).set(database=name).render_as_string(False)

    def discard(self, url: str) -> None:
        """Drop a copy made by `copy` (PostgreSQL) or delete its files (SQLite)."""
        if self.kind == "sqlite":
            path = sa.make_url(url).database or ""
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        name = sa.make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.remove(str(name))

    def close(self) -> None:
        """Drop whatever PostgreSQL databases are left."""
        if self.kind == "postgres":
            for name in [*self._made, sa.make_url(self.template).database]:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gardens(kind: str, folder: Path, admin_url: str) -> Iterator[Gardens]:
    """A template garden and its copies, all removed afterwards."""
    made = Gardens(kind, folder, admin_url)
    try:
        yield made
    finally:
        made.close()


@dataclass(frozen=True)
class Outcome:
    """What one kill found."""

    at: float
    killed: bool
    state: str  # "before", "after" or "between"
    rerun: int | None  # the rerun's exit code when the kill left the garden as before


def kill_points(seed: int, count: int, start: float, end: float) -> list[float]:
    """`count` moments between `start` and `end` seconds, the same for the same seed."""
    rng = random.Random(seed)
    return sorted(rng.uniform(start, end) for _ in range(count))


def attack(
    made: Gardens,
    command: list[str] | Callable[[], list[str]],
    home: Path,
    *,
    seed: int,
    kills: int,
    startup: float,
    check: Callable[[str], None],
    env: dict[str, str] | None = None,
) -> list[Outcome]:
    """Kill `kith ARGS` at `kills` seeded moments on copies of the template; check each.

    `command` is the arguments, or a function that makes them afresh for each garden copy
    (a sync gets a new, empty address book each time); the rerun after a kill takes the
    killed run's. `check` sees the garden's URL after every kill and every rerun.
    """
    fresh = command if callable(command) else lambda: command
    before = fingerprint(made.template)
    clean = made.copy()
    args = fresh()
    finished = run(args, clean, home, env=env)
    assert finished.returncode == 0, finished.stderr
    after = fingerprint(clean)
    check(clean)
    made.discard(clean)
    assert after != before, "the command changed nothing: there is nothing to interrupt"
    outcomes = []
    # From just before the work starts (a short command may finish within kith's start-up
    # as `stats` measures it) to just after a clean run ends.
    start = min(startup * 0.8, finished.seconds * 0.5)
    for at in kill_points(seed, kills, start, finished.seconds * 1.05):
        url = made.copy()
        args = fresh()
        killed = run(args, url, home, kill_after=at, env=env)
        assert killed.returncode in {0, -signal.SIGKILL}, killed.stderr
        assert integrity(url) == [], (at, integrity(url))
        found = fingerprint(url)
        state = "before" if found == before else "after" if found == after else "between"
        assert state != "between", f"killed at {at:.2f}s: the garden is half-written"
        check(url)
        rerun = None
        if state == "before":
            again = run(args, url, home, env=env)
            rerun = again.returncode
            assert rerun == 0, again.stderr
            assert fingerprint(url) == after, f"killed at {at:.2f}s: the rerun differs"
            check(url)
        outcomes.append(Outcome(at, killed.returncode != 0, state, rerun))
        made.discard(url)
    return outcomes
