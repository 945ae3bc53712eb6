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

from kith.store.tables import REFERENCE, metadata
from tests.citus.keys import gaps_of, is_reference, keys_lacking_distribution_column


def _schema(*, keyed_by_account: bool) -> MetaData:
    metadata = MetaData()
    Table("accounts", metadata, Column("id", Integer, primary_key=True), info=REFERENCE)
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
    assert not is_reference(metadata.tables["referrals"])


def test_no_table_of_kiths_schema_breaks_citus_rules() -> None:
    # What migration 0012 achieved; a table added later must keep it (docs/scale.md).
    assert keys_lacking_distribution_column(metadata) == {}


def test_one_to_ones_and_visitors_carry_their_members_account_in_every_key() -> None:
    # Each side of a meeting is its member's row and a guest its inviter's: no gap, and the
    # rounds themselves are a small table every member reads.
    assert gaps_of(metadata.tables["one_to_ones"]) == []
    assert gaps_of(metadata.tables["visitors"]) == []
    assert not is_reference(metadata.tables["one_to_ones"])
    assert not is_reference(metadata.tables["visitors"])
    assert is_reference(metadata.tables["pairing_rounds"])


def test_notifications_carry_the_notified_members_account_and_profiles_are_reference() -> None:
    # An inbox is one shard: keyed (account_id, id), pointing only at accounts.
    assert gaps_of(metadata.tables["notifications"]) == []
    assert not is_reference(metadata.tables["notifications"])
    assert is_reference(metadata.tables["profile_fields"])  # which fields each member publishes


def test_intro_requests_carry_the_requesters_account_in_every_key() -> None:
    # Keyed (account_id, id); whoever answers now (`waiting_on`) points at accounts only.
    assert gaps_of(metadata.tables["intro_requests"]) == []
    assert not is_reference(metadata.tables["intro_requests"])
