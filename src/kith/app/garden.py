"""The garden a command works on: the database, the owner's account and today's date."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kith.app.errors import NotFound
from kith.core.kept_facts import rules_key
from kith.core.rules import Rules
from kith.semantic import available as semantic_available
from kith.settings import Settings, SettingsError, default_database_url
from kith.store import Connection, Engine, change_log_trim, db, kept_facts
from kith.store.people import ensure_account, find_account


@dataclass(frozen=True)
class Garden:
    """An open garden: its database, account, today's date and the rules in force."""

    engine: Engine
    account_id: int
    today: date
    url: str
    rules: Rules = field(default_factory=Rules)
    semantic: bool = False  # compare tags by embeddings too (settings' `semantic`)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One action, one transaction: all of it is written or none of it."""
        with db.writing(self.engine) as conn:
            yield conn
            change_log_trim.after_write(conn)  # the change log stays bounded

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reading; nothing is written through it."""
        with self.engine.connect() as conn:
            yield conn

    def version(self) -> str:
        """Changes whenever anyone (this process or another) writes the garden's database.

        Figures cached against it are recomputed after any write, the CLI's included.
        """
        return db.version(self.engine)


def local_today() -> date:
    """Today in the machine's time zone: the one clock reading the shells pass in."""
    return datetime.now(UTC).astimezone().date()


def keep_engines() -> None:
    """In a process that runs many commands (`kith resident`): reuse each garden's engine."""
    db.keep_engines()


def open_garden(
    settings: Settings, today: date, *, create: bool = False, existing: bool = False
) -> Garden:
    """Open (and on first use, create or upgrade) the garden the settings point at.

    `today` is the caller's clock reading; `KITH_TODAY` in the settings wins over it. A new
    SQLite file's folder is made for the default location, or when `create` (kith init).
    With `existing`, an account that is not there yet is not made: `NotFound` instead.
    """
    rules = rules_from(settings.rules)
    if settings.semantic and not semantic_available():
        raise SettingsError(
            "semantic is on, but its extra is not installed: pip install 'kith[semantic]'"
        )
    default = settings.database_url == default_database_url()
    engine = db.create(
        settings.database_url, create_folder=create or default, write_wait=settings.write_wait
    )
    db.migrate(engine)
    with engine.connect() as conn:  # a read: opening a garden must not wait for a writer
        account_id = find_account(conn, settings.account)
    if account_id is None and existing:
        engine.dispose()
        raise NotFound(f"no member {settings.account}")
    if account_id is None:
        with db.writing(engine) as conn:
            account_id = ensure_account(conn, settings.account)
    keep_facts_current(engine, account_id, rules)
    return Garden(
        engine=engine,
        account_id=account_id,
        today=settings.today or today,
        url=engine.url.render_as_string(hide_password=True),
        rules=rules,
        semantic=settings.semantic,
    )


def keep_facts_current(engine: Engine, account_id: int, rules: Rules) -> None:
    """Rebuild an account's kept facts once if they were kept under other rules."""
    with engine.connect() as conn:
        kept_under = kept_facts.kept_key(conn, account_id)
    if kept_under != rules_key(rules):
        # Facts kept under other rules (a changed [rules] table) are rebuilt once, here.
        with db.writing(engine) as conn:
            kept_facts.ensure(conn, account_id, rules)


def rules_from(overrides: Mapping[str, object]) -> Rules:
    """The judgement constants with the config file's [rules] applied, checked up front."""
    try:
        return Rules().with_overrides(overrides)
    except ValueError as exc:
        raise SettingsError(f"config file: {exc}") from None
