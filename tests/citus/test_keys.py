"""Citus's key rules read off a SQLAlchemy schema (no cluster needed)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from kith.store.tables import metadata
from tests.citus.keys import REFERENCE_TABLES, gaps_of, keys_lacking_distribution_column


def _schema(*, keyed_by_account: bool) -> MetaData:
    metadata = MetaData()
    Table("accounts", metadata, Column("id", Integer, primary_key=True))
    account = ForeignKey("accounts.id")  # to a reference table: needs no account_id
    Table(
        "people",
        metadata,
        Column("account_id", Integer, account, primary_key=keyed_by_account),
        Column("id", Integer, primary_key=True),
        Column("email", String(100)),
        UniqueConstraint("account_id", "email") if keyed_by_account else UniqueConstraint("email"),
    )
    person_key = ["account_id", "person_id"] if keyed_by_account else ["person_id"]
    person_ref = ["people.account_id", "people.id"] if keyed_by_account else ["people.id"]
    Table(
        "interactions",
        metadata,
        Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=keyed_by_account),
        Column("id", Integer, primary_key=True),
        Column("person_id", Integer),
        ForeignKeyConstraint(person_key, person_ref),
    )
    Table("notes", metadata, Column("id", Integer, primary_key=True))
    return metadata


def test_keys_without_the_account_are_named_per_table() -> None:
    assert keys_lacking_distribution_column(_schema(keyed_by_account=False)) == {
        "interactions": ["foreign key (person_id) -> people", "primary key (id)"],
        "notes": ["no account_id column"],
        "people": ["primary key (id)", "unique (email)"],
    }


def test_keys_that_carry_the_account_pass_and_reference_tables_are_exempt() -> None:
    metadata = _schema(keyed_by_account=True)
    assert gaps_of(metadata.tables["people"]) == []
    assert gaps_of(metadata.tables["interactions"]) == []
    assert "accounts" not in keys_lacking_distribution_column(metadata)


def test_referrals_carry_the_givers_account_in_every_key() -> None:
    # Keyed (account_id, id) and pointing only at accounts (a reference table): no gap, so
    # referrals need no line in DOCUMENTED_GAPS or docs/scale.md's table of gaps.
    assert gaps_of(metadata.tables["referrals"]) == []
    assert "referrals" not in REFERENCE_TABLES


def test_intro_requests_carry_the_requesters_account_in_every_key() -> None:
    # Keyed (account_id, id); whoever answers now (`waiting_on`) points at accounts only.
    assert gaps_of(metadata.tables["intro_requests"]) == []
    assert "intro_requests" not in REFERENCE_TABLES
