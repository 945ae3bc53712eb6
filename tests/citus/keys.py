"""Citus's key rules read off kith's SQLAlchemy schema: what each table's keys lack today.

Citus (vendor README): on a distributed table every primary key and unique constraint
includes the distribution column, and so does every foreign key to another distributed table;
a foreign key to a reference table is free. docs/scale.md lists the result for kith.
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, MetaData, Table, UniqueConstraint

DISTRIBUTION_COLUMN = "account_id"
# Small, read by every garden query: on every node. facts_rules is one row per account (which
# rules the kept facts were built under), read when a garden opens. The community's group,
# members and invitations are small and read by every member.
REFERENCE_TABLES = frozenset(
    {"accounts", "facts_rules", "community_groups", "members", "invitations", "profile_fields"}
)


def _columns(names: list[str]) -> str:
    return "(" + ", ".join(names) + ")"


def gaps_of(table: Table, column: str = DISTRIBUTION_COLUMN) -> list[str]:
    """Each key of `table` that breaks Citus's rules, e.g. 'primary key (id)'."""
    if column not in table.c:
        return [f"no {column} column"]
    gaps = []
    primary = [c.name for c in table.primary_key.columns]
    if column not in primary:
        gaps.append(f"primary key {_columns(primary)}")
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint | ForeignKeyConstraint):
            continue  # the primary key is above; checks and exclusions name no key
        names = [c.name for c in constraint.columns]
        if isinstance(constraint, UniqueConstraint) and column not in names:
            gaps.append(f"unique {_columns(names)}")
        if isinstance(constraint, ForeignKeyConstraint):
            target = constraint.referred_table.name
            if target not in REFERENCE_TABLES and column not in names:
                gaps.append(f"foreign key {_columns(names)} -> {target}")
    gaps.extend(
        f"unique index {_columns([c.name for c in index.columns])}"
        for index in table.indexes
        if index.unique and column not in [c.name for c in index.columns]
    )
    return sorted(gaps)


def keys_lacking_distribution_column(metadata: MetaData) -> dict[str, list[str]]:
    """Per distributed table (all but the reference tables), the keys Citus would refuse."""
    found = {
        name: gaps_of(table)
        for name, table in metadata.tables.items()
        if name not in REFERENCE_TABLES
    }
    return {name: gaps for name, gaps in sorted(found.items()) if gaps}
