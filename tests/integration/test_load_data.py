"""The load benchmark's generator (bench/load_data.py) at a tiny size: what it writes opens
as real gardens, the kept facts agree with the history, and the keys it dropped are back."""

from __future__ import annotations

from datetime import date

import pytest
from bench import load_data
from sqlalchemy import create_engine, func, select, text

from kith.app import community_shares, dashboard, nurture
from kith.app.community import NeedsPostgres, open_member_garden
from kith.app.credentials import check_password, check_token
from kith.settings import Settings
from kith.store import db, kept_facts
from kith.store.tables import interactions, members, people, person_facts

TODAY = date(2026, 11, 27)
MEMBERS = 3

pytestmark = pytest.mark.postgres


def _constraints(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT conrelid::regclass::text, conname FROM pg_constraint"
                    " WHERE connamespace = current_schema()::regnamespace"
                    " UNION SELECT indrelid::regclass::text, indexrelid::regclass::text"
                    " FROM pg_index WHERE indrelid IN"
                    " (SELECT oid FROM pg_class"
                    " WHERE relnamespace = current_schema()::regnamespace)"
                )
            ).all()
    finally:
        engine.dispose()
    return {(str(r[0]), str(r[1])) for r in rows}


def test_a_tiny_load_community_opens_as_gardens_whose_facts_agree(postgres_url: str) -> None:
    made = load_data.generate(postgres_url, MEMBERS, TODAY)
    assert made.interactions == MEMBERS * load_data.INTERACTIONS

    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(members)).scalar() == MEMBERS
            assert conn.execute(select(func.count()).select_from(people)).scalar() == (
                MEMBERS * load_data.PEOPLE
            )
            assert conn.execute(select(func.count()).select_from(interactions)).scalar() == (
                MEMBERS * load_data.INTERACTIONS
            )
            assert conn.execute(select(func.count()).select_from(person_facts)).scalar()
            accounts = conn.execute(select(members.c.account_id)).scalars().all()
            assert all(kept_facts.drift(conn, account) == [] for account in accounts)
    finally:
        engine.dispose()

    settings = Settings(database_url=postgres_url)
    garden = open_member_garden(settings, TODAY, load_data.login(1))
    try:
        assert nurture.feed(garden, 20)
        assert dashboard.figures(garden, 20).feed
        assert check_password(garden, load_data.PASSWORD)
        assert check_token(garden, load_data.token(1))
        assert not check_token(garden, load_data.token(2))
        shared = community_shares.shared_with_me(garden)
        assert all(view.sharer != load_data.login(1) for view in shared)
    finally:
        garden.engine.dispose()


def test_the_generator_remakes_every_key_and_index_the_migrations_made(
    postgres_url: str,
) -> None:
    engine = db.create(postgres_url)
    try:
        db.migrate(engine)  # what generate() starts with; then it drops and remakes the keys
    finally:
        engine.dispose()
    migrated = _constraints(postgres_url)
    load_data.generate(postgres_url, 1, TODAY)
    assert _constraints(postgres_url) == migrated
    assert len(migrated) > 20


def test_the_generator_refuses_sqlite(sqlite_url: str) -> None:
    with pytest.raises(NeedsPostgres):
        load_data.generate(sqlite_url, 1, TODAY)
